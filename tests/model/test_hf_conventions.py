"""Hugging Face conventions of `EventExtractor`: base model prefix, one-load `from_encoder`, old checkpoints."""

from __future__ import annotations

import os

import pytest
import torch
from incidex.model import EventExtractor
from safetensors.torch import load_file
from transformers import AutoModel, BertForMaskedLM, BertModel

from tests.conftest import build_tiny_model, tiny_encoder_config


def window_batch(vocab: int = 50) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    gen = torch.Generator().manual_seed(0)
    ids = torch.randint(5, vocab, (3, 12), generator=gen)
    return ids, torch.ones_like(ids), torch.tensor([0, 0, 1])


@pytest.fixture()
def encoder_dir(tmp_path, tiny_tokenizer):
    """A bare pretrained encoder checkpoint (BertModel keys, no prefix), with a pooler and its tokenizer."""
    torch.manual_seed(7)
    enc = BertModel(tiny_encoder_config(len(tiny_tokenizer)))
    enc.save_pretrained(tmp_path / "enc")
    tiny_tokenizer.save_pretrained(tmp_path / "enc")
    return tmp_path / "enc", enc


def test_base_model_is_the_encoder(tiny_model):
    assert tiny_model.base_model_prefix == "encoder"
    assert tiny_model.base_model is tiny_model.encoder
    assert tiny_model.get_input_embeddings() is tiny_model.encoder.embeddings.word_embeddings


def test_from_encoder_loads_the_checkpoint_once_into_the_encoder(encoder_dir, monkeypatch):
    path, source = encoder_dir
    calls = []
    real = EventExtractor.from_pretrained.__func__

    def counting(cls, *args, **kwargs):
        calls.append(args[0])
        return real(cls, *args, **kwargs)

    def no_second_load(*args, **kwargs):
        raise AssertionError("AutoModel.from_pretrained called: the encoder would be loaded twice")

    monkeypatch.setattr(EventExtractor, "from_pretrained", classmethod(counting))
    monkeypatch.setattr(AutoModel, "from_pretrained", no_second_load)
    model = EventExtractor.from_encoder(str(path), attack_types=["a", "b"], span_labels=["KILLED"],
                                        attention_dropout=0.0, type_pos_weight=[2.0, 3.0])
    assert calls == [str(path)]
    expected = {k: v for k, v in source.state_dict().items() if not k.startswith("pooler.")}
    got = model.encoder.state_dict()
    assert set(got) == set(expected)
    assert all(torch.equal(got[k], v) for k, v in expected.items())
    assert model.encoder.pooler is None and model.training
    assert next(model.parameters()).dtype == torch.float32
    assert model.config.encoder_config.attention_probs_dropout_prob == 0.0
    assert model.config.attack_types == ["a", "b"] and model.config.encoder_name == str(path)
    assert torch.equal(model.type_pos_weight, torch.tensor([2.0, 3.0]))
    for head in (model.tag_head, model.type_scorer, model.type_head):  # random, not zeros or NaN
        assert torch.isfinite(head.weight).all() and head.weight.std() > 0


def test_from_encoder_maps_a_checkpoint_saved_with_a_head(tmp_path, tiny_tokenizer):
    """A checkpoint saved from BertForMaskedLM (keys "bert.*") still fills the encoder."""
    torch.manual_seed(8)
    mlm = BertForMaskedLM(tiny_encoder_config(len(tiny_tokenizer)))
    mlm.save_pretrained(tmp_path / "mlm")
    model = EventExtractor.from_encoder(str(tmp_path / "mlm"), attack_types=["a"], span_labels=["KILLED"])
    expected = mlm.bert.state_dict()
    assert all(torch.equal(v, expected[k]) for k, v in model.encoder.state_dict().items())


def test_save_load_keeps_key_names_and_outputs(tiny_model, tmp_path):
    tiny_model.eval()
    tiny_model.save_pretrained(tmp_path)
    keys = set(load_file(tmp_path / "model.safetensors"))
    assert keys == set(tiny_model.state_dict())
    assert all(k.split(".")[0] in {"encoder", "tag_head", "type_scorer", "type_head"} for k in keys)
    loaded = EventExtractor.from_pretrained(tmp_path).eval()
    assert loaded.base_model is loaded.encoder
    ids, mask, wd = window_batch()
    a, b = tiny_model(input_ids=ids, attention_mask=mask, window_doc=wd), loaded(ids, mask, wd)
    assert torch.equal(a.type_logits, b.type_logits) and torch.equal(a.tag_logits, b.tag_logits)


class OldPrefixExtractor(EventExtractor):
    """The class as checkpoints before this change saved it (`base_model_prefix = "incidex"`)."""

    base_model_prefix = "incidex"


def test_checkpoint_saved_with_the_old_prefix_loads_identically(tiny_tokenizer, tmp_path):
    old = build_tiny_model(tiny_tokenizer, seed=5)
    old.__class__ = OldPrefixExtractor
    old.eval().save_pretrained(tmp_path)
    loaded = EventExtractor.from_pretrained(tmp_path).eval()
    ids, mask, wd = window_batch()
    a, b = old(input_ids=ids, attention_mask=mask, window_doc=wd), loaded(ids, mask, wd)
    assert torch.equal(a.type_logits, b.type_logits) and torch.equal(a.tag_logits, b.tag_logits)


def test_type_pos_weight_buffer_survives_from_pretrained(tiny_tokenizer, tmp_path):
    """Non-persistent buffer: transformers 5 re-creates it empty on load; `_init_weights` refills it."""
    build_tiny_model(tiny_tokenizer, type_pos_weight=[2.0, 3.0, 4.0]).save_pretrained(tmp_path)
    loaded = EventExtractor.from_pretrained(tmp_path)
    assert torch.equal(loaded.type_pos_weight, torch.tensor([2.0, 3.0, 4.0]))


def test_saved_weights_follow_the_umask(tiny_model, tmp_path):
    # transformers writes model.safetensors with mode 0600; under umask 022 others must be able to read it
    # (a container's user, a colleague), as they can read config.json
    old = os.umask(0o022)
    try:
        tiny_model.save_pretrained(tmp_path / "m")
    finally:
        os.umask(old)
    for name in ("model.safetensors", "config.json"):
        assert (tmp_path / "m" / name).stat().st_mode & 0o777 == 0o644, name


def test_hub_kernels_stay_off_unless_asked_for(encoder_dir, tmp_path):
    """transformers 5.2x defaults ``use_kernels`` to True when ``kernels`` is installed; on a GPU, eval() would
    then fetch compiled layers from the Hub (an offline H200 failed at the first dev evaluation)."""
    path, _ = encoder_dir
    model = EventExtractor.from_encoder(str(path), attack_types=["a", "b"], span_labels=["KILLED"])
    model.save_pretrained(tmp_path / "m")
    loaded = [model, EventExtractor.from_pretrained(tmp_path / "m"), AutoModel.from_pretrained(tmp_path / "m")]
    for m in loaded:
        m.eval()
        assert m.use_kernels is False and getattr(m, "_kernels_mode", None) is None
