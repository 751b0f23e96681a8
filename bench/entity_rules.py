"""What each entity rule buys, on gold clusters (no model): MUC-4 TST1+TST2 in processed_grit / processed_gtt.

Per document and role, every gold mention (``[text, offset]`` of every entity) is an input mention;
``incidex.model.entities.cluster_mentions`` clusters them with the first k rules of ``RULES`` and the
clustering is scored against the gold entities: pairwise links (precision = predicted coreferent pairs
that are gold pairs) and B-cubed, pooled over documents, per role and overall. GTT's templates are merged
per document (entities that share a mention are one). "none" = every mention its own entity, which is
how each distinct string counts under GRIT scoring.

    python bench/entity_rules.py                       # both gold sets, every rule prefix
    python bench/entity_rules.py --gold grit --by-role
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from incidex.model.entities import RULES, cluster_mentions

REPO = Path(__file__).resolve().parents[1]
MUC4 = REPO.parent / "shared" / "data" / "muc4"
ROLES = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")


def _merge(entities: list[list[tuple[int, int]]]) -> list[set[tuple[int, int]]]:
    """Union entities that share a mention (the same filler in two GTT templates)."""
    out: list[set[tuple[int, int]]] = []
    for ent in entities:
        ent_set = set(ent)
        overlapping = [o for o in out if o & ent_set]
        for o in overlapping:
            ent_set |= o
            out.remove(o)
        out.append(ent_set)
    return out


def read_gold(path: Path) -> list[tuple[str, dict[str, list[set[tuple[int, int]]]]]]:
    """(doctext, role -> gold entities as sets of (start, end)) per document; bad offsets raise."""
    docs = []
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, start=1):
            doc = json.loads(line)
            text = doc["doctext"]
            templates = [doc["extracts"]] if "extracts" in doc else doc["templates"]
            roles: dict[str, list[set[tuple[int, int]]]] = {}
            for role in ROLES:
                entities = []
                for tpl in templates:
                    for ent in tpl.get(role, []):
                        mentions = []
                        for mention, offset in ent:
                            if text[offset:offset + len(mention)] != mention:
                                raise ValueError(f"{path}:{line_no}: {role} mention {mention!r} not at {offset}")
                            mentions.append((offset, offset + len(mention)))
                        entities.append(mentions)
                merged = _merge(entities)
                seen: set[tuple[int, int]] = set()
                for ent in merged:  # a mention listed under two entities stays with the first
                    ent -= seen
                    seen |= ent
                roles[role] = [e for e in merged if e]
            docs.append((text, roles))
    return docs


def _pairs(clusters: list[set[tuple[int, int]]]) -> set[frozenset]:
    return {frozenset((a, b)) for c in clusters for a in c for b in c if a < b}


def score(docs: list, rules: tuple[str, ...], by_role: bool) -> dict[str, dict[str, float]]:
    acc: dict[str, defaultdict] = defaultdict(lambda: defaultdict(float))
    for text, roles in docs:
        for role, gold in roles.items():
            mentions = sorted(m for e in gold for m in e)
            if not mentions:
                continue
            pred = [{mentions[i] for i in c} for c in cluster_mentions(text, mentions, rules)] if rules else \
                [{m} for m in mentions]
            gp, pp = _pairs(gold), _pairs(pred)
            g_of = {m: e for e in gold for m in e}
            p_of = {m: c for c in pred for m in c}
            for key in ("all", role) if by_role else ("all",):
                a = acc[key]
                a["pair_correct"] += len(gp & pp)
                a["pair_pred"] += len(pp)
                a["pair_gold"] += len(gp)
                a["n"] += len(mentions)
                a["entities_gold"] += len(gold)
                a["entities_pred"] += len(pred)
                for m in mentions:
                    inter = len(g_of[m] & p_of[m])
                    a["b3_p"] += inter / len(p_of[m])
                    a["b3_r"] += inter / len(g_of[m])
    out = {}
    for key, a in acc.items():
        p = a["pair_correct"] / a["pair_pred"] if a["pair_pred"] else 1.0
        r = a["pair_correct"] / a["pair_gold"] if a["pair_gold"] else 1.0
        bp, br = a["b3_p"] / a["n"], a["b3_r"] / a["n"]
        out[key] = {"pair_p": p, "pair_r": r, "pair_f": 2 * p * r / (p + r) if p + r else 0.0,
                    "b3_p": bp, "b3_r": br, "b3_f": 2 * bp * br / (bp + br) if bp + br else 0.0,
                    "gold": int(a["entities_gold"]), "pred": int(a["entities_pred"])}
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", choices=["grit", "gtt", "both"], default="both")
    parser.add_argument("--split", default="dev", help="dev (TST1+TST2) or train")
    parser.add_argument("--by-role", action="store_true", help="also report each role")
    args = parser.parse_args(argv)
    for gold in ("grit", "gtt") if args.gold == "both" else (args.gold,):
        docs = read_gold(MUC4 / f"processed_{gold}" / f"{args.split}.json")
        print(f"\n{gold} {args.split}: {len(docs)} documents")
        print(f"{'rules':34} {'scope':8} {'pair P':>6} {'pair R':>6} {'pair F':>6} {'B3 P':>6} {'B3 R':>6} "
              f"{'B3 F':>6} {'ents':>5} (gold)")
        for k in range(len(RULES) + 1):
            name = "none" if k == 0 else "+".join(RULES[:k]) if k < 3 else "... +" + RULES[k - 1]
            for scope, s in sorted(score(docs, RULES[:k], args.by_role).items(), key=lambda kv: kv[0] != "all"):
                print(f"{name:34} {scope:8} {s['pair_p']:6.1%} {s['pair_r']:6.1%} {s['pair_f']:6.1%} "
                      f"{s['b3_p']:6.1%} {s['b3_r']:6.1%} {s['b3_f']:6.1%} {s['pred']:5d} ({s['gold']})")


if __name__ == "__main__":
    main()
