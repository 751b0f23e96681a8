"""eval.report: files written, PNG signatures, escaping, JSON round trip, seed summary numbers."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from incidex.eval.metrics import evaluate
from incidex.eval.report import (
    document_errors,
    errors_html,
    json_safe,
    label_colours,
    plot_f1_by_label,
    seed_summary,
    seed_summary_markdown,
    write_report,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
LABELS = ["arson", "bombing"]


def corpus() -> tuple[list[dict], list[dict]]:
    evil = "Rebels wrote <script>alert('x')</script> & bombed a bank."
    docs = [
        {
            "id": "good",
            "text": "A bomb hit the bank.",
            "attack_types": ["bombing"],
            "spans": [{"start": 2, "end": 6, "label": "WEAPON"}],
            "casualties": {"killed": 0, "wounded": None},
            "incidents": [{"type": "bombing", "Weapon": [["BOMB"]]}],
        },
        {
            "id": "evil<1>",
            "text": evil,
            "attack_types": ["bombing"],
            "spans": [{"start": 0, "end": 6, "label": "PERP_INDIVIDUAL"}],
            "casualties": {"killed": 2, "wounded": 1},
        },
        {"id": "quiet", "text": "Nothing happened.", "attack_types": []},
    ]
    records = [
        {
            "attack_types": [{"label": "bombing", "score": 0.95}],
            "spans": [{"label": "WEAPON", "text": "bomb", "start": 2, "end": 6, "score": 0.9}],
            "casualties": {"killed": None, "wounded": None},
        },
        {
            "attack_types": [{"label": "arson", "score": 0.7}],
            "spans": [
                {"label": "PERP_INDIVIDUAL", "start": 0, "end": 6, "score": 0.8},
                {"label": "WEAPON", "start": 12, "end": 20, "score": 0.4},  # covers "<script>"
                {
                    "label": "PHYSICAL_TARGET",
                    "start": 15,
                    "end": 30,
                    "score": 0.4,
                },  # overlaps the WEAPON span
            ],
            "casualties": {"killed": {"count": None, "min": 2, "max": None, "text": "at least two"}},
        },
        {"attack_types": [], "spans": []},
    ]
    return docs, records


def test_write_report_files(tmp_path: Path) -> None:
    docs, records = corpus()
    metrics = evaluate(docs, records, LABELS)
    baselines = {"majority": evaluate(docs, [{"attack_types": []}] * 3, LABELS)["attack_type"]}
    seeds = seed_summary([metrics, metrics])
    paths = write_report(
        metrics,
        docs,
        records,
        tmp_path / "out",
        model_info={"encoder": "bert-base-cased", "heads": {"types": 2, "spans": 7}},
        baselines=baselines,
        data_summary={"train": 120, "dev": 3, "labels": LABELS},
        seed_stats=seeds,
    )
    assert set(paths) == {"metrics", "report", "confusion", "f1_by_label", "errors"}
    for path in paths.values():
        assert path.exists() and path.stat().st_size > 0 and path.parent == tmp_path / "out"
    assert paths["confusion"].read_bytes().startswith(PNG_SIGNATURE)
    assert paths["f1_by_label"].read_bytes().startswith(PNG_SIGNATURE)

    assert json.loads(paths["metrics"].read_text(encoding="utf-8")) == metrics

    md = paths["report"].read_text(encoding="utf-8")
    for heading in ("## Model", "## Data", "## Attack types", "## Spans", "### Strict", "### Partial",
                    "## MUC-4 role fillers", "## Casualties", "## Across seeds"):  # fmt: skip
        assert heading in md
    assert "| metric | model | majority |" in md
    assert "bert-base-cased" in md and "heads.spans" in md
    assert "![confusion.png](confusion.png)" in md


def test_errors_html_is_escaped_and_ordered(tmp_path: Path) -> None:
    docs, records = corpus()
    page = write_report(evaluate(docs, records, LABELS), docs, records, tmp_path)["errors"].read_text("utf-8")
    assert "<script>" not in page and "</script>" not in page and "&lt;script&gt;" in page
    assert "evil&lt;1&gt;" in page and "&amp; bombed" in page
    assert "http" not in page and "<link" not in page  # self-contained
    # "evil<1>": 2 type errors + 2 false-positive spans = 4; "good": 0; "quiet": 0
    assert page.index("evil&lt;1&gt;") < page.index("#2 good") < page.index("#3 quiet")
    assert "4 errors" in page
    assert 'class="l overlap spurious"' in page  # WEAPON and PHYSICAL_TARGET overlap on "ipt>"
    assert "PHYSICAL_TARGET" in page and "legend" in page


def test_document_errors_counts() -> None:
    docs, records = corpus()
    assert [document_errors(d, r) for d, r in zip(docs, records, strict=True)] == [0, 4, 0]
    # unlabelled tasks add nothing
    assert document_errors({"text": "x"}, {"attack_types": ["arson"], "spans": []}) == 0


def test_errors_html_limit() -> None:
    docs = [{"id": f"d{i}", "text": "t", "attack_types": []} for i in range(205)]
    records = [{"attack_types": []} for _ in docs]
    page = errors_html(docs, records)
    assert page.count('<div class="doc">') == 200 and "Showing 200 of 205" in page


def test_write_report_without_types_or_spans(tmp_path: Path) -> None:
    docs = [{"text": "x", "casualties": {"killed": 1, "wounded": None}}]
    records = [{"casualties": {"killed": {"count": 1}}}]
    paths = write_report(evaluate(docs, records, LABELS), docs, records, tmp_path)
    assert set(paths) == {"metrics", "report", "errors"}
    assert "## Casualties" in paths["report"].read_text("utf-8")


def test_json_safe() -> None:
    out = json_safe(
        {"a": np.float32(0.5), "b": np.int64(3), "c": float("inf"), "d": [np.bool_(True)], "e": math.nan}
    )
    assert out == {"a": 0.5, "b": 3, "c": None, "d": [True], "e": None}
    assert json.loads(json.dumps(out, allow_nan=False)) == out


def test_seed_summary_numbers() -> None:
    runs = [
        {"attack_type": {"macro_f1": 1.0, "labels": ["a"]}, "casualties": {"killed_mae": None}, "n": 5},
        {"attack_type": {"macro_f1": 2.0, "labels": ["a"]}, "casualties": {"killed_mae": 0.5}, "n": 5},
        {"attack_type": {"macro_f1": 3.0, "labels": ["a"]}, "casualties": {"killed_mae": 1.5}, "n": 5},
    ]
    s = seed_summary(runs)
    # mean 2, sample std sqrt(((1-2)^2 + 0 + (3-2)^2) / 2) = 1
    assert s["attack_type"]["macro_f1"] == {"mean": 2.0, "std": 1.0, "n": 3}
    assert "labels" not in s["attack_type"]
    # None skipped: mean of 0.5 and 1.5 = 1.0, std sqrt((0.25 + 0.25) / 1)
    assert s["casualties"]["killed_mae"]["mean"] == pytest.approx(1.0)
    assert s["casualties"]["killed_mae"]["std"] == pytest.approx(math.sqrt(0.5))
    assert s["casualties"]["killed_mae"]["n"] == 2
    assert s["n"] == {"mean": 5.0, "std": 0.0, "n": 3}
    assert seed_summary([{"x": 0.25}]) == {"x": {"mean": 0.25, "std": 0.0, "n": 1}}
    assert seed_summary([]) == {}


def test_seed_summary_markdown() -> None:
    s = seed_summary([{"a": {"f1": 0.5}, "confusion": {"x": 1}}, {"a": {"f1": 0.7}, "confusion": {"x": 2}}])
    table = seed_summary_markdown(s)
    assert "| a.f1 | 0.600 | 0.141 | 2 |" in table
    assert "confusion" not in table


def test_errors_html_marks_missed_and_spurious() -> None:
    text = "Gunmen killed two guards near the bank."
    docs = [{"id": "a", "text": text, "attack_types": ["armed attack"],
             "spans": [{"start": 0, "end": 6, "label": "PERP_INDIVIDUAL"}, {"start": 14, "end": 24, "label": "KILLED"}],
             "casualties": {"killed": 2, "wounded": 0}}]
    records = [{"attack_types": [{"label": "bombing", "score": 0.8}],
                "spans": [{"start": 0, "end": 6, "label": "PERP_INDIVIDUAL", "score": 0.9},
                          {"start": 34, "end": 38, "label": "PHYSICAL_TARGET", "score": 0.6}],
                "casualties": {"killed": {"count": 2, "min": 2, "max": 2, "text": "two guards"},
                               "wounded": {"count": 3, "min": 3, "max": 3, "text": "three"}}}]
    page = errors_html(docs, records)
    assert '<mark class="l missed"' in page and 'title="KILLED (missed)">two guards</mark>' in page
    assert '<mark class="l spurious"' in page and 'title="PHYSICAL_TARGET (spurious)">bank</mark>' in page
    assert 'title="PERP_INDIVIDUAL">Gunmen</mark>' in page  # right span: no error class
    assert '<span class="missed-tag">missed</span> KILLED "two guards" (14-24)' in page
    assert '<span class="spurious-tag">spurious</span> PHYSICAL_TARGET "bank" (34-38)' in page
    assert '<span class="missed-tag">missed</span> attack type armed attack' in page
    assert '<span class="spurious-tag">spurious</span> attack type bombing' in page
    # casualty cells: killed right, wounded a false alarm; the notation is explained on the page
    assert '<td class="ok">2 &quot;two guards&quot;</td>' in page and '<td class="bad">3 &quot;three&quot;</td>' in page
    assert "[min..max]" in page and "point estimate" in page


def test_labels_get_distinct_colours() -> None:
    labels = ["KILLED", "PERP_INDIVIDUAL", "PERP_ORGANIZATION", "PHYSICAL_TARGET", "VICTIM", "WEAPON", "WOUNDED"]
    colours = label_colours(labels)
    assert len(set(colours.values())) == len(labels)
    many = label_colours([f"L{i}" for i in range(30)])
    assert len(set(many.values())) == 30
    docs = [{"text": "a b c", "spans": [{"start": 0, "end": 1, "label": "WOUNDED"},
                                        {"start": 2, "end": 3, "label": "VICTIM"}]}]
    page = errors_html(docs, [{"spans": [{"start": 4, "end": 5, "label": "PERP_INDIVIDUAL"}]}])
    legend = page[page.index('class="legend"'):page.index("</div>", page.index('class="legend"'))]
    shown = {lab: legend.split(f">{lab}<")[0].rsplit("background:", 1)[1].split('"')[0]
             for lab in ("PERP_INDIVIDUAL", "VICTIM", "WOUNDED")}
    assert len(set(shown.values())) == 3


def test_f1_chart_shows_the_values(tmp_path: Path, monkeypatch) -> None:
    import incidex.eval.report as report

    figures = []
    new_figure = report._new_figure
    monkeypatch.setattr(report, "_new_figure", lambda *a: figures.append(new_figure(*a)) or figures[-1])
    metrics = {"attack_type": {"per_label": {"arson": {"f1": 0.25}, "bombing": {"f1": 1.0}}}}
    assert plot_f1_by_label(metrics, tmp_path / "f1.png").read_bytes().startswith(PNG_SIGNATURE)
    texts = [t.get_text() for ax in figures[0].axes for t in ax.texts]
    assert texts == ["0.25", "1.00"]


def test_casualty_section_reports_documents_with_casualties(tmp_path: Path) -> None:
    docs = [{"text": "x", "casualties": {"killed": 2, "wounded": 0}}, {"text": "y", "casualties": {"killed": 0}}]
    records = [{"casualties": {"killed": {"count": 2}}}, {"casualties": {"killed": {"count": 1}}}]
    md = write_report(evaluate(docs, records, LABELS), docs, records, tmp_path)["report"].read_text("utf-8")
    assert "| kind | docs gold > 0 | exact | in range | MAE | answered | docs gold = 0 | false alarm |" in md
    assert "| killed | 1 | 1.000 | 1.000 | 0.000 | 1.000 | 1 | 1.000 |" in md
    assert "Pooled over gold 0 and > 0" in md and "killed exact 0.500" in md
