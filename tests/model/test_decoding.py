import itertools
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from incidex.model.decoding import (
    ENGLISH_EDGE_WORDS,
    allowed_transitions,
    apply_span_thresholds,
    decode,
    tags_to_spans,
    tidy_spans,
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


def _span(text, part, label="VICTIM", score=0.5, nth=0):
    """The ``nth`` occurrence of ``part`` as whole words."""
    start = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(part)}(?!\w)", text)][nth]
    return {"label": label, "text": part, "start": start, "end": start + len(part), "score": score}


def test_tidy_joins_a_dangling_article_with_the_next_span_of_its_label():
    text = "THEY KIDNAPPED A SPANISH TECHNICIAN AND THE DRIVER"
    spans = [_span(text, "A", score=0.6), _span(text, "SPANISH TECHNICIAN", score=0.9),
             _span(text, "THE"), _span(text, "DRIVER", label="KILLED")]
    out = tidy_spans(text, spans)
    assert [(s["label"], s["text"]) for s in out] == [("VICTIM", "A SPANISH TECHNICIAN"), ("KILLED", "DRIVER")]
    assert out[0]["score"] == pytest.approx((0.6 * 1 + 0.9 * 18) / 19, abs=1e-4)
    assert all(text[s["start"]:s["end"]] == s["text"] for s in out)


def test_tidy_cuts_trailing_function_words_and_keeps_other_spans():
    text = 'LATER, TWO INDIVIDUALS IN A CAR FIRED ON "THE OFFICES OF\nTHE" MAYOR.'
    spans = [_span(text, "TWO INDIVIDUALS IN", label="PERP_INDIVIDUAL"),
             _span(text, 'OFFICES OF\nTHE"', label="PHYSICAL_TARGET")]
    out = tidy_spans(text, spans)
    assert [s["text"] for s in out] == ["TWO INDIVIDUALS", "OFFICES"]
    assert all(text[s["start"]:s["end"]] == s["text"] for s in out)
    assert tidy_spans(text, spans, edge_words=[]) == spans  # a config's span_edge_words: [] turns it off


def test_tidy_cuts_a_trailing_participle_in_english_only():
    text = "THEY BURNED A GAS STATION OWNED BY A RANCHER AND A TRUCK RIGGED WITH DYNAMITE; AHMED, MOHAMMED AHMED FLED."
    spans = [_span(text, "GAS STATION OWNED BY", label="PHYSICAL_TARGET"), _span(text, "TRUCK RIGGED", label="WEAPON"),
             _span(text, "AHMED", label="PERP_INDIVIDUAL"), _span(text, "MOHAMMED AHMED", label="PERP_INDIVIDUAL"),
             _span(text, "BURNED", label="WEAPON")]
    out = tidy_spans(text, spans)
    assert [s["text"] for s in out] == ["BURNED", "GAS STATION", "TRUCK", "AHMED", "MOHAMMED AHMED"]
    assert all(text[s["start"]:s["end"]] == s["text"] for s in out)
    # a config's own edge words (another language) cut those words only
    assert [s["text"] for s in tidy_spans(text, spans, edge_words=["by"])][1:3] == ["GAS STATION OWNED", "TRUCK RIGGED"]


def test_tidy_cuts_a_trailing_gloss_and_dangling_punctuation():
    text = ("THE ELN [ARMY OF NATIONAL LIBERATION] AND THE FMLN -- LED BY HILDA FLORES, ATTACKED THE FARABUNDO MARTI "
            "[ OFFICE OF THE MNR) IN (CHALATENANGO)")
    spans = [_span(text, "ELN [ARMY OF NATIONAL LIBERATION]", label="PERP_ORGANIZATION"),
             _span(text, "FMLN --", label="PERP_ORGANIZATION"), _span(text, "HILDA FLORES,", label="PERP_INDIVIDUAL"),
             _span(text, "FARABUNDO MARTI [", label="PERP_ORGANIZATION"), _span(text, "MNR)", label="PERP_ORGANIZATION"),
             _span(text, "(CHALATENANGO)", label="PHYSICAL_TARGET")]
    out = tidy_spans(text, spans)
    assert [s["text"] for s in out] == ["ELN", "FMLN", "HILDA FLORES", "FARABUNDO MARTI", "MNR", "(CHALATENANGO)"]
    assert all(text[s["start"]:s["end"]] == s["text"] for s in out)
    assert tidy_spans(text, spans, edge_words=[]) == spans
    text2 = "GUNMEN KILLED NORBERTO RODRIGUEZ -- BROTHER OF THE FIRST LADY -- ON MONDAY"
    out2 = tidy_spans(text2, [_span(text2, "NORBERTO RODRIGUEZ -- BROTHER OF THE FIRST LADY", label="KILLED")])
    assert [s["text"] for s in out2] == ["NORBERTO RODRIGUEZ"]


