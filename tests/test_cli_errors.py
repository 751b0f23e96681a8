"""Every user error of `incidex predict` / `validate` is one line, non-zero exit, no traceback (issue 14),
and nothing the user had is destroyed by a failing run."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from incidex.training.cli import main

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture()
def setup(tmp_path, saved_tiny):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "A bomb killed two."}) + "\n")
    out = tmp_path / "preds.jsonl"
    out.write_text("precious earlier predictions\n")
    return saved_tiny, src, out


def run(capsys, *argv):
    code = main([*map(str, argv)])
    err = capsys.readouterr().err.strip().splitlines()
    return code, err[-1] if err else ""


@pytest.mark.parametrize("extra, message", [
    (["--batch-size", "0"], "--batch-size must be >= 1, got 0"),
    (["--batch-size", "-1"], "--batch-size must be >= 1, got -1"),
    (["--concurrency", "0", "--engine", "ray"], "--concurrency must be >= 1, got 0"),
    (["--device", "gpu"], "--device gpu: use auto, cpu, cuda or cuda:N"),
])
def test_bad_options_one_line_and_output_kept(capsys, setup, extra, message):
    model, src, out = setup
    code, line = run(capsys, "predict", "--model", model, "--input", src, "--output", out, *extra)
    assert code == 2 and line == f"incidex predict: error: {message}"
    assert out.read_text() == "precious earlier predictions\n"


def test_cuda_without_gpu(capsys, setup):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    model, src, out = setup
    code, line = run(capsys, "predict", "--model", model, "--input", src, "--output", out, "--device", "cuda")
    assert code == 2 and "no CUDA GPU is visible" in line and "--device cpu" in line


def test_mistyped_input_and_output_equal_to_input(capsys, setup):
    model, src, out = setup
    code, line = run(capsys, "predict", "--model", model, "--input", src.with_name("typo.jsonl"), "--output", out)
    assert code == 2 and line.endswith(f"input not found: {src.with_name('typo.jsonl')}")
    assert out.read_text() == "precious earlier predictions\n"
    before = src.read_bytes()
    code, line = run(capsys, "predict", "--model", model, "--input", src, "--output", src)
    assert code == 2 and "is also an input" in line and src.read_bytes() == before


@pytest.mark.parametrize("damage, message", [
    ("config_missing", "config.json is missing"),
    ("config_empty", "is not valid JSON"),
    ("config_bad", "is not valid JSON"),
    ("weights_truncated", "is truncated"),
    ("weights_missing", "no weights in"),
])
def test_broken_model_directory(capsys, setup, tmp_path, damage, message):
    model, src, out = setup
    broken = tmp_path / "model"
    shutil.copytree(model, broken)
    cfg, weights = broken / "config.json", broken / "model.safetensors"
    if damage == "config_missing":
        cfg.unlink()
    elif damage == "config_empty":
        cfg.write_text("")
    elif damage == "config_bad":
        cfg.write_text('{"tags": [')
    elif damage == "weights_truncated":
        weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 2])
    else:
        weights.unlink()
    code, line = run(capsys, "predict", "--model", broken, "--input", src, "--output", out)
    assert code == 2 and message in line and "Traceback" not in line
    assert out.read_text() == "precious earlier predictions\n"


def test_missing_extras_name_the_pip_command(capsys, setup, monkeypatch):
    model, src, out = setup
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray -> ImportError, as when it is not installed
    code, line = run(capsys, "predict", "--model", model, "--input", src, "--output", out, "--engine", "ray")
    assert code == 2 and line.endswith('pip install "incidex[ray]"')
    onnx_dir = Path(str(model) + "-onnx-copy")
    shutil.copytree(model, onnx_dir, dirs_exist_ok=True)
    (onnx_dir / "model.onnx").write_bytes(b"\x08\x07")
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    code, line = run(capsys, "predict", "--model", onnx_dir, "--input", src, "--output", out)
    shutil.rmtree(onnx_dir)
    assert code == 2 and line.endswith('pip install "incidex[onnx]"')


def test_unexpected_error_is_one_line_unless_debug(capsys, setup, monkeypatch):
    from incidex.model import batch

    model, src, out = setup

    def boom(*a, **k):
        raise RuntimeError("something deep\nwith more lines")

    monkeypatch.setattr(batch, "predict_files", boom)
    code, line = run(capsys, "predict", "--model", model, "--input", src, "--output", out)
    assert code == 1 and line == ("incidex predict: error: RuntimeError: something deep "
                                  "(add --debug for the traceback)")
    with pytest.raises(RuntimeError):
        main(["--debug", "predict", "--model", str(model), "--input", str(src), "--output", str(out)])
    with pytest.raises(RuntimeError):
        main(["predict", "--model", str(model), "--input", str(src), "--output", str(out), "--debug"])


def test_predict_dict_is_a_clear_type_error(saved_tiny):
    from incidex.model import Predictor

    with pytest.raises(TypeError, match=r"not a dict: pass record\['text'\]"):
        Predictor(saved_tiny).predict({"text": "A bomb killed two."})


def test_validate_with_surrogates_and_a_closed_pipe(tmp_path):
    corpus = tmp_path / "c.jsonl"
    lines = ['{"id": "s1", "text": "bad \\ud800"}', '{"id": "\\udc00x", "text": "x", "spans": 3}']
    corpus.write_text("\n".join(lines * 2000) + "\n")
    res = subprocess.run(f"{sys.executable} -m incidex validate {corpus} | head -n 2", shell=True, cwd=REPO,
                         capture_output=True, text=True, timeout=300)
    assert len(res.stdout.splitlines()) == 2 and "lone surrogate" in res.stdout
    assert "Traceback" not in res.stderr and "BrokenPipe" not in res.stderr


def test_evaluate_on_an_empty_file_is_an_error(capsys, saved_tiny, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    code, line = run(capsys, "evaluate", "--model", saved_tiny, "--data", empty, "--output", tmp_path / "r")
    assert code == 2 and "no documents to evaluate on" in line
