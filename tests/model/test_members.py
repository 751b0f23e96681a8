"""``model/members.py``: which casualty parts are members of a stated group (behaviour through
``casualties_from_spans`` is in test_casualties.py)."""

from __future__ import annotations

import doctest

import incidex.model.members as members
import pytest
from incidex.model.counts import Count
from incidex.model.members import group_size, restated, sentence_starts


def test_doctests() -> None:
    assert doctest.testmod(members).failed == 0


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
