import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from incidex.model.windows import (
    SpecialTokens,
    encode_documents,
    merge_token_scores,
    owner_of_tokens,
    plan_windows,
    pool_type_logits,
)


@given(n=st.integers(0, 400), content=st.integers(3, 64), data=st.data())
def test_windows_cover_every_token_and_each_token_has_one_owner(n, content, data):
    stride = data.draw(st.integers(0, content - 1))
    windows = plan_windows(n, content, stride)
    covered = np.zeros(n, dtype=int)
    for s, e in windows:
        assert 0 <= s <= e <= n and e - s <= content
        covered[s:e] += 1
    assert (covered >= 1).all()
    # consecutive windows overlap by exactly `stride` tokens (except possibly the last one, which may overlap more)
    for (_s1, e1), (s2, _) in zip(windows[:-2], windows[1:-1]):
        assert e1 - s2 == stride
    owner = owner_of_tokens(windows, n)
    for t in range(n):
        s, e = windows[owner[t]]
        assert s <= t < e


def test_owner_prefers_central_window():
    windows = plan_windows(10, 4, 2)
    assert owner_of_tokens(windows, 10).tolist() == [0, 0, 0, 1, 1, 2, 2, 3, 3, 3]


def test_merge_gives_each_token_the_score_of_its_owner(tiny_tokenizer):
    special = SpecialTokens.from_tokenizer(tiny_tokenizer)
    text = " ".join(["police"] * 50)
    (doc,) = encode_documents(tiny_tokenizer, [text], 16, 4, special)
    assert len(doc.windows) > 3
    ids, masks = doc.window_arrays(special)
    # window w's score for each position encodes (w, doc token index)
    scores = []
    for w, (s, e) in enumerate(doc.windows):
        sc = np.full((len(ids[w]), 2), -1.0, dtype=np.float32)
        p = len(special.prefix)
        sc[p : p + e - s, 0] = w
        sc[p : p + e - s, 1] = np.arange(s, e)
        scores.append(sc)
    merged = merge_token_scores(doc, scores, len(special.prefix))
    assert merged[:, 1].tolist() == list(range(len(doc.token_ids)))
    assert merged[:, 0].tolist() == doc.owner.tolist()
    # ownership masks select every token exactly once across windows
    assert sum(int(m.sum()) for m in masks) == len(doc.token_ids)


def test_special_tokens_found(tiny_tokenizer):
    special = SpecialTokens.from_tokenizer(tiny_tokenizer)
    assert special.prefix == [tiny_tokenizer.cls_token_id]
    assert special.suffix == [tiny_tokenizer.sep_token_id]


def test_window_length_must_leave_room(tiny_tokenizer):
    with pytest.raises(ValueError):
        encode_documents(tiny_tokenizer, ["a b c"], 6, 4)


def test_pool_is_softmax_weighted_mean():
    scores = np.array([[0.0, 5.0], [0.0, -5.0]])
    values = np.array([[1.0, 1.0], [3.0, 3.0]])
    out = pool_type_logits(scores, values)
    assert out[0] == pytest.approx(2.0)
    assert out[1] == pytest.approx(1.0, abs=1e-3)
