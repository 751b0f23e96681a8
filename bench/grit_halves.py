"""GRIT micro F1 on TST1+TST2 with nothing chosen on the documents scored: thresholds (and, given the checkpoints of
one run, the epoch) chosen on one half, TST1 or TST2, and scored on the other; the two halves' counts pooled.

    python bench/grit_halves.py runs/muc4 runs/student                     # each model: its thresholds
    python bench/grit_halves.py --epochs runs/s44/checkpoints/checkpoint-* # one run's epochs: epoch and thresholds

Every dev figure of ``bench/grit_score.py`` and of ``train()`` is chosen on the split it is scored on: the type and
span thresholds that ``train()`` tunes (``thresholds.dev_thresholds``) and the checkpoint kept. This script tunes them
the same way, on the documents of one half only, from predictions at the 0.5 thresholds ``train()`` evaluates its
epochs with, and scores GRIT (``incidex.eval.grit``, the victim name filter on) on the other half. Printed per model:
GRIT at 0.5 thresholds, with the model's own thresholds (chosen on both halves: the figure ``grit_score.py`` prints)
and with thresholds chosen on the other half ("halves"), each pooled over the two halves (``pool``: micro counts
summed, then P / R / F1). With ``--epochs`` (the models are one run's checkpoints) the epoch is also chosen on one
half (best GRIT at 0.5, as ``metric: grit_micro_f1`` keeps it) and scored on the other.
The gold, the name filter's DEV keys and the documents are those of ``grit_score.py``; the corpus is read through
``--config`` (``configs/muc4.yaml``), whose dev views carry the type and span gold the thresholds are tuned on.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from grit_score import MUC4, REPO, role_of_label
from incidex.eval.grit import load_grit_gold, records_to_grit, score_grit
from incidex.eval.grit_names import muc4_name_filter

HALVES = ("TST1", "TST2")


def pool(scores: list[dict[str, float]]) -> dict[str, float]:
    """Micro P / R / F1 of several ``score_grit(...)["micro"]`` results, their counts summed.

    >>> a = {"p_num": 3, "p_den": 4, "r_num": 3, "r_den": 6}
    >>> b = {"p_num": 1, "p_den": 4, "r_num": 1, "r_den": 2}
    >>> {k: round(v, 4) for k, v in pool([a, b]).items()}
    {'p': 0.5, 'r': 0.5, 'f1': 0.5}
    """
    pn, pd, rn, rd = (sum(s[k] for s in scores) for k in ("p_num", "p_den", "r_num", "r_den"))
    p, r = (pn / pd if pd else 0.0), (rn / rd if rd else 0.0)
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


class CachedBackend:
    """A predictor's backend that runs each batch once: predicting again with other thresholds costs only decoding."""

    def __init__(self, backend: Any):
        self.backend, self.config, self.memo = backend, backend.config, {}

    def run(self, ids: Any, mask: Any) -> Any:
        key = (ids.shape, ids.tobytes(), mask.tobytes())
        if key not in self.memo:
            self.memo[key] = self.backend.run(ids, mask)
        return self.memo[key]


def score_model(model: str, views: list[dict], halves: dict[str, list[int]], gold: dict, choose: Any) -> dict:
    """GRIT of each half (micro counts) at 0.5 thresholds, with the model's own thresholds and with thresholds tuned
    on each half (``thresholds.dev_thresholds``, as ``train()`` tunes them on all of dev):
    ``{"at_0.5": {half: micro}, "own": {...}, "tuned_on": {half: {half: micro}}}``."""
    import numpy as np
    from incidex.model import Predictor
    from incidex.training.thresholds import dev_thresholds

    predictor = Predictor(model)
    predictor.backend = CachedBackend(predictor.backend)
    cfg, labels = predictor.config, role_of_label(model)
    texts, ids = [v["text"] for v in views], [str(v["id"]) for v in views]

    def predict(type_thresholds: list[float], span_thresholds: dict[str, float] | None) -> list[dict]:
        predictor.thresholds = np.asarray(type_thresholds, dtype=np.float32)
        cfg.span_thresholds = span_thresholds
        return list(predictor.predict_iter(texts))

    def by_half(records: list[dict]) -> dict[str, dict]:
        return {half: score_grit(records_to_grit([records[i] for i in rows], [ids[i] for i in rows], labels,
                                                 choose=choose), gold, [ids[i] for i in rows])["micro"]
                for half, rows in halves.items()}

    own = predict(list(predictor.thresholds), dict(cfg.span_thresholds) if cfg.span_thresholds else None)
    records = predict([0.5] * len(cfg.attack_types), None)
    result = {"model": model, "at_0.5": by_half(records), "own": by_half(own), "tuned_on": {}}
    known = set(cfg.attack_types)  # a type the model does not predict (none, for a MUC-4 model) is not tuned for
    if unknown := sorted({t for v in views for t in v.get("attack_types") or []} - known):
        print(f"{model}: the dev views' attack types {unknown} are not the model's; left out of the type thresholds")
    type_views = [{**v, "attack_types": [t for t in v.get("attack_types") or [] if t in known]} for v in views]
    for half, rows in halves.items():
        types, spans = dev_thresholds([records[i] for i in rows], [type_views[i] for i in rows], cfg)
        result["tuned_on"][half] = by_half(predict(types or [], spans))
    return result


