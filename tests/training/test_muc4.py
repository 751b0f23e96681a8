"""Tests of the MUC-4 importer: invented fixtures (tests/fixtures/muc4/) and the real data, when shared."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from incidex.training.corpus import validate_files, write_jsonl
from incidex.training.importers.muc4 import (
    MUC4_ATTACK_TYPES,
    MUC4_SPAN_LABELS,
    alternatives,
    gtt_coverage,
    parse_key,
    parse_number,
    read_muc4,
    split_xref,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "muc4"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "muc4"


@pytest.fixture(scope="module")
def docs() -> dict[str, dict]:
    return {d["id"]: d for d in read_muc4(FIXTURES, ["dev", "tst4"])}


def spans_of(doc: dict) -> list[tuple[str, str]]:
    """(label, text with whitespace collapsed) of each span, in text order."""
    return [(s["label"], " ".join(doc["text"][s["start"]:s["end"]].split())) for s in doc["spans"]]


# ----------------------------------------------------------------------------------------- key syntax
def test_alternatives_handle_quotes_question_marks_and_slashes():
    assert alternatives('"\\"LOS PINOS\\" POWER STATION" / "STATION"') == ['"LOS PINOS" POWER STATION', "STATION"]
    assert alternatives('? "\\"RED DAWN\\" COMMAND"') == ['"RED DAWN" COMMAND']
    assert alternatives('"ARMED MEN"/"KIDNAPPERS"') == ["ARMED MEN", "KIDNAPPERS"]
    assert alternatives('ROCKETS"') == ["ROCKETS"]  # unpaired quote (a typo found in the real keys)
    assert alternatives("GUERRILLAS") == ["GUERRILLAS"]  # unquoted filler
    assert alternatives("-") == [] and alternatives("*") == []


def test_split_xref_and_numbers():
    assert split_xref('"ENGINEER"  / "ENGINEER ROSA MARIN": "ROSA MARIN"') == ('"ENGINEER"  / "ENGINEER ROSA MARIN"', ' "ROSA MARIN"')
    assert split_xref('"CIVILIAN"') == ('"CIVILIAN"', None)
    assert [parse_number(v) for v in ["1", "~20", "4-", "7 - 10", "-12", "PLURAL", "? 3", "10 / 10- / PLURAL", "-"]] == [
        1, 20, 4, 7, None, None, 3, 10, None]


def test_parse_key_reads_continuations_and_comments():
    key = (FIXTURES / "dev" / "key-dev-fixture-a.muc4").read_text()
    parsed = dict(parse_key(key))
    assert list(parsed) == ["DEV-MUC3-0001", "DEV-MUC3-0002"]
    first = parsed["DEV-MUC3-0001"][0]
    assert first[6] == ['"DYNAMITE"', '? "MACHINEGUNS"']
    assert first[19] == ['"MAYOR": "ANSELMO VIDAL"', '"GUARDS"', '"PASSERSBY"']
    assert len(parsed["DEV-MUC3-0001"]) == 2


def test_parse_key_rejects_unreadable_lines():
    with pytest.raises(ValueError, match=r"bad-key:2"):
        parse_key("0.  MESSAGE: ID                     DEV-MUC3-0001\nGARBAGE HERE\n", "bad-key")


# ----------------------------------------------------------------------------------------- fixtures
def test_documents_in_corpus_order_with_set(docs):
    assert list(docs) == ["DEV-MUC3-0001", "DEV-MUC3-0002", "DEV-MUC3-0003", "DEV-MUC3-0004", "TST4-MUC4-0001"]
    assert docs["DEV-MUC3-0003"]["meta"] == {"set": "dev"}
    text = docs["DEV-MUC3-0001"]["text"]
    assert text.startswith("SAN ISIDRO, 3 MAR 90 (RADIO NORTE) -- [TEXT] URBAN GUERRILLAS")  # dateline kept
    assert text.endswith("ABOUT 20 PASSENGERS DIED.")


def test_attack_types(docs):
    assert docs["DEV-MUC3-0001"]["attack_types"] == ["arson", "attack", "bombing"]  # ATTACK / BOMBING gives both
    assert docs["DEV-MUC3-0002"]["attack_types"] == []  # irrelevant document
    assert docs["DEV-MUC3-0003"]["attack_types"] == ["kidnapping"]
    assert docs["TST4-MUC4-0001"]["attack_types"] == ["bombing"]


def test_spans_longest_wins_and_labels_by_effect(docs):
    assert spans_of(docs["DEV-MUC3-0001"]) == [
        ("PERP_INDIVIDUAL", "URBAN GUERRILLAS OF THE NORTHERN PEOPLE'S FRONT [FPN]"),  # swallows the org names
        ("PHYSICAL_TARGET", '"LOS PINOS" POWER STATION'),  # escaped quotes, across a line break
        ("WEAPON", "DYNAMITE"),
        ("WEAPON", "MACHINEGUNS"),  # '?' filler
        ("KILLED", "GUARDS"),
        ("WOUNDED", "PASSERSBY"),
        ("VICTIM", "MAYOR"),  # description linked to the name
        ("VICTIM", "ANSELMO VIDAL"),
        ("PHYSICAL_TARGET", "STATION"),
        ("PERP_INDIVIDUAL", "GUERRILLAS"),
        ("PHYSICAL_TARGET", "BUS"),  # not inside BUSINESS
        ("KILLED", "PASSENGERS"),
    ]
    assert spans_of(docs["DEV-MUC3-0003"]) == [
        ("PERP_INDIVIDUAL", "ARMED MEN"), ("VICTIM", "TOURISTS"), ("VICTIM", "ENGINEER ROSA MARIN"),
        ("PERP_INDIVIDUAL", "KIDNAPPERS"), ("PERP_ORGANIZATION", '"RED DAWN" COMMAND'), ("VICTIM", "TOURISTS"),
    ]
    assert spans_of(docs["DEV-MUC3-0004"]) == [
        ("KILLED", "PEASANTS"), ("WOUNDED", "SOLDIERS"), ("PERP_INDIVIDUAL", "TERRORISTS"),
        ("WEAPON", "MORTARS"), ("WEAPON", "ROCKETS"), ("PHYSICAL_TARGET", "MARKET"),
    ]
    assert docs["DEV-MUC3-0002"]["spans"] == []


def test_span_offsets_are_exact(docs):
    doc = docs["DEV-MUC3-0001"]
    text = doc["text"]
    by_text = {" ".join(text[s["start"]:s["end"]].split()): s for s in doc["spans"]}
    assert (by_text["GUARDS"]["start"], by_text["GUARDS"]["end"]) == (text.index("GUARDS"), text.index("GUARDS") + 6)
    start = text.index('"LOS PINOS"')
    assert (by_text['"LOS PINOS" POWER STATION']["start"], by_text['"LOS PINOS" POWER STATION']["end"]) == (
        start, text.index("STATION", start) + len("STATION"))
    fillers = {"URBAN GUERRILLAS OF THE NORTHERN PEOPLE'S FRONT [FPN]", '"LOS PINOS" POWER STATION', "DYNAMITE",
               "MACHINEGUNS", "GUARDS", "PASSERSBY", "MAYOR", "ANSELMO VIDAL", "STATION", "GUERRILLAS", "BUS",
               "PASSENGERS"}
    for s in doc["spans"]:
        assert " ".join(text[s["start"]:s["end"]].split()).upper() in fillers


def test_mixed_case_copy_replaces_upper_case_text(docs):
    doc = docs["TST4-MUC4-0001"]
    assert doc["text"].startswith("San Isidro, 9 Apr 90")
    assert spans_of(doc) == [("PERP_INDIVIDUAL", "Guerrillas"), ("PHYSICAL_TARGET", "Central Bank"), ("KILLED", "guard")]
    assert doc["text"][doc["spans"][2]["start"]:doc["spans"][2]["end"]] == "guard"


def test_casualties(docs):
    assert docs["DEV-MUC3-0001"]["casualties"] == {"killed": 2 + 20, "wounded": 3}  # 20 from TOTAL NUMBER ~20
    assert docs["DEV-MUC3-0002"]["casualties"] == {"killed": 0, "wounded": 0}  # irrelevant
    assert docs["DEV-MUC3-0003"]["casualties"] == {"killed": 0, "wounded": 0}  # kidnapping, freed
    assert docs["DEV-MUC3-0004"]["casualties"] == {"killed": None, "wounded": 4}  # "-12" = at most 12: unknown
    assert docs["TST4-MUC4-0001"]["casualties"] == {"killed": 1, "wounded": 0}


def test_incidents(docs):
    first, second = docs["DEV-MUC3-0001"]["incidents"]
    assert first == {
        "type": "attack", "stage": "accomplished", "optional": False,
        "PerpInd": [["URBAN GUERRILLAS OF THE NORTHERN PEOPLE'S FRONT [FPN]", "URBAN GUERRILLAS"]],
        "PerpOrg": [["NORTHERN PEOPLE'S FRONT", "FPN"]],
        "Target": [['"LOS PINOS" POWER STATION', "STATION"]],
        "Victim": [["ANSELMO VIDAL", "MAYOR"], ["GUARDS"], ["PASSERSBY"]],
        "Weapon": [["DYNAMITE"], ["MACHINEGUNS"]],
    }
    assert second["type"] == "arson" and second["optional"] is True and second["Weapon"] == []
    assert docs["DEV-MUC3-0002"]["incidents"] == []
    assert docs["DEV-MUC3-0003"]["incidents"][0]["Victim"] == [["ROSA MARIN", "ENGINEER", "ENGINEER ROSA MARIN"], ["TOURISTS"]]
    assert docs["DEV-MUC3-0004"]["incidents"][0]["Weapon"] == [["MORTARS"], ["ROCKETS"]]


def test_fixture_corpus_validates(docs, tmp_path):
    path = tmp_path / "fixtures.jsonl"
    write_jsonl(docs.values(), path)
    assert validate_files([path], span_labels=MUC4_SPAN_LABELS, attack_types=MUC4_ATTACK_TYPES) == []


def test_missing_set_folder_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="tst9"):
        read_muc4(FIXTURES, ["tst9"])


def test_key_naming_a_document_without_text_is_an_error(tmp_path):
    set_dir = tmp_path / "tst4"
    shutil.copytree(FIXTURES / "tst4", set_dir)
    key = set_dir / "key-tst4-fixture.v2"
    key.write_text(key.read_text().replace("TST4-MUC4-0001", "TST4-MUC4-0099"))
    with pytest.raises(ValueError, match=r"key-tst4-fixture\.v2.*TST4-MUC4-0099"):
        read_muc4(tmp_path, ["tst4"])


# ----------------------------------------------------------------------------------------- real data
def test_real_tst1_tst2_convert_validate_and_cover_gtt(tmp_path):
    corpora = SHARED / "raw" / "TASK" / "CORPORA"
    gtt = SHARED / "processed_gtt" / "dev.json"
    if not corpora.is_dir() or not gtt.is_file():
        pytest.fail(f"MUC-4 shared data not found: expected {corpora} and {gtt} (see shared/data/muc4/SOURCE.md)")
    docs = read_muc4(corpora, ["tst1", "tst2"])
    assert len(docs) == 200
    assert sum(len(d["incidents"]) for d in docs) == 191  # optional templates included, as in SOURCE.md
    assert sum(bool(d["incidents"]) for d in docs) == 116
    path = tmp_path / "tst.jsonl"
    write_jsonl(docs, path)
    problems = validate_files([path], span_labels=MUC4_SPAN_LABELS, attack_types=MUC4_ATTACK_TYPES)
    assert [str(p) for p in problems] == []
    cov = gtt_coverage(docs, gtt)
    assert cov["missing"] == [] and cov["unaligned"] == []
    assert cov["coverage"] >= 0.95, cov["by_string"]
