"""Step-time spread and peak memory of training steps: documents per step vs a window budget per step.

    python bench/bench_window_budget.py --config configs/muc4.yaml --budgets 0 16 --timed 16

For each batching (``0``: ``training.batch_size`` documents a step, as ``configs/muc4.yaml`` trains; ``N``:
``training.max_windows_per_step: N``) the real features of the
config's training corpora are batched for one epoch by the samplers ``incidex train`` uses. Over *every*
step of that epoch it reports windows per step (median, max, max/median) and padded tokens; then it
times ``--timed`` steps (the ``--timed // 4`` largest and a seeded random rest) of forward + backward +
fused AdamW with the config's encoder, each batching in its own process so that its peak RSS (``ru_maxrss``,
model included; on CUDA also ``max_memory_allocated``) is its own. Step times: median, p90, max and
max/min. ``--plain`` also times each batching as before ``EventExtractor.outputs_by_length`` (every window
padded to the batch's longest). Print the CPU flags with the figures: they depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]


def _features(config: str) -> tuple[Any, list[dict], Any, Any]:
    from incidex.training.config import load_config
    from incidex.training.data import load_corpora, taxonomy_views, weapon_labels
    from incidex.training.features import build_features
    from incidex.training.trainer import build_model

    cfg = load_config(config)
    corpora = load_corpora(cfg.data)
    weapons = weapon_labels(cfg.taxonomy.span_roles)
    train = [v for c in corpora for v in taxonomy_views(c, "train", weapons)]
    dev = [v for c in corpora for v in taxonomy_views(c, "dev", weapons)]
    model, tokenizer = build_model(cfg, train, dev)
    return cfg, build_features(train, tokenizer, model.config), model, tokenizer


def _steps(cfg: Any, feats: list[dict], budget: int) -> list[list[int]]:
    """The document indices of every step of epoch 0: the window-budget packing, or a seeded shuffle cut
    into ``batch_size`` documents (the Trainer's random batches)."""
    from incidex.training.batching import WindowBudgetBatchSampler

    n_windows = [len(f["input_ids"]) for f in feats]
    if budget:
        return list(WindowBudgetBatchSampler(n_windows, budget, cfg.seed))
    bs = cfg.training.batch_size
    order = [int(i) for i in np.random.default_rng(cfg.seed).permutation(len(feats))]
    return [order[k:k + bs] for k in range(0, len(order), bs)]


def _grouped_tokens(lengths: list[int]) -> int:
    """Tokens the encoder runs for one step's windows under ``EventExtractor.outputs_by_length``."""
    from incidex.model.modeling import length_groups

    return sum((b - a) * width for a, b, width in length_groups(sorted(lengths, reverse=True)))


def run_one(config: str, budget: int, timed: int, seed: int, plain: bool = False, bf16: bool = False
            ) -> dict[str, Any]:
    import torch
    from incidex.training.features import DocumentCollator

    cfg, feats, model, tokenizer = _features(config)
    if plain:  # every window padded to the batch's longest (before EventExtractor.outputs_by_length)
        model.outputs_by_length = model.window_outputs
    steps = _steps(cfg, feats, budget)
    windows = np.array([sum(len(feats[i]["input_ids"]) for i in s) for s in steps])
    padded = np.array([w * max(len(x) for i in s for x in feats[i]["input_ids"]) for w, s in zip(windows, steps)])
    work = np.array([_grouped_tokens([len(x) for i in s for x in feats[i]["input_ids"]]) for s in steps])
    if plain:
        work = padded
    rng = np.random.default_rng(seed)
    largest = list(np.argsort(-padded)[: max(1, timed // 4)])
    rest = [int(k) for k in rng.permutation(len(steps)) if k not in largest][: max(0, timed - len(largest))]
    chosen = [int(k) for k in largest] + rest
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model.to(device).train()
    optim = torch.optim.AdamW(model.parameters(), lr=1e-5, fused=True)
    collate = DocumentCollator(tokenizer.pad_token_id or 0, budget, cfg.seed)
    times = []
    for n, k in enumerate([chosen[0], *chosen]):  # the first call warms up and is not counted
        batch = {key: v.to(device) for key, v in collate([feats[i] for i in steps[k]]).items()}
        if device == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        with torch.autocast(device, dtype=torch.bfloat16, enabled=bf16):  # as Trainer's bf16=True
            loss = model(**batch).loss
        loss.backward()
        optim.step()
        optim.zero_grad(set_to_none=True)
        if device == "cuda":
            torch.cuda.synchronize()
        if n:
            times.append(time.perf_counter() - start)
    t = np.array(times)
    out = {"budget": budget, "steps_per_epoch": len(steps),
           "windows_per_step": {"median": float(np.median(windows)), "max": int(windows.max()),
                                "max_over_median": round(float(windows.max() / np.median(windows)), 2)},
           "padded_tokens_per_epoch": int(padded.sum()),
           "timed_steps": len(t), "step_seconds": {"median": round(float(np.median(t)), 3),
                                                   "p90": round(float(np.quantile(t, 0.9)), 3),
                                                   "max": round(float(t.max()), 3),
                                                   "max_over_min": round(float(t.max() / t.min()), 2)},
           "encoder_tokens_per_epoch": int(work.sum()),
           "epoch_seconds_estimate": round(float(np.median(t / work[chosen]) * work.sum()), 1),
           # the random steps' mean time x steps: no assumption that time follows tokens (on bf16 matrix
           # units a step's fixed cost dominates)
           "epoch_seconds_by_steps": round(float(np.mean(t[len(largest):] if len(t) > len(largest) else t)
                                                 * len(steps)), 1),
           "bf16": bf16,
           "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
           "torch_threads": torch.get_num_threads(), "device": device, "one_padded_batch": plain}
    if device == "cuda":
        out["cuda_peak_mib"] = round(torch.cuda.max_memory_allocated() / 2**20, 1)
    return out


def cpu_flags() -> str:
    try:
        flags = next(line for line in open("/proc/cpuinfo") if line.startswith("flags")).split()
    except (OSError, StopIteration):
        return "unknown"
    return " ".join(f for f in ("avx2", "avx512f", "avx512_bf16", "amx_tile") if f in flags) or "none of avx2/avx512"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", default=str(REPO / "configs" / "muc4.yaml"))
    ap.add_argument("--budgets", type=int, nargs="+", default=[0, 16])
    ap.add_argument("--timed", type=int, default=16)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--plain", action="store_true",
                    help="also time each batching with every window padded to the batch's longest")
    ap.add_argument("--output", type=Path)
    ap.add_argument("--bf16", action="store_true", help="bf16 autocast, as `precision: auto` trains where the "
                    "CPU has avx512_bf16 / AMX")
    ap.add_argument("--one", help=argparse.SUPPRESS)  # "budget,plain": run in this process, print JSON
    args = ap.parse_args(argv)
    if args.one:
        budget, plain = args.one.split(",")
        print(json.dumps(run_one(args.config, int(budget), args.timed, args.seed, plain == "1", args.bf16)))
        return 0
    runs = [(b, p) for b in args.budgets for p in ([True, False] if args.plain else [False])]
    results = []
    for budget, plain in runs:
        proc = subprocess.run([sys.executable, __file__, "--config", args.config, "--timed", str(args.timed),
                               "--seed", str(args.seed), "--one", f"{budget},{int(plain)}"]
                              + (["--bf16"] if args.bf16 else []),
                              capture_output=True, text=True, check=True)
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    print(f"config {args.config}; CPU flags: {cpu_flags()}")
    print(f"{'batching':<22}{'steps':>6}{'win med/max':>13}{'t med':>8}{'t p90':>8}{'t max':>8}{'max/min':>8}"
          f"{'epoch s':>9}{'by steps':>9}{'RSS MiB':>9}")
    for r in results:
        name = f"budget {r['budget']} windows" if r["budget"] else "documents"
        name += " (one pad)" if r.get("one_padded_batch") else ""
        w, s = r["windows_per_step"], r["step_seconds"]
        print(f"{name:<22}{r['steps_per_epoch']:>6}{w['median']:>7.0f}/{w['max']:<5d}{s['median']:>8.2f}{s['p90']:>8.2f}"
              f"{s['max']:>8.2f}{s['max_over_min']:>8.1f}{r['epoch_seconds_estimate']:>9.0f}"
              f"{r['epoch_seconds_by_steps']:>9.0f}{r['peak_rss_mib']:>9.0f}")
    if args.output:
        args.output.write_text(json.dumps({"cpu_flags": cpu_flags(), "runs": results}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
