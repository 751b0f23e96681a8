"""Tests for model.stated (what a report states where the tagger found no casualty phrase) and the decoder step
that adds it (``rule_spans.add_stated_casualties``)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from incidex.model.rule_spans import add_stated_casualties
from incidex.model.stated import stated_casualties, stated_figures, stated_tolls

from tests.conftest import run_doctests

KINDS = {"killed": "KILLED", "wounded": "WOUNDED"}


@pytest.mark.parametrize(("text", "found"), [
    ("Two women were fatally shot on Sunday.", [("Two women", "killed")]),
    ("One person has died and a second was injured.", [("One person", "killed")]),
    ("A victim was found shot to death inside a van.", [("A victim", "killed")]),
    ("An 11-year-old boy was shot and killed; a 20-year-old man is in critical condition.",
     [("An 11-year-old boy", "killed"), ("a 20-year-old man", "wounded")]),
    ("BOTH POLICEMEN DIED INSTANTLY.", [("BOTH POLICEMEN", "killed")]),
    ("A former Yates basketball star was shot to death Tuesday.", [("A former Yates basketball star", "killed")]),
    ("Police say two brothers are dead after a shooting.", [("two brothers", "killed")]),
    # a threat is no casualty
    ("The rebels threatened to kill two policemen on Monday.", []),
    # past an aside to the predicate (SATP dev's digests)
    ("One Station House Officer (SHO), identified as Shabir Ahmad, was killed and three policemen were injured.",
     [("One Station House Officer", "killed"), ("three policemen", "wounded")]),
    ("A man, identified as Fida Hussain, was shot dead outside his house.", [("A man", "killed")]),
    # a scraped page glues the headline to the story; a headline counts an age alone
    ("Man shot in parking lot | abc13.comA man was shot and killed last night.", [("A man", "killed")]),
    ("Police: 18-year-old man shot and killed near 20th Street", [("18-year-old man", "killed")]),
    # a definite subject is read as wounded only where no counted wounded phrase is stated, never as killed
    ("The 25-year-old man was shot in the leg.", [("The 25-year-old man", "wounded")]),
    ("A man was shot in the arm. The 25-year-old man was shot in the leg.", [("A man", "wounded")]),
    ("He said the driver was shot in the leg.", []),
    ("The driver was fatally wounded.", []),  # a killed predicate: not read as wounded, and the subject not as killed
    # a casualty verb left of the phrase, across a quantity
    ("A TRUCK BOMB EXPLODED, KILLING AT LEAST 23 PEOPLE AND INJURING 40 PERSONS.",
     [("23 PEOPLE", "killed"), ("40 PERSONS", "wounded")]),
    ("Gunmen planned the attack on two officers.", []),
    # no number of its own, a part of a group, a verb between, or a killer rather than a victim
    ("The man died in hospital.", []),
    ("One of two women who died was pregnant.", []),
    ("Three men were arrested and two men fled.", []),
    ("A gunman has killed two people.", [("two people", "killed")]),  # the gunman is not the one killed
    # the subject of an active killing verb is the killer; a possessive phrase it governs is the one killed
    ("Police say a man shot and killed his wife on Sunday.", [("his wife", "killed")]),
    ("A man killed two people in Ohio.", [("two people", "killed")]),
    ("A 3-year-old boy accidentally shot and killed his 9-year-old sister.", [("his 9-year-old sister", "killed")]),
    ("Her boyfriend shot and killed her on Sunday.", []),
    ("A man was shot and killed Saturday.", [("A man", "killed")]),
    ("His brother said he was a good man.", []),
    # a four-digit figure is a conflict's running toll, not one incident's
    ("More than 13,000 people have died since 1980.", []),
    # killed only where the report states a death; "was shot in the leg" is wounded either way
    ("A man was shot in the leg.", [("A man", "wounded")]),
    # a headline's bare subject, where the report states no other phrase of that kind
    ("Man shot, killed in Feltonville | 6abc.com Police say the victim was 27.", [("Man", "killed")]),
    ("Teen shot in the leg, police say | The boy is stable.", [("Teen", "wounded")]),
    ("Man shot and killed during dispute | Police say he shot and killed another man.",
     [("another man", "killed")]),
    ("Police: man shot and killed.", []),
    ("Girl shot at party dies; woman held | A girl's party ended in gunfire.", [("Girl", "killed")]),
    ("Teen shot at party dies after a week, police say", []),  # "dies" inside the headline, not ending it
    ("Milwaukee woman shot, wounded inside home | Officials say it happened at 5 a.m.", [("Milwaukee woman", "wounded")]),
    ("Victim seriously injured in Wilmington shooting | Police are investigating.", [("Victim", "wounded")]),
    ("A man was shot and hurt as he tried to intervene.", [("A man", "wounded")]),
    ("A Baltimore man is recovering after he was found shot in the face.", [("A Baltimore man", "wounded")]),
    # a headline's bare count, at the start or after a comma or bar, in the first 300 characters
    ("1 dead, 1 injured in shooting at San Bernardino liquor store | abc7.com Officers found two victims.",
     [("1", "killed"), ("1", "wounded")]),
    ("Christmas Eve double shooting, 1 killed | News Police say a date went wrong.", [("1", "killed")]),
    ("Police say " + "x " * 150 + "| 2 dead after a crash.", []),
    # treated for a wound: wounded where the report states no death, nothing where it states one
    ("A man with a gunshot wound was brought to Duke Regional Hospital.", [("A man", "wounded")]),
    ("The victim was taken to the hospital after the shooting.", [("The victim", "wounded")]),
    # plain "was shot" where the report states no death is a wound; "shot at" is a miss
    ("A man was shot during a robbery Thursday morning on the South Side.", [("A man", "wounded")]),
    ("Police said a man was shot three times at a shopping center.", [("a man", "wounded")]),
    ("A man was shot at while he drove home, but the bullets missed.", []),
    ("A man was shot on Friday. He died at the hospital.", [("A man", "killed")]),
    # (the man is killed here through the pronoun that died, not through his wound)
    ("A man with a gunshot wound was found in a car. He was pronounced dead.", [("A man", "killed")]),
    # a name a passive or intransitive predicate follows, or a casualty noun governs, where no counted phrase of the
    # kind is stated; an active verb's subject is the killer, and a place or a weekday is no person
    ("Jamal Berry was shot and killed on Friday.", [("Jamal Berry", "killed")]),
    ("The coroner said 36-year-old Lee Holm was found shot and killed inside the home.", [("Lee Holm", "killed")]),
    ("A man was found shot and killed inside a home on Friday.", [("A man", "killed")]),
    ("Ciara Meyer, 12, died at the scene.", [("Ciara Meyer", "killed")]),
    ("A shooting that left 25-year-old Courtney Taylor dead.", [("Courtney Taylor", "killed")]),
    ("He is charged in the shooting death of Danville Police Officer Thomas Cottrell.",
     [("Danville Police Officer Thomas Cottrell", "killed")]),
    ("The victim, Alexander Rickey Shaw, age 22, remains hospitalized.", [("Alexander Rickey Shaw", "wounded")]),
    ("John Smith killed his wife.", [("his wife", "killed")]),  # not John Smith
    ("A man shot Saturday in Moreno Valley was in stable condition.", []),
    ("A man who shot at officers in Gastonia Monday was injured.", []),
    ("Police said John Smith was wounded.", [("John Smith", "wounded")]),
    ("Police said John Smith is recovering at home.", [("John Smith", "wounded")]),
    ("A man was shot and killed. John Smith was pronounced dead at the scene.", [("A man", "killed")]),
    ("a man was killed. john smith died.", [("a man", "killed")]),  # lower case: no name to read
    # one lexicon of person nouns (``counts.PERSON_NOUNS``), an attacker's or a fighter's left out
    ("TWO STATE OFFICIALS WERE KILLED.", [("TWO STATE OFFICIALS", "killed")]),
    ("Two suspects were killed by police.", []),
    ("A gunman was shot dead.", []),
    ("Cashier shot in the leg during robbery | The store was closed.", [("Cashier", "wounded")]),
    # hurt and alive: shot several times and wounded; shot in the body or treated for a wound, named too, in a
    # report that states no death
    ("Man shot multiple times, critically wounded in Point Breeze | Police are investigating.", [("Man", "wounded")]),
    ("Police confirm the victim is a 27-year-old male, shot in the back.", [("a 27-year-old male", "wounded")]),
    ("Man shot in back outside east side apartment | Fox 59", [("Man", "wounded")]),
    ("Deputies found 32-year-old Perez Walker with a gunshot wound to the right leg.", [("Perez Walker", "wounded")]),
    ("Brandon Borders, 29, was suffering from a gunshot wound.", [("Brandon Borders", "wounded")]),
    ("A man was shot in the chest. He died at the hospital.", [("A man", "killed")]),  # a death: not alive
    # a surname said alone where the report names the person in full; not a place's or a shop's name
    ("William Waldron, 26, was armed with a shotgun. Waldron was subsequently shot and killed.",
     [("Waldron", "killed")]),
    ("Carroll Oliver owned the restaurant. Oliver died at the scene.", [("Oliver", "killed")]),
    ("Ana Diaz, 19, was at home. Police said Diaz was wounded.", [("Diaz", "wounded")]),
    ("The man was shot at Pennsylvania Walmart. No one at the Walmart was injured.", []),
    ("Waldron was shot and killed.", []),  # no full name: a lone capitalised word may be anything
    ("Family of victim Victoria Cantu's family spoke. Cantu was found dead in a car.", [("Cantu", "killed")]),
    ("Leonard Arnold, 32, was found outside. Arnold had been shot multiple times and was pronounced dead.",
     [("Arnold", "killed")]),
    # a name with a nickname, a name with "who", the body of a person
    ("Jessika Boring, the daughter of Jon Boring, 51, who was shot and killed in his home, spoke.",
     [("Jon Boring", "killed")]),
    ("A fisherman found the body of a man with a gunshot wound in the river.", [("a man", "killed")]),
    ("John Smith, who killed his wife, fled.", [("his wife", "killed")]),  # not John Smith
    # the person a pronoun that died or was hurt refers to: the nearest person phrase in its sentence or the two
    # before; the one who died is not also wounded
    ("Police found a 32-year-old man with a gunshot wound. He was taken to Eskenazi Hospital, where he later died.",
     [("a 32-year-old man", "killed")]),
    ("Larry Henderson, 30, was found shot in the 2500 block of Huron Street. He died at a hospital.",
     [("Larry Henderson", "killed")]),
    ("Police found a man in a car. He was shot in the leg. He died at the hospital.", [("a man", "killed")]),
    ("A 20-year-old woman was found at the scene. She was shot in the leg.", [("A 20-year-old woman", "wounded")]),
    ("A man was found in a car. He said he was fine. Police left. Later he died.", []),  # too far back
    ('Larry "Boxx" Henderson, 30, was found shot on May 3 in Westport. He died at a hospital.',
     [('Larry "Boxx" Henderson', "killed")]),
    # a masthead or a capitalised word after it is no person
    ("Reward in shooting | Maryland News - WBAL Home The FBI is offering a reward. He died at a hospital.", []),
    ("Police found a man in a car. He died.".upper(), [("A MAN", "killed")]),
    # a headline's plain "shot" is a wound where the report states no death, the last fallback (GVDB gvdb-3485)
    ("Driver Shot In Suspected Road Rage Incident | CBS. Police seek a dark sedan.", [("Driver", "wounded")]),
    ("Driver shot in road rage incident | CBS. Police said a man died.", [("a man", "killed")]),  # "shot" may be fatal
    ("Man shot at by police | WSB. Nobody was hurt.", []),
    # a Title Case headline's words are no person's name ("Man Shot In Groin": news model, GVDB gvdb-2841)
    ("Man Shot In Groin At Party | WSB. He was taken to a hospital. He is recovering.", [("Man", "wounded")]),
    ("Man shot by victim faces charges | WLKY. John Ganobick was shot in the leg.", [("John Ganobick", "wounded")]),
    # an attempted murder states no death: "was shot multiple times" is a wound (GVDB gvdb-1737)
    ("Deputies arrested a man. A woman was shot multiple times. He was charged with attempted murder.",
     [("A woman", "wounded")]),
])
def test_stated_casualties_find_counted_person_phrases_before_a_casualty_predicate(text, found):
    assert [(text[s:e], kind) for s, e, kind in stated_casualties(text)] == found


def test_stated_casualties_fill_only_a_kind_the_tagger_found_none_of():
    text = "Two women were fatally shot and a man was shot in the arm. Police arrested two men."
    found = stated_casualties(text)
    assert [(text[s:e], k) for s, e, k in found] == [("Two women", "killed"), ("a man", "wounded")]
    out = add_stated_casualties([], text, found, KINDS)
    assert [(s["label"], s["text"], s["score"]) for s in out] == [("KILLED", "Two women", 0.0), ("WOUNDED", "a man", 0.0)]
    for s in out:
        assert text[s["start"]:s["end"]] == s["text"]
    # a tagged killed phrase anywhere: the tagger's killed stand, the wounded silence is still filled
    tagged = [{"label": "KILLED", "text": "Police", "start": text.index("Police"), "end": text.index(" arrested"),
               "score": 0.7}]
    assert [s["text"] for s in add_stated_casualties(tagged, text, found, KINDS)] == ["a man", "Police"]
    # a span of another label over the phrase keeps it
    weapon = [{"label": "WEAPON", "text": "Two", "start": 0, "end": 3, "score": 0.9}]
    assert [s["text"] for s in add_stated_casualties(weapon, text, found, KINDS)] == ["Two", "a man"]
    # a perpetrator span over the phrase gives way when perpetrator labels are replaceable: the report says the man
    # was shot; the tagger took him for the shooter
    perp = [{"label": "PERP_INDIVIDUAL", "text": "a man", "start": text.index("a man"), "end": text.index(" was shot"),
             "score": 0.5}]
    assert [(s["label"], s["text"]) for s in add_stated_casualties(perp, text, found, KINDS)] == [
        ("KILLED", "Two women"), ("PERP_INDIVIDUAL", "a man")]
    assert [(s["label"], s["text"]) for s in add_stated_casualties(perp, text, found, KINDS, replaceable=["PERP_INDIVIDUAL"])
            ] == [("KILLED", "Two women"), ("WOUNDED", "a man")]
    # a span of another label still keeps its phrase
    assert [(s["label"], s["text"]) for s in add_stated_casualties(weapon + perp, text, found, KINDS,
                                                                    replaceable=["PERP_INDIVIDUAL"])
            ] == [("WEAPON", "Two"), ("WOUNDED", "a man")]
    # a model without a wounded label adds no wounded
    assert [s["label"] for s in add_stated_casualties([], text, found, {"killed": "KILLED"})] == ["KILLED"]
    # a tagged phrase of every kind: nothing of ``found`` is added, only ``overall``
    both = tagged + [{"label": "WOUNDED", "text": "a man", "start": text.index("a man"), "end": text.index(" was shot"),
                      "score": 0.8}]
    assert add_stated_casualties(both, text, found, KINDS) == both
    two_men = (text.index("two men"), text.index("two men") + 7, "wounded")
    assert [s["text"] for s in add_stated_casualties(both, text, found, KINDS, overall=[two_men])] == [
        "a man", "Police", "two men"]


def test_a_report_the_tagger_leaves_silent_gets_its_stated_casualties(tiny_tokenizer):
    from incidex.model import Predictor

    from tests.conftest import build_silent_tagger

    model = build_silent_tagger(tiny_tokenizer)
    text = "Two women were fatally shot on Sunday."
    rec = Predictor(model, tokenizer=tiny_tokenizer).predict(text)
    assert [(s["label"], s["text"]) for s in rec["spans"]] == [("KILLED", "Two women")]
    assert rec["spans"][0]["score"] < 0.01  # the tagger's own probability, not a made-up one
    assert rec["casualties"]["killed"]["count"] == 2
    model.config.casualty_cues = False
    assert Predictor(model, tokenizer=tiny_tokenizer).predict(text)["spans"] == []


def test_a_lone_article_tagged_a_target_blocks_no_stated_casualty(tiny_tokenizer, monkeypatch):
    import incidex.model.inference as inference
    from incidex.model import Predictor

    from tests.conftest import build_silent_tagger

    # the tagger's spans as GVDB gvdb-1319 had them: only "[A]" of "A Stockton man", tagged a target
    article = {"label": "PHYSICAL_TARGET", "text": "A", "start": 0, "end": 1, "score": 0.9}
    monkeypatch.setattr(inference, "apply_span_thresholds", lambda spans, thresholds: [*spans, dict(article)])
    text = "A Stockton man was shot and killed on Wednesday."
    rec = Predictor(build_silent_tagger(tiny_tokenizer), tokenizer=tiny_tokenizer).predict(text)
    assert [(s["label"], s["text"]) for s in rec["spans"]] == [("KILLED", "A Stockton man")]
    assert rec["casualties"]["killed"]["count"] == 1 and rec["actors"]["targets"] == []


def test_a_tagged_phrase_the_support_rules_drop_blocks_no_stated_casualty(tiny_tokenizer, monkeypatch):
    import incidex.model.inference as inference
    from incidex.model import Predictor

    from tests.conftest import build_silent_tagger

    # the main job's examples/02 with a quickstart seed: "[five] Nigerian technicians" tagged wounded, a phrase
    # without a cue or a word of harm that the record drops (``casualties.drop_unsupported_wounded``)
    text = "Gunmen kidnapped seven workers. The driver was shot in the shoulder. Among those taken were five technicians."
    five = {"label": "WOUNDED", "text": "five", "start": text.index("five"), "end": text.index(" technicians"),
            "score": 0.55}
    monkeypatch.setattr(inference, "apply_span_thresholds", lambda spans, thresholds: [*spans, dict(five)])
    rec = Predictor(build_silent_tagger(tiny_tokenizer), tokenizer=tiny_tokenizer).predict(text)
    assert [(s["label"], s["text"]) for s in rec["spans"]] == [("WOUNDED", "The driver")]
    assert rec["casualties"]["wounded"]["count"] == 1
    # the rule itself: ``present`` says which labels the record keeps
    found = [(text.index("The driver"), text.index(" was shot"), "wounded")]
    assert add_stated_casualties([five], text, found, KINDS) == [five]
    assert [s["text"] for s in add_stated_casualties([five], text, found, KINDS, present=[])] == ["The driver", "five"]


@pytest.mark.parametrize(("text", "found"), [
    ("The death toll rose to at least 23 on Monday.", [("at least 23", "killed")]),
    ("THE DEATH TOLL IS 5.", [("5", "killed")]),
    ("Officials said 12 people were killed in all and 30 were injured.", [("12 people", "killed")]),
    ("The total number of people killed in the town had reached 17, including three volunteers, and that 64 people "
     "had been wounded.", [("17", "killed"), ("64 people", "wounded")]),
    # a war's running toll, a figure that is not a count, no toll at all
    ("The death toll of the ten-year war has risen to 70,000.", []),
    ("The toll road was closed at 6 a.m.", []),
    ("Twelve people were killed on Monday.", []),
])
def test_stated_tolls_find_overall_figures(text, found):
    assert [(text[s:e], kind) for s, e, kind in stated_tolls(text)] == found


def test_a_stated_toll_is_added_beside_tagged_parts_and_read_as_the_total():
    from incidex.model.inference import facts_from_spans

    text = ("The driver and four passengers were killed on Monday. By Friday the total number of people killed had "
            "reached 17, and that 64 people had been wounded.")
    tagged = [{"label": "KILLED", "text": "four passengers", "start": text.index("four"),
               "end": text.index(" were"), "score": 0.9}]
    out = add_stated_casualties(tagged, text, [], KINDS, overall=stated_tolls(text))
    assert [(s["label"], s["text"]) for s in out] == [("KILLED", "four passengers"), ("KILLED", "17"),
                                                      ("WOUNDED", "64 people")]
    cas = facts_from_spans(text, out, {"KILLED": "killed", "WOUNDED": "wounded"})["casualties"]
    assert (cas["killed"]["count"], cas["wounded"]["count"]) == (17, 64)
    # a toll over a tagged span keeps the tagger's span
    over = [{"label": "KILLED", "text": "17", "start": text.index("17"), "end": text.index("17") + 2, "score": 0.8}]
    assert add_stated_casualties(over, text, [], {"killed": "KILLED"}, overall=stated_tolls(text)) == over


def test_counted_wounded_phrases_are_added_beside_tagged_ones_killed_are_not():
    text = "A bomb killed two soldiers and a guard, wounding 23 people. A driver was also injured."
    tagged = [{"label": "KILLED", "text": "two soldiers", "start": 14, "end": 26, "score": 0.9},
              {"label": "WOUNDED", "text": "A driver", "start": text.index("A driver"),
               "end": text.index(" was also"), "score": 0.8}]
    phrases = stated_casualties(text)
    out = add_stated_casualties(tagged, text, phrases, KINDS, overall=stated_figures(text, phrases))
    assert [(s["label"], s["text"]) for s in out] == [("KILLED", "two soldiers"), ("WOUNDED", "23 people"),
                                                      ("WOUNDED", "A driver")]


CUE_WORDS = ["A", "a", "man", "Man", "John", "Smith", "J.", "Jr", "two", "Two", "23", "people", "was", "were", "is",
             "shot", "killed", "dead", "died", "dies", "wounded", "injured", "hurt", "recovering", "and", ",", ";", "|",
             "«", "the", "The", "death", "of", "toll", "rose", "to", "in", "at", "with", "gunshot", "wound", "taken",
             "hospital", "Monday", "25-year-old", "officer", "victim", "\n", "é", "ß", "İ", "警察", "fatally", "left",
             # surnames, nicknames, pronouns, bodies and wounds in the body (the later fallbacks)
             "He", "he", "she", "later", "William", "Waldron", "Waldron's", '"Boxx"', "“Boxx”", "who", "body", "back",
             "Street", "News", ".", "multiple", "times", "pronounced"]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=120), st.lists(st.sampled_from(CUE_WORDS), max_size=30).map(" ".join)))
def test_stated_phrases_are_exact_sorted_spans_on_any_text(text):
    phrases = stated_casualties(text)
    for found in (phrases, stated_tolls(text), stated_figures(text, phrases)):
        assert found == sorted(found)
        for start, end, kind in found:
            assert 0 <= start < end <= len(text) and kind in ("killed", "wounded")
            assert text[start:end].strip()
    # what the Predictor adds is exact too: text[start:end] == span["text"]
    for span in add_stated_casualties([], text, phrases, KINDS, overall=stated_figures(text, phrases)):
        assert text[span["start"]:span["end"]] == span["text"]


def test_doctests():
    from incidex.model import stated

    run_doctests(stated)


@pytest.mark.parametrize(("text", "tagged", "kind", "found"), [
    # the partner after the tagged phrase, with its own predicate
    ("Two policemen and two civilians were killed in the attack.", "Two policemen", "killed", ["two civilians"]),
    # the partner before it: the predicate after the tagged phrase governs both
    ("Three civilians, including a woman and a child, sustained injuries.", "a child", "wounded", ["a woman"]),
    # no shared predicate of that kind, no partner
    ("Two men were killed and two others were arrested.", "Two men", "killed", []),
    ("Two policemen and two civilians were injured.", "Two policemen", "killed", []),
    ("Two policemen and two civilians were killed.", "Two policemen", "wounded", []),
])
def test_coordinated_casualties_add_the_conjunct_the_tagger_missed(text, tagged, kind, found):
    from incidex.model.stated import coordinated_casualties

    start = text.index(tagged)
    assert [text[s:e] for s, e, _ in coordinated_casualties(text, [(start, start + len(tagged), kind)])] == found


def test_stated_combatant_deaths_read_passive_deaths_of_fighters_only() -> None:
    from incidex.model.stated import stated_combatant_deaths

    def read(text: str) -> list[str]:
        return [text[s:e] for s, e in stated_combatant_deaths(text)]

    assert read("Four militants were killed in an encounter in Kupwara.") == ["Four militants"]
    assert read("Security forces shot dead two terrorists near the border.") == ["two terrorists"]
    assert read("Two gunmen killed three people.") == []  # their deed
    assert read("Three militants were arrested.") == []  # no death
    assert read("Two policemen were killed.") == []  # victims are stated_casualties'


def test_coordinated_fighters_are_partners_in_death_only() -> None:
    from incidex.model.stated import coordinated_casualties

    text = "Three detained militants and two soldiers were killed; two militants and a guard were injured."
    tagged = [(text.index("two soldiers"), text.index(" were killed"), "killed"),
              (text.index("a guard"), text.index(" were injured"), "wounded")]
    assert [(text[s:e], k) for s, e, k in coordinated_casualties(text, tagged)] == \
        [("Three detained militants", "killed")]
