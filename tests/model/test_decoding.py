import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from incidex.model.decoding import allowed_transitions, decode_fast, tags_to_spans, viterbi

TAGS = ["O", "B-KILLED", "I-KILLED", "B-WEAPON", "I-WEAPON"]
CONSTRAINTS = allowed_transitions(TAGS)


def is_valid_bio(path):
    prev = "O"
    for t in path:
        tag = TAGS[t]
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            return False
        prev = tag
    return True


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 40), st.integers(0, 10_000))
def test_viterbi_is_valid_and_optimal_among_valid(n, seed):
    rng = np.random.default_rng(seed)
    logp = np.log(rng.dirichlet(np.ones(len(TAGS)), size=n))
    path = viterbi(logp, CONSTRAINTS)
    assert is_valid_bio(path)
    # no valid path scores higher: compare with the fast decoder and with greedy-when-valid
    fast = decode_fast(logp, TAGS, CONSTRAINTS)
    assert is_valid_bio(fast)
    greedy = logp.argmax(1)
    if is_valid_bio(greedy):
        assert logp[np.arange(n), path].sum() >= logp[np.arange(n), greedy].sum() - 1e-9


def test_fast_decoder_matches_viterbi_when_O_is_certain():
    rng = np.random.default_rng(0)
    logp = np.log(np.full((30, len(TAGS)), 0.001))
    logp[:, 0] = np.log(0.996)
    logp[10:14] = np.log(rng.dirichlet(np.ones(len(TAGS)), size=4))
    assert decode_fast(logp, TAGS, CONSTRAINTS).tolist() == viterbi(logp, CONSTRAINTS).tolist()


def test_orphan_i_is_repaired():
    logp = np.log(np.array([[0.9, 0.03, 0.03, 0.02, 0.02], [0.1, 0.1, 0.6, 0.1, 0.1], [0.1, 0.1, 0.6, 0.1, 0.1]]))
    assert [TAGS[t] for t in viterbi(logp, CONSTRAINTS)] == ["O", "B-KILLED", "I-KILLED"]


def test_spans_widen_to_words_and_keep_exact_offsets():
    text = "Gunmen killed three villagers."
    # tokens: "gunmen" "killed" "three" "vill" "##agers" "."
    offsets = np.array([[0, 6], [7, 13], [14, 19], [20, 24], [24, 29], [29, 30]])
    path = np.array([0, 0, 1, 2, 0, 0])  # span ends mid-word: widened to "three villagers"
    spans = tags_to_spans(text, path, np.ones(6), offsets, TAGS)
    assert spans == [{"label": "KILLED", "text": "three villagers", "start": 14, "end": 29, "score": 1.0}]
    assert text[14:29] == spans[0]["text"]
