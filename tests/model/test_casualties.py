"""Tests for model.casualties: incident-level counts from spans (entities, tolls, background), never raising."""

from __future__ import annotations

import incidex.model.casualties as casualties
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from incidex.model.casualties import casualties_from_spans, is_toll
from incidex.model.counts import Count

from tests.conftest import run_doctests

from .test_counts import N, check_count, phrases


def spans_for(text: str, *parts: str, label: str = "KILLED") -> list[dict]:
    """Spans over the first occurrence of each part (searching on from the previous one)."""
    out, pos = [], 0
    for part in parts:
        start = text.index(part, pos)
        out.append({"start": start, "end": start + len(part), "label": label})
        pos = start + len(part)
    return out


def killed(text: str, *parts: str) -> dict:
    return casualties_from_spans(text, spans_for(text, *parts))["killed"]


NEAR_CASES = [
    ("TERRORISTS KILLED 50 PEASANTS IN THE VILLAGE", "PEASANTS", (50, 50, 50)),
    ("terrorists killed 50 peasants in the village", "peasants", (50, 50, 50)),
    ("At least 30 civilians were killed.", "civilians", (N, 30, N)),
    ("AT LEAST 30 CIVILIANS WERE KILLED.", "CIVILIANS", (N, 30, N)),
    ("At least 30 civilians were killed.", "30 civilians", (N, 30, N)),
    ("The bomb exploded, killing 12 of the passengers.", "passengers", (12, 12, 12)),
    ("The bomb exploded, killing 12 of the passengers.", "the passengers", (12, 12, 12)),
    ("GUERRILLAS KILLED AT LEAST 30 UNARMED PEASANTS", "PEASANTS", (N, 30, N)),
    ("Rebels killed more than a dozen villagers", "villagers", (N, 13, N)),
    ("the army killed dozens of civilians", "civilians", (N, 24, N)),
    ("the army killed two or three guerrillas", "guerrillas", (N, 2, 3)),
    ("guerrillas killed a civilian", "civilian", (1, 1, 1)),
    # the number belongs to another phrase, a date or a year: not taken
    ("KILLED 3 SOLDIERS AND A POLICEMAN", "POLICEMAN", (1, 1, 1)),
    ("KILLED 3 SOLDIERS AND 2 POLICEMEN", "POLICEMEN", (2, 2, 2)),
    ("DURING 1989 SOLDIERS KILLED PEASANTS", "PEASANTS", (N, 2, N)),  # ("in 1989" would date it: background)
    ("ON JANUARY 12 PEASANTS WERE KILLED", "PEASANTS", (N, 2, N)),
    ("There were 5. Peasants were killed", "Peasants", (N, 2, N)),
    ("a 12-year-old boy was killed", "boy", (1, 1, 1)),
    ("30 soldiers killed peasants", "peasants", (N, 2, N)),
]


@pytest.mark.parametrize(("text", "span", "expected"), NEAR_CASES)
def test_number_left_of_span(text: str, span: str, expected: tuple) -> None:
    got = killed(text, span)
    assert (got["count"], got["min"], got["max"]) == expected
    assert got["text"] == span


def test_repeated_spans_count_once() -> None:
    text = "A soldier died. Later the soldier's wife said a Soldier was shot. A SOLDIER."
    got = killed(text, "A soldier", "a Soldier", "A SOLDIER")
    assert got == {"count": 1, "min": 1, "max": 1, "text": "A soldier"}


def test_a_bare_number_that_is_an_age_a_time_or_a_height_is_not_a_count() -> None:
    text = "Two men were wounded. The men, ages 41 and 45, were shot."
    assert killed(text, "Two men", "45")["count"] == 2
    text = "Police named Alexander Shaw, age 22, as the man killed."
    assert killed(text, "Alexander Shaw", "22")["count"] == 1
    text = "UPDATE (11:15 A.M.): A man was killed. The suspect is 5'8\" tall."
    assert killed(text, "15", "A man", "8")["count"] == 1
    text = "A man was killed. Call 209-538-5616 with information."
    assert killed(text, "A man", "209-538-5616")["count"] == 1  # a telephone number
    text = "A man was killed. The gang has killed since 2019 in the city."
    assert killed(text, "A man", "2019")["count"] == 1  # a year
    text = "Tennessee boy, 7, killed in a parked car. His 7-year-old brother was shot by a sibling."
    assert killed(text, "7", "His 7-year-old brother")["count"] == 1  # an age in apposition
    text = "The attack left 3 killed, 12 wounded."
    assert killed(text, "3")["count"] == 3
    text = "Gunmen killed 15 on Monday and 3 more on Tuesday."
    assert killed(text, "15", "3")["count"] == 18  # a bare number is still a count where nothing says otherwise
    text = "The man was armed with three rifles. A 21-year-old man was shot and killed by police."
    assert killed(text, "three", "A 21-year-old man")["count"] == 1  # a number of things (gvdb-4001)
    text = "Gunmen killed 2 others on Monday; 3 policemen died later."
    assert killed(text, "2", "3")["count"] == 5  # others, person nouns: people
    text = "Troops killed 30 terrorists and 4 militants."
    assert killed(text, "30", "4")["count"] == 34  # plurals of people the lexicon does not list
    text = "A man was killed. They fired 65 to 75 rounds. Three additional firearms were found."
    assert killed(text, "A man", "65", "75", "Three")["count"] == 1  # a range of things, a word before the things
    text = "Gunmen killed two soldiers and three more civilians."
    assert killed(text, "two", "three")["count"] == 5  # a word before people: still people