def test_bare_numbers_are_dropped_unless_their_role_counts_people():
    from incidex.model.decoding import drop_bare_words
    from incidex.model.inference import facts_from_spans

    text = "GUNMEN FIRED TWO BURSTS AT THE BUS, WOUNDING 23 AND KILLING 4,000 SHEEP."
    roles = {"WEAPON": "weapon", "WOUNDED": "wounded", "PHYSICAL_TARGET": "target"}
    spans = [_span(text, "TWO", label="WEAPON"), _span(text, "THE BUS", label="PHYSICAL_TARGET"),
             _span(text, "23", label="WOUNDED"), _span(text, "4,000", label="PHYSICAL_TARGET")]
    assert [s["text"] for s in drop_bare_words(spans, roles)] == ["THE BUS", "23"]
    rec = facts_from_spans(text, spans, roles)
    assert [s["text"] for s in rec["spans"]] == ["THE BUS", "23"] and rec["casualties"]["wounded"]["count"] == 23
    # a corpus's own label names, through its span_roles
    assert drop_bare_words([{"label": "FATALITIES", "text": "4"}], {"FATALITIES": "killed"}) != []
    # a pronoun alone is no perpetrator, target or weapon (examples/02_kidnapping.txt: "ambushing [their] staff bus"),
    # but a casualty's pronoun stays for the counts to read
    text2 = "Gunmen ambushed their staff bus. He was shot."
    spans2 = [_span(text2, "Gunmen", label="PERP_INDIVIDUAL"), _span(text2, "their", label="PHYSICAL_TARGET"),
              _span(text2, "He", label="WOUNDED")]
    roles2 = {"PERP_INDIVIDUAL": "perpetrator_individual", "PHYSICAL_TARGET": "target", "WOUNDED": "wounded"}
    assert [s["text"] for s in drop_bare_words(spans2, roles2)] == ["Gunmen", "He"]
    assert facts_from_spans(text2, spans2, roles2)["actors"]["targets"] == []


def test_tidy_does_not_join_across_words_or_labels():
    text = "A bomb and the car of a man"
    spans = [_span(text, "A bomb and", label="WEAPON"), _span(text, "the car of", label="PHYSICAL_TARGET"),
             _span(text, "a man", label="VICTIM")]
    out = tidy_spans(text, spans)
    assert [s["text"] for s in out] == ["A bomb", "the car", "a man"]


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


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab of the,\n\"-") + ["é", "之"]), min_size=1, max_size=40),
       st.lists(st.tuples(st.integers(0, 40), st.integers(1, 12)), max_size=6))
def test_tidy_keeps_offsets_exact_and_never_ends_on_an_edge_word(text, cuts):
    spans, last = [], 0
    for start, length in sorted(cuts):
        start, end = max(start, last), min(max(start, last) + length, len(text))
        if start < end and text[start:end].strip():
            spans.append({"label": "X", "text": text[start:end], "start": start, "end": end, "score": 0.5})
            last = end
    out = tidy_spans(text, spans)
    assert all(a["end"] <= b["start"] for a, b in itertools.pairwise(out))  # never overlapping
    for s in out:
        assert text[s["start"]:s["end"]] == s["text"] and s["text"]
        words = re.findall(r"\w+", s["text"])
        assert words and words[-1].lower() not in ENGLISH_EDGE_WORDS


