"""Import span-annotated corpora (doccano, Label Studio, CoNLL BIO) into the incidex corpus format v1.

Each reader returns format-v1 documents (``docs/FORMAT.md``) or raises :class:`ConversionError`, which
lists every problem (file, line, id, field) and carries the documents that converted cleanly. A doccano line

    {"id": 7, "text": "Rebels of the FMLN burned a bus.", "label": [[14, 19, "PERP_ORGANIZATION"]], "cats": ["arson"]}

becomes (the span ``"FMLN "`` is trimmed to ``"FMLN"``, offsets stay exact)

    {"id": "7", "text": "Rebels of the FMLN burned a bus.", "attack_types": ["arson"],
     "spans": [{"start": 14, "end": 18, "label": "PERP_ORGANIZATION"}], "meta": {"imported_from": "doccano"}}

Span and category labels are kept as the annotators wrote them (stripped, repeats dropped).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from incidex.training.corpus import CorpusError, Problem, check_document, iter_jsonl, resolve_overlaps

Doc = dict[str, Any]
SPAN_KEYS = ("label", "labels", "entities")  # doccano: span lists (or, for "label"/"labels", categories)
CATEGORY_KEYS = ("cats", "category", "categories")  # doccano: document-level categories


class ConversionError(CorpusError):
    """A :class:`CorpusError` that also carries ``documents``: the records converted without problems."""

    def __init__(self, problems: Sequence[Problem], documents: Sequence[Doc] = ()):
        super().__init__(problems)
        self.documents = list(documents)


class Collector:
    """The documents and problems of one input file; :meth:`finish` validates them, then returns or raises."""

    def __init__(self, path: str | Path, source: str):
        self.path, self.stem, self.source = str(path), Path(path).stem, source
        self.problems: list[Problem] = []
        self.entries: list[tuple[int, Doc, bool]] = []

    def problem(self, line: int, doc_id: str | None, field: str | None, message: str) -> None:
        self.problems.append(Problem(self.path, line, doc_id, field, message))

    def doc_id(self, value: Any, line: int) -> str:
        """The record's own id as a string, or ``<file stem>-<line>`` when it has none."""
        if value is None or value == "":
            return f"{self.stem}-{line}"
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.problem(line, None, "id", f"must be a string or an integer, got {value!r}")
            return f"{self.stem}-{line}"
        return str(value)

    def add(self, line: int, doc: Doc, problems_before: int) -> None:
        """Keep ``doc``; it counts as clean when no problem was added since ``problems_before``."""
        doc.setdefault("meta", {})["imported_from"] = self.source
        self.entries.append((line, doc, len(self.problems) == problems_before))

    def finish(self, *, allow_overlaps: bool = False) -> list[Doc]:
        """Check every document with :func:`check_document` and for unique ids; raise if anything is wrong."""
        seen: dict[str, int] = {}
        good: list[Doc] = []
        for line, doc, clean in self.entries:
            found = check_document(doc, allow_overlaps=allow_overlaps)
            for field, message in found:
                self.problem(line, doc["id"], field, message)
            if doc["id"] in seen:
                self.problem(line, doc["id"], "id", f"duplicate id (first at line {seen[doc['id']]})")
                clean = False
            seen.setdefault(doc["id"], line)
            if clean and not found:
                good.append(doc)
        if not self.entries and not self.problems:
            self.problem(0, None, None, "no documents found")
        if self.problems:
            raise ConversionError(sorted(self.problems, key=lambda p: p.line), good)
        return good


def make_span(text: str, start: Any, end: Any, label: Any) -> Doc | str:
    """The span trimmed of surrounding whitespace, or a message saying what is wrong with it.

    >>> make_span("a  bomb ", 1, 8, "WEAPON")
    {'start': 3, 'end': 7, 'label': 'WEAPON'}
    >>> make_span("a  bomb", 1, 3, "WEAPON")
    "text[1:3] = '  ' is only whitespace"
    """
    if any(isinstance(x, bool) or not isinstance(x, int) for x in (start, end)):
        return f"start and end must be integers, got {start!r} and {end!r}"
    if not isinstance(label, str) or not label.strip():
        return f"label missing or not a string: {label!r}"
    if not 0 <= start < end <= len(text):
        return f"offsets {start}..{end} outside the text (length {len(text)}) or empty"
    piece = text[start:end]
    if not piece.strip():
        return f"text[{start}:{end}] = {piece!r} is only whitespace"
    start += len(piece) - len(piece.lstrip())
    end -= len(piece) - len(piece.rstrip())
    return {"start": start, "end": end, "label": label.strip()}


