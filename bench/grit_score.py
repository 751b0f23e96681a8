"""GRIT-scored MUC-4 role fillers (``incidex.eval.grit``, the literature's score) of a model or of predictions.

    python bench/grit_score.py --model runs/muc4                       # predicts TST1+TST2, prints scores
    python bench/grit_score.py --predictions preds.jsonl --output grit.json
    python bench/grit_score.py --model runs/muc4 --mean-with runs/news   # two models' mean tag probabilities

``--model``: a saved model directory (or ONNX export); the MUC-4 TST1 and TST2 documents are read with
``read_muc4`` from ``--corpora`` and predicted; ``--mean-with DIR`` (repeatable) averages the tag probabilities
of more models with its own (``training.distill.TeacherEnsemble``): the teachers of a distilled student, scored. ``--predictions``: JSON lines of prediction records that
carry the MUC-4 ``id`` (as ``incidex predict`` writes them). Gold: GRIT's ``processed_grit/dev.json``
(TST1+TST2, the split every figure printed here is on). Span labels map to GRIT roles through the
model's span roles (``incidex.model.roles``), or the default label names with ``--predictions`` alone.

Each predicted entity is scored as its canonical text (``--mentions all``: every mention), the form of
GRIT's and GTT's own predictions, and only victim entities with a name count as GRIT Victims
(``--no-name-filter``: all of them; ``incidex.eval.grit_names``, fitted on the DEV keys). The script
first prints micro P / R / F1 with each of these parts added in turn. ``--errors``: also sorts the false
positives and misses into kinds (``error_breakdown``), to say whether the tagger or the entity step loses them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from incidex.eval.grit import (
    GRIT_ROLE_OF_SPAN_ROLE,
    GRIT_ROLES,
    load_grit_gold,
    normalize_string,
    records_to_grit,
    score_grit,
)
from incidex.eval.grit_names import muc4_name_filter
from incidex.model.roles import DEFAULT_SPAN_ROLES

REPO = Path(__file__).resolve().parents[1]
MUC4 = REPO.parent / "shared" / "data" / "muc4"


def span_roles(model: str | None) -> dict[str, str]:
    """Span label -> span role: the model config's ``role_of_label``, or the default label names."""
    if model is None:
        return dict(DEFAULT_SPAN_ROLES)
    from incidex.model.configuration import EventExtractorConfig

    return EventExtractorConfig.from_pretrained(model).role_of_label


def role_of_label(model: str | None) -> dict[str, str]:
    """Span label -> GRIT role (labels whose role GRIT does not score left out)."""
    return {label: GRIT_ROLE_OF_SPAN_ROLE[r] for label, r in span_roles(model).items() if r in GRIT_ROLE_OF_SPAN_ROLE}


class MeanTagBackend:
    """A predictor's backend whose tag log-probabilities are the mean of its own model's probabilities and those of
    ``others`` (the first model's attack-type scores kept): the ensemble a student of ``training.teachers`` learns
    from. Each model runs once per batch."""

    def __init__(self, backend: Any, others: list[str], tokenizer: Any):
        from incidex.training.distill import TeacherEnsemble

        self.first, self.config = backend, backend.config
        self.others = TeacherEnsemble(others, backend.config.tags, tokenizer)  # the first model's token ids
        self.n_others = len(others)

    def run(self, ids: Any, mask: Any) -> tuple[Any, Any, Any]:
        import numpy as np

        logp, scores, values = self.first.run(ids, mask)
        mean = (np.exp(logp) + self.n_others * self.others.probs(ids, mask)) / (1 + self.n_others)
        return np.log(np.maximum(mean, 1e-12)), scores, values


def predict_muc4(model: str, corpora: Path, sets: list[str], limit: int | None, batch_size: int,
                 mean_with: list[str] | None = None) -> dict[str, dict]:
    from incidex.model import Predictor
    from incidex.training.importers.muc4 import read_muc4

    docs = read_muc4(corpora, sets)[:limit]
    predictor = Predictor(model, batch_size=batch_size)
    if mean_with:
        predictor.backend = MeanTagBackend(predictor.backend, mean_with, predictor.tokenizer)
    records = predictor.predict_iter(d["text"] for d in docs)
    return {str(d["id"]): rec for d, rec in zip(docs, records, strict=True)}


def read_predictions(path: Path) -> dict[str, dict]:
    out = {}
    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if line.strip():
                rec = json.loads(line)
                if "id" not in rec:
                    raise ValueError(f"{path}:{lineno}: field 'id' is missing (the MUC-4 document id)")
                out[str(rec["id"])] = rec
    return out


