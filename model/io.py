"""Batch-prediction input, shared by the local engine (:mod:`model.batch`) and Ray (:mod:`model.ray_engine`).

One reader per format, chosen by suffix (``.gz`` of any of them too): JSON lines (``.jsonl``, ``.ndjson``;
a UTF-8 BOM is skipped), ``.json`` (an array of objects, one object, or JSON lines), ``.csv`` / ``.tsv``
(a header row, any field size; UTF-8 with or without BOM, or UTF-16 with BOM as Excel writes it),
``.parquet``, and anything else as one plain-text document; a directory holds any of these (recursively,
sorted; files of other suffixes are skipped). One rule for document ids and one for error records:

>>> rec = InputRecord("news.jsonl", 3, None, error="'text' is null")
>>> rec.doc_id, error_record(rec)
('news-3', {'id': None, 'file': 'news.jsonl', 'line': 3, 'error': "'text' is null"})

Nothing a row holds stops the reading: a bad line, row, field or text (null, not a string, empty,
invalid Unicode) becomes an :class:`InputRecord` with ``error`` set, in place (``line``: the file's line
of that row, or its 1-based row number in Parquet and JSON arrays without line breaks).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonlines": "jsonl", ".json": "json", ".csv": "csv",
           ".tsv": "tsv", ".tab": "tsv", ".parquet": "parquet", ".pq": "parquet", ".txt": "txt", ".text": "txt"}
_SURROGATE = re.compile("[\ud800-\udfff]")
_CSV_FIELD_LIMIT = 2**31 - 1  # the largest a C long takes everywhere (csv.field_size_limit's type)
_READ_ERRORS = (OSError, EOFError, zlib.error, UnicodeError)


@dataclass
class InputRecord:
    """One input document, or the reason it cannot be predicted (``error``)."""

    file: str
    line: int
    id: str | None
    text: str | None = None
    error: str | None = None

    @property
    def doc_id(self) -> str:
        """The record's id, or ``<file stem>-<line>`` when the input has none."""
        return self.id if self.id is not None else f"{file_stem(self.file)}-{self.line}"


def file_stem(path: str | os.PathLike) -> str:
    """File name without ``.gz`` and its format suffix: ``news.jsonl.gz`` -> ``news``."""
    name = Path(path).name
    if name.lower().endswith(".gz"):
        name = name[:-3]
    return Path(name).stem


def input_format(path: str | os.PathLike) -> tuple[str, bool]:
    """``(format, gzipped)`` of an input file by its suffix; unknown suffixes are plain text."""
    name = Path(path).name.lower()
    gz = name.endswith(".gz")
    return FORMATS.get(Path(name[:-3] if gz else name).suffix, "txt"), gz


def printable(s: str) -> str:
    """``s`` with lone surrogates written as ``\\udXXX`` escapes, so it can always be encoded as UTF-8."""
    return s if not _SURROGATE.search(s) else s.encode("utf-8", "backslashreplace").decode("utf-8")


def error_record(r: InputRecord) -> dict[str, Any]:
    """The output record of an input that could not be predicted: ``{"id", "file", "line", "error"}``."""
    return {"id": r.id, "file": printable(r.file), "line": r.line, "error": printable(r.error or "")}


def unicode_problem(s: str, field: str) -> str | None:
    """Why ``s`` is not valid Unicode text, or None (bytes decoded with surrogateescape count as not UTF-8)."""
    m = _SURROGATE.search(s)
    if m is None:
        return None
    ch = ord(m.group())
    if 0xDC80 <= ch <= 0xDCFF:
        return f"{field!r} is not UTF-8: byte 0x{ch - 0xDC00:02X} at character {m.start()}"
    return f"{field!r} is not valid Unicode: lone surrogate U+{ch:04X} at character {m.start()}"


def text_problem(text: Any, field: str = "text") -> str | None:
    """Why ``text`` cannot be predicted, or None.

    >>> text_problem(None), text_problem(3), text_problem("  "), text_problem("ok")
    ("'text' is null", "'text' is int, not a string", 'empty text', None)
    """
    if text is None:
        return f"{field!r} is null"
    if not isinstance(text, str):
        return f"{field!r} is {type(text).__name__}, not a string"
    if not text.strip():
        return "empty text"
    return unicode_problem(text, field)


