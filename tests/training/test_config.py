from pathlib import Path

import pytest
from incidex.training.config import ConfigError, dump_config, load_config

REPO = Path(__file__).resolve().parents[2]


def write(tmp_path, text):
    p = tmp_path / "c.yaml"
    p.write_text(text)
    return p


def test_shipped_configs_load():
    for name in ("quickstart.yaml", "muc4.yaml"):
        cfg = load_config(REPO / "configs" / name)
        assert cfg.training.learning_rate > 0
    assert load_config(REPO / "configs" / "muc4.yaml").data.format == "muc4"


def test_unknown_key_is_named(tmp_path):
    p = write(tmp_path, "data: {train: [a.jsonl]}\ntraining: {epocs: 3}\n")
    with pytest.raises(ConfigError, match="training.epocs"):
        load_config(p)


def test_numbers_must_be_numbers(tmp_path):
    p = write(tmp_path, "data: {train: [a.jsonl]}\ntraining: {learning_rate: fast}\n")
    with pytest.raises(ConfigError, match="training.learning_rate: expected a number"):
        load_config(p)
    p = write(tmp_path, "data: {train: [a.jsonl]}\ntraining: {batch_size: 8.5}\n")
    with pytest.raises(ConfigError, match="batch_size: expected an integer"):
        load_config(p)
    # YAML 1.1 reads 5e-5 as a string: accepted as the number it spells
    p = write(tmp_path, "data: {train: [a.jsonl]}\ntraining: {learning_rate: 5e-5}\n")
    assert load_config(p).training.learning_rate == pytest.approx(5e-5)


def test_choices_and_overrides(tmp_path):
    p = write(tmp_path, "data: {train: a.jsonl}\n")
    cfg = load_config(p, ["training.epochs=2", "model.window_length=128", "seed=7"])
    assert (cfg.training.epochs, cfg.model.window_length, cfg.seed) == (2.0, 128, 7)
    assert cfg.data.train == ["a.jsonl"]
    with pytest.raises(ConfigError, match="training.precision"):
        load_config(p, ["training.precision=fp8"])
    with pytest.raises(ConfigError, match="unknown key 'model.windw'"):
        load_config(p, ["model.windw=3"])


def test_dump_round_trip(tmp_path):
    cfg = load_config(REPO / "configs" / "quickstart.yaml")
    dump_config(cfg, tmp_path / "out.yaml")
    assert load_config(tmp_path / "out.yaml") == cfg


def test_override_one_corpus_by_name_or_index():
    news = REPO / "configs" / "news.yaml"
    cfg = load_config(news, ["data.corpora.satp.weight=0.5", "data.corpora.0.weight=1.5"])
    weights = {c.name: c.weight for c in cfg.data.corpora}
    assert (weights["satp"], weights["muc4"], weights["m2e2"]) == (0.5, 1.5, 0.25)
    with pytest.raises(ConfigError, match="no element 'acled'.*muc4, wikievents"):
        load_config(news, ["data.corpora.acled.weight=2"])
    with pytest.raises(ConfigError, match="is a list"):
        load_config(news, ["data.corpora.weight=1"])
