"""Facts right on the three bundled example articles (``examples/``): what the README's main job shows a new user.

    incidex train --config configs/quickstart.yaml --output-dir runs/quickstart
    python bench/examples_check.py --model runs/quickstart [--model runs/news]

The expected facts are read off the articles by hand and written down here, not anywhere in the model: attack
types (``optional`` types may be predicted or not: the kidnappers of 02 also fired on the bus), killed and
wounded counts (None = the article gives none), and strings that must appear among the predicted
perpetrators / targets / weapons. Checked and printed by ``bench/modern_reports.py``'s ``print_facts``.
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
    from modern_reports import print_facts

    from incidex import Predictor

    texts = [(EXAMPLES / f"{e['id']}.txt").read_text(encoding="utf-8") for e in EXPECTED]
    for model in args.model:
        print(f"== {model}")
        print_facts(Predictor(model).predict(texts), EXPECTED)
    return 0


if __name__ == "__main__":
    sys.exit(main())
