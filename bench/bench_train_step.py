"""Training-step throughput of EventExtractor on CPU: attention dropout and precision.

    python bench/bench_train_step.py --windows 8 --length 256 --steps 4

Measures tokens/s of forward + backward + AdamW step (the raw loop the Trainer runs) for attention dropout
0.1 (the encoder's default) and 0.0, in fp32 and under bf16 autocast, with and without padding.
"""

from __future__ import annotations

import argparse
import json
import resource
import time

import torch

from model import EventExtractor


def measure(attn_dropout: float, precision: str, windows: int, length: int, steps: int, padded: bool) -> float:
    torch.manual_seed(0)
    model = EventExtractor.from_encoder(attack_types=["a", "b", "c"], span_labels=["KILLED", "WOUNDED"],
                                        attention_dropout=attn_dropout)
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-5)
    ids = torch.randint(1000, 20000, (windows, length))
    mask = torch.ones_like(ids)
    if padded:
        mask[1::2, length // 2 :] = 0
    wd = torch.arange(windows) // 2
    tags = torch.zeros_like(ids)
    types = torch.zeros((int(wd.max()) + 1, 3))
    dtype = torch.bfloat16 if precision == "bf16" else None
    times = []
    for step in range(steps + 1):
        t = time.perf_counter()
        with torch.autocast("cpu", dtype=dtype, enabled=dtype is not None):
            out = model(input_ids=ids, attention_mask=mask, window_doc=wd, type_labels=types, tag_labels=tags)
        out.loss.backward()
        opt.step()
        opt.zero_grad()
        if step:  # the first step warms up
            times.append(time.perf_counter() - t)
    return int(mask.sum()) * len(times) / sum(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--windows", type=int, default=8)
    ap.add_argument("--length", type=int, default=256)
    ap.add_argument("--steps", type=int, default=4)
    ap.add_argument("--out")
    args = ap.parse_args()
    rows = []
    for attn in (0.1, 0.0):
        for precision in ("fp32", "bf16"):
            for padded in (False, True):
                tps = measure(attn, precision, args.windows, args.length, args.steps, padded)
                rows.append({"attention_dropout": attn, "precision": precision, "padded": padded, "tokens_per_s": round(tps)})
                print(f"| attn dropout {attn} | {precision} | padded={padded} | {tps:,.0f} tokens/s |", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MiB; threads {torch.get_num_threads()}")
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"rows": rows, "peak_rss_mib": peak, "args": vars(args)}, f, indent=2)


if __name__ == "__main__":
    main()
