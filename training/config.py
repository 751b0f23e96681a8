"""Typed training configuration loaded from YAML and validated on load.

Unknown keys are errors (with the list of valid ones), numbers must be numbers, and ``--set a.b=value``
overrides any field.

>>> cfg = load_config("configs/quickstart.yaml", overrides=["training.epochs=2"])  # doctest: +SKIP
>>> cfg.training.epochs  # doctest: +SKIP
2
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


class ConfigError(ValueError):
    """A configuration file or override is invalid; the message names the key."""


@dataclass
class RefineRule:
    """Narrow a source attack type that maps onto several taxonomy types, from the document's own annotation.

    ``when: ATTACK, weapon: "rocket|mortar", to: shelling``: a document labelled ATTACK whose WEAPON spans
    (after mapping) match the regular expression ``weapon`` (case-insensitive, searched) is trained as
    ``shelling`` rather than as "one of armed_assault, shelling, air_strike". ``span: Attack.ExplosiveDevice``
    matches when the document has a span with that source label. ``to`` must be one of the source type's targets.
    """

    when: str = ""
    to: str = ""
    weapon: str | None = None
    span: str | None = None


@dataclass
class LabelMapConfig:
    """How one corpus's own labels map onto the taxonomy.

    Each source label maps to one taxonomy label, to a list (the source label means *one of* them:
    trained as a disjunction), or to nothing (``null`` or ``[]``: ignored). For spans, when two source spans
    overlap, the one whose source label comes first in ``spans`` wins. A source label the corpus uses but
    the map lacks is an error (map it to ``null`` to ignore it).
    """

    attack_types: dict[str, list[str]] = field(default_factory=dict)
    spans: dict[str, list[str]] = field(default_factory=dict)
    refine: list[RefineRule] = field(default_factory=list)


@dataclass
class CorpusConfig:
    """One corpus of a multi-corpus run: importer, files, dev split, label map and sampling weight.

    ``format`` names the importer (``jsonl``, ``muc4``, ``wikievents``, ``m2e2``, ``satp``, ``gvdb``,
    ``gtd``, ``acled``). Files: ``train``/``dev`` (paths), or ``path`` with ``train_sets``/``dev_sets``
    (MUC-4). Without a dev file, ``dev_fraction`` holds out that share of the training documents
    (deterministic by id; ``dev_group`` is a regular expression whose first group is the unit of the split,
    e.g. ``(.*)_[0-9]+$`` keeps the sentences of one article together). ``weight`` scales how many of the
    corpus's training documents one epoch draws (0.5: a fresh half each epoch; 2: every document twice).
    ``annotated`` overrides what the corpus declares as annotated (``{spans: [...], attack_types: [...]}``,
    source labels); ``options`` are passed to the importer.
    """

    name: str = ""
    format: str = "jsonl"
    train: list[str] = field(default_factory=list)
    dev: list[str] = field(default_factory=list)
    path: str | None = None
    train_sets: list[str] = field(default_factory=list)
    dev_sets: list[str] = field(default_factory=list)
    dev_fraction: float = 0.0
    dev_group: str | None = None
    max_dev_docs: int = 0
    weight: float = 1.0
    label_map: LabelMapConfig | None = None
    annotated: dict[str, list[str]] | None = None
    options: dict[str, Any] = field(default_factory=dict)
    allow_overlaps: bool = False


@dataclass
class TaxonomyConfig:
    """The labels the model predicts and what each span label means.

    ``span_roles`` maps each span label to its role (``perpetrator_individual``, ``perpetrator_organization``,
    ``target``, ``weapon``, ``killed``, ``wounded``, ``victim``): casualties, actors, entities and the MUC-4
    role-filler score read roles, not label names. Empty lists: the labels seen in the training data.
    """

    attack_types: list[str] = field(default_factory=list)
    span_labels: list[str] = field(default_factory=list)
    span_roles: dict[str, str] = field(default_factory=dict)


@dataclass
class DataConfig:
    """Where the training and dev documents come from.

    Either one corpus given inline: JSONL files (``train``/``dev``, format ``jsonl``) or a corpus read through
    an importer (``format: muc4``, ``path`` to the distribution's CORPORA folder, ``train_sets``/``dev_sets``);
    or several in ``corpora`` (see :class:`CorpusConfig`), each mapped onto the taxonomy.
    Relative paths are relative to the working directory.
    """

    format: str = "jsonl"
    train: list[str] = field(default_factory=list)
    dev: list[str] = field(default_factory=list)
    path: str | None = None
    train_sets: list[str] = field(default_factory=list)
    dev_sets: list[str] = field(default_factory=list)
    allow_overlaps: bool = False
    corpora: list[CorpusConfig] = field(default_factory=list)

    def corpus_list(self) -> list[CorpusConfig]:
        """The corpora of this config; the inline single corpus is named after its format."""
        if self.corpora:
            return self.corpora
        return [CorpusConfig(name=self.format, format=self.format, train=self.train, dev=self.dev, path=self.path,
                             train_sets=self.train_sets, dev_sets=self.dev_sets,
                             allow_overlaps=self.allow_overlaps)]


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
    actors_need_attack_type: bool = False  # EventExtractorConfig.actors_need_attack_type (new models only)


@dataclass
class TrainingConfig:
    """The optimisation loop (passed to ``transformers.TrainingArguments``).

    ``freeze_embeddings`` keeps the encoder's embedding layer fixed (about half of MiniLM's weights: no
    gradient, no optimizer state); ``freeze_layers: N`` keeps the embeddings and the first N transformer
    layers fixed (no backward pass through them). Both trade a little accuracy for CPU time; ``bench/bench_train_step.py``
    measures the gain. ``max_windows_per_step: N`` (> 0) packs documents into steps of at most N windows
    instead of ``batch_size`` documents (training/batching.py): steps of even cost, long documents included.
    ``metric`` is the dev figure that picks the best checkpoint and drives early stopping: ``score`` (mean of
    type macro F1 and span strict F1), any other flat dev metric (``span_f1``, ``muc_macro_f1``; in a run of
    several corpora ``<corpus>/<metric>``), or ``grit_micro_f1``, GRIT's role-filler score, for a MUC-4 corpus
    whose ``dev_sets`` are ``[tst1, tst2]`` (``training/grit_dev.py``). A name the dev evaluation will not
    produce is refused before training (``trainer.check_metric``). ``average_last: N`` (0 = off, else >= 2)
    keeps the last N epochs' checkpoints and, after training, scores the mean of their weights on dev; the mean
    replaces the best checkpoint when its ``metric`` is at least as high (``training/averaging.py``; needs dev).
    ``teachers``: saved models whose mean tag probabilities the model also learns, weighted ``distill_weight``, at
    ``distill_temperature`` (``training/distill.py``); weight 0 leaves the teachers unread.
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
    optim: str = "adamw_torch"  # any TrainingArguments.optim name (adamw_torch_fused, adafactor, ...)
    adam_beta1: float = 0.9
    adam_beta2: float = 0.999
    adam_epsilon: float = 1e-8
    precision: str = "auto"
    early_stopping_patience: int = 3
    metric: str = "score"
    tune_thresholds: bool = True
    logging_steps: int = 10
    report_to: list[str] = field(default_factory=lambda: ["tensorboard"])
    dataloader_num_workers: int = 0
    keep_checkpoints: bool = False
    average_last: int = 0
    freeze_embeddings: bool = False
    freeze_layers: int = 0
    max_windows_per_step: int = 0
    teachers: list[str] = field(default_factory=list)
    distill_weight: float = 1.0
    distill_temperature: float = 1.0


