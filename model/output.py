"""Batch-prediction output, shared by both engines: a temporary file renamed at the end, resumable.

Records go, as they are predicted, to ``OUTPUT.partial`` in the output's folder, one JSON line each; at
the end that file becomes ``OUTPUT``: renamed for JSON lines, converted in one streaming pass for
Parquet (``.parquet``), CSV (``.csv``/``.tsv``) or gzipped JSON lines (``.jsonl.gz``). An existing
``OUTPUT`` is therefore untouched until a run succeeds. ``resume=True`` continues ``OUTPUT.partial``
(or a finished JSON-lines ``OUTPUT``) after its last complete line.

>>> out = OutputFile("preds.parquet", [], attack_types=["bombing"], resume=False)  # doctest: +SKIP
>>> with out.open() as f:  # doctest: +SKIP
...     f.write(record_line({"id": "a", "error": "empty text"}))
>>> out.finish()  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import gzip
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from .io import InputFile, InputRecord, printable

PARTIAL_SUFFIX = ".partial"


def record_line(record: dict[str, Any]) -> str:
    """One output record as a JSON line (UTF-8 text, non-ASCII kept)."""
    return json.dumps(record, ensure_ascii=False) + "\n"


def output_format(path: str | os.PathLike) -> str:
    """``jsonl``, ``jsonl.gz``, ``parquet``, ``csv`` or ``tsv``, by the output's suffix (JSON lines by default)."""
    name = Path(path).name.lower()
    if name.endswith(".gz"):
        if Path(name[:-3]).suffix in (".jsonl", ".json", ".ndjson", ""):
            return "jsonl.gz"
        raise ValueError(f"--output {path}: only JSON lines can be gzipped (name it .jsonl.gz)")
    return {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".tsv": "tsv"}.get(Path(name).suffix, "jsonl")


def parquet_schema(attack_types: list[str], extra: Iterable[str] = ()):
    """Arrow schema of an output Parquet file: prediction fields and error fields, null where absent.

    ``extra``: fields of the records that this schema does not know; they are stored as JSON text.
    """
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
        ("casualties", pa.struct([("killed", count), ("wounded", count), ("perpetrators_killed", count),
                                  ("total_killed", count)])),
        ("actors", pa.struct([(k, pa.list_(pa.string())) for k in ("perpetrators", "targets", "victims")])),
        # role -> entities (a map: the roles depend on the model's span_roles)
        ("entities", pa.map_(pa.string(), pa.list_(pa.struct([
            ("label", pa.string()), ("text", pa.string()),
            ("mentions", pa.list_(pa.struct([("label", pa.string()), ("text", pa.string()), ("start", pa.int64()),
                                             ("end", pa.int64()), ("score", pa.float64())])))])))),
        ("windows", pa.int64()),
        ("file", pa.string()),
        ("line", pa.int64()),
        ("error", pa.string()),
        *((name, pa.string()) for name in extra),
    ])


