"""``model/members.py``: which casualty parts are members of a stated group (behaviour through
``casualties_from_spans`` is in test_casualties.py)."""

from __future__ import annotations

import incidex.model.members as members
import pytest
from incidex.model.counts import Count
from incidex.model.members import group_size, restated, sentence_starts

from tests.conftest import run_doctests


def test_doctests() -> None:
    run_doctests(members)


@pytest.mark.parametrize("before, words, size, expected", [
    ("They died at once. Two of her DAS bodyguards, ", {"her", "bodyguards"}, 2, 2),
    ("The two officers, ", {"two", "police", "officers"}, 2, 2),
    ("Two of the soldiers, ", {"three", "soldiers"}, 3, 2),  # two of the three
    ("Police said the officers, ", {"officers"}, 3, 3),  # no number: the whole group
    ("Four of the soldiers, ", {"three", "soldiers"}, 3, None),  # more than the group holds
    ("The soldiers' wives, ", {"soldiers"}, 3, None),  # another noun
    ("Two of her DAS bodyguards ", {"bodyguards"}, 2, None),  # no comma: no apposition
])
def test_restated(before: str, words: set[str], size: int, expected: int | None) -> None:
    assert restated(before, words, size) == expected


def test_group_size_and_sentences() -> None:
    assert group_size(Count(5, 5, 5)) == 5
    assert group_size(Count(1, 1, 1)) is None  # one person is not a group
    assert group_size(Count(None, 2, None)) is None  # "soldiers": no exact number
    assert group_size(None) is None
    text = "Two died. One was hurt."
    assert [text[s:s + 3] for s in sentence_starts(text)] == ["Two", "One"]


@pytest.mark.parametrize("text, phrases, expected", [
    # SATP dev lines 69 and 83: the names listed after "identified as" are the group's people, whichever the tagger found
    ("Three persons, identified as Jehanzeb, Shenay and Saifur Rehman were killed in a roadside bomb blast.",
     ["Three persons", "Saifur Rehman"], 3),
    ("Two people, identified as Zeshan and Bilal, were killed and one was injured when assailants fired.",
     ["Two people", "Bilal"], 2),
    ("Two men, identified as John Smith, 25, and Joe Doe, 30, were killed.", ["Two men", "John Smith", "Joe Doe"], 2),
    # more names than the group states, or a name told apart, are other people
    ("Two men, identified as Al Roe, Jim Doe and Bo Poe, were killed.", ["Two men", "Al Roe", "Jim Doe", "Bo Poe"], 5),
    ("Two men were killed and Joe Doe was shot dead later.", ["Two men", "Joe Doe"], 3),
    # lower-case words after "identified as" are no list of names
    ("Two men, identified as suspects by the police, and Joe Doe were killed.", ["Two men", "Joe Doe"], 3),
])
def test_names_identified_after_a_group_are_its_people(text: str, phrases: list[str], expected: int) -> None:
    from incidex.model.inference import facts_from_spans

    spans = [{"label": "KILLED", "start": text.index(p), "end": text.index(p) + len(p), "text": p} for p in phrases]
    assert facts_from_spans(text, spans, {"KILLED": "killed"})["casualties"]["killed"]["count"] == expected
