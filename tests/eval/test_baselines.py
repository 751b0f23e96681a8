"""eval.baselines on a small invented corpus where word choice gives the attack type away."""

from __future__ import annotations

import random

import pytest
from incidex.eval.baselines import (
    majority_baseline,
    majority_label_set,
    tfidf_logreg_baseline,
    tfidf_logreg_predict,
)

LABELS = ["arson", "bombing", "kidnapping"]
CITIES = ["Lima", "Bogota", "Quito", "Medellin", "Cali", "Cuzco", "Ayacucho", "Santiago"]
PLACES = ["bank", "police station", "power tower", "bus terminal", "town hall", "market"]
PEOPLE = ["a businessman", "two engineers", "a mayor", "a judge", "three tourists", "a priest"]
TEMPLATES = {
    "bombing": [
        "A car bomb exploded outside the {place} in {city}, police said.",
        "A powerful explosive device detonated near the {place} in {city} causing a loud blast.",
        "Dynamite charges exploded at the {place} in {city} overnight, the army said.",
    ],
    "kidnapping": [
        "Armed men kidnapped {person} in {city} and demanded a ransom.",
        "{person} was abducted by gunmen in {city}; the kidnappers want a ransom.",
        "Guerrillas are holding {person} hostage after a kidnapping in {city}.",
    ],
    "arson": [
        "Unknown attackers set fire to the {place} in {city}, and the building burned.",
        "Arsonists torched the {place} in {city}; firemen fought the blaze for hours.",
        "The {place} in {city} was set ablaze and burned to the ground.",
    ],
    "none": [
        "The government of {city} discussed economic reforms at a meeting on Tuesday.",
        "Officials in {city} announced new trade agreements and a budget for schools.",
        "The president visited {city} to open a conference on agriculture and exports.",
    ],
}


def make_corpus(counts: dict[str, int], seed: int) -> list[dict]:
    rng = random.Random(seed)
    docs = []
    for kind, n in counts.items():
        for _ in range(n):
            text = rng.choice(TEMPLATES[kind]).format(
                city=rng.choice(CITIES), place=rng.choice(PLACES), person=rng.choice(PEOPLE)
            )
            docs.append({"text": text, "attack_types": [] if kind == "none" else [kind]})
    rng.shuffle(docs)
    return docs


TRAIN = make_corpus({"none": 24, "bombing": 14, "kidnapping": 12, "arson": 10}, seed=1)
EVAL = make_corpus({"none": 8, "bombing": 6, "kidnapping": 6, "arson": 5}, seed=2)


def test_majority_label_set_and_metrics() -> None:
    # "no attack" ([]) is the most frequent training label set (24 of 60)
    assert majority_label_set(TRAIN, LABELS) == []
    m = majority_baseline(TRAIN, EVAL, LABELS)
    # predicting [] everywhere: right on the 8 no-attack docs of 25, no label ever predicted
    assert m["exact_match"] == pytest.approx(8 / 25)
    assert m["samples_f1"] == pytest.approx(8 / 25)
    assert m["micro_f1"] == 0.0 and m["macro_f1"] == 0.0
    assert m["no_attack"]["r"] == 1.0 and m["no_attack"]["p"] == pytest.approx(8 / 25)


def test_majority_ties_and_label_filtering() -> None:
    train = [
        {"text": "a", "attack_types": ["bombing", "arson"]},
        {"text": "b", "attack_types": ["arson", "bombing"]},
        {"text": "c", "attack_types": ["kidnapping"]},
        {
            "text": "d",
            "attack_types": ["kidnapping", "riot"],
        },  # "riot" is not a label: counts as ["kidnapping"]
        {"text": "e"},  # not labelled for types: ignored
    ]
    # ("arson", "bombing") and ("kidnapping",) both appear twice: the smaller tuple wins
    assert majority_label_set(train, LABELS) == ["arson", "bombing"]
    with pytest.raises(ValueError):
        majority_label_set([{"text": "x"}], LABELS)


def test_tfidf_beats_majority() -> None:
    majority = majority_baseline(TRAIN, EVAL, LABELS)
    tfidf = tfidf_logreg_baseline(TRAIN, EVAL, LABELS, seed=0)
    assert tfidf["macro_f1"] > majority["macro_f1"] + 0.5
    assert tfidf["exact_match"] > majority["exact_match"] + 0.3
    assert tfidf["no_attack"]["f1"] > majority["no_attack"]["f1"]
    assert tfidf["n"] == majority["n"] == 25


def test_tfidf_predictions_shape_and_determinism() -> None:
    unlabelled = [{"text": "A bomb exploded at the bank in Lima."}]  # no attack_types: skipped
    first = tfidf_logreg_predict(TRAIN, EVAL + unlabelled, LABELS, seed=3)
    assert len(first) == len(EVAL) and all(set(p) <= set(LABELS) for p in first)
    assert first == tfidf_logreg_predict(TRAIN, EVAL, LABELS, seed=3)
    assert tfidf_logreg_predict(TRAIN, [], LABELS) == []


def test_tfidf_constant_label() -> None:
    # "arson" never occurs in training: predicted never, without error
    train = [d for d in TRAIN if d["attack_types"] != ["arson"]]
    preds = tfidf_logreg_predict(train, EVAL, LABELS)
    assert not any("arson" in p for p in preds)
