"""Training over ``transformers.Trainer`` (accelerate underneath): `train()` and `IncidexTrainer`.

`IncidexTrainer` changes two things of the stock Trainer: the optimizer gives the randomly initialised
heads their own learning rate, and ``evaluate`` decodes the dev documents exactly as ``predict()`` does and
scores them with ``eval.metrics`` (so early stopping and the best model follow the real dev score).

>>> from incidex.training.config import load_config
>>> result = train(load_config("configs/quickstart.yaml"), "runs/quickstart")  # doctest: +SKIP
>>> result["dev_metrics"]["type_macro_f1"]  # doctest: +SKIP
0.83
"""

from __future__ import annotations

import json
import logging
import os
import platform
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from incidex.eval.metrics import evaluate as evaluate_records
from incidex.model import EventExtractor, Predictor
from incidex.model.inference import cpu_has_bf16
from incidex.model.modeling import resolve_encoder
from transformers import AutoTokenizer, EarlyStoppingCallback, Trainer, TrainingArguments, set_seed

from .averaging import try_average
from .batching import CorpusSampler, WindowBudgetBatchSampler
from .config import IncidexConfig, dump_config
from .data import LabelSet, derive_labels, load_corpora, summarize, taxonomy_views, weapon_labels
from .distill import add_teacher_probs, distill_loss
from .features import DocumentCollator, build_features, type_pos_weight, type_targets
from .grit_dev import GritScorer, grit_scorer
from .labelmap import CorpusLabels, annotated_sources, source_view
from .resume import prepare_checkpoints
from .thresholds import dev_thresholds

logger = logging.getLogger(__name__)


def library_versions() -> dict[str, str]:
    """Versions of the libraries that decide a trained model's numbers."""
    import accelerate
    import datasets
    import sklearn
    import transformers

    import incidex

    return {
        "incidex": incidex.__version__,
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "accelerate": accelerate.__version__,
        "datasets": datasets.__version__,
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "platform": platform.platform(),
    }


def flat_scores(metrics: dict[str, Any]) -> dict[str, float]:
    """The headline dev numbers, flat: type macro/micro F1, span strict F1, MUC F1, GRIT micro F1 where the
    corpus has GRIT's gold, and ``score`` (the mean of type macro F1 and span strict F1)."""
    out: dict[str, float] = {}
    if "attack_type" in metrics:
        out["type_macro_f1"] = metrics["attack_type"]["macro_f1"]
        out["type_micro_f1"] = metrics["attack_type"]["micro_f1"]
    if "spans" in metrics:
        out["span_f1"] = metrics["spans"]["strict"]["micro_f1"]
        out["span_partial_f1"] = metrics["spans"]["partial"]["micro_f1"]
    if "muc" in metrics:
        out["muc_macro_f1"] = metrics["muc"]["macro_f1"]
    if "grit" in metrics:
        out["grit_micro_f1"] = metrics["grit"]["micro_f1"]
    heads = [out[k] for k in ("type_macro_f1", "span_f1") if k in out]
    out["score"] = float(np.mean(heads)) if heads else 0.0
    return out


def kept_checkpoint(state: Any, metric: str) -> dict[str, Any] | None:
    """The evaluation the Trainer kept as its best model: ``{"step", "epoch", "metric", "value"}`` (the dev figure
    before thresholds are tuned), or None without one (no dev set). Saved in ``training_info`` as
    ``kept_checkpoint`` so that a run says which of its epochs it kept (early stopping).

    >>> from types import SimpleNamespace
    >>> st = SimpleNamespace(best_model_checkpoint="out/checkpoints/checkpoint-260", best_metric=0.47,
    ...                      log_history=[{"loss": 1.0, "step": 260, "epoch": 4.0}, {"eval_score": 0.47, "step": 260,
    ...                                   "epoch": 4.0}])
    >>> kept_checkpoint(st, "score")
    {'step': 260, 'epoch': 4.0, 'metric': 'score', 'value': 0.47}
    """
    name = Path(state.best_model_checkpoint or "").name
    if not name.startswith("checkpoint-") or not name[len("checkpoint-"):].isdigit():
        return None
    step = int(name[len("checkpoint-"):])
    epoch = next((h.get("epoch") for h in state.log_history if h.get("step") == step and any(k.startswith("eval_")
                                                                                           for k in h)), None)
    return {"step": step, "epoch": epoch, "metric": metric, "value": state.best_metric}