def grit_report(records: dict[str, dict], gold_path: Path, labels: dict[str, str], mentions: str = "canonical",
                choose: Callable[[str, str, list[str]], str | None] | None = None) -> dict[str, Any]:
    """Score ``records`` (docid -> record) on the gold documents they cover (all of them normally)."""
    gold = load_grit_gold(gold_path)
    docids = [d for d in gold if d in records]
    if not docids:
        raise SystemExit(f"no predicted document is in {gold_path}")
    pred = records_to_grit([records[d] for d in docids], docids, labels, mentions=mentions, choose=choose)
    result = score_grit(pred, gold, docids)
    result["mentions"] = mentions
    result["victim_name_filter"] = choose is not None
    result["source"] = "entities" if any("entities" in records[d] for d in docids) else "distinct span texts"
    result["gold"] = str(gold_path)
    result["gold_documents"] = len(gold)
    return result


def error_breakdown(canonical: dict[str, dict], mentions: dict[str, dict], gold: dict[str, dict],
                    docids: list[str]) -> dict[str, dict[str, int]]:
    """Kinds of false positive and miss, per role and in all: ``{"false positive": {kind: n}, "miss": {kind: n}}``.

    ``canonical`` / ``mentions``: ``records_to_grit`` output in canonical and all-mentions form; an entity's
    mentions are those of the clusters that hold its canonical text (not found by position: the two forms drop
    repeated clusters by different keys). A predicted entity matches a gold entity of its role whose mentions hold its text (first come,
    first served: a diagnosis, not the score). False positives in a document without gold fillers are
    ``irrelevant document``; else ``second for a matched entity``, ``canonical not gold`` (another of its mentions
    is), ``gold in another role``, ``boundary`` (a substring or superstring of a gold mention) or ``not in gold``.
    Misses: ``canonical chose another`` (a mention was predicted), ``predicted in another role``, ``boundary`` or
    ``never predicted``.

    >>> gold = {"d": {"PerpOrg": [["fmln", "farabundo marti front"]], "Target": [["bus"]], "Weapon": []}}
    >>> pred = {"d": {"PerpOrg": [["FMLN"], ["the front"]], "Target": [["BUS"]], "Weapon": [["rifles"]]}}
    >>> out = error_breakdown(pred, pred, gold, ["d"])
    >>> out["false positive"], out["miss"]
    ({'boundary': 1, 'not in gold': 1}, {})
    """
    fp: dict[str, int] = {}
    miss: dict[str, int] = {}

    def add(table: dict[str, int], kind: str) -> None:
        table[kind] = table.get(kind, 0) + 1

    for d in docids:
        g_doc = {r: [{normalize_string(m) for m in e} for e in gold[d].get(r) or []] for r in GRIT_ROLES}
        relevant = any(g_doc.values())
        for role in GRIT_ROLES:
            preds = canonical[d].get(role) or []
            alls = [[normalize_string(m) for m in e] for e in mentions[d].get(role) or []]
            g = g_doc[role]
            others = [ms for r in GRIT_ROLES if r != role for ms in g_doc[r]]
            used: set[int] = set()
            for p in preds:
                text = normalize_string(p[0])
                hit = next((k for k, ms in enumerate(g) if text in ms and k not in used), None)
                if hit is not None:
                    used.add(hit)
                    continue
                if not relevant:
                    add(fp, "irrelevant document")
                elif any(text in ms for ms in g):
                    add(fp, "second for a matched entity")
                elif any(m in ms for e in alls if text in e for m in e for ms in g):
                    add(fp, "canonical not gold")
                elif any(text in ms for ms in others):
                    add(fp, "gold in another role")
                elif text and any(gm and (gm in text or text in gm) for ms in g for gm in ms):
                    add(fp, "boundary")
                else:
                    add(fp, "not in gold")
            predicted = {m for e in alls for m in e}
            elsewhere = {normalize_string(m) for r in GRIT_ROLES if r != role for e in mentions[d].get(r) or []
                         for m in e}
            for k, ms in enumerate(g):
                if k in used:
                    continue
                if ms & predicted:
                    add(miss, "canonical chose another")
                elif ms & elsewhere:
                    add(miss, "predicted in another role")
                elif any(gm and m and (gm in m or m in gm) for gm in ms for m in predicted):
                    add(miss, "boundary")
                else:
                    add(miss, "never predicted")
    return {"false positive": dict(sorted(fp.items())), "miss": dict(sorted(miss.items()))}


def print_report(result: dict[str, Any]) -> None:
    print(f"GRIT phi_strict on {result['n_documents']} of {result['gold_documents']} documents of "
          f"{result['gold']} (predicted entities: {result['source']}, scored as {result.get('mentions', 'canonical')} "
          f"text, victim name filter {'on' if result.get('victim_name_filter') else 'off'})")
    print(f"{'role':<10}{'P':>8}{'R':>8}{'F1':>8}{'pred':>7}{'gold':>7}")
    for role in (*GRIT_ROLES, "micro"):
        m = result["micro"] if role == "micro" else result["per_role"][role]
        print(f"{role:<10}{100 * m['p']:8.2f}{100 * m['r']:8.2f}{100 * m['f1']:8.2f}{m['p_den']:7d}{m['r_den']:7d}")


