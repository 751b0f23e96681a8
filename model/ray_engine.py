"""Batch prediction on Ray Data: ``incidex predict --engine ray`` and :func:`predict_with_ray`.

The model runs in ``concurrency`` Ray actors (replicas, ``num_gpus`` GPUs each) through
``Dataset.map_batches``; the output is the file ``incidex predict`` writes: one record per input, in
input order, ``{"id": ..., <prediction record>}`` or, for a bad input, ``{"id", "file", "line", "error"}``.

>>> stats = predict_with_ray("runs/quickstart", ["news.jsonl"], "preds.jsonl", concurrency=4)  # doctest: +SKIP
>>> stats  # doctest: +SKIP
{'skipped': 0, 'written': 10000, 'errors': 3}

How it streams: one Ray Data read task reads the inputs with the local engine's readers
(:mod:`model.io`: same formats, same error records with file and line, same ids) and yields one block
per chunk of ``chunk_size`` records (64, the local engine's chunks, so every replica predicts exactly the
document groups the local engine predicts together). Ray's streaming executor keeps a bounded number of
blocks in flight (it stops the reader when the replicas fall behind); the replicas turn each block into
output lines (:func:`model.batch.predict_records`) and the driver appends them to ``OUTPUT.partial`` as
they arrive, in order (``preserve_order``; each block carries its chunk number, checked on arrival). The
driver holds one block at a time: its memory does not grow with the input. ``resume=True`` continues an
interrupted run as the local engine does (the reader skips the records already written).
``ray.data.read_json`` / ``read_parquet`` would read in parallel but drop line numbers, fail a whole file on
one bad line and regroup rows; reading is not the bottleneck here (the model is).

Ray is imported inside the functions: importing :mod:`model` never needs it (``pip install "incidex[ray]"``).
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .batch import check_model_dir, predict_records, skip_done
from .io import InputFile, InputRecord, input_files, iter_inputs
from .output import OutputFile, record_line


def _arrow_types() -> dict[str, Any]:
    import pyarrow as pa

    return {"file": pa.string, "line": pa.int64, "id": pa.string, "text": pa.string, "error": pa.string}


def _chunks(files: list[InputFile], skip: int, chunk_size: int, read: dict[str, str]) -> Iterator[Any]:
    """Arrow tables of ``chunk_size`` input records (after the first ``skip``), each with its chunk number."""
    import pyarrow as pa

    types = _arrow_types()
    records = iter_inputs(files, **read)
    for _ in itertools.islice(records, skip):
        pass
    for n in itertools.count():
        chunk = list(itertools.islice(records, chunk_size))
        if not chunk:
            return
        columns = {"_chunk": pa.array([n] * len(chunk), pa.int64())}
        for name, kind in types.items():
            columns[name] = pa.array([getattr(r, name) for r in chunk], kind())
        yield pa.table(columns)


def _datasource(files: list[InputFile], skip: int, chunk_size: int, read: dict[str, str]) -> Any:
    """A Ray Data datasource with one read task that streams the inputs as chunk blocks."""
    from ray.data import Datasource, ReadTask
    from ray.data.block import BlockMetadata

    class IncidexInputs(Datasource):
        def estimate_inmemory_data_size(self) -> int | None:
            return None

        def get_read_tasks(self, parallelism: int, per_task_row_limit: int | None = None,
                           data_context: Any = None) -> list[ReadTask]:
            meta = BlockMetadata(num_rows=None, size_bytes=None, exec_stats=None,
                                 input_files=tuple(str(f.path) for f in files))
            return [ReadTask(lambda: _chunks(files, skip, chunk_size, read), meta)]

    return IncidexInputs()


class ChunkPredictor:
    """Ray Data ``map_batches`` class: a block of input records -> ``_chunk`` and ``record`` (JSON lines)."""

    def __init__(self, model: str, batch_size: int = 16, precision: str = "auto", device: str = "auto"):
        from .inference import Predictor

        self.predictor = Predictor(model, batch_size=batch_size, precision=precision, device=device)

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        rows = batch.to_pylist()
        chunk = [InputRecord(r["file"], r["line"], r["id"], text=r["text"], error=r["error"]) for r in rows]
        recs = predict_records(self.predictor, chunk)
        return pa.table({"_chunk": batch.column("_chunk"), "record": pa.array([record_line(r) for r in recs], pa.string()),
                         "is_error": pa.array(["error" in r for r in recs], pa.bool_())})


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
                     cpus_per_replica: float | None = None, chunk_size: int = 64, resume: bool = False,
                     progress: bool = True) -> dict[str, int]:
    """Predict every input record into ``output`` with ``concurrency`` model replicas on Ray, streaming.

    ``model``: a trained model directory (or ONNX export) that every Ray worker can read at that path.
    ``batch_size``: windows per forward pass (as ``incidex predict``). ``num_gpus``: GPUs per replica
    (0: CPU). ``num_cpus``: CPUs of the local Ray started when none is running (``None``: all); ignored
    when Ray is already initialised or ``RAY_ADDRESS`` names a cluster. ``cpus_per_replica``: CPUs each
    replica reserves (Ray's default: 1; torch then uses that many threads). Output formats and ``resume``
    as :func:`model.batch.predict_files`; returns the same counts. Ray is left as found: started and
    stopped here only if it was not running.
    """
    model_dir = Path(model).resolve()
    check_model_dir(model_dir)
    for name, value, least in (("concurrency", concurrency, 1), ("batch_size", batch_size, 1),
                               ("chunk_size", chunk_size, 1)):
        if value < least:
            raise ValueError(f"{name} must be >= {least}, got {value}")
    if num_gpus < 0:
        raise ValueError(f"num_gpus must be >= 0, got {num_gpus}")
    import ray  # after the cheap checks; a missing extra is reported by the CLI with its pip command

    from .configuration import EventExtractorConfig

    files = input_files([inputs] if isinstance(inputs, (str, os.PathLike)) else inputs)
    attack_types = list(EventExtractorConfig.from_pretrained(model_dir).attack_types or [])
    out = OutputFile(output, files, attack_types=attack_types, resume=resume)
    read = {"text_field": text_field, "text_column": text_column, "id_field": id_field}
    skip_done(iter_inputs(files, **read), out)  # checks that the inputs are those of the partial output

    started = _init_ray(ray, num_cpus)
    ctx = ray.data.DataContext.get_current()
    saved = (ctx.execution_options.preserve_order, ctx.enable_progress_bars)
    ctx.execution_options.preserve_order = True
    ctx.enable_progress_bars = progress
    try:
        kwargs: dict[str, Any] = {"num_cpus": cpus_per_replica} if cpus_per_replica is not None else {}
        ds = ray.data.read_datasource(_datasource(files, out.done, chunk_size, read), ray_remote_args={"num_cpus": 0})
        ds = ds.map_batches(
            ChunkPredictor,
            fn_constructor_kwargs={"model": str(model_dir), "batch_size": batch_size, "precision": precision},
            compute=ray.data.ActorPoolStrategy(size=concurrency),
            batch_size=None,  # one block (= one chunk of the local engine) per call
            batch_format="pyarrow",
            num_gpus=num_gpus,
            **kwargs,
        )
        stats = {"skipped": out.done, "written": 0, "errors": 0}
        last = -1  # chunk number of the last line written
        with out.open() as f:
            for batch in ds.iter_batches(batch_size=None, batch_format="pyarrow", prefetch_batches=1):
                for n in batch.column("_chunk").to_pylist():
                    if n not in (last, last + 1):
                        raise RuntimeError(f"Ray returned chunk {n} after chunk {last}: input order lost")
                    last = n
                f.write("".join(batch.column("record").to_pylist()))
                f.flush()
                stats["written"] += batch.num_rows
                stats["errors"] += sum(batch.column("is_error").to_pylist())
        out.finish()
        if progress:
            print(file=sys.stderr)
        return stats
    finally:
        ctx.execution_options.preserve_order, ctx.enable_progress_bars = saved
        if started:
            ray.shutdown()
