"""Shared fixtures: a tiny random encoder and a tokenizer built from a small vocabulary (no download)."""

from __future__ import annotations

import doctest
import string
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import settings

# Shared CI machines have noisy timings: hypothesis deadlines would make tests flaky, not stricter.
settings.register_profile("incidex", deadline=None)
settings.load_profile("incidex")

REPO = Path(__file__).resolve().parents[1]
SHARED_MUC4 = REPO.parent / "shared" / "data" / "muc4"
SAMPLE_TRAIN = REPO / "data" / "sample" / "train.jsonl"
SAMPLE_DEV = REPO / "data" / "sample" / "dev.jsonl"


def run_doctests(module: ModuleType, **kwargs: Any) -> doctest.TestResults:
    """Run ``module``'s docstring examples (``doctest.testmod`` keywords pass through); fail if one fails, and if
    none ran: a module whose examples are all skipped or gone would otherwise pass."""
    result = doctest.testmod(module, **kwargs)
    assert result.failed == 0, f"{module.__name__}: {result.failed} of {result.attempted} examples failed"
    assert result.attempted > 0, f"{module.__name__}: no docstring example ran"
    return result


WORDS = (
    "the a an of in on at and to was were by said killed wounded injured people police soldiers "
    "civilians gunmen bomb car attack attacked kidnapped fire rebels army two three four five dozens "
    "least more than several village town market station bus church officials group front"
).split()


def make_tokenizer(directory: Path):
    """A BERT-style WordPiece tokenizer over letters, digits, punctuation and a few words."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    chars = list(string.ascii_lowercase + string.digits + string.punctuation)
    vocab_list = specials + chars + ["##" + c for c in string.ascii_lowercase + string.digits] + WORDS
    vocab = {tok: i for i, tok in enumerate(dict.fromkeys(vocab_list))}
    tk = Tokenizer(models.WordPiece(vocab=vocab, unk_token="[UNK]", max_input_chars_per_word=100))
    tk.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=True, clean_text=True)
    tk.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tk.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])],
    )
    tok = PreTrainedTokenizerFast(
        tokenizer_object=tk, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]",
        mask_token="[MASK]", model_max_length=512,
    )
    tok.save_pretrained(directory)
    return tok


def tiny_encoder_config(vocab_size: int):
    from transformers import BertConfig

    return BertConfig(
        vocab_size=vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=128, attention_probs_dropout_prob=0.0,
    )


@pytest.fixture(scope="session")
def tiny_dir(tmp_path_factory) -> Path:
    """Directory holding the tiny tokenizer (and, after saving, a tiny model)."""
    d = tmp_path_factory.mktemp("tiny")
    make_tokenizer(d)
    return d


@pytest.fixture(scope="session")
def tiny_tokenizer(tiny_dir):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_dir)


@pytest.fixture(scope="session")
def tiny_encoder_dir(tmp_path_factory) -> Path:
    """A tiny random BERT encoder with its tokenizer, saved: what ``model.encoder`` of a training config names."""
    import torch
    from transformers import BertModel

    d = tmp_path_factory.mktemp("tiny_encoder")
    tok = make_tokenizer(d)
    torch.manual_seed(0)
    cfg = tiny_encoder_config(len(tok))
    cfg.max_position_embeddings = 256
    BertModel(cfg).save_pretrained(d)
    return d


def build_tiny_model(tokenizer, seed: int = 0, **overrides):
    """A random 2-layer, hidden-32 EventExtractor with 3 attack types and 3 span labels (windows of 24)."""
    import torch
    from incidex.model import EventExtractor, EventExtractorConfig

    torch.manual_seed(seed)
    kwargs = dict(
        attack_types=["armed attack", "bombing", "kidnapping"],
        span_labels=["KILLED", "WOUNDED", "PERP_ORGANIZATION"],
        window_length=24, window_stride=6,
    )
    kwargs.update(overrides)
    return EventExtractor(EventExtractorConfig(encoder_config=tiny_encoder_config(len(tokenizer)).to_dict(), **kwargs))


def build_silent_tagger(tokenizer, **overrides):
    """:func:`build_tiny_model` whose tagger says O on every token (what a report gets from rules alone)."""
    import torch

    model = build_tiny_model(tokenizer, **overrides)
    with torch.no_grad():
        model.tag_head.weight.zero_()
        model.tag_head.bias.fill_(-20.0)
        model.tag_head.bias[model.config.tags.index("O")] = 20.0
    return model


@pytest.fixture()
def tiny_model(tiny_tokenizer):
    return build_tiny_model(tiny_tokenizer)


@pytest.fixture(scope="session")
def saved_tiny(tmp_path_factory, tiny_tokenizer) -> Path:
    """A tiny random model saved with its tokenizer: a model directory that Predictor accepts."""
    d = tmp_path_factory.mktemp("saved_tiny")
    build_tiny_model(tiny_tokenizer, seed=3).save_pretrained(d, tokenizer=tiny_tokenizer)
    return d
