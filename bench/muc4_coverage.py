"""Convert every MUC-4 set found and cross-check the spans against the GTT processed files.

Usage::

    python bench/muc4_coverage.py [--data ../shared/data/muc4] [--json]

Prints, per set, the documents, relevant documents, templates, spans per label and how many relevant
documents have a known killed / wounded count, the time the conversion of all sets takes, and the share
of GTT role-filler mentions (``processed_gtt/train.json`` = DEV, ``dev.json`` = TST1 + TST2) that the
spans cover, overall and per role. The measures are described in
:func:`training.importers.muc4.gtt_coverage`: ``string`` (headline: per document and mention string),
``offset`` (GTT's own offsets mapped into our text) and ``entity`` (an entity counts when one of its
mentions is covered).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from incidex.training.corpus import check_document
from incidex.training.importers.muc4 import (
    MUC4_ATTACK_TYPES,
    MUC4_SPAN_LABELS,
    ROLES,
    gtt_coverage,
    read_muc4,
)

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "muc4"
GTT_FILES = {"train.json": ["dev"], "dev.json": ["tst1", "tst2"]}


def set_counts(docs: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts for one converted set."""
    relevant = [d for d in docs if d.get("incidents")]
    problems = sum(len(check_document(d, span_labels=MUC4_SPAN_LABELS, attack_types=MUC4_ATTACK_TYPES))
                   for d in docs)
    return {
        "docs": len(docs),
        "relevant_docs": len(relevant),
        "templates": sum(len(d.get("incidents", [])) for d in docs),
        "optional_templates": sum(i["optional"] for d in docs for i in d.get("incidents", [])),
        "spans": dict(sorted(Counter(s["label"] for d in docs for s in d.get("spans", [])).items())),
        "relevant_killed_known": sum(d["casualties"]["killed"] is not None for d in relevant),
        "relevant_wounded_known": sum(d["casualties"]["wounded"] is not None for d in relevant),
        "relevant_both_known": sum(None not in d["casualties"].values() for d in relevant),
        "killed_total_known": sum(d["casualties"]["killed"] or 0 for d in docs),
        "validation_problems": problems,
    }


def run(data: Path) -> dict[str, Any]:
    """Convert all sets present under ``data/raw/TASK/CORPORA`` and measure GTT coverage."""
    corpora = data / "raw" / "TASK" / "CORPORA"
    if not corpora.is_dir():
        raise FileNotFoundError(f"MUC-4 data not found: {corpora}")
    sets = [s for s in ["dev", "tst1", "tst2", "tst3", "tst4"] if (corpora / s).is_dir()]
    start = time.perf_counter()
    docs = {s: read_muc4(corpora, [s]) for s in sets}
    seconds = time.perf_counter() - start
    report: dict[str, Any] = {"convert_seconds": round(seconds, 3), "sets": {s: set_counts(d) for s, d in docs.items()},
                              "coverage": {}}
    for name, needed in GTT_FILES.items():
        path = data / "processed_gtt" / name
        if path.is_file() and all(s in docs for s in needed):
            start = time.perf_counter()
            cov = gtt_coverage([d for s in needed for d in docs[s]], path)
            cov["seconds"] = round(time.perf_counter() - start, 3)
            report["coverage"][name] = cov
    return report


def _pct(x: float) -> str:
    return f"{100 * x:6.2f}%"


def print_report(report: dict[str, Any]) -> None:
    print(f"conversion of {', '.join(report['sets'])}: {report['convert_seconds']:.2f} s")
    print(f"\n{'set':6} {'docs':>5} {'relev':>5} {'tmpl':>5} {'opt':>4} {'killed?':>7} {'wound?':>7} {'both':>5} {'problems':>8}")
    for s, c in report["sets"].items():
        print(f"{s:6} {c['docs']:5} {c['relevant_docs']:5} {c['templates']:5} {c['optional_templates']:4} "
              f"{c['relevant_killed_known']:7} {c['relevant_wounded_known']:7} {c['relevant_both_known']:5} "
              f"{c['validation_problems']:8}")
    print("\nspans per label")
    print(f"{'set':6} " + " ".join(f"{lab[:12]:>12}" for lab in MUC4_SPAN_LABELS))
    for s, c in report["sets"].items():
        print(f"{s:6} " + " ".join(f"{c['spans'].get(lab, 0):12}" for lab in MUC4_SPAN_LABELS))
    for name, cov in report["coverage"].items():
        print(f"\nGTT {name}: {cov['docs']} docs, missing {len(cov['missing'])}, unaligned {len(cov['unaligned'])}"
              f" ({cov['seconds']:.2f} s)")
        print(f"{'role':9} {'mentions':>8} {'string':>8} {'offset':>8} {'exact':>8} {'anylabel':>8} {'entities':>8} {'entity':>8}")
        for role in [*ROLES, "overall"]:
            st, off, ent = cov["by_string"][role], cov["by_offset"][role], cov["by_entity"][role]
            print(f"{role:9} {st['mentions']:8} {_pct(st['covered_rate']):>8} {_pct(off['covered_rate']):>8} "
                  f"{_pct(off['exact_rate']):>8} {_pct(off['any_label_rate']):>8} {ent['mentions']:8} "
                  f"{_pct(ent['covered_rate']):>8}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the muc4 folder (raw/, processed_gtt/)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    report = run(args.data)
    if args.json:
        json.dump(report, sys.stdout, indent=1)
        print()
    else:
        print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