def normalize_id(value: Any, field: str = "id") -> tuple[str | None, str | None]:
    """``(id, problem)``: strings and integers are ids; null and "" mean "derive one"; anything else is a problem.

    >>> normalize_id(7), normalize_id(7.0), normalize_id(""), normalize_id([1])
    (('7', None), ('7', None), (None, None), (None, "'id' is list, not a string or an integer"))
    """
    if value is None or value == "":
        return None, None
    if isinstance(value, bool):
        return None, f"{field!r} is bool, not a string or an integer"
    if isinstance(value, int):
        return str(value), None
    if isinstance(value, float) and value.is_integer():
        return str(int(value)), None
    if isinstance(value, float) and value != value:  # NaN: pandas' null
        return None, None
    if isinstance(value, str):
        problem = unicode_problem(value, field)
        return (None, problem) if problem else (value, None)
    return None, f"{field!r} is {type(value).__name__}, not a string or an integer"


def make_record(file: str, line: int, raw_id: Any, text: Any, *, text_field: str = "text",
                id_field: str = "id", missing: str | None = None) -> InputRecord:
    """The one place where an id and a text become an :class:`InputRecord` (``missing``: no text field at all)."""
    doc_id, problem = normalize_id(raw_id, id_field)
    if problem is None:
        problem = missing or text_problem(text, text_field)
    return InputRecord(file, line, doc_id, text=None if problem else text, error=problem)


def has_lone_surrogate(obj: Any) -> str | None:
    """The first string of a parsed JSON value (keys included) that holds a lone surrogate, or None."""
    if isinstance(obj, str):
        return obj if _SURROGATE.search(obj) else None
    if isinstance(obj, dict):
        for k, v in obj.items():
            found = has_lone_surrogate(k) or has_lone_surrogate(v)
            if found:
                return found
    elif isinstance(obj, list):
        for v in obj:
            found = has_lone_surrogate(v)
            if found:
                return found
    return None


# -- readers ------------------------------------------------------------------------------------------
def _open(path: Path, gz: bool) -> IO[bytes]:
    return gzip.open(path, "rb") if gz else open(path, "rb")


def read_json_lines(path: str | os.PathLike, *, check_unicode: bool = True,
                    stream: IO[bytes] | None = None) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """Yield ``(line_number, object)`` for each non-blank line, or ``(line_number, "what is wrong")``.

    Reads bytes, so a line that is not UTF-8, not JSON or not an object is an error for that line alone;
    a UTF-8 byte-order mark on the first line is skipped. With ``check_unicode`` a line whose strings hold
    a lone surrogate (``"\\ud800"``) is an error too (it cannot be tokenised or written back as UTF-8).
    """
    own = stream is None
    f = open(path, "rb") if own else stream
    try:
        for lineno, raw in enumerate(f, start=1):
            if lineno == 1:
                if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                    yield 1, "UTF-16 text: save the file as UTF-8"
                    return
                raw = raw.removeprefix(b"\xef\xbb\xbf")
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
            bad = has_lone_surrogate(obj) if check_unicode else None
            if bad is not None:
                yield lineno, f"not valid Unicode: lone surrogate in the string {printable(bad)[:60]!r}"
                continue
            yield lineno, obj
    finally:
        if own:
            f.close()


def _from_object(file: str, line: int, obj: Any, text_field: str, id_field: str) -> InputRecord:
    if isinstance(obj, str):  # the reader's message for a line it could not parse
        return InputRecord(file, line, None, error=obj)
    if not isinstance(obj, dict):
        return InputRecord(file, line, None, error=f"a record must be a JSON object, got {type(obj).__name__}")
    missing = None if text_field in obj else f"no {text_field!r} field"
    return make_record(file, line, obj.get(id_field), obj.get(text_field), text_field=text_field,
                       id_field=id_field, missing=missing)


