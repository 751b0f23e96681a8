"""Tests for model.span_counts: how many people a span states in its text (a number left of it, a bare number's
context, a surname)."""

from __future__ import annotations

import incidex.model.span_counts as span_counts
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from incidex.model.counts import Count
from incidex.model.span_counts import number_near, told_as_surname

from tests.conftest import run_doctests

from .test_counts import check_count, phrases


def test_doctests() -> None:
    run_doctests(span_counts)


def test_number_near_directly() -> None:
    text = "THE ARMY KILLED 50 PEASANTS"
    assert number_near(text, text.index("PEASANTS"), len(text)) == Count(50, 50, 50)
    assert number_near(text, 0, 3) is None
    assert number_near("", 0, 0) is None
    assert number_near(text, -5, 999) is None


@pytest.mark.parametrize("text, word, expected", [
    # the size of a place or a population is no count of the span's people
    ("the town of about 14,000 people on the eastern bank was shelled", "people", None),
    ("a city of 2 million residents", "residents", None),
    ("the village of two hundred and five families fled", "families", None),  # no "five" read from its tail
    ("a village of an estimated 300 families fled", "families", None),
    ("the camp, home to 5,000 refugees, was hit", "refugees", None),
    # while a group, a qualifier or a partitive still counts
    ("a group of 30 people were wounded", "people", Count(30, 30, 30)),
    ("shelling killed about 14 people", "people", Count(14, None, None)),
    ("the town's 14 residents were killed", "residents", Count(14, 14, 14)),
])
def test_number_near_skips_the_size_of_a_place(text: str, word: str, expected: Count | None) -> None:
    assert number_near(text, text.index(word), text.index(word) + len(word)) == expected


def test_a_place_size_is_no_count_where_the_number_is_the_span_too() -> None:
    """The guard is ``counts._guarded``'s, so a span that is only the number reads it as a place's size as well."""
    from incidex.model.span_counts import span_count

    text = "the town of about 14,000 was shelled; 3 were wounded"
    assert span_count(text, text.index("14,000"), text.index("14,000") + 6)[0] is None
    assert span_count(text, text.index("3 were"), text.index("3 were") + 1)[0] == Count(3, 3, 3)


@settings(max_examples=200, deadline=None)
@given(phrases, st.integers(-5, 200), st.integers(-5, 200))
def test_number_near_never_raises(text: str, start: int, end: int) -> None:
    check_count(number_near(text, start, end))


@pytest.mark.parametrize("text, word, expected", [
    # a surname told after a given name or a title inside a sentence is one person
    ("Family members said Aaron Williams, 26, loved his daughter. Williams died Wednesday.", "Williams", True),
    ("Police said Sgt. Hastings was shot. Hastings died later.", "Hastings", True),
    ("Police said Col. Hastings was shot. Hastings died later.", "Hastings", True),  # any title of counts._TITLES
    ("He passed St. Hastings on foot. Hastings is a church.", "Hastings", False),  # "St." is no title
    # a plural, a headline's Title Case, a number or a month before it: not a surname
    ("Soldiers died. Two Soldiers Killed in Attack", "Soldiers", False),
    ("Local Residents Shot. Residents said they heard shots.", "Residents", False),
    ("Jesuit priests were killed on Thursday. Civilians died too.", "Civilians", False),
    ("williams died", "williams", False),
])
def test_told_as_surname(text: str, word: str, expected: bool) -> None:
    start = text.rindex(word)
    assert told_as_surname(text, start, start + len(word)) is expected


def test_a_surname_alone_counts_one() -> None:
    from incidex.model.casualties import casualties_from_spans

    text = "Family members told WLKY that Aaron Williams, 26, lived for his daughter. Williams died Wednesday night."
    start = text.rindex("Williams")
    killed = casualties_from_spans(text, [{"start": start, "end": start + 8, "label": "KILLED"}])["killed"]
    assert (killed["count"], killed["min"], killed["max"]) == (1, 1, 1)  # was "at least 2": read as a plural


def test_a_road_code_is_no_count() -> None:
    from incidex.model.casualties import casualties_from_spans

    # the tagger marked the road; "I-70" was read as 70 wounded
    text = "Police say a woman was shot in both feet along eastbound I-70 near Union."
    start = text.index("I-70")
    wounded = casualties_from_spans(text, [{"start": start, "end": start + 4, "label": "WOUNDED"}])["wounded"]
    assert wounded["count"] is None and wounded["min"] != 70


@pytest.mark.parametrize("text, number, expected", [
    # the number of a station, channel or road is no count (gvdb-9757: "told FOX [17]" was 17 wounded)
    ("A manager told FOX 17 the clerk saved his own life.", "17", None),
    ("Police told Channel 4 that the clerk was hurt.", "4", None),
    ("The bus was hit on Route 9 near the town.", "9", None),
    # a count after a verb, or in a headline in capitals or in Title Case, stays one
    ("The gunman fled after wounding 17 at the mall.", "17", 17),
    ("SHOOTING LEAVES 3 HURT\n\nThree people were hurt.", "3", 3),
    ("Gunmen Wound 3 At Party", "3", 3),
    ("the FBI said 3 were hurt", "3", 3),
    # an age in brackets after a name (SATP dev line 104: "[A man]" and "[50]" were 51 killed)
    ("A man, identified as Meskin Awan (50), was wounded in a grenade attack.", "50", None),
    ("Police said the number of people wounded (50) was rising.", "50", 50),
])
def test_a_brand_or_road_number_is_no_count(text: str, number: str, expected: int | None) -> None:
    from incidex.model.casualties import casualties_from_spans

    start = text.index(number)
    wounded = casualties_from_spans(text, [{"start": start, "end": start + len(number), "label": "WOUNDED"}])["wounded"]
    assert wounded["count"] == expected
