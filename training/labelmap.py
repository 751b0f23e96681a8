"""Map a corpus's own labels onto the taxonomy, keeping track of what each document annotates.

Every corpus labels part of what incidex predicts, in its own scheme. A :class:`CorpusLabels` (built from a
``data.corpora[i].label_map`` entry of the config) says, per source label, which taxonomy labels it stands
for: one, several (*one of them*: a disjunction) or none. :func:`to_taxonomy` turns a source document into
its *taxonomy view*, from which :mod:`training.features` builds the targets:

* ``spans``: ``{"start", "end", "label", "labels"}``: ``labels`` = the taxonomy labels the span may have;
* ``attack_types``: types known to be present; ``type_groups``: sets of which at least one is present;
* ``annotated``: the taxonomy span labels and attack types this document was annotated for. A token
  outside every span may be O *or any span label not annotated*; a type not annotated adds no loss.

:func:`source_view` goes the other way for evaluation: a prediction record (taxonomy labels) becomes a
record in the corpus's own labels, and both gold and prediction keep only what the document annotates.

>>> labels = CorpusLabels("muc4", attack_types={"attack": ("armed_assault", "shelling"), "bombing": ("bombing",)},
...                       spans={"WEAPON": ("WEAPON",)})
>>> view = to_taxonomy({"id": "d", "text": "Mortars hit a bus.", "attack_types": ["attack"], "spans": []}, labels)
>>> view["attack_types"], view["type_groups"], view["annotated"]["attack_types"]
([], [['armed_assault', 'shelling']], ['armed_assault', 'bombing', 'shelling'])
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .config import CorpusConfig, RefineRule
from .corpus import Problem


@dataclass(frozen=True)
class CorpusLabels:
    """One corpus's label map (source label -> taxonomy labels) and what it declares as annotated.

    ``declared_types`` / ``declared_spans``: the source labels the corpus annotates (None: every key of the
    map). Span map order is priority order when two source spans overlap.
    """

    name: str
    attack_types: dict[str, tuple[str, ...]] = field(default_factory=dict)
    spans: dict[str, tuple[str, ...]] = field(default_factory=dict)
    refine: tuple[RefineRule, ...] = ()
    declared_types: tuple[str, ...] | None = None
    declared_spans: tuple[str, ...] | None = None

    @property
    def identity(self) -> bool:
        return all(v == (k,) for k, v in self.attack_types.items()) and all(v == (k,) for k, v in self.spans.items())

    def to_dict(self) -> dict[str, Any]:
        """JSON form, saved in the model directory (``training_info.label_maps``) and its model card."""
        return {"attack_types": {k: list(v) for k, v in self.attack_types.items()},
                "spans": {k: list(v) for k, v in self.spans.items()},
                "refine": [{k: v for k, v in vars(r).items() if v is not None} for r in self.refine],
                "declared_types": list(self.declared_types) if self.declared_types is not None else None,
                "declared_spans": list(self.declared_spans) if self.declared_spans is not None else None}


def _used(docs: Iterable[dict]) -> tuple[list[str], list[str]]:
    types: dict[str, None] = {}
    spans: dict[str, None] = {}
    for d in docs:
        for t in d.get("attack_types") or []:
            types[t] = None
        for s in d.get("spans") or []:
            spans[s["label"]] = None
    return sorted(types), sorted(spans)


def corpus_labels(cfg: CorpusConfig, docs: Sequence[dict], declared: tuple[Sequence[str], Sequence[str]] | None = None
                  ) -> CorpusLabels:
    """The label map of one corpus: the config's, or the identity over the labels its documents use.

    ``declared`` = (attack types, span labels) the importer says its corpus annotates; the config's
    ``annotated`` overrides it.
    """
    used_types, used_spans = _used(docs)
    if cfg.label_map is None:
        types = {t: (t,) for t in used_types}
        spans = {s: (s,) for s in used_spans}
        refine: tuple[RefineRule, ...] = ()
    else:
        types = {k: tuple(v) for k, v in cfg.label_map.attack_types.items()}
        spans = {k: tuple(v) for k, v in cfg.label_map.spans.items()}
        refine = tuple(cfg.label_map.refine)
    decl_t = decl_s = None
    if declared is not None:
        decl_t, decl_s = tuple(declared[0]), tuple(declared[1])
    if cfg.annotated is not None:
        decl_t = tuple(cfg.annotated.get("attack_types", decl_t or ()))
        decl_s = tuple(cfg.annotated.get("spans", decl_s or ()))
    return CorpusLabels(cfg.name, types, spans, refine, decl_t, decl_s)


def check_labels(docs: Sequence[dict], labels: CorpusLabels) -> list[Problem]:
    """A problem for every source label a document uses that the corpus's label map lacks."""
    problems = []
    for i, d in enumerate(docs):
        for t in d.get("attack_types") or []:
            if t not in labels.attack_types:
                problems.append(Problem(labels.name, i + 1, d.get("id"), "attack_types",
                                        f"{t!r} is not in the corpus's label_map.attack_types (map it to null to ignore it)"))
        for s in d.get("spans") or []:
            if s["label"] not in labels.spans:
                problems.append(Problem(labels.name, i + 1, d.get("id"), "spans",
                                        f"{s['label']!r} is not in the corpus's label_map.spans (map it to null to ignore it)"))
    return problems


