"""Export a trained model to ONNX (fp32, optionally dynamic int8) for torch-free CPU inference.

Only :meth:`EventExtractor.window_outputs` is exported: ``(W, L)`` ``input_ids`` and ``attention_mask``
(int64) -> ``tag_log_probs`` (W, L, C), ``type_scores`` (W, L, T) and ``type_values`` (W, L, T), float32,
with dynamic window and length axes. Windowing, pooling and decoding stay in numpy
(:class:`model.inference.Predictor`), so the exported directory is used exactly like a trained one:

>>> from incidex.model.export import export_onnx
>>> out = export_onnx("runs/quickstart", "runs/quickstart-onnx", quantize="int8")  # doctest: +SKIP
>>> sorted(p.name for p in out.iterdir())  # doctest: +SKIP
['README.md', 'config.json', 'export_info.json', 'model.onnx', 'model_quantized.onnx', 'tokenizer.json', ...]
>>> from incidex.model import Predictor
>>> Predictor("runs/quickstart-onnx").predict("A car bomb killed 3 soldiers.")  # doctest: +SKIP

Command line: ``incidex export --model runs/quickstart --output runs/quickstart-onnx --quantize int8``.

Exporter: the TorchScript exporter (``torch.onnx.export(..., dynamo=False)``) is the default. With torch
2.13 it exports this model in about a second, needs nothing beyond ``onnx`` and gives outputs within 1e-6
of torch. The dynamo exporter (``exporter="dynamo"``) gives the same numbers but needs the extra packages
``onnxscript`` and ``onnx-ir``, takes ~25 s even for a tiny model and writes weights to a side file.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import time
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .card import write_model_card
from .modeling import EventExtractor

ONNX_FILE = "model.onnx"
QUANTIZED_FILE = "model_quantized.onnx"
INPUT_NAMES = ("input_ids", "attention_mask")
OUTPUT_NAMES = ("tag_log_probs", "type_scores", "type_values")
DEFAULT_OPSET = 17
COPIED_FILES = ("training_config.yaml", "dev_metrics.json")  # provenance, copied when present


class WindowOutputs(nn.Module):
    """The exported graph: ``window_outputs`` with the tag logits turned into log-probabilities."""

    def __init__(self, model: EventExtractor):
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor
                ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        tags, scores, values = self.model.window_outputs(input_ids, attention_mask)
        return torch.log_softmax(tags, dim=-1), scores, values


def example_inputs(model: EventExtractor, windows: int = 2, length: int = 16) -> tuple[torch.Tensor, torch.Tensor]:
    """Tracing inputs: random ids and a mask whose last window is half padding."""
    length = min(length, model.config.window_length)
    vocab = int(model.config.encoder_config.vocab_size)
    gen = torch.Generator().manual_seed(0)
    ids = torch.randint(min(5, vocab - 1), vocab, (windows, length), generator=gen)
    mask = torch.ones_like(ids)
    mask[-1, length // 2 :] = 0
    return ids, mask


def _export_graph(wrapper: nn.Module, inputs: tuple[torch.Tensor, torch.Tensor], path: Path, opset: int,
                  exporter: str) -> None:
    dims = {0: "windows", 1: "length"}
    if exporter == "torchscript":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # deprecation notice and tracer warnings on shape checks
            torch.onnx.export(
                wrapper, inputs, str(path), dynamo=False, opset_version=opset, do_constant_folding=True,
                input_names=list(INPUT_NAMES), output_names=list(OUTPUT_NAMES),
                dynamic_axes={name: dims for name in INPUT_NAMES + OUTPUT_NAMES},
            )
    elif exporter == "dynamo":  # needs onnxscript and onnx-ir
        w, length = torch.export.Dim("windows"), torch.export.Dim("length")
        shapes = ({0: w, 1: length}, {0: w, 1: length})
        program = torch.onnx.export(wrapper, inputs, dynamo=True, opset_version=opset, dynamic_shapes=shapes,
                                    input_names=list(INPUT_NAMES), output_names=list(OUTPUT_NAMES))
        program.save(str(path))
    else:
        raise ValueError(f"exporter must be 'torchscript' or 'dynamo', got {exporter!r}")


def quantize_int8(source: Path, target: Path, per_channel: bool = True) -> None:
    """Dynamic int8 quantization (QInt8 weights; activations quantized on the fly) with onnxruntime.

    No ``quant_pre_process``: its symbolic shape inference fails on this graph, and with shape inference
    skipped it changed neither the outputs nor the speed (measured on the MiniLM quickstart model).
    """
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # quiet the "consider pre-processing" advice, see above
    try:
        quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8, per_channel=per_channel)
    finally:
        root.setLevel(level)


def compare_records(reference: Sequence[dict], other: Sequence[dict]) -> dict[str, float | int]:
    """Agreement of prediction records from two backends on the same texts (``reference`` = torch fp32).

    ``type_agreement``: share of (document, attack type) decisions that agree; ``type_max_prob_diff`` and
    ``type_mean_prob_diff``: attack-type probability differences; ``span_f1``: exact-match (label, start,
    end) F1 of ``other``'s spans against ``reference``'s (1.0 when neither has any span).

    >>> a = [{"scores": {"arson": 0.9}, "attack_types": [{"label": "arson"}], "spans": []}]
    >>> compare_records(a, a)["type_agreement"], compare_records(a, a)["span_f1"]
    (1.0, 1.0)
    """
    if len(reference) != len(other):
        raise ValueError(f"{len(reference)} reference records but {len(other)} to compare")
    agree = decisions = tp = fp = fn = 0
    diffs: list[float] = []
    for a, b in zip(reference, other, strict=True):
        chosen_a = {t["label"] for t in a["attack_types"]}
        chosen_b = {t["label"] for t in b["attack_types"]}
        for label, p in a["scores"].items():
            decisions += 1
            agree += (label in chosen_a) == (label in chosen_b)
            diffs.append(abs(p - b["scores"][label]))
        spans_a = {(s["label"], s["start"], s["end"]) for s in a["spans"]}
        spans_b = {(s["label"], s["start"], s["end"]) for s in b["spans"]}
        tp, fp, fn = tp + len(spans_a & spans_b), fp + len(spans_b - spans_a), fn + len(spans_a - spans_b)
    return {
        "docs": len(reference),
        "type_decisions": decisions,
        "type_agreement": agree / decisions if decisions else 1.0,
        "type_max_prob_diff": max(diffs, default=0.0),
        "type_mean_prob_diff": float(np.mean(diffs)) if diffs else 0.0,
        "span_f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0,
        "reference_spans": tp + fn,
        "other_spans": tp + fp,
    }


def max_abs_diff(path: Path, wrapper: nn.Module, inputs: tuple[torch.Tensor, torch.Tensor]) -> float:
    """Largest absolute difference between onnxruntime and torch outputs on ``inputs``."""
    import onnxruntime as ort

    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    got = session.run(list(OUTPUT_NAMES), {n: t.numpy() for n, t in zip(INPUT_NAMES, inputs, strict=True)})
    with torch.inference_mode():
        want = wrapper(*inputs)
    return max(float(np.abs(g - w.numpy()).max()) for g, w in zip(got, want, strict=True))


def library_versions() -> dict[str, str]:
    """Versions of incidex and the libraries an export depends on (recorded in ``export_info.json``)."""
    import onnx
    import onnxruntime
    import transformers

    from . import __version__

    return {"incidex": __version__, "torch": torch.__version__, "transformers": transformers.__version__,
            "onnx": onnx.__version__, "onnxruntime": onnxruntime.__version__, "python": platform.python_version()}


def _append_card(output_dir: Path, info: dict) -> None:
    card = output_dir / "README.md"
    files = ", ".join(f"`{f}`" for f in info["files"])
    card.write_text(card.read_text(encoding="utf-8") + "\n".join([
        "", "## ONNX export", "",
        f"This directory is an ONNX export (opset {info['opset']}, {info['exporter']} exporter, "
        f"quantization: {info['quantization'] or 'none'}) of `{info['source_model_dir']}`: {files}. "
        "Load it with `Predictor(\"PATH/TO/THIS/DIRECTORY\")` or `incidex predict --model ...`; it needs "
        "onnxruntime, not torch. `EventExtractor.from_pretrained` does not apply (no torch weights here). "
        "Details in `export_info.json`.", "",
    ]), encoding="utf-8")


def export_onnx(model_dir: str | os.PathLike, output_dir: str | os.PathLike, quantize: str | None = None, *,
                opset: int = DEFAULT_OPSET, exporter: str = "torchscript", per_channel: bool = True,
                attn_implementation: str | None = None) -> Path:
    """Export the model in ``model_dir`` into ``output_dir`` and return ``output_dir``.

    Writes ``model.onnx`` (fp32), with ``quantize="int8"`` also ``model_quantized.onnx`` (which
    :class:`model.onnx_backend.OnnxBackend` then prefers), plus ``config.json``, the tokenizer files, a
    ``README.md`` model card and ``export_info.json`` (opset, exporter, quantization, source, versions and
    the fp32 graph's largest difference from torch on a test batch). Raises ``RuntimeError`` when that
    difference exceeds 1e-3.

    >>> export_onnx("runs/quickstart", "runs/quickstart-onnx")  # doctest: +SKIP
    PosixPath('runs/quickstart-onnx')
    """
    from .extras import ONNX_MODULES, require

    require(*ONNX_MODULES, extra="onnx", feature="ONNX export")
    from transformers import AutoTokenizer

    if quantize not in (None, "int8"):
        raise ValueError(f"quantize must be None or 'int8', got {quantize!r}")
    if opset < 17:
        raise ValueError(f"opset must be >= 17 (LayerNormalization), got {opset}")
    model_dir, output_dir = Path(model_dir), Path(output_dir)
    if not model_dir.is_dir():
        raise FileNotFoundError(f"model directory not found: {model_dir}")
    if output_dir.resolve() == model_dir.resolve():
        raise ValueError("output_dir must differ from model_dir (a model.onnx there would replace the torch model)")
    start = time.time()
    kwargs = {"attn_implementation": attn_implementation} if attn_implementation else {}
    model = EventExtractor.from_pretrained(model_dir, **kwargs).float().eval()
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    for stale in (ONNX_FILE, QUANTIZED_FILE, ONNX_FILE + ".data"):
        (output_dir / stale).unlink(missing_ok=True)

    wrapper = WindowOutputs(model).eval()
    inputs = example_inputs(model)
    _export_graph(wrapper, inputs, output_dir / ONNX_FILE, opset, exporter)
    import onnx

    onnx.checker.check_model(str(output_dir / ONNX_FILE))
    diff = max_abs_diff(output_dir / ONNX_FILE, wrapper, inputs)
    if diff > 1e-3:
        raise RuntimeError(f"exported graph differs from torch by {diff:.2e} (> 1e-3); try exporter='dynamo' "
                           "or attn_implementation='eager'")
    files = [ONNX_FILE] + ([ONNX_FILE + ".data"] if (output_dir / (ONNX_FILE + ".data")).exists() else [])
    if quantize == "int8":
        quantize_int8(output_dir / ONNX_FILE, output_dir / QUANTIZED_FILE, per_channel=per_channel)
        files.append(QUANTIZED_FILE)

    model.config.save_pretrained(output_dir)
    tokenizer.save_pretrained(output_dir)
    for name in COPIED_FILES:
        if (model_dir / name).is_file():
            shutil.copy2(model_dir / name, output_dir / name)
    info = {
        "format": "onnx",
        "opset": opset,
        "exporter": exporter,
        "quantization": quantize,
        "quantization_settings": {"method": "dynamic", "weight_type": "QInt8", "per_channel": per_channel}
        if quantize else None,
        "inputs": list(INPUT_NAMES),
        "outputs": list(OUTPUT_NAMES),
        "files": files,
        "source_model_dir": str(model_dir.resolve()),
        "fp32_max_abs_diff_vs_torch": diff,
        "export_seconds": round(time.time() - start, 2),
        "versions": library_versions(),
    }
    (output_dir / "export_info.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    write_model_card(model.config, output_dir)
    _append_card(output_dir, info)
    return output_dir