def ablate_rules(records: dict[str, dict], args: argparse.Namespace, labels: dict[str, str],
                 choose: Callable[[str, str, list[str]], str | None] | None) -> None:
    """Micro F1 with the entities rebuilt from each record's spans without one rule of ``RULES`` (and
    with ``exact`` alone): what each coreference rule buys under GRIT's scoring."""
    from incidex.model.entities import RULES, build_entities
    from incidex.training.importers.muc4 import read_muc4

    texts = {str(d["id"]): d["text"] for d in read_muc4(args.corpora, args.sets) if str(d["id"]) in records}
    roles = span_roles(args.model or args.labels_from)
    print("entity rules (micro P / R / F1, entities rebuilt from the predicted spans):")
    variants = [("all rules", list(RULES))] + [(f"without {r}", [x for x in RULES if x != r]) for r in RULES[1:]]
    for name, rules in variants + [("exact only", ["exact"])]:
        rebuilt = {i: {"entities": build_entities(texts[i], r.get("spans") or [], roles, rules)}
                   for i, r in records.items() if i in texts}
        m = grit_report(rebuilt, args.gold, labels, args.mentions, choose)["micro"]
        print(f"  {name:<38}{100 * m['p']:7.2f}{100 * m['r']:7.2f}{100 * m['f1']:7.2f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--model", help="saved model directory: predict the MUC-4 documents")
    src.add_argument("--predictions", type=Path, help="JSON lines of prediction records with MUC-4 ids")
    ap.add_argument("--mean-with", action="append", default=[], metavar="DIR",
                    help="with --model: tag probabilities averaged with this model's too (repeatable; the first "
                         "model's types, thresholds and rules): what a student of training.teachers learns from")
    ap.add_argument("--labels-from", help="model directory whose span roles map labels (with --predictions)")
    ap.add_argument("--gold", type=Path, default=MUC4 / "processed_grit" / "dev.json")
    ap.add_argument("--corpora", type=Path, default=MUC4 / "raw" / "TASK" / "CORPORA")
    ap.add_argument("--sets", nargs="+", default=["tst1", "tst2"])
    ap.add_argument("--limit", type=int, help="predict only the first N documents (a smoke test)")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--output", type=Path, help="also write the scores as JSON here")
    ap.add_argument("--mentions", choices=["canonical", "all"], default="canonical",
                    help="score each entity as its canonical text (GRIT's own output form) or all its mentions")
    ap.add_argument("--no-name-filter", action="store_true",
                    help="score every victim entity as a GRIT Victim (default: named ones, eval/grit_names.py)")
    ap.add_argument("--train-sets", nargs="+", default=["dev"], help="MUC-4 sets the name filter is fitted on")
    ap.add_argument("--errors", action="store_true", help="also count the kinds of false positive and miss")
    ap.add_argument("--ablate-rules", action="store_true",
                    help="also re-cluster the predicted spans without each entity rule, and with none")
    args = ap.parse_args(argv)
    if args.model:
        records = predict_muc4(args.model, args.corpora, args.sets, args.limit, args.batch_size, args.mean_with)
    else:
        records = read_predictions(args.predictions)
    labels = role_of_label(args.model or args.labels_from)
    names = None if args.no_name_filter else muc4_name_filter(args.corpora, args.train_sets)
    parts = [("every mention, every victim entity", "all", None), ("canonical text per entity", "canonical", None)]
    if names is not None:
        parts.append(("canonical + named victims only", "canonical", names.choose))
    print("each part (micro P / R / F1):")
    for name, mentions, choose in parts:
        m = grit_report(records, args.gold, labels, mentions, choose)["micro"]
        print(f"  {name:<38}{100 * m['p']:7.2f}{100 * m['r']:7.2f}{100 * m['f1']:7.2f}")
    result = grit_report(records, args.gold, labels, args.mentions, names.choose if names else None)
    if args.ablate_rules:
        ablate_rules(records, args, labels, names.choose if names else None)
    print_report(result)
    if args.errors:
        gold = load_grit_gold(args.gold)
        docids = [d for d in gold if d in records]
        choose = names.choose if names else None
        kinds = error_breakdown(
            records_to_grit([records[d] for d in docids], docids, labels, mentions="canonical", choose=choose),
            records_to_grit([records[d] for d in docids], docids, labels, mentions="all", choose=choose),
            gold, docids)
        result["errors"] = kinds
        for what, table in (("false positives", kinds["false positive"]), ("misses", kinds["miss"])):
            print(f"{what}: " + ", ".join(f"{k} {n}" for k, n in sorted(table.items(), key=lambda x: -x[1])))
    if args.output:
        args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
