"""The shared batch I/O layer: every reader, bad rows as error records in place, writers, the output file."""

from __future__ import annotations

import csv
import gzip
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from incidex.model.io import InputRecord, error_record, input_files, iter_file, iter_inputs
from incidex.model.output import OutputFile, record_line

GOOD = "Gunmen killed two police officers."


def rows(path, **kw):
    return [(r.line, r.id, r.text, r.error) for r in iter_inputs([path], **kw)]


def test_jsonl_bom_null_non_string_surrogate_and_bad_id(tmp_path):
    p = tmp_path / "in.jsonl"
    p.write_bytes(b"\xef\xbb\xbf" + b"\n".join([
        b'{"id": "a", "text": "' + GOOD.encode() + b'"}',
        b'{"id": "b", "text": null}',
        b'{"id": "c", "text": ["x"]}',
        b'{"id": "d", "text": "bad \\ud800 text"}',
        b'{"id": "\\udc00", "text": "fine"}',
        b'{"id": [1], "text": "fine"}',
        b'{"id": 7.0, "text": "fine"}',
    ]) + b"\n")
    got = rows(p)
    assert got[0] == (1, "a", GOOD, None)  # the BOM does not cost the first record
    assert got[1] == (2, "b", None, "'text' is null")
    assert got[2][3] == "'text' is list, not a string"
    assert got[3][3] == "'text' is not valid Unicode: lone surrogate U+D800 at character 4"
    assert got[4][1] is None and "'id' is not valid Unicode" in got[4][3]
    assert got[5][3] == "'id' is list, not a string or an integer"
    assert got[6] == (7, "7", "fine", None)
    json.dumps(error_record(InputRecord(str(p), 5, None, error=got[4][3]))).encode("utf-8")  # writable


def test_json_array_object_and_lines(tmp_path):
    arr = tmp_path / "a.json"
    arr.write_text('[\n {"id": "x", "text": "one"},\n {"id": "y", "text": null},\n\n {"text": "three"}\n]\n')
    assert rows(arr) == [(2, "x", "one", None), (3, "y", None, "'text' is null"), (5, None, "three", None)]
    assert next(iter_inputs([arr])).doc_id == "x" and list(iter_inputs([arr]))[2].doc_id == "a-5"
    one = tmp_path / "one.json"
    one.write_text('{\n  "id": "only",\n  "text": "a pretty-printed object"\n}\n')
    assert rows(one) == [(1, "only", "a pretty-printed object", None)]
    lines = tmp_path / "lines.json"
    lines.write_text('{"text": "first"}\n{"text": "second"}\n')
    assert [r[2] for r in rows(lines)] == ["first", "second"]
    broken = tmp_path / "broken.json"
    broken.write_text('[{"text": "ok"},\n {"text": "cut')
    got = rows(broken)
    assert got[0][2] == "ok" and got[1][0] == 2 and "rest of the array" in got[1][3]


def test_csv_tsv_bom_huge_field_utf16_and_short_rows(tmp_path):
    huge = "word " * 40_000  # 200,000 characters: over csv's default field limit
    p = tmp_path / "excel.csv"
    with open(p, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "text"])
        w.writerow(["h", huge])
        w.writerow(["multi", "two\nlines"])
        w.writerow(["short"])
        w.writerow(["e", ""])
        w.writerow(["last", GOOD])
    got = rows(p)
    assert [g[0] for g in got] == [2, 3, 5, 6, 7]  # file lines, a quoted line break counted
    assert got[0][2] == huge and got[1][2] == "two\nlines"
    assert "row has no 'text' value" in got[2][3] and got[3][3] == "empty text" and got[4][2] == GOOD
    t = tmp_path / "in.tsv"
    t.write_bytes("id\ttext\nt1\tRebels, armed, attacked.\n".encode("utf-16"))
    assert rows(t) == [(2, "t1", "Rebels, armed, attacked.", None)]
    nocol = tmp_path / "nocol.csv"
    nocol.write_text("id,story\n1,x\n")
    assert "--text-column" in rows(nocol)[0][3]
    assert rows(nocol, text_column="story") == [(2, "1", "x", None)]
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"id,text\n1,caf\xe9\n")
    assert rows(bad)[0][3] == "'text' is not UTF-8: byte 0xE9 at character 3"