def final_spans(spans: list[Doc], allow_overlaps: bool) -> list[Doc]:
    """Drop exact repeats, then (unless ``allow_overlaps``) overlaps, keeping the longest; sort by offset."""
    unique = list({(s["start"], s["end"], s["label"]): s for s in spans}.values())
    if allow_overlaps:
        return sorted(unique, key=lambda s: (s["start"], s["end"]))
    return resolve_overlaps(unique)


def dedupe(labels: list[str]) -> list[str]:
    """Stripped labels, first occurrence kept, empty ones dropped."""
    return list(dict.fromkeys(label.strip() for label in labels if label.strip()))


def _categories(value: Any) -> list[str] | None:
    """Category names from a list of strings or a spaCy-style ``{"name": score}`` dict (score >= 0.5)."""
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return dedupe([k for k, v in value.items() if isinstance(v, (int, float)) and v >= 0.5])
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return dedupe(value)
    return None


def _text_or_problem(c: Collector, text: Any, line: int, doc_id: str | None, field: str) -> str | None:
    if isinstance(text, str) and text.strip():
        return text
    c.problem(line, doc_id, field, "missing" if text is None else "empty" if isinstance(text, str) else
              f"must be a string, got {type(text).__name__}")
    return None


def read_doccano(path: str | Path, *, allow_overlaps: bool = False) -> list[Doc]:
    """Read a doccano JSONL export (``label``/``labels`` as ``[[start, end, "LABEL"], ...]`` or ``entities``
    as ``[{"start_offset", "end_offset", "label"}, ...]``; ``cats``/``category`` or a ``label`` list of
    strings give ``attack_types``). Problems carry the JSONL line number.
    """
    c = Collector(path, "doccano")
    for line, rec in iter_jsonl(path):
        if isinstance(rec, Problem):
            c.problems.append(rec)
            continue
        before = len(c.problems)
        doc_id = c.doc_id(rec.get("id"), line)
        text = _text_or_problem(c, rec.get("text"), line, doc_id, "text")
        if text is None:
            continue
        doc: Doc = {"id": doc_id, "text": text}
        spans: list[Doc] | None = None
        types: list[str] | None = None
        for key in SPAN_KEYS:
            value = rec.get(key)
            if value is None:
                continue
            if key != "entities" and (cats := _categories(value)) is not None and value:
                types = (types or []) + cats
                continue
            if not isinstance(value, list):
                c.problem(line, doc_id, key, "must be a list of spans")
                continue
            if spans is None:
                spans = []
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    start = item.get("start_offset", item.get("start"))
                    span = make_span(text, start, item.get("end_offset", item.get("end")), item.get("label"))
                elif isinstance(item, list) and len(item) == 3:
                    span = make_span(text, *item)
                else:
                    span = "must be [start, end, label] or {start_offset, end_offset, label}"
                if isinstance(span, str):
                    c.problem(line, doc_id, f"{key}[{i}]", span)
                else:
                    spans.append(span)
        for key in CATEGORY_KEYS:
            if key in rec:
                cats = _categories(rec[key])
                if cats is None:
                    c.problem(line, doc_id, key, "must be a list of strings")
                else:
                    types = (types or []) + cats
        if types is not None:
            doc["attack_types"] = dedupe(types)
        if spans is not None:
            doc["spans"] = final_spans(spans, allow_overlaps)
        if isinstance(rec.get("meta"), dict):
            doc["meta"] = dict(rec["meta"])
        c.add(line, doc, before)
    return c.finish(allow_overlaps=allow_overlaps)


def _from_utf16(text: str, offset: int) -> int | None:
    """The code-point index of a UTF-16 offset (what JavaScript counts), or None if it splits a character.

    >>> _from_utf16("😀 bomb", 3)
    2
    """
    units = 0
    for i, ch in enumerate(text):
        if units >= offset:
            return i if units == offset else None
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text) if units == offset else None


