"""Training-step throughput of EventExtractor on CPU: attention dropout, precision, padding, frozen parts.

    python bench/bench_train_step.py --windows 8 --length 256 --steps 4                # dropout x precision
    python bench/bench_train_step.py --table speed --steps 10                          # what speeds training up

Measures tokens/s (non-padding tokens) of forward + backward + AdamW step (the raw loop the Trainer runs).

* ``--table dropout``: attention dropout 0.1 (the encoder's default) and 0.0, in fp32 and under bf16
  autocast, with and without padding (half the windows half empty).
* ``--table speed`` (fp32, attention dropout 0): batches shaped like MUC-4 training batches (4 documents,
  full windows and one shorter last window each), everything trained, then frozen embeddings and frozen
  first layers (``training.freeze_embeddings`` / ``training.freeze_layers``).
"""

from __future__ import annotations

import argparse
import json
import resource
import time

import torch
from incidex.model import EventExtractor
from incidex.training.trainer import freeze_encoder

# windows per document and the length of each document's last window: 4 documents, 11 windows, like a
# MUC-4 batch of 4 (mean 470 content tokens a document, windows of 256 sharing 32)
DOC_SHAPES = [(3, 130), (2, 90), (4, 200), (2, 181)]


def batch(windows: int, length: int, padded: bool, realistic: bool) -> tuple[torch.Tensor, ...]:
    if realistic:
        lengths, docs = [], []
        for d, (n, last) in enumerate(DOC_SHAPES):
            lengths += [length] * (n - 1) + [last]
            docs += [d] * n
        windows = len(lengths)
    else:
        lengths = [length if not padded or w % 2 == 0 else length // 2 for w in range(windows)]
        docs = [w // 2 for w in range(windows)]
    ids = torch.randint(1000, 20000, (windows, length))
    mask = (torch.arange(length)[None, :] < torch.tensor(lengths)[:, None]).long()
    wd = torch.tensor(docs)
    return ids, mask, wd


def measure(attn_dropout: float, precision: str, windows: int, length: int, steps: int, padded: bool,
            realistic: bool = False, freeze_embeddings: bool = False, freeze_layers: int = 0) -> float:
    torch.manual_seed(0)
    model = EventExtractor.from_encoder(attack_types=["a", "b", "c"], span_labels=["KILLED", "WOUNDED"],
                                        attention_dropout=attn_dropout)
    freeze_encoder(model, freeze_embeddings, freeze_layers)
    model.train()
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-5)
    ids, mask, wd = batch(windows, length, padded, realistic)
    tags = torch.zeros_like(ids).masked_fill(mask == 0, -100)
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
    ap.add_argument("--table", choices=["dropout", "speed"], default="dropout")
    ap.add_argument("--windows", type=int, default=8)
    ap.add_argument("--length", type=int, default=256)
    ap.add_argument("--steps", type=int, default=4)
    ap.add_argument("--out")
    args = ap.parse_args()
    rows = []
    if args.table == "dropout":
        for attn in (0.1, 0.0):
            for precision in ("fp32", "bf16"):
                for padded in (False, True):
                    tps = measure(attn, precision, args.windows, args.length, args.steps, padded)
                    rows.append({"attention_dropout": attn, "precision": precision, "padded": padded,
                                 "tokens_per_s": round(tps)})
                    print(f"| attn dropout {attn} | {precision} | padded={padded} | {tps:,.0f} tokens/s |", flush=True)
    else:
        variants = [
            ("everything trained (default)", {}),
            ("frozen embeddings", {"freeze_embeddings": True}),
            ("frozen embeddings + first 2 layers", {"freeze_layers": 2}),
            ("frozen embeddings + first 3 layers", {"freeze_layers": 3}),
        ]
        for name, kw in variants:
            tps = measure(0.0, "fp32", args.windows, args.length, args.steps, True, realistic=True, **kw)
            rows.append({"variant": name, "tokens_per_s": round(tps)})
            print(f"| {name} | {tps:,.0f} tokens/s |", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MiB; threads {torch.get_num_threads()}")
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"rows": rows, "peak_rss_mib": peak, "args": vars(args)}, f, indent=2)


if __name__ == "__main__":
    main()
