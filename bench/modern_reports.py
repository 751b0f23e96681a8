"""Facts right on a handful of invented modern news reports (a smoke check of a model, not a benchmark).

    python bench/modern_reports.py --model runs/news [--model runs/muc4 ...]

Each report below is invented for this check (no real article is copied), in the styles the users read:
a wire report of a rocket attack on a base, a drone strike, a suicide bombing, a kidnapping, US local shooting
news, a South Asian incident digest, a one-sentence event snippet, and a non-violent negative. For each report
the expected facts are written down: attack types, killed and wounded counts (None = the report gives none),
and strings that must appear among the predicted perpetrators / targets / weapons (case-insensitive, a
substring of some predicted entity or span). The script prints, per model, which facts are right.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

REPORTS: list[dict[str, Any]] = [
    {"id": "rocket-base",
     "text": "KIRKUK, Iraq (Wire) - A barrage of rockets struck an Iraqi military base near the northern city of "
             "Kirkuk on Friday, killing a civilian contractor and wounding several service members, officials said. "
             "More than 30 rockets hit the base, where foreign troops are stationed. No group immediately claimed "
             "responsibility for the attack.",
     "types": ["shelling"], "killed": 1, "wounded": None,
     "targets": ["base"], "weapons": ["rockets"], "perpetrators": []},
    {"id": "drone-strike",
     "text": "A drone strike on a vehicle in the eastern province killed four suspected militants on Tuesday, a "
             "local official said. The aircraft fired two missiles at the car as it left a village market.",
     "types": ["air_strike"], "killed": 4, "wounded": None,
     "targets": ["vehicle"], "weapons": ["missiles"], "perpetrators": []},
    {"id": "suicide-bombing",
     "text": "A suicide bomber blew himself up at a crowded checkpoint outside the provincial governor's office on "
             "Sunday, killing 12 people and wounding 31 others, police said. The Islamic State group claimed the "
             "attack in a statement on its news agency.",
     "types": ["bombing"], "killed": 12, "wounded": 31,
     "targets": ["checkpoint"], "weapons": [], "perpetrators": ["islamic state"]},
    {"id": "kidnapping",
     "text": "Gunmen abducted three aid workers from their compound in the north of the country late on Wednesday, "
             "the charity said on Thursday. The kidnappers have not made contact and no ransom has been demanded.",
     "types": ["kidnapping"], "killed": None, "wounded": None,
     "targets": [], "weapons": [], "perpetrators": ["gunmen"]},
    {"id": "us-shooting",
     "text": "A 24-year-old man was shot and killed and a woman was wounded outside a convenience store on Elm Street "
             "early Saturday, police said. Officers arrested Marcus Webb, 31, and charged him with murder. Police "
             "recovered a handgun at the scene. The woman was taken to a hospital in stable condition.",
     "types": ["armed_assault"], "killed": 1, "wounded": 1,
     "targets": [], "weapons": ["handgun"], "perpetrators": ["marcus webb"]},
    {"id": "digest",
     "text": "Suspected Maoist insurgents shot dead two police constables at a market in the district on Monday "
             "evening. The militants fled into the forest after the attack, and a search operation has been launched.",
     "types": ["armed_assault"], "killed": 2, "wounded": None,
     "targets": [], "weapons": [], "perpetrators": ["maoist"]},
    {"id": "snippet-shelling",
     "text": "Military forces shelled residential areas of the town, killing five civilians and injuring eleven.",
     "types": ["shelling"], "killed": 5, "wounded": 11,
     "targets": ["residential areas"], "weapons": [], "perpetrators": ["military forces"]},
    {"id": "snippet-arson",
     "text": "Unidentified attackers set fire to a school building overnight; no casualties were reported.",
     "types": ["arson"], "killed": None, "wounded": None,
     "targets": ["school"], "weapons": [], "perpetrators": ["attackers"]},
    {"id": "negative-protest",
     "text": "Thousands of teachers marched peacefully through the capital on Monday to demand higher wages, and "
             "the education minister agreed to meet union leaders next week.",
     "types": [], "killed": None, "wounded": None, "targets": [], "weapons": [], "perpetrators": []},
]


def _texts(record: dict[str, Any], roles: tuple[str, ...]) -> list[str]:
    out = []
    for role, entities in (record.get("entities") or {}).items():
        if role in roles:
            out += [m.get("text", "") for e in entities for m in (e.get("mentions") or [e])] + [e.get("text", "")
                                                                                              for e in entities]
    return [t.lower() for t in out if t]


def check(record: dict[str, Any], report: dict[str, Any]) -> dict[str, bool]:
    """Which facts of one report the record gets right (types in ``report["optional"]`` may be predicted or not)."""
    optional = set(report.get("optional") or [])
    types = sorted(t["label"] for t in record.get("attack_types") or [] if t["label"] not in optional)
    cas = record.get("casualties") or {}
    facts = {"types": types == sorted(report["types"])}
    for kind in ("killed", "wounded"):
        got = (cas.get(kind) or {}).get("count")
        want = report[kind]
        if want is None:
            facts[kind] = got is None or got == 0
        else:
            lo, hi = (cas.get(kind) or {}).get("min"), (cas.get(kind) or {}).get("max")
            facts[kind] = got == want or (got is None and lo is not None and lo <= want and (hi is None or want <= hi))
    groups = {"perpetrators": ("perpetrator_individual", "perpetrator_organization"), "targets": ("target",),
              "weapons": ("weapon",)}
    for key, roles in groups.items():
        found = _texts(record, roles)
        for want in report[key]:
            facts[f"{key}:{want}"] = any(want in t for t in found)
    return facts


def print_facts(records: list[dict[str, Any]], reports: list[dict[str, Any]]) -> tuple[int, int]:
    """Print one line per report (facts right, types, casualties, what is wrong) and the total; returns
    (right, total)."""
    right = total = 0
    for report, rec in zip(reports, records, strict=True):
        facts = check(rec, report)
        right += sum(facts.values())
        total += len(facts)
        wrong = [k for k, v in facts.items() if not v]
        types = ", ".join(f"{t['label']} {t['score']:.2f}" for t in rec["attack_types"]) or "-"
        cas = {k: (v or {}).get("count", (v or {}).get("min")) for k, v in (rec.get("casualties") or {}).items()}
        print(f"{report['id']:<18} {sum(facts.values())}/{len(facts)}  types [{types}]  casualties {cas}"
              + (f"  wrong: {', '.join(wrong)}" if wrong else ""))
    print(f"facts right: {right}/{total}")
    return right, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append", required=True)
    parser.add_argument("--json", help="write every record and fact here")
    args = parser.parse_args()
    from incidex import Predictor

    dump = {}
    for model in args.model:
        records = Predictor(model).predict([r["text"] for r in REPORTS])
        print(f"== {model}")
        print_facts(records, REPORTS)
        dump[model] = records
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(dump, f, indent=1)


if __name__ == "__main__":
    main()
