"""Importers of doccano, Label Studio, CoNLL, GTD and ACLED corpora into format v1 (invented fixtures)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from incidex.training import corpus
from incidex.training.corpus import CorpusError, check_document, load_jsonl, write_jsonl
from incidex.training.importers import events_csv, spans
from incidex.training.importers.events_csv import read_acled_csv, read_gtd_csv
from incidex.training.importers.spans import ConversionError, read_conll, read_doccano, read_label_studio

from tests.conftest import run_doctests

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "importers"


def marked(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """The doc's spans as (text, label), checking that each is exactly on the text."""
    v1 = "annotated" not in corpus.KNOWN_KEYS  # format-v1 validator: the v2 field is checked by the importers
    assert check_document({k: v for k, v in doc.items() if not (v1 and k == "annotated")}) == [], doc
    return [(doc["text"][s["start"]:s["end"]], s["label"]) for s in doc["spans"]]


def failure(reader: Any, path: Path, **kwargs: Any) -> ConversionError:
    with pytest.raises(ConversionError) as info:
        reader(path, **kwargs)
    assert isinstance(info.value, CorpusError)
    return info.value


def where(err: ConversionError) -> list[tuple[int, str | None, str | None]]:
    return [(p.line, p.id, p.field) for p in err.problems]


@pytest.mark.parametrize("module", [spans, events_csv])
def test_docstring_examples(module: Any) -> None:
    run_doctests(module)


def test_doccano_both_forms_trimmed_spans_and_categories() -> None:
    docs = {d["id"]: d for d in read_doccano(FIXTURES / "doccano.jsonl")}
    assert list(docs) == ["1", "b-2", "doccano-3", "4"]
    assert docs["1"]["spans"][0] == {"start": 17, "end": 21, "label": "PERP_ORGANIZATION"}  # " FMLN " trimmed
    assert marked(docs["1"]) == [("FMLN", "PERP_ORGANIZATION"), ("autobús", "PHYSICAL_TARGET"),
                                 ("un niño de 8 años", "KILLED")]
    assert docs["1"]["attack_types"] == ["arson"]
    # entities form; the longest of two overlapping spans is kept; repeated category once; meta kept
    assert marked(docs["b-2"]) == [("A car bomb", "WEAPON"), ("embassy", "PHYSICAL_TARGET"),
                                   ("12 police officers", "WOUNDED")]
    assert docs["b-2"]["attack_types"] == ["bombing"]
    assert docs["b-2"]["meta"] == {"url": "https://example.org/a", "imported_from": "doccano"}
    # a "label" list of strings is a classification: types, and no spans key (not labelled for spans)
    assert docs["doccano-3"]["attack_types"] == ["kidnapping"] and "spans" not in docs["doccano-3"]
    assert docs["4"]["spans"] == [] and "attack_types" not in docs["4"]


def test_doccano_overlaps_kept_on_request() -> None:
    doc = read_doccano(FIXTURES / "doccano.jsonl", allow_overlaps=True)[1]
    assert [(doc["text"][s["start"]:s["end"]]) for s in doc["spans"]][:2] == ["A car bomb", "car bomb"]
    assert check_document(doc) != [] and check_document(doc, allow_overlaps=True) == []


def test_doccano_reports_every_bad_line_and_keeps_good_documents() -> None:
    err = failure(read_doccano, FIXTURES / "doccano_bad.jsonl")
    assert where(err) == [(2, None, None), (3, "ws", "label[0]"), (4, "oor", "label[0]"),
                          (5, "empty", "text"), (7, "ok-1", "id")]
    assert all(p.file.endswith("doccano_bad.jsonl") for p in err.problems)
    assert "only whitespace" in err.problems[1].message and "duplicate" in err.problems[4].message
    assert [d["id"] for d in err.documents] == ["ok-1", "ok-6"]


def test_label_studio_utf16_offsets_cancelled_and_choices() -> None:
    docs = {d["id"]: d for d in read_label_studio(FIXTURES / "label_studio.json")}
    assert marked(docs["101"]) == [("Al-Shabaab", "PERP_ORGANIZATION"), ("hotel", "PHYSICAL_TARGET"),
                                   ("9 guests", "KILLED")]  # emoji: offsets were UTF-16; " 9 guests" trimmed
    assert docs["101"]["attack_types"] == ["armed attack"]
    assert marked(docs["102"]) == [("a landmine", "WEAPON")]  # the cancelled annotation is skipped
    assert docs["102"]["attack_types"] == ["bombing"]
    assert "spans" not in docs["103"] and "attack_types" not in docs["103"]  # no annotation: not labelled
    assert marked(docs["104"]) == [("Two hostages", "KILLED")]  # two labels on one span: the first kept