@dataclass
class IncidexConfig:
    """Everything ``incidex train`` needs; saved resolved with every trained model."""

    seed: int = 42
    taxonomy: TaxonomyConfig = field(default_factory=TaxonomyConfig)
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
    if origin is dict:
        key_type, item = typing.get_args(annotation)
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a mapping, got {type(value).__name__} {value!r}")
        return {_check_value(k, key_type, f"{where} key"): _check_value(v, item, f"{where}.{k}")
                for k, v in value.items()}
    if origin is list:
        (item,) = typing.get_args(annotation)
        if value is None and item is str and ".label_map." in where:
            value = []  # a source label mapped to nothing
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            value = [value]  # a single path where a list is expected
        if not isinstance(value, list):
            raise ConfigError(f"{where}: expected a list, got {type(value).__name__} {value!r}")
        return [_check_value(v, item, f"{where}[{i}]") for i, v in enumerate(value)]
    if annotation is Any:
        return value
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


def _dataclass_in(hint: Any) -> type | None:
    """The dataclass inside ``X``, ``X | None`` or ``list[X]``, else None."""
    if dataclasses.is_dataclass(hint):
        return hint
    for arg in typing.get_args(hint):
        if dataclasses.is_dataclass(arg):
            return arg
    return None


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
        inner = _dataclass_in(hint)
        if inner is not None and value is None and hint is not inner:
            kwargs[key] = None
        elif inner is not None and typing.get_origin(hint) is list:
            if not isinstance(value, list):
                raise ConfigError(f"{path}: expected a list, got {type(value).__name__} {value!r}")
            kwargs[key] = [from_dict(inner, v, f"{path}[{i}]") for i, v in enumerate(value)]
        elif inner is not None:
            kwargs[key] = from_dict(inner, value, path)
        else:
            kwargs[key] = _check_value(value, hint, path)
    return cls(**kwargs)


