import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from incidex.model import Predictor
from incidex.model.batch import predict_files

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def predictor(saved_tiny):
    return Predictor(saved_tiny)


def read(path):
    return [json.loads(line) for line in Path(path).read_text().splitlines()]


def test_every_input_gets_an_output_or_error_record(predictor, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(
        b'{"id": "a", "text": "A bomb killed two."}\n'
        b'{"id": "b", "text": ""}\n'
        b'{bad json\n'
        b'{"id": "d", "body": "no text field"}\n'
        b'{"id": "e", "text": "caf\xe9"}\n'
        b'{"id": 6, "text": "Police were wounded."}\n'
        b'{"id": "g", "text": 12}\n'
    )
    csv = tmp_path / "in.csv"
    csv.write_text('id,story\nx1,"Rebels, armed, attacked."\nx2,\n')
    txt_dir = tmp_path / "txt"
    txt_dir.mkdir()
    (txt_dir / "one.txt").write_text("A bomb exploded.")
    out = tmp_path / "out.jsonl"
    stats = predict_files(predictor, [src], out, progress=False)
    recs = read(out)
    assert stats == {"skipped": 0, "written": 7, "errors": 5}
    assert [r.get("id") for r in recs] == ["a", "b", None, "d", None, "6", "g"]
    assert recs[1]["error"] == "empty text" and recs[1]["line"] == 2
    assert "bad JSON" in recs[2]["error"] and recs[2]["line"] == 3
    assert "no 'text' field" in recs[3]["error"]
    assert "not UTF-8" in recs[4]["error"] and recs[4]["line"] == 5
    assert "spans" in recs[0] and "spans" in recs[5]
    predict_files(predictor, [csv, txt_dir], tmp_path / "out2.jsonl", text_column="story", progress=False)
    recs2 = read(tmp_path / "out2.jsonl")
    assert [r["id"] for r in recs2] == ["x1", "x2", "one"] and "error" in recs2[1] and "spans" in recs2[2]


def test_resume_after_crash_gives_the_uninterrupted_output(predictor, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": f"A bomb killed {i} people."}) + "\n" for i in range(50)))
    full = tmp_path / "full.jsonl"
    predict_files(predictor, [src], full, chunk_size=8, progress=False)

    class Crashing:
        calls = 0

        def predict(self, texts):
            Crashing.calls += 1
            if Crashing.calls == 3:
                raise KeyboardInterrupt("crash")
            return predictor.predict(texts)

    part = tmp_path / "part.jsonl"
    with pytest.raises(KeyboardInterrupt):
        predict_files(Crashing(), [src], part, chunk_size=8, progress=False)
    assert not part.exists()  # only OUTPUT.partial exists until the run ends
    with open(str(part) + ".partial", "a") as f:
        f.write('{"id": "d16", "attack_ty')  # a torn line, as a kill mid-write leaves
    stats = predict_files(predictor, [src], part, chunk_size=8, resume=True, progress=False)
    assert stats["skipped"] == 16 and stats["written"] == 34
    assert part.read_text() == full.read_text()
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"id": "zzz", "text": "x"}) + "\n" * 1)
    with pytest.raises(ValueError, match="not the same inputs"):
        predict_files(predictor, [other], part, resume=True, progress=False)


def test_cli_killed_mid_run_then_resumed(predictor, tmp_path):
    model_dir = predictor.config.name_or_path
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": f"Gunmen killed {i} police."}) + "\n"
                           for i in range(1500)))
    full, part = tmp_path / "full.jsonl", tmp_path / "part.jsonl"
    cmd = [sys.executable, "-m", "incidex", "predict", "--model", model_dir, "--input", str(src), "--quiet"]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen(cmd + ["--output", str(part)], cwd=REPO, env=env)
    deadline = time.time() + 600
    partial = Path(str(part) + ".partial")
    while time.time() < deadline and (not partial.exists() or partial.stat().st_size < 2_000):
        assert proc.poll() is None, f"the prediction process ended early with status {proc.returncode}"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not part.exists()
    n_before = len(partial.read_text().splitlines())
    assert 0 < n_before < 1500, "the run was not interrupted mid-way"
    subprocess.run(cmd + ["--output", str(part), "--resume"], cwd=REPO, env=env, check=True, timeout=300)
    predict_files(predictor, [src], full, progress=False)  # the uninterrupted run, same chunking as the CLI
    assert part.read_text() == full.read_text() and not partial.exists()