def _iter_jsonl(path: Path, gz: bool, text_field: str, id_field: str) -> Iterator[InputRecord]:
    with _open(path, gz) as f:
        for lineno, obj in read_json_lines(path, check_unicode=False, stream=f):
            yield _from_object(str(path), lineno, obj, text_field, id_field)


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _iter_json(path: Path, gz: bool, text_field: str, id_field: str) -> Iterator[InputRecord]:
    """A JSON array of records (read whole), one JSON object, or JSON lines under a ``.json`` name."""
    with _open(path, gz) as f:
        text = f.read().decode("utf-8", "surrogateescape").removeprefix("\ufeff")
    pos = _skip_ws(text, 0)
    file = str(path)
    dec = json.JSONDecoder()
    if pos < len(text) and text[pos] == "{":
        try:
            obj, end = dec.raw_decode(text, pos)
        except json.JSONDecodeError:
            end = -1
        if end != -1 and _skip_ws(text, end) == len(text):
            yield _from_object(file, text.count("\n", 0, pos) + 1, obj, text_field, id_field)
        else:  # JSON lines under a .json name
            yield from _iter_jsonl(path, gz, text_field, id_field)
        return
    if pos >= len(text) or text[pos] != "[":
        if pos < len(text):
            yield InputRecord(file, text.count("\n", 0, pos) + 1, None,
                              error="not a JSON array of records, a JSON object or JSON lines")
        return
    line, counted = 1, 0
    pos = _skip_ws(text, pos + 1)
    while pos < len(text) and text[pos] != "]":
        line += text.count("\n", counted, pos)
        counted = pos
        try:
            obj, end = dec.raw_decode(text, pos)
        except json.JSONDecodeError as e:
            yield InputRecord(file, e.lineno, None, error=f"bad JSON: {e.msg} at column {e.colno} "
                                                          "(the rest of the array cannot be read)")
            return
        yield _from_object(file, line, obj, text_field, id_field)
        pos = _skip_ws(text, end)
        if pos < len(text) and text[pos] == ",":
            pos = _skip_ws(text, pos + 1)
        elif pos >= len(text) or text[pos] != "]":
            line += text.count("\n", counted, pos)
            yield InputRecord(file, line, None, error="bad JSON: expected ',' or ']' after a record "
                                                      "(the rest of the array cannot be read)")
            return


def _text_encoding(path: Path, gz: bool) -> str:
    with _open(path, gz) as f:
        head = f.read(4)
    return "utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"


def _iter_csv(path: Path, gz: bool, delimiter: str, text_column: str, id_field: str) -> Iterator[InputRecord]:
    if csv.field_size_limit() < _CSV_FIELD_LIMIT:
        csv.field_size_limit(_CSV_FIELD_LIMIT)  # news articles are longer than the default 131,072
    file = str(path)
    encoding = _text_encoding(path, gz)
    with _open(path, gz) as raw, io.TextIOWrapper(raw, encoding=encoding, errors="surrogateescape",
                                                  newline="") as f:
        reader = csv.reader(f, delimiter=delimiter)
        header = next(reader, None)
        if header is None:
            return
        names = [h.strip() for h in header]
        if text_column not in names:
            yield InputRecord(file, 1, None, error=f"no {text_column!r} column (columns: {names[:20]}); "
                                                   "name the text column with --text-column")
            return
        t, i = names.index(text_column), (names.index(id_field) if id_field in names else None)
        line = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                yield InputRecord(file, line, None, error=f"bad CSV row: {e}")
                line = reader.line_num + 1
                continue
            if row:
                raw_id = row[i] if i is not None and i < len(row) else None
                missing = None if t < len(row) else f"row has no {text_column!r} value ({len(row)} fields)"
                yield make_record(file, line, raw_id, row[t] if t < len(row) else None, text_field=text_column,
                                  id_field=id_field, missing=missing)
            line = reader.line_num + 1


def _iter_parquet(path: Path, gz: bool, text_field: str, id_field: str) -> Iterator[InputRecord]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    file = str(path)
    source = gzip.open(path, "rb") if gz else path
    try:
        pf = pq.ParquetFile(source)
    except (pa.ArrowException, OSError) as e:
        yield InputRecord(file, 1, None, error=f"not a readable Parquet file: {e}")
        return
    names = pf.schema_arrow.names
    if text_field not in names:
        yield InputRecord(file, 1, None, error=f"no {text_field!r} column (columns: {names[:20]}); "
                                               "name the text column with --text-column")
        return
    columns = [text_field] + ([id_field] if id_field in names and id_field != text_field else [])
    row = 0
    for batch in pf.iter_batches(batch_size=1024, columns=columns):
        texts = batch.column(text_field).to_pylist()
        ids = batch.column(id_field).to_pylist() if id_field in columns else [None] * len(texts)
        for text, raw_id in zip(texts, ids, strict=True):
            row += 1
            missing = f"row has no {text_field!r} value" if text is None else None
            yield make_record(file, row, raw_id, text, text_field=text_field, id_field=id_field, missing=missing)


