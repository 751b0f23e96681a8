"""News-corpus importers (wikievents, m2e2, satp, gvdb): invented fixtures, then global facts of the real files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from incidex.training import corpus
from incidex.training.corpus import check_document
from incidex.training.importers import common, gvdb, m2e2, satp, wikievents
from incidex.training.importers.gvdb import read_gvdb
from incidex.training.importers.m2e2 import read_m2e2
from incidex.training.importers.satp import read_satp
from incidex.training.importers.spans import ConversionError
from incidex.training.importers.wikievents import join_tokens, read_wikievents

from tests.conftest import run_doctests

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "news"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def checked(docs: list[dict[str, Any]], module: Any) -> list[dict[str, Any]]:
    """Every document valid, exact and unique, with labels from the module's declared vocabulary."""
    v1 = "annotated" not in corpus.KNOWN_KEYS  # a format-v1 validator: the importers check the v2 field
    for doc in docs:
        assert check_document({k: v for k, v in doc.items() if not (v1 and k == "annotated")}) == [], doc["id"]
        for s in doc["spans"]:
            assert doc["text"][s["start"]:s["end"]] == s["text"] == s["text"].strip()
            assert s["label"] in module.SPAN_LABELS
        assert set(doc["attack_types"]) <= set(module.ATTACK_TYPES)
        ann = doc.get("annotated", {"spans": module.SPAN_LABELS, "attack_types": module.ATTACK_TYPES})
        assert {s["label"] for s in doc["spans"]} <= set(ann["spans"])
        assert set(doc["attack_types"]) <= set(ann["attack_types"])
    assert len({d["id"] for d in docs}) == len(docs)
    return docs


def marked(doc: dict[str, Any]) -> list[tuple[str, str]]:
    return [(s["text"], s["label"]) for s in doc["spans"]]


def problems(reader: Any, path: Path) -> tuple[list[tuple[str, int, str | None, str | None]], list[str]]:
    with pytest.raises(ConversionError) as info:
        reader(path)
    return ([(Path(p.file).name, p.line, p.id, p.field) for p in info.value.problems],
            [d["id"] for d in info.value.documents])


@pytest.mark.parametrize("module", [common, wikievents, m2e2, satp, gvdb])
def test_docstring_examples(module: Any) -> None:
    run_doctests(module)


# ---------------------------------------------------------------------------------------------- wikievents
def test_join_tokens_offsets_are_exact() -> None:
    tokens = ["“", "We", "haven", "’", "t", "seen", "$", "40", "(", "or", "so", ")", ",", "”", "he", "said", "."]
    text, offsets = join_tokens(tokens)
    assert text == "“We haven’t seen $40 (or so),” he said."
    assert [text[a:b] for a, b in offsets] == tokens


def test_wikievents_derived_alignment_nearest_trigger() -> None:
    attack, arrest = checked(read_wikievents(FIXTURES / "wikievents_derived.jsonl"), wikievents)
    assert attack["text"].startswith("Gunmen attacked a police post in Dara on Monday, officials said. A car bomb")
    assert "Tom Russell’s son." in attack["text"]
    assert attack["attack_types"] == ["Conflict.Attack", "Life.Die", "Life.Injure"]  # Contact.Contact not kept
    assert "Contact.Contact" in attack["meta"]["event_types"]
    # "police post" occurs twice: each attack's Target is the occurrence nearest its own trigger
    targets = [s["start"] for s in attack["spans"] if s["label"] == "Conflict.Attack.Target"]
    first, second = attack["text"].index("police post"), attack["text"].rindex("police post")
    assert targets == [first, second]
    assert marked(attack) == [
        ("Gunmen", "Conflict.Attack.Attacker"), ("police post", "Conflict.Attack.Target"),
        ("car bomb", "Conflict.Attack.ExplosiveDevice"),  # also the Killer: ExplosiveDevice comes first
        ("police post", "Conflict.Attack.Target"),
        ("Tom Russell", "Life.Die.Victim"),  # "Tom Russel" in the source: a lost doubled letter, repaired
        ("witnesses", "Life.Injure.Victim"),  # no trigger position, but the string occurs once
    ]
    assert attack["meta"]["repaired"] == [{"role": "Life.Die.Victim", "text": "Tom Russel"}]
    # not in the text; and occurring twice for an event without trigger position
    assert attack["meta"]["unaligned"] == [{"role": "Life.Die.Victim", "text": "bystanders"},
                                           {"role": "Life.Injure.Victim", "text": "police post"}]
    assert "annotated" not in attack  # the whole declared vocabulary is annotated
    assert arrest["attack_types"] == [] and arrest["spans"] == []


