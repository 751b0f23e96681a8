"""Which casualty parts only tell members of a stated group, and so add nothing to its number.

``casualties_from_spans`` reads a report's killed (or wounded) entities as parts, each with its quantity; the rules
here say which parts are already counted in another part's stated group: people listed after "including" or in a
breakdown that adds up ("[30 people], including [12 children]"; "[four people]: [two soldiers] and [two
civilians]"), named people a later sentence identifies as the group's ("The victims were identified as [X] and
[Y]", "Two of her bodyguards, [X] and [Y]"), and people told one by one by age or sex after it ("[Two men] are
hospitalized ... [a 26-year-old man] ... [a 23-year-old man]"). Standard library only; never raises on any string.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from .counts import (
    _COORDINATOR,
    AGE,
    NUMBER_WORDS,
    Count,
    _tokens,
    _w,
    parse_count,
    person_plural,
)
from .cues import _SENTENCE_BREAK


def sentence_starts(text: str) -> list[int]:
    """Offsets where sentences begin (``cues._SENTENCE_BREAK``).

    >>> sentence_starts("Two died. One was hurt.")
    [0, 10]
    """
    return [0] + [m.end() for m in _SENTENCE_BREAK.finditer(text)]



def _head_word(text: str, start: int, end: int) -> str:
    """The last lower-case word of ``text[start:end]`` ("soldiers" of "two of the soldiers"), "" for none."""
    return next(iter(reversed(_tokens(text[start:end])[1])), "")


def _stated_groups(parts: Sequence[tuple[Count | None, str]], names: Sequence[bool], keep: Sequence[bool]) -> list[int]:
    """Indices of the kept parts that state an exact group of 2 or more and are not names."""
    return [i for i, ((c, _), n, k) in enumerate(zip(parts, names, keep, strict=True)) if k and not n and group_size(c)]

# what joins a group to the people it lists: ", including [two children]", ", among them [a nurse]"; the group
# already counts them
_INCLUDING = re.compile(r"^[\s,;:(\-\u2013\u2014]*(?:including|among\s+(?:them|whom|the\s+(?:dead|victims|wounded|injured)))"
                        r"(?:\s+[\w'-]+){0,2}\s*$", re.IGNORECASE)
# a breakdown of a stated number: "[four people]: [two soldiers] and [two civilians]", "[five people], [three women]
# and [two men]", "[three reporters], [two Salvadorans] and [a Netherlander]" (after a comma only for people in general
# or parts by sex and age or by nationality, which say who the group's people are, not another group's role)
# the number or article of the next part when the tagger left it out of the span ("[reporters], two [Salvadorans]")
_LEAD = rf"(?:(?:a|an|\d[\d,]*|{'|'.join(sorted(NUMBER_WORDS))})\s+)?"
_BREAKDOWN = re.compile(rf"^\s*(?:[,:(]|--|[\-\u2013\u2014])\s*{_LEAD}$", re.IGNORECASE)
# the same after the group's own clause, before a colon: "[three men] were shot dead: [John Smith], [Jim Doe] and ..."
_CLAUSE_COLON = re.compile(r"^[^.;:\n()]{1,60}:\s*$")
# nouns of nationality, singular and plural ("two [Salvadorans] and a [Netherlander]": who a group's people are)
NATIONALITIES = _w(
    "afghan afghans african africans albanian albanians algerian algerians american americans arab arabs argentine "
    "argentines argentinian argentinians armenian armenians australian australians austrian austrians azerbaijani "
    "azerbaijanis bangladeshi bangladeshis belgian belgians bolivian bolivians bosnian bosnians brazilian brazilians "
    "briton britons bulgarian bulgarians burmese cambodian cambodians cameroonian cameroonians canadian canadians "
    "chadian chadians chechen chechens chilean chileans chinese colombian colombians congolese croat croats cuban "
    "cubans czech czechs dane danes dominican dominicans dutchman dutchmen ecuadorean ecuadoreans ecuadorian "
    "ecuadorians egyptian egyptians eritrean eritreans ethiopian ethiopians european europeans filipino filipinos "
    "finn finns frenchman frenchmen georgian georgians german germans ghanaian ghanaians greek greeks guatemalan "
    "guatemalans haitian haitians honduran hondurans hungarian hungarians indian indians indonesian indonesians "
    "iranian iranians iraqi iraqis irishman irishmen israeli israelis italian italians ivorian ivorians jamaican "
    "jamaicans japanese jordanian jordanians kazakh kazakhs kenyan kenyans korean koreans kurd kurds kuwaiti kuwaitis "
    "lebanese libyan libyans malaysian malaysians malian malians mexican mexicans moroccan moroccans mozambican "
    "mozambicans nepalese nepali nepalis netherlander netherlanders nicaraguan nicaraguans nigerian nigerians "
    "nigerien nigeriens norwegian norwegians pakistani pakistanis palestinian palestinians panamanian panamanians "
    "paraguayan paraguayans peruvian peruvians pole poles portuguese romanian romanians russian russians rwandan "
    "rwandans salvadoran salvadorans salvadorean salvadoreans saudi saudis senegalese serb serbs somali somalis "
    "spaniard spaniards lankan lankans sudanese swede swedes swiss syrian syrians taiwanese tajik tajiks tanzanian "
    "tanzanians thai thais tunisian tunisians turk turks ugandan ugandans ukrainian ukrainians uruguayan uruguayans "
    "uzbek uzbeks venezuelan venezuelans vietnamese yemeni yemenis zimbabwean zimbabweans")
_GENERIC = _w("people persons individuals victims casualties dead")
_ONE_GENERIC = _w("person individual victim")  # a group of one (``_stated_one``)
_SEXES_AGES = _w("man men woman women boy boys girl girls child children adult adults minor minors teenager teenagers "
                 "teen teens baby babies infant infants male males female females")
# between two listed parts: "[two children] and [a woman]", "[a nurse], [a driver]"
_LISTED = re.compile(rf"^\s*(?:[,;]|(?:,\s*)?{_COORDINATOR})\s*{_LEAD}$", re.IGNORECASE)


def listed_in_group(text: str, extents: Sequence[Sequence[tuple[int, int]]], parts: Sequence[Count | None],
                     ) -> set[int]:
    """Indices of the parts that only list members of another part's stated group, in its sentence: after
    "including" or "among them" ("[30 people], including [12 children]": the 12 are among the 30, when no more
    than them), or a breakdown that adds up to the group's number exactly, after a colon, dash or bracket
    ("[four people]: [two soldiers] and [two civilians]", also after the group's own clause: "[three men] were shot
    dead: [John Smith], [Jim Doe] and [Al Roe]") or after a comma when the group is people in general or
    the parts are its men, women, children or its nationalities ("[five people], [three women] and [two men]": 5;
    "[three reporters], two [Salvadorans] and a [Netherlander]": 3). Other lists after a comma add up even when the
    numbers agree ("[three soldiers], [two civilians] and [a child]": 6). A number or article between two parts is
    the next part's, left out of its span. ``extents[i]`` are part i's mentions, ``parts[i]`` its quantity; the
    group must state an exact number.

    >>> t = "Gunmen killed 30 people, including 12 children and a nurse."
    >>> listed_in_group(t, [[(14, 23)], [(35, 46)], [(51, 58)]], [Count(30, 30, 30), Count(12, 12, 12), Count(1, 1, 1)])
    {1, 2}
    """
    def head(i: int) -> str:
        return _head_word(text, *extents[i][0])

    owner = {m: i for i, ext in enumerate(extents) for m in ext}
    order = sorted(owner)
    starts = sentence_starts(text)
    listed: set[int] = set()

    def close(group: int, how: str, members: list[int]) -> None:
        total = parts[group]
        sizes = [None if c is None else c.min if c.count is None else c.count for c in (parts[i] for i in members)]
        # "at least six persons, including a woman and a child": the listed are among the six the group states
        least = total.min if total is not None and total.count is None and how == "including" else None
        if total is None or (total.count is None and least is None) or None in sizes:
            return
        listed_size = sum(n or 0 for n in sizes)
        if listed_size > (total.count if least is None else least):
            return
        exact = all(parts[i].count is not None for i in members)  # type: ignore[union-attr]
        if how != "including" and not (exact and listed_size == total.count):
            return  # a breakdown names everyone in the group
        if how == "comma" and head(group) not in _GENERIC and not all(head(i) in _SEXES_AGES for i in members) \
                and not all(head(i) in NATIONALITIES for i in members):
            return
        listed.update(members)

    state: tuple[int, str, list[int]] | None = None
    for (s0, e0), (s1, e1) in zip(order, order[1:]):
        between = text[e0:s1]
        same = bisect.bisect_right(starts, s0) == bisect.bisect_right(starts, s1)
        a, b = owner[(s0, e0)], owner[(s1, e1)]
        if state and same and a != b and _LISTED.match(between):
            state[2].append(b)
            continue
        if state:
            close(*state)
            state = None
        if not same or a == b:
            continue
        if _INCLUDING.match(between):
            state = (a, "including", [b])
        elif _BREAKDOWN.match(between):
            state = (a, "comma" if between.strip()[:1] == "," else "breakdown", [b])
        elif _CLAUSE_COLON.match(between):
            state = (a, "breakdown", [b])
    if state:
        close(*state)
    return listed


def group_size(count: Count | None) -> int | None:
    """The exact number of people a part states when it is 2 or more ("five soldiers"), else None."""
    if count is None or count.count is None or count.count < 2 or count.min != count.max:
        return None
    return count.count


# a sentence that names people told of before: "The victims were identified as", "Police named them as", "Two of the
# dead, ..." (the words before the first name)
_NAMES_THEM = re.compile(r"\b(?:identified|named)\b(?:\s+(?:them|him|her|the\s+\w+))?\s+as\s*$|"
                         r"\b(?:the\s+(?:victims|dead|deceased)|of\s+(?:the\s+)?(?:them|dead|victims))\s*(?:,|were|are)\s*$",
                         re.IGNORECASE)


def restated(before: str, words: set[str], size: int) -> int | None:
    """How many people the words just before a list of names restate of a stated group of ``size`` whose mentions
    have the (lower-case) ``words``: "Two of her bodyguards, [X] and [Y]" (2) after "[two of her bodyguards]"; "The
    officers, [X] and [Y]" (``size``). None when the words end in no comma, in a noun not the group's, or state more.

    >>> restated("They died at once. Two of her DAS bodyguards, ", {"two", "of", "her", "bodyguards"}, 2)
    2
    >>> restated("Police said the officers, ", {"officers"}, 3), restated("The soldiers' wives, ", {"soldiers"}, 3)
    (3, None)
    """
    clause = re.search(r"([^,.;:()]{1,80}),\s*$", before)
    if clause is None:
        return None
    last = clause.group(1).split()[-6:]
    head = _tokens(" ".join(last))[1][-1:]
    if not head or head[0] not in words:
        return None
    said = parse_count(" ".join(last))
    if said is None:
        return None
    n = said.count if said.count is not None else size if said.min == 2 and said.max is None else None
    return n if n is not None and 1 <= n <= size else None


def named_members(text: str, parts: Sequence[tuple[Count | None, str]], names: Sequence[bool],
                   spans_of: Sequence[Sequence[tuple[int, int]]], sentences: Sequence[set[int]], keep: Sequence[bool],
                   starts: Sequence[int]) -> set[int]:
    """Indices of the named people a later sentence identifies as members of the one stated group of their kind:
    "[Two people] were killed ... The victims were identified as [John Smith], 25, and [Jane Doe], 30" = 2, not 4
    (``_NAMES_THEM`` before the first name of its sentence). Only when exactly one kept part states an exact number
    of 2 or more and is not a name, and the named parts (one person each) are no more than it. Or the names follow
    words that restate a stated group by its head noun, as many names as the words say ("[Two of her bodyguards]
    were killed ... Two of her DAS bodyguards, [X] and [Y], were inside the car" = 2; ``restated``): that group
    must be told in an earlier sentence and be the only stated group the words fit, whatever other groups there are.
    Or the names are listed right after the group's mention, in its own sentence, as many as it states ("Gunmen
    killed [two soldiers], [Al Roe] and [Jim Doe]" = 2; ``_apposed_names``).

    >>> t = "Two people were killed. The victims were identified as John Smith and Jane Doe."
    >>> one, two = Count(1, 1, 1), Count(2, 2, 2)
    >>> ext = [[(0, 10)], [(55, 65)], [(70, 78)]]
    >>> sorted(named_members(t, [(two, "number"), (one, "name"), (one, "name")], [False, True, True], ext,
    ...                      [{1}, {2}, {2}], [True, True, True], [0, 24]))
    [1, 2]
    """
    groups = _stated_groups(parts, names, keep)
    members = [i for i, ((c, _), n, k) in enumerate(zip(parts, names, keep, strict=True))
               if k and n and c is not None and c.count == 1]
    if not groups or not members:
        return set()
    apposed = _apposed_names(text, groups, members, parts, spans_of)
    if apposed:
        return apposed
    first = min(s for i in members for s, _ in spans_of[i])
    before = text[starts[bisect.bisect_right(starts, first) - 1]:first]

    def fits(group: int, most: int, listed: Sequence[int], first: int) -> bool:
        return (len(listed) <= most and not any(sentences[i] & sentences[group] for i in listed)
                and min(s for s, _ in spans_of[group]) < first)

    if _NAMES_THEM.search(before):
        size = group_size(parts[groups[0]][0]) or 0
        return set(members) if len(groups) == 1 and fits(groups[0], size, members, first) else set()

    def words(group: int) -> set[str]:
        return {w for s, e in spans_of[group] for w in _tokens(text[s:e])[1]}

    # the names first told in one sentence, after words that restate a group ("Two of her bodyguards, [X] and [Y]")
    by_sentence: dict[int, list[int]] = {}
    for i in members:
        start = min(s for s, _ in spans_of[i])
        by_sentence.setdefault(bisect.bisect_right(starts, start), []).append(i)
    found: set[int] = set()
    for sentence, listed in by_sentence.items():
        first = min(s for i in listed for s, _ in spans_of[i])
        before = text[starts[sentence - 1]:first]
        told = [(g, restated(before, words(g), group_size(parts[g][0]) or 0)) for g in groups]
        told = [(g, n) for g, n in told if n is not None]
        # the group told in an earlier sentence; the restating words may be its own mention ("Two of her [DAS
        # bodyguards], [X] and [Y]")
        if len(told) == 1 and told[0][1] == len(listed) and min(s for s, _ in spans_of[told[0][0]]) < starts[sentence - 1]:
            found.update(listed)
    return found


# a group's people named right after it in its own sentence: "[two soldiers], [Al Roe] and [Jim Doe]", "[Two men] --
# [A], 25, and [B], 30 --"
_APPOSED_TO = re.compile(r"\s*(?:,|:|--|[\u2013\u2014(])\s*")
#: between two listed names: an age, "and", a comma or semicolon ("[A], 21; [B], 18; and [C]", "[A] and 22-year-old
#: [B]"); ``suspects`` lists names with it too
BETWEEN_NAMES = re.compile(r"(?:\s*,\s*(?:age\s+)?\d{1,3})?\s*(?:[,;]\s*(?:and\s+)?|\s+and\s+)"
                           r"(?:\d{1,3}-year[-\s]old\s+)?", re.IGNORECASE)


_NAME_IN_LIST = r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|alias|bin|de|ul|ur))*(?:\s*,?\s*\(?\d{1,3}\)?)?"
# a group's people named after it in its own sentence: ", identified as A, B and " (up to the name that follows)
# (only these words ignore case: a name's words are capitalised, "identified as suspects by police, and [X]" is no list)
_IDENTIFIED_LIST = re.compile(rf"\s*,?\s*(?i:identified\s+as|namely)\s+(?:{_NAME_IN_LIST}\s*(?:,\s*(?:and\s+)?|\s+and\s+|;\s*))*")


def _apposed_names(text: str, groups: Sequence[int], members: Sequence[int], parts: Sequence[tuple[Count | None, str]],
                   spans_of: Sequence[Sequence[tuple[int, int]]]) -> set[int]:
    """The named parts listed right after a stated group's mention, as many as it states ("Gunmen killed [two
    soldiers], [Al Roe] and [Jim Doe]" = 2), or listed after its ", identified as", no more than it states ("[Two
    people], identified as Zeshan and [Bilal], were killed" = 2; SATP's digests)."""
    mentions = sorted((s, e, i) for i in members for s, e in spans_of[i])
    found: set[int] = set()
    for g in groups:
        size = group_size(parts[g][0]) or 0
        for _, group_end in spans_of[g]:
            end = group_end
            chain: list[int] = []
            for s, e, i in mentions:
                if s < end:
                    continue
                if not (_APPOSED_TO if not chain else BETWEEN_NAMES).fullmatch(text, end, s):
                    break
                chain.append(i)
                end = e
            if len(chain) == size and len(set(chain)) == size:
                found.update(chain)
            # "[Three persons], identified as Jehanzeb, Shenay and [Saifur Rehman], were killed": the names the text
            # lists after "identified as", whichever of them the tagger found, no more than the group states
            listed = [i for s, _, i in mentions if s >= group_end and _IDENTIFIED_LIST.fullmatch(text, group_end, s)]
            if listed and len(set(listed)) <= size:
                found.update(listed)
    return found


# a person described by sex or age group ("a man", "a teenager"; a stated age is ``counts.AGE``), as news tells a
# group's people one by one
_SEX = re.compile(r"\b(?:" + "|".join(sorted(_SEXES_AGES)) + r")\b", re.IGNORECASE)


def _one_of(phrase: str, group_head: str) -> bool:
    """``phrase`` describes one person by age or sex who may be one of a group with the head noun ``group_head``:
    "a 26-year-old man" of "men", "a 22-year-old" or "a woman" of "people"; not "a woman" of "Jesuits" nor
    "the cook's 15-year-old daughter".

    >>> _one_of("a 26-year-old man", "men"), _one_of("a 22-year-old", "people"), _one_of("a woman", "jesuits")
    (True, True, False)
    """
    toks = _tokens(phrase)[1]
    if not toks or not (AGE.search(phrase) or _SEX.search(phrase)) or "'s" in phrase.lower():
        return False
    head = toks[-1]
    return group_head in _GENERIC | _ONE_GENERIC or head == "old" or group_head in (head, *person_plural(head))


_MORE = re.compile(r"\b(?:also|too|another|other|additional|second|third|fourth|fifth)\b", re.IGNORECASE)


def described_members(text: str, parts: Sequence[tuple[Count | None, str]], names: Sequence[bool],
                       described: Sequence[bool], sentences: Sequence[set[int]],
                       spans_of: Sequence[Sequence[tuple[int, int]]], keep: Sequence[bool], starts: Sequence[int]
                       ) -> set[int]:
    """Indices of the singular descriptions told only after the one stated group of their kind, no more of them than
    it holds: its people described one by one ("[Two men] are hospitalized ... Police said [a 26-year-old man] was shot
    in the thigh and [a 23-year-old man] was grazed" = 2). Not when their sentence says "also", "another", "other".
    Where no group of 2 or more is stated, a group of one stated by number is one (``_stated_one``: "[One person] is
    critically injured ... [A 25-year-old man] was shot once" = 1; GVDB-310 wounded exact +1 of 109 with quickstart
    seed 43 and the plain "was shot" of ``stated._TREATED``, nothing else changed on GVDB or MUC-4, 2026-12-06), told
    before it too, as a headline tells the person the report then counts ("[24-year-old man] in critical condition
    after shooting ... [One person] was taken to the hospital" = 1), unless the group's sentence says "other", "also".
    """
    stated = _stated_groups(parts, names, keep)
    groups = stated or _stated_one(text, parts, names, keep, spans_of)
    if len(groups) != 1:
        return set()
    group = groups[0]
    after = min(sentences[group])
    group_head = _head_word(text, *spans_of[group][0])

    def said(i: int) -> list[str]:
        return [text[starts[w - 1]:starts[w] if w < len(starts) else len(text)] for w in sentences[i]]

    group_start = min(s for s, _ in spans_of[group])
    # a person told before the group: only a group of one, which then says nothing of another ("One other person")
    may_precede = not stated and not any(_MORE.search(x) for x in said(group))
    found = set()
    for i, ((c, _), n, d, k) in enumerate(zip(parts, names, described, keep, strict=True)):
        if not k or n or not d or c is None or c.count != 1:
            continue
        if min(s for s, _ in spans_of[i]) < group_start:
            if not may_precede:
                continue
        elif min(sentences[i]) <= after:
            continue
        if not any(_one_of(text[s:e], group_head) for s, e in spans_of[i]):
            continue  # a person told by role ("[two state officials] ... [a person]") may be someone else
        if any(_MORE.search(x) for x in said(i)):
            continue
        found.add(i)
    return found if len(found) <= (group_size(parts[group][0]) or 1) else set()


_ONE = re.compile(r"^\s*(?:one|1)\s+(?:person|individual|victim)\s*$", re.IGNORECASE)


def _stated_one(text: str, parts: Sequence[tuple[Count | None, str]], names: Sequence[bool], keep: Sequence[bool],
                spans_of: Sequence[Sequence[tuple[int, int]]]) -> list[int]:
    """The kept parts that state one person by number and nothing else ("[One person] is critically injured"), a group
    of one that a later description by age or sex tells again ("A 25-year-old man was shot once")."""
    return [i for i, ((c, _), n, k) in enumerate(zip(parts, names, keep, strict=True))
            if k and not n and c is not None and c.count == 1 and any(_ONE.match(text[a:b]) for a, b in spans_of[i])]
