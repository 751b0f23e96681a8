import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from incidex.model.decoding import (
    allowed_transitions,
    apply_span_thresholds,
    decode,
    tags_to_spans,
    viterbi,
)

TAGS = ["O", "B-KILLED", "I-KILLED", "B-WEAPON", "I-WEAPON"]
CONSTRAINTS = allowed_transitions(TAGS)


def is_valid_bio(path, tags=TAGS):
    prev = "O"
    for t in path:
        tag = tags[t]
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            return False
        prev = tag
    return True


def brute_force_best(logp, tags=TAGS):
    """Best score over every tag path that obeys BIO (enumerated, no dynamic programming)."""
    n, c = logp.shape
    best = -np.inf
    for path in itertools.product(range(c), repeat=n):
        if is_valid_bio(path, tags):
            best = max(best, float(logp[np.arange(n), list(path)].sum()))
    return best


def path_score(logp, path):
    return float(logp[np.arange(len(path)), path].sum())


def make_logp(n, seed, o_bias, rounding, c=5):
    """Log-probabilities from random logits: ``o_bias`` makes O likely (so decode cuts the sequence),
    rounding makes ties."""
    rng = np.random.default_rng(seed)
    logits = rng.normal(0.0, 2.0, (n, c))
    logits[:, 0] += o_bias
    if rounding:
        logits = np.round(logits)
    return logits - np.log(np.exp(logits).sum(1, keepdims=True))


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 6), st.integers(0, 2**32 - 1), st.sampled_from([0.0, 2.0, 6.0]), st.booleans())
def test_viterbi_and_decode_match_brute_force(n, seed, o_bias, rounding):
    logp = make_logp(n, seed, o_bias, rounding)
    best = brute_force_best(logp)
    for path in (viterbi(logp, CONSTRAINTS), decode(logp, TAGS, CONSTRAINTS)):
        assert len(path) == n and is_valid_bio(path)
        assert path_score(logp, path) == pytest.approx(best, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 300), st.integers(0, 2**32 - 1), st.sampled_from([0.0, 3.0, 8.0]), st.booleans())
def test_decode_scores_as_viterbi_on_long_sequences(n, seed, o_bias, rounding):
    tags = ["O"] + [f"{p}-L{k}" for k in range(4) for p in "BI"]
    constraints = allowed_transitions(tags)
    logp = make_logp(n, seed, o_bias, rounding, c=len(tags))
    fast = decode(logp, tags, constraints)
    assert is_valid_bio(fast, tags)
    assert path_score(logp, fast) == pytest.approx(path_score(logp, viterbi(logp, constraints)), abs=1e-7)


def test_orphan_i_turns_the_token_before_into_b():
    # the old per-stretch decoder kept token 1 as O here: its stretch started at the I- token
    logp = np.log(np.array([[0.9, 0.03, 0.03, 0.02, 0.02], [0.5, 0.2, 0.1, 0.1, 0.1],
                            [0.05, 0.05, 0.8, 0.05, 0.05], [0.9, 0.03, 0.03, 0.02, 0.02]]))
    assert [TAGS[t] for t in decode(logp, TAGS, CONSTRAINTS)] == ["O", "B-KILLED", "I-KILLED", "O"]


def test_orphan_i_is_repaired():
    logp = np.log(np.array([[0.9, 0.03, 0.03, 0.02, 0.02], [0.1, 0.1, 0.6, 0.1, 0.1], [0.1, 0.1, 0.6, 0.1, 0.1]]))
    for path in (viterbi(logp, CONSTRAINTS), decode(logp, TAGS, CONSTRAINTS)):
        assert [TAGS[t] for t in path] == ["O", "B-KILLED", "I-KILLED"]


def test_decode_handles_minus_inf_and_empty_input():
    with np.errstate(divide="ignore"):
        logp = np.log(np.array([[1.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0, 0.0]]))
    path = decode(logp, TAGS, CONSTRAINTS)
    assert is_valid_bio(path)
    assert decode(np.zeros((0, len(TAGS))), TAGS, CONSTRAINTS).tolist() == []


def test_decode_falls_back_to_viterbi_for_other_tag_sets():
    tags = ["O", "B-X", "I-X", "S-X"]  # not a BIO tag set: no cutting
    rng = np.random.default_rng(1)
    logp = np.log(rng.dirichlet(np.ones(4), size=12))
    constraints = allowed_transitions(tags)
    assert decode(logp, tags, constraints).tolist() == viterbi(logp, constraints).tolist()


def test_spans_widen_to_words_and_keep_exact_offsets():
    text = "Gunmen killed three villagers."
    # tokens: "gunmen" "killed" "three" "vill" "##agers" "."
    offsets = np.array([[0, 6], [7, 13], [14, 19], [20, 24], [24, 29], [29, 30]])
    path = np.array([0, 0, 1, 2, 0, 0])  # span ends mid-word: widened to "three villagers"
    spans = tags_to_spans(text, path, np.ones(6), offsets, TAGS)
    assert spans == [{"label": "KILLED", "text": "three villagers", "start": 14, "end": 29, "score": 1.0}]
    assert text[14:29] == spans[0]["text"]


