"""Documents per second of ``incidex predict`` on Ray Data against the local engine, on local CPUs.

Usage::

    python bench/bench_ray.py --model /tmp/runs/qs [--data data/sample/dev.jsonl] [--docs 40,200]
                              [--num-cpus 2] [--concurrency 1,2] [--batch-size 16] [--json out.json]

The input is ``--data`` repeated (with fresh ids) to each of the ``--docs`` sizes; every configuration runs
once per size and ``seconds = fixed + docs / steady rate`` is fitted through the smallest and largest run,
splitting the fixed cost (model load; for Ray also starting the replicas) from the throughput. Rows:

* ``local``: ``Predictor`` + ``predict_files`` in this process, as ``incidex predict`` (model load
  included; torch uses its default threads, one per core);
* ``ray N x C``: :func:`model.ray_engine.predict_with_ray` with N replicas of C CPUs each (torch threads =
  C) on an already running local Ray of ``--num-cpus`` CPUs: the time includes starting the replicas and
  loading the model in each, moving texts and predictions through the object store and writing;
* ``ray.init``: starting the local Ray itself, paid once per ``incidex predict --engine ray`` run.

Every Ray output file is compared byte for byte with the local one (``same``). Prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def make_input(data: Path, n_docs: int, path: Path) -> int:
    docs = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n_docs):
            d = docs[i % len(docs)]
            f.write(json.dumps({"id": f"{d.get('id', 'doc')}-{i}", "text": d["text"]}, ensure_ascii=False) + "\n")
    return n_docs


def _fit(points: list[tuple[int, float]]) -> tuple[float | None, float | None]:
    """(fixed seconds, docs/s) of ``seconds = fixed + docs / rate`` through the smallest and largest run."""
    (n1, t1), (n2, t2) = min(points), max(points)
    if n2 == n1 or t2 <= t1:
        return None, None
    rate = (n2 - n1) / (t2 - t1)
    return t1 - n1 / rate, rate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True, help="trained model directory (e.g. /tmp/runs/qs)")
    parser.add_argument("--data", default=str(REPO / "data" / "sample" / "dev.jsonl"))
    parser.add_argument("--docs", default="40,200", help="input sizes, comma-separated (two or more: the fit "
                        "splits the time into a fixed part and a steady rate)")
    parser.add_argument("--num-cpus", type=int, default=2, help="CPUs of the local Ray")
    parser.add_argument("--concurrency", default="1,2", help="replica counts to run, comma-separated")
    parser.add_argument("--batch-size", type=int, default=16, help="windows per forward pass")
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args(argv)

    import ray
    import torch
    from incidex.model import Predictor
    from incidex.model.batch import predict_files
    from incidex.model.ray_engine import predict_with_ray

    tmp = Path(tempfile.mkdtemp(prefix="incidex-bench-ray-"))
    sizes = sorted({int(x) for x in args.docs.split(",")})
    inputs = {n: tmp / f"input-{n}.jsonl" for n in sizes}
    for n, path in inputs.items():
        make_input(Path(args.data), n, path)
    plans = []
    for c in (int(x) for x in args.concurrency.split(",")):
        plans.append((c, 1))
        if c * 2 <= args.num_cpus:
            plans.append((c, args.num_cpus // c))
    configs = [("local", 1, torch.get_num_threads())] + [("ray", r, c) for r, c in plans]
    seconds: dict[tuple, list[tuple[int, float]]] = {k: [] for k in configs}
    same = {k: True for k in configs}

    for n, inp in inputs.items():
        start = time.perf_counter()
        predictor = Predictor(args.model, device="cpu", batch_size=args.batch_size)
        predict_files(predictor, [inp], tmp / f"local-{n}.jsonl", progress=False)
        seconds[configs[0]].append((n, time.perf_counter() - start))
        del predictor

    start = time.perf_counter()
    ray.init(address="local", num_cpus=args.num_cpus, include_dashboard=False, logging_level=logging.WARNING,
             log_to_driver=False)
    init = time.perf_counter() - start
    try:
        for key in configs[1:]:
            _, replicas, cpus = key
            for n, inp in inputs.items():
                out = tmp / f"ray-{replicas}x{cpus}-{n}.jsonl"
                start = time.perf_counter()
                predict_with_ray(args.model, inp, out, batch_size=args.batch_size, concurrency=replicas,
                                 cpus_per_replica=cpus, progress=False)
                seconds[key].append((n, time.perf_counter() - start))
                same[key] &= out.read_bytes() == (tmp / f"local-{n}.jsonl").read_bytes()
    finally:
        ray.shutdown()

    rows = []
    for key in configs:
        fixed, rate = _fit(seconds[key])
        n, t = max(seconds[key])
        rows.append({"engine": key[0], "replicas": key[1], "cpus_per_replica": key[2],
                     "seconds": dict(seconds[key]), "docs_per_s": n / t, "fixed_s": fixed, "steady_docs_per_s": rate,
                     "same": same[key]})
    print(f"{args.data} repeated to {', '.join(map(str, sizes))} documents; model {args.model}; {args.num_cpus} CPUs "
          f"for Ray; batch size {args.batch_size}; ray.init {init:.1f} s (paid once per `--engine ray` run, "
          "not in the table)\n")
    cols = " | ".join(f"s ({n} docs)" for n in sizes)
    print(f"| engine | replicas x CPUs | {cols} | docs/s ({sizes[-1]} docs) | fixed s | steady docs/s | same output |")
    print("|---|---|" + "---:|" * (len(sizes) + 3) + "---|")
    for r in rows:
        secs = " | ".join(f"{r['seconds'][n]:.1f}" for n in sizes)
        fixed = f"{r['fixed_s']:.1f}" if r["fixed_s"] is not None else "-"
        rate = f"{r['steady_docs_per_s']:.1f}" if r["steady_docs_per_s"] is not None else "-"
        print(f"| {r['engine']} | {r['replicas']} x {r['cpus_per_replica']} | {secs} | {r['docs_per_s']:.1f} | "
              f"{fixed} | {rate} | {'yes' if r['same'] else 'NO'} |")
    if args.json:
        Path(args.json).write_text(json.dumps({"sizes": sizes, "ray_init_s": init, "rows": rows}, indent=2,
                                              default=str))
    return 0 if all(r["same"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
