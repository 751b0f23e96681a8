#!/usr/bin/env python3
"""Build the bundled sample corpus from its markup source.

    python data/sample/build.py            # write train.jsonl, dev.jsonl, examples.jsonl
    python data/sample/build.py --check    # write nothing; fail if the written files are stale

Reads ``data/sample/source.txt`` (format described at the top of that file), turns the inline span markup
``[three soldiers|KILLED]`` into exact character offsets, checks every document against the annotation
conventions of ``data/sample/README.md`` and writes corpus format v1 (``docs/FORMAT.md``). The output is
then validated with ``training.corpus.validate_files``; the script exits non-zero on any problem.

Standard library only (plus ``training/corpus.py``, which is standard library only too).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SOURCE = HERE / "source.txt"
TRAIN = HERE / "train.jsonl"
DEV = HERE / "dev.jsonl"
EXAMPLES = ROOT / "examples"
ARTICLES = HERE / "examples.jsonl"  # not in examples/: a directory input reads every file in it
EXAMPLE_FILES = ("01_bombing", "02_kidnapping", "03_long_feature")
LONG_EXAMPLE_MIN_CHARS = 4500

# the news taxonomy (docs/TAXONOMY.md, configs/news.yaml); robbery is outside it
ATTACK_TYPES = ("armed_assault", "bombing", "shelling", "air_strike", "kidnapping", "arson")
SPAN_LABELS = (
    "PERP_INDIVIDUAL",
    "PERP_ORGANIZATION",
    "PHYSICAL_TARGET",
    "WEAPON",
    "KILLED",
    "WOUNDED",
    "VICTIM",
)
SPLITS = ("train", "dev")
MIN_WORDS, MAX_WORDS = 60, 600  # most reports are 60-230 words; the long features up to 600
MIN_DOCS_PER_TYPE = 10
MIN_NO_ATTACK_DOCS = 12
MIN_DEV_PER_TYPE = 2
DEV_FRACTION = (0.15, 0.25)

HEADER = re.compile(r"^@@\s+(.*)$")
SPAN = re.compile(r"\[([^\[\]|]+)\|([A-Z_]+)\]")
# A casualty span carries the count; a later reference to people already counted is not tagged
# ("the dead", "the wounded", "Two of the dead", "most of the victims"): README.md, "Casualties".
CASUALTY_LABELS = ("KILLED", "WOUNDED")
LATER_REFERENCE = re.compile(
    r"^(?:(?:the|The)\s+|.*\bof\s+(?:the|those|them)\s+)(?:dead|wounded|injured|victims|casualties)$"
)


class SourceError(Exception):
    pass


def parse_count(value: str, where: str) -> int | None:
    value = value.strip()
    if value == "?":
        return None
    if not value.isdigit():
        raise SourceError(f"{where}: casualty count must be a number or '?', got {value!r}")
    return int(value)


def parse_header(line: str, where: str) -> dict:
    """``@@ sample-001 | train | bombing + armed_assault | killed=12 | wounded=?``"""
    fields = [f.strip() for f in line.split("|")]
    if len(fields) != 5:
        raise SourceError(f"{where}: a header has 5 fields separated by '|', got {len(fields)}")
    doc_id, split, types, killed, wounded = fields
    if not re.fullmatch(r"[a-z0-9-]+", doc_id):
        raise SourceError(f"{where}: bad id {doc_id!r}")
    if split not in SPLITS:
        raise SourceError(f"{where}: split must be one of {SPLITS}, got {split!r}")
    attack_types = [] if types == "none" else [t.strip() for t in types.split("+")]
    for t in attack_types:
        if t not in ATTACK_TYPES:
            raise SourceError(f"{where}: unknown attack type {t!r}")
    if len(set(attack_types)) != len(attack_types):
        raise SourceError(f"{where}: attack type repeated")
    counts = {}
    for kind, field in (("killed", killed), ("wounded", wounded)):
        key, _, value = field.partition("=")
        if key.strip() != kind:
            raise SourceError(f"{where}: expected '{kind}=N' or '{kind}=?', got {field!r}")
        counts[kind] = parse_count(value, where)
    return {"id": doc_id, "split": split, "attack_types": attack_types, "casualties": counts}


def parse_source(path: Path) -> list[dict]:
    """Split the source into documents: a header line, then the text (blank line = paragraph break)."""
    docs: list[dict] = []
    current: dict | None = None
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.rstrip()
        where = f"{path.name}:{lineno}"
        if line.startswith("#"):
            continue
        m = HEADER.match(line)
        if m:
            current = parse_header(m.group(1), where)
            current["line"] = lineno
            current["lines"] = []
            docs.append(current)
            continue
        if current is None:
            if line.strip():
                raise SourceError(f"{where}: text before the first '@@' header")
            continue
        current["lines"].append(line.strip())
    return docs


def join_paragraphs(lines: list[str]) -> str:
    paragraphs, current = [], []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


def render(markup: str, where: str) -> tuple[str, list[dict]]:
    """Strip ``[text|LABEL]`` markup; return the plain text and spans with exact offsets."""
    out: list[str] = []
    spans: list[dict] = []
    pos = 0
    length = 0
    for m in SPAN.finditer(markup):
        before = markup[pos : m.start()]
        out.append(before)
        length += len(before)
        piece, label = m.group(1), m.group(2)
        if label not in SPAN_LABELS:
            raise SourceError(f"{where}: unknown span label {label!r} in {m.group(0)!r}")
        if piece != piece.strip() or not piece:
            raise SourceError(f"{where}: span {m.group(0)!r} has leading or trailing whitespace")
        spans.append({"start": length, "end": length + len(piece), "label": label})
        out.append(piece)
        length += len(piece)
        pos = m.end()
    out.append(markup[pos:])
    text = "".join(out)
    for ch in "[]|":
        if ch in text:
            i = text.index(ch)
            raise SourceError(
                f"{where}: stray {ch!r} left in the text near {text[max(0, i - 30) : i + 30]!r}"
            )
    return text, spans


def check_conventions(doc: dict, where: str) -> list[str]:
    """The annotation conventions of README.md that a machine can check."""
    problems = []
    text, spans, types, cas = doc["text"], doc["spans"], doc["attack_types"], doc["casualties"]
    words = len(text.split())
    if not MIN_WORDS <= words <= MAX_WORDS:
        problems.append(f"{where}: {words} words, expected {MIN_WORDS}-{MAX_WORDS}")
    labels = Counter(s["label"] for s in spans)
    if not types:
        if spans:
            problems.append(f"{where}: a document with no attack must have no spans")
        if cas != {"killed": 0, "wounded": 0}:
            problems.append(f"{where}: a document with no attack has casualties 0 and 0, got {cas}")
    else:
        if not spans:
            problems.append(f"{where}: an attack document with no spans")
        for kind, label in (("killed", "KILLED"), ("wounded", "WOUNDED")):
            if cas[kind] == 0 and labels[label]:
                problems.append(f"{where}: {kind}=0 but {labels[label]} {label} span(s)")
            if cas[kind] and not labels[label]:
                problems.append(f"{where}: {kind}={cas[kind]} but no {label} span")
    for s in spans:
        piece = text[s["start"] : s["end"]]
        if s["label"] in CASUALTY_LABELS and LATER_REFERENCE.match(piece):
            problems.append(f"{where}: {s['label']} span {piece!r} refers back to people already counted")
        if re.search(r"\s{2,}|\n", piece):
            problems.append(f"{where}: span {piece!r} runs over a line break or double space")
    return problems


def build_docs(source: Path) -> tuple[list[dict], list[str]]:
    docs, problems = [], []
    seen: dict[str, int] = {}
    for raw in parse_source(source):
        where = f"{source.name}:{raw['line']} [{raw['id']}]"
        if raw["id"] in seen:
            problems.append(f"{where}: duplicate id (first at line {seen[raw['id']]})")
        seen[raw["id"]] = raw["line"]
        try:
            text, spans = render(join_paragraphs(raw["lines"]), where)
        except SourceError as e:
            problems.append(str(e))
            continue
        doc = {
            "id": raw["id"],
            "text": text,
            "attack_types": raw["attack_types"],
            "spans": spans,
            "casualties": raw["casualties"],
        }
        problems += check_conventions(doc, where)
        doc["split"] = raw["split"]
        docs.append(doc)
    return docs, problems


def type_key(doc: dict) -> list[str]:
    return doc["attack_types"] or ["(no attack)"]


def check_split(docs: list[dict]) -> list[str]:
    problems = []
    per_type = Counter(t for d in docs for t in type_key(d))
    dev = [d for d in docs if d["split"] == "dev"]
    dev_per_type = Counter(t for d in dev for t in type_key(d))
    for t in ATTACK_TYPES:
        if per_type[t] < MIN_DOCS_PER_TYPE:
            problems.append(f"only {per_type[t]} '{t}' documents, want at least {MIN_DOCS_PER_TYPE}")
    if per_type["(no attack)"] < MIN_NO_ATTACK_DOCS:
        problems.append(f"only {per_type['(no attack)']} no-attack documents, want {MIN_NO_ATTACK_DOCS}")
    for t in (*ATTACK_TYPES, "(no attack)"):
        if dev_per_type[t] < MIN_DEV_PER_TYPE:
            problems.append(f"dev has {dev_per_type[t]} '{t}' documents, want at least {MIN_DEV_PER_TYPE}")
    lo, hi = DEV_FRACTION
    if not lo <= len(dev) / len(docs) <= hi:
        problems.append(f"dev holds {len(dev)}/{len(docs)} documents, want {lo:.0%}-{hi:.0%}")
    return problems


def build_examples() -> tuple[list[dict], list[str]]:
    articles, problems = [], []
    for name in EXAMPLE_FILES:
        path = EXAMPLES / f"{name}.txt"
        if not path.is_file():
            problems.append(f"{path}: missing")
            continue
        text = path.read_text(encoding="utf-8").strip()
        if not text:
            problems.append(f"{path}: empty")
        articles.append({"id": name, "text": text})
    long = next((a for a in articles if a["id"] == "03_long_feature"), None)
    if long is not None and len(long["text"]) < LONG_EXAMPLE_MIN_CHARS:
        problems.append(
            f"03_long_feature.txt: {len(long['text'])} characters, want {LONG_EXAMPLE_MIN_CHARS}+"
        )
    return articles, problems


def dumps(records: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def report(docs: list[dict]) -> str:
    lines = []
    for split in (*SPLITS, "all"):
        part = [d for d in docs if split == "all" or d["split"] == split]
        types = Counter(t for d in part for t in type_key(d))
        labels = Counter(s["label"] for d in part for s in d["spans"])
        multi = sum(len(d["attack_types"]) > 1 for d in part)
        words = [len(d["text"].split()) for d in part]
        lines.append(
            f"{split}: {len(part)} documents ({multi} multi-label), {sum(words)} words "
            f"({min(words)}-{max(words)} per document), {sum(labels.values())} spans"
        )
        lines.append("  types:  " + ", ".join(f"{t} {types[t]}" for t in (*ATTACK_TYPES, "(no attack)")))
        lines.append("  labels: " + ", ".join(f"{label} {labels[label]}" for label in SPAN_LABELS))
    cas = Counter()
    for d in docs:
        for kind, value in d["casualties"].items():
            cas[kind, "null" if value is None else "0" if value == 0 else "N"] += 1
    lines.append(
        "casualties: "
        + "; ".join(
            f"{kind}: {cas[kind, 'N']} > 0, {cas[kind, '0']} zero, {cas[kind, 'null']} null"
            for kind in ("killed", "wounded")
        )
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; fail if the files are stale")
    args = parser.parse_args(argv)

    from incidex.training.corpus import validate_files

    try:
        docs, problems = build_docs(SOURCE)
    except SourceError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    problems += check_split(docs)
    articles, example_problems = build_examples()
    problems += example_problems
    if problems:
        for p in problems:
            print(f"error: {p}", file=sys.stderr)
        print(f"{len(problems)} problem(s); nothing written", file=sys.stderr)
        return 1

    outputs = {
        path: dumps([{k: v for k, v in d.items() if k != "split"} for d in docs if d["split"] == split])
        for path, split in ((TRAIN, "train"), (DEV, "dev"))
    }
    outputs[ARTICLES] = dumps(articles)
    stale = [
        p for p, content in outputs.items() if not p.is_file() or p.read_text(encoding="utf-8") != content
    ]
    if args.check:
        for p in stale:
            print(f"error: {p.relative_to(ROOT)} is stale: run python data/sample/build.py", file=sys.stderr)
    else:
        for p in stale:
            p.write_text(outputs[p], encoding="utf-8")
            print(f"wrote {p.relative_to(ROOT)}")

    written = [TRAIN, DEV] if not args.check or not stale else []
    corpus_problems = validate_files(written, span_labels=SPAN_LABELS, attack_types=ATTACK_TYPES)
    for p in corpus_problems:
        print(f"error: {p}", file=sys.stderr)
    print(report(docs))
    return 1 if stale and args.check or corpus_problems else 0


if __name__ == "__main__":
    sys.exit(main())
