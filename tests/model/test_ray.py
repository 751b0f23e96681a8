"""Ray Data engine: ``incidex predict --engine ray`` writes what ``incidex predict`` writes, and ``Predictor``
works as a ``map_batches`` class. One local Ray (2 CPUs) for the module; skipped when ray is not installed
(``pip install -e .[ray]``)."""

from __future__ import annotations

import json
import logging

import pytest

ray = pytest.importorskip("ray")
pytest.importorskip("ray.data")

LONG = " ".join(["Rebels attacked the army station in the town and killed three soldiers, officials said."] * 12)


@pytest.fixture(scope="module")
def ray_local():
    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=2, include_dashboard=False, logging_level=logging.WARNING, log_to_driver=False,
                 address="local")
    ctx = ray.data.DataContext.get_current()
    saved = ctx.enable_progress_bars
    ctx.enable_progress_bars = False
    yield ray
    ctx.enable_progress_bars = saved
    if started:
        ray.shutdown()


@pytest.fixture(scope="module")
def model_dir(saved_tiny):
    """The tiny random model of conftest.py, saved with its tokenizer (windows of 24 tokens)."""
    return saved_tiny


@pytest.fixture(scope="module")
def docs_jsonl(tmp_path_factory):
    """10 documents (one of ~20 windows) with a bad JSON line and an empty text among them."""
    docs = [{"id": f"doc-{i}", "text": f"Gunmen killed {i + 2} police officers and wounded several civilians "
                                        f"in the market of the village, the army said. Bus {i} was on fire."}
            for i in range(9)]
    docs.insert(4, {"id": "long", "text": LONG})
    lines = [json.dumps(d) for d in docs]
    lines.insert(3, '{"id": "broken", "text": ')
    lines.insert(8, json.dumps({"id": "empty", "text": "   "}))
    path = tmp_path_factory.mktemp("ray_inputs") / "docs.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _parquet_records(path):
    import pyarrow.parquet as pq

    return [{k: v for k, v in row.items() if v is not None or k == "id"} for row in pq.read_table(path).to_pylist()]


