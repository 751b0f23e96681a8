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

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from .counts import _PRONOUNS, NUMBER_WORDS, _w, is_number
from .cues import _PERSON_FORMS, names_no_people
from .roles import COUNTED_ROLES, role_lookup


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


#: English words a span never ends with and never consists of alone (articles, prepositions, conjunctions,
#: relative pronouns); ``EventExtractorConfig.span_edge_words`` replaces the list for other languages.
ENGLISH_EDGE_WORDS: tuple[str, ...] = (
    "a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "by", "with", "from", "for", "into", "as",
    "that", "which", "who", "whom", "whose",
)

_LAST_WORD = re.compile(r"\w+(?=\W*$)")


def _last_word(text: str) -> re.Match | None:
    return _LAST_WORD.search(text)


def _trailing_participle(span_text: str, last: re.Match) -> bool:
    """The span's last word is a past participle that opens a reduced relative clause ("GAS STATION [OWNED] BY",
    "TRUCK [RIGGED] WITH"): a whole word of 5+ letters ending in "-ed" after another word, not a name's ending
    ("AHMED", "MOHAMMED", "REED")."""
    word = last.group().lower()
    return (len(word) >= 5 and word.endswith("ed") and not word.endswith(("med", "eed"))
            and last.start() > 0 and span_text[last.start() - 1].isspace()
            and _last_word(span_text[:last.start()]) is not None)


def tidy_spans(text: str, spans: list[dict], edge_words: Sequence[str] | None = None) -> list[dict]:
    """Spans cut at a function word, repaired: ``edge_words`` (lower case) never end a span.

    1. A span that ends with an edge word and is followed, across white space only, by a span of the same
       label is joined with it: the model tagged "A" and "SPANISH TECHNICIAN" as two B- starts.
    2. Trailing edge words (and the spaces and punctuation before them) are cut off: "TWO INDIVIDUALS IN"; with
       the English default, so is a trailing past participle ("GAS STATION OWNED", "TRUCK RIGGED": 1 of the 3,307
       gold mentions of GRIT's MUC-4 training split ends in one; nine H200 models' GRIT micro F1 +0.0 to +0.4).
    3. An aside after a spaced dash, a bracketed group after the words, a dangling bracket, dash or comma and an
       unmatched closing bracket are cut ("RODRIGUEZ -- BROTHER OF ...", "ELN [ARMY OF NATIONAL LIBERATION]",
       "FRONT (FMLN)", "ELN --", "HILDA FLORES,", "MNR)"): none of those gold mentions has a square bracket or a
       double or long dash (8 have a spaced hyphen, "fmln - fdr", which is not cut), 11 a parenthesis; nine H200
       models' GRIT micro F1 -0.1 to +0.6 (brackets and punctuation), then +0.0 to +0.2 (the aside); their killed
       counts +1, -1, then +1 document of 58.
    4. A span that crosses a glued seam, where scraped text ran a headline or a site name into the story without a
       space ("shooting death of 7-year-old boyProsecutors said", "abc7.comOne person was shot"), keeps the side
       of the seam with more words (``_unglue``; the seam is ``_GLUED``'s).
    5. A span left with no other word is dropped ("THE").
    6. (English default) A span begun inside a bracketed acronym starts at the name the bracket glosses ("[BSF)
       personnel]" -> "[Three Border Security Force (BSF) personnel]", ``_glossed_name``; SATP's digests), taking in
       a span tagged inside that name ("[Three Border] Security Force ([BSF) personnel]": one phrase, the label of
       its head's part), never a span that begins before the name.

    Offsets stay exact (``text[start:end] == span["text"]``); a joined span's score is the mean of its parts
    weighted by their lengths. ``edge_words`` None means ``ENGLISH_EDGE_WORDS`` (a config's
    ``span_edge_words`` is passed as it is); empty returns the spans unchanged.
    Measured on MUC-4 TST1+TST2 with the spans of the six H200 models of the README (three news.yaml, three
    muc4.yaml seeds): GRIT micro F1 +0.4 to +1.1, mean +0.7, precision and recall both up.

    >>> text = " gunmen seized two engineers and a Spanish technician in town"
    >>> def span(part, score):
    ...     start = text.index(f" {part} ") + 1
    ...     return {"label": "VICTIM", "text": part, "start": start, "end": start + len(part), "score": score}
    >>> spans = [span("gunmen", 0.9), span("a", 0.6), span("Spanish technician in", 0.9)]
    >>> [s["text"] for s in tidy_spans(text, spans)]
    ['gunmen', 'a Spanish technician']
    """
    english = edge_words is None
    if edge_words is None:
        edge_words = ENGLISH_EDGE_WORDS
    if not edge_words:
        return spans
    edge = {w.lower() for w in edge_words}

    def ends_on_edge(span: dict) -> bool:
        last = _last_word(span["text"])
        return last is not None and last.group().lower() in edge

    joined: list[dict] = []
    for span in sorted(spans, key=lambda s: s["start"]):
        prev = joined[-1] if joined else None
        if (prev is not None and prev["label"] == span["label"] and prev["end"] <= span["start"]
                and not text[prev["end"]:span["start"]].strip() and ends_on_edge(prev)):
            a, b = prev["end"] - prev["start"], span["end"] - span["start"]
            joined[-1] = {**prev, "end": span["end"], "text": text[prev["start"]:span["end"]],
                          "score": round((prev["score"] * a + span["score"] * b) / (a + b), 4)}
        else:
            joined.append(span)
    out: list[dict] = []
    for span in joined:
        start, end = _unglue(text, span["start"], span["end"])
        while True:
            last = _last_word(text[start:end])
            if last is None or (last.group().lower() not in edge
                                and not (english and _trailing_participle(text[start:end], last))):
                break
            end = start + last.start()
            while end > start and not (text[end - 1].isalnum() or text[end - 1] in ")]\"'"):
                end -= 1
        end = _trim_tail(text, start, end)
        name = _glossed_name(text, start, end) if english else None
        if name is not None:
            # a fragment of the name tagged before it ("[Three Border] Security Force ([BSF) personnel]") is taken in
            if out and name <= out[-1]["start"] < start and (len(out) < 2 or out[-2]["end"] <= name):
                out.pop()
            if not out or out[-1]["end"] <= name:
                start = name
        if _last_word(text[start:end]) is None:
            continue
        if (start, end) != (span["start"], span["end"]):
            span = {**span, "start": start, "end": end, "text": text[start:end]}
        out.append(span)
    return out