@dataclass
class DevCorpus:
    """The dev split of one corpus: source documents (scored in the corpus's own labels) and its label map."""

    name: str
    docs: list[dict]
    labels: CorpusLabels
    grit: GritScorer | None = None  # GRIT's role-filler score of these documents (MUC-4 TST1+TST2), if any


def score_corpora(dev: list[DevCorpus], records: list[dict]) -> tuple[dict[str, Any], dict[str, float]]:
    """Per-corpus dev metrics (each document scored only on what it annotates, in its corpus's labels).

    Returns ``(nested, flat)``: nested ``{"corpora": {name: metrics}}`` (a single corpus: its metrics at the
    top level, as before); flat: ``score`` = mean of the corpora's scores, and ``{name}/{metric}`` for each.
    """
    nested: dict[str, Any] = {"corpora": {}}
    flat: dict[str, float] = {}
    scores = []
    i = 0
    for c in dev:
        recs = records[i:i + len(c.docs)]
        i += len(c.docs)
        pairs = [source_view(d, r, c.labels) for d, r in zip(c.docs, recs)]
        types = sorted({t for g, _ in pairs for t in g.get("attack_types", [])}
                       | {t for d in c.docs for t in annotated_sources(d, c.labels)[0] if c.labels.attack_types.get(t)})
        metrics = evaluate_records([g for g, _ in pairs], [r for _, r in pairs], types)
        if c.grit is not None:
            metrics["grit"] = c.grit(c.docs, recs)
        nested["corpora"][c.name] = metrics
        f = flat_scores(metrics)
        scores.append(f["score"])
        flat.update({f"{c.name}/{k}": v for k, v in f.items()})
    if len(dev) == 1:
        nested = {**nested["corpora"][dev[0].name], "corpora": nested["corpora"]}
        flat.update(flat_scores(nested))
    flat["score"] = float(np.mean(scores)) if scores else 0.0
    return nested, flat


def check_metric(dev: list[DevCorpus], metric: str) -> None:
    """Refuse, before any training, a ``training.metric`` that the dev evaluation will not produce (transformers
    would only say so after the first epoch). The dev metrics are those of :func:`score_corpora` on empty
    predictions: which exist depends on what each corpus annotates, not on what is predicted.

    >>> from incidex.training.labelmap import CorpusLabels
    >>> labels = CorpusLabels("c", {"bombing": ("bombing",)}, {}, declared_types=("bombing",), declared_spans=())
    >>> check_metric([DevCorpus("c", [{"id": "d", "text": "A blast.", "attack_types": ["bombing"]}], labels)], "span_f2")
    Traceback (most recent call last):
    ...
    ValueError: training.metric 'span_f2' is not a dev metric of this run; it has c/score, c/type_macro_f1, c/type_micro_f1, score, type_macro_f1, type_micro_f1
    """
    _, names = score_corpora(dev, [{"attack_types": [], "scores": {}, "spans": []} for c in dev for _ in c.docs])
    if metric in names:
        return
    hint = ("; grit_micro_f1 needs a MUC-4 corpus with dev_sets [tst1, tst2] and GRIT's processed_grit/dev.json beside "
            "its distribution (named <corpus>/grit_micro_f1 in a run of several corpora)" if "grit" in metric else "")
    raise ValueError(f"training.metric {metric!r} is not a dev metric of this run; it has {', '.join(sorted(names))}"
                     f"{hint}")


