"""Batch prediction over files (the local engine of ``incidex predict``): streaming, nothing lost, resumable.

Inputs and their error records come from :mod:`model.io` (JSONL, JSON, CSV/TSV, Parquet, ``.gz``, plain
text, directories); the output from :mod:`model.output` (written to ``OUTPUT.partial``, renamed at the
end). Every input gives exactly one output record, in input order: ``{"id": ..., <prediction record>}``
or, for a bad input, ``{"id": ... (when known), "file": ..., "line": N, "error": "what is wrong"}``.

>>> stats = predict_files(predictor, ["news.jsonl"], "preds.jsonl", resume=True)  # doctest: +SKIP
>>> stats["written"], stats["errors"]  # doctest: +SKIP
(10000, 3)
"""

from __future__ import annotations

import itertools
import json
import os
import struct
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .io import InputFile, InputRecord, error_record, input_files, iter_inputs, read_json_lines
from .output import OutputFile, record_line, same_record

__all__ = ["InputRecord", "check_model_dir", "iter_inputs", "predict_files", "predict_records",
           "read_json_lines", "skip_done"]


def check_model_dir(model: str | os.PathLike) -> None:
    """Raise :class:`ValueError` (one line: what is wrong, how to fix it) unless ``model`` looks loadable.

    Checks what fails late or with a traceback otherwise: the folder, ``config.json`` (present, JSON, an
    incidex config) and the weights (present; a ``.safetensors`` file as long as its header says).
    """
    from .hub import resolve_model

    path = resolve_model(model)  # a Hugging Face Hub id is fetched (or read from the HF cache) here
    hint = "point --model at the folder `incidex train` wrote (or `incidex export`), or a Hub id org/name"
    if not path.is_dir():
        raise ValueError(f"model directory not found: {path}; {hint}")
    cfg = path / "config.json"
    if not cfg.is_file():
        raise ValueError(f"{cfg} is missing: {path} is not a trained model; {hint}")
    try:
        config = json.loads(cfg.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"{cfg} is not valid JSON ({e}); copy it again from the training output") from None
    if not isinstance(config, dict) or "tags" not in config and "span_labels" not in config:
        raise ValueError(f"{cfg} is not an incidex model config (no span labels); {hint}")
    onnx = [p for p in (path / "model.onnx", path / "model_quantized.onnx") if p.exists()]
    weights = [p for p in (path / "model.safetensors", path / "pytorch_model.bin") if p.exists()]
    weights += sorted(path.glob("model-*.safetensors"))
    if not onnx and not weights:
        raise ValueError(f"no weights in {path} (model.safetensors, pytorch_model.bin or model.onnx); {hint}")
    for p in onnx + weights:
        if p.stat().st_size == 0:
            raise ValueError(f"{p} is empty: copy the model again")
        if p.suffix == ".safetensors":
            _check_safetensors(p)


def _check_safetensors(path: Path) -> None:
    size = path.stat().st_size
    with open(path, "rb") as f:
        head = f.read(8)
        n = struct.unpack("<Q", head)[0] if len(head) == 8 else -1
        try:
            header = json.loads(f.read(n)) if 0 < n < size else None
        except (UnicodeDecodeError, json.JSONDecodeError):
            header = None
    if not isinstance(header, dict):
        raise ValueError(f"{path} is not a safetensors file (bad header): copy the model again")
    end = max((v["data_offsets"][1] for k, v in header.items() if k != "__metadata__"), default=0)
    if 8 + n + end > size:
        raise ValueError(f"{path} is truncated ({size:,} of {8 + n + end:,} bytes): copy the model again")


def predict_records(predictor: Any, chunk: list[InputRecord]) -> list[dict[str, Any]]:
    """The output records of one chunk of inputs, in order: predictions for the good ones, error records else.

    The good texts are predicted together; if that fails, each alone, so that a text that breaks the model
    becomes an error record (``"prediction failed: ..."``) and its neighbours are still predicted.
    """
    good = [r for r in chunk if r.error is None]
    try:
        preds = predictor.predict([r.text for r in good]) if good else []
    except Exception:  # isolate the culprit: one text at a time
        preds = []
        for r in good:
            try:
                preds.append(predictor.predict([r.text])[0])
            except Exception as e:
                preds.append(f"prediction failed: {type(e).__name__}: {e}")
    it = iter(preds)
    out = []
    for r in chunk:
        if r.error is None:
            p = next(it)
            if isinstance(p, str):
                r = InputRecord(r.file, r.line, r.id, error=p)
            else:
                out.append({"id": r.doc_id, **p})
                continue
        out.append(error_record(r))
    return out


def skip_done(records: Iterator[InputRecord], out: OutputFile) -> None:
    """Advance ``records`` past the ``out.done`` records already written, in constant memory.

    Raises :class:`ValueError` when the inputs are shorter or the last written record is not theirs.
    """
    if not out.done:
        return
    n, last = 0, None
    for r in itertools.islice(records, out.done):
        n, last = n + 1, r
    where = out.partial if out.partial.exists() else out.path
    if n < out.done:
        raise ValueError(f"--resume: {where} has {out.done} records but the inputs only {n}: not the same "
                         "inputs; drop --resume to start again")
    if last is None or not same_record(out.last, last):
        raise ValueError(f"--resume: record {out.done} of {where} ({str(out.last)[:120]}) is not for input "
                         f"{last.doc_id if last else None!r}: not the same inputs; drop --resume to start again")


def predict_files(predictor: Any, inputs: Iterable[str | os.PathLike], output: str | os.PathLike, *,
                  text_field: str = "text", text_column: str = "text", id_field: str = "id",
                  resume: bool = False, chunk_size: int = 64, progress: bool = True) -> dict[str, int]:
    """Predict every input record into ``output`` (by suffix: JSONL, ``.jsonl.gz``, Parquet, CSV), streaming.

    Returns ``{"skipped": records kept from an earlier run, "written": records written now, "errors": error
    records among them}``. ``output`` appears only at the end; until then records go to ``OUTPUT.partial``.
    With ``resume=True`` an interrupted run continues after its last complete record (the inputs must be
    the same: the last record written is checked against the input at that position).
    """
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be >= 1, got {chunk_size}")
    files: list[InputFile] = input_files(inputs)
    out = OutputFile(output, files, attack_types=list(getattr(getattr(predictor, "config", None), "attack_types", [])),
                     resume=resume)
    records = iter_inputs(files, text_field=text_field, text_column=text_column, id_field=id_field)
    skip_done(records, out)
    stats = {"skipped": out.done, "written": 0, "errors": 0}
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(desc="predict", unit="doc", initial=out.done, file=sys.stderr, dynamic_ncols=True)
    with out.open() as f:
        while chunk := list(itertools.islice(records, chunk_size)):
            recs = predict_records(predictor, chunk)
            f.write("".join(record_line(r) for r in recs))
            f.flush()
            stats["written"] += len(recs)
            stats["errors"] += sum("error" in r for r in recs)
            if bar is not None:
                bar.update(len(chunk))
    if bar is not None:
        bar.close()
    out.finish()
    return stats