def apply_override(data: dict[str, Any], override: str) -> None:
    """Apply one ``a.b.c=value`` override (value parsed as YAML) to a nested dict in place.

    A list is entered by index or by the ``name`` of an element, so one corpus of ``data.corpora`` can be
    changed from the command line:

    >>> cfg = {"data": {"corpora": [{"name": "muc4"}, {"name": "satp", "weight": 1.0}]}}
    >>> apply_override(cfg, "data.corpora.satp.weight=0.5"); apply_override(cfg, "data.corpora.0.weight=2")
    >>> [c.get("weight") for c in cfg["data"]["corpora"]]
    [2, 0.5]
    """
    if "=" not in override:
        raise ConfigError(f"override {override!r} must look like key.subkey=value")
    key, raw = override.split("=", 1)
    parts = key.strip().split(".")
    node: Any = data
    for part in parts[:-1]:
        if isinstance(node, list):
            named = [x for x in node if isinstance(x, dict) and x.get("name") == part]
            if named:
                node = named[0]
            elif part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                names = [str(x.get("name")) for x in node if isinstance(x, dict)]
                raise ConfigError(f"override {override!r}: no element {part!r} (names: {', '.join(names)}; "
                                  f"or an index below {len(node)})")
        else:
            node = node.setdefault(part, {})
        if not isinstance(node, (dict, list)):
            raise ConfigError(f"override {override!r}: {part!r} is not a section")
    if isinstance(node, list):
        raise ConfigError(f"override {override!r}: {'.'.join(parts[:-1])!r} is a list; "
                          "name an element (by name or index) and its key")
    node[parts[-1]] = yaml.safe_load(raw)


#: importer names accepted by ``format`` (the readers live in training/data.py and training/importers/)
CORPUS_FORMATS = ("jsonl", "muc4", "wikievents", "m2e2", "satp", "gvdb", "gtd", "acled")


def _validate_corpus(c: CorpusConfig, where: str, taxonomy: TaxonomyConfig) -> None:
    if c.format not in CORPUS_FORMATS:
        raise ConfigError(f"{where}.format: {c.format!r} is not one of {', '.join(CORPUS_FORMATS)}")
    if c.format == "muc4":
        if not (c.path and c.train_sets):
            raise ConfigError(f"{where}: format 'muc4' needs path and train_sets")
    elif not c.train:
        raise ConfigError(f"{where}.train: give at least one file")
    if not 0.0 <= c.dev_fraction < 1.0:
        raise ConfigError(f"{where}.dev_fraction: must be in [0, 1), got {c.dev_fraction}")
    if c.weight <= 0:
        raise ConfigError(f"{where}.weight: must be > 0, got {c.weight}")
    if c.dev_group is not None:
        try:
            if re.compile(c.dev_group).groups < 1:
                raise ConfigError(f"{where}.dev_group: the expression needs one group, e.g. (.*)_[0-9]+$")
        except re.error as e:
            raise ConfigError(f"{where}.dev_group: not a regular expression: {e}") from None
    if c.annotated is not None:
        for key in c.annotated:
            if key not in ("spans", "attack_types"):
                raise ConfigError(f"{where}.annotated: unknown key {key!r} (valid: attack_types, spans)")
    lm = c.label_map
    if lm is None:
        return
    for kind, table, known in (("attack_types", lm.attack_types, taxonomy.attack_types),
                               ("spans", lm.spans, taxonomy.span_labels)):
        for source, targets in table.items():
            for t in targets:
                if known and t not in known:
                    raise ConfigError(f"{where}.label_map.{kind}.{source}: {t!r} is not in taxonomy.{kind if kind == 'attack_types' else 'span_labels'} "
                                      f"({', '.join(known)})")
    for i, rule in enumerate(lm.refine):
        at = f"{where}.label_map.refine[{i}]"
        if rule.when not in lm.attack_types:
            raise ConfigError(f"{at}.when: {rule.when!r} is not a source type of label_map.attack_types")
        if rule.to not in lm.attack_types[rule.when]:
            raise ConfigError(f"{at}.to: {rule.to!r} is not one of the targets of {rule.when!r} "
                              f"({', '.join(lm.attack_types[rule.when]) or 'none'})")
        if (rule.weapon is None) == (rule.span is None):
            raise ConfigError(f"{at}: give exactly one of weapon (a regular expression) or span (a source label)")
        if rule.weapon is not None:
            try:
                re.compile(rule.weapon)
            except re.error as e:
                raise ConfigError(f"{at}.weapon: not a regular expression: {e}") from None


