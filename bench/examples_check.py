"""Facts right on the three bundled example articles (``examples/``): what the README's main job shows a new user.

    incidex train --config configs/quickstart.yaml --output-dir runs/quickstart
    python bench/examples_check.py --model runs/quickstart [--model runs/news]

The expected facts are read off the articles by hand and written down here, not anywhere in the model: attack
types (``optional`` types may be predicted or not: the kidnappers of 02 also fired on the bus), killed and
wounded counts (None = the article gives none), and strings that must appear among the predicted
perpetrators / targets / weapons. Checked with ``bench/modern_reports.py``'s ``check``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

EXPECTED: list[dict[str, Any]] = [
    {"id": "01_bombing", "types": ["bombing"], "killed": 4, "wounded": 23,
     "targets": ["bus terminal"], "weapons": ["bomb"], "perpetrators": []},
    {"id": "02_kidnapping", "types": ["kidnapping"], "optional": ["armed_assault"], "killed": None, "wounded": 1,
     "targets": [], "weapons": ["automatic rifles"], "perpetrators": ["gunmen"]},
    # 17 killed and 64 wounded in all, as the regional governor's office totals them at the end
    {"id": "03_long_feature", "types": ["armed_assault", "shelling"], "killed": 17, "wounded": 64,
     "targets": [], "weapons": ["automatic rifles"], "perpetrators": ["gunmen"]},
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append", required=True)
    args = parser.parse_args(argv)
    from modern_reports import check

    from incidex import Predictor

    texts = [(EXAMPLES / f"{e['id']}.txt").read_text(encoding="utf-8") for e in EXPECTED]
    for model in args.model:
        records = Predictor(model).predict(texts)
        right = total = 0
        print(f"== {model}")
        for expected, rec in zip(EXPECTED, records):
            optional = set(expected.get("optional", []))
            rec = {**rec, "attack_types": [t for t in rec.get("attack_types") or [] if t["label"] not in optional]}
            facts = check(rec, expected)
            right += sum(facts.values())
            total += len(facts)
            wrong = [k for k, v in facts.items() if not v]
            types = ", ".join(f"{t['label']} {t['score']:.2f}" for t in rec["attack_types"]) or "-"
            cas = {k: (v or {}).get("count", (v or {}).get("min")) for k, v in (rec.get("casualties") or {}).items()}
            print(f"{expected['id']:<16} {sum(facts.values())}/{len(facts)}  types [{types}]  casualties {cas}"
                  + (f"  wrong: {', '.join(wrong)}" if wrong else ""))
        print(f"facts right: {right}/{total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
