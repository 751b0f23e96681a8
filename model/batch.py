"""Batch prediction over files: stream inputs, one output or error record per input, resumable.

Inputs: JSONL (``text`` field, ``id`` kept), CSV (a text column), plain ``.txt`` files or a directory of
them. Output: JSONL in input order, each line ``{"id": ..., <prediction record>}`` or, for a bad input,
``{"id": ... (when known), "file": ..., "line": N, "error": "what is wrong"}``.

>>> stats = predict_files(predictor, ["news.jsonl"], "preds.jsonl", resume=True)  # doctest: +SKIP
>>> stats["written"], stats["errors"]  # doctest: +SKIP
(10000, 3)
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class InputRecord:
    """One input document, or the reason it could not be read."""

    file: str
    line: int
    id: str | None
    text: str | None = None
    error: str | None = None


def _text_problem(text: Any) -> str | None:
    if text is None:
        return None
    if not isinstance(text, str):
        return f"text is {type(text).__name__}, not a string"
    if not text.strip():
        return "empty text"
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        return "text is not valid UTF-8"
    return None


def read_json_lines(path: str | os.PathLike) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """Yield ``(line_number, object)`` for each non-blank line, or ``(line_number, "what is wrong")``.

    Reads bytes, so a line that is not UTF-8, not JSON or not an object is an error for that line alone.
    """
    with open(path, "rb") as f:
        for lineno, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                yield lineno, f"not UTF-8 ({e.reason} at byte {e.start})"
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                yield lineno, f"bad JSON: {e.msg} at column {e.colno}"
                continue
            if not isinstance(obj, dict):
                yield lineno, f"a record must be a JSON object, got {type(obj).__name__}"
                continue
            yield lineno, obj


def _iter_jsonl(path: Path, text_field: str, id_field: str) -> Iterator[InputRecord]:
    for lineno, obj in read_json_lines(path):
        if isinstance(obj, str):
            yield InputRecord(str(path), lineno, None, error=obj)
            continue
        doc_id = obj.get(id_field)
        doc_id = None if doc_id is None else str(doc_id)
        if text_field not in obj:
            yield InputRecord(str(path), lineno, doc_id, error=f"no {text_field!r} field")
            continue
        text = obj[text_field]
        problem = _text_problem(text)
        yield InputRecord(str(path), lineno, doc_id, text=None if problem else text, error=problem)


def _iter_csv(path: Path, text_column: str, id_field: str) -> Iterator[InputRecord]:
    with open(path, encoding="utf-8", errors="surrogateescape", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames is None or text_column not in reader.fieldnames:
            yield InputRecord(str(path), 1, None, error=f"no {text_column!r} column (columns: {reader.fieldnames})")
            return
        line = reader.line_num + 1
        for row in reader:
            doc_id = row.get(id_field) or None
            problem = _text_problem(row.get(text_column))
            if row.get(text_column) is None:
                problem = f"row has no {text_column!r} value"
            yield InputRecord(str(path), line, doc_id, text=None if problem else row[text_column], error=problem)
            line = reader.line_num + 1


def _iter_txt(path: Path) -> Iterator[InputRecord]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        yield InputRecord(str(path), 1, path.stem, error=f"not UTF-8 (byte {e.start})")
        return
    problem = _text_problem(text)
    yield InputRecord(str(path), 1, path.stem, text=None if problem else text, error=problem)


def iter_inputs(paths: Iterable[str | os.PathLike], *, text_field: str = "text", text_column: str = "text",
                id_field: str = "id") -> Iterator[InputRecord]:
    """Every input record of the given files or directories, lazily and in a stable order."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            files = sorted(path.glob("*.txt"))
            if not files:
                raise FileNotFoundError(f"no .txt files in directory {path}")
            for f in files:
                yield from _iter_txt(f)
        elif not path.is_file():
            raise FileNotFoundError(f"input not found: {path}")
        elif path.suffix.lower() in (".jsonl", ".json", ".ndjson"):
            yield from _iter_jsonl(path, text_field, id_field)
        elif path.suffix.lower() in (".csv", ".tsv"):
            yield from _iter_csv(path, text_column, id_field)
        else:
            yield from _iter_txt(path)


def _completed_lines(output: Path) -> tuple[int, str | None]:
    """Count complete lines already in ``output`` (dropping a torn last line); return (count, last id)."""
    if not output.exists():
        return 0, None
    count, keep, last = 0, 0, b""
    with open(output, "rb") as f:  # line by line: memory stays flat however large the output
        for line in f:
            if not line.endswith(b"\n"):
                break  # the run died mid-line: this torn tail is dropped below
            count, keep, last = count + 1, keep + len(line), line
    if keep < output.stat().st_size:
        with open(output, "rb+") as f:
            f.truncate(keep)
    return count, (json.loads(last).get("id") if count else None)


def predict_files(predictor: Any, inputs: Iterable[str | os.PathLike], output: str | os.PathLike, *,
                  text_field: str = "text", text_column: str = "text", id_field: str = "id",
                  resume: bool = False, chunk_size: int = 64, progress: bool = True) -> dict[str, int]:
    """Predict every input record into ``output`` (JSONL), streaming; return counts.

    With ``resume=True`` the records already in ``output`` are kept and the run continues after them
    (inputs must be the same; the last written id is checked against the input at that position).
    """
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    done, last_id = _completed_lines(output) if resume else (0, None)
    records = iter_inputs(inputs, text_field=text_field, text_column=text_column, id_field=id_field)
    if done:
        skipped = list(itertools.islice(records, done))
        if len(skipped) < done:
            raise ValueError(f"{output} has {done} records but the inputs only {len(skipped)}: not the same inputs")
        expected = skipped[-1].id or f"{Path(skipped[-1].file).stem}-{skipped[-1].line}"
        if last_id is not None and str(last_id) != str(expected):
            raise ValueError(f"{output}: last record id {last_id!r} does not match input {expected!r}: not the same inputs")
    stats = {"skipped": done, "written": 0, "errors": 0}
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(desc="predict", unit="doc", initial=done, file=sys.stderr, dynamic_ncols=True)
    with open(output, "a" if resume else "w", encoding="utf-8") as out:
        while chunk := list(itertools.islice(records, chunk_size)):
            good = [r for r in chunk if r.error is None]
            preds = iter(predictor.predict([r.text for r in good])) if good else iter(())
            buf = io.StringIO()
            for r in chunk:
                doc_id = r.id if r.id is not None else f"{Path(r.file).stem}-{r.line}"
                if r.error is not None:
                    rec = {"id": r.id, "file": r.file, "line": r.line, "error": r.error}
                    stats["errors"] += 1
                else:
                    rec = {"id": doc_id, **next(preds)}
                buf.write(json.dumps(rec, ensure_ascii=False) + "\n")
                stats["written"] += 1
            out.write(buf.getvalue())
            out.flush()
            if bar is not None:
                bar.update(len(chunk))
    if bar is not None:
        bar.close()
    return stats
