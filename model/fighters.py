"""The perpetrators' dead, apart from the victims: GTD's nkillter (``casualties``' ``perpetrators_killed``).

MUC-4's keys and GVDB's victim lists count victims; GTD's nkill and ACLED's fatalities count everyone killed. The
tagger, trained on corpora that count victims, tags fighters' deaths now as killed ("[three militants] were killed
in the encounter"), now as perpetrators ("Two policemen and [two militants] were killed"), or not at all:
:func:`perpetrators_dead` sorts them out of the killed entities and into ``"perpetrators_killed"``, which
``casualties.casualties_from_spans`` counts as it counts the victims. English, standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from .counts import is_number, is_pronoun
from .cues import dies_itself, is_combatant
from .members import group_size
from .stated import stated_combatant_deaths

_PERPETRATOR_ROLES = ("perpetrator_individual", "perpetrator_organization")
_NEXT_WORDS = re.compile(r"(?:\s+[\w'’-]+){1,2}")
_DEFINITE = re.compile(r"\s*(?:the|these|those)\s+", re.IGNORECASE)
_PARTITIVE = re.compile(r"\s*\w+\s+of\s+(?:the|them|those|these|our|their|his)\b", re.IGNORECASE)


def _names_fighters(text: str, start: int, end: int) -> bool:
    """A killed mention of attackers or fighters (``cues.is_combatant``): its own words, or a bare number the tagger
    cut off its noun ("[Three] militants were killed")."""
    phrase = text[start:end]
    if is_combatant(phrase):
        return True
    following = _NEXT_WORDS.match(text, end)
    return bool(is_number(phrase) and following and is_combatant(following.group()))


def perpetrators_dead(text: str, entities: Mapping[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """``entities`` with the perpetrators' dead apart, under ``"perpetrators_killed"`` (GTD's nkillter). MUC-4's keys
    and GVDB count victims only; GTD's nkill and ACLED's fatalities are ``killed`` + ``perpetrators_killed``
    (:func:`total_killed`). The perpetrators' dead are:

    * in a report whose perpetrators are attackers or fighters (a perpetrator mention of ``cues.is_combatant``),
      the killed entities whose every mention names such people (``_names_fighters``: "[three militants] were
      killed in the encounter"); "a drone strike killed [four suspected militants]" keeps them as its victims;
    * the mentions of a perpetrator entity that names fighters stated to die ("In retaliation, the Police killed
      [two militants]", ``cues.dies_itself``; the tagger calls victims perpetrators too: "[male], died");
    * a counted phrase of fighters stated to die that no span holds ("[Four militants] were killed in an
      encounter", ``stated.stated_combatant_deaths``);

    but not a perpetrator mention that is the rest of a killed mention the tagger cut off ("[Three] [militants] were
    killed"), nor a group told again: "[one of the fidayeen]" beside "[four attackers]", "[the militant]" after "[One
    militant] was killed", "[the three Pakistani militants]" after "[Three militants]".

    >>> t = "Two policemen and two militants were killed in an exchange of fire."
    >>> # the tagger took the militants for perpetrators: they died, so they are the perpetrators' dead
    >>> ents = {"killed": [{"label": "KILLED", "text": "Two policemen", "mentions": [{"start": 0, "end": 13}]}],
    ...         "perpetrator_individual": [{"label": "PERP", "text": "two militants",
    ...                                     "mentions": [{"start": 18, "end": 31}]}]}
    >>> [e["text"] for e in perpetrators_dead(t, ents)["perpetrators_killed"]]
    ['two militants']
    """
    killed_ends = {m["end"] for ent in entities.get("killed", []) for m in ent["mentions"]}

    def cut_off(m: Mapping[str, Any]) -> bool:  # "[Three] [militants]": one phrase the tagger cut in two
        return any(end < m["start"] and text[end:m["start"]].isspace() for end in killed_ends)

    perpetrators = [m for role in _PERPETRATOR_ROLES for ent in entities.get(role, []) for m in ent["mentions"]]
    fighting = any(is_combatant(text[m["start"]:m["end"]]) and not cut_off(m) for m in perpetrators)
    victims: list[dict[str, Any]] = []
    fallen: list[dict[str, Any]] = []
    for ent in entities.get("killed", []):
        said = [m for m in ent["mentions"] if not is_pronoun(text[m["start"]:m["end"]])]
        fighters = fighting and bool(said) and all(_names_fighters(text, m["start"], m["end"]) for m in said)
        (fallen if fighters else victims).append(ent)
    for role in _PERPETRATOR_ROLES:
        for ent in entities.get(role, []):
            dead = [m for m in ent["mentions"] if is_combatant(text[m["start"]:m["end"]]) and not cut_off(m)
                    and dies_itself(text, m["start"], m["end"])]
            if dead:
                fallen.append({**ent, "mentions": dead})
    # the tagger, trained on corpora that count victims, leaves fighters' deaths out; they are not made spans (MUC-4's
    # keys and GRIT's gold have no such filler)
    taken = [(m["start"], m["end"]) for ents in entities.values() for ent in ents for m in ent["mentions"]]
    fallen += [{"label": None, "text": text[start:end], "mentions": [{"start": start, "end": end, "text": text[start:end]}]}
               for start, end in stated_combatant_deaths(text) if not any(a < end and start < b for a, b in taken)]
    fallen = [ent for ent in fallen if not _told_again(text, ent, fallen)]
    fallen.sort(key=lambda e: e["mentions"][0]["start"])
    return {**entities, "killed": victims, "perpetrators_killed": fallen}


def _told_again(text: str, ent: Mapping[str, Any], others: Sequence[Mapping[str, Any]]) -> bool:
    """Whether every mention of ``ent`` refers to a group another entity of ``others`` tells: a partitive ("one of the
    fidayeen") or a definite phrase ("the militant"; "the three militants" only where another tells three)."""
    from .casualties import entity_count  # casualties counts with this module's entities

    def told(m: Mapping[str, Any]) -> bool:
        phrase = text[m["start"]:m["end"]]
        return bool(_PARTITIVE.match(phrase) or _DEFINITE.match(phrase))

    def size(e: Mapping[str, Any]) -> int | None:
        return group_size(entity_count(text, [(m["start"], m["end"]) for m in e["mentions"]]))

    def counted(m: Mapping[str, Any]) -> bool:  # "the three militants": a definite phrase that states its number
        phrase = text[m["start"]:m["end"]]
        article = _DEFINITE.match(phrase)
        words = phrase[article.end():].split() if article else []
        return bool(words) and is_number(words[0])

    if not all(told(m) for m in ent["mentions"]):
        return False
    tellers = [o for o in others if o is not ent and not all(told(m) for m in o["mentions"])]
    numbered = [m for m in ent["mentions"] if counted(m)]
    own = size({"mentions": numbered[:1]}) if numbered else None
    return bool(tellers) and (own is None or any(size(o) == own for o in tellers))