def test_distinct_spans_sum() -> None:
    text = "Three soldiers and two policemen died."
    assert killed(text, "Three soldiers", "two policemen") == {
        "count": 5, "min": 5, "max": 5, "text": "Three soldiers; two policemen"}


def test_mixed_known_and_unknown_counts() -> None:
    text = "Three soldiers and several civilians died; nearly 40 people were hurt; up to 4 guards died."
    assert killed(text, "Three soldiers", "several civilians") == {
        "count": None, "min": 5, "max": None, "text": "Three soldiers; several civilians"}
    # a known count contributes to min and max; the max is kept only while every part has one
    assert killed(text, "Three soldiers", "nearly 40 people") == {
        "count": None, "min": 3, "max": 42, "text": "Three soldiers; nearly 40 people"}
    assert killed(text, "Three soldiers", "up to 4 guards")["max"] == 7
    assert killed(text, "several civilians", "up to 4 guards") == {
        "count": None, "min": 2, "max": None, "text": "several civilians; up to 4 guards"}


def test_approximate_parts_keep_an_approximate_total() -> None:
    text = "About 40 people and 3 soldiers died."
    assert killed(text, "About 40 people", "3 soldiers") == {
        "count": 43, "min": None, "max": None, "text": "About 40 people; 3 soldiers"}


def test_nested_span_is_dropped() -> None:
    text = "THREE SOLDIERS WERE KILLED"
    spans = spans_for(text, "THREE SOLDIERS") + spans_for(text, "SOLDIERS")
    assert casualties_from_spans(text, spans)["killed"] == {
        "count": 3, "min": 3, "max": 3, "text": "THREE SOLDIERS"}


def test_unknown_part_leaves_count_unknown() -> None:
    text = "two soldiers and hector larios were killed"
    assert killed(text, "two soldiers", "hector larios") == {
        "count": None, "min": 2, "max": None, "text": "two soldiers; hector larios"}
    assert killed(text, "hector larios") == {"count": None, "min": None, "max": None, "text": "hector larios"}


def test_pronoun_spans_are_not_counted() -> None:
    text = "Three soldiers were shot; they died. Them too."
    got = killed(text, "Three soldiers", "they", "Them")
    # the pronouns join the soldiers' entity: listed once, counted once
    assert got == {"count": 3, "min": 3, "max": 3, "text": "Three soldiers"}
    assert killed(text, "they") == {"count": None, "min": None, "max": None, "text": "they"}


def test_killed_and_wounded_are_separate() -> None:
    text = "The attack killed 5 soldiers and wounded 12 civilians."
    spans = spans_for(text, "5 soldiers") + spans_for(text, "12 civilians", label="WOUNDED")
    spans.append({"start": 0, "end": 10, "label": "PHYSICAL_TARGET"})
    got = casualties_from_spans(text, spans)
    assert got == {"killed": {"count": 5, "min": 5, "max": 5, "text": "5 soldiers"},
                   "wounded": {"count": 12, "min": 12, "max": 12, "text": "12 civilians"},
                   "perpetrators_killed": {"count": None, "min": None, "max": None, "text": None},
                   "total_killed": {"count": 5, "min": 5, "max": 5, "text": "5 soldiers"}}


def test_no_spans_and_malformed_spans() -> None:
    empty = {"count": None, "min": None, "max": None, "text": None}
    nothing = {"killed": empty, "wounded": empty, "perpetrators_killed": empty, "total_killed": empty}
    assert casualties_from_spans("Nothing happened.", []) == nothing
    text = "Two soldiers died."
    bad = [{"start": 0, "end": 99, "label": "KILLED"}, {"start": 5, "end": 2, "label": "KILLED"},
           {"start": "0", "end": 3, "label": "KILLED"}, {"end": 3, "label": "KILLED"}, "not a span",
           {"start": 0, "end": 3, "label": None}, {"start": 0, "end": 12, "label": "VICTIM"}]
    assert casualties_from_spans(text, bad) == nothing
    assert casualties_from_spans(text, [{"start": 0, "end": 12, "label": "killed"}])["killed"]["count"] == 2