def _iter_txt(path: Path, gz: bool, doc_id: str) -> Iterator[InputRecord]:
    with _open(path, gz) as f:
        raw = f.read()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding, raw = "utf-8", raw.removeprefix(b"\xef\xbb\xbf")
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as e:
        yield InputRecord(str(path), 1, doc_id, error=f"not {encoding.upper()} ({e.reason} at byte {e.start})")
        return
    yield make_record(str(path), 1, doc_id, text)


def iter_file(path: str | os.PathLike, *, doc_id: str | None = None, text_field: str = "text",
              text_column: str = "text", id_field: str = "id") -> Iterator[InputRecord]:
    """Every record of one input file, in order; a file that breaks off (truncated ``.gz``) ends in an error.

    ``doc_id``: the id of a plain-text document (default: the file stem).
    """
    path = Path(path)
    fmt, gz = input_format(path)
    if fmt == "jsonl":
        records = _iter_jsonl(path, gz, text_field, id_field)
    elif fmt == "json":
        records = _iter_json(path, gz, text_field, id_field)
    elif fmt in ("csv", "tsv"):
        records = _iter_csv(path, gz, "," if fmt == "csv" else "\t", text_column, id_field)
    elif fmt == "parquet":
        records = _iter_parquet(path, gz, text_field, id_field)
    else:
        records = _iter_txt(path, gz, doc_id or file_stem(path))
    last = 0
    try:
        for r in records:
            last = r.line
            yield r
    except _READ_ERRORS as e:
        yield InputRecord(str(path), last + 1, None, error=f"cannot read the rest of the file: {e}")


@dataclass(frozen=True)
class InputFile:
    """One file to read; ``doc_id`` names a plain-text document (its path under the input directory)."""

    path: Path
    doc_id: str | None = None


def input_files(paths: Iterable[str | os.PathLike]) -> list[InputFile]:
    """The files behind the given inputs, checked to exist; a directory gives its readable files, sorted.

    Raises :class:`FileNotFoundError` naming a missing input or a directory without readable files.
    """
    out: list[InputFile] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = []
            for f in sorted(path.rglob("*")):
                rel = f.relative_to(path)
                if f.is_file() and not any(part.startswith(".") for part in rel.parts) and _known(f):
                    fmt, _ = input_format(f)
                    doc_id = str(rel.parent / file_stem(f)) if fmt == "txt" else None
                    found.append(InputFile(f, doc_id.removeprefix("./") if doc_id else None))
            if not found:
                raise FileNotFoundError(f"no readable files ({', '.join(sorted(FORMATS))}, or .gz of them) "
                                        f"in directory {path}")
            out += found
        elif path.is_file():
            out.append(InputFile(path))
        else:
            raise FileNotFoundError(f"input not found: {path}")
    return out


def _known(path: Path) -> bool:
    name = path.name.lower()
    return Path(name[:-3] if name.endswith(".gz") else name).suffix in FORMATS


def iter_inputs(paths: Iterable[str | os.PathLike] | list[InputFile], *, text_field: str = "text",
                text_column: str = "text", id_field: str = "id") -> Iterator[InputRecord]:
    """Every input record of the given files or directories, lazily and in a stable order.

    >>> [r.doc_id for r in iter_inputs(["examples/"])]  # doctest: +SKIP
    ['bombing', 'kidnapping']
    """
    paths = list(paths)
    files = paths if all(isinstance(p, InputFile) for p in paths) else input_files(paths)  # type: ignore[arg-type]
    for f in files:
        yield from iter_file(f.path, doc_id=f.doc_id, text_field=text_field, text_column=text_column,
                             id_field=id_field)
