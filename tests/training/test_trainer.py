import pytest
import torch
from incidex.training.trainer import encoder_layers, freeze_encoder

from tests.conftest import run_doctests


def test_freeze_embeddings_and_first_layers(tiny_model):
    n_frozen = freeze_encoder(tiny_model, embeddings=True, layers=1)
    emb = tiny_model.encoder.embeddings
    layers = encoder_layers(tiny_model.encoder)
    assert n_frozen == sum(p.numel() for m in (emb, layers[0]) for p in m.parameters())
    assert not any(p.requires_grad for p in emb.parameters())
    assert not any(p.requires_grad for p in layers[0].parameters())
    assert all(p.requires_grad for p in layers[1].parameters())
    assert tiny_model.tag_head.weight.requires_grad

    before = {k: v.clone() for k, v in tiny_model.state_dict().items()}
    opt = torch.optim.AdamW([p for p in tiny_model.parameters() if p.requires_grad], lr=1e-2)
    ids = torch.randint(5, 40, (2, 12))
    out = tiny_model(input_ids=ids, attention_mask=torch.ones_like(ids), type_labels=torch.ones(2, 3),
                     tag_labels=torch.ones_like(ids))
    out.loss.backward()
    opt.step()
    after = tiny_model.state_dict()
    assert torch.equal(before["encoder.embeddings.word_embeddings.weight"], after["encoder.embeddings.word_embeddings.weight"])
    frozen = [k for k in before if k.startswith("encoder.encoder.layer.0.")]
    trained = [k for k in before if k.startswith("encoder.encoder.layer.1.") and k.endswith("weight")]
    assert frozen and all(torch.equal(before[k], after[k]) for k in frozen)
    assert trained and any(not torch.equal(before[k], after[k]) for k in trained)


def test_freezing_layers_freezes_the_embeddings_too(tiny_model):
    freeze_encoder(tiny_model, layers=2)
    assert not any(p.requires_grad for p in tiny_model.encoder.embeddings.parameters())
    with pytest.raises(ValueError, match="has 2 layers"):
        freeze_encoder(tiny_model, layers=3)


def test_kept_checkpoint_reads_the_trainer_state() -> None:
    from types import SimpleNamespace

    import incidex.training.trainer as trainer
    from incidex.training.trainer import kept_checkpoint

    run_doctests(trainer, verbose=False)
    history = [{"eval_score": 0.4, "step": 65, "epoch": 1.0}, {"eval_score": 0.5, "step": 130, "epoch": 2.0}]
    state = SimpleNamespace(best_model_checkpoint="run/checkpoints/checkpoint-130", best_metric=0.5, log_history=history)
    assert kept_checkpoint(state, "grit_micro_f1") == {"step": 130, "epoch": 2.0, "metric": "grit_micro_f1", "value": 0.5}
    # no dev set (no best checkpoint), or a path that is not a checkpoint's: nothing to record
    assert kept_checkpoint(SimpleNamespace(best_model_checkpoint=None), "score") is None
    assert kept_checkpoint(SimpleNamespace(best_model_checkpoint="run/model", log_history=[]), "score") is None
