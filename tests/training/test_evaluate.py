import json
import shutil
from pathlib import Path

from incidex.eval.metrics import evaluate as evaluate_records
from incidex.model import Predictor
from incidex.training import evaluate as evaluate_mod
from incidex.training.config import dump_config, load_config
from incidex.training.data import load_splits

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "configs" / "quickstart.yaml"


def test_seeds_resume_without_retraining_finished_runs(saved_tiny, tmp_path, monkeypatch):
    trained = []

    def fake_train(cfg, run_dir):
        """Stand-in for training: the tiny model, scored on the sample dev set, saved like train() does."""
        trained.append(cfg.seed)
        shutil.copytree(saved_tiny, run_dir, dirs_exist_ok=True)
        _, dev = load_splits(cfg.data)
        records = Predictor(run_dir).predict([d["text"] for d in dev])
        metrics = evaluate_records(dev, records, ["armed_assault", "bombing", "kidnapping"])
        dump_config(cfg, Path(run_dir) / "training_config.yaml")
        (Path(run_dir) / "dev_metrics.json").write_text(json.dumps(metrics))
        return {"metrics": metrics}

    monkeypatch.setattr(evaluate_mod, "train", fake_train)
    monkeypatch.chdir(REPO)  # the config's data paths are relative to the repository
    first = evaluate_mod.evaluate_seeds(CONFIG, 2, tmp_path / "seeds")
    assert trained == [42, 43]
    assert (tmp_path / "seeds" / "seeds.json").is_file() and (tmp_path / "seeds" / "report.md").is_file()

    shutil.rmtree(tmp_path / "seeds" / "seed43")  # as if the run had crashed during seed 43
    trained.clear()
    second = evaluate_mod.evaluate_seeds(CONFIG, 2, tmp_path / "seeds")
    assert trained == [43]  # seed 42 finished with the same config: reused, not retrained
    assert second["headline"] == first["headline"]

    trained.clear()
    evaluate_mod.evaluate_seeds(CONFIG, 1, tmp_path / "seeds", overrides=["training.epochs=3"])
    assert trained == [42]  # another config: trained again


def test_finished_run_needs_the_same_config(tmp_path):
    cfg = load_config(CONFIG)
    run = tmp_path / "seed42"
    run.mkdir()
    dump_config(cfg, run / "training_config.yaml")
    (run / "config.json").write_text("{}")
    assert not evaluate_mod._finished_run(run, cfg)  # no dev_metrics.json: the run did not finish
    (run / "dev_metrics.json").write_text("{}")
    assert evaluate_mod._finished_run(run, cfg)
    assert not evaluate_mod._finished_run(run, load_config(CONFIG, ["seed=7"]))
