"""train -> save -> load -> predict -> evaluate -> CLI, on a tiny random encoder and the sample corpus."""

import json
from pathlib import Path

import pytest
from incidex.training.cli import main

from tests.conftest import REPO, SAMPLE_DEV, SAMPLE_TRAIN


@pytest.fixture(scope="module")
def trained(tiny_encoder_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("run")
    cfg = out / "config.yaml"
    cfg.write_text(
        f"seed: 1\n"
        f"data: {{train: [{SAMPLE_TRAIN}], dev: [{SAMPLE_DEV}]}}\n"
        f"model: {{encoder: {tiny_encoder_dir}, window_length: 128, window_stride: 32, actors_need_attack_type: true}}\n"
        f"training: {{epochs: 2, batch_size: 16, learning_rate: 1.0e-3, report_to: [tensorboard], logging_steps: 2,"
        f" early_stopping_patience: 2}}\n"
    )
    assert main(["train", "--config", str(cfg), "--output-dir", str(out / "model")]) == 0
    return out / "model"


def test_trained_directory_is_complete_and_reproducible(trained):
    names = {p.name for p in trained.iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json", "README.md", "training_config.yaml",
            "dev_metrics.json"} <= names
    assert not (trained / "checkpoints").exists()
    assert list((trained / "logs").glob("events.out.tfevents.*")), "TensorBoard logs are kept"
    config = json.loads((trained / "config.json").read_text())
    assert config["attack_types"] == sorted(config["attack_types"]) and "bombing" in config["attack_types"]
    assert "B-KILLED" in config["tag_label2id"]
    assert config["actors_need_attack_type"] is True  # a prediction setting of the training config's model section
    info = config["training_info"]
    assert info["seed"] == 1 and "torch" in info["versions"] and info["config"]["training"]["epochs"] == 2
    # which evaluation was kept: one of the two epochs' checkpoints, scored on the training metric
    kept = info["kept_checkpoint"]
    assert kept["epoch"] in (1.0, 2.0) and kept["metric"] == "score" and kept["step"] > 0
    assert kept["value"] == pytest.approx(info["dev_metrics"]["score_at_0.5"])
    # the headline dev numbers in the config are those of dev_metrics.json (same evaluation, tuned thresholds)
    saved = json.loads((trained / "dev_metrics.json").read_text())
    flat = info["dev_metrics"]
    assert flat["type_macro_f1"] == saved["attack_type"]["macro_f1"]
    assert flat["span_f1"] == saved["spans"]["strict"]["micro_f1"]
    assert flat["score"] == pytest.approx((flat["type_macro_f1"] + flat["span_f1"]) / 2)
    assert config["type_thresholds"] != [0.5] * len(config["attack_types"])  # tuned on dev, not the default
    card = (trained / "README.md").read_text()
    assert "## Labels" in card and f"- kept: epoch {kept['epoch']:g}" in card
    assert "from incidex import Predictor, EventExtractor" in card  # the namespace users import, not the old `model`


def test_load_predict_evaluate(trained, tmp_path):
    from incidex.model import EventExtractor, Predictor
    from incidex.training.evaluate import evaluate_model

    model = EventExtractor.from_pretrained(trained)
    assert model.config.window_length == 128
    texts = [json.loads(line)["text"] for line in SAMPLE_DEV.read_text().splitlines()]
    recs = Predictor(trained).predict(texts)
    assert len(recs) == len(texts)
    for text, rec in zip(texts, recs):
        for span in rec["spans"]:
            assert text[span["start"]:span["end"]] == span["text"]
    result = evaluate_model(trained, SAMPLE_DEV, tmp_path / "report", train_data=str(SAMPLE_TRAIN))
    files = {Path(p).name for p in result["files"].values()}
    assert {"metrics.json", "report.md", "errors.html"} <= files
    metrics = json.loads((tmp_path / "report" / "metrics.json").read_text())
    assert {"attack_type", "spans", "casualties"} <= set(metrics)
    assert "tf-idf" in (tmp_path / "report" / "report.md").read_text().lower()


def test_cli_predict_validate_evaluate(trained, tmp_path):
    out = tmp_path / "preds.jsonl"
    assert main(["predict", "--model", str(trained), "--input", str(REPO / "examples"), "--output", str(out),
                 "--quiet"]) == 0
    recs = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in recs] == ["01_bombing", "02_kidnapping", "03_long_feature"]
    assert recs[2]["windows"] > 1  # the long feature exceeds one window
    assert main(["validate", str(SAMPLE_TRAIN), str(SAMPLE_DEV)]) == 0
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": ""}\n')
    assert main(["validate", str(bad)]) == 1
    assert main(["evaluate", "--model", str(trained), "--data", str(SAMPLE_DEV), "--output", str(tmp_path / "r")]) == 0


def test_fine_tuning_with_other_labels_is_a_clear_error(trained, tmp_path, capsys):
    data = tmp_path / "other.jsonl"
    data.write_text(json.dumps({"id": "1", "text": "A drone struck a convoy.", "attack_types": ["drone strike"]}) + "\n")
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"data: {{train: [{data}]}}\nmodel: {{init_from: {trained}}}\ntraining: {{report_to: []}}\n")
    assert main(["train", "--config", str(cfg), "--output-dir", str(tmp_path / "o")]) == 2
    assert "'drone strike'" in capsys.readouterr().err


def test_grit_metric_on_a_run_without_muc4_dev_is_an_error_before_training(tiny_encoder_dir, tmp_path, capsys):
    cfg = tmp_path / "config.yaml"
    cfg.write_text(
        f"data: {{train: [{SAMPLE_TRAIN}], dev: [{SAMPLE_DEV}]}}\n"
        f"model: {{encoder: {tiny_encoder_dir}, window_length: 128, window_stride: 32}}\n"
        f"training: {{epochs: 1, metric: grit_micro_f1}}\n"
    )
    assert main(["train", "--config", str(cfg), "--output-dir", str(tmp_path / "model")]) != 0
    err = capsys.readouterr().err
    assert "grit_micro_f1" in err and "processed_grit/dev.json" in err  # said before training, not after an epoch
    assert not (tmp_path / "model" / "model.safetensors").exists()
