"""Split long documents into overlapping token windows, and merge window outputs back per token.

Nothing is truncated: a document of N tokens becomes ceil-ish(N / step) windows of at most
``window_length`` tokens (special tokens included), consecutive windows sharing ``window_stride`` tokens.
Each document token is *owned* by exactly one window, the one in which it sits farthest from an edge,
so merged outputs decide every token once.

>>> plan_windows(10, content_length=4, stride=2)
[(0, 4), (2, 6), (4, 8), (6, 10)]
>>> owner_of_tokens([(0, 4), (2, 6), (4, 8), (6, 10)], 10).tolist()
[0, 0, 0, 1, 1, 2, 2, 3, 3, 3]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


def plan_windows(n_tokens: int, content_length: int, stride: int) -> list[tuple[int, int]]:
    """Token ranges ``[start, end)`` of the windows covering ``n_tokens`` content tokens."""
    if content_length <= stride:
        raise ValueError(f"content_length ({content_length}) must exceed stride ({stride})")
    if n_tokens <= content_length:
        return [(0, n_tokens)]
    step = content_length - stride
    windows = []
    start = 0
    while True:
        end = min(start + content_length, n_tokens)
        windows.append((start, end))
        if end == n_tokens:
            return windows
        start += step


def owner_of_tokens(windows: Sequence[tuple[int, int]], n_tokens: int) -> np.ndarray:
    """For each token, the index of the window where it is farthest from the window's edges.

    Returns an int array of shape ``(n_tokens,)``.
    """
    owner = np.zeros(n_tokens, dtype=np.int64)
    best = np.full(n_tokens, -1, dtype=np.int64)
    for w, (start, end) in enumerate(windows):
        pos = np.arange(start, end)
        margin = np.minimum(pos - start, end - 1 - pos)
        better = margin > best[start:end]
        owner[start:end][better] = w
        best[start:end][better] = margin[better]
    return owner


@dataclass
class SpecialTokens:
    """Special token ids put before and after the content of every window (e.g. [CLS] ... [SEP])."""

    prefix: list[int]
    suffix: list[int]
    pad_id: int

    @classmethod
    def from_tokenizer(cls, tokenizer) -> SpecialTokens:
        """Find the tokenizer's special tokens by encoding one word with and without them."""
        plain = tokenizer("incident", add_special_tokens=False)["input_ids"]
        full = tokenizer("incident")["input_ids"]
        for i in range(len(full) - len(plain) + 1):
            if full[i : i + len(plain)] == plain:
                pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
                return cls(prefix=list(full[:i]), suffix=list(full[i + len(plain) :]), pad_id=pad)
        raise ValueError("cannot locate the content tokens among the special tokens of this tokenizer")

    @property
    def count(self) -> int:
        return len(self.prefix) + len(self.suffix)


@dataclass
class EncodedDocument:
    """One document as tokens and windows.

    ``token_ids`` (N,) and ``offsets`` (N, 2) describe the document's content tokens (character offsets into
    the text); ``windows`` are token ranges; ``owner`` (N,) the window that decides each token.
    """

    token_ids: np.ndarray
    offsets: np.ndarray
    windows: list[tuple[int, int]]
    owner: np.ndarray
    word_ids: np.ndarray | None = None  # (N,) the tokenizer's pre-tokenised word of each token (-1: none)

    def window_arrays(self, special: SpecialTokens) -> tuple[list[list[int]], list[np.ndarray]]:
        """Input ids of each window (specials added) and its ownership mask (True where it decides)."""
        ids, masks = [], []
        p = len(special.prefix)
        for w, (start, end) in enumerate(self.windows):
            ids.append(special.prefix + self.token_ids[start:end].tolist() + special.suffix)
            mask = np.zeros(end - start + special.count, dtype=bool)
            mask[p : p + end - start] = self.owner[start:end] == w
            masks.append(mask)
        return ids, masks


def encode_documents(
    tokenizer, texts: Sequence[str], window_length: int, window_stride: int, special: SpecialTokens | None = None
) -> list[EncodedDocument]:
    """Tokenise whole documents in one batched call (fast tokenizer) and plan their windows.

    >>> docs = encode_documents(tok, ["Gunmen killed two police officers."], 16, 4)  # doctest: +SKIP
    """
    special = special or SpecialTokens.from_tokenizer(tokenizer)
    content = window_length - special.count
    if content <= window_stride:
        raise ValueError(f"window_length {window_length} leaves no room beyond the stride {window_stride}")
    enc = tokenizer(
        list(texts),
        add_special_tokens=False,
        return_offsets_mapping=True,
        return_attention_mask=False,
        return_token_type_ids=False,
        verbose=False,
    )
    out = []
    for i, (ids, offsets) in enumerate(zip(enc["input_ids"], enc["offset_mapping"])):
        ids_arr = np.asarray(ids, dtype=np.int64)
        off = np.asarray(offsets, dtype=np.int64).reshape(-1, 2)
        windows = plan_windows(len(ids_arr), content, window_stride)
        words = np.asarray([-1 if w is None else w for w in enc.word_ids(i)], dtype=np.int64) if enc.is_fast else None
        out.append(EncodedDocument(ids_arr, off, windows, owner_of_tokens(windows, len(ids_arr)), words))
    return out


def pad_windows(window_ids: Sequence[Sequence[int]], pad_id: int) -> tuple[np.ndarray, np.ndarray]:
    """Pad a list of windows to one ``(W, L)`` id array and its attention mask (L = longest window)."""
    length = max(len(w) for w in window_ids)
    ids = np.full((len(window_ids), length), pad_id, dtype=np.int64)
    mask = np.zeros((len(window_ids), length), dtype=np.int64)
    for i, w in enumerate(window_ids):
        ids[i, : len(w)] = w
        mask[i, : len(w)] = 1
    return ids, mask


def merge_token_scores(doc: EncodedDocument, window_scores: Sequence[np.ndarray], prefix_len: int) -> np.ndarray:
    """Gather per-token scores ``(N, C)`` from the windows' ``(L_w, C)`` scores, each token from its owner."""
    n = len(doc.token_ids)
    if n == 0:
        return np.zeros((0, window_scores[0].shape[-1]), dtype=np.float32)
    out = np.empty((n, window_scores[0].shape[-1]), dtype=np.float32)
    for w, (start, end) in enumerate(doc.windows):
        mine = doc.owner[start:end] == w
        out[start:end][mine] = window_scores[w][prefix_len : prefix_len + end - start][mine]
    return out


def pool_type_logits(scores: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Label-wise attention pooling over one document's owned tokens.

    ``scores``/``values`` have shape ``(N, T)``; returns ``(T,)`` logits = sum_n softmax_n(scores) * values.
    The torch version used in training is :func:`model.modeling.pool_types`.
    """
    if len(scores) == 0:
        return np.zeros(scores.shape[-1], dtype=np.float32)
    s = scores - scores.max(axis=0, keepdims=True)
    a = np.exp(s)
    a /= a.sum(axis=0, keepdims=True)
    return (a * values).sum(axis=0)
