"""Generate the ``README.md`` model card saved with every model directory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def _table(rows: list[tuple[str, str]]) -> str:
    return "\n".join(["| | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in rows])


def render_model_card(config: Any) -> str:
    """Markdown model card: labels, training data summary, dev metrics, intended use, limits, loading."""
    info: dict[str, Any] = dict(config.training_info or {})
    data = info.get("data", {})
    metrics = info.get("dev_metrics", {})
    lines = [
        "---",
        "library_name: incidex",
        "tags: [incidex, event-extraction, token-classification, text-classification]",
        "---",
        "",
        "# incidex event extractor",
        "",
        "Reads a news report of a violent incident and returns its attack types (multi-label, per document), "
        "spans for actors and casualties, and casualty counts, with one encoder "
        f"(`{config.encoder_name or config.encoder_config.model_type}`) and two heads.",
        "",
        "## Labels",
        "",
        f"- attack types ({len(config.attack_types)}): " + ", ".join(f"`{t}`" for t in config.attack_types),
        f"- span labels ({len(config.span_labels)}): " + ", ".join(f"`{t}`" for t in config.span_labels),
        "- decision thresholds: "
        + ", ".join(f"{t} {th:.2f}" for t, th in zip(config.attack_types, config.type_thresholds)),
        f"- windows: {config.window_length} tokens, {config.window_stride} shared between neighbours",
        "",
        "## Training data",
        "",
    ]
    if data:
        lines.append(_table([(str(k), f"{v}") for k, v in data.items()]))
    else:
        lines.append("Not recorded (model not trained by `incidex train`).")
    lines += ["", "## Dev metrics", ""]
    if metrics:
        keep = {k: v for k, v in metrics.items() if isinstance(v, (int, float))}
        lines.append(_table([(k, f"{v:.4f}" if isinstance(v, float) else str(v)) for k, v in sorted(keep.items())]))
    else:
        lines.append("Not recorded.")
    if info.get("seed") is not None or info.get("versions"):
        lines += ["", "## Reproducibility", "", f"- seed: {info.get('seed')}"]
        kept, mean = info.get("kept_checkpoint") or {}, info.get("checkpoint_averaging") or {}
        if kept.get("epoch") is not None:
            lines.append(f"- kept: epoch {kept['epoch']:g} (step {kept.get('step')}), best dev {kept.get('metric')}")
        elif mean.get("kept") == "average":
            lines.append(f"- kept: the mean of {', '.join(mean.get('checkpoints', []))} (dev {mean.get('metric')})")
        lines += [f"- {k}: {v}" for k, v in sorted(info.get("versions", {}).items())]
        lines += ["- the full resolved training config is in `training_config.yaml`"]
    lines += [
        "",
        "## Intended use and limits",
        "",
        "For researchers and event-data coders who extract incident records from news text at scale, with a "
        "human checking the output. It is not a source of truth: attack types and casualty counts are "
        "model guesses, and counts that the text gives only vaguely (\"dozens\") come back as ranges, never "
        "as a single number. Models trained on MUC-4 learned from 1989-91 Latin American news (FBIS "
        "translations, upper case): expect lower accuracy on modern reports, other regions and styles, and "
        "label definitions of that corpus (e.g. military clashes are not incidents).",
        "",
        "## How to load",
        "",
        "```python",
        "from incidex import Predictor, EventExtractor",
        "predictor = Predictor(\"PATH/TO/THIS/DIRECTORY\")",
        "record = predictor.predict(\"Gunmen killed two police officers in Lagos on Monday.\")",
        "# or: EventExtractor.from_pretrained(\"PATH/TO/THIS/DIRECTORY\")",
        "```",
        "",
        "Command line: `incidex predict --model PATH/TO/THIS/DIRECTORY --input articles.jsonl --output preds.jsonl`",
        "",
    ]
    return "\n".join(lines)


def write_model_card(config: Any, directory: str | os.PathLike) -> Path:
    """Write ``README.md`` into a model directory and return its path."""
    path = Path(directory) / "README.md"
    path.write_text(render_model_card(config), encoding="utf-8")
    return path
