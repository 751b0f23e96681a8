"""Write an evaluation run to disk: metrics.json, report.md, two PNG charts and errors.html.

``write_report`` takes the dict from ``eval.metrics.evaluate`` plus the gold documents and prediction
records it was computed from. Charts are drawn on a ``matplotlib.figure.Figure`` with an explicit
``FigureCanvasAgg``, so the global matplotlib backend is never switched. ``seed_summary`` gives mean and
standard deviation over several runs (``--seeds 3``) and ``seed_summary_markdown`` renders it.
"""

from __future__ import annotations

import html
import json
import math
import statistics
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from incidex.eval.metrics import casualty_point_estimate, predicted_labels

MAX_ERROR_DOCS = 200
# well-separated hues (red, orange, yellow, green, cyan, blue, purple, pink, brown, grey), light enough for
# black text; labels past the tenth get golden-angle hues
_PALETTE = (
    "#ff8a8a", "#ffbe5c", "#fff06a", "#8fe07a", "#6fdcdc", "#8fb4ff", "#c79bff", "#ff9ad5", "#d2a77c",
    "#c4c4c4",
)  # fmt: skip


def label_colours(labels: Sequence[str]) -> dict[str, str]:
    """One distinct background colour per label, in the given order.

    >>> label_colours(["KILLED", "WOUNDED"])
    {'KILLED': '#ff8a8a', 'WOUNDED': '#ffbe5c'}
    """
    out = {}
    for k, lab in enumerate(labels):
        out[lab] = _PALETTE[k] if k < len(_PALETTE) else f"hsl({(k * 137.508) % 360:.0f}, 75%, 78%)"
    return out


# --------------------------------------------------------------------------------------- JSON helpers


def json_safe(obj: Any) -> Any:
    """A copy of ``obj`` that ``json.dumps`` accepts: numpy scalars -> Python, NaN/inf -> None.

    >>> json_safe({"a": float("nan"), "b": (1, 2.5), 3: {"c"}})
    {'a': None, 'b': [1, 2.5], '3': ['c']}
    """
    if isinstance(obj, Mapping):
        return {str(k): json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (set, frozenset)):
        return [json_safe(v) for v in sorted(obj, key=str)]
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, float):
        return float(obj) if math.isfinite(obj) else None
    if isinstance(obj, Path):
        return str(obj)
    if hasattr(obj, "tolist"):  # numpy scalars and arrays
        return json_safe(obj.tolist())
    return str(obj)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


# ------------------------------------------------------------------------------------------- seeds


def _summarise_values(values: list[Any]) -> Any:
    present = [v if isinstance(v, Mapping) else json_safe(v) for v in values]
    present = [v for v in present if v is not None]
    if present and all(isinstance(v, Mapping) for v in present):
        keys = list(dict.fromkeys(k for v in present for k in v))
        out = {}
        for k in keys:
            sub = _summarise_values([v.get(k) for v in present])
            if sub is not None:
                out[k] = sub
        return out or None
    nums = [float(v) for v in present if _is_number(v)]
    if not nums or len(nums) != len(present):
        return None
    std = statistics.stdev(nums) if len(nums) > 1 else 0.0
    return {"mean": statistics.fmean(nums), "std": std, "n": len(nums)}


def seed_summary(metric_dicts: list[dict]) -> dict[str, Any]:
    """Mean and sample std (ddof=1; 0 for one run) of every numeric leaf of nested metric dicts.

    The result keeps the nesting; each numeric leaf becomes {"mean", "std", "n"} where n counts the
    runs that have it. Lists, strings and None values are left out.

    >>> s = seed_summary([{"a": {"f1": 0.5}, "n": 4}, {"a": {"f1": 0.7}, "n": 4}])
    >>> round(s["a"]["f1"]["mean"], 6), round(s["a"]["f1"]["std"], 6), s["n"]["std"]
    (0.6, 0.141421, 0.0)
    """
    if not metric_dicts:
        return {}
    return _summarise_values(list(metric_dicts)) or {}


def _is_stat_leaf(v: Any) -> bool:
    return isinstance(v, Mapping) and set(v) == {"mean", "std", "n"}


def _flatten_stats(summary: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Mapping[str, Any]]]:
    rows = []
    for k, v in summary.items():
        path = f"{prefix}.{k}" if prefix else str(k)
        if _is_stat_leaf(v):
            rows.append((path, v))
        elif isinstance(v, Mapping):
            rows.extend(_flatten_stats(v, path))
    return rows


