"""Hugging Face Hub ids as models: resolution order, the download call, and a real offline cache lookup."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import huggingface_hub
import pytest
from incidex.model import Predictor
from incidex.model.hub import is_hub_id, resolve_model

REPO = Path(__file__).resolve().parents[2]
TEXTS = ["Gunmen killed two police officers at a market on Monday.", "Rebels set fire to a bus station."]


@pytest.mark.parametrize(("spelling", "expected"), [
    ("acme/incidex-tiny", True), ("acme/incidex-tiny@v1.0", True), ("Org_1/m.v2", True),
    ("runs", False), ("./runs/x", False), ("/abs/dir", False), ("a/b/c", False), ("../x", False),
    ("acme/..", False), ("acme/x@", False), ("", False),
])
def test_hub_id_spelling(spelling, expected):
    assert is_hub_id(spelling) is expected


def fail_download(**kwargs):
    raise AssertionError(f"snapshot_download must not be called here: {kwargs}")


def test_an_existing_directory_wins_over_a_hub_id(tmp_path, monkeypatch):
    (tmp_path / "acme" / "tiny").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", fail_download)
    assert resolve_model("acme/tiny") == Path("acme/tiny")
    assert resolve_model("not/here/at/all") == Path("not/here/at/all")  # not a Hub id: returned for the caller


def test_predictor_downloads_a_hub_id_with_its_revision(saved_tiny, monkeypatch):
    calls = []

    def fake_download(repo_id: str, revision: str | None = None, **kwargs):
        calls.append((repo_id, revision))
        return str(saved_tiny)

    monkeypatch.setattr(huggingface_hub, "snapshot_download", fake_download)
    from_hub = Predictor("acme/incidex-tiny@v2", device="cpu", precision="fp32").predict(TEXTS)
    assert calls == [("acme/incidex-tiny", "v2")]
    assert from_hub == Predictor(saved_tiny, device="cpu", precision="fp32").predict(TEXTS)


def test_download_errors_become_one_line(monkeypatch):
    def offline(**kwargs):
        raise OSError("We have no connection or you passed local_files_only\nsecond line")

    monkeypatch.setattr(huggingface_hub, "snapshot_download", offline)
    with pytest.raises(FileNotFoundError) as info:
        resolve_model("acme/missing")
    message = str(info.value)
    assert "\n" not in message and "'acme/missing'" in message and "OSError: We have no connection" in message


def fake_hub_cache(cache: Path, repo_id: str, model_dir: Path) -> None:
    """The layout huggingface_hub writes: models--ORG--NAME/{refs/main, snapshots/<commit>/<files>}."""
    commit = "0123456789abcdef0123456789abcdef01234567"
    root = cache / f"models--{repo_id.replace('/', '--')}"
    shutil.copytree(model_dir, root / "snapshots" / commit)
    (root / "refs").mkdir()
    (root / "refs" / "main").write_text(commit, encoding="utf-8")


def test_cli_predicts_from_the_offline_hub_cache(saved_tiny, tmp_path):
    fake_hub_cache(tmp_path / "hub", "acme/incidex-tiny", saved_tiny)
    inputs = tmp_path / "in.jsonl"
    inputs.write_text("".join(json.dumps({"id": f"d{i}", "text": t}) + "\n" for i, t in enumerate(TEXTS)),
                      encoding="utf-8")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_HUB_CACHE": str(tmp_path / "hub")}

    def run(model: str, out: Path) -> subprocess.CompletedProcess:
        cmd = [sys.executable, "-m", "incidex", "predict", "--model", model, "--input", str(inputs),
               "--output", str(out), "--quiet", "--device", "cpu", "--precision", "fp32"]
        return subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)

    hub, local = run("acme/incidex-tiny", tmp_path / "hub.jsonl"), run(str(saved_tiny), tmp_path / "local.jsonl")
    assert hub.returncode == 0 and local.returncode == 0, hub.stderr + local.stderr
    assert (tmp_path / "hub.jsonl").read_text() == (tmp_path / "local.jsonl").read_text()
    missing = run("acme/not-cached", tmp_path / "none.jsonl")
    assert missing.returncode == 2
    err = missing.stderr.strip().splitlines()
    assert len(err) == 1 and "acme/not-cached" in err[0] and "could not be fetched" in err[0], missing.stderr