def test_wikievents_official_form_uses_text_and_entity_offsets() -> None:
    (doc,) = checked(read_wikievents(FIXTURES / "wikievents_official.jsonl"), wikievents)
    assert doc["id"] == "fixture_official_1"
    assert doc["text"] == "Gunmen shot two  guards at the bank. The guards died later; the gunmen escaped."
    assert doc["attack_types"] == ["Conflict.Attack", "Life.Die"]  # three-level types cut to two
    assert doc["meta"]["event_types"] == ["Conflict.Attack.FirearmAttack", "Life.Die.Unspecified"]
    assert marked(doc) == [("Gunmen", "Conflict.Attack.Attacker"), ("two  guards", "Conflict.Attack.Target"),
                           ("guards", "Life.Die.Victim"), ("gunmen", "Life.Die.Killer")]
    # the Victim's entity mention is the second "guards"; the Killer's entity id is unknown: string search
    assert doc["spans"][2]["start"] == doc["text"].rindex("guards")


def test_wikievents_bad_lines_named() -> None:
    found, good = problems(read_wikievents, FIXTURES / "wikievents_bad.jsonl")
    assert found == [("wikievents_bad.jsonl", 2, None, None), ("wikievents_bad.jsonl", 3, "no_tokens", "tokens"),
                     ("wikievents_bad.jsonl", 4, "bad_trigger", "event_mentions[0].trigger")]
    assert good == ["fixture_arrest_2"]


# ---------------------------------------------------------------------------------------------------- m2e2
def test_m2e2_folder_merges_the_two_files(tmp_path: Path) -> None:
    docs = checked(read_m2e2(m2e2_folder(tmp_path)), m2e2)
    attack, die, both, quiet = docs
    assert [d["id"] for d in docs] == [f"VOA_TEST_2016.01.01.1_{i}" for i in range(4)]
    assert marked(attack) == [("Militants", "Conflict:Attack.Attacker.PER"), ("Front", "Conflict:Attack.Attacker.ORG"),
                              ("bus", "Conflict:Attack.Target.VEH")]  # "bus" found 2 characters from its index
    assert attack["attack_types"] == ["Conflict:Attack"] and attack["meta"]["article"] == "VOA_TEST_2016.01.01.1"
    # same range Target/Victim: the Victim; nested Instrument "bomb" in "roadside bomb" and Attacker "Front"
    # inside "the Front": the longest
    assert marked(die) == [("soldiers", "Life:Die.Victim"), ("roadside bomb", "Conflict:Attack.Instrument"),
                           ("the Front", "Life:Die.Agent.ORG")]
    assert die["attack_types"] == ["Conflict:Attack", "Life:Die"]
    # in both files: the union of their events
    assert both["meta"]["files"] == ["text_only_event.json", "text_multimedia_event.json"]
    assert both["attack_types"] == ["Life:Die"] and both["meta"]["event_types"] == ["Contact:Meet", "Life:Die"]
    assert marked(both) == [("man", "Life:Die.Victim")]
    assert quiet["attack_types"] == [] and quiet["spans"] == []


def m2e2_folder(tmp_path: Path) -> Path:
    """The invented fixtures under the file names the M2E2 reader looks for in a folder (the repository keeps
    them under other names, so that no file here looks like a copy of the distribution)."""
    import shutil

    folder = tmp_path / "m2e2"
    folder.mkdir()
    shutil.copy(FIXTURES / "m2e2" / "invented_text_only.json", folder / "text_only_event.json")
    shutil.copy(FIXTURES / "m2e2" / "invented_multimedia.json", folder / "text_multimedia_event.json")
    return folder


def test_m2e2_one_file_alone() -> None:
    docs = checked(read_m2e2(FIXTURES / "m2e2" / "invented_text_only.json"), m2e2)
    assert len(docs) == 4 and docs[2]["attack_types"] == []  # its Life:Die is in the other file


def test_m2e2_bad_sentences_named() -> None:
    found, good = problems(read_m2e2, FIXTURES / "m2e2_bad.json")
    assert found == [("m2e2_bad.json", 1, "VOA_TEST_2016.01.01.2_0", "sentence"),
                     ("m2e2_bad.json", 2, "VOA_TEST_2016.01.01.2_1", "golden-event-mentions[0].arguments[0]")]
    assert good == ["VOA_TEST_2016.01.01.1_3"]


# ---------------------------------------------------------------------------------------------------- satp
def test_satp_types_only() -> None:
    docs = checked(read_satp(FIXTURES / "satp_train.tsv"), satp)
    assert [d["id"] for d in docs] == [f"satp-satp_train-{i}" for i in (1, 2, 3, 4)]
    assert [d["attack_types"] for d in docs] == [["armed_assault"], ["armed_assault", "bombing", "kidnapping"],
                                                 ["other"], ["bombing"]]
    assert docs[2]["text"].endswith('a "hideout" was burnt.')  # a quote is text, not CSV quoting
    assert all(d["annotated"] == {"spans": [], "attack_types": list(satp.ATTACK_TYPES)} for d in docs)
    assert all(d["spans"] == [] and "casualties" not in d for d in docs)


def test_satp_bad_lines_named() -> None:
    found, good = problems(read_satp, FIXTURES / "satp_bad.tsv")
    assert found == [("satp_bad.tsv", 2, "satp-satp_bad-2", None), ("satp_bad.tsv", 4, "satp-satp_bad-4", "kidnapping"),
                     ("satp_bad.tsv", 5, "satp-satp_bad-5", "text")]
    assert good == ["satp-satp_bad-1"]


