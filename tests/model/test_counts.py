"""Tests for model.counts: head counts read from phrases, names, and never raising (a span in its text:
test_span_counts.py)."""

from __future__ import annotations

import incidex.model.counts as counts
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from incidex.model.counts import Count, is_name, parse_count

from tests.conftest import run_doctests

N = None
# phrase -> (count, min, max), or None when the phrase states no number. Checked as written, lower and UPPER.
CASES: list[tuple[str, tuple[int | None, int | None, int | None] | None]] = [
    # exact numbers
    ("30", (30, 30, 30)),
    ("30 civilians", (30, 30, 30)),
    ("thirty", (30, 30, 30)),
    ("thirty peasants", (30, 30, 30)),
    ("twenty-five", (25, 25, 25)),
    ("twenty five soldiers", (25, 25, 25)),
    ("1,200", (1200, 1200, 1200)),
    ("1,200 people", (1200, 1200, 1200)),
    ("12", (12, 12, 12)),
    ("a hundred", (100, 100, 100)),
    ("two hundred villagers", (200, 200, 200)),
    ("one hundred and twenty", (120, 120, 120)),
    ("a hundred and twenty-five people", (125, 125, 125)),
    ("three thousand", (3000, 3000, 3000)),
    ("twin 5-year-old girls", (2, 2, 2)),  # local news: "twin 2-year-old boys"
    ("1.5 million", (1_500_000, 1_500_000, 1_500_000)),
    ("a dozen", (12, 12, 12)),
    ("a dozen soldiers", (12, 12, 12)),
    ("two dozen", (24, 24, 24)),
    ("half a dozen policemen", (6, 6, 6)),
    ("eleven", (11, 11, 11)),
    ("ninety-nine", (99, 99, 99)),
    ("all 43 passengers", (43, 43, 43)),
    ("the two pilots", (2, 2, 2)),
    ("12 of the passengers", (12, 12, 12)),
    ("one of the guards", (1, 1, 1)),
    ("both soldiers", (2, 2, 2)),
    ("a family of five", (5, 5, 5)),
    # lower bounds
    ("at least 30", (N, 30, N)),
    ("at least 30 civilians", (N, 30, N)),
    ("no fewer than 12 people", (N, 12, N)),
    ("not less than 20 soldiers", (N, 20, N)),
    ("more than a dozen", (N, 13, N)),
    ("more than 100 people", (N, 101, N)),
    ("over 50 soldiers", (N, 51, N)),
    ("upwards of 40 people", (N, 41, N)),
    ("30 or more", (N, 30, N)),
    ("40-odd villagers", (N, 40, N)),
    # upper bounds
    ("nearly 40", (N, N, 39)),
    ("almost forty people", (N, N, 39)),
    ("fewer than 10", (N, N, 9)),
    ("less than twenty", (N, N, 19)),
    ("up to 10", (N, N, 10)),
    ("as many as 25 peasants", (N, N, 25)),
    ("no more than 5 people", (N, N, 5)),
    # approximate
    ("about 40", (40, N, N)),
    ("some 40 people", (40, N, N)),
    ("around 200 students", (200, N, N)),
    ("approximately 15 soldiers", (15, N, N)),
    ("an estimated 300 people", (300, N, N)),
    ("a couple of soldiers", (2, N, N)),
    # ranges
    ("between 5 and 8", (N, 5, 8)),
    ("between five and eight people", (N, 5, 8)),
    ("5 to 8 soldiers", (N, 5, 8)),
    ("from 10 to 15", (N, 10, 15)),
    ("7 - 10", (N, 7, 10)),
    ("5-8 people", (N, 5, 8)),
    ("30-40 people", (N, 30, 40)),
    ("two or three policemen", (N, 2, 3)),
    ("one or two", (N, 1, 2)),
    # vague
    ("several", (N, 2, N)),
    ("several U.S. service members", (N, 2, N)),
    ("dozens", (N, 24, N)),
    ("dozens of civilians", (N, 24, N)),
    ("hundreds of people", (N, 200, N)),
    ("thousands", (N, 2000, N)),
    ("tens of thousands of people", (N, 20_000, N)),
    ("scores of villagers", (N, 40, N)),
    ("a few", (N, 2, N)),
    ("a few soldiers", (N, 2, N)),
    ("several dozen", (N, 24, N)),
    ("a number of journalists", (N, 2, N)),
    ("many people", (N, 2, N)),
    ("numerous civilians", (N, 2, N)),
    # zero
    ("no one", (0, 0, 0)),
    ("nobody", (0, 0, 0)),
    ("none of the passengers", (0, 0, 0)),
    ("no casualties", (0, 0, 0)),
    ("not a single soldier", (0, 0, 0)),
    # singular without a number
    ("a soldier", (1, 1, 1)),
    ("an American", (1, 1, 1)),
    ("an official", (1, 1, 1)),
    ("the mayor", (1, 1, 1)),
    ("a police officer", (1, 1, 1)),
    ("one U.S. civilian contractor", (1, 1, 1)),
    ("a 12-year-old boy", (1, 1, 1)),
    # an age said as a noun, or a phrase the tagger cut before its head ("[18-year-old] woman"): one person
    ("12-year-old", (1, 1, 1)),
    ("the 5-month-old", (1, 1, 1)),
    ("17-year-olds", (None, 2, None)),
    ("two 17-year-olds", (2, 2, 2)),
    ("a 1st lieutenant", (1, 1, 1)),
    ("his wife", (1, 1, 1)),
    ("the driver of the bus", (1, 1, 1)),
    ("the leader of 30 peasants", (1, 1, 1)),
    ("the U.S. ambassador", (1, 1, 1)),
    ("judge Hector Larios", (1, 1, 1)),
    ("Father Ignacio Ellacuria", (1, 1, 1)),
    ("he", (1, 1, 1)),
    ("woman", (1, 1, 1)),
    # plural without a number
    ("people", (N, 2, N)),
    ("civilians", (N, 2, N)),
    ("peasants", (N, 2, N)),
    ("the passengers", (N, 2, N)),
    ("policemen", (N, 2, N)),
    ("members of the family", (N, 2, N)),
    ("the police", (N, 2, N)),
    ("children", (N, 2, N)),
    # coordination, apposition, clauses
    ("two children and their mother", (3, 3, 3)),
    ("three soldiers and a policeman", (4, 4, 4)),
    ("the mayor, his wife and their two sons", (4, 4, 4)),
    ("a man and a woman", (2, 2, 2)),
    ("husband and wife", (2, 2, 2)),
    ("three soldiers as well as two policemen", (5, 5, 5)),
    ("three soldiers and several civilians", (N, 5, N)),
    ("two soldiers and up to 4 policemen", (N, 2, 6)),
    ("men, women and children", (N, 6, N)),
    ("salvadoran and american soldiers", (N, 2, N)),
    ("30 people, including 12 children", (30, 30, 30)),
    ("three soldiers, two of whom were officers", (3, 3, 3)),
    ("the mayor (a judge)", (1, 1, 1)),
    ("Juan Perez, a judge", (1, 1, 1)),
    # no number stated, not head counts, garbage
    ("", None),
    ("   ", None),
    ("!!!", None),
    ("?!@#$%^&*", None),
    ("xyzzy", None),
    ("they", None),
    ("them", None),
    ("in 1989", None),
    ("30 percent", None),
    ("2.5", None),
    ("99999999999999999999999", None),
    ("----", None),
    # a code of letters, hyphen and digits is a name (a road, a rifle, a jet), never a count
    ("I-70", None),
    ("the AK-47", None),
    ("three AK-47s", (3, 3, 3)),
]