def test_doctests() -> None:
    run_doctests(casualties)


span_values = st.one_of(st.integers(-5, 120), st.none(), st.text(max_size=3), st.floats(allow_nan=True))
spans = st.lists(st.one_of(
    st.fixed_dictionaries({"start": st.integers(-5, 120), "end": st.integers(-5, 120),
                           "label": st.sampled_from(["KILLED", "WOUNDED", "killed", "VICTIM", ""])}),
    st.dictionaries(st.sampled_from(["start", "end", "label", "text"]), span_values),
    st.none(), st.integers()), max_size=8)


@settings(max_examples=300, deadline=None)
@given(phrases, spans)
def test_casualties_from_spans_never_raises(text: str, span_list: list) -> None:
    got = casualties_from_spans(text, span_list)
    assert set(got) == {"killed", "wounded", "perpetrators_killed", "total_killed"}
    for kind in got.values():
        assert set(kind) == {"count", "min", "max", "text"}
        check_count(Count(kind["count"], kind["min"], kind["max"]))
        assert kind["text"] is None or isinstance(kind["text"], str)
        if kind["text"] is None:
            assert kind["count"] is kind["min"] is kind["max"] is None


def test_a_bare_plural_beside_a_stated_number_refers_to_the_counted_group():
    t = "Six Jesuit priests were killed on Thursday. The Jesuits had received threats."
    spans = [{"start": 0, "end": 18, "label": "KILLED"}, {"start": 44, "end": 55, "label": "KILLED"}]
    assert casualties_from_spans(t, spans)["killed"]["count"] == 6
    # with no stated number anywhere the plural still says "at least 2", never a guess
    t2 = "Jesuit priests were killed on Thursday. Civilians died too."
    spans2 = [{"start": 0, "end": 14, "label": "KILLED"}, {"start": 40, "end": 49, "label": "KILLED"}]
    k = casualties_from_spans(t2, spans2)["killed"]
    assert k["count"] is None and k["min"] == 4
    # a stated number and a singular add up as before
    t3 = "Two soldiers and a policeman were killed."
    spans3 = [{"start": 0, "end": 12, "label": "KILLED"}, {"start": 17, "end": 28, "label": "KILLED"}]
    assert casualties_from_spans(t3, spans3)["killed"]["count"] == 3


