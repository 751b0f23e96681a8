"""Benchmark the inference backends of one trained model: torch fp32/bf16 and onnxruntime fp32/int8.

Usage::

    python bench/bench_backends.py --model runs/quickstart --data data/sample/dev.jsonl --out bench/backends.json
    python bench/bench_backends.py --model runs/muc4 --data muc4 --n 200 --repeats 1

The model is exported (:func:`model.export.export_onnx`, fp32 and int8) into a temporary directory. Each
backend then runs in its own subprocess, so the peak resident memory (``VmHWM`` of that process:
libraries, model and activations) is its own; each warms up on a few documents, then predicts all of
them ``--repeats`` times and keeps the fastest pass. Reported: documents/s, tokens/s (content tokens,
special tokens and window overlaps excluded), peak RSS, load time, model size, and the agreement of every
backend with torch fp32 (:func:`model.export.compare_records`: attack-type decisions per (document, label),
probability differences, exact-match span F1; ``spans`` counts the backend's spans, so a span F1 of 1.0
over no spans at all is visible). Prints a markdown table, writes everything as JSON to
``--out``.

``--data`` is a format-v1 JSONL file (``text`` field) or ``muc4``: the MUC-4 TST1+TST2 sets read from
``--muc4-dir`` (default ``../shared/data/muc4/raw/TASK/CORPORA`` beside the repository).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_MUC4 = REPO.parent / "shared" / "data" / "muc4" / "raw" / "TASK" / "CORPORA"
BACKENDS = ("torch-fp32", "torch-bf16", "onnx-fp32", "onnx-int8")


def load_texts(data: str, n: int | None, muc4_dir: Path = DEFAULT_MUC4) -> list[str]:
    """The first ``n`` texts (all when ``n`` is None) of a JSONL file, or of MUC-4 TST1+TST2 for ``muc4``."""
    if data == "muc4":
        from incidex.training.importers.muc4 import read_muc4

        texts = [d["text"] for d in read_muc4(muc4_dir, ["tst1", "tst2"])]
    else:
        with open(data, encoding="utf-8") as f:
            texts = [json.loads(line)["text"] for line in f if line.strip()]
    return texts[:n] if n else texts


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def prepare_dirs(model_dir: Path, work: Path) -> dict[str, Path]:
    """Export once with int8; ``onnx-fp32`` is the same directory without ``model_quantized.onnx``."""
    from incidex.model.export import QUANTIZED_FILE, export_onnx

    int8 = export_onnx(model_dir, work / "onnx-int8", quantize="int8")
    fp32 = work / "onnx-fp32"
    fp32.mkdir()
    for f in int8.iterdir():
        if f.name != QUANTIZED_FILE:
            (fp32 / f.name).symlink_to(f.resolve())
    return {"torch-fp32": model_dir, "torch-bf16": model_dir, "onnx-fp32": fp32, "onnx-int8": int8}


def model_size_mib(backend: str, directory: Path) -> float:
    names = {"onnx-fp32": ["model.onnx"], "onnx-int8": ["model_quantized.onnx"]}.get(backend)
    files = [directory / n for n in names] if names else list(directory.glob("*.safetensors"))
    return round(sum(f.stat().st_size for f in files if f.exists()) / 2**20, 1)


def peak_rss_mib() -> float:
    """Peak resident memory of this process: ``VmHWM``, which exec resets (``ru_maxrss`` does not on Linux:
    a child would report its parent's peak whenever that is higher), else ``ru_maxrss``."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def worker(args: argparse.Namespace) -> int:
    """Child process: load one backend, time it, write records and measurements to ``--result``."""
    if args.threads:
        os.environ["OMP_NUM_THREADS"] = str(args.threads)
    start = time.perf_counter()
    from incidex.model import Predictor

    precision = {"torch-fp32": "fp32", "torch-bf16": "bf16"}.get(args.worker, "auto")
    predictor = Predictor(args.model, device="cpu", precision=precision, batch_size=args.batch_size)
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
        if hasattr(predictor.backend, "session"):  # rebuild the session with the requested threads
            from incidex.model.onnx_backend import OnnxBackend

            predictor.backend = OnnxBackend(predictor.backend.file, threads=args.threads)
    load_s = time.perf_counter() - start
    texts = json.loads(Path(args.texts).read_text(encoding="utf-8"))
    predictor.predict(texts[: min(4, len(texts))])  # warm-up
    times, records = [], []
    for _ in range(args.repeats):
        t = time.perf_counter()
        records = predictor.predict(texts)
        times.append(time.perf_counter() - t)
    result = {
        "backend": args.worker,
        "precision": getattr(predictor.backend, "precision", None),
        "load_s": round(load_s, 2),
        "seconds": min(times),
        "all_seconds": [round(t, 3) for t in times],
        "peak_rss_mib": peak_rss_mib(),
        "records": records,
    }
    Path(args.result).write_text(json.dumps(result), encoding="utf-8")
    return 0


def run_backend(backend: str, directory: Path, texts_file: Path, work: Path, args: argparse.Namespace) -> dict:
    result_file = work / f"{backend}.json"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", backend, "--model", str(directory),
           "--texts", str(texts_file), "--result", str(result_file), "--batch-size", str(args.batch_size),
           "--repeats", str(args.repeats)] + (["--threads", str(args.threads)] if args.threads else [])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
    subprocess.run(cmd, check=True, env=env, cwd=REPO)
    return json.loads(result_file.read_text(encoding="utf-8"))


