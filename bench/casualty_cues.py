"""What the casualty cues (``model/cues.py``) change, on one model: killed / wounded counts and GRIT, cues off vs on.

    python bench/casualty_cues.py --model runs/news [--model runs/quickstart]

Predicts MUC-4 TST1+TST2 (200 documents, gold counts from ``read_muc4``, GRIT gold from ``processed_grit``) and
the sample corpus's dev split (invented reports) and GVDB's held-out shootings (the fifth of
``../shared/data/gvdb/dev.tsv`` that ``configs/news.yaml`` keeps out of training: 90 US local news reports, gold
counts = the annotated victims killed / injured; with ``--gvdb-rest`` also its other 310 reports) twice with the same model, ``casualty_cues`` off and on
(the setting is switched on the loaded model's config; nothing is retrained; it switches the stated casualties
of ``stated.stated_casualties`` too), and prints for each: killed and
wounded count exact and within range on documents whose gold count is > 0, the false-alarm rate on documents
whose gold count is 0 (``bench/casualty_counts.py``'s ``score``), and GRIT-scored micro F1 (canonical text,
named victims; ``bench/grit_score.py``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DEV = REPO / "data" / "sample" / "dev.jsonl"


def gvdb_reports(part: str = "dev") -> list[dict]:
    """GVDB's documents of one part of ``configs/news.yaml``'s split: ``"dev"`` the ones it holds out (its
    ``dev_fraction``), ``"train"`` the rest, which it trains on; [] without ``../shared``."""
    import dataclasses

    from incidex.training.config import load_config
    from incidex.training.data import load_corpus

    cfg = load_config(REPO / "configs" / "news.yaml")
    corpus = next(c for c in cfg.data.corpus_list() if c.name == "gvdb")
    corpus = dataclasses.replace(corpus, train=[str(REPO / p) for p in corpus.train])  # from any directory
    if not Path(corpus.train[0]).exists():
        return []
    return getattr(load_corpus(corpus), part)


def figures(predictor: Any, model: str, muc: list[dict], sample: list[dict], gvdb: list[dict], names: Any,
            gvdb_rest: list[dict] | None = None) -> dict[str, float]:
    import casualty_counts
    import grit_score
    from incidex.model.casualties import casualties_from_spans

    out: dict[str, float] = {}
    records = dict(zip((str(d["id"]) for d in muc), predictor.predict_iter(d["text"] for d in muc), strict=True))
    grit = grit_score.grit_report(records, grit_score.MUC4 / "processed_grit" / "dev.json",
                                  grit_score.role_of_label(model), "canonical", names.choose)["micro"]
    out["muc4 GRIT micro F1"] = 100 * grit["f1"]
    sample_records = predictor.predict([d["text"] for d in sample])
    gvdb_records = predictor.predict([d["text"] for d in gvdb])
    parts = [("muc4", muc, [records[str(d["id"])] for d in muc]), ("sample", sample, sample_records),
             ("gvdb", gvdb, gvdb_records)]
    if gvdb_rest:
        parts.append(("gvdb-rest", gvdb_rest, predictor.predict([d["text"] for d in gvdb_rest])))
    for corpus, docs, recs in parts:
        scored = [{**d, "spans": r["spans"]} for d, r in zip(docs, recs, strict=True)]
        for kind in ("killed", "wounded"):
            s = casualty_counts.score(scored, casualties_from_spans, kind)
            out[f"{corpus} {kind} exact % (n={s['n']})"] = 100 * s["exact"]
            out[f"{corpus} {kind} within %"] = 100 * s["within"]
            out[f"{corpus} {kind} false alarms % (n={s['n_zero']})"] = 100 * s["false_alarm"]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", action="append", required=True)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--gvdb-rest", action="store_true",
                    help="also score GVDB's other 310 reports (rows gvdb-rest): the part news.yaml trains on, unseen "
                         "by models that do not train on GVDB (quickstart.yaml, muc4.yaml)")
    args = ap.parse_args(argv)
    import casualty_counts
    import grit_score
    from incidex.eval.grit_names import muc4_name_filter
    from incidex.training.importers.muc4 import read_muc4

    from incidex import Predictor

    muc = read_muc4(casualty_counts.MUC4, ["tst1", "tst2"])
    sample = [json.loads(line) for line in SAMPLE_DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    gvdb = gvdb_reports()
    gvdb_rest = gvdb_reports("train") if args.gvdb_rest else None
    names = muc4_name_filter(grit_score.MUC4 / "raw" / "TASK" / "CORPORA", ["dev"])
    result: dict[str, dict[str, dict[str, float]]] = {}
    for model in args.model:
        predictor = Predictor(model)
        result[model] = {}
        for state in (False, True):
            predictor.config.casualty_cues = state
            result[model]["on" if state else "off"] = figures(predictor, model, muc, sample, gvdb, names, gvdb_rest)
        off, on = result[model]["off"], result[model]["on"]
        print(f"== {model}: casualty cues off -> on")
        for key in off:
            print(f"  {key:<40}{off[key]:7.1f} -> {on[key]:5.1f}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
