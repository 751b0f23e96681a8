"""Attack-type baselines to put beside the model in report.md.

Both functions train on ``train_docs`` and score on ``eval_docs`` (format v1 dicts), using only the
documents that carry an ``attack_types`` key, and return ``eval.metrics.attack_type_metrics`` dicts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from incidex.eval.metrics import attack_type_metrics


def _labelled(docs: Sequence[Mapping[str, Any]], labels: Sequence[str]) -> tuple[list[str], list[list[str]]]:
    known = set(labels)
    kept = [d for d in docs if "attack_types" in d]
    return [str(d["text"]) for d in kept], [[lab for lab in d["attack_types"] if lab in known] for d in kept]


def majority_label_set(train_docs: Sequence[Mapping[str, Any]], labels: Sequence[str]) -> list[str]:
    """The most frequent label set of the labelled training documents (ties: the smallest sorted tuple).

    >>> majority_label_set([{"text": "a", "attack_types": []}, {"text": "b", "attack_types": ["arson"]},
    ...                     {"text": "c", "attack_types": []}], ["arson"])
    []
    """
    _, train_y = _labelled(train_docs, labels)
    if not train_y:
        raise ValueError("majority_label_set: no training document has attack_types")
    counts = Counter(tuple(sorted(set(y))) for y in train_y)
    best = min(counts, key=lambda key: (-counts[key], key))
    return list(best)


def majority_baseline(
    train_docs: Sequence[Mapping[str, Any]], eval_docs: Sequence[Mapping[str, Any]], labels: list[str]
) -> dict[str, Any]:
    """Predict the training set's most frequent label set for every evaluation document.

    >>> train = [{"text": "x", "attack_types": ["bombing"]}] * 2 + [{"text": "y", "attack_types": []}]
    >>> majority_baseline(train, [{"text": "z", "attack_types": ["bombing"]}], ["bombing"])["exact_match"]
    1.0
    """
    guess = majority_label_set(train_docs, labels)
    _, eval_y = _labelled(eval_docs, labels)
    return attack_type_metrics(eval_y, [list(guess) for _ in eval_y], list(labels))


def tfidf_logreg_predict(
    train_docs: Sequence[Mapping[str, Any]],
    eval_docs: Sequence[Mapping[str, Any]],
    labels: list[str],
    seed: int = 0,
    threshold: float = 0.5,
) -> list[list[str]]:
    """Label sets predicted by TF-IDF (1-2 grams, sublinear tf, min_df 2) + one-vs-rest logistic regression.

    One binary classifier per label (one-vs-rest), each with ``class_weight="balanced"`` and
    ``max_iter=1000``; a label is predicted when its probability is at least ``threshold``. A label
    constant in training is predicted constantly. When ``min_df=2`` leaves no vocabulary (a tiny
    corpus) the vectoriser falls back to ``min_df=1``. Predictions are returned for the evaluation
    documents that have ``attack_types``, in order.
    """
    from incidex.model.extras import require

    require("sklearn", extra="train", feature="the TF-IDF baseline")
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    train_x, train_y = _labelled(train_docs, labels)
    eval_x, _ = _labelled(eval_docs, labels)
    if not train_x:
        raise ValueError("tfidf_logreg_predict: no training document has attack_types")
    try:
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
        x_train = vectorizer.fit_transform(train_x)
    except ValueError:  # empty vocabulary
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
        x_train = vectorizer.fit_transform(train_x)
    if not eval_x:
        return []
    x_eval = vectorizer.transform(eval_x)
    columns = []
    for lab in labels:  # one-vs-rest: an independent binary classifier per label
        y = [int(lab in ys) for ys in train_y]
        if len(set(y)) < 2:
            columns.append([float(y[0])] * len(eval_x))
            continue
        clf = LogisticRegression(class_weight="balanced", max_iter=1000, random_state=seed)
        clf.fit(x_train, y)
        columns.append(list(clf.predict_proba(x_eval)[:, list(clf.classes_).index(1)]))
    proba = list(zip(*columns, strict=True)) if columns else [() for _ in eval_x]
    return [[lab for j, lab in enumerate(labels) if row[j] >= threshold] for row in proba]


def tfidf_logreg_baseline(
    train_docs: Sequence[Mapping[str, Any]],
    eval_docs: Sequence[Mapping[str, Any]],
    labels: list[str],
    seed: int = 0,
) -> dict[str, Any]:
    """``attack_type_metrics`` of ``tfidf_logreg_predict`` on the labelled evaluation documents.

    >>> train = [{"text": t, "attack_types": y} for t, y in [("bomb exploded", ["bombing"]),
    ...          ("bomb blast exploded", ["bombing"]), ("market prices rose", []), ("prices rose again", [])]]
    >>> m = tfidf_logreg_baseline(train, [{"text": "a bomb exploded", "attack_types": ["bombing"]}], ["bombing"])
    >>> m["exact_match"]
    1.0
    """
    _, eval_y = _labelled(eval_docs, labels)
    return attack_type_metrics(
        eval_y, tfidf_logreg_predict(train_docs, eval_docs, labels, seed=seed), list(labels)
    )