@pytest.mark.parametrize("case", [str, str.lower, str.upper], ids=["as-is", "lower", "upper"])
@pytest.mark.parametrize(("phrase", "expected"), CASES, ids=[c[0] or "<empty>" for c in CASES])
def test_parse_count(phrase: str, expected: tuple[int | None, int | None, int | None] | None, case) -> None:
    got = parse_count(case(phrase))
    assert (None if got is None else (got.count, got.min, got.max)) == expected


def test_count_to_dict_and_frozen() -> None:
    c = Count(3, 3, 3)
    assert c.to_dict() == {"count": 3, "min": 3, "max": 3}
    with pytest.raises(AttributeError):
        c.count = 4  # type: ignore[misc]


def test_proper_names_count_one() -> None:
    # a capitalised name is one person, in Title Case and in all caps; lower case cannot be told from nouns
    assert parse_count("Hector Larios") == Count(1, 1, 1)
    assert parse_count("HECTOR LARIOS") == Count(1, 1, 1)
    assert parse_count("hector larios") is None
    assert parse_count("Hector Larios and his wife") == Count(2, 2, 2)
    assert parse_count("HECTOR LARIOS AND HIS WIFE") == Count(2, 2, 2)
    assert parse_count("JUDGE HECTOR LARIOS") == Count(1, 1, 1)
    assert parse_count("ANTIOQUIA DEPARTMENT GOVERNOR") == Count(1, 1, 1)  # a title as head
    assert parse_count("Bolton") == Count(1, 1, 1)  # one Title Case word in mixed case
    # plural heads and measures stay what they are
    assert parse_count("UNARMED PEASANTS") == Count(None, 2, None)
    assert parse_count("Soldiers") == Count(None, 2, None)
    assert parse_count("BOLTON") is None
    assert parse_count("12-YEAR-OLD") == Count(1, 1, 1)  # an age said as a noun: one person, not a name


