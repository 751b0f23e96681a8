"""Start-up stays light: the pure modules, `incidex --help`, `validate` and `convert` import no torch.

Each check runs in a fresh interpreter (this test process has long imported torch through other tests).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "transformers")

REPORT = "import json, sys; print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))"


def heavy_modules_after(code: str) -> list[str]:
    """Run ``code`` in a fresh interpreter; return which of torch/transformers it left in ``sys.modules``."""
    script = f"{code}\n{REPORT.format(heavy=HEAVY)}"
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("module", [
    "incidex", "incidex.model", "incidex.model.casualties", "incidex.model.decoding", "incidex.model.windows",
    "incidex.eval.metrics", "incidex.training.corpus", "incidex.training.cli",
])
def test_pure_modules_import_no_torch(module):
    assert heavy_modules_after(f"import {module}") == []


def test_validate_convert_and_help_import_no_torch(tmp_path):
    out = tmp_path / "conv.jsonl"
    code = f"""
from incidex.training.cli import main
assert main(["validate", "data/sample/dev.jsonl"]) == 0
assert main(["convert", "doccano", "tests/fixtures/importers/doccano.jsonl", "--output", {str(out)!r}]) == 0
try:
    main(["--help"])
except SystemExit as e:
    assert e.code == 0
"""
    assert heavy_modules_after(code) == []
    assert out.stat().st_size > 0


def test_public_names_still_resolve_lazily():
    """``from incidex import Predictor`` and ``incidex.model.EventExtractor`` load the heavy parts on use."""
    code = """
import incidex.model as m
assert "EventExtractor" in dir(m)
from incidex import EventExtractorConfig
assert EventExtractorConfig.model_type == "incidex"
try:
    m.NoSuchThing
except AttributeError as e:
    assert "NoSuchThing" in str(e)
else:
    raise AssertionError("unknown attribute did not raise")
"""
    assert "transformers" in heavy_modules_after(code)


def test_auto_classes_load_after_importing_modeling_only(saved_tiny):
    """The AutoConfig/AutoModel registration lives with the classes, not in the package __init__."""
    code = f"""
import incidex.model.modeling
from transformers import AutoConfig, AutoModel
model = AutoModel.from_pretrained({str(saved_tiny)!r})
assert type(model).__name__ == "EventExtractor", type(model)
assert AutoConfig.from_pretrained({str(saved_tiny)!r}).model_type == "incidex"
"""
    assert heavy_modules_after(code) == ["torch", "transformers"]