def test_span_thresholds_drop_low_scoring_spans_of_their_label_only():
    spans = [{"label": "KILLED", "score": 0.4}, {"label": "KILLED", "score": 0.7}, {"label": "WEAPON", "score": 0.1}]
    kept = apply_span_thresholds(spans, {"KILLED": 0.5})
    assert kept == [{"label": "KILLED", "score": 0.7}, {"label": "WEAPON", "score": 0.1}]
    assert apply_span_thresholds(spans, None) == spans


def test_spans_widen_over_the_hyphens_of_a_hyphenated_word():
    text = "found a 41-year-old man"
    # tokens: "found" "a" "41" "-" "year" "-" "old" "man" (the pre-tokeniser splits at hyphens: eight words)
    offsets = np.array([[0, 5], [6, 7], [8, 10], [10, 11], [11, 15], [15, 16], [16, 19], [20, 23]])
    words = np.arange(8)
    path = np.array([0, 1, 2, 2, 2, 0, 0, 0])  # the tagger stops at "a 41-year"
    for w in (words, None):
        spans = tags_to_spans(text, path, np.ones(8), offsets, TAGS, words=w)
        assert [s["text"] for s in spans] == ["a 41-year-old"]
        assert all(text[s["start"]:s["end"]] == s["text"] for s in spans)
    # a later span inside the widened word would overlap it: spans never overlap
    path = np.array([0, 1, 2, 2, 2, 0, 1, 2])
    spans = tags_to_spans(text, path, np.ones(8), offsets, TAGS, words=words)
    assert all(a["end"] <= b["start"] for a, b in itertools.pairwise(spans))


def test_spans_widen_over_an_apostrophe_inside_a_name_not_over_a_clitic():
    text = "ROBERTO D'AUBUISSON'S MEN"
    # tokens: "roberto" "d" "'" "aubuisson" "'" "s" "men" (the pre-tokeniser splits at apostrophes: seven words)
    offsets = np.array([[0, 7], [8, 9], [9, 10], [10, 19], [19, 20], [20, 21], [22, 25]])
    words = np.arange(7)
    for path, expected in (([1, 2, 0, 0, 0, 0, 0], ["ROBERTO D'AUBUISSON"]),  # cut at "D"
                           ([0, 0, 0, 1, 0, 0, 0], ["D'AUBUISSON"]),  # cut after "D'"
                           ([1, 2, 2, 2, 0, 0, 0], ["ROBERTO D'AUBUISSON"])):  # never over "'S"
        for w in (words, None):
            spans = tags_to_spans(text, np.array(path), np.ones(7), offsets, TAGS, words=w)
            assert [s["text"] for s in spans] == expected
            assert all(text[s["start"]:s["end"]] == s["text"] for s in spans)
    text = "the judge's car"  # a possessive stays outside the span
    offsets = np.array([[0, 3], [4, 9], [9, 10], [10, 11], [12, 15]])
    spans = tags_to_spans(text, np.array([1, 2, 0, 0, 0]), np.ones(5), offsets, TAGS, words=np.arange(5))
    assert [s["text"] for s in spans] == ["the judge"]


def test_spans_do_not_widen_across_a_glued_headline():
    text = "Los Angeles TimesJassely Lupoe, 26, died."
    # tokens: "los" "angeles" "times" "##jas" "##sely" "lu" "##poe" ","  (one pre-tokenised word "TimesJassely")
    offsets = np.array([[0, 3], [4, 11], [12, 17], [17, 20], [20, 24], [25, 27], [27, 30], [30, 31]])
    words = np.array([0, 1, 2, 2, 2, 3, 3, 4])
    path = np.array([0, 0, 0, 1, 2, 2, 2, 0])  # B on "##jas"
    spans = tags_to_spans(text, path, np.ones(8), offsets, TAGS, words=words)
    assert [s["text"] for s in spans] == ["Jassely Lupoe"]
    text = "a 7-year-old boyProsecutors said"
    offsets = np.array([[0, 1], [2, 3], [3, 4], [4, 8], [8, 9], [9, 12], [13, 16], [16, 27], [28, 32]])
    words = np.array([0, 1, 2, 3, 4, 5, 6, 6, 7])
    spans = tags_to_spans(text, np.array([1, 2, 2, 2, 2, 2, 2, 0, 0]), np.ones(9), offsets, TAGS, words=words)
    assert [s["text"] for s in spans] == ["a 7-year-old boy"]
    # a name with a short first part keeps its inner capital
    text = "DeShawn Brown died."
    offsets, words = np.array([[0, 2], [2, 7], [8, 13], [14, 18]]), np.array([0, 0, 1, 2])
    spans = tags_to_spans(text, np.array([0, 1, 2, 0]), np.ones(4), offsets, TAGS, words=words)
    assert [s["text"] for s in spans] == ["DeShawn Brown"]
