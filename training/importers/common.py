"""Helpers shared by the news-corpus importers (wikievents, m2e2, satp, gvdb): format v2 output.

Format v2 = v1 plus an optional per-document ``"annotated": {"spans": [...], "attack_types": [...]}`` naming
the span labels and attack types that were annotated in that document (absent: everything its corpus
declares). Documents are validated with :func:`training.corpus.check_document` *without* that field (it is
checked here), so the importers work with a v1 or a v2 validator, and attached after validation:

>>> from incidex.training.importers.spans import Collector
>>> c = Collector("x.tsv", "demo")
>>> c.add(1, {"id": "d1", "text": "Shots fired.", "spans": []}, 0)
>>> [d["annotated"] for d in finish(c, {"d1": annotated([], ["shooting"])})]
[{'spans': [], 'attack_types': ['shooting']}]
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from incidex.training.corpus import resolve_overlaps
from incidex.training.importers.spans import Collector, ConversionError

Doc = dict[str, Any]
log = logging.getLogger("incidex.training.importers")


def annotated(spans: Iterable[str], attack_types: Iterable[str]) -> dict[str, list[str]]:
    """The ``annotated`` field: which span labels and attack types a document annotates."""
    return {"spans": list(dict.fromkeys(spans)), "attack_types": list(dict.fromkeys(attack_types))}


def finish(c: Collector, annotated_by_id: dict[str, dict[str, list[str]]] | None = None) -> list[Doc]:
    """Validate the collected documents (``Collector.finish``), then attach their ``annotated`` field.

    A document's types and span labels must lie inside what it declares as annotated, else a problem.
    Raises :class:`ConversionError` (every problem, with file, line, id, field) like the other importers.
    """
    annotated_by_id = annotated_by_id or {}
    for line, doc, _clean in c.entries:
        ann = annotated_by_id.get(doc["id"])
        if ann is None:
            continue
        for label in {s["label"] for s in doc.get("spans", [])} - set(ann["spans"]):
            c.problem(line, doc["id"], "annotated.spans", f"span label {label!r} is not declared as annotated")
        for label in set(doc.get("attack_types", [])) - set(ann["attack_types"]):
            c.problem(line, doc["id"], "annotated.attack_types", f"type {label!r} is not declared as annotated")
    try:
        docs = c.finish()
    except ConversionError as e:
        for doc in e.documents:
            if doc["id"] in annotated_by_id:
                doc["annotated"] = annotated_by_id[doc["id"]]
        raise
    for doc in docs:
        if doc["id"] in annotated_by_id:
            doc["annotated"] = annotated_by_id[doc["id"]]
    return docs


def by_priority(spans: list[Doc], labels: Sequence[str]) -> list[Doc]:
    """One span per character range: the longest of overlapping spans wins (:func:`resolve_overlaps`);
    of spans on the same range, the label that comes first in ``labels`` wins.

    >>> by_priority([{"start": 0, "end": 3, "label": "B"}, {"start": 0, "end": 3, "label": "A"}], ["A", "B"])
    [{'start': 0, 'end': 3, 'label': 'A'}]
    """
    rank = {label: i for i, label in enumerate(labels)}
    return resolve_overlaps(sorted(spans, key=lambda s: rank.get(s["label"], len(rank))))


def with_text(text: str, spans: list[Doc]) -> list[Doc]:
    """The spans with their ``text`` field (``text[start:end]``), in offset order."""
    return [{**s, "text": text[s["start"]:s["end"]]} for s in sorted(spans, key=lambda s: (s["start"], s["end"]))]
