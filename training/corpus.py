"""The incidex corpus format (version 2; version 1 files still read): read, validate and write JSONL documents.

One JSON object per line (see ``docs/FORMAT.md``)::

    {"id": "doc-1", "text": "A car bomb killed 3 people.",
     "attack_types": ["bombing"],
     "spans": [{"start": 0, "end": 10, "label": "WEAPON"}],
     "casualties": {"killed": 3, "wounded": null},
     "annotated": {"spans": ["WEAPON", "KILLED"], "attack_types": ["bombing", "arson"]}}

Version 2 adds ``annotated``: which span labels and attack types this document was annotated for
(absent: everything its corpus declares). A label not annotated is neither present nor absent: training
learns nothing about it from this document.

Every problem is reported with file, line, id and field, and validation never stops at the first one:

>>> problems = validate_files(["data/sample/train.jsonl"])
>>> [str(p) for p in problems]
[]
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT_VERSION = 2
CASUALTY_KINDS = ("killed", "wounded")
KNOWN_KEYS = {"id", "text", "attack_types", "spans", "casualties", "incidents", "meta", "annotated"}
ANNOTATED_KEYS = ("attack_types", "spans")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one record: where it is and what is wrong."""

    file: str
    line: int
    id: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        if self.id is not None:
            where += f" [id={self.id}]"
        if self.field:
            where += f" {self.field}"
        return f"{where}: {self.message}"


class CorpusError(ValueError):
    """Raised when a corpus has problems; ``problems`` holds all of them, not only the first."""

    def __init__(self, problems: Sequence[Problem], limit: int = 20):
        self.problems = list(problems)
        shown = "\n".join(f"  {p}" for p in self.problems[:limit])
        more = f"\n  ... and {len(self.problems) - limit} more" if len(self.problems) > limit else ""
        super().__init__(f"{len(self.problems)} problem(s) in the corpus:\n{shown}{more}")


def iter_jsonl(path: str | Path) -> Iterator[tuple[int, dict[str, Any] | Problem]]:
    """Yield ``(line_number, record)`` for each non-blank line, or ``(line_number, Problem)``.

    A line that is not UTF-8, not JSON or not an object becomes a problem for that line alone.
    """
    from incidex.model.batch import read_json_lines

    for lineno, rec in read_json_lines(path):
        yield lineno, Problem(str(path), lineno, None, None, rec) if isinstance(rec, str) else rec


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def check_document(
    doc: dict[str, Any],
    *,
    span_labels: Iterable[str] | None = None,
    attack_types: Iterable[str] | None = None,
    allow_overlaps: bool = False,
) -> list[tuple[str | None, str]]:
    """Return ``(field, message)`` for every problem of one document (empty when valid).

    >>> check_document({"id": "a", "text": "abc", "spans": [{"start": 0, "end": 9, "label": "KILLED"}]})
    [('spans[0]', 'offsets 0..9 outside the text (length 3)')]
    """
    out: list[tuple[str | None, str]] = []
    span_labels = set(span_labels) if span_labels is not None else None
    attack_types = set(attack_types) if attack_types is not None else None
    if "id" in doc and not isinstance(doc["id"], (str, int)):
        out.append(("id", "must be a string or an integer"))
    text = doc.get("text")
    if text is None:
        out.append(("text", "missing"))
    elif not isinstance(text, str):
        out.append(("text", f"must be a string, got {type(text).__name__}"))
        text = None
    elif not text.strip():
        out.append(("text", "empty"))
    for key in doc:
        if key not in KNOWN_KEYS:
            out.append((key, f"unknown field (known: {', '.join(sorted(KNOWN_KEYS))})"))

    if "attack_types" in doc:
        types = doc["attack_types"]
        if not isinstance(types, list) or not all(isinstance(t, str) and t for t in types):
            out.append(("attack_types", "must be a list of non-empty strings"))
        else:
            if len(set(types)) != len(types):
                out.append(("attack_types", "repeats a label"))
            if attack_types is not None:
                for t in types:
                    if t not in attack_types:
                        out.append(("attack_types", f"unknown label {t!r}"))

    if "spans" in doc:
        spans = doc["spans"]
        if not isinstance(spans, list):
            out.append(("spans", "must be a list"))
            spans = []
        good: list[tuple[int, int, int]] = []
        for i, span in enumerate(spans):
            field = f"spans[{i}]"
            if not isinstance(span, dict):
                out.append((field, "must be an object with start, end, label"))
                continue
            start, end, label = span.get("start"), span.get("end"), span.get("label")
            if not _is_int(start) or not _is_int(end):
                out.append((field, "start and end must be integers"))
                continue
            if not isinstance(label, str) or not label:
                out.append((field + ".label", "missing or not a string"))
            elif span_labels is not None and label not in span_labels:
                out.append((field + ".label", f"unknown label {label!r}"))
            if text is None:
                continue
            if not 0 <= start < end <= len(text):
                out.append((field, f"offsets {start}..{end} outside the text (length {len(text)})"))
                continue
            piece = text[start:end]
            if piece != piece.strip():
                out.append((field, f"offsets {start}..{end} not on the text: {piece!r} has surrounding whitespace"))
                continue
            if "text" in span and span["text"] != piece:
                out.append((field + ".text", f"{span['text']!r} does not match text[{start}:{end}] = {piece!r}"))
                continue
            good.append((start, end, i))
        if not allow_overlaps:
            good.sort()
            for (s1, e1, i1), (s2, e2, i2) in zip(good, good[1:]):
                if s2 < e1:
                    out.append((f"spans[{i2}]", f"overlaps spans[{i1}] ({s1}..{e1} and {s2}..{e2})"))

    if "casualties" in doc:
        cas = doc["casualties"]
        if not isinstance(cas, dict):
            out.append(("casualties", "must be an object"))
        else:
            for key, value in cas.items():
                if key not in CASUALTY_KINDS:
                    out.append((f"casualties.{key}", f"unknown kind (known: {', '.join(CASUALTY_KINDS)})"))
                elif value is not None and (not _is_int(value) or value < 0):
                    out.append((f"casualties.{key}", f"must be a non-negative integer or null, got {value!r}"))

    if "annotated" in doc:
        out += _check_annotated(doc, span_labels, attack_types)

    if "incidents" in doc and not isinstance(doc["incidents"], list):
        out.append(("incidents", "must be a list"))
    return out


