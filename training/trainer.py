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
from pathlib import Path
from typing import Any

import numpy as np
import torch
from incidex.eval.metrics import evaluate as evaluate_records
from incidex.model import EventExtractor, Predictor
from incidex.model.inference import cpu_has_bf16
from incidex.model.modeling import resolve_encoder
from transformers import AutoTokenizer, EarlyStoppingCallback, Trainer, TrainingArguments, set_seed

from .config import IncidexConfig, dump_config
from .data import LabelSet, derive_labels, load_splits, summarize
from .features import DocumentCollator, build_features, type_pos_weight

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
    """The headline dev numbers, flat: type macro/micro F1, span strict F1, MUC F1, and their ``score``."""
    out: dict[str, float] = {}
    if "attack_type" in metrics:
        out["type_macro_f1"] = metrics["attack_type"]["macro_f1"]
        out["type_micro_f1"] = metrics["attack_type"]["micro_f1"]
    if "spans" in metrics:
        out["span_f1"] = metrics["spans"]["strict"]["micro_f1"]
        out["span_partial_f1"] = metrics["spans"]["partial"]["micro_f1"]
    if "muc" in metrics:
        out["muc_macro_f1"] = metrics["muc"]["macro_f1"]
    heads = [out[k] for k in ("type_macro_f1", "span_f1") if k in out]
    out["score"] = float(np.mean(heads)) if heads else 0.0
    return out


def tune_thresholds(records: list[dict], docs: list[dict], attack_types: list[str]) -> list[float]:
    """Per-label threshold in 0.05..0.95 that maximises that label's F1 on dev (0.5 when it never occurs)."""
    labelled = [(r, d) for r, d in zip(records, docs) if "attack_types" in d]
    grid = np.round(np.arange(0.05, 0.96, 0.05), 2)
    out = []
    for label in attack_types:
        gold = np.array([label in d["attack_types"] for _, d in labelled])
        scores = np.array([r["scores"][label] for r, _ in labelled])
        if not gold.any():
            out.append(0.5)
            continue
        best, best_th = -1.0, 0.5
        for th in sorted(grid, key=lambda t: abs(t - 0.5)):  # ties go to the threshold nearest 0.5
            pred = scores >= th
            tp = float((pred & gold).sum())
            f1 = 2 * tp / max(pred.sum() + gold.sum(), 1)
            if f1 > best + 1e-9:
                best, best_th = f1, float(th)
        out.append(best_th)
    return out


class IncidexTrainer(Trainer):
    """`Trainer` with per-head learning rates and an ``evaluate`` that decodes like ``predict()``."""

    def __init__(self, *args: Any, dev_docs: list[dict] | None = None, head_learning_rate: float | None = None,
                 eval_batch_size: int = 32, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.dev_docs = dev_docs or []
        self.head_learning_rate = head_learning_rate
        self.eval_batch_size = eval_batch_size
        self.last_records: list[dict] = []
        self.last_metrics: dict[str, Any] = {}

    def create_optimizer(self, model: Any = None) -> torch.optim.Optimizer:
        if self.optimizer is None:
            opt_model = self.model if model is None else model
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
            self.optimizer = torch.optim.AdamW(params, lr=self.args.learning_rate)
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
        self.last_metrics = evaluate_records(self.dev_docs, self.last_records, list(self.model.config.attack_types))
        metrics = {f"{metric_key_prefix}_{k}": v for k, v in flat_scores(self.last_metrics).items()}
        metrics[f"{metric_key_prefix}_runtime"] = round(time.time() - start, 2)
        self.log(metrics)
        self.control = self.callback_handler.on_evaluate(self.args, self.state, self.control, metrics)
        return metrics


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
    """A new model on the base encoder, or a saved incidex model to fine-tune further (labels checked)."""
    m = cfg.model
    if m.init_from:
        model = EventExtractor.from_pretrained(m.init_from)
        derive_labels(train_docs, dev_docs, LabelSet(model.config.attack_types, model.config.span_labels))
        return model, AutoTokenizer.from_pretrained(m.init_from)
    labels = derive_labels(train_docs, dev_docs)
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
    )
    return model, AutoTokenizer.from_pretrained(resolve_encoder(m.encoder))


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


def train(cfg: IncidexConfig, output_dir: str | Path) -> dict[str, Any]:
    """Train, keep the best dev model, tune thresholds, save a standard Hugging Face directory.

    Returns ``{"output_dir", "dev_metrics" (flat), "metrics" (nested), "train_seconds"}``.
    """
    output_dir = Path(output_dir)
    set_seed(cfg.seed)
    train_docs, dev_docs = load_splits(cfg.data)
    model, tokenizer = build_model(cfg, train_docs, dev_docs)
    t = cfg.training
    freeze_encoder(model, t.freeze_embeddings, t.freeze_layers)
    train_feats = build_features(train_docs, tokenizer, model.config)
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
        warmup_steps=t.warmup_ratio,
        max_grad_norm=t.max_grad_norm,
        lr_scheduler_type="linear",
        eval_strategy="epoch" if has_dev else "no",
        save_strategy="epoch" if has_dev else "no",
        save_total_limit=1 if has_dev else None,
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
        label_names=["type_labels", "tag_labels"],
        save_only_model=True,
        ddp_find_unused_parameters=True,  # a batch can lack one task's labels: that head gets no loss on one rank
        **_precision_flags(t.precision, on_cuda),
    )
    user_tb_dir = os.environ.get("TENSORBOARD_LOGGING_DIR")  # read when the Trainer builds its callbacks
    os.environ["TENSORBOARD_LOGGING_DIR"] = user_tb_dir or str(output_dir / "logs")  # outlives checkpoints/
    callbacks = [EarlyStoppingCallback(t.early_stopping_patience)] if has_dev and t.early_stopping_patience > 0 else []
    trainer = IncidexTrainer(
        model=model, args=args, train_dataset=train_feats, eval_dataset=dev_docs or None, data_collator=DocumentCollator(tokenizer.pad_token_id or 0),
        processing_class=tokenizer, callbacks=callbacks, dev_docs=dev_docs, head_learning_rate=t.head_learning_rate,
        eval_batch_size=t.eval_batch_size,
    )
    start = time.time()
    try:
        train_output = trainer.train()
    finally:
        if user_tb_dir is None:
            del os.environ["TENSORBOARD_LOGGING_DIR"]
    train_seconds = time.time() - start
    model = trainer.model
    metrics: dict[str, Any] = {}
    flat: dict[str, float] = {}
    if has_dev:
        trainer.evaluate()  # the best model's dev predictions at 0.5 thresholds
        flat_default = flat_scores(trainer.last_metrics)
        if t.tune_thresholds and model.config.attack_types:
            model.config.type_thresholds = tune_thresholds(trainer.last_records, dev_docs, model.config.attack_types)
            trainer.evaluate()
        metrics = trainer.last_metrics
        flat = flat_scores(metrics)
        flat.update({f"{k}_at_0.5": v for k, v in flat_default.items()})
    model.config.training_info = {
        "seed": cfg.seed,
        "versions": library_versions(),
        "data": {"train": len(train_docs), "dev": len(dev_docs),
                 "train_attack_types": summarize(train_docs)["attack_types"]},
        "dev_metrics": flat,
        "train_seconds": round(train_seconds, 1),
        "train_steps": train_output.global_step,
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