def test_a_description_of_one_person_beside_a_name_is_that_person():
    # MUC-4 TST1-MUC3-0059 pattern: the name and the title are tagged in different sentences
    t = ("ATTORNEY GENERAL ROBERTO GARCIA ALVARADO WAS KILLED TODAY. THE ATTORNEY GENERAL WAS DRIVING HOME. "
         "THE MINISTER CONDEMNED THE MURDER OF THE FOUNDER AND FIRST PRESIDENT OF THE PARTY.")
    spans = spans_for(t, "ROBERTO GARCIA ALVARADO", "ATTORNEY GENERAL", "FOUNDER AND FIRST PRESIDENT")
    k = casualties_from_spans(t, spans)["killed"]
    assert (k["count"], k["min"], k["max"]) == (1, 1, 1)
    # two named victims and their descriptions: two people
    t2 = "Gunmen killed Erika Sullivan and Christopher Anderson. The teacher had arrived in May."
    k2 = casualties_from_spans(t2, spans_for(t2, "Erika Sullivan", "Christopher Anderson", "The teacher"))
    assert k2["killed"]["count"] == 2
    # "another man" is one more person, and numbers still add
    t3 = "Joseph Perkins Jr was killed. Another man and two women also died."
    k3 = casualties_from_spans(t3, spans_for(t3, "Joseph Perkins Jr", "Another man", "two women"))
    assert k3["killed"]["count"] == 4
    # with no name, a description counts as before
    t4 = "A policeman was killed and a soldier died later."
    assert casualties_from_spans(t4, spans_for(t4, "A policeman", "a soldier"))["killed"]["count"] == 2
    # a description followed by another, untagged name is a second person (MUC-4 TST1-MUC3-0011)
    t5 = "THE DEATH OF ORLANDO LETELIER AND HIS U.S. SECRETARY, RONNIE MOFFIT.  THE CASE IS CLOSED."
    assert casualties_from_spans(t5, spans_for(t5, "ORLANDO LETELIER", "U.S. SECRETARY"))["killed"]["count"] == 2
    t6 = "On Monday, gunmen killed Ahmed Ali and his wife, Fatima Hassan, at their home."
    assert casualties_from_spans(t6, spans_for(t6, "Ahmed Ali", "wife"))["killed"]["count"] == 2
    # but not when the description is itself in apposition to the name, or the name is the tagged one
    t7 = "THE MURDER OF BERNARDO JARAMILLO, ITS PRESIDENTIAL CANDIDATE, FORCED IT TO WITHDRAW."
    assert casualties_from_spans(t7, spans_for(t7, "BERNARDO JARAMILLO", "PRESIDENTIAL CANDIDATE"))["killed"]["count"] == 1
    t8 = "Police said the victim, Jane Doe, was shot. Jane Doe died at the scene."
    assert casualties_from_spans(t8, spans_for(t8, "the victim", "Jane Doe"))["killed"]["count"] == 1
    # a word the tagger cut off a description says nothing against it (MUC-4 TST2-MUC4-0019)
    t9 = "THEY CONDEMNED THE MURDER OF NATIONAL FIRE DEPARTMENT DIRECTOR COLONEL ROBERTO ARMANDO RIVERA ESCOBAR."
    k9 = casualties_from_spans(t9, spans_for(t9, "NATIONAL", "FIRE DEPARTMENT DIRECTOR", "ROBERTO ARMANDO RIVERA ESCOBAR"))
    assert k9["killed"]["count"] == 1
    # a possessive description is someone's relative or aide: another person (MUC-4 TST1-MUC3-0069)
    t10 = "SOLDIERS KILLED ELBA JULIA RAMOS AND HER 15-YEAR-OLD DAUGHTER ON 16 NOVEMBER."
    assert casualties_from_spans(t10, spans_for(t10, "ELBA JULIA RAMOS", "HER 15-YEAR-OLD DAUGHTER"))["killed"]["count"] == 2
    # a name told only in a sentence dated earlier is background; the descriptions then count for themselves
    t11 = ("THE RELATIVES OF THE FORMER FOREIGN MINISTER WILL BE PAID TODAY. HE HAD HIRED HIS SECRETARY, RONNIE "
           "MOFFIT. ORLANDO LETELIER WAS KILLED IN 1976.")
    spans11 = spans_for(t11, "FOREIGN MINISTER", "SECRETARY", "ORLANDO LETELIER")
    assert casualties_from_spans(t11, spans11)["killed"]["count"] == 2


def test_a_part_that_says_nothing_of_its_size_adds_nothing_beside_a_stated_number():
    # MUC-4 TST1-MUC3-0049 pattern: a tagged acronym ("UP") is not read as people
    t = "THREE PEASANTS WERE KILLED. THE UP CONDEMNED THE MURDER."
    k = casualties_from_spans(t, spans_for(t, "THREE PEASANTS", "UP"))["killed"]
    assert (k["count"], k["min"], k["max"]) == (3, 3, 3)
    # alone, it still gives no number: unknown stays unknown
    k2 = casualties_from_spans(t, spans_for(t, "UP"))["killed"]
    assert (k2["count"], k2["min"], k2["max"]) == (None, None, None)


def test_a_stated_toll_is_the_total_not_one_more_part():
    text = ("Two people died in the first strike. On Monday a shell killed the driver and four passengers. "
            "The death toll for Monday alone was put at nine. By Friday the total number of people killed "
            "had reached 17.")
    got = killed(text, "Two people", "the driver and four passengers", "nine", "17")
    assert (got["count"], got["min"], got["max"]) == (17, 17, 17)
    # without a toll the parts add up
    assert killed(text, "Two people", "the driver and four passengers")["count"] == 7


def test_a_toll_smaller_than_another_part_is_not_the_total():
    text = "Twenty soldiers were killed at the base. Overall, three civilians also died in the town."
    assert killed(text, "Twenty soldiers", "three civilians")["count"] == 23


def test_is_toll_reads_cues_in_the_sentence_only():
    text = "The toll rose to 12. Later 5 more people were killed in all, police said. Then 3 died."
    assert is_toll(text, text.index("12"), text.index("12") + 2)
    assert is_toll(text, text.index("5 more"), text.index("5 more") + 13)
    assert not is_toll(text, text.index("3 died"), text.index("3 died") + 1)


