"""Compare trained recipes over seeds: per-corpus dev figures, the MUC-4 type gap, GRIT, killed counts, modern reports.

    python bench/recipe_pair.py runs/pair/*/ [--labels arson attack bombing kidnapping] [--json out.json]

Each argument is a model directory written by ``incidex train`` (``bench/train_recipes.py`` names them
``RECIPE-sSEED``; the recipe is the name before ``-s``). Read from each: ``config.json`` (steps, train
seconds, tuned thresholds), ``dev_metrics.json`` (per-corpus dev metrics, each corpus in its own labels), and
when present ``tst_preds.jsonl`` (``incidex predict`` of MUC-4 TST1+TST2: GRIT-scored micro F1 as
``bench/grit_score.py`` scores it, and killed counts as ``bench/casualty_counts.py --predictions`` counts
them) and ``modern.json`` (``bench/modern_reports.py --json``: facts right of 41). The MUC-4 type figure is
the macro F1 over ``--labels``, the MUC-4 labels that both the MUC-4 and the news taxonomy score (robbery and
forced work stoppage have no news type). Prints one line per run and the mean +- sample standard deviation
per recipe.

``--current-code`` redoes what prediction does after decoding and thresholds
(``incidex.model.inference.facts_from_spans``: span tidying, entities, casualties, actors) on the stored spans of ``tst_preds.jsonl`` with the code
installed now, so a change to that post-processing is measured on the same models without predicting again.
Steps that need token probabilities (``casualty_cues``) are not redone: predict again to measure those.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))


def corpus_metrics(dev: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``{corpus: metrics}`` of a dev_metrics.json (a single-corpus run keeps them at the top level too)."""
    return dev.get("corpora") or {"muc4": dev}


def muc4_type_macro(metrics: dict[str, Any], labels: list[str]) -> float | None:
    per = (metrics.get("attack_type") or {}).get("per_label") or {}
    if not all(lab in per for lab in labels):
        return None
    return float(np.mean([per[lab]["f1"] for lab in labels]))


def repostprocess(records: dict[str, dict], texts: dict[str, str], run: Path) -> dict[str, dict]:
    """``records`` with spans tidied and entities rebuilt by the installed code (``--current-code``)."""
    from incidex.model.configuration import EventExtractorConfig
    from incidex.model.inference import facts_from_spans

    cfg = EventExtractorConfig.from_pretrained(str(run))
    return {docid: {**rec, **facts_from_spans(texts[docid], rec.get("spans") or [], cfg.role_of_label,
                                              cfg.span_edge_words)}
            for docid, rec in records.items()}


def tst_figures(run: Path, current_code: bool = False) -> dict[str, float]:
    """GRIT micro F1 and killed-count figures from ``tst_preds.jsonl``, if the run has it."""
    preds = run / "tst_preds.jsonl"
    if not preds.exists():
        return {}
    import casualty_counts
    import grit_score
    from incidex.eval.grit_names import muc4_name_filter
    from incidex.model.casualties import casualties_from_spans
    from incidex.training.importers.muc4 import read_muc4

    records = grit_score.read_predictions(preds)
    gold = _cached(read_muc4, casualty_counts.MUC4, ("tst1", "tst2"))
    if current_code:
        records = repostprocess(records, {str(d["id"]): d["text"] for d in gold}, run)
    names = _cached(muc4_name_filter, grit_score.MUC4 / "raw" / "TASK" / "CORPORA", ("dev",))
    grit = grit_score.grit_report(records, grit_score.MUC4 / "processed_grit" / "dev.json",
                                  grit_score.role_of_label(str(run)), "canonical", names.choose)["micro"]
    docs = [{**d, "spans": records[str(d["id"])].get("spans") or []} for d in gold if str(d["id"]) in records]
    killed = casualty_counts.score(docs, casualties_from_spans, "killed")
    return {"grit_f1": grit["f1"], "grit_p": grit["p"], "grit_r": grit["r"], "killed_exact": killed["exact"],
            "killed_false_alarm": killed["false_alarm"]}


_CACHE: dict[Any, Any] = {}


def _cached(fn: Any, *args: Any) -> Any:
    key = (fn.__name__, *map(str, args))
    if key not in _CACHE:
        _CACHE[key] = fn(*args)
    return _CACHE[key]


def modern_facts(run: Path) -> int | None:
    path = run / "modern.json"
    if not path.exists():
        return None
    import modern_reports

    records = next(iter(json.loads(path.read_text(encoding="utf-8")).values()))
    return sum(sum(modern_reports.check(r, rep).values()) for r, rep in zip(records, modern_reports.REPORTS))


def summarize(run: Path, labels: list[str], current_code: bool = False) -> dict[str, float]:
    info = json.loads((run / "config.json").read_text(encoding="utf-8")).get("training_info") or {}
    dev = json.loads((run / "dev_metrics.json").read_text(encoding="utf-8"))
    row: dict[str, float] = {"steps": info.get("train_steps"), "train_s": info.get("train_seconds")}
    for name, m in corpus_metrics(dev).items():
        if "attack_type" in m:
            row[f"{name}/type_macro"] = m["attack_type"]["macro_f1"]
        if "spans" in m:
            row[f"{name}/span_strict"] = m["spans"]["strict"]["micro_f1"]
        if name == "muc4":
            row["muc4/type_macro_shared"] = muc4_type_macro(m, labels)
            for lab in labels:
                per = (m.get("attack_type") or {}).get("per_label") or {}
                if lab in per:
                    row[f"muc4/{lab}"] = per[lab]["f1"]
    row.update(tst_figures(run, current_code))
    facts = modern_facts(run)
    if facts is not None:
        row["modern_facts"] = facts
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("runs", nargs="+", type=Path)
    ap.add_argument("--labels", nargs="+", default=["arson", "attack", "bombing", "kidnapping"])
    ap.add_argument("--json", type=Path, help="also write every run's figures here")
    ap.add_argument("--current-code", action="store_true",
                    help="tidy the stored MUC-4 spans and rebuild entities with the installed code first")
    args = ap.parse_args(argv)
    rows = {}
    for run in args.runs:
        if not (run / "dev_metrics.json").exists():
            print(f"{run}: no dev_metrics.json (not finished?)", file=sys.stderr)
            continue
        rows[run.name] = summarize(run, args.labels, args.current_code)
    groups: dict[str, list[str]] = defaultdict(list)
    for name in rows:
        groups[re.sub(r"-s\d+$", "", name)].append(name)
    keys = sorted({k for r in rows.values() for k, v in r.items() if v is not None})
    print("per run:")
    for name, r in rows.items():
        print(f"  {name}: " + ", ".join(f"{k} {_fmt(k, r[k])}" for k in keys if r.get(k) is not None))
    print("mean +- std per recipe (n seeds):")
    for recipe, names in groups.items():
        parts = []
        for k in keys:
            vals = [rows[n][k] for n in names if rows[n].get(k) is not None]
            if vals:
                scale = 100 if _is_fraction(k) else 1
                sd = np.std(vals, ddof=1) if len(vals) > 1 else 0.0  # sample standard deviation over seeds
                parts.append(f"{k} {scale * np.mean(vals):.1f} +- {scale * sd:.1f}")
        print(f"  {recipe} (n={len(names)}): " + ", ".join(parts))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


def _is_fraction(key: str) -> bool:
    return key not in ("steps", "train_s", "modern_facts")


def _fmt(key: str, value: float) -> str:
    return f"{100 * value:.1f}" if _is_fraction(key) else f"{value:.0f}"


if __name__ == "__main__":
    sys.exit(main())
