"""Constrained BIO decoding: token log-probabilities to character spans with exact offsets.

Viterbi over the tag lattice forbids ``I-X`` unless it follows ``B-X`` or ``I-X``, so every decoded
sequence is valid BIO (no orphan I- tags). Spans are cut from the text with the tokenizer's offsets and
widened to whole words, so ``text[start:end] == span["text"]`` always holds.

>>> import numpy as np
>>> tags = ["O", "B-KILLED", "I-KILLED"]
>>> logp = np.log(np.array([[.9, .05, .05], [.2, .1, .7], [.2, .1, .7]]))  # O, then two "I" tokens
>>> viterbi(logp, allowed_transitions(tags)).tolist()  # the orphan I is repaired into B, I
[0, 1, 2]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def allowed_transitions(tags: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Boolean ``(C, C)`` matrix of allowed tag transitions and ``(C,)`` allowed start tags."""
    n = len(tags)
    trans = np.ones((n, n), dtype=bool)
    start = np.ones(n, dtype=bool)
    for j, tag in enumerate(tags):
        if tag.startswith("I-"):
            label = tag[2:]
            start[j] = False
            for i, prev in enumerate(tags):
                trans[i, j] = prev in (f"B-{label}", f"I-{label}")
    return trans, start


def viterbi(logp: np.ndarray, constraints: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Best valid tag sequence for ``logp`` of shape ``(N, C)``; returns ``(N,)`` tag ids."""
    n, c = logp.shape
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    trans_ok, start_ok = constraints
    penalty = np.where(trans_ok, 0.0, -np.inf)  # (C, C)
    score = np.where(start_ok, logp[0], -np.inf)  # (C,)
    back = np.zeros((n, c), dtype=np.int64)
    for t in range(1, n):
        cand = score[:, None] + penalty  # (C_prev, C)
        back[t] = cand.argmax(0)
        score = cand[back[t], np.arange(c)] + logp[t]
    path = np.empty(n, dtype=np.int64)
    path[-1] = int(score.argmax())
    for t in range(n - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path


def decode_fast(logp: np.ndarray, tags: Sequence[str], constraints: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Viterbi only where it matters: tokens whose best tag is O with no rival stay O.

    Runs :func:`viterbi` on each stretch of tokens around non-O candidates (padded by one O token on each
    side), which gives the same path as full Viterbi whenever the O tokens between stretches are certain.
    """
    best = logp.argmax(1)
    path = np.zeros(len(logp), dtype=np.int64)
    hot = np.flatnonzero(best != 0)
    if len(hot) == 0:
        return path
    # group hot tokens into stretches separated by at least one O token
    breaks = np.flatnonzero(np.diff(hot) > 1)
    starts = np.concatenate([[hot[0]], hot[breaks + 1]])
    ends = np.concatenate([hot[breaks], [hot[-1]]]) + 1
    for s, e in zip(starts, ends):
        path[s:e] = viterbi(logp[s:e], constraints)
    return path


def _widen_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return start, end


def tags_to_spans(
    text: str, path: np.ndarray, probs: np.ndarray, offsets: np.ndarray, tags: Sequence[str]
) -> list[dict]:
    """Character spans ``{"label", "text", "start", "end", "score"}`` from a valid tag path.

    ``probs`` (N,) is the probability of each chosen tag; a span's score is their mean.
    Spans are widened to whole words and never overlap.
    """
    spans: list[dict] = []
    i, n = 0, len(path)
    while i < n:
        tag = tags[path[i]]
        if tag == "O" or tag.startswith("I-"):
            i += 1
            continue
        label = tag[2:]
        j = i + 1
        while j < n and tags[path[j]] == f"I-{label}":
            j += 1
        start, end = int(offsets[i][0]), int(offsets[j - 1][1])
        start, end = _widen_to_words(text, start, end)
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            start += len(piece) - len(piece.lstrip())
            end = start + len(stripped)
            if not spans or start >= spans[-1]["end"]:
                spans.append(
                    {"label": label, "text": text[start:end], "start": start, "end": end,
                     "score": round(float(probs[i:j].mean()), 4)}
                )
        i = j
    return spans
