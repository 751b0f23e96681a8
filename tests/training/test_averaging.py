"""Checkpoint averaging (training/averaging.py): the mean of the weights, which checkpoints, and the choice."""

import json

import pytest
import torch
from incidex.training import averaging
from incidex.training.averaging import last_checkpoints, mean_state_dict
from incidex.training.cli import main
from incidex.training.config import ConfigError, load_config
from safetensors.torch import load_file, save_file

from tests.conftest import SAMPLE_DEV, SAMPLE_TRAIN, run_doctests


def _save(path, **tensors):
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(path))
    return path


def test_mean_of_float_tensors_other_tensors_from_the_first(tmp_path):
    a = _save(tmp_path / "a.safetensors", w=torch.tensor([[1.0, -2.0]]), ids=torch.tensor([0, 1]),
              h=torch.tensor([1.0], dtype=torch.bfloat16))
    b = _save(tmp_path / "b.safetensors", w=torch.tensor([[2.0, 4.0]]), ids=torch.tensor([5, 6]),
              h=torch.tensor([2.0], dtype=torch.bfloat16))
    c = _save(tmp_path / "c.safetensors", w=torch.tensor([[6.0, 1.0]]), ids=torch.tensor([7, 8]),
              h=torch.tensor([4.5], dtype=torch.bfloat16))
    mean = mean_state_dict([a, b, c])
    assert mean["w"].tolist() == [[3.0, 1.0]]
    assert mean["ids"].tolist() == [0, 1]  # integers are not averaged
    assert mean["h"].dtype == torch.bfloat16 and mean["h"].item() == 2.5


def test_checkpoints_that_do_not_fit_are_named(tmp_path):
    a = _save(tmp_path / "a.safetensors", w=torch.zeros(2))
    b = _save(tmp_path / "b.safetensors", w=torch.zeros(3))
    c = _save(tmp_path / "c.safetensors", v=torch.zeros(2))
    with pytest.raises(ValueError, match=r"b\.safetensors.*'w' has shape \(3,\)"):
        mean_state_dict([a, b])
    with pytest.raises(ValueError, match=r"c\.safetensors.*other tensors"):
        mean_state_dict([a, c])
    with pytest.raises(ValueError, match="no checkpoint"):
        mean_state_dict([])


def test_last_checkpoints_go_by_step_number(tmp_path):
    for step in (9, 10, 100, 27):
        _save(tmp_path / f"checkpoint-{step}" / "model.safetensors", w=torch.zeros(1))
    (tmp_path / "checkpoint-500").mkdir()  # no weights (a save cut short): not a checkpoint to average
    assert [p.name for p in last_checkpoints(tmp_path, 3)] == ["checkpoint-10", "checkpoint-27", "checkpoint-100"]


class _Trainer:
    """What try_average uses of a transformers Trainer: the model, the state's best checkpoint, evaluate()."""

    def __init__(self, model, best_dir, best_metric, average_metric):
        self.model = model
        self.state = type("State", (), {"best_metric": best_metric, "best_model_checkpoint": str(best_dir)})()
        self._value = average_metric

    def evaluate(self):
        return {"eval_score": self._value}


@pytest.mark.parametrize("average_metric, kept", [(0.6, "average"), (0.5, "average"), (0.4, "best")])
def test_the_mean_is_kept_only_when_it_scores_at_least_the_best(tmp_path, average_metric, kept):
    for step, w in ((10, 1.0), (20, 3.0), (30, 8.0)):  # epoch 1 is the best; the mean of the last two is 5.5
        _save(tmp_path / f"checkpoint-{step}" / "model.safetensors", **{"weight": torch.full((1, 1), w),
                                                                        "bias": torch.zeros(1)})
    model = torch.nn.Linear(1, 1)
    model.load_state_dict({"weight": torch.ones(1, 1), "bias": torch.zeros(1)})  # the best, as train() leaves it
    info = averaging.try_average(_Trainer(model, tmp_path / "checkpoint-10", 0.5, average_metric), tmp_path, 2, "score")
    assert info == {"checkpoints": ["checkpoint-20", "checkpoint-30"], "metric": "score", "best_checkpoint": 0.5,
                    "average": average_metric, "kept": kept}
    assert model.weight.item() == (5.5 if kept == "average" else 1.0)


