"""Import the Gun Violence Database (Pavlick et al., EMNLP 2016; US local news of shootings) into format v2.

Input: a TSV file with the header ``Article id, Article url, Article title, Full text, Json, Worker``
(:mod:`csv`, tab, standard quoting, field size limit raised); ``Json`` is one crowd worker's annotation:
``victim-section`` and ``shooter-section`` lists whose ``name`` (and ``age``, ``race``) fields are
``{"value", "startIndex", "endIndex"}`` character offsets into ``Full text`` (-1 when absent), victims with
``victim-was`` (a list of ``killed``, ``injured``, ``hospitalized``), and ``circumstances.type-of-gun``.

Native labels (the corpus's own; ``configs/news.yaml`` maps them onto the taxonomy):

* ``attack_types``: ``shooting`` for every article (every article is a shooting: no negatives).
* ``spans`` (:data:`SPAN_LABELS`): a victim's ``name`` is ``victim_killed`` when ``victim-was`` holds
  ``killed``, else ``victim_injured`` when it holds ``injured`` or ``hospitalized``, else
  ``victim_no_outcome`` (the worker ticked nothing); a shooter's ``name`` is ``shooter``; the
  ``type-of-gun`` value is ``gun``. Ages, races, places and shot counts are not spans. Only the one
  annotated mention of each person is marked (``all_mentions=True`` also marks every other exact,
  case-sensitive occurrence of the same name string).
* ``casualties``: killed = the victims with ``killed``; wounded = the victims with ``injured`` or
  ``hospitalized`` and not ``killed``; both null when a victim has no outcome or the victim list is empty.

Every article is annotated for all of :data:`SPAN_LABELS` and :data:`ATTACK_TYPES` and for nothing else (no
physical target, no perpetrator organisation): each document carries that as its ``annotated`` field.

Offsets are checked: a span is kept when ``text[startIndex:endIndex] == value`` (surrounding whitespace
trimmed); otherwise, when ``value`` occurs exactly once in the text, that occurrence is used
(``meta.repaired``); otherwise it is dropped (``meta.dropped``; counts are logged). Overlaps: one span per
character range: the longest wins; on the same range the label first in :data:`SPAN_LABELS` wins (a
self-inflicted shooting's shooter is the victim). Id: ``gvdb-<Article id>``.

>>> docs = read_gvdb("../shared/data/gvdb/dev.tsv")  # doctest: +SKIP
>>> len(docs), docs[0]["id"], docs[0]["casualties"]  # doctest: +SKIP
(400, 'gvdb-46', {'killed': 7, 'wounded': 0})
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from incidex.training.corpus import find_all
from incidex.training.importers.common import annotated, by_priority, finish, log, with_text
from incidex.training.importers.spans import Collector, make_span

ATTACK_TYPES = ("shooting",)
SPAN_LABELS = ("victim_killed", "victim_injured", "victim_no_outcome", "shooter", "gun")
COLUMNS = ("article id", "article url", "article title", "full text", "json")
INJURED = {"injured", "hospitalized", "hospitalised"}

Doc = dict[str, Any]


def victim_label(outcomes: list[str]) -> str:
    """The native label of a victim from its ``victim-was`` list.

    >>> victim_label(["injured", "hospitalized"]), victim_label(["killed", "injured"]), victim_label([])
    ('victim_injured', 'victim_killed', 'victim_no_outcome')
    """
    got = {o.strip().lower() for o in outcomes}
    return "victim_killed" if "killed" in got else "victim_injured" if got & INJURED else "victim_no_outcome"


def casualties(victims: list[Doc]) -> dict[str, int | None]:
    """Killed and wounded counts from the victim list (see the module docstring for the rule).

    >>> casualties([{"victim-was": ["killed"]}, {"victim-was": ["injured"]}, {"victim-was": ["hospitalized"]}])
    {'killed': 1, 'wounded': 2}
    >>> casualties([{"victim-was": ["killed"]}, {"victim-was": []}])
    {'killed': None, 'wounded': None}
    """
    labels = [victim_label(v.get("victim-was") or []) for v in victims]
    if not labels or "victim_no_outcome" in labels:
        return {"killed": None, "wounded": None}
    return {"killed": labels.count("victim_killed"), "wounded": labels.count("victim_injured")}


def locate(text: str, item: Any) -> tuple[int, int] | str | None:
    """``(start, end)`` of an annotated ``{"value", "startIndex", "endIndex"}`` field when the offsets fit
    its value, ``"mismatch"`` when they do not, None when the field is empty (not annotated).

    >>> locate("Ann Lee was shot.", {"value": "Ann Lee", "startIndex": 0, "endIndex": 7})
    (0, 7)
    """
    if not isinstance(item, dict):
        return None
    value, s, e = item.get("value"), item.get("startIndex"), item.get("endIndex")
    if not isinstance(value, str) or not value.strip():
        return None
    if isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text) and text[s:e].strip() == value.strip():
        return s, e
    return "mismatch"


def field_span(text: str, item: Any, label: str, stats: Counter[str], meta: Doc) -> Doc | None:
    """The span of one annotated field, checked against the text (repaired or dropped as documented)."""
    where = locate(text, item)
    if where is None:
        return None
    stats["fields"] += 1
    value = item["value"].strip()
    if where == "mismatch":
        found = [i for i in range(len(text)) if text.startswith(value, i)][:2]
        record = {"label": label, "value": value, "startIndex": item.get("startIndex")}
        if len(found) != 1:
            stats["dropped"] += 1
            meta.setdefault("dropped", []).append(record)
            return None
        stats["repaired"] += 1
        meta.setdefault("repaired", []).append(record)
        where = (found[0], found[0] + len(value))
    span = make_span(text, where[0], where[1], label)
    return span if isinstance(span, dict) else None


def convert(c: Collector, line: int, row: dict[str, str], stats: Counter[str], all_mentions: bool) -> None:
    """Add one article (problems go to ``c`` with the row's first physical line)."""
    before = len(c.problems)
    raw_id = row["article id"].strip()
    doc_id = f"gvdb-{raw_id}" if raw_id else c.doc_id(None, line)
    text = row["full text"]
    if not text.strip():
        c.problem(line, doc_id, "Full text", "empty")
        return
    try:
        ann = json.loads(row["json"])
    except json.JSONDecodeError as e:
        c.problem(line, doc_id, "Json", f"bad JSON: {e.msg} at column {e.colno}")
        return
    victims = ann.get("victim-section", []) if isinstance(ann, dict) else None
    shooters = ann.get("shooter-section", []) if isinstance(ann, dict) else None
    if not isinstance(victims, list) or not isinstance(shooters, list):
        c.problem(line, doc_id, "Json", "must be an object with victim-section and shooter-section lists")
        return
    victims = [v for v in victims if isinstance(v, dict)]
    meta: Doc = {"url": row["article url"].strip(), "title": row["article title"].strip()}
    spans: list[Doc] = []
    names: list[tuple[str, str]] = []
    fields = [(v.get("name"), victim_label(v.get("victim-was") or [])) for v in victims]
    fields += [(s.get("name"), "shooter") for s in shooters if isinstance(s, dict)]
    circumstances = ann.get("circumstances")
    if isinstance(circumstances, dict):
        fields.append((circumstances.get("type-of-gun"), "gun"))
    for item, label in fields:
        span = field_span(text, item, label, stats, meta)
        if span is not None:
            spans.append(span)
            names.append((text[span["start"]:span["end"]], label))
    if all_mentions:
        spans += [{"start": s, "end": e, "label": label} for name, label in names if label != "gun"
                  for s, e in find_all(text, name, ignore_case=False)]
    spans = list({(s["start"], s["end"], s["label"]): s for s in spans}.values())
    kept = by_priority(spans, SPAN_LABELS)
    stats["overlap_dropped"] += len(spans) - len(kept)
    stats["spans"] += len(kept)
    when = ann.get("date-and-time")
    if isinstance(when, dict):
        meta.update({k: when[k] for k in ("date", "state") if isinstance(when.get(k), str) and when[k]})
    if row.get("worker", "").strip():
        meta["worker"] = row["worker"].strip()
    doc = {"id": doc_id, "text": text, "attack_types": ["shooting"], "spans": with_text(text, kept),
           "casualties": casualties(victims), "meta": meta}
    c.add(line, doc, before)


def read_gvdb(path: str | Path, *, all_mentions: bool = False) -> list[Doc]:
    """Read a GVDB split TSV (e.g. ``dev.tsv``) into format-v2 documents.

    ``all_mentions`` also marks the other exact occurrences of each annotated name. A missing column,
    a row with the wrong number of fields or bad JSON is a problem naming file, line and field; raises
    :class:`~incidex.training.importers.spans.ConversionError` listing every problem.
    """
    c = Collector(path, "gvdb")
    declared: dict[str, dict[str, list[str]]] = {}
    stats: Counter[str] = Counter()
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.reader(f, delimiter="\t")
            header: list[str] | None = None
            prev = 0
            for cells in reader:
                line, prev = prev + 1, reader.line_num
                if not any(cell.strip() for cell in cells):
                    continue
                if header is None:
                    header = [h.strip().lstrip("\ufeff").lower() for h in cells]
                    missing = [col for col in COLUMNS if col not in header]
                    if missing:
                        c.problem(line, None, None, f"columns missing from the header: {', '.join(missing)}")
                        break
                    continue
                if len(cells) != len(header):
                    c.problem(line, None, None, f"{len(cells)} fields where the header has {len(header)}")
                    continue
                n_before = len(c.entries)
                convert(c, line, dict(zip(header, cells)), stats, all_mentions)
                if len(c.entries) > n_before:
                    declared[c.entries[-1][1]["id"]] = annotated(SPAN_LABELS, ATTACK_TYPES)
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        c.problem(0, None, None, f"cannot read: {e}")
    log.info("%s: %d annotated fields with offsets, %d repaired, %d dropped (offsets off the text), "
             "%d spans kept, %d dropped as overlaps (repeats not counted)", path, stats["fields"],
             stats["repaired"], stats["dropped"], stats["spans"], stats["overlap_dropped"])
    return finish(c, declared)
