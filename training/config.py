"""Typed training configuration loaded from YAML and validated on load.

Unknown keys are errors (with the list of valid ones), numbers must be numbers, and ``--set a.b=value``
overrides any field.

>>> cfg = load_config("configs/quickstart.yaml", overrides=["training.epochs=2"])  # doctest: +SKIP
>>> cfg.training.epochs  # doctest: +SKIP
2
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


class ConfigError(ValueError):
    """A configuration file or override is invalid; the message names the key."""


@dataclass
class DataConfig:
    """Where the training and dev documents come from.

    Either JSONL files (``train``/``dev``, format ``jsonl``) or a corpus read through an importer
    (``format: muc4``, ``path`` to the distribution's CORPORA folder, ``train_sets``/``dev_sets``).
    Relative paths are relative to the working directory.
    """

    format: str = "jsonl"
    train: list[str] = field(default_factory=list)
    dev: list[str] = field(default_factory=list)
    path: str | None = None
    train_sets: list[str] = field(default_factory=list)
    dev_sets: list[str] = field(default_factory=list)
    allow_overlaps: bool = False


@dataclass
class ModelConfig:
    """The network: base encoder (Hugging Face id or local path) and heads."""

    encoder: str = "sentence-transformers/all-MiniLM-L6-v2"
    init_from: str | None = None
    window_length: int = 256
    window_stride: int = 64
    attention_dropout: float | None = 0.0
    classifier_dropout: float = 0.1
    type_pooling: str = "label_attention"
    type_loss_weight: float = 1.0
    span_loss_weight: float = 1.0
    tag_o_weight: float = 1.0
    class_weights: str = "sqrt"


@dataclass
class TrainingConfig:
    """The optimisation loop (passed to ``transformers.TrainingArguments``).

    ``freeze_embeddings`` keeps the encoder's embedding layer fixed (about half of MiniLM's weights: no
    gradient, no optimizer state); ``freeze_layers: N`` keeps the embeddings and the first N transformer
    layers fixed (no backward pass through them). Both trade a little accuracy for CPU time; ``bench/bench_train_step.py``
    measures the gain.
    """

    epochs: float = 10.0
    max_steps: int = -1
    batch_size: int = 8
    eval_batch_size: int = 32
    gradient_accumulation_steps: int = 1
    learning_rate: float = 5e-5
    head_learning_rate: float = 1e-3
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    max_grad_norm: float = 1.0
    precision: str = "auto"
    early_stopping_patience: int = 3
    metric: str = "score"
    tune_thresholds: bool = True
    logging_steps: int = 10
    report_to: list[str] = field(default_factory=lambda: ["tensorboard"])
    dataloader_num_workers: int = 0
    keep_checkpoints: bool = False
    freeze_embeddings: bool = False
    freeze_layers: int = 0


@dataclass
class IncidexConfig:
    """Everything ``incidex train`` needs; saved resolved with every trained model."""

    seed: int = 42
    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    training: TrainingConfig = field(default_factory=TrainingConfig)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _check_value(value: Any, annotation: Any, where: str) -> Any:
    """Check (and gently coerce) ``value`` against a type annotation; raise ConfigError naming ``where``."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(annotation)
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _check_value(value, arg, where)
            except ConfigError as e:
                errors.append(str(e))
        raise ConfigError(errors[0] if errors else f"{where}: invalid value {value!r}")
    if origin is list:
        (item,) = typing.get_args(annotation)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            value = [value]  # a single path where a list is expected
        if not isinstance(value, list):
            raise ConfigError(f"{where}: expected a list, got {type(value).__name__} {value!r}")
        return [_check_value(v, item, f"{where}[{i}]") for i, v in enumerate(value)]
    if annotation is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: expected true or false, got {value!r}")
        return value
    if annotation is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: expected an integer, got {value!r}")
        return value
    if annotation is float:
        if isinstance(value, str):  # YAML 1.1 reads 5e-5 as a string
            try:
                value = float(value)
            except ValueError:
                raise ConfigError(f"{where}: expected a number, got {value!r}") from None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{where}: expected a number, got {value!r}")
        return float(value)
    if annotation is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected a string, got {value!r}")
        return value
    raise ConfigError(f"{where}: unsupported type {annotation}")


def from_dict(cls: type, data: Any, where: str = "") -> Any:
    """Build dataclass ``cls`` from a mapping, rejecting unknown keys and wrong types."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{where or 'config'}: expected a mapping, got {type(data).__name__}")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    kwargs = {}
    for key, value in data.items():
        path = f"{where}.{key}" if where else str(key)
        if key not in names:
            raise ConfigError(f"unknown key {path!r} (valid keys here: {', '.join(sorted(names))})")
        hint = hints[key]
        if dataclasses.is_dataclass(hint):
            kwargs[key] = from_dict(hint, value, path)
        else:
            kwargs[key] = _check_value(value, hint, path)
    return cls(**kwargs)


def apply_override(data: dict[str, Any], override: str) -> None:
    """Apply one ``a.b.c=value`` override (value parsed as YAML) to a nested dict in place."""
    if "=" not in override:
        raise ConfigError(f"override {override!r} must look like key.subkey=value")
    key, raw = override.split("=", 1)
    parts = key.strip().split(".")
    node = data
    for part in parts[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise ConfigError(f"override {override!r}: {part!r} is not a section")
    node[parts[-1]] = yaml.safe_load(raw)


def validate(cfg: IncidexConfig) -> IncidexConfig:
    """Cross-field checks that types alone cannot express."""
    choices = {
        "data.format": (cfg.data.format, ("jsonl", "muc4")),
        "model.type_pooling": (cfg.model.type_pooling, ("label_attention", "mean")),
        "model.class_weights": (cfg.model.class_weights, ("none", "sqrt", "balanced")),
        "training.precision": (cfg.training.precision, ("auto", "fp32", "bf16", "fp16")),
    }
    for key, (value, allowed) in choices.items():
        if value not in allowed:
            raise ConfigError(f"{key}: {value!r} is not one of {', '.join(allowed)}")
    if cfg.data.format == "jsonl" and not cfg.data.train:
        raise ConfigError("data.train: give at least one JSONL file")
    if cfg.data.format != "jsonl" and not (cfg.data.path and cfg.data.train_sets):
        raise ConfigError(f"data: format {cfg.data.format!r} needs data.path and data.train_sets")
    if cfg.training.batch_size < 1 or cfg.training.learning_rate <= 0:
        raise ConfigError("training.batch_size must be >= 1 and training.learning_rate > 0")
    return cfg


def load_config(path: str | Path | None = None, overrides: list[str] | None = None) -> IncidexConfig:
    """Load a YAML config file (or the defaults), apply ``key=value`` overrides, validate."""
    data: dict[str, Any] = {}
    if path is not None:
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as e:
            raise ConfigError(f"{path}: not valid YAML: {e}") from None
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: the top level must be a mapping")
    for override in overrides or []:
        apply_override(data, override)
    try:
        return validate(from_dict(IncidexConfig, data))
    except ConfigError as e:
        raise ConfigError(f"{path or 'config'}: {e}") from None


def dump_config(cfg: IncidexConfig, path: str | Path) -> None:
    """Write the resolved config as YAML (loadable by :func:`load_config`)."""
    Path(path).write_text(yaml.safe_dump(cfg.to_dict(), sort_keys=False), encoding="utf-8")