def _ls_offsets(text: str, value: Doc) -> tuple[Any, Any] | str:
    """Label Studio offsets checked against ``value.text``; UTF-16 offsets (emoji) are converted."""
    start, end, want = value.get("start"), value.get("end"), value.get("text")
    if want is None or not isinstance(start, int) or not isinstance(end, int) or text[start:end] == want:
        return start, end
    s16, e16 = _from_utf16(text, start), _from_utf16(text, end)
    if s16 is not None and e16 is not None and text[s16:e16] == want:
        return s16, e16
    return f"value.text {want!r} does not match text[{start}:{end}] = {text[start:end]!r}"


def read_label_studio(path: str | Path, *, allow_overlaps: bool = False, text_key: str = "text") -> list[Doc]:
    """Read a Label Studio JSON export (a list of tasks). The first annotation not cancelled gives the
    document's ``spans`` (``"labels"`` results) and ``attack_types`` (``"choices"`` results); a task without
    one is kept unlabelled (no ``spans`` key). Problems carry the task's index in the list as their line.
    """
    c = Collector(path, "label-studio")
    try:
        with open(path, encoding="utf-8") as f:
            tasks = json.load(f)
    except (OSError, UnicodeDecodeError) as e:
        c.problem(0, None, None, f"cannot read: {e}")
        tasks = []
    except json.JSONDecodeError as e:
        c.problem(e.lineno, None, None, f"bad JSON: {e.msg} at column {e.colno}")
        tasks = []
    if not isinstance(tasks, list):
        c.problem(0, None, None, f"expected a JSON list of tasks, got {type(tasks).__name__}")
        tasks = []
    for index, task in enumerate(tasks):
        if not isinstance(task, dict):
            c.problem(index, None, None, "a task must be a JSON object")
            continue
        before = len(c.problems)
        doc_id = c.doc_id(task.get("id"), index)
        data = task.get("data")
        text = _text_or_problem(c, data.get(text_key) if isinstance(data, dict) else None, index, doc_id,
                                f"data.{text_key}")
        if text is None:
            continue
        doc: Doc = {"id": doc_id, "text": text}
        annotations = task.get("annotations", task.get("completions")) or []
        if not isinstance(annotations, list):
            c.problem(index, doc_id, "annotations", "must be a list")
            annotations = []
        chosen = [(k, a) for k, a in enumerate(annotations) if isinstance(a, dict) and not a.get("was_cancelled")]
        if chosen:
            k, annotation = chosen[0]
            spans: list[Doc] = []
            types: list[str] | None = None
            results = annotation.get("result") or []
            for j, result in enumerate(results if isinstance(results, list) else [results]):
                field = f"annotations[{k}].result[{j}]"
                kind = result.get("type") if isinstance(result, dict) else None
                if kind not in ("labels", "choices"):  # relations, text areas, ratings...
                    if not isinstance(result, dict):
                        c.problem(index, doc_id, field, "must be an object")
                    continue
                value = result.get("value")
                if not isinstance(value, dict):
                    c.problem(index, doc_id, field + ".value", "missing or not an object")
                    continue
                if kind == "choices":
                    cats = _categories(value.get("choices"))
                    if cats is None:
                        c.problem(index, doc_id, field + ".value.choices", "must be a list of strings")
                    else:
                        types = (types or []) + cats
                    continue
                labels = value.get("labels")
                offsets = _ls_offsets(text, value)
                if not isinstance(labels, list) or not labels:
                    c.problem(index, doc_id, field + ".value.labels", "must be a non-empty list")
                elif isinstance(offsets, str):
                    c.problem(index, doc_id, field + ".value", offsets)
                else:
                    for label in labels:
                        span = make_span(text, *offsets, label)
                        if isinstance(span, str):
                            c.problem(index, doc_id, field + ".value", span)
                        else:
                            spans.append(span)
            if types is not None:
                doc["attack_types"] = dedupe(types)
            doc["spans"] = final_spans(spans, allow_overlaps)
        c.add(index, doc, before)
    return c.finish(allow_overlaps=allow_overlaps)


