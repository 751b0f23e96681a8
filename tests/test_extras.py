"""Optional extras: a missing one stops with one line naming its pip command; pyproject lists what is imported."""

from __future__ import annotations

import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from incidex.model import extras
from incidex.model.extras import ONNX_MODULES, TRAIN_MODULES, MissingExtraError, require
from incidex.training.cli import main

from tests.conftest import run_doctests

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def requirement_names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\[<>=! ;]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}


def test_doctests():
    run_doctests(extras)


def test_require_names_the_extra_and_feature():
    require("json", "csv", extra="train", feature="x")  # present: no error
    with pytest.raises(MissingExtraError) as info:
        require("json", "surely_not_installed_mod", extra="ray", feature="incidex predict --engine ray")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("incidex predict --engine ray needs surely_not_installed_mod")
    assert message.endswith('pip install "incidex[ray]"')
    assert isinstance(info.value, ImportError)
    with pytest.raises(ValueError, match="unknown extra"):
        require("json", extra="nope", feature="x")


@pytest.mark.parametrize(("argv", "blocked", "extra"), [
    (["export", "--model", "m", "--output", "o"], "onnx", "onnx"),
    (["export", "--model", "m", "--output", "o"], "onnxruntime", "onnx"),
    (["train", "--config", "configs/quickstart.yaml", "--output-dir", "o"], "accelerate", "train"),
    (["evaluate", "--model", "m", "--data", "d", "--output", "o"], "matplotlib", "train"),
])
def test_cli_prints_one_line_with_the_pip_command(argv, blocked, extra, monkeypatch, capsys, tmp_path):
    monkeypatch.setitem(sys.modules, blocked, None)  # `import blocked` now raises ImportError
    monkeypatch.chdir(REPO)
    assert main([*argv[:-1], str(tmp_path / argv[-1])]) == 2
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    assert err.startswith(f"incidex {argv[0]}: error: ")
    assert blocked in err and err.endswith(f'pip install "incidex[{extra}]"')
    assert not (tmp_path / argv[-1]).exists()


def test_library_entry_points_check_their_extra(monkeypatch, tmp_path):
    from incidex.eval.baselines import tfidf_logreg_baseline
    from incidex.model.export import export_onnx

    monkeypatch.setitem(sys.modules, "onnx", None)
    with pytest.raises(MissingExtraError, match=r'incidex\[onnx\]'):
        export_onnx(tmp_path, tmp_path / "out")
    monkeypatch.setitem(sys.modules, "sklearn", None)
    with pytest.raises(MissingExtraError, match=r'incidex\[train\]'):
        tfidf_logreg_baseline([{"text": "a", "attack_types": ["x"]}], [{"text": "b", "attack_types": []}], ["x"])


@pytest.mark.parametrize(("modules", "extra"), [(TRAIN_MODULES, "train"), (ONNX_MODULES, "onnx")])
def test_required_modules_are_in_their_extra(modules, extra):
    """Each module a feature requires comes from a distribution its pyproject extra lists."""
    listed = requirement_names(PYPROJECT["optional-dependencies"][extra])
    dists = packages_distributions()
    for module in modules:
        names = {d.lower().replace("_", "-") for d in dists.get(module, [])}
        assert names & listed, f"{module} ({names}) is not in [{extra}]: {sorted(listed)}"


def test_dev_pulls_every_feature_extra_and_core_stays_small():
    dev = PYPROJECT["optional-dependencies"]["dev"]
    self_ref = [r for r in dev if r.startswith("incidex[")]
    assert self_ref and set(self_ref[0][len("incidex["):-1].split(",")) == set(extras.EXTRAS)
    core = requirement_names(PYPROJECT["dependencies"])
    assert {"torch", "transformers"} <= core
    heavy = set().union(*(requirement_names(PYPROJECT["optional-dependencies"][e]) for e in extras.EXTRAS))
    assert not core & heavy, core & heavy
