"""Load training and dev corpora named by a config, derive and check label maps.

>>> from incidex.training.config import DataConfig
>>> train, dev = load_splits(DataConfig(train=["data/sample/train.jsonl"], dev=["data/sample/dev.jsonl"]))
>>> labels = derive_labels(train, dev)  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import CorpusConfig, DataConfig
from .corpus import CorpusError, Problem, load_jsonl
from .labelmap import CorpusLabels, check_labels, corpus_labels, to_taxonomy


@dataclass
class LabelSet:
    attack_types: list[str]
    span_labels: list[str]


#: corpus format -> (importer module under training/importers, reader function); jsonl and muc4 are special
READERS = {
    "wikievents": ("wikievents", "read_wikievents"),
    "m2e2": ("m2e2", "read_m2e2"),
    "satp": ("satp", "read_satp"),
    "gvdb": ("gvdb", "read_gvdb"),
    "gtd": ("events_csv", "read_gtd_csv"),
    "acled": ("events_csv", "read_acled_csv"),
}


def _importer(fmt: str) -> Any:
    import importlib

    module = "muc4" if fmt == "muc4" else READERS[fmt][0]
    return importlib.import_module(f"incidex.training.importers.{module}")


def declared_labels(fmt: str) -> tuple[list[str], list[str]] | None:
    """(attack types, span labels) an importer declares its corpus annotates; None for plain JSONL files."""
    if fmt == "jsonl":
        return None
    mod = _importer(fmt)
    types, spans = getattr(mod, "ATTACK_TYPES", None), getattr(mod, "SPAN_LABELS", None)
    return (list(types), list(spans)) if types is not None and spans is not None else None


def read_corpus(fmt: str, paths: Sequence[str] = (), *, path: str | None = None, sets: Sequence[str] = (),
                allow_overlaps: bool = False, options: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Documents from JSONL files (``fmt='jsonl'``), the MUC-4 distribution (``path`` + ``sets``) or an importer."""
    if fmt == "jsonl":
        docs: list[dict[str, Any]] = []
        for p in paths:
            docs += load_jsonl(p, allow_overlaps=allow_overlaps)
        return docs
    if fmt == "muc4":
        from .importers.muc4 import read_muc4

        if path is None or not Path(path).is_dir():
            raise FileNotFoundError(f"MUC-4 corpora folder not found: {path} (expected .../raw/TASK/CORPORA)")
        return read_muc4(path, list(sets))
    if fmt not in READERS:
        raise ValueError(f"unknown corpus format {fmt!r} (known: jsonl, muc4, {', '.join(READERS)})")
    reader = getattr(_importer(fmt), READERS[fmt][1])
    docs = []
    for p in paths:
        if not Path(p).exists():
            raise FileNotFoundError(f"{fmt} corpus not found: {p}")
        docs += reader(p, **(options or {}))
    return docs


@dataclass
class Corpus:
    """One corpus of a run, loaded: source documents of both splits, its label map and sampling weight."""

    name: str
    train: list[dict[str, Any]]
    dev: list[dict[str, Any]]
    labels: CorpusLabels
    weight: float = 1.0


def _split_key(doc_id: str, group: str | None) -> str:
    if group:
        m = re.match(group, doc_id)
        if m:
            return m.group(1)
    return doc_id


def hold_out(docs: list[dict], fraction: float, group: str | None = None, seed: int = 0
             ) -> tuple[list[dict], list[dict]]:
    """Split documents into (train, dev) by a hash of their id (or id group): stable across runs and machines.

    >>> train, dev = hold_out([{"id": f"d{i}"} for i in range(100)], 0.2)
    >>> len(train) + len(dev), 10 < len(dev) < 30
    (100, True)
    """
    train, dev = [], []
    for d in docs:
        h = hashlib.sha1(f"{seed}:{_split_key(str(d['id']), group)}".encode()).digest()
        (dev if int.from_bytes(h[:8], "big") / 2**64 < fraction else train).append(d)
    return train, dev


def load_corpus(c: CorpusConfig) -> Corpus:
    """Read one corpus of the config and split it; the label map is checked against the documents."""
    read = {"path": c.path, "allow_overlaps": c.allow_overlaps, "options": c.options}
    train = read_corpus(c.format, c.train, sets=c.train_sets, **read)
    dev = read_corpus(c.format, c.dev, sets=c.dev_sets, **read) if (c.dev or c.dev_sets) else []
    if c.dev_fraction and not dev:
        train, dev = hold_out(train, c.dev_fraction, c.dev_group)
    if c.max_dev_docs and len(dev) > c.max_dev_docs:
        dev = sorted(dev, key=lambda d: hashlib.sha1(str(d["id"]).encode()).hexdigest())[: c.max_dev_docs]
    if not train:
        raise ValueError(f"corpus {c.name!r}: the training split is empty")
    labels = corpus_labels(c, train + dev, declared_labels(c.format))
    if c.label_map is not None:
        problems = check_labels(train + dev, labels)
        if problems:
            raise CorpusError(problems)
    return Corpus(c.name, train, dev, labels, c.weight)


