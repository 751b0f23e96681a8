"""The perpetrators' dead apart from the victims (``model/fighters.py``), counted by ``casualties_from_spans``."""

import pytest
from incidex.model import fighters
from incidex.model.casualties import casualties_from_spans, total_killed
from incidex.model.cues import is_combatant

from tests.conftest import run_doctests
from tests.model.test_casualties import spans_for

# The perpetrators' dead apart (``perpetrators_dead``): GTD's nkillter; ``total_killed`` is nkill (ACLED's fatalities).
# (text, [(part, label)], killed count, perpetrators_killed count, total_killed count)
PERPETRATOR_CASES = [
    # the tagger took the dead militants for perpetrators: they died, so they are the perpetrators' dead
    ("Two policemen and two militants were killed in an exchange of fire.",
     [("Two policemen", "KILLED"), ("two militants", "PERP_INDIVIDUAL")], 2, 2, 4),
    # a drone strike's dead fighters are its victims: no perpetrator in the report is a fighter
    ("A drone strike killed four suspected militants on Tuesday.", [("four suspected militants", "KILLED")], 4, None, 4),
    # killed fighters in a report whose perpetrators are fighters leave the victims
    ("Three militants were killed in an encounter. Police said the militants had crossed the border.",
     [("Three militants", "KILLED"), ("the militants", "PERP_INDIVIDUAL")], None, 3, 3),
    # no span holds them: stated fighters' deaths
    ("Four militants were killed in an encounter with the police on Monday.", [], None, 4, 4),
    # an active verb after the perpetrators is their deed, not their death
    ("Suspected Maoist insurgents shot dead two police constables at a market.",
     [("Suspected Maoist insurgents", "PERP_INDIVIDUAL"), ("two police constables", "KILLED")], 2, None, 2),
    # "[Three] [militants]": one phrase the tagger cut in two counts once
    ("Three militants were killed and the gunmen fled.",
     [("Three", "KILLED"), ("militants", "PERP_INDIVIDUAL"), ("the gunmen", "PERP_INDIVIDUAL")], None, 3, 3),
    # one of a group told, and a definite reference back, add nothing
    ("All four attackers were killed. One of the attackers was shot dead by a constable; the gunmen carried rifles.",
     [("four attackers", "KILLED"), ("One of the attackers", "PERP_INDIVIDUAL"), ("the gunmen", "PERP_INDIVIDUAL")],
     None, 4, 4),
    ("One militant was killed in an encounter. The militant was killed after a gun battle.",
     [("The militant", "PERP_INDIVIDUAL")], None, 1, 1),
    # US local news: the shooter killed by police
    ("The suspect was shot dead by police after he killed two people.",
     [("The suspect", "PERP_INDIVIDUAL"), ("two people", "KILLED")], 2, 1, 3),
    # a former fighter killed is a victim
    ("A former rebel was killed by gunmen.", [("A former rebel", "KILLED"), ("gunmen", "PERP_INDIVIDUAL")], 1, None, 1),
]


@pytest.mark.parametrize(("text", "parts", "victims", "fighters", "total"), PERPETRATOR_CASES)
def test_perpetrators_killed_apart_from_victims(text: str, parts: list, victims: int | None, fighters: int | None,
                                               total: int | None) -> None:
    spans = [s for part, label in parts for s in spans_for(text, part, label=label)]
    got = casualties_from_spans(text, spans)
    assert (got["killed"]["count"], got["perpetrators_killed"]["count"], got["total_killed"]["count"]) == \
        (victims, fighters, total)


def test_total_killed_adds_bounds_and_skips_parts_without_a_figure() -> None:
    empty = {"count": None, "min": None, "max": None, "text": None}
    assert total_killed({"killed": empty, "perpetrators_killed": empty}) == empty
    at_least = {"count": None, "min": 10, "max": None, "text": "at least 10 people"}
    two = {"count": 2, "min": 2, "max": 2, "text": "two militants"}
    assert total_killed({"killed": at_least, "perpetrators_killed": two}) == \
        {"count": None, "min": 12, "max": None, "text": "at least 10 people; two militants"}
    assert total_killed({"killed": two}) == two


@pytest.mark.parametrize(("phrase", "expected"), [
    ("two Pakistani militants", True), ("one of the fidayeen", True), ("the suspects", True), ("GUERRILLAS", True),
    ("two soldiers and a militant", False), ("a former rebel", False), ("an ex-militant", False), ("two people", False),
    ("a militant commander", True), (None, False),
])
def test_is_combatant(phrase: object, expected: bool) -> None:
    assert is_combatant(phrase) is expected


def test_doctests() -> None:
    run_doctests(fighters)
