"""`OnnxBackend`: runs an exported model (see :mod:`model.export`) with onnxruntime; no torch needed.

Same contract as :class:`model.inference.TorchBackend`: ``run(ids, mask)`` takes ``(W, L)`` int arrays and
returns float32 tag log-probs ``(W, L, C)``, type scores and type values ``(W, L, T)``.
:func:`model.inference.load_backend` picks it for any directory holding ``model.onnx`` or
``model_quantized.onnx``, so ``Predictor("runs/quickstart-onnx")`` uses it.

>>> import numpy as np
>>> backend = OnnxBackend("runs/quickstart-onnx", prefer_quantized=False)  # doctest: +SKIP
>>> logp, scores, values = backend.run(np.array([[101, 2023, 102]]), np.ones((1, 3), dtype=np.int64))  # doctest: +SKIP
>>> logp.shape, backend.precision  # doctest: +SKIP
((1, 3, 15), 'fp32')
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import onnxruntime as ort

from .configuration import EventExtractorConfig

ONNX_FILE = "model.onnx"
QUANTIZED_FILE = "model_quantized.onnx"
OUTPUT_NAMES = ["tag_log_probs", "type_scores", "type_values"]


def available_cores() -> int:
    """CPU cores this process may run on (its affinity mask, e.g. a container's cpuset)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def default_providers() -> list[str]:
    """CUDA when onnxruntime-gpu can use it, always CPU as the fallback."""
    available = ort.get_available_providers()
    return [p for p in ("CUDAExecutionProvider", "CPUExecutionProvider") if p in available] or available


def find_onnx_file(path: str | os.PathLike, prefer_quantized: bool = True) -> Path:
    """The ``.onnx`` file to load: ``path`` itself, or ``model_quantized.onnx`` / ``model.onnx`` in it."""
    path = Path(path)
    if path.is_file():
        return path
    order = [QUANTIZED_FILE, ONNX_FILE] if prefer_quantized else [ONNX_FILE, QUANTIZED_FILE]
    for name in order:
        if (path / name).is_file():
            return path / name
    raise FileNotFoundError(f"no {ONNX_FILE} or {QUANTIZED_FILE} in {path} (run `incidex export` first)")


class OnnxBackend:
    """An onnxruntime session over an exported model directory (or one ``.onnx`` file beside its config).

    ``prefer_quantized``: load ``model_quantized.onnx`` when both files are there. ``threads``: intra-op
    threads (default: the cores available to this process). ``providers``: onnxruntime execution providers
    (default: CUDA if available, then CPU).
    """

    def __init__(self, path: str | os.PathLike, providers: list[str] | None = None, prefer_quantized: bool = True,
                 threads: int | None = None):
        self.file = find_onnx_file(path, prefer_quantized)
        self.config = EventExtractorConfig.from_pretrained(self.file.parent)
        self.precision = "int8" if self.file.name == QUANTIZED_FILE else "fp32"
        self.device = "cpu"
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or available_cores()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(self.file), sess_options=options,
                                            providers=providers or default_providers())
        if "CUDAExecutionProvider" in self.session.get_providers():
            self.device = "cuda"
        self.input_names = [i.name for i in self.session.get_inputs()]

    def run(self, ids: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(W, L) ids and mask -> tag log-probs (W, L, C), type scores and values (W, L, T), float32."""
        given = {"input_ids": ids, "attention_mask": mask}
        feeds = {name: np.ascontiguousarray(given[name], dtype=np.int64) for name in self.input_names}
        logp, scores, values = self.session.run(OUTPUT_NAMES, feeds)
        return (np.asarray(logp, dtype=np.float32), np.asarray(scores, dtype=np.float32),
                np.asarray(values, dtype=np.float32))

    def __repr__(self) -> str:
        return f"OnnxBackend({str(self.file)!r}, precision={self.precision!r}, providers={self.session.get_providers()})"