def test_null_text_and_surrogates_lose_nothing_and_resume_passes_them(predictor, tmp_path):
    """Issue 14: `"text": null` on one line of 100 cost 36 records; a lone surrogate cost its chunk."""
    lines = [json.dumps({"id": f"d{i}", "text": f"A bomb killed {i} people."}) for i in range(100)]
    lines[40] = '{"id": "d40", "text": null}'
    lines[41] = '{"id": "d41", "text": "caf\\ud800"}'
    lines[42] = '{"id": "\\ud800", "text": "Police were wounded."}'
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.jsonl"
    stats = predict_files(predictor, [src], out, chunk_size=64, progress=False)
    recs = read(out)
    assert stats == {"skipped": 0, "written": 100, "errors": 3} and len(recs) == 100
    assert recs[40] == {"id": "d40", "file": str(src), "line": 41, "error": "'text' is null"}
    assert "lone surrogate" in recs[41]["error"] and recs[42]["id"] is None and "'id'" in recs[42]["error"]
    assert all("spans" in r for i, r in enumerate(recs) if i not in (40, 41, 42))
    # resume from just before and just after the bad lines
    for cut in (40, 43):
        partial = Path(str(out) + ".partial")
        partial.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs[:cut]))
        out.unlink(missing_ok=True)
        stats = predict_files(predictor, [src], out, resume=True, progress=False)
        assert stats["skipped"] == cut and read(out) == recs


def test_a_text_that_breaks_the_model_does_not_lose_its_neighbours(predictor, tmp_path):
    class Fragile:
        config = predictor.config

        def predict(self, texts):
            if any("poison" in t for t in texts):
                raise RuntimeError("tokenizer exploded")
            return predictor.predict(texts)

    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": "poison" if i == 2 else f"Bomb {i}."}) + "\n"
                           for i in range(5)))
    stats = predict_files(Fragile(), [src], tmp_path / "o.jsonl", progress=False)
    recs = read(tmp_path / "o.jsonl")
    assert stats["errors"] == 1 and recs[2]["error"] == "prediction failed: RuntimeError: tokenizer exploded"
    assert [("spans" in r) for r in recs] == [True, True, False, True, True]


def test_output_equal_to_input_is_refused_and_the_input_kept(predictor, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "A bomb killed two."}) + "\n")
    before = src.read_bytes()
    with pytest.raises(ValueError, match="also an input"):
        predict_files(predictor, [src], src, progress=False)
    assert src.read_bytes() == before


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl.gz"])
def test_output_formats_hold_the_jsonl_records(predictor, tmp_path, suffix):
    import gzip

    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "A bomb killed two."}) + "\n" + '{"id": "b", "text": null}\n')
    predict_files(predictor, [src], tmp_path / "ref.jsonl", progress=False)
    ref = read(tmp_path / "ref.jsonl")
    out = tmp_path / f"out{suffix}"
    predict_files(predictor, [src], out, progress=False)
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        got = [{k: v for k, v in r.items() if v is not None or k == "id"} for r in pq.read_table(out).to_pylist()]
        assert got[1] == ref[1] and got[0]["spans"] == ref[0]["spans"] and got[0]["id"] == "a"
    elif suffix == ".csv":
        import csv

        got = list(csv.DictReader(out.open(encoding="utf-8")))
        assert got[0]["id"] == "a" and json.loads(got[0]["spans"]) == ref[0]["spans"]
        assert got[1]["error"] == "'text' is null" and got[1]["line"] == "2"
    else:
        assert [json.loads(x) for x in gzip.open(out, "rt")] == ref