class IncidexTrainer(Trainer):
    """`Trainer` with per-head learning rates and an ``evaluate`` that decodes like ``predict()``."""

    def __init__(self, *args: Any, dev_corpora: list[DevCorpus] | None = None, head_learning_rate: float | None = None,
                 eval_batch_size: int = 32, sampler: torch.utils.data.Sampler | None = None,
                 window_sampler: WindowBudgetBatchSampler | None = None, distill_weight: float = 1.0,
                 distill_temperature: float = 1.0, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.distill_weight = distill_weight
        self.distill_temperature = distill_temperature
        self.window_sampler = window_sampler
        self.dev_corpora = dev_corpora or []
        self.dev_docs = [d for c in self.dev_corpora for d in c.docs]
        self.head_learning_rate = head_learning_rate
        self.eval_batch_size = eval_batch_size
        self.corpus_sampler = sampler
        self.last_records: list[dict] = []
        self.last_metrics: dict[str, Any] = {}
        self.last_flat: dict[str, float] = {}

    def compute_loss(self, model: Any, inputs: dict[str, Any], return_outputs: bool = False,
                     num_items_in_batch: Any = None) -> Any:
        """The model's loss, plus ``distill_weight`` x the distillation loss where the batch has ``teacher_probs``."""
        teacher = inputs.pop("teacher_probs", None)
        if teacher is None or not self.distill_weight:
            return super().compute_loss(model, inputs, return_outputs, num_items_in_batch)
        outputs = model(**inputs)
        mask = inputs["owner_mask"].bool() & (teacher.sum(-1) > 0)  # (W, L): each token once, padding and
        extra = distill_loss(outputs.tag_logits, teacher, mask, self.distill_temperature)  # gradient-free windows out
        loss = outputs.loss if extra is None else outputs.loss + self.distill_weight * extra
        return (loss, outputs) if return_outputs else loss

    def _get_train_sampler(self, train_dataset: Any = None) -> torch.utils.data.Sampler | None:
        return self.corpus_sampler or super()._get_train_sampler(train_dataset)

    def get_train_dataloader(self) -> torch.utils.data.DataLoader:
        """Steps by window budget (``training.max_windows_per_step``), else the stock document batches."""
        if self.window_sampler is None:
            return super().get_train_dataloader()
        loader = torch.utils.data.DataLoader(self.train_dataset, batch_sampler=self.window_sampler,
                                             collate_fn=self.data_collator,
                                             num_workers=self.args.dataloader_num_workers)
        return self.accelerator.prepare(loader)

    def create_optimizer(self, model: Any = None) -> torch.optim.Optimizer:
        """The optimizer ``args.optim`` names (betas, eps, weight decay as configured), with the heads at
        ``head_learning_rate``: the Trainer's own ``get_optimizer_cls_and_kwargs`` over four parameter groups
        (encoder / heads x decay / no decay)."""
        if self.optimizer is not None:
            return self.optimizer
        opt_model = self.model if model is None else model
        if self.optimizer_cls_and_kwargs is not None:
            optimizer_cls, optimizer_kwargs = self.optimizer_cls_and_kwargs
        else:
            optimizer_cls, optimizer_kwargs = self.get_optimizer_cls_and_kwargs(self.args, opt_model)
        plain = isinstance(optimizer_cls, type) and issubclass(optimizer_cls, torch.optim.Optimizer)
        if not plain or {"params", "model", "optimizer_dict"} & set(optimizer_kwargs):  # factories, GaLore, LOMO
            logger.warning("optim=%s builds its own parameter groups: head_learning_rate is not applied",
                           self.args.optim)
            return super().create_optimizer(model)
        decay = set(self.get_decay_parameter_names(opt_model))
        head_lr = self.head_learning_rate or self.args.learning_rate
        groups: dict[tuple[bool, bool], list] = {}
        for name, p in opt_model.named_parameters():
            if p.requires_grad:
                groups.setdefault((name.startswith("encoder."), name in decay), []).append(p)
        params = [
            {"params": ps, "lr": self.args.learning_rate if is_enc else head_lr,
             "weight_decay": self.args.weight_decay if has_decay else 0.0}
            for (is_enc, has_decay), ps in groups.items()
        ]
        self.optimizer = optimizer_cls(params, **optimizer_kwargs)
        return self.optimizer

    def dev_records(self) -> list[dict]:
        """Predict the dev documents with the current weights (eval mode, fp32 or the training precision)."""
        precision = "bf16" if self.args.bf16 else "fp16" if self.args.fp16 else "fp32"
        device = str(next(self.model.parameters()).device)
        predictor = Predictor(self.model, tokenizer=self.processing_class, batch_size=self.eval_batch_size,
                              device=device, precision=precision)
        records = predictor.predict([d["text"] for d in self.dev_docs])
        self.model.train()
        return records

    def evaluate(self, eval_dataset: Any = None, ignore_keys: Any = None, metric_key_prefix: str = "eval"
                 ) -> dict[str, float]:
        start = time.time()
        self.last_records = self.dev_records()
        self.last_metrics, self.last_flat = score_corpora(self.dev_corpora, self.last_records)
        metrics = {f"{metric_key_prefix}_{k}": v for k, v in self.last_flat.items()}
        metrics[f"{metric_key_prefix}_runtime"] = round(time.time() - start, 2)
        self.log(metrics)
        self.control = self.callback_handler.on_evaluate(self.args, self.state, self.control, metrics)
        return metrics


def warmup_steps_arg(ratio: float) -> float:
    """``TrainingArguments.warmup_steps`` for a warmup over ``ratio`` of all steps, at every ratio in [0, 1].

    transformers reads ``warmup_steps`` < 1 as a ratio (``ceil(ratio * N)`` steps) and >= 1 as a step count,
    so ratio 1.0 would mean one step; just below 1 gives ``ceil`` = N for any N < 10**9.

    >>> warmup_steps_arg(0.1), warmup_steps_arg(0.0), warmup_steps_arg(1.0) < 1
    (0.1, 0.0, True)
    """
    if not 0.0 <= ratio <= 1.0:
        raise ValueError(f"training.warmup_ratio must be in [0, 1], got {ratio}")
    return min(ratio, 1.0 - 1e-9)


def _precision_flags(precision: str, on_cuda: bool) -> dict[str, bool]:
    if precision == "auto":
        if on_cuda:
            precision = "bf16" if torch.cuda.is_bf16_supported() else "fp16"
        else:
            precision = "bf16" if cpu_has_bf16() else "fp32"
    if precision == "fp16" and not on_cuda:
        raise ValueError("fp16 training needs a CUDA GPU; use bf16 or fp32 on CPU")
    return {"bf16": precision == "bf16", "fp16": precision == "fp16"}


def build_model(cfg: IncidexConfig, train_docs: list[dict], dev_docs: list[dict]) -> tuple[EventExtractor, Any]:
    """A new model on the base encoder, or a saved incidex model to fine-tune further (labels checked).

    ``train_docs`` / ``dev_docs`` are taxonomy views; the labels are the taxonomy's, else those of the data.
    """
    m, tax = cfg.model, cfg.taxonomy
    taxonomy = LabelSet(list(tax.attack_types), list(tax.span_labels)) if tax.attack_types or tax.span_labels else None
    if m.init_from:
        model = EventExtractor.from_pretrained(m.init_from)
        derive_labels(train_docs, dev_docs, LabelSet(model.config.attack_types, model.config.span_labels), taxonomy)
        return model, AutoTokenizer.from_pretrained(m.init_from)
    labels = derive_labels(train_docs, dev_docs, taxonomy=taxonomy)
    extra = {"span_roles": dict(tax.span_roles)} if tax.span_roles else {}
    model = EventExtractor.from_encoder(
        m.encoder,
        attack_types=labels.attack_types,
        span_labels=labels.span_labels,
        attention_dropout=m.attention_dropout,
        window_length=m.window_length,
        window_stride=m.window_stride,
        classifier_dropout=m.classifier_dropout,
        type_pooling=m.type_pooling,
        type_loss_weight=m.type_loss_weight,
        span_loss_weight=m.span_loss_weight,
        tag_o_weight=m.tag_o_weight,
        type_pos_weight=type_pos_weight(train_docs, labels.attack_types, m.class_weights),
        actors_need_attack_type=m.actors_need_attack_type,
        **extra,
    )
    return model, AutoTokenizer.from_pretrained(resolve_encoder(m.encoder))


def check_trainable(views: list[dict], attack_types: list[str]) -> None:
    """Reject a corpus that cannot teach the type head: fewer than two classes among its annotated documents.

    One attack type and no negatives would report a perfect dev score while predicting that type for every
    input. (A type seen only as positive is fine when other types or no-attack documents exist.)
    """
    if not attack_types:
        return
    type2id = {t: i for i, t in enumerate(attack_types)}
    seen_pos, seen_neg = set(), False
    for d in views:
        targets, groups = type_targets(d, type2id)
        seen_pos |= {t for t in attack_types if targets[type2id[t]] == 1}
        seen_pos |= {t for g in d.get("type_groups") or [] for t in g}
        seen_neg = seen_neg or bool((targets == 0).any())
    if len(seen_pos) < 2 and not seen_neg:
        raise ValueError(
            f"the training data has one attack type ({', '.join(sorted(seen_pos)) or 'none'}) and no negative "
            "document: the type head would learn to say it for every input. Add documents of another type or "
            "with attack_types: [] (no attack), or drop attack_types from the corpus to train spans only."
        )


def encoder_layers(encoder: torch.nn.Module) -> torch.nn.ModuleList:
    """The encoder's stack of transformer layers (BERT-like ``encoder.layer``, or ``layers``)."""
    for name in ("encoder.layer", "layer", "layers", "encoder.layers", "transformer.layer"):
        module: Any = encoder
        for part in name.split("."):
            module = getattr(module, part, None)
        if isinstance(module, torch.nn.ModuleList):
            return module
    raise ValueError(f"cannot find the transformer layers of {type(encoder).__name__} to freeze")


def freeze_encoder(model: EventExtractor, embeddings: bool = False, layers: int = 0) -> int:
    """Stop gradients to the encoder's embeddings and/or its first ``layers`` layers; returns frozen weights.

    >>> freeze_encoder(model, embeddings=True, layers=2)  # doctest: +SKIP
    13000000
    """
    modules: list[torch.nn.Module] = []
    if embeddings or layers:
        emb = getattr(model.encoder, "embeddings", None)
        modules.append(emb if emb is not None else model.encoder.get_input_embeddings())
    if layers:
        stack = encoder_layers(model.encoder)
        if layers > len(stack):
            raise ValueError(f"freeze_layers={layers} but the encoder has {len(stack)} layers")
        modules.extend(stack[:layers])
    frozen = 0
    for module in modules:
        for p in module.parameters():
            p.requires_grad_(False)
            frozen += p.numel()
    return frozen


def train(cfg: IncidexConfig, output_dir: str | Path, *, resume: bool = False) -> dict[str, Any]:
    """Train, keep the best dev model, tune thresholds, save a standard Hugging Face directory.

    ``resume``: continue an interrupted run in ``output_dir`` after its last completed epoch (same config;
    :mod:`incidex.training.resume`). Returns ``{"output_dir", "dev_metrics" (flat), "metrics" (nested),
    "train_seconds"}``.
    """
    output_dir = Path(output_dir)
    resume_from = prepare_checkpoints(output_dir / "checkpoints", cfg, resume)
    set_seed(cfg.seed)
    corpora = load_corpora(cfg.data)
    weapons = weapon_labels(cfg.taxonomy.span_roles)
    train_views = [v for c in corpora for v in taxonomy_views(c, "train", weapons)]
    dev_by_corpus = [taxonomy_views(c, "dev", weapons) for c in corpora]
    dev_views = [v for views in dev_by_corpus for v in views]
    dev_group = [k for k, views in enumerate(dev_by_corpus) for _ in views]  # each dev view's corpus
    model, tokenizer = build_model(cfg, train_views, dev_views)
    check_trainable(train_views, list(model.config.attack_types))
    t = cfg.training
    freeze_encoder(model, t.freeze_embeddings, t.freeze_layers)
    train_feats = build_features(train_views, tokenizer, model.config)
    # weight 0 turns the teachers off; under torchrun each process runs them on its own GPU, for every document
    if t.teachers and t.distill_weight:
        device = f"cuda:{int(os.environ.get('LOCAL_RANK', 0))}" if torch.cuda.is_available() else "cpu"
        add_teacher_probs(train_feats, t.teachers, model.config.tags, tokenizer, temperature=t.distill_temperature,
                          batch_size=t.eval_batch_size, device=device)
    sampler = None
    if any(c.weight != 1.0 for c in corpora):
        corpus_of = [k for k, c in enumerate(corpora) for _ in c.train]
        sampler = CorpusSampler(corpus_of, [c.weight for c in corpora], cfg.seed)
    window_sampler = None
    if t.max_windows_per_step:
        draw = (lambda: list(iter(sampler))) if sampler is not None else None
        window_sampler = WindowBudgetBatchSampler([len(f["input_ids"]) for f in train_feats], t.max_windows_per_step,
                                                  cfg.seed, draw)
    dev_corpora = [DevCorpus(c.name, c.dev, c.labels, grit_scorer(c_cfg, model.config.role_of_label))
                   for c_cfg, c in zip(cfg.data.corpus_list(), corpora, strict=True) if c.dev]
    dev_docs = [d for c in dev_corpora for d in c.docs]
    if dev_docs:
        check_metric(dev_corpora, t.metric)
    elif t.average_last:
        raise ValueError("training.average_last needs a dev set: the mean of the last checkpoints is kept only when "
                         "it scores at least the best checkpoint on dev")
    on_cuda = torch.cuda.is_available()
    has_dev = bool(dev_docs)
    report_to = [r for r in t.report_to if r != "tensorboard" or _has_tensorboard()]
    args = TrainingArguments(
        output_dir=str(output_dir / "checkpoints"),
        num_train_epochs=t.epochs,
        max_steps=t.max_steps,
        per_device_train_batch_size=t.batch_size,
        gradient_accumulation_steps=t.gradient_accumulation_steps,
        learning_rate=t.learning_rate,
        weight_decay=t.weight_decay,
        warmup_steps=warmup_steps_arg(t.warmup_ratio),
        optim=t.optim,
        adam_beta1=t.adam_beta1,
        adam_beta2=t.adam_beta2,
        adam_epsilon=t.adam_epsilon,
        max_grad_norm=t.max_grad_norm,
        lr_scheduler_type="linear",
        eval_strategy="epoch" if has_dev else "no",
        save_strategy="epoch",  # full checkpoints (optimizer and random states too): `--resume` continues from them
        # the last N and the best; with keep_checkpoints every epoch's (bench/grit_halves.py --epochs reads them)
        save_total_limit=None if t.keep_checkpoints else t.average_last + 1 if t.average_last else 1,
        load_best_model_at_end=has_dev,
        metric_for_best_model=t.metric if has_dev else None,
        greater_is_better=True,
        logging_steps=t.logging_steps,
        report_to=report_to or "none",
        seed=cfg.seed,
        data_seed=cfg.seed,
        use_cpu=not on_cuda,
        dataloader_num_workers=t.dataloader_num_workers,
        remove_unused_columns=False,
        label_names=["type_labels", "tag_allowed", "type_groups"],
        save_only_model=False,
        ddp_find_unused_parameters=True,  # a batch can lack one task's labels: that head gets no loss on one rank
        **_precision_flags(t.precision, on_cuda),
    )
    user_tb_dir = os.environ.get("TENSORBOARD_LOGGING_DIR")  # read when the Trainer builds its callbacks
    os.environ["TENSORBOARD_LOGGING_DIR"] = user_tb_dir or str(output_dir / "logs")  # outlives checkpoints/
    callbacks = [EarlyStoppingCallback(t.early_stopping_patience)] if has_dev and t.early_stopping_patience > 0 else []
    trainer = IncidexTrainer(
        model=model, args=args, train_dataset=train_feats, eval_dataset=dev_docs or None, data_collator=DocumentCollator(tokenizer.pad_token_id or 0, t.max_windows_per_step, cfg.seed),
        processing_class=tokenizer, callbacks=callbacks, dev_corpora=dev_corpora, head_learning_rate=t.head_learning_rate,
        eval_batch_size=t.eval_batch_size, sampler=sampler, window_sampler=window_sampler,
        distill_weight=t.distill_weight, distill_temperature=t.distill_temperature,
    )
    start = time.time()
    try:
        train_output = trainer.train(resume_from_checkpoint=resume_from)
    finally:
        if user_tb_dir is None:
            del os.environ["TENSORBOARD_LOGGING_DIR"]
    train_seconds = time.time() - start
    model = trainer.model
    metrics: dict[str, Any] = {}
    flat: dict[str, float] = {}
    averaging = None
    if has_dev and t.average_last:
        averaging = try_average(trainer, output_dir / "checkpoints", t.average_last, t.metric)
    if has_dev:
        if not averaging or averaging["kept"] != "average":
            trainer.evaluate()  # the kept model's dev predictions at 0.5 thresholds (the average's are the last)
        flat_default = dict(trainer.last_flat)
        if t.tune_thresholds:
            types, spans = dev_thresholds(trainer.last_records, dev_views, model.config, dev_group)
            if types is not None:
                model.config.type_thresholds = types
            if spans is not None:
                model.config.span_thresholds = spans
            trainer.evaluate()
        metrics = trainer.last_metrics
        flat = dict(trainer.last_flat)
        flat.update({f"{k}_at_0.5": v for k, v in flat_default.items()})
    model.config.training_info = {
        "seed": cfg.seed,
        "versions": library_versions(),
        "data": {c.name: {"train": len(c.train), "dev": len(c.dev), "weight": c.weight,
                          "train_attack_types": summarize(c.train)["attack_types"]} for c in corpora},
        "label_maps": {c.name: c.labels.to_dict() for c in corpora},
        "dev_metrics": flat,
        "train_seconds": round(train_seconds, 1),
        "train_steps": train_output.global_step,
        # the one checkpoint saved, unless the saved weights are the mean of several (``checkpoint_averaging``)
        **({"kept_checkpoint": kept} if (kept := kept_checkpoint(trainer.state, t.metric))
           and not (averaging and averaging["kept"] == "average") else {}),
        **({"checkpoint_averaging": averaging} if averaging else {}),
        "config": cfg.to_dict(),
    }
    if trainer.is_world_process_zero():
        model.save_pretrained(output_dir, tokenizer=tokenizer)
        dump_config(cfg, output_dir / "training_config.yaml")
        (output_dir / "dev_metrics.json").write_text(json.dumps(metrics, indent=2), encoding="utf-8")
        if not t.keep_checkpoints:
            shutil.rmtree(output_dir / "checkpoints", ignore_errors=True)
    trainer.accelerator.wait_for_everyone()
    return {"output_dir": str(output_dir), "dev_metrics": flat, "metrics": metrics, "train_seconds": train_seconds}


def _has_tensorboard() -> bool:
    try:
        import tensorboard  # noqa: F401
    except ImportError:
        return False
    return True