def test_an_age_after_a_name_is_no_count() -> None:
    # digests whose punctuation was lost write the age straight after the name ("Aju 40 was shot dead")
    assert parse_count("Aju 40") == Count(1, 1, 1)
    assert parse_count("Manzur Hossain 28") == Count(1, 1, 1)
    assert parse_count("Dharmendra Kumar alias Aju 40") == Count(1, 1, 1)  # one man under two names
    assert parse_count("the 40") == Count(40, 40, 40)  # a number after a determiner still counts
    assert parse_count("Another 17") == Count(17, 17, 17)
    assert parse_count("Nearly 30") == Count(None, None, 29)  # a qualifier, not a name
    assert parse_count("PEDRO 40") == Count(40, 40, 40)  # all caps: a name cannot be told, nothing read


@pytest.mark.parametrize("bad", [None, 30, b"thirty", ["30"]])
def test_parse_count_non_string(bad: object) -> None:
    assert parse_count(bad) is None  # type: ignore[arg-type]


def check_count(c: Count | None) -> None:
    if c is None:
        return
    assert isinstance(c, Count)
    for value in (c.count, c.min, c.max):
        assert value is None or (isinstance(value, int) and value >= 0)
    if c.min is not None and c.max is not None:
        assert c.min <= c.max
    if c.count is not None:
        assert c.min is None or c.min <= c.count
        assert c.max is None or c.count <= c.max


VOCAB = ["at", "least", "more", "than", "nearly", "up", "to", "about", "some", "between", "and", "or", "a", "an",
         "the", "dozen", "dozens", "hundred", "hundreds", "thousand", "of", "tens", "several", "few", "no", "one",
         "two", "twenty", "five", "thirty", "1,200", "30", "7", "-", "+", ",", "(", ")", "soldiers", "mayor",
         "his", "wife", "people", "year", "old", "plus", "more", "fewer", "less", "under", "over", "half", "both",
         "including", "who", "JUDGE", "Hector", "Larios", "they", "KILLED", "1989", "January", "couple", "score"]
phrases = st.one_of(st.text(max_size=80), st.lists(st.sampled_from(VOCAB), max_size=14).map(" ".join))


@settings(max_examples=400, deadline=None)
@given(phrases)
def test_parse_count_never_raises_and_is_consistent(phrase: str) -> None:
    check_count(parse_count(phrase))
    check_count(parse_count(phrase.upper()))


def test_is_name_tells_names_from_descriptions():
    names = ["ROBERTO GARCIA ALVARADO", "Joseph Perkins Jr", "JUDGE MARIA ELENA DIAZ PEREZ", "Hector Roberts",
             "Bolton", "Ms. Smith"]
    descriptions = ["ATTORNEY GENERAL", "a 29-year-old man", "MR.", "UP LEADER", "Police Officers", "PEASANTS",
                    "THIRD JUDGE OF PUBLIC ORDER", "he", "two soldiers"]
    assert [p for p in names if not is_name(p)] == []
    assert [p for p in descriptions if is_name(p)] == []


def test_doctests() -> None:
    run_doctests(counts)


@pytest.mark.parametrize("phrase, expected", [
    # a role, then a name (SATP dev line 144: "killing [Hindu priest Shymananda] Das 62" had no count)
    ("Hindu priest Shymananda", 1),
    ("journalist Ram Singh", 1),
    ("a farmer Rajesh", 1),
    ("the journalists", None),  # a plural stays a plural (min 2)
])
def test_a_role_then_a_name_is_one_person(phrase: str, expected: int | None) -> None:
    assert parse_count(phrase).count == expected


@pytest.mark.parametrize("phrase, expected", [
    # the number after "battalion" is a label, and its tail ("hundred") is no count of its own either
    ("battalion two hundred soldiers", Count(None, 2, None)),
    ("flight one hundred passengers", Count(None, 2, None)),
    # while a number not guarded is read whole, however long
    ("two hundred and five soldiers", Count(205, 205, 205)),
])
def test_the_tail_of_a_guarded_number_is_no_number(phrase: str, expected: Count) -> None:
    assert parse_count(phrase) == expected