def _check_annotated(doc: dict[str, Any], span_labels: set[str] | None, attack_types: set[str] | None
                     ) -> list[tuple[str | None, str]]:
    """Problems of the ``annotated`` field: its shape, unknown labels, labels used but not declared."""
    ann = doc["annotated"]
    if not isinstance(ann, dict):
        return [("annotated", "must be an object with spans and/or attack_types lists")]
    out: list[tuple[str | None, str]] = []
    for key in ann:
        if key not in ANNOTATED_KEYS:
            out.append((f"annotated.{key}", f"unknown key (known: {', '.join(ANNOTATED_KEYS)})"))
    for key, known, used in (("spans", span_labels, [s.get("label") for s in doc.get("spans") or []
                                                       if isinstance(s, dict)]),
                             ("attack_types", attack_types, doc.get("attack_types") or [])):
        if key not in ann:
            continue
        labels = ann[key]
        if not isinstance(labels, list) or not all(isinstance(x, str) and x for x in labels):
            out.append((f"annotated.{key}", "must be a list of non-empty strings"))
            continue
        for x in labels:
            if known is not None and x not in known:
                out.append((f"annotated.{key}", f"unknown label {x!r}"))
        if isinstance(used, list):
            for x in dict.fromkeys(u for u in used if isinstance(u, str)):
                if x not in labels:
                    out.append((key, f"label {x!r} is used but not in annotated.{key}"))
    return out


def validate_files(
    paths: Iterable[str | Path],
    *,
    span_labels: Iterable[str] | None = None,
    attack_types: Iterable[str] | None = None,
    allow_overlaps: bool = False,
) -> list[Problem]:
    """Validate JSONL corpus files; return every problem found (ids must be unique across all files)."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for path in paths:
        path = str(path)
        if not Path(path).is_file():
            problems.append(Problem(path, 0, None, None, "no such file"))
            continue
        for lineno, rec in iter_jsonl(path):
            if isinstance(rec, Problem):
                problems.append(rec)
                continue
            doc_id = None if rec.get("id") is None else str(rec["id"])
            for field, msg in check_document(
                rec, span_labels=span_labels, attack_types=attack_types, allow_overlaps=allow_overlaps
            ):
                problems.append(Problem(path, lineno, doc_id, field, msg))
            if doc_id is not None:
                if doc_id in seen:
                    problems.append(Problem(path, lineno, doc_id, "id", f"duplicate id (first at {seen[doc_id]})"))
                else:
                    seen[doc_id] = f"{path}:{lineno}"
    return problems


def load_jsonl(path: str | Path, **check: Any) -> list[dict[str, Any]]:
    """Load and validate one JSONL corpus file; raise :class:`CorpusError` listing every problem.

    Documents without an ``id`` get ``"<file stem>-<line>"``.
    """
    problems = validate_files([path], **check)
    if problems:
        raise CorpusError(problems)
    docs = []
    for lineno, rec in iter_jsonl(path):
        assert isinstance(rec, dict)
        rec = dict(rec)
        rec.setdefault("id", f"{Path(path).stem}-{lineno}")
        rec["id"] = str(rec["id"])
        docs.append(rec)
    return docs


def write_jsonl(docs: Iterable[dict[str, Any]], path: str | Path) -> int:
    """Write documents as JSONL (UTF-8, one object per line); return how many were written."""
    n = 0
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for doc in docs:
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
            n += 1
    return n


def find_all(text: str, needle: str, *, ignore_case: bool = True) -> list[tuple[int, int]]:
    """All non-overlapping ``(start, end)`` occurrences of ``needle`` on word boundaries.

    >>> find_all("The FMLN and the fmln.", "FMLN")
    [(4, 8), (17, 21)]
    """
    import re

    needle = needle.strip()
    if not needle:
        return []
    flags = re.IGNORECASE if ignore_case else 0
    pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in needle.split()) + r"(?!\w)"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, flags)]


def resolve_overlaps(spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop overlapping spans, keeping the longest (then the earliest); return them sorted by start.

    >>> resolve_overlaps([{"start": 0, "end": 4, "label": "A"}, {"start": 2, "end": 9, "label": "B"}])
    [{'start': 2, 'end': 9, 'label': 'B'}]
    """
    chosen: list[dict[str, Any]] = []
    for span in sorted(spans, key=lambda s: (-(s["end"] - s["start"]), s["start"])):
        if all(span["end"] <= c["start"] or span["start"] >= c["end"] for c in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: (s["start"], s["end"]))
