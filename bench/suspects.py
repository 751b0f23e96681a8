"""Named shooters of GVDB found among a model's perpetrators, with the stated suspects off and on.

    python bench/suspects.py --model runs/quickstart [--model ...]

GVDB's annotators marked each report's shooter (``shooter`` spans, nearly always a name). A shooter counts as found
when a predicted span whose role is a perpetrator's overlaps one of its spans; "on a shooter" counts the predicted
perpetrator spans of those reports that do. Rows: the 90 reports ``configs/news.yaml`` holds out (``held-out``) and
the other 310 (``GVDB-310``), as in ``bench/casualty_cues.py``. ``stated_suspects`` (``model/suspects.py``) is
switched in the model's config, so the tagger's own perpetrators are the "off" figure.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def shooter_figures(docs: list[dict], records: list[dict], perp_labels: set[str]) -> tuple[int, int, int, int]:
    """(reports with a shooter span, of them with one found, predicted perpetrator spans in them, of those on one)."""
    n = found = pred = on = 0
    for doc, rec in zip(docs, records, strict=True):
        gold = [s for s in doc.get("spans") or [] if s["label"] == "shooter"]
        if not gold:
            continue
        perps = [s for s in rec["spans"] if s["label"] in perp_labels]
        hits = [any(p["start"] < g["end"] and g["start"] < p["end"] for g in gold) for p in perps]
        n += 1
        found += any(hits)
        pred += len(perps)
        on += sum(hits)
    return n, found, pred, on


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", action="append", required=True)
    args = ap.parse_args(argv)
    from casualty_cues import gvdb_reports

    from incidex import Predictor

    parts = [("held-out", gvdb_reports("dev")), ("GVDB-310", gvdb_reports("train"))]
    if not parts[0][1]:
        raise SystemExit("GVDB is not in ../shared/data/gvdb")
    for model in args.model:
        predictor = Predictor(model)
        perp_labels = {label for label, role in predictor.roles.items() if role.startswith("perpetrator")}
        print(f"== {model}: stated suspects off -> on")
        for name, docs in parts:
            row = []
            for state in (False, True):
                predictor.config.stated_suspects = state
                row.append(shooter_figures(docs, predictor.predict([d["text"] for d in docs]), perp_labels))
            (n, f0, p0, o0), (_, f1, p1, o1) = row
            print(f"  {name:<9} reports with a shooter {n}: found {f0} -> {f1} ({100 * f1 / max(n, 1):.1f}%); "
                  f"perpetrator spans in them {p0} -> {p1}, on a shooter {o0} -> {o1}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
