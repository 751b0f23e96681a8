"""Turn labelled documents into model features (windows, BIO tag ids, multi-hot types) and batches.

A feature is one *document*: its windows, each window's ownership mask and tag labels, and the document's
type labels. :class:`DocumentCollator` flattens the windows of a batch of documents into ``(W, L)`` tensors
with ``window_doc`` mapping windows back to documents, so the type head can pool per document.

>>> feats = build_features(docs, tokenizer, model.config)  # doctest: +SKIP
>>> batch = DocumentCollator(pad_id=0)(feats[:4])  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from incidex.model.windows import SpecialTokens, encode_documents

IGNORE = -100


def token_tags(offsets: np.ndarray, spans: Sequence[dict], tag2id: dict[str, int]) -> np.ndarray:
    """BIO tag id of every token (offsets ``(N, 2)``): B on a span's first token, I on the others.

    >>> token_tags(np.array([[0, 3], [4, 9], [10, 13]]), [{"start": 4, "end": 13, "label": "KILLED"}],
    ...            {"O": 0, "B-KILLED": 1, "I-KILLED": 2}).tolist()
    [0, 1, 2]
    """
    tags = np.zeros(len(offsets), dtype=np.int64)
    if len(offsets) == 0:
        return tags
    starts, ends = offsets[:, 0], offsets[:, 1]
    for span in sorted(spans, key=lambda s: s["start"]):
        inside = np.flatnonzero((starts < span["end"]) & (ends > span["start"]) & (ends > starts))
        if len(inside) == 0:
            continue
        tags[inside] = tag2id[f"I-{span['label']}"]
        tags[inside[0]] = tag2id[f"B-{span['label']}"]
    return tags


def build_features(docs: Sequence[dict], tokenizer: Any, config: Any) -> list[dict[str, Any]]:
    """Features for every document; documents missing a task's labels are masked for that task."""
    special = SpecialTokens.from_tokenizer(tokenizer)
    encoded = encode_documents(tokenizer, [d["text"] for d in docs], config.window_length, config.window_stride, special)
    type2id, tag2id = config.type_label2id, config.tag_label2id
    p = len(special.prefix)
    features = []
    for doc, enc in zip(docs, encoded):
        window_ids, owner = enc.window_arrays(special)
        has_spans = "spans" in doc
        tags = token_tags(enc.offsets, doc["spans"], tag2id) if has_spans else None
        tag_labels = []
        for (start, end), ids in zip(enc.windows, window_ids):
            labels = np.full(len(ids), IGNORE, dtype=np.int64)
            if tags is not None:
                labels[p : p + end - start] = tags[start:end]
            tag_labels.append(labels)
        types = np.zeros(len(type2id), dtype=np.float32)
        for t in doc.get("attack_types", []):
            types[type2id[t]] = 1.0
        features.append(
            {
                "input_ids": window_ids,
                "owner_mask": owner,
                "tag_labels": tag_labels,
                "type_labels": types,
                "type_mask": "attack_types" in doc,
                "n_tokens": len(enc.token_ids),
            }
        )
    return features


class DocumentCollator:
    """Collate document features into one batch of windows (dynamic padding to the longest window)."""

    def __init__(self, pad_id: int):
        self.pad_id = pad_id

    def __call__(self, features: Sequence[dict[str, Any]]) -> dict[str, torch.Tensor]:
        windows = [(d, ids, own, lab) for d, f in enumerate(features)
                   for ids, own, lab in zip(f["input_ids"], f["owner_mask"], f["tag_labels"])]
        length = max(len(w[1]) for w in windows)
        n = len(windows)
        input_ids = torch.full((n, length), self.pad_id, dtype=torch.long)
        attention = torch.zeros((n, length), dtype=torch.long)
        owner = torch.zeros((n, length), dtype=torch.bool)
        tags = torch.full((n, length), IGNORE, dtype=torch.long)
        for i, (_, ids, own, lab) in enumerate(windows):
            k = len(ids)
            input_ids[i, :k] = torch.as_tensor(ids)
            attention[i, :k] = 1
            owner[i, :k] = torch.from_numpy(own)
            tags[i, :k] = torch.from_numpy(lab)
        return {
            "input_ids": input_ids,  # (W, L)
            "attention_mask": attention,  # (W, L)
            "owner_mask": owner,  # (W, L)
            "window_doc": torch.tensor([w[0] for w in windows], dtype=torch.long),  # (W,)
            "tag_labels": tags,  # (W, L)
            "type_labels": torch.from_numpy(np.stack([f["type_labels"] for f in features])),  # (D, T)
            "type_mask": torch.tensor([f["type_mask"] for f in features], dtype=torch.bool),  # (D,)
        }


def type_pos_weight(docs: Sequence[dict], attack_types: Sequence[str], mode: str) -> list[float] | None:
    """Positive-class weights for rare attack types: ``sqrt`` of (negatives / positives), or the ratio."""
    if mode == "none" or not attack_types:
        return None
    labelled = [d for d in docs if "attack_types" in d]
    weights = []
    for t in attack_types:
        pos = sum(t in d["attack_types"] for d in labelled)
        ratio = (len(labelled) - pos) / max(pos, 1)
        weights.append(float(np.sqrt(ratio) if mode == "sqrt" else ratio))
    return [round(max(w, 1.0), 4) for w in weights]
