"""`incidex evaluate`: score a trained model on a corpus and write the full report; several seeds.

>>> result = evaluate_model("runs/quickstart", "data/sample/dev.jsonl", "reports/quickstart")  # doctest: +SKIP
>>> sorted(result["files"])  # doctest: +SKIP
['confusion', 'errors', 'f1_by_label', 'metrics', 'report']
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from incidex.eval.baselines import majority_baseline, tfidf_logreg_baseline
from incidex.eval.metrics import evaluate as evaluate_records
from incidex.eval.report import seed_summary, write_report
from incidex.model import Predictor

from .config import ConfigError, load_config
from .data import load_splits, read_corpus, summarize
from .grit_dev import grit_scorer
from .labelmap import source_view
from .trainer import flat_scores, train


def _train_docs_of(model_config: Any, train_data: str | None) -> list[dict] | None:
    """The training documents for the baselines: given explicitly, or re-read from the model's config."""
    if train_data:
        return read_corpus("jsonl", [train_data])
    cfg = (model_config.training_info or {}).get("config")
    if not cfg:
        return None
    data = cfg["data"]
    try:
        return read_corpus(data["format"], data["train"], path=data.get("path"), sets=data.get("train_sets", []))
    except (OSError, ValueError):
        return None


def evaluate_model(model_dir: str | Path, data: str | Path, output: str | Path, *, data_format: str = "jsonl",
                   sets: str = "tst1,tst2", train_data: str | None = None, batch_size: int = 16) -> dict[str, Any]:
    """Predict ``data`` with the model, compute every metric, baselines included, and write the report."""
    docs = read_corpus(data_format, [str(data)], path=str(data), sets=[s for s in sets.split(",") if s])
    if not docs:
        raise ValueError(f"{data}: no documents to evaluate on; check the file (or --format/--sets)")
    predictor = Predictor(model_dir, batch_size=batch_size)
    start = time.time()
    records = predictor.predict([d["text"] for d in docs])
    seconds = time.time() - start
    labels = list(predictor.config.attack_types)
    metrics = evaluate_records(docs, records, labels)
    baselines = {}
    train_docs = _train_docs_of(predictor.config, train_data)
    if train_docs and "attack_type" in metrics:
        baselines = {
            "majority": majority_baseline(train_docs, docs, labels),
            "tf-idf + logistic regression": tfidf_logreg_baseline(train_docs, docs, labels),
        }
    model_info = {
        "model": str(model_dir),
        "encoder": predictor.config.encoder_name,
        "window_length": predictor.config.window_length,
        "window_stride": predictor.config.window_stride,
        "thresholds": dict(zip(labels, predictor.config.type_thresholds)),
        "predict_seconds": round(seconds, 2),
        **{k: v for k, v in (predictor.config.training_info or {}).items() if k in ("seed", "train_seconds")},
    }
    files = write_report(metrics, docs, records, output, model_info=model_info, baselines=baselines,
                         data_summary=summarize(docs))
    return {"metrics": metrics, "headline": flat_scores(metrics), "files": {k: str(v) for k, v in files.items()}}


def evaluate_corpora(model_dir: str | Path, config: str | Path, output: str | Path, *,
                     overrides: list[str] | None = None, batch_size: int = 16) -> dict[str, Any]:
    """Score a model on the dev split of every corpus of a training config, each in its own labels.

    Writes ``output/<corpus>/`` (the full report of that corpus) and ``output/corpora.json`` (the headline
    figures of each corpus and, for MUC-4 TST1+TST2, GRIT's role-filler score).
    """
    from .data import load_corpus
    from .trainer import DevCorpus, score_corpora

    cfg = load_config(config, overrides)
    predictor = Predictor(model_dir, batch_size=batch_size)
    output = Path(output)
    summary: dict[str, Any] = {"model": str(model_dir), "config": str(config), "corpora": {}}
    for c in cfg.data.corpus_list():
        corpus = load_corpus(c)
        if not corpus.dev:
            continue
        start = time.time()
        records = predictor.predict([d["text"] for d in corpus.dev])
        seconds = time.time() - start
        dev = DevCorpus(c.name, corpus.dev, corpus.labels, grit_scorer(c, predictor.config.role_of_label))
        nested, flat = score_corpora([dev], records)
        metrics = nested["corpora"][c.name]
        views = [source_view(d, r, corpus.labels) for d, r in zip(corpus.dev, records)]
        write_report(metrics, [g for g, _ in views], [r for _, r in views], output / c.name,
                     model_info={"model": str(model_dir), "corpus": c.name, "predict_seconds": round(seconds, 2)},
                     data_summary=summarize(corpus.dev))
        entry: dict[str, Any] = {"documents": len(corpus.dev), **{k.split("/", 1)[-1]: v for k, v in flat.items()
                                                                   if k.startswith(f"{c.name}/")}}
        if "grit" in metrics:
            entry["grit"] = metrics["grit"]
        summary["corpora"][c.name] = entry
    output.mkdir(parents=True, exist_ok=True)
    (output / "corpora.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return summary


def _finished_run(run_dir: Path, cfg: Any) -> bool:
    """True when ``run_dir`` holds a model trained to the end with exactly this resolved config."""
    saved = run_dir / "training_config.yaml"
    if not (saved.is_file() and (run_dir / "dev_metrics.json").is_file() and (run_dir / "config.json").is_file()):
        return False
    try:
        return load_config(saved).to_dict() == cfg.to_dict()
    except ConfigError:  # an older or hand-edited file: train again rather than guess
        return False


def evaluate_seeds(config: str | Path, seeds: int, output: str | Path, overrides: list[str] | None = None
                   ) -> dict[str, Any]:
    """Train and evaluate ``seeds`` models (seed, seed+1, ...) and report mean and standard deviation.

    Each model goes to ``output/seed{N}``. A seed whose directory already holds a finished model trained
    with the same resolved config (``training_config.yaml`` and ``dev_metrics.json``) is not trained
    again, so an interrupted run resumes where it stopped.
    """
    output = Path(output)
    base = load_config(config, overrides)
    per_seed = []
    for k in range(seeds):
        seed = base.seed + k
        cfg = load_config(config, list(overrides or []) + [f"seed={seed}"])
        run_dir = output / f"seed{seed}"
        if _finished_run(run_dir, cfg):
            per_seed.append(json.loads((run_dir / "dev_metrics.json").read_text(encoding="utf-8")))
            continue
        result = train(cfg, run_dir)
        per_seed.append(result["metrics"])
    summary = seed_summary(per_seed)
    _, dev = load_splits(base.data)
    last = output / f"seed{base.seed + seeds - 1}"
    records = Predictor(last).predict([d["text"] for d in dev])
    write_report(per_seed[-1], dev, records, output, model_info={"config": str(config), "seeds": seeds},
                 seed_stats=summary)
    headline = {k: [flat_scores(m)[k] for m in per_seed] for k in flat_scores(per_seed[0])}
    (output / "seeds.json").write_text(json.dumps({"headline": headline, "summary": summary}, indent=2))
    return {"headline": headline, "summary": summary}
