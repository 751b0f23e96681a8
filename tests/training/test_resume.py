"""`incidex train --resume`: a run interrupted after an epoch continues to the weights of an uninterrupted run."""

from pathlib import Path

import pytest
from incidex.training.cli import main
from incidex.training.trainer import IncidexTrainer

from tests.conftest import SAMPLE_DEV, SAMPLE_TRAIN


def _config(path: Path, encoder: Path, epochs: int = 3, extra: str = "") -> Path:
    path.write_text(
        f"seed: 3\n"
        f"data: {{train: [{SAMPLE_TRAIN}], dev: [{SAMPLE_DEV}]}}\n"
        f"model: {{encoder: {encoder}, window_length: 64, window_stride: 16}}\n"
        f"training: {{epochs: {epochs}, batch_size: 16, learning_rate: 1.0e-3, report_to: [], early_stopping_patience: 0,"
        f" precision: fp32{extra}}}\n"
    )
    return path


class Crash(RuntimeError):
    pass


def test_an_interrupted_run_resumes_to_the_same_weights(tiny_encoder_dir, tmp_path, monkeypatch, capsys):
    from safetensors.torch import load_file

    cfg = _config(tmp_path / "c.yaml", tiny_encoder_dir)
    assert main(["train", "--config", str(cfg), "--output-dir", str(tmp_path / "whole")]) == 0

    saves = []
    real_save = IncidexTrainer._save_checkpoint

    def save_then_crash(self, *args, **kwargs):  # the process dies right after the first epoch's checkpoint
        real_save(self, *args, **kwargs)
        saves.append(self.state.global_step)
        if len(saves) == 1:
            raise Crash("power cut")

    monkeypatch.setattr(IncidexTrainer, "_save_checkpoint", save_then_crash)
    out = tmp_path / "cut"
    with pytest.raises(Crash):
        main(["train", "--config", str(cfg), "--output-dir", str(out), "--debug"])
    assert not (out / "model.safetensors").exists() and list((out / "checkpoints").glob("checkpoint-*"))

    # the same command without --resume refuses to overwrite the interrupted run
    assert main(["train", "--config", str(cfg), "--output-dir", str(out)]) == 2
    assert "--resume" in capsys.readouterr().err
    # --resume with another setting is refused, naming it
    assert main(["train", "--config", str(cfg), "--output-dir", str(out), "--resume",
                 "--set", "training.learning_rate=0.01"]) == 2
    assert "training.learning_rate: 0.001 -> 0.01" in capsys.readouterr().err

    # a newer save the crash cut short (no trainer state): transformers' own "last checkpoint" would take it
    (out / "checkpoints" / "checkpoint-99999").mkdir()
    (out / "checkpoints" / "checkpoint-99999" / "model.safetensors").write_bytes(b"cut short")
    assert main(["train", "--config", str(cfg), "--output-dir", str(out), "--resume"]) == 0
    assert len(saves) == 3  # epochs 2 and 3 trained after the resume, epoch 1 not again
    whole, resumed = load_file(str(tmp_path / "whole" / "model.safetensors")), load_file(str(out / "model.safetensors"))
    assert whole.keys() == resumed.keys()
    assert all((whole[k] == resumed[k]).all() for k in whole)
    assert not (out / "checkpoints").exists()
    assert main(["train", "--config", str(cfg), "--output-dir", str(out), "--resume"]) == 2
    assert "has finished" in capsys.readouterr().err


def test_resume_without_a_checkpoint_is_a_clear_error(tiny_encoder_dir, tmp_path, capsys):
    cfg = _config(tmp_path / "c.yaml", tiny_encoder_dir, epochs=1)
    assert main(["train", "--config", str(cfg), "--output-dir", str(tmp_path / "o"), "--resume"]) == 2
    assert "no checkpoint in" in capsys.readouterr().err


def test_keep_checkpoints_keeps_every_epoch(tiny_encoder_dir, tmp_path):
    # without it no checkpoint outlives the run; with it one per epoch (it kept only the best before), to choose among
    cfg = _config(tmp_path / "c.yaml", tiny_encoder_dir, extra=", keep_checkpoints: true")
    out = tmp_path / "kept"
    assert main(["train", "--config", str(cfg), "--output-dir", str(out)]) == 0
    kept = sorted((out / "checkpoints").glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1]))
    assert len(kept) == 3 and all((p / "model.safetensors").is_file() and (p / "config.json").is_file() for p in kept)