@pytest.mark.parametrize("n", [-1, 1])
def test_average_last_is_off_or_at_least_two(n):
    with pytest.raises(ConfigError, match="training.average_last"):
        load_config(None, [f"data.train={SAMPLE_TRAIN}", f"training.average_last={n}"])


def _config(tmp_path, encoder, dev: bool, extra: str = "") -> str:
    cfg = tmp_path / "config.yaml"
    cfg.write_text(
        f"seed: 3\n"
        f"data: {{train: [{SAMPLE_TRAIN}]{', dev: [' + str(SAMPLE_DEV) + ']' if dev else ''}}}\n"
        f"model: {{encoder: {encoder}, window_length: 128, window_stride: 32}}\n"
        f"training: {{epochs: 3, batch_size: 16, learning_rate: 1.0e-3, report_to: [], early_stopping_patience: 0,"
        f" average_last: 2{extra}}}\n"
    )
    return str(cfg)


def test_training_keeps_the_mean_of_the_last_checkpoints_only_when_dev_says_so(tiny_encoder_dir, tmp_path):
    out = tmp_path / "model"
    cfg = _config(tmp_path, tiny_encoder_dir, dev=True, extra=", keep_checkpoints: true")
    assert main(["train", "--config", cfg, "--output-dir", str(out)]) == 0
    info = json.loads((out / "config.json").read_text())["training_info"]["checkpoint_averaging"]
    steps = sorted((p for p in (out / "checkpoints").glob("checkpoint-*")), key=lambda p: int(p.name.split("-")[1]))
    assert info["checkpoints"] == [p.name for p in steps[-2:]]  # epochs 2 and 3 of 3
    assert info["metric"] == "score" and info["average"] is not None
    assert info["kept"] == ("average" if info["average"] >= info["best_checkpoint"] else "best")
    saved = load_file(str(out / "model.safetensors"))
    if info["kept"] == "average":
        expected = mean_state_dict([p / "model.safetensors" for p in steps[-2:]])
    else:
        best = json.loads((steps[-1] / "trainer_state.json").read_text())["best_model_checkpoint"]
        expected = load_file(str(out / "checkpoints" / best.split("/")[-1] / "model.safetensors"))
    weights = [k for k, v in saved.items() if v.is_floating_point()]
    assert weights and all(torch.equal(saved[k], expected[k]) for k in weights)
    dev = json.loads((out / "config.json").read_text())["training_info"]["dev_metrics"]
    kept_value = info["average"] if info["kept"] == "average" else info["best_checkpoint"]
    assert dev["score_at_0.5"] == pytest.approx(kept_value)  # the headline figures are the kept model's
    # one checkpoint kept: it is named; the mean kept: no single checkpoint is, the card names the averaged ones
    training_info = json.loads((out / "config.json").read_text())["training_info"]
    assert ("kept_checkpoint" in training_info) == (info["kept"] == "best")
    card = (out / "README.md").read_text()
    assert ("- kept: the mean of " + ", ".join(info["checkpoints"])) in card if info["kept"] == "average" else \
        f"(step {training_info['kept_checkpoint']['step']})" in card


def test_average_last_without_dev_is_refused_before_training(tiny_encoder_dir, tmp_path, capsys):
    out = tmp_path / "model"
    assert main(["train", "--config", _config(tmp_path, tiny_encoder_dir, dev=False), "--output-dir", str(out)]) != 0
    assert "training.average_last needs a dev set" in capsys.readouterr().err
    assert not (out / "model.safetensors").exists()


def test_doctests():
    run_doctests(averaging)