def test_gzip_of_every_format_parquet_and_directories(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    (tmp_path / "d").mkdir()
    with gzip.open(tmp_path / "d" / "a.jsonl.gz", "wt") as f:
        f.write(json.dumps({"id": "g1", "text": GOOD}) + "\n")
    with gzip.open(tmp_path / "d" / "b.csv.gz", "wt") as f:
        f.write("id,text\ng2,x\n")
    (tmp_path / "d" / "sub").mkdir()
    (tmp_path / "d" / "sub" / "c.txt").write_text(GOOD)
    (tmp_path / "d" / "notes.docx").write_bytes(b"PK\x03\x04")  # not a readable suffix: skipped
    pq.write_table(pa.Table.from_pylist([{"id": 1, "text": GOOD}, {"id": 2, "text": None}]), tmp_path / "d" / "e.parquet")
    got = list(iter_inputs([tmp_path / "d"]))
    assert [r.doc_id for r in got] == ["g1", "g2", "1", "2", "sub/c"]
    assert got[3].error == "row has no 'text' value" and got[4].text == GOOD
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(gzip.compress(b'{"text": "one"}\n' * 1000)[:-30])
    last = list(iter_file(cut))[-1]
    assert last.error and "cannot read the rest" in last.error
    with pytest.raises(FileNotFoundError, match="input not found"):
        input_files([tmp_path / "missing.jsonl"])


def test_output_never_an_input_and_existing_output_kept_until_the_end(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": GOOD}) + "\n")
    with pytest.raises(ValueError, match="also an input"):
        OutputFile(src, input_files([src]), attack_types=[])
    with pytest.raises(ValueError, match="also an input"):  # inside an input directory
        OutputFile(src, input_files([tmp_path]), attack_types=[], resume=True)
    out = tmp_path / "preds.jsonl"
    out.write_text("old predictions\n")
    o = OutputFile(out, [src], attack_types=[])
    with o.open() as f:
        f.write(record_line({"id": "a", "error": "x"}))
        assert out.read_text() == "old predictions\n"  # untouched while the run is going
    o.finish()
    assert json.loads(out.read_text()) == {"id": "a", "error": "x"} and not o.partial.exists()


# -- property tests: malformed rows never stop a reader, and every row gives one record in place ---------
ANY_TEXT = st.one_of(st.none(), st.integers(), st.floats(allow_nan=False), st.booleans(), st.text(),
                     st.lists(st.text(max_size=3), max_size=2), st.sampled_from(["\ud800", "a\udfffb", "\ufeff"]))


def _check(records, n):
    assert len(records) == n
    for r in records:
        assert (r.text is None) != (r.error is None)
        if r.text is not None:
            assert isinstance(r.text, str) and r.text.strip()
            r.text.encode("utf-8")  # no lone surrogate reaches the model
        json.dumps(error_record(r), ensure_ascii=False).encode("utf-8")


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.one_of(st.none(), st.text(max_size=5), st.integers()), ANY_TEXT), max_size=8))
def test_jsonl_and_json_arrays_any_values(tmp_path, values):
    docs = [{"id": i, "text": t} for i, t in values]
    p = tmp_path / "p.jsonl"
    p.write_text("".join(json.dumps(d) + "\n" for d in docs))
    _check(list(iter_file(p)), len(docs))
    a = tmp_path / "p.json"
    a.write_text(json.dumps(docs, indent=1))
    _check(list(iter_file(a)), len(docs))


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.binary(max_size=40), max_size=8))
def test_jsonl_any_bytes_one_record_per_non_blank_line(tmp_path, lines):
    lines = [b.replace(b"\n", b" ").replace(b"\r", b" ") for b in lines]
    p = tmp_path / "b.jsonl"
    p.write_bytes(b"".join(b + b"\n" for b in lines))
    recs = list(iter_file(p))
    # a UTF-8 byte-order mark opening the file is not content: a first line of only a BOM is blank
    expected = [i + 1 for i, b in enumerate(lines) if (b.removeprefix(b"\xef\xbb\xbf") if i == 0 else b).strip()]
    assert [r.line for r in recs][: len(expected)] == expected[: len(recs)]
    _check(recs, len(recs))


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=200), st.sampled_from(["csv", "tsv", "txt", "json"]))
def test_csv_tsv_txt_json_any_bytes_never_raise(tmp_path, data, fmt):
    p = tmp_path / f"x.{fmt}"
    p.write_bytes(b"id,text\n" + data if fmt == "csv" else data)
    _check(list(iter_file(p)), len(list(iter_file(p))))


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.text(max_size=4), st.one_of(st.none(), st.text(max_size=30))), max_size=6))
def test_csv_rows_of_any_text_come_back_in_place(tmp_path, values):
    p = tmp_path / "r.csv"
    safe = [(i.encode("utf-8", "backslashreplace").decode(), "" if t is None else t.encode("utf-8", "backslashreplace")
             .decode()) for i, t in values]
    with open(p, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "text"])
        w.writerows(safe)
    recs = list(iter_file(p))
    _check(recs, len(safe))
    assert [r.text for r in recs] == [t if t.strip() else None for _, t in safe]


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.none(), st.text(max_size=20)), max_size=6))
def test_parquet_rows_of_any_text(tmp_path, texts):
    import pyarrow as pa
    import pyarrow.parquet as pq

    clean = [t.encode("utf-8", "replace").decode() if t is not None else None for t in texts]
    pq.write_table(pa.table({"text": pa.array(clean, pa.string())}), tmp_path / "p.parquet")
    _check(list(iter_file(tmp_path / "p.parquet")), len(clean))