def markdown_table(summary: dict[str, Any]) -> str:
    rows = [
        "| backend | docs/s | tokens/s | peak RSS (MiB) | load (s) | model (MiB) | type agreement | max Δp | "
        "span F1 vs torch fp32 | spans |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in summary["results"].items():
        a = summary["agreement"].get(name, {})
        rows.append(
            f"| {name} | {r['docs_per_s']:.2f} | {r['tokens_per_s']:.0f} | {r['peak_rss_mib']:.0f} | "
            f"{r['load_s']:.1f} | {r['model_mib']:.1f} | {a.get('type_agreement', float('nan')):.4f} | "
            f"{a.get('type_max_prob_diff', float('nan')):.4f} | {a.get('span_f1', float('nan')):.4f} | {a.get('other_spans', '')} |"
        )
    return "\n".join(rows)


def bench(args: argparse.Namespace) -> dict[str, Any]:
    from incidex.model.export import compare_records, library_versions
    from incidex.model.inference import cpu_has_bf16
    from transformers import AutoTokenizer

    model_dir = Path(args.model)
    texts = load_texts(args.data, args.n, Path(args.muc4_dir))
    if not texts:
        raise SystemExit(f"no texts in {args.data}")
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    n_tokens = sum(len(ids) for ids in tokenizer(texts, add_special_tokens=False)["input_ids"])
    backends = [b for b in args.backends.split(",") if b]
    unknown = set(backends) - set(BACKENDS)
    if unknown:
        raise SystemExit(f"unknown backends {sorted(unknown)}; choose from {', '.join(BACKENDS)}")
    work = Path(tempfile.mkdtemp(prefix="incidex-bench-"))
    try:
        t = time.perf_counter()
        dirs = prepare_dirs(model_dir, work)
        export_s = time.perf_counter() - t
        texts_file = work / "texts.json"
        texts_file.write_text(json.dumps(texts), encoding="utf-8")
        raw = {}
        for b in backends:
            print(f"running {b} ...", file=sys.stderr, flush=True)
            raw[b] = run_backend(b, dirs[b], texts_file, work, args)
            raw[b]["model_mib"] = model_size_mib(b, dirs[b])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results = {}
    for b, r in raw.items():
        results[b] = {k: v for k, v in r.items() if k != "records"}
        results[b]["docs_per_s"] = len(texts) / r["seconds"]
        results[b]["tokens_per_s"] = n_tokens / r["seconds"]
    reference = raw.get("torch-fp32", {}).get("records")
    agreement = {b: compare_records(reference, r["records"]) for b, r in raw.items() if reference is not None}
    return {
        "model": str(model_dir.resolve()),
        "data": args.data,
        "docs": len(texts),
        "tokens": n_tokens,
        "windows": sum(r["windows"] for r in reference) if reference else None,
        "batch_size": args.batch_size,
        "repeats": args.repeats,
        "threads": args.threads or len(os.sched_getaffinity(0)),
        "cpu": cpu_name(),
        "cpu_native_bf16": cpu_has_bf16(),
        "export_s": round(export_s, 1),
        "versions": library_versions(),
        "results": results,
        "agreement": agreement,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", "-m", required=True, help="trained model directory (torch weights)")
    p.add_argument("--data", "-d", default="data/sample/dev.jsonl", help="JSONL file or 'muc4'")
    p.add_argument("--n", type=int, default=None, help="first N documents (default: all)")
    p.add_argument("--out", "-o", default=None, help="write the results as JSON here")
    p.add_argument("--backends", default=",".join(BACKENDS))
    p.add_argument("--batch-size", type=int, default=16, help="windows per forward pass")
    p.add_argument("--repeats", type=int, default=3, help="timed passes; the fastest counts")
    p.add_argument("--threads", type=int, default=None, help="threads per backend (default: available cores)")
    p.add_argument("--muc4-dir", default=str(DEFAULT_MUC4))
    p.add_argument("--worker", choices=BACKENDS, help=argparse.SUPPRESS)
    p.add_argument("--texts", help=argparse.SUPPRESS)
    p.add_argument("--result", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.worker:
        return worker(args)
    summary = bench(args)
    print(f"\n{summary['docs']} docs, {summary['tokens']} tokens, {summary['windows']} windows; "
          f"{summary['threads']} threads on {summary['cpu']} (native bf16: {summary['cpu_native_bf16']})\n")
    print(markdown_table(summary))
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