def other(half: str) -> str:
    return HALVES[1] if half == HALVES[0] else HALVES[0]


def summary(results: list[dict], epochs: bool = False) -> dict[str, Any]:
    """Pooled F1 of each model (at 0.5, own thresholds, thresholds of the other half) and, with ``epochs`` (the
    models are one run's checkpoints), of the epoch and thresholds chosen on the other half."""
    rows = []
    for r in results:
        rows.append({"model": r["model"],
                     "at_0.5": pool([r["at_0.5"][h] for h in HALVES]),
                     "own": pool([r["own"][h] for h in HALVES]),
                     "halves": pool([r["tuned_on"][other(h)][h] for h in HALVES])})
    out: dict[str, Any] = {"models": rows}
    if epochs:
        chosen = {h: max(results, key=lambda r: r["at_0.5"][h]["f1"]) for h in HALVES}
        out["epoch_chosen_on"] = {h: r["model"] for h, r in chosen.items()}
        out["epoch_and_thresholds_halves"] = pool([chosen[other(h)]["tuned_on"][other(h)][h] for h in HALVES])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("models", nargs="+", help="saved model directories")
    ap.add_argument("--epochs", action="store_true", help="the models are the checkpoints of one run: choose one")
    ap.add_argument("--config", type=Path, default=REPO / "configs" / "muc4.yaml",
                    help="the MUC-4 recipe whose dev views (TST1+TST2) carry the type and span gold")
    ap.add_argument("--corpora", type=Path, default=MUC4 / "raw" / "TASK" / "CORPORA")
    ap.add_argument("--gold", type=Path, default=MUC4 / "processed_grit" / "dev.json")
    ap.add_argument("--limit", type=int, help="only the first N documents of each half (a smoke test)")
    ap.add_argument("--output", type=Path, help="also write every score as JSON here")
    args = ap.parse_args(argv)
    from incidex.training.config import load_config
    from incidex.training.data import load_corpora, taxonomy_views, weapon_labels

    cfg = load_config(args.config, [f"data.path={args.corpora}"])
    views = taxonomy_views(load_corpora(cfg.data)[0], "dev", weapon_labels(cfg.taxonomy.span_roles))
    gold = load_grit_gold(args.gold)
    halves = {h: [i for i, v in enumerate(views) if str(v["id"]).startswith(h) and str(v["id"]) in gold][:args.limit]
              for h in HALVES}
    if not all(halves.values()):
        raise SystemExit(f"no document of {' or '.join(h for h, rows in halves.items() if not rows)} among the dev "
                         f"views of {args.config} that is in {args.gold}")
    views = [views[i] for i in halves[HALVES[0]] + halves[HALVES[1]]]
    halves = {HALVES[0]: list(range(len(halves[HALVES[0]]))),
              HALVES[1]: list(range(len(halves[HALVES[0]]), len(views)))}
    choose = muc4_name_filter(args.corpora, ["dev"]).choose
    results = [score_model(m, views, halves, gold, choose) for m in args.models]
    out = summary(results, args.epochs)
    print(f"GRIT micro F1, {' + '.join(f'{h} {len(r)}' for h, r in halves.items())} documents, pooled over the halves")
    print(f"{'model':<60}{'at 0.5':>8}{'own':>8}{'halves':>8}")
    for row in out["models"]:
        print(f"{row['model']:<60}" + "".join(f"{100 * row[k]['f1']:8.2f}" for k in ("at_0.5", "own", "halves")))
    if "epoch_chosen_on" in out:
        print("epoch chosen on " + ", ".join(f"{h}: {m}" for h, m in out["epoch_chosen_on"].items()))
        e = out["epoch_and_thresholds_halves"]
        print(f"epoch and thresholds chosen on the other half: P {100 * e['p']:.2f} / R {100 * e['r']:.2f} / "
              f"F1 {100 * e['f1']:.2f}")
    if args.output:
        args.output.write_text(json.dumps({"summary": out, "results": results}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
