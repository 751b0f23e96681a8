"""Span widening by the tokenizer's words (issue 14): CJK and Thai spans keep to their tokens, exact offsets."""

from __future__ import annotations

import numpy as np
import pytest
from incidex.model.decoding import tags_to_spans
from incidex.model.windows import encode_documents

TAGS = ["O", "B-KILLED", "I-KILLED"]
THAI = "ระเบิดรถยนต์ฆ่าทหารสามนายที่ตลาด"  # "a car bomb killed three soldiers at the market", no spaces
CJK = "汽车炸弹在市场爆炸炸死三名士兵"


@pytest.fixture(scope="module")
def thai_tokenizer(tmp_path_factory):
    """A WordPiece tokenizer that knows each Thai character (first and ## forms): a Thai clause is one
    pre-tokenised word of many tokens, as with real BERT-style and SentencePiece tokenizers."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    chars = sorted(set(THAI))
    vocab = {t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", *chars, *("##" + c for c in chars)])}
    tk = Tokenizer(models.WordPiece(vocab=vocab, unk_token="[UNK]", max_input_chars_per_word=200))
    tk.normalizer = normalizers.BertNormalizer(lowercase=False, strip_accents=False)
    tk.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    return PreTrainedTokenizerFast(tokenizer_object=tk, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                                   sep_token="[SEP]")


def _spans(tokenizer, text, first, last):
    (doc,) = encode_documents(tokenizer, [text], 512, 8)
    path = np.zeros(len(doc.token_ids), dtype=np.int64)
    path[first] = 1
    path[first + 1 : last + 1] = 2
    probs = np.ones(len(path))
    return doc, tags_to_spans(text, path, probs, doc.offsets, TAGS, words=doc.word_ids), \
        tags_to_spans(text, path, probs, doc.offsets, TAGS)


def test_thai_span_is_not_widened_to_the_clause(thai_tokenizer):
    doc, spans, old = _spans(thai_tokenizer, THAI, 15, 21)  # the characters of "ทหารสามนาย"
    assert len(set(doc.word_ids.tolist())) == 1  # the whole clause is one pre-tokenised word
    (span,) = spans
    assert THAI[span["start"] : span["end"]] == span["text"] == THAI[15:22]
    # str.isalnum widening ran on to the next combining vowel sign, past the predicted tokens
    assert old[0]["start"] < span["start"] and old[0]["end"] > span["end"]


def test_cjk_characters_are_words_of_their_own(tiny_tokenizer):
    doc, spans, old = _spans(tiny_tokenizer, CJK, 11, 14)  # 三名士兵
    assert len(set(doc.word_ids.tolist())) == len(CJK)  # BERT's normaliser splits CJK characters
    assert [s["text"] for s in spans] == ["三名士兵"] and CJK[spans[0]["start"] : spans[0]["end"]] == "三名士兵"
    assert old[0]["text"] == CJK


def test_latin_subwords_still_widen_to_the_word(tiny_tokenizer):
    text = "Gunmen killed three villagers."
    (doc,) = encode_documents(tiny_tokenizer, [text], 512, 8)
    pieces = [text[s:e] for s, e in doc.offsets]
    first = pieces.index("three")
    _, spans, _ = _spans(tiny_tokenizer, text, first, first + 1)  # "three" and the first piece of "villagers"
    assert pieces[first + 1] != "villagers" and spans[0]["text"] == "three villagers"


@pytest.mark.parametrize("text", [THAI, CJK, f"{CJK}，{THAI}. Gunmen killed three villagers in 市场."])
def test_predictor_offsets_exact_in_scripts_without_spaces(saved_tiny, text):
    from incidex.model import Predictor

    rec = Predictor(saved_tiny).predict(text)
    for span in rec["spans"]:
        assert text[span["start"] : span["end"]] == span["text"]
        assert "，" not in span["text"] or span["text"] == "，"  # never across the clause boundary