class RecordWriter:
    """Write output records to a final file: JSON lines, gzipped JSON lines, Parquet or CSV/TSV.

    CSV has the Parquet columns; nested values (spans, scores, ...) are JSON text in their cell.
    """

    def __init__(self, output: str | os.PathLike, attack_types: list[str], fmt: str | None = None,
                 extra: Iterable[str] = ()):
        self.path = Path(output)
        self.format = fmt or output_format(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.extra = list(extra)
        self.schema = parquet_schema(attack_types, self.extra)
        self._names = list(self.schema.names)
        if self.format == "parquet":
            import pyarrow.parquet as pq

            self._writer = pq.ParquetWriter(self.path, self.schema)
        elif self.format in ("csv", "tsv"):
            self._file: IO[str] = open(self.path, "w", encoding="utf-8", newline="")
            self._csv = csv.writer(self._file, delimiter="," if self.format == "csv" else "\t")
            self._csv.writerow(self._names)
        elif self.format == "jsonl.gz":
            self._file = gzip.open(self.path, "wt", encoding="utf-8")
        else:
            self._file = open(self.path, "w", encoding="utf-8")

    def _check_fields(self, records: list[dict]) -> None:
        extra = {k for r in records for k in r} - set(self._names)
        if extra:
            raise ValueError(f"record fields {sorted(extra)} have no {self.format} column: pass extra=")

    def write(self, records: list[dict]) -> None:
        if not records:
            return
        if self.format == "parquet":
            import pyarrow as pa

            self._check_fields(records)
            if self.extra:
                records = [{**r, **{k: _json_text(r[k]) for k in self.extra if k in r}} for r in records]
            self._writer.write_table(pa.Table.from_pylist(records, schema=self.schema))
        elif self.format in ("csv", "tsv"):
            self._check_fields(records)
            for r in records:
                self._csv.writerow([_cell(r.get(k)) for k in self._names])
        else:
            self._file.write("".join(record_line(r) for r in records))

    def close(self) -> None:
        if self.format == "parquet":
            self._writer.close()
        else:
            self._file.close()


def _json_text(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _cell(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def _complete_lines(path: Path) -> tuple[int, int, dict | None]:
    """(complete lines, their byte length, last record) of a JSON-lines file; a torn last line is ignored."""
    count, keep, last = 0, 0, b""
    with open(path, "rb") as f:  # line by line: memory stays flat however large the output
        for line in f:
            if not line.endswith(b"\n"):
                break  # the run died mid-line
            count, keep, last = count + 1, keep + len(line), line
    return count, keep, (json.loads(last) if count else None)


def same_record(written: dict | None, r: InputRecord) -> bool:
    """Whether an output record was written for input ``r`` (error records by file and line, others by id)."""
    if written is None:
        return False
    if "error" in written and "line" in written:
        return written.get("line") == r.line and written.get("file") == printable(r.file)
    return str(written.get("id")) == r.doc_id


class OutputFile:
    """The output of one run: checked against the inputs, written to ``OUTPUT.partial``, finished by rename.

    Raises :class:`ValueError` when the output (or its partial file) is one of the inputs.
    """

    def __init__(self, output: str | os.PathLike, inputs: Iterable[InputFile | str | os.PathLike], *,
                 attack_types: list[str], resume: bool = False):
        self.path = Path(output)
        self.format = output_format(self.path)
        self.partial = self.path.with_name(self.path.name + PARTIAL_SUFFIX)
        self.attack_types = list(attack_types)
        self.resume = resume
        if self.path.is_dir():
            raise ValueError(f"--output {self.path} is a directory: give a file name, e.g. {self.path}/preds.jsonl")
        mine = {_real(self.path), _real(self.partial)}
        for f in inputs:
            p = f.path if isinstance(f, InputFile) else Path(f)
            if _real(p) in mine:
                raise ValueError(f"--output {self.path} is also an input: writing it would destroy the input; "
                                 "choose another output file")
        self.done, self._keep, self._from_final = 0, 0, False
        self.last: dict | None = None
        if resume:
            if self.partial.exists():
                self.done, self._keep, self.last = _complete_lines(self.partial)
            elif self.path.exists():
                if self.format != "jsonl":
                    raise ValueError(f"--resume: {self.path} is a finished {self.format} file and there is no "
                                     f"{self.partial.name} to continue; drop --resume to predict again")
                self.done, self._keep, self.last = _complete_lines(self.path)
                self._from_final = True

    def open(self) -> IO[str]:
        """The partial file, opened for appending after the kept lines (or emptied without ``resume``)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self._from_final:
            os.replace(self.path, self.partial)
        if self.resume and self.partial.exists():
            with open(self.partial, "rb+") as f:
                f.truncate(self._keep)  # drop a torn last line
            return open(self.partial, "a", encoding="utf-8", errors="backslashreplace")
        return open(self.partial, "w", encoding="utf-8", errors="backslashreplace")

    def finish(self) -> Path:
        """Turn the partial file into the output (rename, or convert for Parquet/CSV/gzip); return its path."""
        if self.format == "jsonl":
            os.replace(self.partial, self.path)
            return self.path
        tmp = self.path.with_name(f".{self.path.name}.tmp{os.getpid()}")
        known = set(parquet_schema(self.attack_types).names)
        extra: dict[str, None] = {}
        for batch in _json_batches(self.partial, 1000):  # a first pass for fields the schema does not know
            extra.update((k, None) for r in batch for k in r if k not in known)
        writer = RecordWriter(tmp, self.attack_types, self.format, extra=extra)
        try:
            for batch in _json_batches(self.partial, 1000):
                writer.write(batch)
        finally:
            writer.close()
        os.replace(tmp, self.path)
        self.partial.unlink()
        return self.path


def _json_batches(path: Path, size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            batch.append(json.loads(line))
            if len(batch) == size:
                yield batch
                batch = []
    if batch:
        yield batch


def _real(path: Path) -> str:
    return os.path.realpath(path)