def test_tidy_cuts_a_span_at_a_glued_seam_and_keeps_names_with_inner_capitals():
    # scraped headline + story without a space (GVDB gvdb-8484, gvdb-1631)
    text = "Charges weighed in shooting death of 7-year-old boyProsecutors said. abc7.comOne person was shot."
    spans = [_span(text, "7-year-old boyProsecutors", label="KILLED"), _span(text, "comOne person", label="WOUNDED")]
    out = tidy_spans(text, spans)
    assert [s["text"] for s in out] == ["7-year-old boy", "One person"]
    assert all(text[s["start"]:s["end"]] == s["text"] for s in out)
    names = "Officers shot DeShawn McDonald and Douglas MacArthur Smith near the iPhone store."
    spans = [_span(names, "DeShawn McDonald", label="WOUNDED"), _span(names, "Douglas MacArthur Smith", label="WOUNDED")]
    assert [s["text"] for s in tidy_spans(names, spans)] == ["DeShawn McDonald", "Douglas MacArthur Smith"]


@pytest.mark.parametrize("text, tagged, expected", [
    # the tagger began the span inside a bracketed acronym (SATP dev lines 43 and 149)
    ("Three Border Security Force (BSF) personnel were killed.", "BSF) personnel", "Three Border Security Force (BSF) personnel"),
    ("Five persons, among them three Security Force (SF) personnel, were killed.", "SF) personnel",
     "three Security Force (SF) personnel"),
    ("Communist Party of India Maoist (CPI Maoist) cadres set the towers ablaze.", "Maoist) cadres",
     "Communist Party of India Maoist (CPI Maoist) cadres"),
    # a person noun is no word of the name (SATP dev line 13)
    ("Two Policemen of Jammu and Kashmir (J K) Armed Police were killed.", "K) Armed Police",
     "Jammu and Kashmir (J K) Armed Police"),
    # a person noun inside the name is part of it (SATP train line 97)
    ("Two Students Islamic Movement of India (SIMI) members were killed.", "SIMI) members",
     "Two Students Islamic Movement of India (SIMI) members"),
    # no name before the bracket, or capitals only (MUC-4): left as tagged
    ("The attack (IED) blast hit the bus.", "IED) blast", "IED) blast"),
    ("GUERRILLAS OF THE (MRTA) GROUP ATTACKED.", "MRTA) GROUP", "MRTA) GROUP"),
])
def test_a_span_begun_inside_a_bracket_starts_at_the_name(text: str, tagged: str, expected: str) -> None:
    spans = tidy_spans(text, [_span(text, tagged, label="KILLED")])
    assert [s["text"] for s in spans] == [expected]
    assert all(text[s["start"]:s["end"]] == s["text"] for s in spans)


def test_a_span_begun_inside_a_bracket_takes_in_a_fragment_of_the_name_never_more() -> None:
    text = "Three Border Security Force (BSF) personnel were killed."
    # SATP dev line 43: the tagger split the phrase, "[Three Border]" wounded and "[BSF) personnel]" killed
    spans = tidy_spans(text, [_span(text, "Three Border", label="WOUNDED"), _span(text, "BSF) personnel", label="KILLED")])
    assert [(s["label"], s["text"]) for s in spans] == [("KILLED", "Three Border Security Force (BSF) personnel")]
    # a span that begins before the name is left, and so is the span begun in the bracket
    text2 = "The militants shot Three Border Security Force (BSF) personnel."
    spans = tidy_spans(text2, [_span(text2, "militants shot Three", label="PERP_INDIVIDUAL"),
                               _span(text2, "BSF) personnel", label="KILLED")])
    assert [s["text"] for s in spans] == ["militants shot Three", "BSF) personnel"]
    assert all(a["end"] <= b["start"] for a, b in zip(spans, spans[1:], strict=False))
    # a person's phrase before the name is no fragment of it: kept, and the name alone taken in (SATP dev line 13)
    text3 = "Two Policemen of Jammu and Kashmir (J K) Armed Police were killed."
    spans = tidy_spans(text3, [_span(text3, "Two Policemen", label="KILLED"), _span(text3, "K) Armed Police", label="KILLED")])
    assert [s["text"] for s in spans] == ["Two Policemen", "Jammu and Kashmir (J K) Armed Police"]