# the Title Case words of a name right before a bracket (with of / for / and ... between two of them), and a number or
# an article before them: "three [Border Security Force] (", "[Communist Party of India Maoist] ("
_GLOSSED_NAME = re.compile(r"(?:\b(?:\d{1,3}|[Aa]n?|[Tt]he|" + "|".join(w.capitalize() + "|" + w for w in NUMBER_WORDS) +
                           r")\s+)?[A-Z][\w'’.&-]*\s+(?:(?:of|for|and|the|de|e|ul|al)\s+[A-Z][\w'’.&-]*\s+|[A-Z][\w'’.&-]*\s+){0,6}\($")


_NAME_PART = re.compile(r"[^\W\d_]+")
_CONNECTORS = re.compile(r"\s*(?:(?:of|for|and|the|de|e|ul|al)\s+)*")
_OF_NEXT = re.compile(r"\s+(?:of|from)\s")


def _glossed_name(text: str, start: int, end: int) -> int | None:
    """Where the name starts that a bracketed acronym glosses, for a span the tagger began inside the bracket
    ("[BSF) personnel]" of "Three Border Security Force (BSF) personnel"), a number or article before the name
    included; None for any other span, and in text without lower case (MUC-4's capitals), where a name's words
    cannot be told.

    >>> t = "Three Border Security Force (BSF) personnel were killed"
    >>> t[_glossed_name(t, 29, 43):43], _glossed_name(t, 0, 5), _glossed_name(t.upper(), 29, 43)
    ('Three Border Security Force (BSF) personnel', None, None)
    """
    piece = text[start:end]
    close = piece.find(")")
    if close < 0 or "(" in piece[:close]:
        return None
    open_at = text.rfind("(", max(0, start - 12), start)
    if open_at < 0 or ")" in text[open_at:start] or "\n" in text[open_at:start] or text.upper() == text:
        return None
    name = _GLOSSED_NAME.search(text, max(0, open_at - 80), open_at + 1)
    if name is None:
        return None
    begin = name.start()
    # people "of" a name are no part of it ("Two Policemen of [Jammu and Kashmir] (J K) Armed Police"); a person noun
    # inside a name is ("Students Islamic Movement of India (SIMI)", "Communist Party of India Maoist (CPI Maoist)")
    for word in _NAME_PART.finditer(text, begin, open_at):
        if word.group().casefold() in _PERSON_FORMS and _OF_NEXT.match(text, word.end()):
            begin = _CONNECTORS.match(text, word.end()).end()
    return begin if begin < open_at else None


