"""Who a report says did it, by name: "Police arrested [Phi Pham], 33", "[Rico McConico] is charged with first degree
murder", "the suspect, [Maurice Alexander], was charged".

Local news names the shooter where the police do: an arrest, a charge, a suspect identified. The tagger learnt
perpetrators from wire reports of attacks by groups and almost never finds these names (the quickstart model found
none of the named shooters of GVDB's 70 reports that have one). :func:`stated_suspects` reads a person's name in mixed
case (``stated._NAMED``, the names the casualty fallbacks read) next to the words of an arrest, a charge or a
suspicion; the Predictor adds them as perpetrator spans where they overlap a span of no other label (a perpetrator span
inside a name widens to it; ``rule_spans.fill_spans``; ``EventExtractorConfig.stated_suspects`` switches it off). Upper-case text (MUC-4) has no mixed-case name, so nothing
is read there. Read off GVDB-310's shooters, checked on the held-out 90 (``python bench/suspects.py --model DIR``,
2026-12-06, quickstart seeds 42 / 43 / 44): reports whose named shooter is among the perpetrators, GVDB-310 0 / 1 / 2
-> 31 / 30 / 31 of 54, held-out 0 / 0 / 0 -> 5 / 5 / 5 of 16; of the 42 names the rule reads on GVDB-310, 33 are the
annotated shooter, and most of the others are suspects too (an accomplice, a suspect shot by the police whom GVDB
lists as the victim). Casualty counts, MUC-4 spans and GRIT unchanged. English, standard library only.
"""

from __future__ import annotations

import re

from .members import BETWEEN_NAMES
from .stated import _AGE_ASIDE, _NAMED, _person_name

# before the name: "Police arrested", "charged 24-year-old", "the suspect,", "identified the gunman as", "searching for",
# "took ... into custody" is read after it
_LEFT = re.compile(
    r"(?:\b(?:arrested|charged|charging|booked|detained|apprehended|indicted|jailed|"
    r"identified\s+(?:the\s+)?(?:suspect|shooter|gunman|attacker|killer)\s+as|"
    r"(?:searching|looking|hunting)\s+for|tracked\s+down|(?:shooting|murder|homicide)\s+suspect|the\s+suspect\s*,|"
    r"(?:shooter|gunman|killer)\s+(?:was\s+)?(?:identified\s+as|is|was))"
    r"\s+(?:\d{1,3}-year[-\s]old\s+)?(?:[A-Z][\w-]*\s+resident\s+)?$)",
    re.IGNORECASE)
# after the name (its age, its town between commas): "was arrested", "is charged with", "faces a murder charge",
# "is accused of killing", "surrendered", "turned himself in", "has been taken into custody"
_RIGHT = re.compile(
    rf"^{_AGE_ASIDE}(?:,?\s*of\s+(?:the\s+)?[A-Z0-9][\w .'-]{{0,40}}?,\s*(?:[A-Z][\w .'-]{{0,20}}?,\s*)?)?,?\s*(?:who\s+)?"
    r"(?:(?:(?:was|were|is|are)\s+(?:previously\s+|later\s+|also\s+|now\s+|then\s+)?|"
    r"(?:has|have|had)\s+(?:previously\s+|also\s+|since\s+)?been\s+)"  # passive only: "[X] has accused ..." accuses
    r"(?:arrested|charged|booked|indicted|accused|convicted|jailed|being\s+held|taken\s+into\s+custody|wanted|sought)|"
    r"also\s+(?:has|had)\s+been\s+(?:arrested|charged)|into\s+custody|"
    r"(?:is|was)\s+(?:now\s+)?facing\s+(?:\w+\s+){0,3}charges?|faces\s+(?:\w+\s+){0,3}charges?|"
    r"surrendered|turned\s+(?:himself|herself)\s+in|pleaded\s+(?:not\s+)?guilty|"
    r"(?:is|was)\s+(?:scheduled\s+(?:to\s+be\s+|for\s+)?)?arraign(?:ed|ment)|"
    r"(?-i:(?:fatally\s+)?shot(?:\s+and\s+killed)?\s+)(?=(?:his|her|their|a|an|the)\s|(?-i:[A-Z][a-z])))\b",
    re.IGNORECASE)


# after "of" (a place: "resident of [Long Beach]"), or a capitalised word that opens a sentence ("[If Tsarnaev] is ...")
_NOT_A_NAME = re.compile(r"\bof\s|(?:^|\s)(?:If|When|But|And|After|Before|While|As|Although|Though|"
                         r"Since|Because|Once|Until|Where|Why|How|What)\s")


def stated_suspects(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each person's name a report says was arrested, charged, accused or sought as the suspect.

    Names listed together ("26-year-old [Alex Claudio] and 22-year-old [Rafael Frias], both of Syracuse, were arrested")
    share what the words before the first or after the last say.

    >>> t = ("A man was shot dead on Friday. Police arrested Phi Pham, 33, over the weekend. "
    ...      "Rico McConico is charged with first degree murder. Jamal Berry was shot and killed.")
    >>> [t[s:e] for s, e in stated_suspects(t)]
    ['Phi Pham', 'Rico McConico']
    """
    if not isinstance(text, str):
        return []
    names = [m for m in _NAMED.finditer(text) if m.end("name") == m.end() and _person_name(text, m)
             and not _NOT_A_NAME.search(text, max(0, m.start() - 4), m.end("name"))]
    # names listed together ("26-year-old [Alex Claudio] and 22-year-old [Rafael Frias], both of Syracuse, were
    # arrested"; "[Reed Skenandore], 21; [Jonathan Skenandore], 18; ... have all been arrested"): the list's words
    # before its first name or after its last say what each of them is
    lists: list[list[re.Match]] = []
    for m in names:
        if lists and BETWEEN_NAMES.fullmatch(text, lists[-1][-1].end(), m.start()):
            lists[-1].append(m)
        else:
            lists.append([m])
    out = []
    for group in lists:
        # a list ends with "and" or uses semicolons; "arrested [John Smith], [Sheriff Bill Evans] said" is no list
        listed = len(group) == 1 or re.search(r"\band\b|;", text[group[0].end():group[-1].start()])
        for names_ in [group] if listed else [[m] for m in group]:
            first, last = names_[0], names_[-1]
            after = text[last.end():last.end() + 120]
            if len(names_) > 1:
                after = _BOTH.sub("", after, count=1)
            if _LEFT.search(text, max(0, first.start() - 60), first.start()) is not None or _RIGHT.match(after):
                out += [(m.start("name"), m.end("name")) for m in names_]
    return out


# what a list's people share, before its predicate: ", both of Syracuse,", ", all of Green Bay,", "both 17,"
_BOTH = re.compile(r"^(?:\s*,\s*(?:age\s+)?\d{1,3})?\s*,?\s*(?:both|all)\s+(?:of\s+[A-Z][\w .'-]{0,30}?(?=,)|\d{1,3})\s*,?\s*"
                   r"(?:(?:have|had|were|are)\s+all\s+)?")
