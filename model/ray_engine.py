"""Batch prediction on Ray Data: ``incidex predict --engine ray`` and :func:`predict_with_ray`.

The model runs in ``concurrency`` Ray actors (replicas) through ``Dataset.map_batches(Predictor, ...)``;
the output is the same file ``incidex predict`` writes: one record per input, in input order,
``{"id": ..., <prediction record>}`` or, for a bad input, ``{"id", "file", "line", "error"}``.

>>> stats = predict_with_ray("runs/quickstart", ["news.jsonl"], "preds.jsonl", concurrency=4)  # doctest: +SKIP
>>> stats  # doctest: +SKIP
{'written': 10000, 'errors': 3}

How inputs are read (a deliberate choice): the driver streams the input files with the same reader as
the local path (:func:`model.batch.iter_inputs`, plus Parquet here), so bad records give the same error
records with file and line, ids are derived the same way and input order is kept. Valid texts go to the
object store in blocks of ``chunk_size`` input records (64, as ``predict_files``), one block per Ray
batch, so every replica sees exactly the document groups the local path predicts together: the records
are identical to ``incidex predict`` (same windows, same padding, same forward batches). Texts travel to
the replicas, predictions come back as JSON strings and the driver writes them in input order.
``ray.data.read_json`` / ``read_parquet`` would read in parallel but drop line numbers, fail a whole file on
one bad line and regroup rows; for inputs far larger than one machine's disk, run ``map_batches``
yourself on ``ray.data.read_parquet`` (docs/SCALING.md).

Ray is imported inside the functions: importing :mod:`model` never needs it (``pip install incidex[ray]``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .batch import InputRecord, _text_problem, iter_inputs

PARQUET_SUFFIXES = (".parquet", ".pq")


# -- inputs -------------------------------------------------------------------------------------------
def _iter_parquet(path: Path, text_field: str, id_field: str) -> Iterator[InputRecord]:
    """Rows of a Parquet file as input records; ``line`` is the 1-based row number."""
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    names = pf.schema_arrow.names
    if text_field not in names:
        yield InputRecord(str(path), 1, None, error=f"no {text_field!r} column (columns: {names})")
        return
    columns = [text_field] + ([id_field] if id_field in names and id_field != text_field else [])
    row = 0
    for batch in pf.iter_batches(batch_size=1024, columns=columns):
        texts = batch.column(text_field).to_pylist()
        ids = batch.column(id_field).to_pylist() if id_field in columns else [None] * len(texts)
        for text, doc_id in zip(texts, ids, strict=True):
            row += 1
            doc_id = None if doc_id is None else str(doc_id)
            problem = _text_problem(text)
            if text is None:
                problem = f"row has no {text_field!r} value"
            yield InputRecord(str(path), row, doc_id, text=None if problem else text, error=problem)


def iter_records(inputs: Iterable[str | os.PathLike], *, text_field: str = "text", text_column: str = "text",
                 id_field: str = "id") -> Iterator[InputRecord]:
    """Input records of JSONL/CSV/.txt files, directories (as :func:`iter_inputs`) and Parquet files, in order."""
    for p in inputs:
        path = Path(p)
        if path.is_file() and path.suffix.lower() in PARQUET_SUFFIXES:
            yield from _iter_parquet(path, text_field, id_field)
        else:
            yield from iter_inputs([path], text_field=text_field, text_column=text_column, id_field=id_field)


def _doc_id(r: InputRecord) -> str:
    return r.id if r.id is not None else f"{Path(r.file).stem}-{r.line}"


# -- outputs ------------------------------------------------------------------------------------------
def parquet_schema(attack_types: list[str]):
    """Arrow schema of an output Parquet file: prediction fields and error fields, null where absent."""
    import pyarrow as pa

    count = pa.struct([("count", pa.int64()), ("min", pa.int64()), ("max", pa.int64()), ("text", pa.string())])
    return pa.schema([
        ("id", pa.string()),
        ("attack_types", pa.list_(pa.struct([("label", pa.string()), ("score", pa.float64())]))),
        # a struct per attack type; a map when there are none (Parquet cannot store an empty struct)
        ("scores", pa.struct([(t, pa.float64()) for t in attack_types]) if attack_types
         else pa.map_(pa.string(), pa.float64())),
        ("spans", pa.list_(pa.struct([("label", pa.string()), ("text", pa.string()), ("start", pa.int64()),
                                      ("end", pa.int64()), ("score", pa.float64())]))),
        ("casualties", pa.struct([("killed", count), ("wounded", count)])),
        ("actors", pa.struct([(k, pa.list_(pa.string())) for k in ("perpetrators", "targets", "victims")])),
        ("windows", pa.int64()),
        ("file", pa.string()),
        ("line", pa.int64()),
        ("error", pa.string()),
    ])


class RecordWriter:
    """Write output records as JSONL (exactly the bytes of ``predict_files``) or Parquet (``.parquet``)."""

    def __init__(self, output: str | os.PathLike, attack_types: list[str]):
        self.path = Path(output)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.parquet = self.path.suffix.lower() in PARQUET_SUFFIXES
        if self.parquet:
            import pyarrow.parquet as pq

            self.schema = parquet_schema(attack_types)
            self._names = set(self.schema.names)
            self._writer = pq.ParquetWriter(self.path, self.schema)
        else:
            self._file = open(self.path, "w", encoding="utf-8")

    def write(self, records: list[dict]) -> None:
        if not records:
            return
        if self.parquet:
            import pyarrow as pa

            extra = {k for r in records for k in r} - self._names
            if extra:
                raise ValueError(f"record fields {sorted(extra)} have no Parquet column: update "
                                 "incidex.model.ray_engine.parquet_schema")
            self._writer.write_table(pa.Table.from_pylist(records, schema=self.schema))
        else:
            self._file.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
            self._file.flush()

    def close(self) -> None:
        if self.parquet:
            self._writer.close()
        else:
            self._file.close()


# -- Ray ----------------------------------------------------------------------------------------------
def _ray_at_least(version: str, major: int, minor: int) -> bool:
    try:
        parts = [int(x) for x in version.split(".")[:2]]
    except ValueError:
        return True
    return tuple(parts) >= (major, minor)


def _init_ray(ray: Any, num_cpus: int | None) -> bool:
    """Connect to ``RAY_ADDRESS`` or start a local Ray; return True when this call started it."""
    if ray.is_initialized():
        return False
    if os.environ.get("RAY_ADDRESS"):
        ray.init(address=os.environ["RAY_ADDRESS"])  # an existing cluster: its resources, not num_cpus
    else:
        ray.init(address="local", num_cpus=num_cpus, include_dashboard=False)
    return True


def predict_with_ray(model: str | os.PathLike, inputs: str | os.PathLike | Iterable[str | os.PathLike],
                     output: str | os.PathLike, *, batch_size: int = 16, text_field: str = "text",
                     concurrency: int = 2, num_gpus: float = 0, num_cpus: int | None = None,
                     text_column: str = "text", id_field: str = "id", precision: str = "auto",
                     cpus_per_replica: float | None = None, chunk_size: int = 64,
                     progress: bool = True) -> dict[str, int]:
    """Predict every input record into ``output`` with ``concurrency`` model replicas on Ray.

    ``model``: a trained model directory (or ONNX export) that every Ray worker can read at that path.
    ``batch_size``: windows per forward pass (as ``incidex predict``). ``num_gpus``: GPUs per replica
    (0: CPU). ``num_cpus``: CPUs of the local Ray started when none is running (``None``: all); ignored
    when Ray is already initialised or ``RAY_ADDRESS`` names a cluster. ``cpus_per_replica``: CPUs each
    replica reserves (Ray's default: 1; torch then uses that many threads). Output: JSONL, or Parquet when
    it ends in ``.parquet``. Returns ``{"written": records written, "errors": error records among them}``.
    Ray is left as found: started and stopped here only if it was not running.
    """
    import ray

    model_dir = Path(model).resolve()
    if not model_dir.is_dir():
        raise FileNotFoundError(f"model directory not found: {model}")
    if concurrency < 1:
        raise ValueError(f"concurrency must be >= 1, got {concurrency}")
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    inputs = list(inputs)
    for p in inputs:  # fail before starting Ray or truncating the output
        if not Path(p).exists():
            raise FileNotFoundError(f"input not found: {p}")
    from transformers import AutoConfig  # the "incidex" model type is registered by model/__init__.py

    attack_types = list(getattr(AutoConfig.from_pretrained(model_dir), "attack_types", []))

    started = _init_ray(ray, num_cpus)
    ctx = ray.data.DataContext.get_current()
    saved = (ctx.execution_options.preserve_order, ctx.enable_progress_bars)
    ctx.execution_options.preserve_order = True
    ctx.enable_progress_bars = progress
    try:
        return _run(ray, model_dir, inputs, output, attack_types, batch_size=batch_size, text_field=text_field,
                    text_column=text_column, id_field=id_field, concurrency=concurrency, num_gpus=num_gpus,
                    precision=precision, cpus_per_replica=cpus_per_replica, chunk_size=chunk_size)
    finally:
        ctx.execution_options.preserve_order, ctx.enable_progress_bars = saved
        if started:
            ray.shutdown()


def _run(ray: Any, model_dir: Path, inputs: list, output: str | os.PathLike, attack_types: list[str], *,
         batch_size: int, text_field: str, text_column: str, id_field: str, concurrency: int,
         num_gpus: float, precision: str, cpus_per_replica: float | None, chunk_size: int) -> dict[str, int]:
    import itertools

    import pandas as pd

    from .inference import Predictor

    # 1. Read on the driver; keep per-chunk metadata here and put the valid texts in the object store.
    records = iter_records(inputs, text_field=text_field, text_column=text_column, id_field=id_field)
    chunks: list[list[InputRecord]] = []
    refs = []
    row = 0
    while chunk := list(itertools.islice(records, chunk_size)):
        good = [r for r in chunk if r.error is None]
        if good:
            frame = pd.DataFrame({"_row": range(row, row + len(good)), "text": [r.text for r in good]})
            refs.append(ray.put(frame))
            row += len(good)
        for r in good:
            r.text = None  # the text now lives in the object store only
        chunks.append(chunk)
    n_good = row

    writer = RecordWriter(output, attack_types)
    stats = {"written": 0, "errors": 0}
    try:
        predictions = iter(())
        if n_good:
            # 2. One Ray batch per block (= per local chunk), `concurrency` Predictor replicas.
            kwargs: dict[str, Any] = {}
            if _ray_at_least(ray.__version__, 2, 51):
                kwargs["compute"] = ray.data.ActorPoolStrategy(size=concurrency)
            else:
                kwargs["concurrency"] = concurrency
            if cpus_per_replica is not None:
                kwargs["num_cpus"] = cpus_per_replica
            ds = ray.data.from_pandas_refs(refs).map_batches(
                Predictor,
                fn_constructor_kwargs={"model": str(model_dir), "batch_size": batch_size, "precision": precision},
                batch_size=None,
                batch_format="pandas",
                num_gpus=num_gpus,
                **kwargs,
            )  # (no select_columns: Ray runs it as a separate CPU task that competes with the replicas)
            predictions = _ordered_predictions(ds)
        # 3. Write in input order: error records from the driver, predictions from the replicas.
        for chunk in chunks:
            out = []
            for r in chunk:
                if r.error is not None:
                    out.append({"id": r.id, "file": r.file, "line": r.line, "error": r.error})
                    stats["errors"] += 1
                else:
                    prediction = next(predictions, None)
                    if prediction is None:
                        raise RuntimeError(f"Ray returned no prediction for {r.file} line {r.line}")
                    out.append({"id": _doc_id(r), **json.loads(prediction)})
            writer.write(out)
            stats["written"] += len(out)
    finally:
        writer.close()
    return stats


def _ordered_predictions(ds: Any) -> Iterator[str]:
    """Prediction JSON strings in ``_row`` order (Ray may hand blocks back out of order)."""
    pending: dict[int, str] = {}
    expected = 0
    for batch in ds.iter_batches(batch_size=None, batch_format="pandas"):
        pending.update(zip(batch["_row"].tolist(), batch["prediction"].tolist(), strict=True))
        while expected in pending:
            yield pending.pop(expected)
            expected += 1
    if pending:
        raise RuntimeError(f"Ray returned rows {sorted(pending)[:5]}... but not row {expected}")