def test_the_same_number_in_other_sentences_is_one_group_told_twice():
    # MUC-4 TST2-MUC4-0044 pattern: one attack, its victims named two ways in two sentences
    t = ("FIVE VENEZUELAN SOLDIERS WERE KILLED AT THE BORDER. THE GOVERNMENT BLAMED THE GANGS FOR THE ATTACK, "
         "IN WHICH FIVE GUARDS WERE KILLED.")
    k = casualties_from_spans(t, spans_for(t, "FIVE VENEZUELAN SOLDIERS", "FIVE GUARDS"))["killed"]
    assert (k["count"], k["min"], k["max"]) == (5, 5, 5)
    # in one sentence, equal numbers are two groups ("twin girls and twin boys"), across a line break too
    t2 = "Police said the dead were an 8-year-old girl, twin 5-year-old girls and\ntwin 2-year-old boys."
    k2 = casualties_from_spans(t2, spans_for(t2, "an 8-year-old girl", "twin 5-year-old girls",
                                             "twin 2-year-old boys"))["killed"]
    assert k2["count"] == 5
    # different numbers in different sentences still add up
    t3 = "Three soldiers were killed on Monday. Two civilians died on Tuesday."
    assert casualties_from_spans(t3, spans_for(t3, "Three soldiers", "Two civilians"))["killed"]["count"] == 5


def test_a_person_wounded_then_killed_counts_as_killed_only():
    t = "A policeman and a soldier were wounded on Monday. The policeman died in hospital on Tuesday."
    spans = spans_for(t, "A policeman", "a soldier", label="WOUNDED") + spans_for(t, "The policeman")
    got = casualties_from_spans(t, spans)
    assert got["wounded"]["count"] == 1 and got["killed"]["count"] == 1
    # MUC-4 TST2-MUC4-0013 pattern: a name, then the same person's surname with a title
    t2 = "THE VICTIMS WERE COLOMBIAN PILOT JULIO TORRES AND LUIS MENESES. MR. TORRES WAS KILLED."
    spans2 = spans_for(t2, "COLOMBIAN PILOT JULIO TORRES", "LUIS MENESES", label="WOUNDED")
    got2 = casualties_from_spans(t2, spans2 + spans_for(t2, "MR. TORRES"))
    assert got2["wounded"]["count"] == 1 and got2["killed"]["count"] == 1
    # a new, indefinite phrase is other people: two wounded and two killed are four
    t3 = "Two people were wounded in the first blast. Two people were killed in the second."
    second = t3.rindex("Two people")
    spans3 = spans_for(t3, "Two people", label="WOUNDED") + [{"start": second, "end": second + 10, "label": "KILLED"}]
    got3 = casualties_from_spans(t3, spans3)
    assert got3["wounded"]["count"] == 2 and got3["killed"]["count"] == 2


def test_casualties_told_only_in_sentences_dated_earlier_are_background():
    # MUC-4 DEV-MUC3-0206 pattern: an older massacre recalled beside the report's own incident
    t = ("A BOMB KILLED TWO SOLDIERS IN THE CAPITAL TODAY. SHORTLY AFTER THE MURDER OF 22 PEASANTS LAST FEBRUARY, "
         "THE GUERRILLAS WITHDREW.")
    k = casualties_from_spans(t, spans_for(t, "TWO SOLDIERS", "22 PEASANTS"))["killed"]
    assert (k["count"], k["min"], k["max"]) == (2, 2, 2)
    # an entity also told in an undated sentence is this report's: "three years ago" does not hide it
    t2 = "Two guards were killed on Monday. The two guards had joined three years ago."
    assert casualties_from_spans(t2, spans_for(t2, "Two guards", "two guards"))["killed"]["count"] == 2
    # "last week" is often the report's own incident: counted
    t3 = "Five people were killed in the attack last week."
    assert casualties_from_spans(t3, spans_for(t3, "Five people"))["killed"]["count"] == 5
    # only background: the count is unknown, never a guess
    t4 = "The soldiers recalled the murder of 12 peasants in 1988."
    k4 = casualties_from_spans(t4, spans_for(t4, "12 peasants"))["killed"]
    assert (k4["count"], k4["min"], k4["max"]) == (None, None, None)