def test_label_studio_problems_use_task_index() -> None:
    err = failure(read_label_studio, FIXTURES / "label_studio_bad.json")
    assert where(err) == [(1, "2", "annotations[0].result[0].value"), (2, "3", "data.text"), (3, None, None)]
    assert "'Rabels' does not match" in err.problems[0].message
    assert [d["id"] for d in err.documents] == ["1"]


def test_label_studio_not_a_list(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text('{"id": 1, "data": {"text": "x"}}', encoding="utf-8")
    assert "expected a JSON list" in failure(read_label_studio, path).problems[0].message


def test_conll_documents_bio_and_bioes() -> None:
    first, second = read_conll(FIXTURES / "docs.conll")
    assert first["id"] == "docs-3" and second["id"] == "docs-18"
    assert first["text"] == "Terroristas del FMLN dinamitaron la torre .\nMurieron 3 campesinos ."
    assert marked(first) == [("Terroristas", "PERP_INDIVIDUAL"), ("FMLN", "PERP_ORGANIZATION"),
                             ("la torre", "PHYSICAL_TARGET"), ("3 campesinos", "KILLED")]  # I- after O
    assert marked(second) == [("A car bomb", "WEAPON"), ("Ümit", "KILLED"), ("two others", "WOUNDED"),
                              ("Rebels", "PERP_INDIVIDUAL"), ("the", "PHYSICAL_TARGET"), ("hills", "WEAPON")]


def test_conll_without_docstart_is_one_document() -> None:
    (doc,) = read_conll(FIXTURES / "single.txt")
    assert doc["text"] == "Soldiers were ambushed\nnear Mosul ."
    assert marked(doc) == [("Soldiers", "VICTIM"), ("Mosul", "PHYSICAL_TARGET")]  # U- read as S-


def test_conll_crlf_and_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "crlf.conll"
    path.write_bytes(b"Bomba B-WEAPON\r\nen O\r\n\r\nLima S-PHYSICAL_TARGET\r\n")
    (doc,) = read_conll(path)
    assert doc["text"] == "Bomba en\nLima" and marked(doc) == [("Bomba", "WEAPON"), ("Lima", "PHYSICAL_TARGET")]
    err = failure(read_conll, FIXTURES / "bad.conll")
    assert where(err) == [(5, "bad-5", "tag"), (7, "bad-5", None)]
    assert [d["id"] for d in err.documents] == ["bad-2"]


def test_gtd_rows() -> None:
    docs = read_gtd_csv(FIXTURES / "gtd.csv")
    assert [d["id"] for d in docs] == ["199001150001", "201403020007", "gtd-5", "201801200003", "201905050001"]
    fmln, school, chibok, menaka, cyber = docs
    assert fmln["attack_types"] == ["armed attack", "bombing"]
    assert fmln["casualties"] == {"killed": 3, "wounded": None}  # "3.0" and a blank nwound
    assert marked(fmln) == [("Farabundo Marti National Liberation Front", "PERP_ORGANIZATION"),
                            ("FMLN", "PERP_ORGANIZATION")]  # the acronym in brackets is searched too
    assert school["text"].endswith("Kano.\nNo casualties were reported.")  # quoted, on two lines
    assert school["attack_types"] == ["arson"]  # facility attack with an incendiary weapon
    assert school["spans"] == [] and school["meta"]["gname"] == "Unknown"
    assert chibok["attack_types"] == ["kidnapping"] and chibok["casualties"] == {"killed": None, "wounded": 2}
    assert marked(chibok) == [("Boko Haram", "PERP_ORGANIZATION")]
    assert "attack_types" not in menaka  # "Unknown" only: not labelled for types
    assert menaka["spans"] == [] and menaka["casualties"] == {"killed": 4, "wounded": 0}  # group not in text
    assert cyber["attack_types"] == ["cyber attack"] and marked(cyber) == [("Anonymous", "PERP_ORGANIZATION")]
    assert all(d["meta"]["span_labels"] == ["PERP_ORGANIZATION"] for d in docs)
    # only the perpetrator label is annotated; every type of the GTD table (and the row's own) can be
    assert all(d["annotated"]["spans"] == ["PERP_ORGANIZATION"] for d in docs)
    gtd_types = {v for v in events_csv.GTD_ATTACK_TYPES.values() if v}
    assert set(fmln["annotated"]["attack_types"]) == gtd_types
    assert set(cyber["annotated"]["attack_types"]) == gtd_types | {"cyber attack"}
    assert menaka["annotated"]["attack_types"] == []  # type unknown: no type annotated


def test_gtd_type_map_override() -> None:
    docs = read_gtd_csv(FIXTURES / "gtd.csv", type_map={"armed assault": "attack", "Cyber Attack": None})
    assert docs[0]["attack_types"] == ["attack", "bombing"] and "attack_types" not in docs[4]


def test_gtd_bad_rows_reported_with_physical_lines() -> None:
    err = failure(read_gtd_csv, FIXTURES / "gtd_bad.csv")
    assert where(err) == [(4, "g2", "nkill"), (5, "g3", "summary"), (6, "g4", None), (8, "g6", "nwound")]
    assert "3 fields where the header has 6" in err.problems[2].message
    assert [d["id"] for d in err.documents] == ["g1", "g5"]
    assert marked(err.documents[0]) == [("ELN", "PERP_ORGANIZATION")]
    err = failure(read_gtd_csv, FIXTURES / "gtd_bad.csv", skip_empty=True)
    assert [p.line for p in err.problems] == [4, 6, 8]


def test_acled_rows() -> None:
    docs = {d["id"]: d for d in read_acled_csv(FIXTURES / "acled.csv")}
    nig, mli, som, syr, ukr = docs.values()
    assert nig["attack_types"] == ["armed attack"] and nig["casualties"] == {"killed": 7, "wounded": None}
    assert marked(nig) == [("Military Forces of Nigeria", "PERP_ORGANIZATION")]  # "(2015-)" dropped
    assert mli["attack_types"] == ["bombing"] and marked(mli) == [("JNIM", "PERP_ORGANIZATION")]
    assert som["attack_types"] == [] and som["spans"] == []  # peaceful protest; protesters are not a group
    assert "attack_types" not in syr and syr["spans"] == [] and syr["casualties"]["killed"] is None
    assert ukr["attack_types"] == ["air strike"] and ukr["casualties"]["killed"] == 3
    assert marked(ukr) == [("Military Forces of Russia", "PERP_ORGANIZATION")]  # actor2 civilians unmarked
    assert som["annotated"]["spans"] == ["PERP_ORGANIZATION"] and "riot" in som["annotated"]["attack_types"]
    assert syr["annotated"]["attack_types"] == []  # "Other": type unknown, none annotated


def test_acled_header_and_encoding_problems(tmp_path: Path) -> None:
    path = tmp_path / "acled.csv"
    path.write_text("event_id_cnty,sub_event_type,fatalities\nX1,Attack,2\n", encoding="utf-8")
    assert where(failure(read_acled_csv, path)) == [(1, None, "notes")]
    path.write_bytes(b"event_id_cnty,notes,fatalities\nX1,ok,1\nX2,caf\xe9 attacked,abc\n")
    err = failure(read_acled_csv, path)
    assert where(err) == [(3, None, None)] and "encoding=" in err.problems[0].message
    err = failure(read_acled_csv, path, encoding="cp1252")
    assert where(err) == [(3, "X2", "fatalities")] and err.documents[0]["text"] == "ok"


def test_empty_inputs_are_errors(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    assert "no documents" in str(failure(read_doccano, tmp_path / "empty.jsonl"))
    assert "no header" in str(failure(read_gtd_csv, tmp_path / "empty.csv"))


@pytest.mark.parametrize("reader, name", [
    (read_doccano, "doccano.jsonl"), (read_label_studio, "label_studio.json"), (read_conll, "docs.conll"),
    (read_gtd_csv, "gtd.csv"), (read_acled_csv, "acled.csv"),
])
def test_output_loads_as_a_valid_corpus(tmp_path: Path, reader: Any, name: str) -> None:
    docs = reader(FIXTURES / name)
    if "annotated" not in corpus.KNOWN_KEYS:  # until the validator reads format v2
        docs = [{k: v for k, v in d.items() if k != "annotated"} for d in docs]
    out = tmp_path / "out.jsonl"
    assert write_jsonl(docs, out) == len(docs)
    assert [d["id"] for d in load_jsonl(out)] == [str(d["id"]) for d in docs]
    assert all(json.loads(line)["text"] for line in out.read_text(encoding="utf-8").splitlines())
