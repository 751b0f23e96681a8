"""The optimizer comes from the Trainer's machinery (optim, betas, eps honoured) with the head learning rate;
``warmup_ratio`` is a ratio at every value."""

from __future__ import annotations

import math

import pytest
import torch
from incidex.training.config import load_config
from incidex.training.trainer import IncidexTrainer, freeze_encoder, warmup_steps_arg
from transformers import TrainingArguments

from tests.conftest import REPO, build_tiny_model


def make_trainer(model, tmp_path, head_lr: float = 1e-2, **args):
    targs = TrainingArguments(output_dir=str(tmp_path), use_cpu=True, report_to="none", learning_rate=1e-4,
                              weight_decay=0.1, **args)
    return IncidexTrainer(model=model, args=targs, head_learning_rate=head_lr)


def by_param(optimizer) -> dict[int, dict]:
    return {id(p): g for g in optimizer.param_groups for p in g["params"]}


@pytest.mark.parametrize("ratio", [0.0, 0.05, 0.1, 0.5, 0.999, 1.0])
@pytest.mark.parametrize("total", [1, 7, 100, 12345])
def test_warmup_is_a_ratio_of_the_steps_at_every_value(ratio, total, tmp_path):
    args = TrainingArguments(output_dir=str(tmp_path), warmup_steps=warmup_steps_arg(ratio), report_to="none")
    assert args.get_warmup_steps(total) == math.ceil(ratio * total)


@pytest.mark.parametrize("ratio", [-0.1, 1.5, 10])
def test_warmup_ratio_out_of_range_is_an_error(ratio):
    with pytest.raises(ValueError, match="warmup_ratio"):
        warmup_steps_arg(ratio)


def test_adamw_gets_configured_betas_eps_and_head_learning_rate(tiny_tokenizer, tmp_path):
    model = build_tiny_model(tiny_tokenizer)
    freeze_encoder(model, embeddings=True)
    trainer = make_trainer(model, tmp_path, optim="adamw_torch", adam_beta1=0.8, adam_beta2=0.95, adam_epsilon=1e-6)
    opt = trainer.create_optimizer()
    assert type(opt) is torch.optim.AdamW
    assert trainer.create_optimizer() is opt  # built once
    groups = by_param(opt)
    decay = set(trainer.get_decay_parameter_names(model))
    for name, p in model.named_parameters():
        if not p.requires_grad:
            assert id(p) not in groups, name  # frozen weights get no optimizer state
            continue
        g = groups[id(p)]
        assert g["betas"] == (0.8, 0.95) and g["eps"] == 1e-6
        assert g["lr"] == (1e-4 if name.startswith("encoder.") else 1e-2), name
        assert g["weight_decay"] == (0.1 if name in decay else 0.0), name
    assert sum(len(g["params"]) for g in opt.param_groups) == sum(p.requires_grad for p in model.parameters())


def test_other_optim_names_are_honoured(tiny_tokenizer, tmp_path):
    model = build_tiny_model(tiny_tokenizer)
    opt = make_trainer(model, tmp_path, optim="sgd").create_optimizer()
    assert type(opt) is torch.optim.SGD
    lrs = {g["lr"] for g in opt.param_groups}
    assert lrs == {1e-4, 1e-2}


def test_config_carries_the_optimizer_settings():
    cfg = load_config(REPO / "configs" / "quickstart.yaml",
                      ["training.optim=adafactor", "training.adam_beta2=0.98", "training.adam_epsilon=1e-7"])
    t = cfg.training
    assert (t.optim, t.adam_beta1, t.adam_beta2, t.adam_epsilon) == ("adafactor", 0.9, 0.98, 1e-7)
