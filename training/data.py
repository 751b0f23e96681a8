"""Load training and dev corpora named by a config, derive and check label maps.

>>> from incidex.training.config import DataConfig
>>> train, dev = load_splits(DataConfig(train=["data/sample/train.jsonl"], dev=["data/sample/dev.jsonl"]))
>>> labels = derive_labels(train, dev)  # doctest: +SKIP
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import DataConfig
from .corpus import CorpusError, Problem, load_jsonl


@dataclass
class LabelSet:
    attack_types: list[str]
    span_labels: list[str]


def read_corpus(fmt: str, paths: Sequence[str] = (), *, path: str | None = None, sets: Sequence[str] = (),
                allow_overlaps: bool = False) -> list[dict[str, Any]]:
    """Documents from JSONL files (``fmt='jsonl'``) or through an importer (``fmt='muc4'``)."""
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
    raise ValueError(f"unknown corpus format {fmt!r} (known: jsonl, muc4)")


def load_splits(cfg: DataConfig) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The (train, dev) documents of a data config; dev may be empty."""
    train = read_corpus(cfg.format, cfg.train, path=cfg.path, sets=cfg.train_sets, allow_overlaps=cfg.allow_overlaps)
    dev = (
        read_corpus(cfg.format, cfg.dev, path=cfg.path, sets=cfg.dev_sets, allow_overlaps=cfg.allow_overlaps)
        if (cfg.dev or cfg.dev_sets)
        else []
    )
    if not train:
        raise ValueError("the training corpus is empty")
    return train, dev


def derive_labels(train: Sequence[dict], dev: Sequence[dict] = (), model_labels: LabelSet | None = None) -> LabelSet:
    """Label maps from the training data, checked against dev and, when given, a saved model's labels.

    Labels are sorted alphabetically (stable across runs). With ``model_labels`` (fine-tuning an incidex
    model further), the model's order is kept and any label the data has but the model lacks is an error.
    """
    types = sorted({t for d in train for t in d.get("attack_types", [])})
    spans = sorted({s["label"] for d in train for s in d.get("spans", [])})
    problems = []
    for i, d in enumerate(dev):
        for t in d.get("attack_types", []):
            if t not in types:
                problems.append(Problem("dev", i + 1, d.get("id"), "attack_types", f"{t!r} never occurs in train"))
        for s in d.get("spans", []):
            if s["label"] not in spans:
                problems.append(Problem("dev", i + 1, d.get("id"), "spans", f"{s['label']!r} never occurs in train"))
    if problems:
        raise CorpusError(problems)
    if model_labels is not None:
        extra_t = sorted(set(types) - set(model_labels.attack_types))
        extra_s = sorted(set(spans) - set(model_labels.span_labels))
        if extra_t or extra_s:
            raise ValueError(
                f"the data has labels the model to fine-tune does not: attack types {extra_t}, span labels {extra_s}; "
                f"model labels: {model_labels.attack_types} / {model_labels.span_labels}"
            )
        return LabelSet(list(model_labels.attack_types), list(model_labels.span_labels))
    if not types and not spans:
        raise ValueError("the training corpus has neither attack_types nor spans: nothing to learn")
    return LabelSet(types, spans)


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