# ---------------------------------------------------------------------------------------------------- gvdb
def test_gvdb_victims_shooters_counts() -> None:
    docs = checked(read_gvdb(FIXTURES / "gvdb.tsv"), gvdb)
    elm, drive_by, self_inflicted, no_victim = docs
    assert [d["id"] for d in docs] == ["gvdb-901", "gvdb-902", "gvdb-903", "gvdb-904"]
    assert all(d["attack_types"] == ["shooting"] for d in docs)
    assert all(d["annotated"] == {"spans": list(gvdb.SPAN_LABELS), "attack_types": ["shooting"]} for d in docs)
    assert marked(elm) == [("Jon Doe", "victim_killed"), ("Ann Roe", "victim_injured"), ("Ed Poe", "victim_injured"),
                           ("Max Kane", "shooter"), ("shotgun", "gun")]
    assert elm["casualties"] == {"killed": 1, "wounded": 2}  # injured, and injured + hospitalized
    assert elm["meta"]["url"] == "http://news.invalid/1"
    # offsets off the text: repaired when the value occurs once, else dropped
    assert marked(drive_by) == [("Lia Fox", "victim_injured")]
    assert drive_by["meta"]["repaired"][0]["value"] == "Lia Fox"
    assert drive_by["meta"]["dropped"][0]["value"] == "Bob Vane"
    assert drive_by["casualties"] == {"killed": None, "wounded": None}  # a victim without outcome
    assert marked(self_inflicted) == [("Ray Orr", "victim_killed")]  # shooter on the same range: the victim
    assert self_inflicted["casualties"] == {"killed": 1, "wounded": 0}
    assert no_victim["spans"] == [] and no_victim["casualties"] == {"killed": None, "wounded": None}


def test_gvdb_all_mentions() -> None:
    elm = checked(read_gvdb(FIXTURES / "gvdb.tsv", all_mentions=True), gvdb)[0]
    assert [s["start"] for s in elm["spans"] if s["label"] == "victim_killed"] == [
        elm["text"].index("Jon Doe"), elm["text"].rindex("Jon Doe")]


def test_gvdb_bad_rows_named_by_physical_line() -> None:
    found, good = problems(read_gvdb, FIXTURES / "gvdb_bad.tsv")
    # the first article's text holds a newline: the next row starts on line 4
    assert found == [("gvdb_bad.tsv", 4, "gvdb-2", "Json"), ("gvdb_bad.tsv", 6, None, None),
                     ("gvdb_bad.tsv", 7, "gvdb-4", "Full text")]
    assert good == ["gvdb-1"]


# ----------------------------------------------------------------------------------------------- real files
def real(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path


def labels(docs: list[dict[str, Any]]) -> Counter[str]:
    return Counter(s["label"] for d in docs for s in d["spans"])


def test_real_wikievents() -> None:
    docs = checked(read_wikievents(real("wikievents", "train.jsonl")), wikievents)
    assert len(docs) == 206  # SOURCE.md: 206 articles
    found = labels(docs)
    assert set(found) == set(wikievents.SPAN_LABELS)
    assert 350 <= found["Life.Die.Victim"] <= 452 and 200 <= found["Conflict.Attack.Attacker"] <= 297
    unaligned = sum(len(d["meta"].get("unaligned", [])) for d in docs)
    assert unaligned < 50  # of 1,780 violent-role arguments


def test_real_m2e2() -> None:
    docs = checked(read_m2e2(real("m2e2")), m2e2)
    files = Counter(f for d in docs for f in d["meta"]["files"])
    assert (files["text_only_event.json"], files["text_multimedia_event.json"]) == (6013, 192)  # SOURCE.md
    assert len(docs) == 6013 + 192 - 38  # 38 sentences are in both files: one document each
    found = labels(docs)
    attackers = sum(n for label, n in found.items() if label.startswith("Conflict:Attack.Attacker."))
    assert 150 <= attackers <= 178 and 130 <= found["Life:Die.Victim"] <= 157  # SOURCE.md: 178 and 157
    assert sum(1 for d in docs if "Conflict:Attack" in d["attack_types"]) > 250


def test_real_satp() -> None:
    train = checked(read_satp(real("satp", "train.tsv")), satp)
    dev = checked(read_satp(real("satp", "dev.tsv")), satp)
    assert (len(train), len(dev)) == (1085, 232)  # SOURCE.md
    counts = Counter(t for d in train for t in d["attack_types"])
    assert set(counts) == set(satp.ATTACK_TYPES) and counts["kidnapping"] < counts["bombing"]


def test_real_gvdb() -> None:
    docs = checked(read_gvdb(real("gvdb", "dev.tsv")), gvdb)
    assert len(docs) == 400  # SOURCE.md
    found = labels(docs)
    assert found["victim_killed"] > found["victim_injured"] > 0 and found["shooter"] > 50 and found["gun"] > 20
    assert sum(len(d["meta"].get("dropped", [])) for d in docs) <= 5
    killed = [d["casualties"]["killed"] for d in docs if d["casualties"]["killed"] is not None]
    assert len(killed) > 300 and sum(killed) > 200