def test_wounded_entities_nothing_supports_are_dropped_where_a_death_is_tagged():
    from incidex.model.casualties import drop_unsupported_wounded
    from incidex.model.entities import build_entities

    def dropped(text, spans, roles=None):
        kept, entities = drop_unsupported_wounded(text, spans, build_entities(text, spans, roles))
        hurt = [[m["start"] for m in e["mentions"]] for e in entities.get("wounded", [])]
        assert sorted(s for mentions in hurt for s in mentions) == [s["start"] for s in kept if s in spans[1:]]
        return [text[s["start"]:s["end"]] for s in kept]

    text = ("A man was shot and killed on Monday. His brother said he was a good man. "
            "A woman was shot in the leg. The woman is a neighbour.")
    spans = spans_for(text, "A man") + spans_for(text, "His brother", "A woman", "The woman", label="WOUNDED")
    # the brother has no cue and no wound word in his sentence; the woman's later mention joins the shot woman
    assert dropped(text, spans) == ["A man", "A woman", "The woman"]
    # no killed span, or no word of a death: a wounded entity needs a cue of its own or a word of a wound or of
    # harm in its sentence (SATP's property attacks: "About [a dozen] armed Maoists set ablaze a bus")
    assert dropped(text, spans[1:]) == ["A woman", "The woman"]
    calm = "A man was shot on Monday. His brother said he was a good man."
    calm_spans = spans_for(calm, "A man", label="KILLED") + spans_for(calm, "His brother", label="WOUNDED")
    assert drop_unsupported_wounded(calm, calm_spans, build_entities(calm, calm_spans))[0] == calm_spans[:1]
    arson = "About a dozen armed Maoists set ablaze a bus and a truck. A man was shot during a robbery."
    arson_spans = spans_for(arson, "a dozen", "A man", label="WOUNDED")
    assert drop_unsupported_wounded(arson, arson_spans, build_entities(arson, arson_spans))[0] == arson_spans[1:]
    # the roles come from the config's span roles
    custom = [{**s, "label": {"KILLED": "FATALITIES", "WOUNDED": "INJURIES"}[s["label"]]} for s in spans]
    assert dropped(text, custom, {"FATALITIES": "killed", "INJURIES": "wounded"}) == ["A man", "A woman", "The woman"]
    # an entity left with no wounded member leaves no wounded role at all
    alone = spans_for(text, "A man") + spans_for(text, "His brother", label="WOUNDED")
    assert "wounded" not in drop_unsupported_wounded(text, alone, build_entities(text, alone))[1]


def test_killed_entities_nothing_supports_are_dropped_beside_a_supported_one():
    from incidex.model.casualties import drop_unsupported_killed
    from incidex.model.entities import build_entities
    from incidex.model.inference import facts_from_spans

    def kept(text, spans, roles=None):
        out, entities = drop_unsupported_killed(text, spans, build_entities(text, spans, roles))
        dead = sorted(m["start"] for e in entities.get("killed", []) for m in e["mentions"])
        assert dead == [s["start"] for s in out]  # the spans left are the mentions of the entities left
        return [text[s["start"]:s["end"]] for s in out]

    # MUC-4 TST2-MUC4-0048: the children in the bombed house are not dead
    text = ("A bomb killed the attorney general on Monday. The attorney general was 56. "
            "There were seven children in the house.")
    spans = spans_for(text, "the attorney general", "The attorney general", "seven children")
    assert kept(text, spans) == ["the attorney general", "The attorney general"]
    assert facts_from_spans(text, spans, {"KILLED": "killed"})["casualties"]["killed"]["count"] == 1
    # a word of a death in the mention's sentence supports it ("the body of")
    cued = "A bomb killed the attorney general. Police found the body of a guard. There were two children at home."
    cued_spans = spans_for(cued, "the attorney general", "a guard", "two children")
    assert kept(cued, cued_spans) == ["the attorney general", "a guard"]
    # one killed entity is kept, supported or not (nothing to weigh it against)
    assert kept(text, spans[2:]) == ["seven children"]
    # none supported: the tagger's spans stand
    calm = "The attorney general spoke. There were seven children in the house."
    calm_spans = spans_for(calm, "The attorney general", "seven children")
    assert kept(calm, calm_spans) == ["The attorney general", "seven children"]
    # the roles come from the config's span roles
    custom = [{**s, "label": "FATALITIES"} for s in spans]
    assert kept(text, custom, {"FATALITIES": "killed"}) == ["the attorney general", "The attorney general"]


