"""Optional dependencies: stop with the ``pip install "incidex[EXTRA]"`` command that fixes a missing one.

A plain ``pip install incidex`` predicts (torch, transformers); training, reports, ONNX export and Ray are
extras (``train``, ``onnx``, ``ray``, ``parquet``; ``dev`` pulls them all plus the test tools). Code that
needs one calls :func:`require` first, so the user reads one line instead of a traceback from deep inside
a library:

>>> require("json", extra="train", feature="training")  # present: returns quietly
>>> require("no_such_module_xyz", extra="onnx", feature="incidex export")
Traceback (most recent call last):
...
incidex.model.extras.MissingExtraError: incidex export needs no_such_module_xyz, which is not installed: pip install "incidex[onnx]"

The command line prints ``str(error)`` as its one-line message (exit status 2).
"""

from __future__ import annotations

import importlib

EXTRAS = {
    "train": "training, evaluation reports and baselines (accelerate, datasets, scikit-learn, matplotlib, ...)",
    "onnx": "ONNX export and the ONNX Runtime backend (onnx, onnxruntime)",
    "ray": "multi-replica prediction with Ray Data (ray[data])",
    "parquet": "Parquet input and output (pyarrow)",
}

# What each feature imports (top-level modules), checked by the command line before it starts.
TRAIN_MODULES = ("accelerate", "datasets", "sklearn", "matplotlib")
ONNX_MODULES = ("onnx", "onnxruntime")


class MissingExtraError(ImportError):
    """An optional dependency is missing; the message is one line ending in the pip command."""


def pip_command(extra: str) -> str:
    """The install command for an extra.

    >>> pip_command("train")
    'pip install "incidex[train]"'
    """
    if extra not in EXTRAS:
        raise ValueError(f"unknown extra {extra!r}; known: {sorted(EXTRAS)}")
    return f'pip install "incidex[{extra}]"'


def require(*modules: str, extra: str, feature: str) -> None:
    """Import each top-level module; raise :class:`MissingExtraError` naming ``extra`` for the first missing one.

    ``feature`` says what needs it ("incidex train", "evaluation reports"). Importing (rather than only
    looking the module up) also catches broken installs; the modules are cached for the caller.
    """
    command = pip_command(extra)
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError as e:
            missing = getattr(e, "name", None) or name
            detail = name if missing == name else f"{name} (missing: {missing})"
            raise MissingExtraError(f"{feature} needs {detail}, which is not installed: {command}") from None