def annotated_sources(doc: dict, labels: CorpusLabels) -> tuple[set[str], set[str]]:
    """The source attack types and span labels one document is annotated for.

    A missing ``attack_types`` / ``spans`` key means none; else the document's ``annotated`` field, else the
    corpus's declaration, else every label of the map.
    """
    ann = doc.get("annotated") or {}
    types: set[str] = set()
    spans: set[str] = set()
    if "attack_types" in doc:
        types = set(ann["attack_types"]) if "attack_types" in ann else set(
            labels.declared_types if labels.declared_types is not None else labels.attack_types)
    if "spans" in doc:
        spans = set(ann["spans"]) if "spans" in ann else set(
            labels.declared_spans if labels.declared_spans is not None else labels.spans)
    return types, spans


def _refined(source: str, targets: tuple[str, ...], doc: dict, weapons: list[str], labels: CorpusLabels
             ) -> tuple[str, ...]:
    """Narrow a disjunction with the refine rules that match the document (unchanged when none does)."""
    narrowed = []
    for rule in labels.refine:
        if rule.when != source or rule.to in narrowed:
            continue
        if rule.weapon is not None and any(re.search(rule.weapon, w, re.IGNORECASE) for w in weapons):
            narrowed.append(rule.to)
        elif rule.span is not None and any(s["label"] == rule.span for s in doc.get("spans") or []):
            narrowed.append(rule.to)
    return tuple(t for t in targets if t in narrowed) or targets


def map_spans(doc: dict, labels: CorpusLabels) -> list[dict]:
    """The document's spans with taxonomy labels; overlaps go to the source label listed first in the map."""
    order = {s: i for i, s in enumerate(labels.spans)}
    candidates = []
    for s in doc.get("spans") or []:
        targets = labels.spans.get(s["label"], ())
        if targets:
            candidates.append((order[s["label"]], -(s["end"] - s["start"]), s["start"], s, targets))
    chosen: list[dict] = []
    for _, _, _, s, targets in sorted(candidates, key=lambda c: c[:3]):
        if all(s["end"] <= c["start"] or s["start"] >= c["end"] for c in chosen):
            chosen.append({"start": s["start"], "end": s["end"], "label": targets[0], "labels": list(targets)})
    return sorted(chosen, key=lambda c: (c["start"], c["end"]))


def to_taxonomy(doc: dict, labels: CorpusLabels, weapon_labels: Sequence[str] = ("WEAPON",)) -> dict[str, Any]:
    """The taxonomy view of one source document (see the module docstring).

    ``weapon_labels``: taxonomy span labels whose text the refine rules' ``weapon`` patterns read.
    """
    ann_types, ann_spans = annotated_sources(doc, labels)
    spans = map_spans(doc, labels)
    weapons = [doc["text"][s["start"]:s["end"]] for s in spans if set(s["labels"]) & set(weapon_labels)]
    tax_types = sorted({t for s in ann_types | set(doc.get("attack_types") or []) for t in labels.attack_types.get(s, ())})
    positives: list[str] = []
    groups: list[list[str]] = []
    for source in doc.get("attack_types") or []:
        targets = _refined(source, labels.attack_types.get(source, ()), doc, weapons, labels)
        if len(targets) == 1:
            positives.append(targets[0])
        elif targets:
            groups.append(sorted(targets))
    positives = sorted(set(positives))
    groups = [g for g in {tuple(g): g for g in groups}.values() if not set(g) & set(positives)]
    view: dict[str, Any] = {
        "id": doc["id"], "text": doc["text"], "corpus": labels.name, "spans": spans,
        "attack_types": positives, "type_groups": groups,
        "annotated": {"attack_types": tax_types,
                      "spans": sorted({t for s in ann_spans for t in labels.spans.get(s, ())})},
    }
    if "spans" not in doc:
        view["annotated"]["spans"] = []
    for key in ("casualties", "incidents"):
        if key in doc:
            view[key] = doc[key]
    return view


def source_view(doc: dict, record: dict, labels: CorpusLabels) -> tuple[dict, dict]:
    """Gold document and prediction record in the corpus's own labels, restricted to what ``doc`` annotates.

    A predicted taxonomy type or span label counts for every source label that maps onto it; source labels
    that map to nothing cannot be predicted and are left out of both sides.
    """
    ann_types, ann_spans = annotated_sources(doc, labels)
    types = {s for s in ann_types if labels.attack_types.get(s)}
    span_labels = {s for s in ann_spans if labels.spans.get(s)}
    gold = {k: v for k, v in doc.items() if k not in ("attack_types", "spans")}
    rec = {k: v for k, v in record.items() if k not in ("attack_types", "spans", "scores")}
    if types:
        gold["attack_types"] = [t for t in doc.get("attack_types") or [] if t in types]
        scores = record.get("scores") or {}
        rec["scores"] = {s: max((scores.get(t, 0.0) for t in labels.attack_types[s]), default=0.0) for s in types}
        predicted = {it["label"] if isinstance(it, dict) else it for it in record.get("attack_types") or []}
        rec["attack_types"] = [{"label": s, "score": rec["scores"][s]} for s in sorted(types)
                               if predicted & set(labels.attack_types[s])]
    if span_labels:
        gold["spans"] = [s for s in doc.get("spans") or [] if s["label"] in span_labels]
        rec["spans"] = [{**s, "label": src} for s in record.get("spans") or [] for src in sorted(span_labels)
                        if s["label"] in labels.spans[src]]
    return gold, rec
