"""The ``incidex`` command: thin subcommands over the library functions.

    incidex validate data/sample/train.jsonl
    incidex convert muc4 ../shared/data/muc4/raw/TASK/CORPORA --sets tst1,tst2 --output dev.jsonl
    incidex train --config configs/quickstart.yaml --output-dir runs/quickstart
    incidex predict --model runs/quickstart --input examples/ --output preds.jsonl
    incidex evaluate --model runs/quickstart --data data/sample/dev.jsonl --output reports/quickstart
    incidex export --model runs/quickstart --output runs/quickstart-onnx --quantize int8
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from incidex.model.extras import ONNX_MODULES, TRAIN_MODULES, MissingExtraError, require

CONVERTERS = {
    "muc4": "MUC-4 distribution: CORPORA folder, --sets",
    "doccano": "doccano JSONL span export",
    "label-studio": "Label Studio JSON export",
    "conll": "CoNLL BIO file (token per line)",
    "gtd": "GTD-style CSV",
    "acled": "ACLED-style CSV",
}


def _convert(fmt: str, source: str, sets: list[str]) -> list[dict]:
    if fmt == "muc4":
        from .importers.muc4 import read_muc4

        return read_muc4(source, sets or ["dev"])
    from .importers import events_csv, spans

    readers = {
        "doccano": spans.read_doccano,
        "label-studio": spans.read_label_studio,
        "conll": spans.read_conll,
        "gtd": events_csv.read_gtd_csv,
        "acled": events_csv.read_acled_csv,
    }
    return readers[fmt](source)


def cmd_validate(args: argparse.Namespace) -> int:
    from .corpus import validate_files

    labels = args.span_labels.split(",") if args.span_labels else None
    types = args.attack_types.split(",") if args.attack_types else None
    problems = validate_files(args.files, span_labels=labels, attack_types=types, allow_overlaps=args.allow_overlaps)
    from incidex.model.io import printable

    for p in problems:
        print(printable(str(p)))  # a lone surrogate in a corpus must not crash the report of it
    print(f"{len(args.files)} file(s): {len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


def cmd_convert(args: argparse.Namespace) -> int:
    from .corpus import validate_files, write_jsonl

    start = time.time()
    docs = _convert(args.format, args.source, [s for s in (args.sets or "").split(",") if s])
    n = write_jsonl(docs, args.output)
    problems = validate_files([args.output], allow_overlaps=args.allow_overlaps)
    for p in problems:
        print(p)
    print(f"wrote {n} documents to {args.output} in {time.time() - start:.1f} s; {len(problems)} problem(s)",
          file=sys.stderr)
    return 1 if problems else 0


def cmd_train(args: argparse.Namespace) -> int:
    require(*TRAIN_MODULES, extra="train", feature="incidex train")
    from .config import load_config
    from .trainer import train

    cfg = load_config(args.config, args.set)
    result = train(cfg, args.output_dir, resume=args.resume)
    if int(os.environ.get("RANK", "0")) != 0:
        return 0
    print(json.dumps({"output_dir": result["output_dir"], "dev": result["dev_metrics"],
                      "train_seconds": round(result["train_seconds"], 1)}, indent=2))
    return 0


def _check_predict_args(args: argparse.Namespace) -> None:
    """Every option and the model directory checked before anything is read or written (one-line errors)."""
    from pathlib import Path

    from incidex.model.batch import check_model_dir
    from incidex.model.extras import ONNX_MODULES, require
    from incidex.model.io import input_format
    from incidex.model.output import output_format

    for flag, value, least in (("--batch-size", args.batch_size, 1), ("--concurrency", args.concurrency, 1),
                               ("--num-gpus", args.num_gpus, 0)):
        if value < least:
            raise ValueError(f"{flag} must be >= {least}, got {value}")
    device = args.device
    if device != "auto" and device != "cpu" and not device.startswith("cuda"):
        raise ValueError(f"--device {device}: use auto, cpu, cuda or cuda:N")
    if device.startswith("cuda") and args.engine == "local":
        import torch

        index = device.partition(":")[2]
        if not torch.cuda.is_available():
            raise ValueError(f"--device {device}: no CUDA GPU is visible to torch; use --device cpu (or auto)")
        if index and (not index.isdigit() or int(index) >= torch.cuda.device_count()):
            raise ValueError(f"--device {device}: this machine has {torch.cuda.device_count()} GPU(s) (cuda:0...)")
    output_format(args.output)  # a bad output suffix fails here, not after the run
    if Path(args.model).exists():
        check_model_dir(args.model)
        if any((Path(args.model) / f).exists() for f in ("model.onnx", "model_quantized.onnx")):
            require(*ONNX_MODULES, extra="onnx", feature=f"the ONNX model in {args.model}")
    if args.engine == "ray":
        require("ray", extra="ray", feature="incidex predict --engine ray")
    if output_format(args.output) == "parquet" or any(input_format(p)[0] == "parquet" for p in args.input):
        require("pyarrow", extra="parquet", feature="Parquet input or output")


def cmd_predict(args: argparse.Namespace) -> int:
    from incidex.model.batch import predict_files

    _check_predict_args(args)
    if args.engine == "ray":
        from incidex.model.ray_engine import predict_with_ray

        stats = predict_with_ray(args.model, args.input, args.output, batch_size=args.batch_size,
                                 text_field=args.text_field, text_column=args.text_column,
                                 concurrency=args.concurrency, num_gpus=args.num_gpus, resume=args.resume,
                                 precision=args.precision, progress=not args.quiet)
    else:
        from incidex.model import Predictor
        from incidex.model.io import input_files

        input_files(args.input)  # a missing input is reported before the model is loaded
        try:
            predictor = Predictor(args.model, device=args.device, batch_size=args.batch_size,
                                  precision=args.precision)
        except (OSError, ValueError, RuntimeError) as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise ValueError(f"cannot load the model in {args.model}: {first}") from e
        stats = predict_files(predictor, args.input, args.output, text_field=args.text_field,
                              text_column=args.text_column, resume=args.resume, progress=not args.quiet)
    print(json.dumps(stats), file=sys.stderr)
    nothing_read = stats.get("skipped", 0) == 0 and stats["written"] == stats["errors"]  # no good record at all
    return 1 if nothing_read else 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    require(*TRAIN_MODULES, extra="train", feature="incidex evaluate")
    from .evaluate import evaluate_model, evaluate_seeds

    if args.seeds:
        if not args.config:
            raise SystemExit("--seeds needs --config (the training config to run with each seed)")
        summary = evaluate_seeds(args.config, args.seeds, args.output, overrides=args.set)
        print(json.dumps(summary["headline"], indent=2))
        return 0
    if args.model and args.config and not args.data:
        from .evaluate import evaluate_corpora

        summary = evaluate_corpora(args.model, args.config, args.output, overrides=args.set,
                                   batch_size=args.batch_size)
        print(json.dumps({name: {k: v for k, v in c.items() if k != "grit"} for name, c in summary["corpora"].items()},
                         indent=2))  # GRIT's headline is there as grit_micro_f1; the full scores are in corpora.json
        return 0
    if not (args.model and args.data):
        raise SystemExit("evaluate needs --model and --data, --model and --config (every corpus's dev split), "
                         "or --seeds N --config FILE")
    result = evaluate_model(args.model, args.data, args.output, data_format=args.format, sets=args.sets,
                            train_data=args.train_data, batch_size=args.batch_size)
    print(json.dumps(result["headline"], indent=2))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    require(*ONNX_MODULES, extra="onnx", feature="incidex export")
    from incidex.model.export import export_onnx

    out = export_onnx(args.model, args.output, quantize=args.quantize)
    print(f"exported to {out}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="incidex", description=__doc__.split("\n")[0])
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check corpus files (format v1); every problem with file, line, id, field")
    p.add_argument("files", nargs="+")
    p.add_argument("--span-labels", help="comma-separated allowed span labels")
    p.add_argument("--attack-types", help="comma-separated allowed attack types")
    p.add_argument("--allow-overlaps", action="store_true")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("convert", help="convert a corpus into format v1 JSONL")
    p.add_argument("format", choices=sorted(CONVERTERS), help="; ".join(f"{k}: {v}" for k, v in CONVERTERS.items()))
    p.add_argument("source", help="input file (or, for muc4, the CORPORA folder)")
    p.add_argument("--sets", help="muc4: comma-separated sets, e.g. dev or tst1,tst2")
    p.add_argument("--output", "-o", required=True)
    p.add_argument("--allow-overlaps", action="store_true")
    p.set_defaults(func=cmd_convert)

    p = sub.add_parser("train", help="fine-tune a model from a YAML config")
    p.add_argument("--config", "-c", required=True)
    p.add_argument("--output-dir", "-o", required=True)
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override, e.g. training.epochs=3")
    p.add_argument("--resume", action="store_true",
                   help="continue an interrupted run in --output-dir after its last completed epoch (same config)")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("predict", help="predict JSONL/CSV/.txt inputs into a JSONL file")
    p.add_argument("--model", "-m", required=True, help="trained model directory, ONNX export, or Hugging Face Hub id org/name[@revision]")
    p.add_argument("--input", "-i", nargs="+", required=True)
    p.add_argument("--output", "-o", required=True)
    p.add_argument("--text-field", default="text")
    p.add_argument("--text-column", default="text")
    p.add_argument("--batch-size", type=int, default=16, help="windows per forward pass")
    p.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N")
    p.add_argument("--precision", default="auto", choices=["auto", "fp32", "bf16", "fp16"])
    p.add_argument("--resume", action="store_true", help="continue an interrupted run")
    p.add_argument("--engine", default="local", choices=["local", "ray"])
    p.add_argument("--concurrency", type=int, default=2, help="ray: model replicas")
    p.add_argument("--num-gpus", type=float, default=0, help="ray: GPUs per replica")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_predict)

    p = sub.add_parser("evaluate", help="metrics.json, report.md, pictures and errors.html for a model")
    p.add_argument("--model", "-m")
    p.add_argument("--data", "-d", help="JSONL file, or the muc4 CORPORA folder with --format muc4 --sets")
    p.add_argument("--format", default="jsonl", choices=["jsonl", "muc4"])
    p.add_argument("--sets", default="tst1,tst2")
    p.add_argument("--train-data", help="training JSONL for the baselines (default: from the model's config)")
    p.add_argument("--output", "-o", required=True)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--seeds", type=int, help="train and evaluate this many seeds with --config")
    p.add_argument("--config", "-c")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("export", help="export a model to ONNX (optionally int8)")
    p.add_argument("--model", "-m", required=True)
    p.add_argument("--output", "-o", required=True)
    p.add_argument("--quantize", choices=["int8"], default=None)
    p.set_defaults(func=cmd_export)
    for p in sub.choices.values():  # `incidex predict ... --debug` works as well as `incidex --debug predict`
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``incidex`` console script."""
    args = build_parser().parse_args(argv)
    from .config import ConfigError
    from .corpus import CorpusError

    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # `incidex validate ... | head`: the reader left; stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python flushes stdout at exit: that must not fail again
        return 1
    except KeyboardInterrupt:
        print(f"incidex {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as e:
        if args.debug:
            raise
        if isinstance(e, (ConfigError, CorpusError, MissingExtraError, FileNotFoundError, ValueError)):
            print(f"incidex {args.command}: error: {e}", file=sys.stderr)
            return 2
        first = (str(e).strip().splitlines() or [""])[0]
        print(f"incidex {args.command}: error: {type(e).__name__}: {first} (add --debug for the traceback)",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
