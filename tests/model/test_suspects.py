"""Suspects a report names (``model/suspects.py``) and the Predictor step that adds them as perpetrator spans."""

from __future__ import annotations

import pytest
from incidex.model import suspects
from incidex.model.rule_spans import fill_spans
from incidex.model.suspects import stated_suspects

from tests.conftest import run_doctests


@pytest.mark.parametrize("text, names", [
    # an arrest, a charge, a suspect identified or sought, before or after the name (age and town between commas)
    ("Police arrested Phi Pham, 33, over the weekend.", ["Phi Pham"]),
    ("40-year-old Rico McConico is charged with first degree murder.", ["Rico McConico"]),
    ("Lucas Javier, 17, of the Bronx, also has been charged with robbery.", ["Lucas Javier"]),
    ("Markale Deandra Hart, 22, of Camp Hill, Alabama, was arrested on a felony warrant.", ["Markale Deandra Hart"]),
    ("The suspect, Maurice Alexander, was charged with first-degree murder.", ["Maurice Alexander"]),
    ("Bratton identified the suspect as Christopher Rice, 19.", ["Christopher Rice"]),
    ("Police are searching for 40-year-old Ernesto Velazquez in connection with the death.", ["Ernesto Velazquez"]),
    ("On Wednesday, IMPD took Brent Thomas, 22, into custody.", ["Brent Thomas"]),
    ("Ervin Ray Pickens, 61, faces a murder charge in the death of his neighbor.", ["Ervin Ray Pickens"]),
    ("Police believe the man who shot him is Robert Pasillas, who turned himself in.", ["Robert Pasillas"]),
    ("WTVD reported 27-year-old Tiffany Segule shot her husband at their home.", ["Tiffany Segule"]),
    ("Moise Kasongo, of the 2000 block of West Jarvis Avenue, was charged with murder.", ["Moise Kasongo"]),
    ("Thirty-two-year-old Herschel Ray Jones III is scheduled for arraignment Wednesday.", ["Herschel Ray Jones III"]),
    ("Arthur Papiyan pleaded not guilty Tuesday to assault charges.", ["Arthur Papiyan"]),
    ("Authorities tracked down 37-year old Rafael Herrera Saturday in Prince George.", ["Rafael Herrera"]),  # no weekday
    # names listed together share the list's words
    ("Two men, 26-year-old Alex Claudio and 22-year-old Rafael Frias, both of Syracuse, were arrested.",
     ["Alex Claudio", "Rafael Frias"]),
    ("Kaleb Farris, 19; Joseph Shibli, 19; and Nicholas Bollinger, 18, were taken into custody.",
     ["Kaleb Farris", "Joseph Shibli", "Nicholas Bollinger"]),
    ("Police arrested John Doe and Jane Roe on Friday.", ["John Doe", "Jane Roe"]),
    ("Police arrested John Smith, Sheriff Bill Evans said on Monday.", ["John Smith"]),  # no "and": no list
    ("Jamal Berry and Ann Lee were shot and killed. Police arrested Phi Pham.", ["Phi Pham"]),
    # a victim, a place, a name that only modifies a noun, an officer who fired and was cleared: no suspect
    ("Jamal Berry was shot and killed on Friday. Police have made no arrests.", []),
    ("Hooper, of the 400 block of West Marquette, is being held without bond.", []),
    ("Williams, a 29-year-old resident of Long Beach, was arrested on suspicion of murder.", []),
    ("The Hummelstown teenager was arrested on Friday.", []),
    ("Constable Clarke Steele has been cleared of any wrongdoing.", []),
    # an active "has accused" accuses; a capitalised word that opens a sentence is no name; "is held" is an event
    ("Turkish President Erdogan has accused Fethullah Gulen of the plot.", []),
    ("If Tsarnaev is convicted, the jury will decide.", []),
    ("Police Identify Michigan Toddler Who Found Gun, Shot Self", []),  # a headline's Title Case is no name
    ("A fair, co-sponsored by Planned Parenthood of Northern New England, is held in Portsmouth.", []),
    ("Jail records show that 27-year-old Patrick Sean Carlopoli was being held Monday.", ["Patrick Sean Carlopoli"]),
    # upper-case text (MUC-4) has no mixed-case name
    ("POLICE ARRESTED JUAN PEREZ, 33, ON FRIDAY.", []),
])
def test_stated_suspects(text: str, names: list[str]) -> None:
    found = stated_suspects(text)
    assert [text[s:e] for s, e in found] == names
    for s, e in found:
        assert text[s:e].strip() == text[s:e]


def test_stated_suspects_never_raises_on_odd_input() -> None:
    for text in (None, 3, "", "arrested", "Police arrested ,", "a" * 10_000, "Police arrested Ab Cd" * 200):
        out = stated_suspects(text)  # type: ignore[arg-type]
        assert isinstance(out, list)


def test_suspects_fill_around_other_spans() -> None:
    text = "Officers arrested Marcus Webb, 31, and charged him with murder. Ann Lee was arrested too."
    webb, lee = text.index("Marcus Webb"), text.index("Ann Lee")
    suspects = [(s, e, "PERP_INDIVIDUAL") for s, e in stated_suspects(text)]
    # the tagger's cut of the name widens to it (as the Predictor calls it: perpetrator spans are replaceable)
    cut = [{"label": "PERP_INDIVIDUAL", "text": "Marcus", "start": webb, "end": webb + 6, "score": 0.7}]
    out = fill_spans(cut, text, suspects, lambda s, e: 0.25, ["PERP_INDIVIDUAL"])
    assert [(s["label"], s["text"], s["score"]) for s in out] == [
        ("PERP_INDIVIDUAL", "Marcus Webb", 0.25), ("PERP_INDIVIDUAL", "Ann Lee", 0.25)]
    # a span of another label over a name keeps it
    victim = [{"label": "KILLED", "text": "Ann Lee", "start": lee, "end": lee + 7, "score": 0.4}]
    out = fill_spans(victim, text, suspects, None, ["PERP_INDIVIDUAL"])
    assert [(s["label"], s["text"]) for s in out] == [("PERP_INDIVIDUAL", "Marcus Webb"), ("KILLED", "Ann Lee")]
    for s in out:
        assert text[s["start"]:s["end"]] == s["text"]


def test_predictor_adds_named_suspects_unless_switched_off(tiny_tokenizer) -> None:
    from incidex.model import Predictor

    from tests.conftest import build_silent_tagger

    model = build_silent_tagger(tiny_tokenizer, span_labels=["KILLED", "WOUNDED", "PERP_INDIVIDUAL"])
    text = "A man was shot dead on Friday. Police arrested Phi Pham, 33, on Sunday."
    rec = Predictor(model, tokenizer=tiny_tokenizer).predict(text)
    assert ("PERP_INDIVIDUAL", "Phi Pham") in [(s["label"], s["text"]) for s in rec["spans"]]
    assert "Phi Pham" in rec["actors"]["perpetrators"]
    model.config.stated_suspects = False
    rec = Predictor(model, tokenizer=tiny_tokenizer).predict(text)
    assert "Phi Pham" not in [s["text"] for s in rec["spans"]]


def test_doctests() -> None:
    run_doctests(suspects)