@pytest.mark.parametrize("text, kind, parts, expected", [
    # people told one by one, by age or sex, after the one stated group of their kind: its members
    ("Two men are hospitalized after a shooting. Police said a 26-year-old man was shot in the thigh and a 23-year-old"
     " man was grazed.", "WOUNDED", ["Two men", "a 26-year-old man", "a 23-year-old"], 2),
    ("Two people were injured on Monday. Officials say a 22-year-old woman was hit in the arm.", "WOUNDED",
     ["Two people", "a 22-year-old woman"], 2),
    # a group of one, stated by number: the person then described is the same one
    ("One person is critically injured after a shooting. A 25-year-old man was shot once in the back.", "WOUNDED",
     ["One person", "A 25-year-old man"], 1),
    # ... also when the description comes first, as a headline tells the person the report then counts
    ("24-year-old man in critical condition after shooting\n\nMILWAUKEE -- One person was taken to the hospital after"
     " a shooting.", "WOUNDED", ["24-year-old man", "One person"], 1),
    ("A woman was shot on her porch, police said. One person was taken to the hospital.", "WOUNDED",
     ["A woman", "One person"], 1),
    # "also", another noun than the group's, more of them than it holds, or a role: they add up
    ("Two men were shot on Monday. Police said a 19-year-old woman was also shot.", "WOUNDED",
     ["Two men", "a 19-year-old woman"], 3),
    ("Six Jesuit priests were murdered. A woman who worked for them died with them.", "KILLED",
     ["Six Jesuit priests", "A woman"], 7),
    ("Two people were hurt. A 20-year-old man, a 31-year-old woman and a 45-year-old man were treated.", "WOUNDED",
     ["Two people", "A 20-year-old man", "a 31-year-old woman", "a 45-year-old man"], 5),
    ("Two state officials were killed. A person died in hospital.", "KILLED", ["Two state officials", "A person"], 3),
    ("One person was injured. A 25-year-old man was also shot.", "WOUNDED", ["One person", "A 25-year-old man"], 2),
    ("A woman was shot on her porch. One person was also taken to the hospital.", "WOUNDED", ["A woman", "One person"], 2),
    ("A 19-year-old man was shot on Main Street. Two men were shot on Oak Street an hour later.", "WOUNDED",
     ["A 19-year-old man", "Two men"], 3),  # told before a group of two or more: not one of them
    ("One soldier was killed. A 25-year-old man died in hospital.", "KILLED", ["One soldier", "A 25-year-old man"], 2),
])
def test_people_told_one_by_one_after_their_group_count_in_it(text: str, kind: str, parts: list[str],
                                                                expected: int) -> None:
    out = casualties_from_spans(text, spans_for(text, *parts, label=kind))
    assert out[kind.lower()]["count"] == expected


@pytest.mark.parametrize("text, parts, expected", [
    # names apposed to words that restate a group told before are its members
    ("Two police officers were killed on Friday. The two officers, John Smith and Jane Doe, were on patrol.",
     ["Two police officers", "John Smith", "Jane Doe"], 2),
    ("Police said two officers were killed. Police said the officers, Al Roe and Jim Doe, were on patrol.",
     ["two officers", "Al Roe", "Jim Doe"], 2),
    # the restating words may be tagged themselves, and fewer than the group ("two of the three")
    ("A judge and two of her bodyguards were killed. Two of her DAS bodyguards, Al Roe and Jim Doe, were in the car.",
     ["A judge", "two of her bodyguards", "DAS bodyguards", "Al Roe", "Jim Doe"], 3),
    ("Three soldiers were killed. Two of the soldiers, Al Roe and Jim Doe, were from Ohio.",
     ["Three soldiers", "Al Roe", "Jim Doe"], 3),
    # another noun, more names than the words say or than the group holds: they add up
    ("Two soldiers were killed. Their wives, Ann Lee and Sue Roe, were killed later.",
     ["Two soldiers", "Ann Lee", "Sue Roe"], 4),
    ("Two officers were killed. The two officers, Al Roe, Jim Doe and Ann Lee, were shot.",
     ["Two officers", "Al Roe", "Jim Doe", "Ann Lee"], 5),
    ("Gunmen killed two soldiers, Al Roe, Jim Doe and Ann Lee.", ["two soldiers", "Al Roe", "Jim Doe", "Ann Lee"], 5),
    ("Gunmen killed two soldiers, Al Roe said.", ["two soldiers", "Al Roe"], 3),
    # names listed right after the group in its own sentence, as many as it states, are its members
    ("Gunmen killed two soldiers, Al Roe and Jim Doe.", ["two soldiers", "Al Roe", "Jim Doe"], 2),
    ("Two soldiers, Sgt. John Smith, 25, and Spc. Jane Doe, 30, were killed.",
     ["Two soldiers", "Sgt. John Smith", "Spc. Jane Doe"], 2),
])
def test_names_apposed_to_a_restated_group_count_in_it(text: str, parts: list[str], expected: int) -> None:
    assert casualties_from_spans(text, spans_for(text, *parts))["killed"]["count"] == expected


