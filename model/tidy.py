"""Decoded spans tidied as text: cut at a function word, a gloss, a dash or a glued seam; bare words dropped.

What the tagger decodes (``model.decoding``) can end on an article or a preposition ("A" + "SPANISH
TECHNICIAN"), run into a bracketed gloss ("ELN [ARMY OF NATIONAL LIBERATION]") or a headline glued to the
story ("7-year-old boyProsecutors"), or be a word that fills no role ("fired [TWO] bursts"). The functions
here repair that on the text alone; every span they return still satisfies ``text[start:end] == span["text"]``.

>>> text = "THE ATTACK ON A SPANISH TECHNICIAN OF"
>>> spans = [{"label": "VICTIM", "start": 14, "end": 15, "text": "A", "score": 0.6},
...          {"label": "VICTIM", "start": 16, "end": 37, "text": "SPANISH TECHNICIAN OF", "score": 0.8}]
>>> [s["text"] for s in tidy_spans(text, spans)]
['A SPANISH TECHNICIAN']
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from .counts import _PRONOUNS, NUMBER_WORDS, _w, is_number
from .cues import _PERSON_FORMS, names_no_people
from .decoding import _GLUED
from .roles import COUNTED_ROLES, role_lookup

#: English words a span never ends with and never consists of alone (articles, prepositions, conjunctions,
#: relative pronouns); ``EventExtractorConfig.span_edge_words`` replaces the list for other languages.
ENGLISH_EDGE_WORDS: tuple[str, ...] = (
    "a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "by", "with", "from", "for", "into", "as",
    "that", "which", "who", "whom", "whose",
)

_LAST_WORD = re.compile(r"\w+(?=\W*$)")


def _last_word(text: str) -> re.Match | None:
    return _LAST_WORD.search(text)


def _trailing_participle(span_text: str, last: re.Match) -> bool:
    """The span's last word is a past participle that opens a reduced relative clause ("GAS STATION [OWNED] BY",
    "TRUCK [RIGGED] WITH"): a whole word of 5+ letters ending in "-ed" after another word, not a name's ending
    ("AHMED", "MOHAMMED", "REED")."""
    word = last.group().lower()
    return (len(word) >= 5 and word.endswith("ed") and not word.endswith(("med", "eed"))
            and last.start() > 0 and span_text[last.start() - 1].isspace()
            and _last_word(span_text[:last.start()]) is not None)


def tidy_spans(text: str, spans: list[dict], edge_words: Sequence[str] | None = None) -> list[dict]:
    """Spans cut at a function word, repaired: ``edge_words`` (lower case) never end a span.

    1. A span that ends with an edge word and is followed, across white space only, by a span of the same
       label is joined with it: the model tagged "A" and "SPANISH TECHNICIAN" as two B- starts.
    2. Trailing edge words (and the spaces and punctuation before them) are cut off: "TWO INDIVIDUALS IN"; with
       the English default, so is a trailing past participle ("GAS STATION OWNED", "TRUCK RIGGED": 1 of the 3,307
       gold mentions of GRIT's MUC-4 training split ends in one; nine H200 models' GRIT micro F1 +0.0 to +0.4).
    3. An aside after a spaced dash, a bracketed group after the words, a dangling bracket, dash or comma and an
       unmatched closing bracket are cut ("RODRIGUEZ -- BROTHER OF ...", "ELN [ARMY OF NATIONAL LIBERATION]",
       "FRONT (FMLN)", "ELN --", "HILDA FLORES,", "MNR)"): none of those gold mentions has a square bracket or a
       double or long dash (8 have a spaced hyphen, "fmln - fdr", which is not cut), 11 a parenthesis; nine H200
       models' GRIT micro F1 -0.1 to +0.6 (brackets and punctuation), then +0.0 to +0.2 (the aside); their killed
       counts +1, -1, then +1 document of 58.
    4. A span that crosses a glued seam, where scraped text ran a headline or a site name into the story without a
       space ("shooting death of 7-year-old boyProsecutors said", "abc7.comOne person was shot"), keeps the side
       of the seam with more words (``_unglue``; the seam is ``_GLUED``'s).
    5. A span left with no other word is dropped ("THE").
    6. (English default) A span begun inside a bracketed acronym starts at the name the bracket glosses ("[BSF)
       personnel]" -> "[Three Border Security Force (BSF) personnel]", ``_glossed_name``; SATP's digests), taking in
       a span tagged inside that name ("[Three Border] Security Force ([BSF) personnel]": one phrase, the label of
       its head's part), never a span that begins before the name.

    Offsets stay exact (``text[start:end] == span["text"]``); a joined span's score is the mean of its parts
    weighted by their lengths. ``edge_words`` None means ``ENGLISH_EDGE_WORDS`` (a config's
    ``span_edge_words`` is passed as it is); empty returns the spans unchanged.
    Measured on MUC-4 TST1+TST2 with the spans of the six H200 models of docs/results/news.md (three news.yaml, three
    muc4.yaml seeds): GRIT micro F1 +0.4 to +1.1, mean +0.7, precision and recall both up.

    >>> text = " gunmen seized two engineers and a Spanish technician in town"
    >>> def span(part, score):
    ...     start = text.index(f" {part} ") + 1
    ...     return {"label": "VICTIM", "text": part, "start": start, "end": start + len(part), "score": score}
    >>> spans = [span("gunmen", 0.9), span("a", 0.6), span("Spanish technician in", 0.9)]
    >>> [s["text"] for s in tidy_spans(text, spans)]
    ['gunmen', 'a Spanish technician']
    """
    english = edge_words is None
    if edge_words is None:
        edge_words = ENGLISH_EDGE_WORDS
    if not edge_words:
        return spans
    edge = {w.lower() for w in edge_words}

    def ends_on_edge(span: dict) -> bool:
        last = _last_word(span["text"])
        return last is not None and last.group().lower() in edge

    joined: list[dict] = []
    for span in sorted(spans, key=lambda s: s["start"]):
        prev = joined[-1] if joined else None
        if (prev is not None and prev["label"] == span["label"] and prev["end"] <= span["start"]
                and not text[prev["end"]:span["start"]].strip() and ends_on_edge(prev)):
            a, b = prev["end"] - prev["start"], span["end"] - span["start"]
            joined[-1] = {**prev, "end": span["end"], "text": text[prev["start"]:span["end"]],
                          "score": round((prev["score"] * a + span["score"] * b) / (a + b), 4)}
        else:
            joined.append(span)
    out: list[dict] = []
    for span in joined:
        start, end = _unglue(text, span["start"], span["end"])
        while True:
            last = _last_word(text[start:end])
            if last is None or (last.group().lower() not in edge
                                and not (english and _trailing_participle(text[start:end], last))):
                break
            end = start + last.start()
            while end > start and not (text[end - 1].isalnum() or text[end - 1] in ")]\"'"):
                end -= 1
        end = _trim_tail(text, start, end)
        name = _glossed_name(text, start, end) if english else None
        if name is not None:
            # a fragment of the name tagged before it ("[Three Border] Security Force ([BSF) personnel]") is taken in
            if out and name <= out[-1]["start"] < start and (len(out) < 2 or out[-2]["end"] <= name):
                out.pop()
            if not out or out[-1]["end"] <= name:
                start = name
        if _last_word(text[start:end]) is None:
            continue
        if (start, end) != (span["start"], span["end"]):
            span = {**span, "start": start, "end": end, "text": text[start:end]}
        out.append(span)
    return out


# the Title Case words of a name right before a bracket (with of / for / and ... between two of them), and a number or
# an article before them: "three [Border Security Force] (", "[Communist Party of India Maoist] ("
_GLOSSED_NAME = re.compile(r"(?:\b(?:\d{1,3}|[Aa]n?|[Tt]he|" + "|".join(w.capitalize() + "|" + w for w in NUMBER_WORDS) +
                           r")\s+)?[A-Z][\w'’.&-]*\s+(?:(?:of|for|and|the|de|e|ul|al)\s+[A-Z][\w'’.&-]*\s+|[A-Z][\w'’.&-]*\s+){0,6}\($")


_NAME_PART = re.compile(r"[^\W\d_]+")
_CONNECTORS = re.compile(r"\s*(?:(?:of|for|and|the|de|e|ul|al)\s+)*")
_OF_NEXT = re.compile(r"\s+(?:of|from)\s")


def _glossed_name(text: str, start: int, end: int) -> int | None:
    """Where the name starts that a bracketed acronym glosses, for a span the tagger began inside the bracket
    ("[BSF) personnel]" of "Three Border Security Force (BSF) personnel"), a number or article before the name
    included; None for any other span, and in text without lower case (MUC-4's capitals), where a name's words
    cannot be told.

    >>> t = "Three Border Security Force (BSF) personnel were killed"
    >>> t[_glossed_name(t, 29, 43):43], _glossed_name(t, 0, 5), _glossed_name(t.upper(), 29, 43)
    ('Three Border Security Force (BSF) personnel', None, None)
    """
    piece = text[start:end]
    close = piece.find(")")
    if close < 0 or "(" in piece[:close]:
        return None
    open_at = text.rfind("(", max(0, start - 12), start)
    if open_at < 0 or ")" in text[open_at:start] or "\n" in text[open_at:start] or text.upper() == text:
        return None
    name = _GLOSSED_NAME.search(text, max(0, open_at - 80), open_at + 1)
    if name is None:
        return None
    begin = name.start()
    # people "of" a name are no part of it ("Two Policemen of [Jammu and Kashmir] (J K) Armed Police"); a person noun
    # inside a name is ("Students Islamic Movement of India (SIMI)", "Communist Party of India Maoist (CPI Maoist)")
    for word in _NAME_PART.finditer(text, begin, open_at):
        if word.group().casefold() in _PERSON_FORMS and _OF_NEXT.match(text, word.end()):
            begin = _CONNECTORS.match(text, word.end()).end()
    return begin if begin < open_at else None


def _unglue(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` cut at a glued seam (``_GLUED``, the seam the widening never crosses) inside
    ``text[start:end]``, keeping the side with more words (ties: the right side, where the story begins); unchanged
    without a seam.

    >>> t = "the shooting death of 7-year-old boyProsecutors in Cumberland"
    >>> s, e = _unglue(t, t.index("7-"), t.index(" in"))
    >>> t[s:e]
    '7-year-old boy'
    >>> t = "abc7.comOne person was shot"
    >>> s, e = _unglue(t, 5, 18)
    >>> t[s:e]
    'One person'
    """
    seam = _GLUED.search(text, start, end)
    while seam is not None:
        cut = seam.end()
        if len(text[start:cut].split()) > len(text[cut:end].split()):
            end = cut
        else:
            start = cut
        seam = _GLUED.search(text, start, end)
    return start, end


_TAIL_GROUP = re.compile(r"\s+(?:\[[^\[\]]*\]|\([^()]*\))\s*$")
_DASH = re.compile(r"\s+(?:--|—|–)\s+")  # a dash between words opens an aside: "NORBERTO RODRIGUEZ -- BROTHER OF ..."
_OPEN_TAIL = ("[", "(", "-", "–", "—", ",", ";", ":")


def _trim_tail(text: str, start: int, end: int) -> int:
    """The end of ``text[start:end]`` without what never ends a mention: an aside after a spaced dash ("NORBERTO
    RODRIGUEZ -- BROTHER OF THE FIRST LADY"), a bracketed group after the words ("ELN [ARMY OF NATIONAL
    LIBERATION]", "FRONT (FMLN)": a gloss or an acronym, a mention of its own), a dangling bracket, dash or comma
    ("FARABUNDO MARTI [", "ELN --", "HILDA FLORES,"), an unmatched closing bracket ("MNR)").

    >>> t = "ELN [ARMY OF NATIONAL LIBERATION] -- AND"
    >>> t[:_trim_tail(t, 0, 36)], t[:_trim_tail(t, 0, 4)]
    ('ELN', 'ELN')
    """
    while True:
        piece = text[start:end].rstrip()
        group, dash = _TAIL_GROUP.search(piece), _DASH.search(piece)
        if dash and _last_word(piece[:dash.start()]) is not None:
            piece = piece[:dash.start()]
        elif group and _last_word(piece[:group.start()]) is not None:
            piece = piece[:group.start()]
        elif piece.endswith(_OPEN_TAIL):
            piece = piece.rstrip("".join(_OPEN_TAIL) + " \t\n")
        elif (piece.endswith(")") and piece.count("(") < piece.count(")")) or (
                piece.endswith("]") and piece.count("[") < piece.count("]")):
            piece = piece[:-1].rstrip()
        if not piece or start + len(piece) >= end:
            return end
        end = start + len(piece)


# a pronoun (``counts``' own, with the possessives) or an article alone: no perpetrator, target or weapon a reader can
# use ("ambushing [their] staff bus", "[A] Stockton man was shot")
_BARE_WORDS = _PRONOUNS | _w("his hers its their theirs our you your i me my a an the this that")


def drop_bare_words(spans: list[dict], roles: Mapping[str, str] | None) -> list[dict]:
    """``spans`` without the words that cannot fill their label's role (``roles``: label -> role): a number ("TWO",
    "19"), a pronoun ("their", "it") or an article alone where the role does not count people
    (``roles.COUNTED_ROLES``): "fired [TWO] bursts" is no weapon and "ambushing [their] staff bus" no target, while
    "wounding [23]" is a count; and where it does, a phrase that names an organisation or a place, not people
    (``cues.names_no_people``): "[the Communist Party of India Maoist] cadres shot dead a person" tagged killed
    counts nobody. None of the 3,307 gold mentions of GRIT's MUC-4 training split is a bare number; on the nine H200
    models' stored TST1+TST2 spans GRIT micro F1 +0.0 to +0.4 each, none down. Pronouns (2026-12-06): docs/results/grit.md,
    "Pronouns are no actors"; organisations (2026-12-07): docs/results/satp.md, "Organisations are nobody's dead".

    >>> spans = [{"label": "WEAPON", "text": "TWO"}, {"label": "WOUNDED", "text": "23"}, {"label": "WEAPON", "text": "AK-47"},
    ...          {"label": "WEAPON", "text": "it"}, {"label": "KILLED", "text": "the Communist Party of India Maoist"}]
    >>> [s["text"] for s in drop_bare_words(spans, {"WEAPON": "weapon", "WOUNDED": "wounded", "KILLED": "killed"})]
    ['23', 'AK-47']
    """
    role_of = role_lookup(roles)

    def fits(span: dict) -> bool:
        if role_of(span["label"]) in COUNTED_ROLES:
            return not names_no_people(span.get("text") or "")
        return not (is_number(span["text"]) or span["text"].strip().casefold() in _BARE_WORDS)

    return [s for s in spans if fits(s)]
