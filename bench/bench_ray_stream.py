"""Streaming Ray engine: driver peak RSS by input size, docs/s against the local engine, kill and --resume.

Usage::

    nice -n 19 python bench/bench_ray_stream.py --model DIR [--docs 1000,10000] [--concurrency 2] [--json out.json]

``--model``: any model directory; ``--tiny DIR`` saves the tiny random model of tests/conftest.py there
first (memory and resume figures do not depend on the model's size; speed does). Each figure is one
``incidex predict`` process:

* ``rss``: driver peak RSS (``VmHWM`` of the driver process, sampled every 0.1 s) of ``incidex predict --engine ray`` at each ``--docs`` size;
* ``speed``: docs/s of the largest input, local engine vs Ray with ``--concurrency`` actors (wall time
  of the whole command, model loading and Ray start included);
* ``kill``: a Ray run SIGKILLed once OUTPUT.partial holds half the records, then ``--resume``: every
  input id exactly once, in input order, and the same bytes as the local output.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEXT = ("Gunmen killed {i} police officers and wounded several civilians in the market of the village, "
        "the army said. A car bomb exploded near the bus station.")


def make_input(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"d{i}", "text": TEXT.format(i=i)}) + "\n")


def _hwm_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def predict(model: str, src: Path, out: Path, *extra: str) -> tuple[float, float]:
    """(seconds, peak RSS in MiB of the `incidex predict` process alone: VmHWM, Ray's workers excluded)."""
    cmd = [sys.executable, "-m", "incidex", "predict", "--model", model, "--input", str(src), "--output", str(out),
           "--quiet", *extra]
    start = time.time()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    while proc.poll() is None:
        peak = max(peak, _hwm_mib(proc.pid) or 0.0)
        time.sleep(0.1)
    seconds = time.time() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr.read().decode()[-2000:]}")
    return seconds, peak


def _kill_session(sid: int) -> None:
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid:  # field 6 of /proc/PID/stat: the session id
            try:
                os.kill(int(stat.parent.name), signal.SIGKILL)
            except ProcessLookupError:
                pass


def kill_and_resume(model: str, src: Path, tmp: Path, n: int, concurrency: int) -> dict:
    out = tmp / "killed.jsonl"
    partial = Path(str(out) + ".partial")
    cmd = [sys.executable, "-m", "incidex", "predict", "--engine", "ray", "--concurrency", str(concurrency),
           "--model", model, "--input", str(src), "--output", str(out), "--quiet"]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    while proc.poll() is None:
        if partial.exists() and partial.read_bytes().count(b"\n") >= n // 2:
            break
        time.sleep(0.2)
    os.kill(proc.pid, signal.SIGKILL)  # the driver only, as an OOM kill or a lost node would
    proc.wait()
    before = partial.read_bytes().count(b"\n") if partial.exists() else 0
    _kill_session(proc.pid)  # the local Ray that driver started (its session only; no other Ray is touched)
    subprocess.run(cmd + ["--resume"], cwd=REPO, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    local = tmp / "local-ref.jsonl"
    if not local.exists():
        subprocess.run([sys.executable, "-m", "incidex", "predict", "--model", model, "--input", str(src),
                        "--output", str(local), "--quiet"], cwd=REPO, check=True, stderr=subprocess.DEVNULL)
    return {"records_before_kill": before, "records": len(ids), "each_once_in_order": ids == [f"d{i}" for i in range(n)],
            "same_bytes_as_local": out.read_bytes() == local.read_bytes()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model")
    parser.add_argument("--tiny", help="save the tiny random test model here and use it")
    parser.add_argument("--docs", default="1000,10000")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--skip", default="", help="comma-separated: rss, speed, kill")
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    model = args.model
    if args.tiny:
        sys.path.insert(0, str(REPO / "tests"))
        from conftest import build_tiny_model, make_tokenizer

        tok = make_tokenizer(Path(args.tiny))
        build_tiny_model(tok, seed=3).save_pretrained(args.tiny, tokenizer=tok)
        model = args.tiny
    if not model:
        parser.error("--model or --tiny is required")
    skip = set(args.skip.split(","))
    tmp = Path(tempfile.mkdtemp(prefix="incidex-ray-stream-"))
    sizes = sorted(int(x) for x in args.docs.split(","))
    result: dict = {"model": model, "concurrency": args.concurrency, "rss_mib": {}, "load": os.getloadavg()}
    for n in sizes:
        make_input(tmp / f"in-{n}.jsonl", n)
    ray_args = ("--engine", "ray", "--concurrency", str(args.concurrency))
    if "rss" not in skip:
        for n in sizes:
            s, mib = predict(model, tmp / f"in-{n}.jsonl", tmp / f"ray-{n}.jsonl", *ray_args)
            result["rss_mib"][n] = round(mib, 1)
            result.setdefault("ray_seconds", {})[n] = round(s, 1)
            print(f"ray {n} docs: {s:.1f} s, driver peak RSS {mib:.0f} MiB", file=sys.stderr)
    n = sizes[-1]
    if "speed" not in skip:
        s_local, _ = predict(model, tmp / f"in-{n}.jsonl", tmp / f"local-{n}.jsonl")
        s_ray = result.get("ray_seconds", {}).get(n) or predict(model, tmp / f"in-{n}.jsonl",
                                                                    tmp / f"ray-{n}.jsonl", *ray_args)[0]
        result["docs_per_s"] = {"local": round(n / s_local, 1), f"ray x{args.concurrency}": round(n / s_ray, 1)}
        print(f"docs/s on {n} docs: {result['docs_per_s']}", file=sys.stderr)
    if "kill" not in skip:
        k = sizes[0]
        result["kill_resume"] = {"docs": k, **kill_and_resume(model, tmp / f"in-{k}.jsonl", tmp, k, args.concurrency)}
        print(f"kill/resume: {result['kill_resume']}", file=sys.stderr)
    print(json.dumps(result, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