def validate(cfg: IncidexConfig) -> IncidexConfig:
    """Cross-field checks that types alone cannot express."""
    choices = {
        "data.format": (cfg.data.format, CORPUS_FORMATS),
        "model.type_pooling": (cfg.model.type_pooling, ("label_attention", "mean")),
        "model.class_weights": (cfg.model.class_weights, ("none", "sqrt", "balanced")),
        "training.precision": (cfg.training.precision, ("auto", "fp32", "bf16", "fp16")),
    }
    for key, (value, allowed) in choices.items():
        if value not in allowed:
            raise ConfigError(f"{key}: {value!r} is not one of {', '.join(allowed)}")
    d, tax = cfg.data, cfg.taxonomy
    if d.corpora:
        inline = [k for k in ("train", "dev", "path", "train_sets", "dev_sets") if getattr(d, k)]
        if inline:
            raise ConfigError(f"data: give either data.corpora or the inline corpus keys ({', '.join(inline)}), not both")
        names = [c.name or c.format for c in d.corpora]
        for i, c in enumerate(d.corpora):
            c.name = c.name or (c.format if names.count(c.format) == 1 else f"{c.format}{i}")
            _validate_corpus(c, f"data.corpora[{i}] ({c.name})", tax)
        names = [c.name for c in d.corpora]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ConfigError(f"data.corpora: names must be unique, repeated: {', '.join(dupes)}")
    else:
        _validate_corpus(d.corpus_list()[0], "data", tax)
    for label in tax.span_roles:
        if tax.span_labels and label not in tax.span_labels:
            raise ConfigError(f"taxonomy.span_roles.{label}: not in taxonomy.span_labels ({', '.join(tax.span_labels)})")
    for kind in ("attack_types", "span_labels"):
        values = getattr(tax, kind)
        if len(set(values)) != len(values):
            raise ConfigError(f"taxonomy.{kind}: repeats a label")
    if cfg.training.batch_size < 1 or cfg.training.learning_rate <= 0:
        raise ConfigError("training.batch_size must be >= 1 and training.learning_rate > 0")
    if cfg.training.average_last < 0 or cfg.training.average_last == 1:
        raise ConfigError(f"training.average_last: the number of last checkpoints to average, 0 (off) or >= 2, "
                          f"got {cfg.training.average_last}")
    if cfg.training.max_windows_per_step < 0:
        raise ConfigError("training.max_windows_per_step must be >= 0 (0 = batch_size documents a step)")
    if cfg.training.distill_weight < 0 or cfg.training.distill_temperature <= 0:
        raise ConfigError(f"training.distill_weight must be >= 0 and training.distill_temperature > 0, got "
                          f"{cfg.training.distill_weight} and {cfg.training.distill_temperature}")
    if any(not str(t).strip() for t in cfg.training.teachers):
        raise ConfigError("training.teachers: an empty model path")
    if cfg.training.max_steps <= 0 and cfg.training.epochs <= 0:
        raise ConfigError(f"training.epochs: must be > 0 (or set training.max_steps), got {cfg.training.epochs}")
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
