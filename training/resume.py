"""Resuming an interrupted training run from its last epoch checkpoint (``incidex train --resume``).

Every run saves a full checkpoint at the end of each epoch under ``OUTPUT_DIR/checkpoints`` (weights, optimizer,
scheduler, random states and the trainer state that tracks the best epoch: the files ``transformers.Trainer``
resumes from) beside ``run_config.yaml``, the resolved config of the run. After a crash the same command with
``--resume`` continues after the last completed epoch; the checkpoints are deleted when the run ends (unless
``training.keep_checkpoints``, which keeps every epoch's). A run resumed at an epoch boundary trains the same batches in the same order as
one that was never interrupted (the random states are restored), so it saves the same weights (tested).

>>> from incidex.training.config import load_config
>>> prepare_checkpoints("runs/muc4/checkpoints", load_config("configs/muc4.yaml"), resume=True)  # doctest: +SKIP
'runs/muc4/checkpoints/checkpoint-650'
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .averaging import last_checkpoints
from .config import IncidexConfig, dump_config

RUN_CONFIG = "run_config.yaml"


def saved_checkpoints(checkpoint_dir: str | Path) -> list[Path]:
    """Complete ``checkpoint-<step>`` folders under ``checkpoint_dir``, oldest first: weights and the trainer state,
    which transformers writes last (``averaging.last_checkpoints`` lists them)."""
    return [p for p in last_checkpoints(checkpoint_dir) if (p / "trainer_state.json").is_file()]


def _differences(old: Any, new: Any, where: str = "") -> list[str]:
    """Dotted keys whose values differ between two nested mappings (``a.b: old -> new``)."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for k in sorted(set(old) | set(new), key=str):
            out += _differences(old.get(k), new.get(k), f"{where}.{k}" if where else str(k))
        return out
    return [] if old == new else [f"{where}: {old!r} -> {new!r}"]


def prepare_checkpoints(checkpoint_dir: str | Path, cfg: IncidexConfig, resume: bool) -> str | None:
    """Check ``checkpoint_dir`` before training; return the checkpoint ``Trainer.train`` resumes from (the last
    complete one: transformers' own ``resume_from_checkpoint=True`` takes the newest folder, even one whose save a
    crash cut short), None for a fresh run.

    Fresh run (``resume=False``): refuses a folder that holds checkpoints of another run (an interrupted run
    would be lost, and a stale checkpoint would be averaged or rotated with the new ones); writes the run's config.
    ``resume=True``: needs a checkpoint and the same config (a resumed run with other settings would be neither
    run); raises ``ValueError`` naming the folder, or every setting that differs.
    """
    d = Path(checkpoint_dir)
    stored = d / RUN_CONFIG
    if not resume:
        leftovers = sorted(p.name for p in d.glob("checkpoint-*")) if d.is_dir() else []  # complete or cut short
        if leftovers:
            raise ValueError(f"{d} holds checkpoints of an earlier run ({', '.join(leftovers)}): pass "
                             f"--resume to continue it (train(..., resume=True)), or delete the folder to start over")
        d.mkdir(parents=True, exist_ok=True)
        dump_config(cfg, stored)
        return None
    saved = saved_checkpoints(d)
    if not saved:
        if (d.parent / "model.safetensors").is_file():
            raise ValueError(f"--resume: the run in {d.parent} has finished (its model is saved and its checkpoints "
                             f"deleted); nothing to resume")
        raise ValueError(f"--resume: no checkpoint in {d} (one is written at the end of each epoch; a run that "
                         f"stopped in its first epoch starts again without --resume)")
    if stored.is_file():
        old = yaml.safe_load(stored.read_text(encoding="utf-8")) or {}
        diff = _differences(old, yaml.safe_load(yaml.safe_dump(cfg.to_dict())))
        if diff:
            raise ValueError(f"--resume: the config differs from that of the run in {d} ({'; '.join(diff)}); "
                             f"resume with the same config and --set options")
    return str(saved[-1])