_HEADLINE_LEAVES = frozenset({"f1", "micro_f1", "macro_f1", "samples_f1", "exact_match", "accuracy"})


def _is_headline(path: str) -> bool:
    parts = path.split(".")
    if {"per_label", "micro", "macro"} & set(parts):  # per-label rows; dict twins of micro_f1/macro_f1
        return False
    return parts[-1] in _HEADLINE_LEAVES or parts[-1].endswith(("_exact", "_mae"))


def seed_summary_markdown(summary: Mapping[str, Any], full: bool = False) -> str:
    """A markdown table (metric path | mean | std | runs) of a ``seed_summary`` result.

    By default only headline scores are listed (F1s, exact match, accuracies, casualty exact/MAE,
    no per-label rows); ``full=True`` lists every leaf. Confusion counts are never listed.

    >>> print(seed_summary_markdown({"attack_type": {"macro_f1": {"mean": 0.5, "std": 0.1, "n": 3},
    ...                                              "n": {"mean": 9, "std": 0.0, "n": 3}}}))
    | metric | mean | std | runs |
    |---|---|---|---|
    | attack_type.macro_f1 | 0.500 | 0.100 | 3 |
    """
    rows = [
        [path, _fmt(v["mean"]), _fmt(v["std"]), str(v["n"])]
        for path, v in _flatten_stats(summary)
        if "confusion" not in path.split(".") and (full or _is_headline(path))
    ]
    return _md_table(["metric", "mean", "std", "runs"], rows)


# ---------------------------------------------------------------------------------------- markdown


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return f"{v:.3f}" if math.isfinite(v) else "-"
    if isinstance(v, (list, tuple)):
        shown = ", ".join(str(x) for x in v[:20])
        return shown + (f", ... ({len(v)} in all)" if len(v) > 20 else "")
    return str(v)


