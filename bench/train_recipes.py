"""Train several recipes x seeds side by side on one machine, then predict MUC-4 TST1+TST2 and the modern reports.

    python bench/train_recipes.py --out runs/pair --seeds 42 43 44 --parallel 6 \\
        --recipe muc4=configs/muc4.yaml --recipe news=configs/news.yaml \\
        --recipe lean=configs/news.yaml,data.corpora.satp.weight=0.5,data.corpora.m2e2.weight=0.15
    python bench/recipe_pair.py runs/pair/*/          # the comparison table

Each run is ``incidex train --config C --output-dir OUT/NAME-sSEED --set seed=SEED --set ...`` (a recipe is a
config file followed by comma-separated ``--set`` overrides; ``--set`` here applies to every run), then
``incidex predict`` of MUC-4 TST1+TST2 into ``tst_preds.jsonl`` (for GRIT scores and casualty counts) and
``bench/modern_reports.py --json modern.json``. Runs go ``--parallel`` at a time, each in its own process
with its own log (``train.log``); a run whose ``config.json`` already exists is not trained again. Meant for a
machine with many cores or a GPU, where one run leaves most of the machine idle: timings of parallel runs
share the machine and are not the single-run times of the README.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MUC4 = REPO.parent / "shared" / "data" / "muc4" / "raw" / "TASK" / "CORPORA"


def run(cmd: list[str], log: Path, env: dict[str, str]) -> int:
    with log.open("a", encoding="utf-8") as f:
        f.write("$ " + " ".join(cmd) + "\n")
        f.flush()
        return subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, env=env, cwd=REPO).returncode


def one(name: str, config: str, sets: list[str], seed: int, args: argparse.Namespace, tst: Path) -> str:
    out = args.out / f"{name}-s{seed}"
    out.mkdir(parents=True, exist_ok=True)
    log = out / "train.log"
    env = {**os.environ, "OMP_NUM_THREADS": str(args.threads), "TOKENIZERS_PARALLELISM": "false"}
    incidex = [sys.executable, "-m", "incidex"]
    start = time.time()
    if not (out / "config.json").exists():
        overrides = [f"seed={seed}", *sets, *args.set]
        cmd = [*incidex, "train", "--config", config, "--output-dir", str(out)]
        for o in overrides:
            cmd += ["--set", o]
        if run(cmd, log, env):
            return f"{out.name}: training failed (see {log})"
    if not (out / "tst_preds.jsonl").exists():
        run([*incidex, "predict", "--model", str(out), "--input", str(tst), "--output", str(out / "tst_preds.jsonl")],
            log, env)
    if not (out / "modern.json").exists():
        run([sys.executable, str(REPO / "bench" / "modern_reports.py"), "--model", str(out), "--json",
             str(out / "modern.json")], log, env)
    return f"{out.name}: done in {time.time() - start:.0f} s"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--recipe", action="append", required=True, metavar="NAME=CONFIG[,KEY=VALUE...]")
    ap.add_argument("--seeds", type=int, nargs="+", default=[42])
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override for every run")
    ap.add_argument("--parallel", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1, help="OMP_NUM_THREADS of each run")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    tst = args.out / "muc4_tst1_tst2.jsonl"
    if not tst.exists():
        subprocess.run([sys.executable, "-m", "incidex", "convert", "muc4", str(MUC4), "--sets", "tst1,tst2",
                        "--output", str(tst)], check=True, cwd=REPO)
    jobs = []
    for recipe in args.recipe:
        name, _, rest = recipe.partition("=")
        config, *sets = rest.split(",")
        jobs += [(name, config, sets, seed) for seed in args.seeds]
    with ThreadPoolExecutor(args.parallel) as pool:
        for done in as_completed([pool.submit(one, *j, args, tst) for j in jobs]):
            print(done.result(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
