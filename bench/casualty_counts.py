"""Casualty counts from gold spans: how often ``casualties_from_spans`` gives the gold figure (an upper bound).

MUC-4 TST1+TST2: gold KILLED / WOUNDED spans and gold document counts from
``incidex.training.importers.muc4.read_muc4``. GVDB dev: each victim's name span (only names are marked
in GVDB) labelled KILLED when ``victim-was`` holds "killed", WOUNDED when it holds "injured" or
"hospitalized"; gold = number of such victims. Reported on documents whose gold count is > 0: exact
(count == gold), within (gold inside [min, max], open bounds allowed) and the false-alarm rate on gold = 0.
"GVDB all mentions": the same through ``training.importers.gvdb`` with ``all_mentions=True`` (every
occurrence of a victim's name is a span; documents with an unknown count left out): repeated names must
not count twice. "old" is ``model/casualties.py`` at git commit ``--old`` (loaded from git).

    python bench/casualty_counts.py                 # MUC-4 and GVDB, old vs new
    python bench/casualty_counts.py --show 10       # plus the first 10 wrong documents
    python bench/casualty_counts.py --predictions runs/news_tst.jsonl   # plus a model's predicted spans
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import subprocess
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
MUC4 = REPO.parent / "shared" / "data" / "muc4" / "raw" / "TASK" / "CORPORA"
GVDB = REPO.parent / "shared" / "data" / "gvdb" / "dev.tsv"


def load_old(commit: str) -> types.ModuleType:
    """``model/casualties.py`` as it was at ``commit``, imported under a private package name (with the
    ``model/`` modules of that commit beside it, for its relative imports)."""
    import tarfile
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="old_model_"))
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "model"], check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=__import__("io").BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    package = f"_old_model_{commit.replace('~', '_').replace('^', '_')}"
    spec = importlib.util.spec_from_file_location(package, folder / "model" / "__init__.py",
                                                  submodule_search_locations=[str(folder / "model")])
    module = importlib.util.module_from_spec(spec)
    sys.modules[package] = module
    spec.loader.exec_module(module)
    return importlib.import_module(f"{package}.casualties")


def read_gvdb(path: Path) -> list[dict[str, Any]]:
    """GVDB dev.tsv -> ``{"id", "text", "spans", "casualties"}``; bad offsets raise naming line and field."""
    csv.field_size_limit(1 << 30)
    docs = []
    with open(path, encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f, delimiter="\t"), start=2):
            text, ann = row["Full text"], json.loads(row["Json"])
            spans, killed, wounded = [], 0, 0
            for i, victim in enumerate(ann.get("victim-section") or []):
                was = set(victim.get("victim-was") or [])
                label = "KILLED" if "killed" in was else "WOUNDED" if was & {"injured", "hospitalized"} else None
                killed += label == "KILLED"
                wounded += label == "WOUNDED"
                name = victim.get("name") or {}
                start, end = name.get("startIndex", -1), name.get("endIndex", -1)
                if label and start >= 0:
                    if text[start:end] != name.get("value"):
                        raise ValueError(f"{path}:{line}: victim-section[{i}].name offsets do not give its value")
                    spans.append({"start": start, "end": end, "label": label})
            docs.append({"id": row["Article id"], "text": text, "spans": spans,
                         "casualties": {"killed": killed, "wounded": wounded}})
    return docs


def within(pred: dict[str, Any], gold: int) -> bool:
    if pred["count"] is not None and pred["min"] is None and pred["max"] is None:
        return pred["count"] == gold
    lo, hi = pred["min"], pred["max"]
    return (lo is not None or hi is not None) and (lo is None or lo <= gold) and (hi is None or gold <= hi)


def score(docs: list[dict[str, Any]], fn: Callable, kind: str, show: int = 0) -> dict[str, Any]:
    pos = [d for d in docs if (d["casualties"][kind] or 0) > 0]
    zero = [d for d in docs if d["casualties"][kind] == 0]
    exact = inside = 0
    wrong = []
    for d in pos:
        pred = fn(d["text"], d["spans"])[kind]
        exact += pred["count"] == d["casualties"][kind]
        inside += within(pred, d["casualties"][kind])
        if pred["count"] != d["casualties"][kind]:
            wrong.append((d["id"], d["casualties"][kind], pred))
    alarms = sum(1 for d in zero if (fn(d["text"], d["spans"])[kind]["min"] or 0) > 0
                 or (fn(d["text"], d["spans"])[kind]["count"] or 0) > 0)
    for w in wrong[:show]:
        print("   ", *w)
    return {"n": len(pos), "exact": exact / max(len(pos), 1), "within": inside / max(len(pos), 1),
            "false_alarm": alarms / max(len(zero), 1), "n_zero": len(zero)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", default="64165a0", help="git commit of the old casualties.py")
    parser.add_argument("--show", type=int, default=0, help="print this many wrong documents per figure")
    parser.add_argument("--no-gvdb", action="store_true")
    parser.add_argument("--predictions", type=Path,
                        help="also score the spans of `incidex predict` records on MUC-4 TST1+TST2 (matched by id)")
    args = parser.parse_args(argv)
    from incidex.model.casualties import casualties_from_spans
    from incidex.training.importers.muc4 import read_muc4

    old = load_old(args.old).casualties_from_spans
    corpora = {"MUC-4 TST1+TST2": read_muc4(MUC4, ["tst1", "tst2"])}
    if args.predictions:  # the model's spans in place of the gold ones, gold counts kept
        with open(args.predictions, encoding="utf-8") as f:
            spans = {r["id"]: r.get("spans") or [] for r in map(json.loads, f) if "id" in r}
        corpora["MUC-4 predicted"] = [{**d, "spans": spans[d["id"]]} for d in corpora["MUC-4 TST1+TST2"]
                                      if d["id"] in spans]
    if not args.no_gvdb and GVDB.exists():
        corpora["GVDB dev"] = read_gvdb(GVDB)
        try:  # the project's importer, every mention of a name marked: relabelled for old and new alike
            from incidex.training.importers.gvdb import read_gvdb as import_gvdb
        except ImportError:
            import_gvdb = None
        if import_gvdb is not None:
            relabel = {"victim_killed": "KILLED", "victim_injured": "WOUNDED"}
            docs = import_gvdb(GVDB, all_mentions=True)
            for d in docs:
                d["spans"] = [{**sp, "label": relabel[sp["label"]]} for sp in d["spans"] if sp["label"] in relabel]
            corpora["GVDB all mentions"] = [d for d in docs if None not in d["casualties"].values()]
    print(f"{'corpus':18} {'kind':8} {'n>0':>4} {'old exact':>9} {'new exact':>9} {'old within':>10} "
          f"{'new within':>10} {'old FA':>7} {'new FA':>7} (n=0)")
    for name, docs in corpora.items():
        for kind in ("killed", "wounded"):
            a = score(docs, old, kind)
            b = score(docs, casualties_from_spans, kind, args.show)
            print(f"{name:18} {kind:8} {a['n']:4d} {a['exact']:9.1%} {b['exact']:9.1%} {a['within']:10.1%} "
                  f"{b['within']:10.1%} {a['false_alarm']:7.1%} {b['false_alarm']:7.1%} ({a['n_zero']})")


if __name__ == "__main__" and importlib.util.find_spec("incidex"):
    main()