def _md_cell(v: Any) -> str:
    return str(v).replace("|", "\\|").replace("\n", " ")


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(_md_cell(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _flatten(d: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out = []
    for k, v in d.items():
        path = f"{prefix}.{k}" if prefix else str(k)
        if isinstance(v, Mapping):
            out.extend(_flatten(v, path))
        else:
            out.append((path, v))
    return out


def _dig(d: Any, path: Sequence[str]) -> Any:
    """``d[path[0]][path[1]]...``, or None where a key is missing."""
    for key in path:
        if not isinstance(d, Mapping) or key not in d:
            return None
        d = d[key]
    return d


def _kv_table(d: Mapping[str, Any]) -> str:
    return _md_table(["key", "value"], [[k, _fmt(v)] for k, v in _flatten(d)])


def _prf_table(per_label: Mapping[str, Mapping[str, Any]], totals: Sequence[tuple[str, Mapping]]) -> str:
    rows = [
        [lab, _fmt(m["p"]), _fmt(m["r"]), _fmt(m["f1"]), _fmt(m.get("support"))]
        for lab, m in per_label.items()
    ]
    rows += [[f"**{name}**", _fmt(m.get("p")), _fmt(m.get("r")), _fmt(m.get("f1")), ""] for name, m in totals]
    return _md_table(["label", "P", "R", "F1", "support"], rows)


def _attack_section(at: Mapping[str, Any], baselines: Mapping[str, Mapping[str, Any]] | None) -> list[str]:
    totals = [("micro", at["micro"]), ("macro", at["macro"])]
    parts = ["## Attack types", "", f"Documents labelled for attack types: {at['n']}.", ""]
    parts += [_prf_table(at["per_label"], totals), ""]
    specs: list[tuple[str, tuple[str, ...]]] = [
        ("micro F1", ("micro_f1",)),
        ("macro F1 (all labels)", ("macro_f1",)),
        ("samples F1", ("samples_f1",)),
        ("exact match", ("exact_match",)),
        ("no-attack accuracy", ("no_attack", "accuracy")),
        ("no-attack F1", ("no_attack", "f1")),
        *((f"F1 {lab}", ("per_label", lab, "f1")) for lab in at["per_label"]),
    ]
    columns = [at, *(baselines or {}).values()]
    rows = [[title, *(_fmt(_dig(m, path)) for m in columns)] for title, path in specs]
    names = list(baselines or {})
    parts += [
        "Model against baselines:" if names else "Summary:",
        "",
        _md_table(["metric", "model", *names], rows),
    ]
    if at.get("ignored_labels"):
        parts += ["", f"Labels outside the label set, ignored: {', '.join(at['ignored_labels'])}."]
    return [*parts, ""]


def _report_markdown(
    metrics: Mapping[str, Any],
    model_info: Mapping[str, Any] | None,
    baselines: Mapping[str, Mapping[str, Any]] | None,
    data_summary: Mapping[str, Any] | None,
    seed_stats: Mapping[str, Any] | None,
    charts: Sequence[str] = (),
) -> str:
    parts = [
        "# incidex evaluation report",
        "",
        f"Documents evaluated: {metrics.get('n_documents', '-')}.",
        "",
    ]
    if model_info:
        parts += ["## Model", "", _kv_table(model_info), ""]
    if data_summary:
        parts += ["## Data", "", _kv_table(data_summary), ""]
    if "attack_type" in metrics:
        parts += _attack_section(metrics["attack_type"], baselines)
    if "spans" in metrics:
        sp = metrics["spans"]
        parts += ["## Spans", "", f"Documents labelled for spans: {sp.get('n', '-')}.", ""]
        for mode, text in (("strict", "same start, end and label"), ("partial", "same label, overlapping")):
            m = sp[mode]
            totals = [("micro", m["micro"]), ("macro", {"f1": m["macro_f1"]})]
            parts += [f"### {mode.capitalize()} ({text})", "", _prf_table(m["per_label"], totals), ""]
    if "muc" in metrics:
        muc = metrics["muc"]
        roles = [k for k, v in muc.items() if isinstance(v, Mapping) and "n_gold" in v]
        rows = [
            [r, _fmt(muc[r]["p"]), _fmt(muc[r]["r"]), _fmt(muc[r]["f1"]), muc[r]["n_gold"], muc[r]["n_pred"]]
            for r in roles
        ]
        rows.append(
            ["**micro**", _fmt(muc["micro"]["p"]), _fmt(muc["micro"]["r"]), _fmt(muc["micro_f1"]), "", ""]
        )
        rows.append(["**macro**", "", "", _fmt(muc["macro_f1"]), "", ""])
        parts += ["## MUC-4 role fillers", "", f"Documents with incidents: {muc.get('n', '-')}. GTT-style "
                  "normalised exact match, each gold entity matched once.", "",
                  _md_table(["role", "P", "R", "F1", "gold entities", "predicted fillers"], rows), ""]  # fmt: skip
    if "casualties" in metrics:
        c = metrics["casualties"]
        rows = [
            [kind, _fmt(c.get(f"{kind}_n")), _fmt(c.get(f"{kind}_exact")), _fmt(c.get(f"{kind}_in_range")),
             _fmt(c.get(f"{kind}_mae")), _fmt(c.get(f"{kind}_answered")), _fmt(c.get(f"{kind}_n_zero")),
             _fmt(c.get(f"{kind}_false_alarm"))]
            for kind in ("killed", "wounded")
        ]  # fmt: skip
        pooled = c.get("pooled") or {}
        parts += ["## Casualties", "", "On documents whose gold count is > 0: exact, within the predicted "
                  "[min, max], mean absolute error and share answered, with the point estimate count, else min, "
                  "else max, else 0. On documents whose gold is 0: false alarms (a number > 0 predicted).", "",
                  _md_table(["kind", "docs gold > 0", "exact", "in range", "MAE", "answered", "docs gold = 0",
                             "false alarm"], rows), ""]  # fmt: skip
        if pooled:
            parts += ["Pooled over gold 0 and > 0 (flattering: saying nothing is exact on a 0 document): "
                      + "; ".join(f"{kind} exact {_fmt(pooled.get(f'{kind}_exact'))}, MAE "
                                  f"{_fmt(pooled.get(f'{kind}_mae'))} (n {_fmt(pooled.get(f'{kind}_n'))})"
                                  for kind in ("killed", "wounded")) + ".", ""]
    if seed_stats:
        parts += ["## Across seeds", "", seed_summary_markdown(seed_stats), ""]
    if charts:
        parts += ["## Charts", ""] + [f"![{name}]({name})" for name in charts] + [""]
    parts += ["Per-document errors: [errors.html](errors.html).", ""]
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------- charts


def _new_figure(width: float, height: float) -> Any:
    from incidex.model.extras import require

    require("matplotlib", extra="train", feature="report charts")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def plot_confusion(confusion: Mapping[str, Any], path: Path) -> Path:
    """Draw the document-level attack-type confusion matrix (gold rows, predicted columns) to ``path``."""
    labels = list(confusion["labels"])
    counts = confusion["counts"]
    matrix = [[int(counts.get(g, {}).get(p, 0)) for p in labels] for g in labels]
    size = 2.5 + 0.55 * len(labels)
    fig = _new_figure(size + 1, size)
    ax = fig.add_subplot(1, 1, 1)
    image = ax.imshow(matrix, cmap="Blues")
    fig.colorbar(image, ax=ax)
    top = max((v for row in matrix for v in row), default=0)
    for i, row in enumerate(matrix):
        for j, v in enumerate(row):
            ax.text(
                j, i, str(v), ha="center", va="center", fontsize=8, color="white" if v > top / 2 else "black"
            )
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title("Attack types (document pairs)")
    fig.tight_layout()
    fig.savefig(path, format="png")
    return path


def plot_f1_by_label(metrics: Mapping[str, Any], path: Path) -> Path | None:
    """Horizontal F1 bars: attack types, and span labels (strict and partial). None if nothing to draw."""
    panels = []
    if "attack_type" in metrics:
        per = metrics["attack_type"]["per_label"]
        panels.append(("Attack types", list(per), [("F1", [per[k]["f1"] for k in per])]))
    if "spans" in metrics and metrics["spans"]["strict"]["per_label"]:
        strict, partial = metrics["spans"]["strict"]["per_label"], metrics["spans"]["partial"]["per_label"]
        labels = list(strict)
        bars = [
            ("strict", [strict[k]["f1"] for k in labels]),
            ("partial", [partial[k]["f1"] for k in labels]),
        ]
        panels.append(("Span labels", labels, bars))
    if not panels:
        return None
    height = 2.0 + 0.35 * max(len(p[1]) for p in panels)
    fig = _new_figure(5.5 * len(panels), height)
    for k, (title, labels, bars) in enumerate(panels):
        ax = fig.add_subplot(1, len(panels), k + 1)
        width = 0.8 / len(bars)
        for b, (name, values) in enumerate(bars):
            ys = [i + b * width for i in range(len(labels))]
            ax.barh(ys, values, height=width, label=name)
            for y, v in zip(ys, values):
                ax.text(min(v, 0.88) + 0.01, y, f"{v:.2f}", va="center", fontsize=7)
        ax.set_yticks([i + width * (len(bars) - 1) / 2 for i in range(len(labels))], labels)
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.set_xlabel("F1")
        ax.set_title(title)
        if len(bars) > 1:
            ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, format="png")
    return path


# ------------------------------------------------------------------------------------------ errors.html


def _span_tuples(spans: Sequence[Mapping[str, Any]] | None) -> set[tuple[int, int, str]]:
    return {
        (int(s["start"]), int(s["end"]), str(s["label"]))
        for s in spans or []
        if int(s["end"]) > int(s["start"])
    }


def document_errors(doc: Mapping[str, Any], record: Mapping[str, Any]) -> int:
    """Type mismatches (symmetric difference) plus strict span errors (false positives + negatives).

    >>> document_errors({"text": "x", "attack_types": ["arson"], "spans": []},
    ...                 {"attack_types": [{"label": "bombing"}], "spans": [{"start": 0, "end": 1, "label": "W"}]})
    3
    """
    errors = 0
    if "attack_types" in doc:
        errors += len(set(doc["attack_types"]) ^ set(predicted_labels(record)))
    if "spans" in doc:
        errors += len(_span_tuples(doc["spans"]) ^ _span_tuples(record.get("spans")))
    return errors


def _highlight(text: str, spans: Sequence[Mapping[str, Any]], colours: Mapping[str, str],
               wrong: set[tuple[int, int, str]] | None = None, kind: str = "") -> str:
    """``text`` with ``spans`` as coloured ``<mark>``; spans in ``wrong`` get class ``kind`` (missed or
    spurious) and a tooltip saying so."""
    n = len(text)
    clean = []
    for s in spans:
        start, end = max(0, min(n, int(s["start"]))), max(0, min(n, int(s["end"])))
        if end > start:
            clean.append((start, end, str(s["label"]), (int(s["start"]), int(s["end"]), str(s["label"]))))
    bounds = sorted({0, n, *(c[0] for c in clean), *(c[1] for c in clean)})
    out = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        piece = html.escape(text[a:b])
        covering = [(lab, key) for s, e, lab, key in clean if s <= a and b <= e]
        if covering:
            labs = list(dict.fromkeys(lab for lab, _ in covering))
            extra = " overlap" if len(labs) > 1 else ""
            is_wrong = bool(wrong) and any(key in wrong for _, key in covering)
            if is_wrong:
                extra += f" {kind}"
            title = html.escape(", ".join(labs) + (f" ({kind})" if is_wrong else ""), quote=True)
            out.append(
                f'<mark class="l{extra}" style="background:{colours[labs[0]]}" title="{title}">{piece}</mark>'
            )
        else:
            out.append(piece)
    return "".join(out)


def _casualty_text(value: Any) -> str:
    if isinstance(value, Mapping) and any(k in value for k in ("count", "min", "max")):
        est = casualty_point_estimate(value)
        lo, hi = ("?" if value.get(k) is None else value[k] for k in ("min", "max"))
        rng = f" [{lo}..{hi}]" if value.get("count") is None else ""
        phrase = f' "{value["text"]}"' if value.get("text") else ""
        return f"{est if est is not None else '-'}{rng}{phrase}"
    return "-" if value is None else str(value)


_CSS = """
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
.doc{border:1px solid #ccc;border-radius:6px;padding:.8em;margin:1em 0}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:1em}
.text{white-space:pre-wrap;font-family:Georgia,serif;line-height:1.5;background:#fafafa;padding:.5em}
mark.l{padding:0 1px;border-radius:3px} mark.overlap{outline:2px dashed #555}
mark.missed{box-shadow:inset 0 -3px 0 #1f4fd1;text-decoration:underline wavy #1f4fd1}
mark.spurious{box-shadow:inset 0 -3px 0 #b00020;text-decoration:line-through #b00020}
.missed-tag{color:#1f4fd1;font-weight:bold} .spurious-tag{color:#b00020;font-weight:bold}
ul.errs{margin:.3em 0;padding-left:1.2em;font-size:90%}
.legend span{display:inline-block;margin:2px 6px 2px 0;padding:1px 6px;border-radius:3px}
table{border-collapse:collapse} td,th{border:1px solid #ddd;padding:2px 8px;text-align:left}
.bad{color:#b00020;font-weight:bold} .ok{color:#1b7f3a}
"""


def errors_html(
    gold_docs: Sequence[Mapping[str, Any]], records: Sequence[Mapping[str, Any]], limit: int = MAX_ERROR_DOCS
) -> str:
    """Self-contained HTML page of documents, worst first, gold and predicted spans side by side."""
    order = sorted(range(len(gold_docs)), key=lambda i: (-document_errors(gold_docs[i], records[i]), i))[
        :limit
    ]
    labels = sorted(
        {
            str(s["label"])
            for i in order
            for s in (*(gold_docs[i].get("spans") or []), *(records[i].get("spans") or []))
        }
    )
    colours = label_colours(labels)
    e = html.escape
    legend = "".join(f'<span style="background:{colours[lab]}">{e(lab)}</span>' for lab in labels)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>incidex errors</title>',
        f"<style>{_CSS}</style></head><body>",
        "<h1>incidex: documents by error count</h1>",
        f"<p>Showing {len(order)} of {len(gold_docs)} documents, worst first (type mismatches + strict span "
        "errors). Dashed outline: overlapping spans.</p>",
        f'<div class="legend">Labels: {legend or "(none)"}</div>',
        '<p>Errors: <span class="missed-tag">missed</span> = in the gold, not predicted (wavy blue underline in '
        'the gold text); <span class="spurious-tag">spurious</span> = predicted, not in the gold (struck through '
        "in red in the predicted text). A span counts as right only with the same start, end and label.</p>",
        "<p>Casualties: gold is the answer key's number (- = unknown). Predicted reads "
        "<code>N [min..max] \"phrase\"</code>: N is the point estimate (the count, else min, else max); "
        "[min..max] appears when the model found a range rather than one count, ? marking an open side "
        '("at least 5" = [5..?]); the quoted phrase is the text the number came from; - = no number.</p>',
    ]
    for rank, i in enumerate(order, 1):
        doc, rec = gold_docs[i], records[i]
        text = str(doc.get("text", ""))
        gold_types = sorted(doc["attack_types"]) if "attack_types" in doc else None
        pred_types = sorted(predicted_labels(rec))
        if gold_types is None:
            type_cls, gold_type_text = "", "(not labelled)"
        else:
            type_cls = "ok" if set(gold_types) == set(pred_types) else "bad"
            gold_type_text = ", ".join(gold_types) or "none"
        g_cas, p_cas = doc.get("casualties") or {}, rec.get("casualties") or {}
        rows = [f'<tr><th>attack types</th><td>{e(gold_type_text)}</td><td class="{type_cls}">'
                f'{e(", ".join(pred_types) or "none")}</td></tr>']  # fmt: skip
        for kind in ("killed", "wounded"):
            truth = g_cas.get(kind)
            cas_cls = ""
            if isinstance(truth, int) and not isinstance(truth, bool):
                cas_cls = "ok" if (casualty_point_estimate(p_cas.get(kind)) or 0) == truth else "bad"
            rows.append(f"<tr><th>{kind}</th><td>{e(_casualty_text(truth))}</td>"
                        f'<td class="{cas_cls}">{e(_casualty_text(p_cas.get(kind)))}</td></tr>')  # fmt: skip
        gold_set, pred_set = _span_tuples(doc.get("spans")), _span_tuples(rec.get("spans"))
        missed = gold_set - pred_set if "spans" in doc else set()
        spurious = pred_set - gold_set if "spans" in doc else set()
        errs = []
        if gold_types is not None:
            errs += [f'<li><span class="missed-tag">missed</span> attack type {e(t)}</li>'
                     for t in sorted(set(gold_types) - set(pred_types))]
            errs += [f'<li><span class="spurious-tag">spurious</span> attack type {e(t)}</li>'
                     for t in sorted(set(pred_types) - set(gold_types))]
        for tag, group in (("missed", missed), ("spurious", spurious)):
            errs += [f'<li><span class="{tag}-tag">{tag}</span> {e(lab)} "{e(text[s:t])}" ({s}-{t})</li>'
                     for s, t, lab in sorted(group)]
        gold_html = _highlight(text, doc["spans"], colours, missed, "missed") if "spans" in doc else e(text)
        gold_note = "" if "spans" in doc else " (not labelled for spans)"
        parts += [
            f'<div class="doc"><h3>#{rank} {e(str(doc.get("id", i)))} - '
            f"{document_errors(doc, rec)} errors</h3>",
            f"<table><tr><th></th><th>gold</th><th>predicted</th></tr>{''.join(rows)}</table>",
            f'<ul class="errs">{"".join(errs)}</ul>' if errs else "",
            f'<div class="cols"><div><h4>gold{gold_note}</h4><div class="text">{gold_html}</div></div>',
            f'<div><h4>predicted</h4><div class="text">'
            f'{_highlight(text, rec.get("spans") or [], colours, spurious, "spurious")}'
            "</div></div></div></div>",
        ]
    parts.append("</body></html>")
    return "\n".join(parts)


# ------------------------------------------------------------------------------------------- write_report


def write_report(
    metrics: dict,
    gold_docs: Sequence[Mapping[str, Any]],
    records: Sequence[Mapping[str, Any]],
    out_dir: str | Path,
    *,
    model_info: dict | None = None,
    baselines: dict[str, dict] | None = None,
    data_summary: dict | None = None,
    seed_stats: dict | None = None,
) -> dict[str, Path]:
    """Write metrics.json, report.md, confusion.png, f1_by_label.png and errors.html into ``out_dir``.

    ``baselines`` maps a name to an ``attack_type_metrics`` dict (shown beside the model);
    ``seed_stats`` is a ``seed_summary`` result. A chart with nothing to show is not written. Returns
    {"metrics", "report", "confusion", "f1_by_label", "errors"} -> path for the files written.

    >>> import tempfile
    >>> sorted(write_report({"n_documents": 0}, [], [], tempfile.mkdtemp()))
    ['errors', 'metrics', 'report']
    """
    if len(gold_docs) != len(records):
        raise ValueError(f"write_report: {len(gold_docs)} gold documents but {len(records)} records")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}

    paths["metrics"] = out / "metrics.json"
    paths["metrics"].write_text(
        json.dumps(json_safe(metrics), indent=2, allow_nan=False) + "\n", encoding="utf-8"
    )
    if "attack_type" in metrics:
        paths["confusion"] = plot_confusion(metrics["attack_type"]["confusion"], out / "confusion.png")
    f1_path = plot_f1_by_label(metrics, out / "f1_by_label.png")
    if f1_path is not None:
        paths["f1_by_label"] = f1_path
    paths["errors"] = out / "errors.html"
    paths["errors"].write_text(errors_html(gold_docs, records), encoding="utf-8")
    paths["report"] = out / "report.md"
    charts = [paths[k].name for k in ("confusion", "f1_by_label") if k in paths]
    text = _report_markdown(json_safe(metrics), model_info, baselines, data_summary, seed_stats, charts)
    paths["report"].write_text(text, encoding="utf-8")
    return paths
