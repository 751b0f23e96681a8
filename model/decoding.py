"""Constrained BIO decoding: token log-probabilities to character spans with exact offsets.

Viterbi over the tag lattice forbids ``I-X`` unless it follows ``B-X`` or ``I-X``, so every decoded
sequence is valid BIO (no orphan I- tags). Spans are cut from the text with the tokenizer's offsets and
widened to whole words, so ``text[start:end] == span["text"]`` always holds; ``model.tidy`` then
repairs them as text.

>>> import numpy as np
>>> tags = ["O", "B-KILLED", "I-KILLED"]
>>> logp = np.log(np.array([[.9, .05, .05], [.2, .1, .7], [.2, .1, .7]]))  # O, then two "I" tokens
>>> viterbi(logp, allowed_transitions(tags)).tolist()  # the orphan I is repaired into B, I
[0, 1, 2]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

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


def _bio_layout(tags: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """``(free, b_ids, i_ids)`` when ``tags`` are O plus B-X/I-X pairs, else None.

    ``free`` are the tags every tag may precede (O and B-*); ``b_ids[k]``/``i_ids[k]`` the B-/I- tag of the
    k-th label.
    """
    index = {t: i for i, t in enumerate(tags)}
    if len(index) != len(tags):
        return None
    b_ids, i_ids = [], []
    for t, i in index.items():
        if t.startswith("I-"):
            b = index.get("B-" + t[2:])
            if b is None:
                return None
            b_ids.append(b)
            i_ids.append(i)
        elif t != "O" and not t.startswith("B-"):
            return None
    free = np.array([not t.startswith("I-") for t in tags])
    return free, np.array(b_ids, dtype=np.int64), np.array(i_ids, dtype=np.int64)


def _cuts(logp: np.ndarray, free: np.ndarray, b_ids: np.ndarray, i_ids: np.ndarray) -> np.ndarray:
    """Positions ``c`` (``c >= 1``) where some optimal path has a free tag (O or B-*): the path splits there.

    With ``m_t`` the best prefix score at t and ``Q_t`` the best one ending inside label X (B-X or I-X),
    an I-X at c can be swapped for a B-X (same successors) after the best prefix whenever
    ``logp[c, B-X] - logp[c, I-X] >= Q_{c-1} - m_{c-1}``. The gap is bounded without decoding:
    ``Q_t - m_t <= U_t = max(e_t, U_{t-1} + d_t)`` with ``e_t = logp[t, B-X] - F_t``,
    ``d_t = logp[t, I-X] - F_t`` and ``F_t`` the best free tag at t (m_t >= m_{t-1} + F_t), a max-plus scan
    computed with ``cumsum`` and ``maximum.accumulate``.
    """
    best_free = logp[:, free].max(1, keepdims=True)  # (N, 1)
    e = logp[:, b_ids] - best_free  # (N, L)
    d = logp[:, i_ids] - best_free
    d[0] = 0.0
    cum = np.cumsum(d, axis=0)
    bound = cum + np.maximum.accumulate(e - cum, axis=0)  # U_t
    ok = (logp[1:, b_ids] - logp[1:, i_ids] >= bound[:-1]).all(1)
    return np.flatnonzero(ok) + 1


def _viterbi_batch(logp: np.ndarray, penalty: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Viterbi over ``(S, L, C)`` sequences at once; rows padded with 0 log-probs after their end."""
    s, n, c = logp.shape
    score = logp[:, 0] + start  # (S, C)
    back = np.empty((n, s, c), dtype=np.int64)
    rows = np.arange(s)[:, None]
    cols = np.arange(c)[None, :]
    for t in range(1, n):
        cand = score[:, :, None] + penalty  # (S, C_prev, C)
        back[t] = cand.argmax(1)
        score = cand[rows, back[t], cols] + logp[:, t]
    path = np.empty((s, n), dtype=np.int64)
    path[:, -1] = score.argmax(1)
    for t in range(n - 1, 0, -1):
        path[:, t - 1] = back[t, np.arange(s), path[:, t]]
    return path


