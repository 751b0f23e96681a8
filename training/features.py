"""Turn labelled documents into model features (windows, BIO tag ids, multi-hot types) and batches.

A feature is one *document*: its windows, each window's ownership mask and tag labels, and the document's
type labels. :class:`DocumentCollator` flattens the windows of a batch of documents into ``(W, L)`` tensors
with ``window_doc`` mapping windows back to documents, so the type head can pool per document.

>>> feats = build_features(docs, tokenizer, model.config)  # doctest: +SKIP
>>> batch = DocumentCollator(pad_id=0)(feats[:4])  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np
import torch
from incidex.model.windows import SpecialTokens, encode_documents

from .batching import grad_window_mask

IGNORE = -100


def token_tags(offsets: np.ndarray, spans: Sequence[dict], tag2id: dict[str, int]) -> np.ndarray:
    """BIO tag id of every token (offsets ``(N, 2)``): B on a span's first token, I on the others.

    >>> token_tags(np.array([[0, 3], [4, 9], [10, 13]]), [{"start": 4, "end": 13, "label": "KILLED"}],
    ...            {"O": 0, "B-KILLED": 1, "I-KILLED": 2}).tolist()
    [0, 1, 2]
    """
    tags = np.zeros(len(offsets), dtype=np.int64)
    for span, inside in _span_tokens(offsets, spans):
        tags[inside] = tag2id[f"I-{span['label']}"]
        tags[inside[0]] = tag2id[f"B-{span['label']}"]
    return tags


def _span_tokens(offsets: np.ndarray, spans: Sequence[dict]) -> Iterator[tuple[dict, np.ndarray]]:
    """Each span with the indices of the tokens it covers (spans covering no token are skipped)."""
    if len(offsets) == 0:
        return
    starts, ends = offsets[:, 0], offsets[:, 1]
    for span in sorted(spans, key=lambda s: s["start"]):
        inside = np.flatnonzero((starts < span["end"]) & (ends > span["start"]) & (ends > starts))
        if len(inside):
            yield span, inside


def allowed_tags(offsets: np.ndarray, spans: Sequence[dict], annotated: Iterable[str], tag2id: dict[str, int]
                 ) -> np.ndarray:
    """Bit mask of the tags each token may have (bit ``k`` = tag id ``k``), ``(N,)`` int64; 0 = no loss.

    Inside a span: B- (first token) or I- (others) of any of the span's ``labels`` (several = the span is one
    of them). Outside every span: O, or any tag of a label that was not ``annotated``. A token that may have
    every tag carries no information and gets 0.

    >>> tag2id = {"O": 0, "B-KILLED": 1, "I-KILLED": 2, "B-WEAPON": 3, "I-WEAPON": 4}
    >>> allowed_tags(np.array([[0, 3], [4, 9]]), [{"start": 4, "end": 9, "label": "KILLED"}], ["KILLED"],
    ...              tag2id).tolist()  # "the": O or WEAPON (not annotated) = bits 0, 3, 4
    [25, 2]
    """
    if len(tag2id) > 63:
        raise ValueError(f"{len(tag2id)} BIO tags: partial-label masks support at most 31 span labels")
    labels = {t[2:] for t in tag2id if t != "O"}
    annotated = set(annotated)
    outside = 1 << tag2id["O"]
    for label in labels - annotated:
        outside |= (1 << tag2id[f"B-{label}"]) | (1 << tag2id[f"I-{label}"])
    everything = (1 << len(tag2id)) - 1
    mask = np.full(len(offsets), 0 if outside == everything else outside, dtype=np.int64)
    for span, inside in _span_tokens(offsets, spans):
        begin = inner = 0
        for label in span.get("labels") or [span["label"]]:
            begin |= 1 << tag2id[f"B-{label}"]
            inner |= 1 << tag2id[f"I-{label}"]
        mask[inside] = inner
        mask[inside[0]] = begin
    return mask


def type_targets(doc: dict, type2id: dict[str, int]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Attack-type targets of one document: ``(T,)`` with 1 (present), 0 (absent), -100 (not annotated), and
    the disjunction groups as ``(T,)`` bool masks (at least one of each group is present).

    A source document (no ``annotated`` field) is annotated for every type when it has ``attack_types``.

    >>> t, g = type_targets({"attack_types": ["bombing"], "type_groups": [["arson", "shelling"]],
    ...                      "annotated": {"attack_types": ["arson", "bombing", "kidnapping", "shelling"]}},
    ...                     {"arson": 0, "bombing": 1, "kidnapping": 2, "shelling": 3, "air_strike": 4})
    >>> t.tolist(), [x.tolist() for x in g]
    ([-100.0, 1.0, 0.0, -100.0, -100.0], [[True, False, False, True, False]])
    """
    targets = np.full(len(type2id), IGNORE, dtype=np.float32)
    if "annotated" in doc:
        annotated = doc["annotated"].get("attack_types", [])
    else:
        annotated = list(type2id) if "attack_types" in doc else []
    groups = [np.array([t in g for t in type2id]) for g in doc.get("type_groups") or []]
    in_group = np.any(groups, axis=0) if groups else np.zeros(len(type2id), dtype=bool)
    for t in annotated:
        if t in type2id and not in_group[type2id[t]]:
            targets[type2id[t]] = 0.0
    for t in doc.get("attack_types") or []:
        targets[type2id[t]] = 1.0
    return targets, groups