def load_corpora(cfg: DataConfig) -> list[Corpus]:
    """Every corpus of a data config, loaded and split."""
    return [load_corpus(c) for c in cfg.corpus_list()]


def load_splits(cfg: DataConfig) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The (train, dev) source documents of a data config, all corpora together; dev may be empty."""
    corpora = load_corpora(cfg)
    return [d for c in corpora for d in c.train], [d for c in corpora for d in c.dev]


def weapon_labels(span_roles: dict[str, str]) -> list[str]:
    """The span labels whose role is ``weapon`` (the refine rules read their text); ``WEAPON`` by default."""
    return [label for label, role in span_roles.items() if role == "weapon"] if span_roles else ["WEAPON"]


def taxonomy_views(corpus: Corpus, split: str, weapons: Sequence[str] = ("WEAPON",)) -> list[dict[str, Any]]:
    """The taxonomy views (:func:`training.labelmap.to_taxonomy`) of one split of a corpus."""
    return [to_taxonomy(d, corpus.labels, weapons) for d in getattr(corpus, split)]


def _view_labels(d: dict) -> tuple[set[str], set[str]]:
    types = set(d.get("attack_types") or []) | {t for g in d.get("type_groups") or [] for t in g}
    spans = {lab for s in d.get("spans") or [] for lab in s.get("labels") or [s["label"]]}
    return types, spans


def derive_labels(train: Sequence[dict], dev: Sequence[dict] = (), model_labels: LabelSet | None = None,
                  taxonomy: LabelSet | None = None) -> LabelSet:
    """The model's label lists: the taxonomy's, else those of the training data; checked against the data.

    Derived labels are sorted alphabetically (stable across runs) and every dev label must occur in train.
    With ``taxonomy``, every label of the data must be in it. With ``model_labels`` (fine-tuning an incidex
    model further), the model's order is kept and any label the data has but the model lacks is an error.
    Documents may be source documents or taxonomy views (:func:`training.labelmap.to_taxonomy`).
    """
    types: set[str] = set()
    spans: set[str] = set()
    for d in train:
        t, s = _view_labels(d)
        types |= t
        spans |= s
    known_t, known_s = (set(taxonomy.attack_types), set(taxonomy.span_labels)) if taxonomy else (types, spans)
    problems = []
    for split, docs in (("train", train if taxonomy else ()), ("dev", dev)):
        for i, d in enumerate(docs):
            t, s = _view_labels(d)
            where = "the taxonomy" if taxonomy else "train"
            for label in sorted(t - known_t):
                problems.append(Problem(d.get("corpus", split), i + 1, d.get("id"), "attack_types",
                                        f"{label!r} never occurs in {where}"))
            for label in sorted(s - known_s):
                problems.append(Problem(d.get("corpus", split), i + 1, d.get("id"), "spans",
                                        f"{label!r} never occurs in {where}"))
    if problems:
        raise CorpusError(problems)
    result = taxonomy or LabelSet(sorted(types), sorted(spans))
    if model_labels is not None:
        extra_t = sorted(set(result.attack_types) - set(model_labels.attack_types))
        extra_s = sorted(set(result.span_labels) - set(model_labels.span_labels))
        if extra_t or extra_s:
            raise ValueError(
                f"the data has labels the model to fine-tune does not: attack types {extra_t}, span labels {extra_s}; "
                f"model labels: {model_labels.attack_types} / {model_labels.span_labels}"
            )
        return LabelSet(list(model_labels.attack_types), list(model_labels.span_labels))
    if not result.attack_types and not result.span_labels:
        raise ValueError("the training corpus has neither attack_types nor spans: nothing to learn")
    return result


def summarize(docs: Sequence[dict]) -> dict[str, Any]:
    """Counts for reports and model cards: documents, labelled documents, types and span labels."""
    types = Counter(t for d in docs for t in d.get("attack_types", []))
    spans = Counter(s["label"] for d in docs for s in d.get("spans", []))
    return {
        "documents": len(docs),
        "labelled_for_types": sum("attack_types" in d for d in docs),
        "labelled_for_spans": sum("spans" in d for d in docs),
        "no_attack": sum(d.get("attack_types") == [] for d in docs),
        "attack_types": dict(sorted(types.items())),
        "span_labels": dict(sorted(spans.items())),
    }