@pytest.mark.parametrize("text, parts, expected", [
    # a later sentence that identifies the group's people by name: they are its members
    ("Two people were killed on Friday. The victims were identified as John Smith, 25, and Jane Doe, 30.",
     ["Two people", "John Smith", "Jane Doe"], 2),
    ("Two people were killed on Friday. Police named them as John Smith and Jane Doe.",
     ["Two people", "John Smith", "Jane Doe"], 2),
    ("THREE MILITANTS HAVE BEEN KILLED. AMONG THE VICTIMS ARE CECILIO RIVERA.", ["THREE MILITANTS", "CECILIO RIVERA"], 3),
    # without such words the names may be other people: they add up
    ("Two people died. John Smith, 25, was pronounced dead at the scene. Jane Doe, 30, died later.",
     ["Two people", "John Smith", "Jane Doe"], 4),
    # more names than the group holds, or two stated groups: not told whose members they are
    ("Two people were killed. The victims were identified as Al Roe, Jim Doe and Ann Lee.",
     ["Two people", "Al Roe", "Jim Doe", "Ann Lee"], 5),
    ("Two soldiers and three police officers were killed. The victims were identified as Al Roe and Jim Doe.",
     ["Two soldiers", "three police officers", "Al Roe", "Jim Doe"], 7),
])
def test_names_identified_as_the_group_count_in_it(text: str, parts: list[str], expected: int) -> None:
    assert casualties_from_spans(text, spans_for(text, *parts))["killed"]["count"] == expected


@pytest.mark.parametrize("text, parts, expected", [
    # "including" / "among them": the listed people are in the group's number
    ("The bomb killed 30 people, including 12 children, in the market.", ["30 people", "12 children"], 30),
    ("Gunmen killed five people, among them two police officers.", ["five people", "two police officers"], 5),
    ("Gunmen killed 30 people, including 12 children and a nurse.", ["30 people", "12 children", "a nurse"], 30),
    ("FOUR PEOPLE INCLUDING ONE CHILD WERE INJURED BY THE EXPLOSION.", ["FOUR PEOPLE", "ONE CHILD"], 4),
    # a breakdown that adds up exactly, after a colon, or after a comma for people in general or men / women
    ("The attack killed four people: two soldiers and two civilians.", ["four people", "two soldiers", "two civilians"], 4),
    ("The attack killed five people, three women and two men.", ["five people", "three women", "two men"], 5),
    # by nationality after a comma; the numbers may lie outside the spans, as the tagger often leaves them
    ("The attack killed three reporters, two Salvadorans and a Netherlander.",
     ["three reporters", "two Salvadorans", "a Netherlander"], 3),
    ("Gunmen killed six Jesuit priests -- five Spaniards and one Salvadoran -- and two women.",
     ["Jesuit priests", "Spaniards", "Salvadoran", "women"], 8),
    ("The attack killed five people, three women and two men.", ["people", "women", "men"], 5),
    # a list of roles after a comma adds up (below), also when its numbers lie outside the spans
    ("The attack killed three soldiers, two policemen and a civilian.", ["soldiers", "policemen", "civilian"], 6),
    # or after the group's own clause, before a colon
    ("Three men were shot dead: John Smith, Jim Doe and Al Roe.", ["Three men", "John Smith", "Jim Doe", "Al Roe"], 3),
    ("Three men, all farmers, were shot dead: John Smith, Jim Doe and Al Roe.",
     ["Three men", "John Smith", "Jim Doe", "Al Roe"], 3),
    # more listed than the group holds: not its members
    ("Three men were shot dead: two soldiers and two civilians.", ["Three men", "two soldiers", "two civilians"], 7),
    # a list after a comma adds up, even when the later numbers happen to sum to the first
    ("The attack killed three soldiers, two civilians and a child.", ["three soldiers", "two civilians", "a child"], 6),
    # more listed than the group holds: not its members
    ("Gunmen killed 3 people, including 12 children and a nurse.", ["3 people", "12 children", "a nurse"], 16),
    # other sentences are other groups
    ("Gunmen killed 30 people. Including the wounded, 12 children were hurt or killed.", ["30 people", "12 children"], 42),
])
def test_people_listed_in_a_stated_group_are_counted_in_it(text: str, parts: list[str], expected: int) -> None:
    kind = "wounded" if "INJURED" in text else "killed"
    assert casualties_from_spans(text, spans_for(text, *parts, label=kind.upper()))[kind]["count"] == expected


def test_people_listed_in_a_group_stated_as_at_least_are_among_them() -> None:
    # SATP dev: "At least six persons, including a woman and a child, were killed" is at least 6, not at least 8
    text = "At least six persons, including a woman and a child, were killed in a blast."
    killed = casualties_from_spans(text, spans_for(text, "At least six persons", "a woman", "a child"))["killed"]
    assert (killed["count"], killed["min"], killed["max"]) == (None, 6, None)
    more = "At least two persons, including a woman, a child and a guard, were killed."  # more than the least
    killed = casualties_from_spans(more, spans_for(more, "At least two persons", "a woman", "a child", "a guard"))["killed"]
    assert killed["min"] == 5