def _unglue(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` cut at a glued seam (``_GLUED``, the seam the widening never crosses) inside
    ``text[start:end]``, keeping the side with more words (ties: the right side, where the story begins); unchanged
    without a seam.

    >>> t = "the shooting death of 7-year-old boyProsecutors in Cumberland"
    >>> s, e = _unglue(t, t.index("7-"), t.index(" in"))
    >>> t[s:e]
    '7-year-old boy'
    >>> t = "abc7.comOne person was shot"
    >>> s, e = _unglue(t, 5, 18)
    >>> t[s:e]
    'One person'
    """
    seam = _GLUED.search(text, start, end)
    while seam is not None:
        cut = seam.end()
        if len(text[start:cut].split()) > len(text[cut:end].split()):
            end = cut
        else:
            start = cut
        seam = _GLUED.search(text, start, end)
    return start, end


_TAIL_GROUP = re.compile(r"\s+(?:\[[^\[\]]*\]|\([^()]*\))\s*$")
_DASH = re.compile(r"\s+(?:--|—|–)\s+")  # a dash between words opens an aside: "NORBERTO RODRIGUEZ -- BROTHER OF ..."
_OPEN_TAIL = ("[", "(", "-", "–", "—", ",", ";", ":")


def _trim_tail(text: str, start: int, end: int) -> int:
    """The end of ``text[start:end]`` without what never ends a mention: an aside after a spaced dash ("NORBERTO
    RODRIGUEZ -- BROTHER OF THE FIRST LADY"), a bracketed group after the words ("ELN [ARMY OF NATIONAL
    LIBERATION]", "FRONT (FMLN)": a gloss or an acronym, a mention of its own), a dangling bracket, dash or comma
    ("FARABUNDO MARTI [", "ELN --", "HILDA FLORES,"), an unmatched closing bracket ("MNR)").

    >>> t = "ELN [ARMY OF NATIONAL LIBERATION] -- AND"
    >>> t[:_trim_tail(t, 0, 36)], t[:_trim_tail(t, 0, 4)]
    ('ELN', 'ELN')
    """
    while True:
        piece = text[start:end].rstrip()
        group, dash = _TAIL_GROUP.search(piece), _DASH.search(piece)
        if dash and _last_word(piece[:dash.start()]) is not None:
            piece = piece[:dash.start()]
        elif group and _last_word(piece[:group.start()]) is not None:
            piece = piece[:group.start()]
        elif piece.endswith(_OPEN_TAIL):
            piece = piece.rstrip("".join(_OPEN_TAIL) + " \t\n")
        elif (piece.endswith(")") and piece.count("(") < piece.count(")")) or (
                piece.endswith("]") and piece.count("[") < piece.count("]")):
            piece = piece[:-1].rstrip()
        if not piece or start + len(piece) >= end:
            return end
        end = start + len(piece)


# a pronoun (``counts``' own, with the possessives) or an article alone: no perpetrator, target or weapon a reader can
# use ("ambushing [their] staff bus", "[A] Stockton man was shot")
_BARE_WORDS = _PRONOUNS | _w("his hers its their theirs our you your i me my a an the this that")


def drop_bare_words(spans: list[dict], roles: Mapping[str, str] | None) -> list[dict]:
    """``spans`` without the words that cannot fill their label's role (``roles``: label -> role): a number ("TWO",
    "19"), a pronoun ("their", "it") or an article alone where the role does not count people
    (``roles.COUNTED_ROLES``): "fired [TWO] bursts" is no weapon and "ambushing [their] staff bus" no target, while
    "wounding [23]" is a count; and where it does, a phrase that names an organisation or a place, not people
    (``cues.names_no_people``): "[the Communist Party of India Maoist] cadres shot dead a person" tagged killed
    counts nobody. None of the 3,307 gold mentions of GRIT's MUC-4 training split is a bare number; on the nine H200
    models' stored TST1+TST2 spans GRIT micro F1 +0.0 to +0.4 each, none down. Pronouns (2026-12-06): README
    "Pronouns are no actors"; organisations (2026-12-07): README "Organisations are nobody's dead".

    >>> spans = [{"label": "WEAPON", "text": "TWO"}, {"label": "WOUNDED", "text": "23"}, {"label": "WEAPON", "text": "AK-47"},
    ...          {"label": "WEAPON", "text": "it"}, {"label": "KILLED", "text": "the Communist Party of India Maoist"}]
    >>> [s["text"] for s in drop_bare_words(spans, {"WEAPON": "weapon", "WOUNDED": "wounded", "KILLED": "killed"})]
    ['23', 'AK-47']
    """
    role_of = role_lookup(roles)

    def fits(span: dict) -> bool:
        if role_of(span["label"]) in COUNTED_ROLES:
            return not names_no_people(span.get("text") or "")
        return not (is_number(span["text"]) or span["text"].strip().casefold() in _BARE_WORDS)

    return [s for s in spans if fits(s)]


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