def decode(logp: np.ndarray, tags: Sequence[str], constraints: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Exact constrained Viterbi path (same score as :func:`viterbi`), fast on long documents.

    For O/B-X/I-X tag sets the sequence is first cut where an optimal path provably takes a free tag
    (see :func:`_cuts`); the pieces are independent Viterbi problems, decoded together in a few padded
    batches. Other tag sets, or log-probabilities with -inf/NaN, go through :func:`viterbi` directly.

    >>> tags = ["O", "B-KILLED", "I-KILLED"]
    >>> logp = np.log(np.array([[.9, .05, .05], [.2, .1, .7], [.2, .1, .7], [.9, .05, .05]]))
    >>> decode(logp, tags, allowed_transitions(tags)).tolist()
    [0, 1, 2, 0]
    """
    n = len(logp)
    layout = _bio_layout(tags)
    trans_ok, start_ok = constraints
    if n < 2 or layout is None or not np.isfinite(logp).all():
        return viterbi(logp, constraints)
    free, b_ids, i_ids = layout
    expected_trans, expected_start = allowed_transitions(tags)
    if not (np.array_equal(trans_ok, expected_trans) and np.array_equal(start_ok, expected_start)):
        return viterbi(logp, constraints)
    bounds = np.concatenate([[0], _cuts(logp, free, b_ids, i_ids), [n]])
    lengths = np.diff(bounds)
    path = np.empty(n, dtype=np.int64)
    # one-token pieces: the best free tag
    single = bounds[:-1][lengths == 1]
    free_ids = np.flatnonzero(free)
    path[single] = free_ids[logp[single][:, free_ids].argmax(1)]
    penalty = np.where(trans_ok, 0.0, -np.inf)
    start = np.where(start_ok, 0.0, -np.inf)
    # longer pieces, bucketed by length (powers of two) so padding stays small
    longer = np.flatnonzero(lengths > 1)
    buckets = np.ceil(np.log2(lengths[longer])).astype(np.int64)
    for b in np.unique(buckets):
        members = longer[buckets == b]
        width = int(lengths[members].max())
        batch = np.zeros((len(members), width, logp.shape[1]))
        for k, m in enumerate(members):
            batch[k, : lengths[m]] = logp[bounds[m] : bounds[m + 1]]
        decoded = _viterbi_batch(batch, penalty, start)
        for k, m in enumerate(members):
            path[bounds[m] : bounds[m + 1]] = decoded[k, : lengths[m]]
    return path


# scripts written without spaces between words (Thai, Lao, Myanmar, Khmer, kana, CJK): a tokenizer whose
# pre-tokenizer splits on spaces only makes a whole clause of them one "word", so spans are not widened there
_NO_SPACE_SCRIPT = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf"
                              "\u4e00-\u9fff\uf900-\ufaff]")


#: three lower-case letters then a capital, inside one word: two words run together, as where a scraped
#: page glues its headline or masthead to the story ("Los Angeles TimesJassely Lupoe, 26, ...", "a 7-year-old
#: boyProsecutors said"). Names with an inner capital have fewer lower-case letters before it ("McDonald",
#: "DeShawn", "MacArthur", "LaToya"), so they stay whole.
_GLUED = re.compile(r"[a-z]{3}(?=[A-Z])")


def _widen_by_words(text: str, offsets: np.ndarray, words: np.ndarray, i: int, j: int) -> tuple[int, int]:
    """Characters of tokens ``i..j-1`` widened to the whole pre-tokenised words (``word_ids()``) they cut;
    never across a glued word boundary (``_GLUED``).

    >>> _widen_by_words("three villagers", np.array([[0, 5], [6, 10], [10, 15]]), np.array([0, 1, 1]), 0, 2)
    (0, 15)
    >>> _widen_by_words("TimesJassely", np.array([[0, 5], [5, 8], [8, 12]]), np.array([0, 0, 0]), 1, 3)
    (5, 12)
    """

    def joinable(a: int, b: int) -> bool:  # tokens a and a+1 == b: same word, not a no-space script
        return (words[a] == words[b] >= 0 and not _NO_SPACE_SCRIPT.search(text[offsets[a][0]:offsets[b][1]])
                and not _GLUED.match(text, max(0, int(offsets[b][0]) - 3)))

    while i > 0 and joinable(i - 1, i):
        i -= 1
    while j < len(words) and joinable(j - 1, j):
        j += 1
    return int(offsets[i][0]), int(offsets[j - 1][1])


_CLITICS = frozenset("s t ll re ve d m".split())  # what follows an apostrophe that ends a word: "FMLN'S", "don't"


def _joined(text: str, k: int) -> bool:
    """A joiner inside one word at ``k``: a hyphen between two letters or digits ("41-year-old"), or an apostrophe
    between letters that is not a clitic's ("D'AUBUISSON", "O'Brien", "Shi'ite"; not "FMLN'S", "don't")."""
    if not 0 < k < len(text) - 1:
        return False
    if text[k] == "-":
        return text[k - 1].isalnum() and text[k + 1].isalnum()
    if text[k] not in "'’" or not (text[k - 1].isalpha() and text[k + 1].isalpha()):
        return False
    end = k + 1
    while end < len(text) and text[end].isalpha():
        end += 1
    return text[k + 1:end].lower() not in _CLITICS


def _widen_over_joiners(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` widened to the whole of a word joined by hyphens or apostrophes that it cuts (``_joined``):
    tokenizers split "41-year-old" at its hyphens, and a span cut at "a 41-year" or "five-year-" reads as a count of
    41 or 5; they split "D'AUBUISSON" at its apostrophe, and a span cut at "D" names no one.

    >>> t = "police found a 41-year-old man and a five-year-old; D'AUBUISSON'S men"
    >>> [t[slice(*_widen_over_joiners(t, t.index(p), t.index(p) + len(p)))]
    ...  for p in ("a 41-year", "five-year-", "year-old man", "man", "D", "AUBUISSON")]
    ['a 41-year-old', 'five-year-old', '41-year-old man', 'man', "D'AUBUISSON", "D'AUBUISSON"]
    """
    if _joined(text, end) or _joined(text, end - 1):
        while end < len(text) and (text[end].isalnum() or _joined(text, end)):
            end += 1
    if _joined(text, start - 1) or _joined(text, start):
        while start > 0 and (text[start - 1].isalnum() or _joined(text, start - 1)):
            start -= 1
    return start, end


def _widen_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return start, end


def segments(path: np.ndarray, tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(first token, end token, label)`` of each B-X I-X ... run of a valid tag path.

    >>> segments(np.array([0, 1, 2, 0, 1]), ["O", "B-KILLED", "I-KILLED"])
    [(1, 3, 'KILLED'), (4, 5, 'KILLED')]
    """
    out: list[tuple[int, int, str]] = []
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
        out.append((i, j, label))
        i = j
    return out


def tags_to_spans(
    text: str, path: np.ndarray, probs: np.ndarray, offsets: np.ndarray, tags: Sequence[str],
    words: np.ndarray | None = None,
) -> list[dict]:
    """Character spans ``{"label", "text", "start", "end", "score"}`` from a valid tag path.

    ``probs`` (N,) is the probability of each chosen tag; a span's score is their mean.
    Spans are widened to whole words and never overlap: with ``words`` (the tokenizer's ``word_ids()`` per
    token) to the pre-tokenised words they cut, never into scripts written without spaces; without it, over
    letters and digits next to the cut; either way over the hyphens and apostrophes inside a word ("41-year-old",
    "D'AUBUISSON").
    """
    spans: list[dict] = []
    for i, j, label in segments(path, tags):
        start, end = int(offsets[i][0]), int(offsets[j - 1][1])
        if words is not None:  # the tokenizer's words (any script); else letters and digits around the cut
            start, end = _widen_by_words(text, offsets, words, i, j)
        else:
            start, end = _widen_to_words(text, start, end)
        start, end = _widen_over_joiners(text, start, end)
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
    return spans


def apply_span_thresholds(spans: list[dict], thresholds: Mapping[str, float] | None) -> list[dict]:
    """Keep the spans whose ``score`` reaches their label's threshold (labels without one are all kept).

    >>> apply_span_thresholds([{"label": "KILLED", "score": 0.4}, {"label": "WEAPON", "score": 0.4}],
    ...                       {"KILLED": 0.5})
    [{'label': 'WEAPON', 'score': 0.4}]
    """
    if not thresholds:
        return spans
    return [s for s in spans if s["score"] >= thresholds.get(s["label"], 0.0)]


def relabel_by_cues(text: str, path: np.ndarray, logp: np.ndarray, offsets: np.ndarray, tags: Sequence[str],
                    labels: Mapping[str, str], cues: Callable[[str, list[tuple[int, int]]], list[str | None]],
                    victims: Iterable[str] = (), cue: Callable[[str, int, int], str | None] | None = None,
                    ) -> tuple[np.ndarray, np.ndarray]:
    """A decoded path whose casualty segments take the kind their context states, and each tag's probability.

    ``labels`` maps a kind ("killed", "wounded") to its span label; ``cues(text, extents)`` returns a kind
    or None per segment (``model.cues.casualty_cues``). A segment of one of these labels whose cue names a
    kind is tagged with that kind's label, and its tokens are scored with the probability that they are a
    casualty of either kind (B-/I- of every label in ``labels`` summed): the tagger says "a casualty", the
    text says which. Segments without a cue keep their tags and the probability of their tag; empty
    ``labels`` (cues off) returns the path and the probability of each of its tags. A segment of one of the
    ``victims`` labels (people neither killed nor wounded) takes a kind only where ``cue(text, start, end)``
    (``model.cues.casualty_cue``) states one next to it: "[Khan Gul Bhattani], was shot dead" tagged a victim is
    killed; ``cues``' default for a report without a death word (every phrase wounded) is not read for them.

    >>> tags = ["O", "B-KILLED", "I-KILLED", "B-WOUNDED", "I-WOUNDED"]
    >>> text = "killing four people"
    >>> logp = np.log(np.array([[.9, .02, .02, .04, .02], [.2, .27, .02, .47, .04], [.3, .04, .24, .07, .35]]))
    >>> path = decode(logp, tags, allowed_transitions(tags))
    >>> [tags[t] for t in path]
    ['O', 'B-WOUNDED', 'I-WOUNDED']
    >>> from incidex.model.cues import casualty_cues
    >>> offsets = np.array([[0, 7], [8, 12], [13, 19]])
    >>> new, p = relabel_by_cues(text, path, logp, offsets, tags, {"killed": "KILLED", "wounded": "WOUNDED"},
    ...                          casualty_cues)
    >>> [tags[t] for t in new], p.round(2).tolist()
    (['O', 'B-KILLED', 'I-KILLED'], [0.9, 0.74, 0.59])
    """
    path = np.array(path, copy=True)
    probs = np.exp(logp[np.arange(len(path)), path]) if len(path) else np.zeros(0)
    index = {t: k for k, t in enumerate(tags)}
    kind_of = {lab: kind for kind, lab in labels.items() if f"B-{lab}" in index and f"I-{lab}" in index}
    if not kind_of or not len(path):
        return path, probs
    victims = {lab for lab in victims if f"B-{lab}" in index} if cue is not None else set()
    segs = segments(path, tags)
    casualty = [(i, j) for i, j, label in segs if label in kind_of]
    victim = [(i, j) for i, j, label in segs if label in victims]
    if not casualty and not victim:
        return path, probs

    def extent(i: int, j: int) -> tuple[int, int]:
        return int(offsets[i][0]), int(offsets[j - 1][1])

    found = cues(text, [extent(i, j) for i, j in casualty]) if casualty else []
    found += [cue(text, *extent(i, j)) for i, j in victim]  # type: ignore[misc]
    # a relabelled segment's tokens: the probability of a casualty of any kind (a victim's: of a victim too)
    of_casualty, of_victim = bio_tag_ids(index, kind_of), bio_tag_ids(index, [*kind_of, *victims])
    for n, ((i, j), kind) in enumerate(zip(casualty + victim, found, strict=True)):
        label = labels.get(kind) if kind else None
        if label not in kind_of:
            continue
        path[i] = index[f"B-{label}"]
        path[i + 1:j] = index[f"I-{label}"]
        probs[i:j] = casualty_mass(logp[i:j], *(of_casualty if n < len(casualty) else of_victim))
    return path, probs


def bio_tag_ids(index: Mapping[str, int], labels: Iterable[str]) -> tuple[list[int], list[int]]:
    """The tag ids of B- and of I- of each of ``labels`` that the tag set has."""
    return ([index[f"B-{lab}"] for lab in labels if f"B-{lab}" in index],
            [index[f"I-{lab}"] for lab in labels if f"I-{lab}" in index])


def casualty_mass(logp: np.ndarray, b_ids: Sequence[int], i_ids: Sequence[int]) -> np.ndarray:
    """(n,) per token of a phrase (``logp`` (n, T)): the probability of a casualty of any kind there, B- of
    every kind summed on the first token and I- on the rest."""
    p = np.exp(logp)
    return np.concatenate([p[:1, b_ids].sum(axis=1), p[1:, i_ids].sum(axis=1)])
