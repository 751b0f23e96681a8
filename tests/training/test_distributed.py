"""Data-parallel training: ``torchrun --nproc_per_node 2`` (gloo, CPU) on a tiny encoder gives a model
directory that loads and predicts.

Half of the documents miss one task's labels (no ``attack_types`` or no ``spans``) and each rank gets one
document per step, so some steps leave a head without a loss on one rank while the other uses it: DDP must
not hang or fail on those parameters. Dev evaluation, best-model reload and saving run under DDP too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO, SAMPLE_TRAIN, make_tokenizer, tiny_encoder_config

torch = pytest.importorskip("torch")
if not torch.distributed.is_available():
    pytest.skip("torch.distributed is not available", allow_module_level=True)


def _corpus(tmp_path):
    docs = [json.loads(line) for line in SAMPLE_TRAIN.read_text(encoding="utf-8").splitlines()[:18]]
    for i, d in enumerate(docs):
        if i % 3 == 0:
            d.pop("attack_types", None)
        elif i % 3 == 1:
            d.pop("spans", None)
    dev = [d for i, d in enumerate(docs) if i % 3 == 2][:3]  # fully labelled, labels all seen in train
    (tmp_path / "train.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    (tmp_path / "dev.jsonl").write_text("".join(json.dumps(d) + "\n" for d in dev), encoding="utf-8")


def _encoder_and_corpus(tmp_path):
    """A tiny random BERT encoder saved under ``tmp_path / "encoder"`` (returned) and the corpus of ``_corpus``."""
    from transformers import BertModel

    encoder = tmp_path / "encoder"
    tok = make_tokenizer(encoder)
    torch.manual_seed(0)
    BertModel(tiny_encoder_config(len(tok)), add_pooling_layer=False).save_pretrained(encoder)
    _corpus(tmp_path)
    return encoder


def test_torchrun_two_cpu_processes_train_a_model_that_predicts(tmp_path):
    encoder = _encoder_and_corpus(tmp_path)
    config = tmp_path / "config.yaml"
    config.write_text(
        "seed: 3\n"
        f"data: {{format: jsonl, train: ['{tmp_path / 'train.jsonl'}'], dev: ['{tmp_path / 'dev.jsonl'}']}}\n"
        f"model: {{encoder: '{encoder}', window_length: 64, window_stride: 16}}\n"
        "training: {max_steps: 6, batch_size: 1, eval_batch_size: 16, logging_steps: 2, report_to: [],\n"
        "           precision: fp32, early_stopping_patience: 0}\n",
        encoding="utf-8",
    )
    out = tmp_path / "run"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "CUDA_VISIBLE_DEVICES": "", "TOKENIZERS_PARALLELISM": "false",
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_VERBOSITY": "info"}
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
           "-m", "incidex", "train", "--config", str(config), "--output-dir", str(out)]
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    log = proc.stdout + proc.stderr
    assert "Total train batch size (w. parallel, distributed & accumulation) = 2" in log  # 2 ranks x 1 doc

    from incidex.model import Predictor

    assert (out / "model.safetensors").exists() and not (out / "checkpoints").exists()
    predictor = Predictor(out, device="cpu")
    info = predictor.config.training_info
    assert info["train_steps"] == 6
    assert predictor.config.attack_types and predictor.config.span_labels
    assert json.loads((out / "dev_metrics.json").read_text())  # dev evaluated under DDP, saved by rank 0
    rec = predictor.predict("Gunmen killed two police officers in the market on Monday.")
    assert set(rec) == {"attack_types", "scores", "spans", "casualties", "actors", "entities", "windows"}
    assert set(rec["scores"]) == set(predictor.config.attack_types)


def test_torchrun_run_resumed_after_its_first_epoch_saves_the_same_weights(tmp_path):
    """A DDP run whose process group died after epoch 1 (its epoch-1 checkpoint on disk) goes on with ``--resume``
    to the weights of the run that was never interrupted."""
    import shutil

    encoder = _encoder_and_corpus(tmp_path)
    config = tmp_path / "config.yaml"
    config.write_text(  # average_last 2 keeps both epochs' checkpoints; keep_checkpoints leaves them after the run
        "seed: 3\n"
        f"data: {{format: jsonl, train: ['{tmp_path / 'train.jsonl'}'], dev: ['{tmp_path / 'dev.jsonl'}']}}\n"
        f"model: {{encoder: '{encoder}', window_length: 64, window_stride: 16}}\n"
        "training: {epochs: 2, batch_size: 3, eval_batch_size: 16, report_to: [], precision: fp32,\n"
        "           early_stopping_patience: 0, average_last: 2, keep_checkpoints: true}\n",
        encoding="utf-8",
    )
    env = {**os.environ, "OMP_NUM_THREADS": "1", "CUDA_VISIBLE_DEVICES": "", "TOKENIZERS_PARALLELISM": "false",
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_VERBOSITY": "info"}

    def torchrun(out, *extra) -> str:
        cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
               "-m", "incidex", "train", "--config", str(config), "--output-dir", str(out), *extra]
        proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
        return proc.stdout + proc.stderr

    whole = tmp_path / "whole"
    torchrun(whole)
    saved = sorted((whole / "checkpoints").glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1]))
    assert len(saved) == 2
    cut = tmp_path / "cut"  # the state a crash in epoch 2 leaves: epoch 1's checkpoint, no model
    (cut / "checkpoints").mkdir(parents=True)
    shutil.copytree(saved[0], cut / "checkpoints" / saved[0].name)
    shutil.copy(whole / "checkpoints" / "run_config.yaml", cut / "checkpoints")
    log = torchrun(cut, "--resume")
    assert f"Resuming training from checkpoint with epoch 1 and global step {saved[0].name.split('-')[1]}" in log
    assert (cut / "model.safetensors").read_bytes() == (whole / "model.safetensors").read_bytes()
    assert json.loads((cut / "config.json").read_text())["span_thresholds"] == \
        json.loads((whole / "config.json").read_text())["span_thresholds"]
