"""Inference speed: `incidex predict` against the Hugging Face pipeline pair, whole process, on CPU or CUDA.

    python bench/bench_predict.py --model runs/muc4 --data muc4 --out bench/results/predict.json
    python bench/bench_predict.py --model runs/muc4 --data muc4 --repeat 50 --only incidex   # 10,000 documents

Each contender runs in its own process (start-up, model load and tokenisation included, as a user sees it),
on the same documents:

* ``incidex``: ``incidex predict`` (one encoder, two heads, windows, sorted batches);
* ``pipeline-pair``: ``pipeline("text-classification")`` + ``pipeline("token-classification")`` on two
  models of the same encoder (all-MiniLM-L6-v2 with random heads: speed does not depend on the weights),
  truncated at 512 tokens, the recipe a user would try first.

Reports documents/s, content tokens/s (tokens of the whole documents, none truncated) and peak memory
(the child's VmHWM), and the speed ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PIPELINE_SCRIPT = r"""
import json, sys, time
from transformers import pipeline
cls_dir, tok_dir, data, device = sys.argv[1:5]
texts = [json.loads(line)["text"] for line in open(data)]
dev = 0 if device == "cuda" else -1
clf = pipeline("text-classification", model=cls_dir, device=dev, truncation=True, max_length=512, top_k=None)
ner = pipeline("token-classification", model=tok_dir, device=dev, aggregation_strategy="simple")
out = []
for t in texts:
    out.append({"types": clf(t), "spans": ner(t[:100000])})
print(len(out))
"""


def peak_rss_mib(pid_status: str) -> float:
    for line in pid_status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run a command; return (wall seconds, peak RSS MiB of the child) using /proc polling."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL)
    peak = 0.0
    while proc.poll() is None:
        try:
            peak = max(peak, peak_rss_mib(Path(f"/proc/{proc.pid}/status").read_text()))
        except OSError:
            pass
        time.sleep(0.05)
    if proc.returncode:
        raise RuntimeError(f"{cmd[:4]} failed with {proc.returncode}")
    return time.perf_counter() - start, peak


def load_texts(data: str, repeat: int) -> list[str]:
    if data == "muc4":
        from incidex.training.importers.muc4 import read_muc4

        docs = read_muc4(REPO.parent / "shared/data/muc4/raw/TASK/CORPORA", ["tst1", "tst2"])
    else:
        docs = [json.loads(line) for line in Path(data).read_text().splitlines() if line.strip()]
    return [d["text"] for d in docs] * repeat


def make_pipeline_models(tmp: Path, n_types: int, n_tags: int) -> tuple[str, str]:
    from incidex.model.modeling import resolve_encoder
    from transformers import (
        AutoModelForSequenceClassification,
        AutoModelForTokenClassification,
        AutoTokenizer,
    )

    base = resolve_encoder("sentence-transformers/all-MiniLM-L6-v2")
    tok = AutoTokenizer.from_pretrained(base)
    cls_dir, tok_dir = tmp / "cls", tmp / "tok"
    AutoModelForSequenceClassification.from_pretrained(base, num_labels=n_types).save_pretrained(cls_dir)
    AutoModelForTokenClassification.from_pretrained(base, num_labels=n_tags).save_pretrained(tok_dir)
    tok.save_pretrained(cls_dir)
    tok.save_pretrained(tok_dir)
    return str(cls_dir), str(tok_dir)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True, help="trained incidex model directory (or ONNX export)")
    ap.add_argument("--data", default="muc4", help="JSONL file or 'muc4' (TST1+TST2)")
    ap.add_argument("--repeat", type=int, default=1, help="repeat the documents (memory runs)")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--precision", default="fp32")
    ap.add_argument("--only", choices=["incidex", "pipeline-pair"])
    ap.add_argument("--out")
    args = ap.parse_args()

    from transformers import AutoTokenizer

    texts = load_texts(args.data, args.repeat)
    tok = AutoTokenizer.from_pretrained(args.model)
    n_tokens = sum(len(ids) for ids in tok(texts, add_special_tokens=False, verbose=False)["input_ids"])
    env = {**os.environ, "TOKENIZERS_PARALLELISM": "true"}
    results = {"documents": len(texts), "content_tokens": n_tokens, "device": args.device, "threads": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        data = tmp / "data.jsonl"
        data.write_text("".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(texts)))
        rows = []
        if args.only in (None, "incidex"):
            cmd = [sys.executable, "-m", "incidex", "predict", "--model", args.model, "--input", str(data),
                   "--output", str(tmp / "out.jsonl"), "--quiet", "--device", args.device,
                   "--batch-size", str(args.batch_size), "--precision", args.precision]
            seconds, peak = run_timed(cmd, env)
            rows.append(("incidex", seconds, peak))
        if args.only in (None, "pipeline-pair"):
            cfg = json.loads((Path(args.model) / "config.json").read_text())
            cls_dir, tok_dir = make_pipeline_models(tmp, len(cfg["attack_types"]), len(cfg["tag_label2id"]))
            script = tmp / "pipe.py"
            script.write_text(PIPELINE_SCRIPT)
            seconds, peak = run_timed([sys.executable, str(script), cls_dir, tok_dir, str(data), args.device], env)
            rows.append(("pipeline-pair", seconds, peak))
    print(f"{len(texts)} documents, {n_tokens:,} content tokens, device {args.device}")
    print("| contender | seconds (whole process) | documents/s | tokens/s | peak RSS MiB |")
    print("|---|---|---|---|---|")
    for name, seconds, peak in rows:
        results[name] = {"seconds": round(seconds, 2), "docs_per_s": round(len(texts) / seconds, 2),
                         "tokens_per_s": round(n_tokens / seconds), "peak_rss_mib": round(peak)}
        print(f"| {name} | {seconds:.1f} | {len(texts) / seconds:.2f} | {n_tokens / seconds:,.0f} | {peak:.0f} |")
    if len(rows) == 2:
        results["speedup"] = round(rows[1][1] / rows[0][1], 2)
        print(f"speed-up of incidex over the pipeline pair: {results['speedup']}x")
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