def test_cli_ray_output_equals_local_output(ray_local, model_dir, docs_jsonl, tmp_path, monkeypatch):
    """Byte-identical files; chunks of 3 records (both engines) so that 2 replicas share 4 Ray blocks."""
    from incidex.model.batch import predict_files
    from incidex.model.ray_engine import predict_with_ray
    from incidex.training.cli import main

    monkeypatch.setitem(predict_files.__kwdefaults__, "chunk_size", 3)
    monkeypatch.setitem(predict_with_ray.__kwdefaults__, "chunk_size", 3)
    monkeypatch.setitem(predict_with_ray.__kwdefaults__, "progress", False)
    (tmp_path / "local.jsonl").write_text("earlier predictions, replaced only when a run succeeds\n")
    local, remote = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    common = ["predict", "--model", str(model_dir), "--input", str(docs_jsonl), "--batch-size", "8"]
    assert main([*common, "--output", str(local), "--quiet"]) == 0
    assert main([*common, "--output", str(remote), "--engine", "ray", "--concurrency", "2"]) == 0
    assert ray.is_initialized()  # left as found
    assert remote.read_bytes() == local.read_bytes()
    records = [json.loads(line) for line in remote.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 12
    assert [r["id"] for r in records][:5] == ["doc-0", "doc-1", "doc-2", None, "doc-3"]
    assert "bad JSON" in records[3]["error"]
    assert records[8] == {"id": "empty", "file": str(docs_jsonl), "line": 9, "error": "empty text"}
    assert next(r for r in records if r["id"] == "long")["windows"] > 10


def test_map_batches_with_predictor_class(ray_local, model_dir):
    from incidex.model import Predictor

    texts = ["A car bomb killed three soldiers near the market.", LONG, "Police said two people were kidnapped."]
    ds = ray.data.from_items([{"id": i, "text": t} for i, t in enumerate(texts)], override_num_blocks=2)
    rows = ds.map_batches(Predictor, fn_constructor_kwargs={"model": str(model_dir)}, concurrency=1,
                          batch_size=2, batch_format="numpy").take_all()
    rows.sort(key=lambda r: r["id"])  # Ray emits blocks as they finish (no order guarantee by default)
    assert [r["id"] for r in rows] == [0, 1, 2]
    expected = Predictor(model_dir).predict(texts)
    for row, rec in zip(rows, expected, strict=True):
        assert {"id", "text", "attack_types", "prediction"} <= set(row)
        assert json.loads(row["prediction"]) == rec
        assert list(row["attack_types"]) == [t["label"] for t in rec["attack_types"]]


def _ray_batches(texts, batch_format):
    """The batches a map_batches UDF receives, in Ray's own types (numpy: dict of object arrays)."""
    ds = ray.data.from_items([{"id": f"d{i}", "text": t} for i, t in enumerate(texts)])
    return list(ds.iter_batches(batch_size=len(texts), batch_format=batch_format))


@pytest.mark.parametrize("batch_format", ["numpy", "pandas"])
def test_predictor_call_on_ray_batch_types(ray_local, model_dir, batch_format):
    from incidex.model import Predictor

    texts = ["Gunmen killed two police officers.", LONG]
    (batch,) = _ray_batches(texts, batch_format)
    predictor = Predictor(model_dir)
    out = predictor(batch)
    assert type(out) is type(batch)
    assert list(out["id"]) == ["d0", "d1"] and list(out["text"]) == texts
    assert [json.loads(p) for p in out["prediction"]] == predictor.predict(texts)


@pytest.mark.parametrize("batch_format", ["numpy", "pandas"])
def test_attack_types_column_is_list_of_strings_even_when_empty(ray_local, model_dir, batch_format):
    """A batch where no type passes its threshold must not give list<null>: Ray could not concatenate it
    with other blocks (to_pandas, write_parquet fail); numpy batches must not fall back to pickled objects."""
    import pyarrow as pa
    from incidex.model import Predictor
    from ray.data.block import BlockAccessor

    predictor = Predictor(model_dir)
    predictor.thresholds[:] = 1.01  # no attack type is ever chosen
    (batch,) = _ray_batches(["Gunmen killed two police officers.", "A bomb went off."], batch_format)
    block = BlockAccessor.for_block(BlockAccessor.batch_to_block(predictor(batch))).to_arrow()
    assert block.column("attack_types").to_pylist() == [[], []]
    assert block.schema.field("attack_types").type == pa.list_(pa.string())


def test_parquet_output_and_input_round_trip(model_dir, docs_jsonl, tmp_path):
    """No Ray needed: Parquet output holds the JSONL records; Parquet input reads like JSONL."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from incidex.model import Predictor
    from incidex.model.batch import predict_files
    from incidex.model.io import iter_inputs
    from incidex.model.output import RecordWriter

    local = tmp_path / "local.jsonl"
    predict_files(Predictor(model_dir, batch_size=8), [docs_jsonl], local, progress=False)
    expected = [json.loads(line) for line in local.read_text(encoding="utf-8").splitlines()]
    extra = [k for r in expected for k in r if k == "entities"][:1]  # fields the fixed schema may not know
    writer = RecordWriter(tmp_path / "preds.parquet", ["armed attack", "bombing", "kidnapping"])
    writer.write(expected[:5])
    writer.write(expected[5:])
    writer.close()
    got = _parquet_records(tmp_path / "preds.parquet")
    assert [{k: v for k, v in r.items() if k not in extra} for r in got] == \
        [{k: v for k, v in r.items() if k not in extra} for r in expected]

    good = [json.loads(line) for line in docs_jsonl.read_text(encoding="utf-8").splitlines()[:3]]
    rows = [*good, {"id": "empty", "text": " "}, {"id": None, "text": None}]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "in.parquet")
    got = list(iter_inputs([tmp_path / "in.parquet"]))
    assert [(r.id, r.text, r.error) for r in got[:3]] == [(r.id, r.text, r.error) for r in iter_inputs([docs_jsonl])][:3]
    assert [(r.line, r.error) for r in got[3:]] == [(4, "empty text"), (5, "row has no 'text' value")]


def test_ray_resume_and_bad_rows_give_the_local_output(ray_local, model_dir, tmp_path):
    """A partial output (as a kill leaves it, torn last line included) is continued; null texts and lone
    surrogates are error records in place; Parquet output from Ray equals the local Parquet output."""
    from incidex.model import Predictor
    from incidex.model.batch import predict_files
    from incidex.model.ray_engine import predict_with_ray

    lines = [json.dumps({"id": f"d{i}", "text": f"Gunmen killed {i} police officers in the market."})
             for i in range(20)]
    lines[5] = '{"id": "d5", "text": null}'
    lines[6] = '{"id": "d6", "text": "bad \\ud800"}'
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n")
    local = tmp_path / "local.jsonl"
    predict_files(Predictor(model_dir), [src], local, chunk_size=4, progress=False)
    out = tmp_path / "ray.jsonl"
    done = local.read_text().splitlines(keepends=True)[:9]
    (tmp_path / "ray.jsonl.partial").write_text("".join(done) + '{"id": "d9", "attack')
    stats = predict_with_ray(model_dir, src, out, concurrency=2, chunk_size=4, resume=True, progress=False)
    assert stats == {"skipped": 9, "written": 11, "errors": 0}
    assert out.read_bytes() == local.read_bytes()
    stats = predict_with_ray(model_dir, src, tmp_path / "ray.parquet", concurrency=1, chunk_size=4, progress=False)
    assert stats["errors"] == 2
    predict_files(Predictor(model_dir), [src], tmp_path / "local.parquet", chunk_size=4, progress=False)
    assert _parquet_records(tmp_path / "ray.parquet") == _parquet_records(tmp_path / "local.parquet")