def _parse_tag(tag: str) -> tuple[str, str] | None:
    """``(prefix, type)`` of a BIO/BIOES/BILOU tag (L- read as E-, U- as S-), ``("O", "")`` or None."""
    if tag == "O":
        return "O", ""
    prefix, sep, type_ = tag.partition("-")
    if not sep or not type_ or prefix not in ("B", "I", "E", "S", "L", "U"):
        return None
    return {"L": "E", "U": "S"}.get(prefix, prefix), type_


def chunks(tags: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """``(first, last, type)`` token chunks of one sentence, read as seqeval does in non-strict mode.

    >>> chunks([("O", ""), ("I", "X"), ("I", "X"), ("B", "Y"), ("E", "Y"), ("S", "X"), ("I", "Y")])
    [(1, 2, 'X'), (3, 4, 'Y'), (5, 5, 'X'), (6, 6, 'Y')]
    """
    found: list[tuple[int, int, str]] = []
    prev, prev_type, begin = "O", "", 0
    for i, (tag, type_) in enumerate([*tags, ("O", "")]):
        if prev in "ES" or (prev in "BI" and tag in "BSO") or (prev != "O" and prev_type != type_):
            found.append((begin, i - 1, prev_type))
        if tag in "BS" or (prev in "ESO" and tag in "EI") or (tag != "O" and prev_type != type_):
            begin = i
        prev, prev_type = tag, type_
    return found


Token = tuple[str, str, int]  # token, tag, line number


def _conll_doc(c: Collector, sentences: list[list[Token]], before: int) -> None:
    """Add the document made of ``sentences``; problems since ``before`` mark it as not clean."""
    sentences = [s for s in sentences if s]
    if not sentences:
        return
    first_line = sentences[0][0][2]
    doc_id = c.doc_id(None, first_line)
    spans: list[Doc] = []
    pos = 0
    for sentence in sentences:
        tags: list[tuple[str, str]] = []
        offsets: list[tuple[int, int]] = []
        for token, tag, line in sentence:
            parsed = _parse_tag(tag)
            if parsed is None:
                c.problem(line, doc_id, "tag", f"{tag!r} is not O or B-/I-/E-/S-<label>")
            tags.append(parsed or ("O", ""))
            offsets.append((pos, pos + len(token)))
            pos += len(token) + 1  # the space or newline after the token
        spans += [{"start": offsets[a][0], "end": offsets[b][1], "label": t} for a, b, t in chunks(tags)]
    text = "\n".join(" ".join(token for token, _, _ in sentence) for sentence in sentences)
    c.add(first_line, {"id": doc_id, "text": text, "spans": spans}, before)


def read_conll(path: str | Path) -> list[Doc]:
    """Read CoNLL BIO (or BIOES) files: token in the first column, tag in the last, a blank line between
    sentences, ``-DOCSTART-`` lines between documents (none: the file is one document). The text is the
    tokens joined by spaces, one sentence a line; a document's id is ``<file stem>-<line of its first token>``.

    ``"El\\tB-PERP\\nFMLN\\tI-PERP\\n\\nmató\\tO\\n"`` gives ``{"text": "El FMLN\\nmató", "spans": [0..7 PERP]}``.
    """
    c = Collector(path, "conll")
    sentences: list[list[Token]] = [[]]
    before = 0
    try:
        with open(path, "rb") as f:
            raw_lines = list(f)
    except OSError as e:
        c.problem(0, None, None, f"cannot read: {e}")
        raw_lines = []
    for line, raw in enumerate(raw_lines, start=1):
        try:
            text = raw.decode("utf-8").lstrip("\ufeff").rstrip("\r\n")
        except UnicodeDecodeError as e:
            c.problem(line, None, None, f"not UTF-8 ({e.reason} at byte {e.start})")
            continue
        if not text.strip():
            sentences.append([])
            continue
        cols = [col.strip() for col in (text.split("\t") if "\t" in text else text.split())]
        if cols[0] == "-DOCSTART-":
            _conll_doc(c, sentences, before)
            sentences, before = [[]], len(c.problems)
        elif len(cols) < 2 or not cols[0] or not cols[-1]:
            first = next((s[0][2] for s in sentences if s), None)
            doc_id = None if first is None else c.doc_id(None, first)
            c.problem(line, doc_id, None, f"expected a token and a tag, got {text!r}")
        else:
            sentences[-1].append((cols[0], cols[-1], line))
    _conll_doc(c, sentences, before)
    return c.finish()
