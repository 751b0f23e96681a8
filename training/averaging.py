"""Checkpoint averaging: the mean of the weights of the last epochs' checkpoints, kept when dev says so.

Averaging the weights of the last few checkpoints of one run (Vaswani et al. 2017; fairseq's
``scripts/average_checkpoints.py``; the idea behind stochastic weight averaging) lands between the minima
the optimizer visits as the learning rate decays; the checkpoints share one initialisation, so their mean is
a model (a mean over runs of different seeds is not: their heads start from different random weights).
``training.average_last: N`` turns it on: the checkpoints of the last N epochs are kept (beside the best one),
and after training the mean of their weights is scored on dev like any checkpoint; it replaces the best
checkpoint only when its dev ``training.metric`` is at least as high. Measured on MUC-4 (docs/results/grit.md, "Checkpoint
averaging, tried": GRIT +0.9 and +2.6 on two seeds, a killed-count loss on one; the recipes leave it off).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any


def mean_state_dict(paths: Sequence[str | Path]) -> dict[str, Any]:
    """The element-wise mean of the floating-point tensors of ``model.safetensors`` files (other tensors,
    such as integer position ids, are taken from the first); every file must hold the same names and shapes.

    >>> import tempfile, torch
    >>> from safetensors.torch import save_file
    >>> d = Path(tempfile.mkdtemp())
    >>> save_file({"w": torch.tensor([1.0, 2.0]), "ids": torch.tensor([0, 1])}, str(d / "a.safetensors"))
    >>> save_file({"w": torch.tensor([3.0, 6.0]), "ids": torch.tensor([0, 1])}, str(d / "b.safetensors"))
    >>> mean_state_dict([d / "a.safetensors", d / "b.safetensors"])["w"].tolist()
    [2.0, 4.0]
    """
    from safetensors.torch import load_file

    if not paths:
        raise ValueError("mean_state_dict: no checkpoint to average")
    first = load_file(str(paths[0]))
    total = {k: v.double() for k, v in first.items() if v.is_floating_point()}
    for path in paths[1:]:
        state = load_file(str(path))
        if state.keys() != first.keys():
            diff = sorted(state.keys() ^ first.keys())
            raise ValueError(f"{path}: holds other tensors than {paths[0]} ({', '.join(diff[:5])})")
        for k, v in state.items():
            if v.shape != first[k].shape:
                raise ValueError(f"{path}: tensor {k!r} has shape {tuple(v.shape)}, {tuple(first[k].shape)} in "
                                 f"{paths[0]}")
            if k in total:
                total[k] += v.double()
    return {k: (total[k] / len(paths)).to(v.dtype) if k in total else v for k, v in first.items()}


def last_checkpoints(checkpoint_dir: str | Path, n: int | None = None) -> list[Path]:
    """The ``n`` (None: all) most recent ``checkpoint-<step>`` directories under ``checkpoint_dir`` that hold weights (a
    save cut short leaves none), oldest first (by step, as transformers' own rotation orders them)."""
    from transformers.trainer_utils import sort_checkpoints

    if not Path(checkpoint_dir).is_dir():
        return []
    saved = [Path(p) for p in sort_checkpoints(str(checkpoint_dir)) if (Path(p) / "model.safetensors").is_file()]
    return saved if n is None else saved[-n:] if n > 0 else []


def try_average(trainer: Any, checkpoint_dir: str | Path, n: int, metric: str) -> dict[str, Any]:
    """After ``trainer.train()`` has loaded the best checkpoint: score the mean of the last ``n`` checkpoints
    on dev (``trainer.evaluate()``) and keep it when its ``metric`` is at least the best checkpoint's
    (``trainer.state.best_metric``), else put the best weights back. Returns what was done, for
    ``training_info``: ``{"checkpoints", "metric", "best_checkpoint", "average", "kept"}`` with ``kept``
    ``"average"`` or ``"best"`` (both figures are dev scores before the thresholds are tuned). With fewer than
    two checkpoints there is nothing to average: ``kept`` is ``"best"`` and nothing is evaluated.
    """
    paths = last_checkpoints(checkpoint_dir, n)
    best = trainer.state.best_metric
    info: dict[str, Any] = {"checkpoints": [p.name for p in paths], "metric": metric, "best_checkpoint": best,
                            "average": None, "kept": "best"}
    if len(paths) < 2:
        return info
    _load(trainer.model, mean_state_dict([p / "model.safetensors" for p in paths]), checkpoint_dir)
    value = trainer.evaluate()[f"eval_{metric}"]
    info["average"] = value
    if best is None or value >= best:
        info["kept"] = "average"
    else:  # the best checkpoint is still on disk (the rotation never deletes it)
        from safetensors.torch import load_file

        _load(trainer.model, load_file(str(Path(trainer.state.best_model_checkpoint) / "model.safetensors")),
              checkpoint_dir)
    return info


def _load(model: Any, state: dict[str, Any], where: str | Path) -> None:
    missing, unexpected = model.load_state_dict(state, strict=False)
    params = dict(model.named_parameters())
    lacking = [k for k in missing if k in params]  # buffers and tied weights may be left out of a checkpoint
    if unexpected or lacking:
        raise ValueError(f"checkpoints in {where} do not fit the model: unexpected tensors {unexpected[:5]}, "
                         f"missing parameters {lacking[:5]}")