def build_features(docs: Sequence[dict], tokenizer: Any, config: Any) -> list[dict[str, Any]]:
    """Features for every document (source documents or taxonomy views); unannotated labels get no loss.

    ``tag_allowed`` holds, per window, the bit mask of the tags each token may have (see :func:`allowed_tags`).
    """
    special = SpecialTokens.from_tokenizer(tokenizer)
    encoded = encode_documents(tokenizer, [d["text"] for d in docs], config.window_length, config.window_stride, special)
    type2id, tag2id = config.type_label2id, config.tag_label2id
    p = len(special.prefix)
    features = []
    for doc, enc in zip(docs, encoded):
        window_ids, owner = enc.window_arrays(special)
        if "annotated" in doc:
            ann_spans = doc["annotated"].get("spans", [])
        else:
            ann_spans = config.span_labels if "spans" in doc else []
        tags = allowed_tags(enc.offsets, doc.get("spans") or [], ann_spans, tag2id) if ann_spans or doc.get("spans") \
            else None
        tag_allowed = []
        for (start, end), ids in zip(enc.windows, window_ids):
            masks = np.zeros(len(ids), dtype=np.int64)
            if tags is not None:
                masks[p : p + end - start] = tags[start:end]
            tag_allowed.append(masks)
        types, groups = type_targets(doc, type2id)
        features.append(
            {
                "input_ids": window_ids,
                "owner_mask": owner,
                "tag_allowed": tag_allowed,
                "type_labels": types,
                "type_groups": groups,
                "n_tokens": len(enc.token_ids),
                "corpus": doc.get("corpus", ""),
            }
        )
    return features


class DocumentCollator:
    """Collate document features into one batch of windows (dynamic padding to the longest window)."""

    def __init__(self, pad_id: int, max_windows: int = 0, seed: int = 0):
        self.pad_id = pad_id
        self.max_windows = max_windows  # > 0: only this many windows of a step run with gradients
        self.rng = np.random.default_rng(seed)

    def __call__(self, features: Sequence[dict[str, Any]]) -> dict[str, torch.Tensor]:
        windows = [(d, ids, own, lab) for d, f in enumerate(features)
                   for ids, own, lab in zip(f["input_ids"], f["owner_mask"], f["tag_allowed"])]
        length = max(len(w[1]) for w in windows)
        n = len(windows)
        input_ids = torch.full((n, length), self.pad_id, dtype=torch.long)
        attention = torch.zeros((n, length), dtype=torch.long)
        owner = torch.zeros((n, length), dtype=torch.bool)
        allowed = torch.zeros((n, length), dtype=torch.long)
        for i, (_, ids, own, lab) in enumerate(windows):
            k = len(ids)
            input_ids[i, :k] = torch.as_tensor(ids)
            attention[i, :k] = 1
            owner[i, :k] = torch.from_numpy(own)
            allowed[i, :k] = torch.from_numpy(lab)
        batch: dict[str, torch.Tensor] = {}
        if "teacher_probs" in features[0]:  # ``training.distill``: the teachers' tag distributions, 0 on padding
            probs = [p for f in features for p in f["teacher_probs"]]
            teacher = torch.zeros((n, length, probs[0].shape[-1]), dtype=torch.float32)
            for i, p in enumerate(probs):
                teacher[i, : len(p)] = torch.from_numpy(p.astype(np.float32))
            batch["teacher_probs"] = teacher  # (W, L, C)
        if self.max_windows and n > self.max_windows:
            keep = torch.from_numpy(grad_window_mask(n, self.max_windows, self.rng))
            allowed[~keep] = 0  # no span loss from the windows that run without gradients
            batch["grad_windows"] = keep  # (W,)
            if "teacher_probs" in batch:
                batch["teacher_probs"][~keep] = 0.0  # nor a distillation loss
        n_types = len(features[0]["type_labels"])
        n_groups = max(len(f["type_groups"]) for f in features)
        groups = torch.zeros((len(features), n_groups, n_types), dtype=torch.bool)
        for d, f in enumerate(features):
            for g, mask in enumerate(f["type_groups"]):
                groups[d, g] = torch.from_numpy(mask)
        return batch | {
            "input_ids": input_ids,  # (W, L)
            "attention_mask": attention,  # (W, L)
            "owner_mask": owner,  # (W, L)
            "window_doc": torch.tensor([w[0] for w in windows], dtype=torch.long),  # (W,)
            "tag_allowed": allowed,  # (W, L) bit masks of allowed tags, 0 = no loss
            "type_labels": torch.from_numpy(np.stack([f["type_labels"] for f in features])),  # (D, T), -100 = none
            "type_groups": groups,  # (D, G, T) at least one of each group
        }


def type_pos_weight(docs: Sequence[dict], attack_types: Sequence[str], mode: str) -> list[float] | None:
    """Positive-class weights for rare attack types: ``sqrt`` of (negatives / positives), or the ratio.

    Counts only the documents annotated for each type (a disjunction counts as a positive of each member).
    """
    if mode == "none" or not attack_types:
        return None
    type2id = {t: i for i, t in enumerate(attack_types)}
    pos = np.zeros(len(attack_types))
    labelled = np.zeros(len(attack_types))
    for d in docs:
        targets, groups = type_targets(d, type2id)
        member = np.any(groups, axis=0) if groups else np.zeros(len(attack_types), dtype=bool)
        pos += (targets == 1) | member
        labelled += (targets != IGNORE) | member
    ratio = (labelled - pos) / np.maximum(pos, 1)
    weights = np.sqrt(ratio) if mode == "sqrt" else ratio
    return [round(max(float(w), 1.0), 4) for w in weights]
