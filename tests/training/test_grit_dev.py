"""GRIT's role-filler score as a dev metric: which corpora have it, how it reaches the flat metrics, real data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from incidex.training.config import CorpusConfig
from incidex.training.grit_dev import grit_gold_for, grit_scorer
from incidex.training.labelmap import CorpusLabels
from incidex.training.trainer import DevCorpus, check_metric, score_corpora

from tests.conftest import run_doctests

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "muc4"
LABEL_OF_GRIT_ROLE = {"PerpInd": "PERP_INDIVIDUAL", "PerpOrg": "PERP_ORGANIZATION", "Target": "PHYSICAL_TARGET",
                      "Weapon": "WEAPON", "Victim": "VICTIM"}
ROLE_OF_LABEL = {"PERP_INDIVIDUAL": "perpetrator_individual", "PERP_ORGANIZATION": "perpetrator_organization",
                 "PHYSICAL_TARGET": "target", "WEAPON": "weapon", "VICTIM": "victim", "KILLED": "killed"}


def test_only_muc4_tst1_tst2_has_grit_gold(tmp_path):
    assert grit_scorer(CorpusConfig(name="sample", format="jsonl"), ROLE_OF_LABEL) is None
    corpora = tmp_path / "raw" / "TASK" / "CORPORA"
    corpora.mkdir(parents=True)
    (tmp_path / "processed_grit").mkdir()
    muc = CorpusConfig(name="muc4", format="muc4", path=str(corpora), train_sets=["dev"], dev_sets=["tst2", "tst1"])
    assert grit_gold_for(muc) is None  # no gold file beside the distribution
    (tmp_path / "processed_grit" / "dev.json").write_text("", encoding="utf-8")
    assert grit_gold_for(muc) == tmp_path / "processed_grit" / "dev.json"
    other = CorpusConfig(name="muc4", format="muc4", path=str(corpora), train_sets=["dev"], dev_sets=["tst3", "tst4"])
    assert grit_gold_for(other) is None  # GRIT's gold covers TST1+TST2 only


def test_score_corpora_reports_the_grit_score_of_a_corpus():
    labels = CorpusLabels("c", {"bombing": ("bombing",)}, {}, declared_types=("bombing",), declared_spans=())
    doc = {"id": "d1", "text": "A blast.", "attack_types": ["bombing"]}
    rec = {"attack_types": [{"label": "bombing", "score": 0.9}], "scores": {"bombing": 0.9}, "spans": []}
    seen = []

    def scorer(docs, records):
        seen.append(([d["id"] for d in docs], records))
        return {"micro_f1": 0.25}

    nested, flat = score_corpora([DevCorpus("c", [doc], labels, scorer)], [rec])
    assert seen == [(["d1"], [rec])]
    assert nested["grit"] == {"micro_f1": 0.25} and flat["grit_micro_f1"] == 0.25 and flat["c/grit_micro_f1"] == 0.25
    assert flat["score"] == 1.0  # the default selection score does not include GRIT
    _, without = score_corpora([DevCorpus("c", [doc], labels)], [rec])
    assert "grit_micro_f1" not in without


def test_a_metric_the_dev_evaluation_lacks_is_refused_with_the_names_it_has():
    labels = CorpusLabels("c", {"bombing": ("bombing",)}, {}, declared_types=("bombing",), declared_spans=())
    docs = [{"id": "d1", "text": "A blast.", "attack_types": ["bombing"]}]
    two = [DevCorpus("muc4", docs, labels, lambda d, r: {"micro_f1": 0.0}), DevCorpus("other", docs, labels)]
    check_metric(two, "muc4/grit_micro_f1")
    check_metric(two, "score")
    # in a run of several corpora the GRIT score is the MUC-4 corpus's, not a run-wide figure
    with pytest.raises(ValueError, match=r"'grit_micro_f1' is not a dev metric.*muc4/grit_micro_f1.*processed_grit"):
        check_metric(two, "grit_micro_f1")
    with pytest.raises(ValueError, match=r"'span_f1' is not a dev metric.*type_macro_f1"):
        check_metric(two[1:], "span_f1")  # the corpus annotates no spans


# ----------------------------------------------------------------------------------------- real data
def test_real_grit_scorer_gives_the_gold_entities_full_precision():
    corpora = SHARED / "raw" / "TASK" / "CORPORA"
    gold_path = SHARED / "processed_grit" / "dev.json"
    if not corpora.is_dir() or not gold_path.is_file():
        pytest.fail(f"MUC-4 shared data not found: expected {corpora} and {gold_path} (see shared/data/muc4/SOURCE.md)")
    cfg = CorpusConfig(name="muc4", format="muc4", path=str(corpora), train_sets=["dev"], dev_sets=["tst1", "tst2"])
    score = grit_scorer(cfg, ROLE_OF_LABEL)
    docs, records = [], []
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        entities = [{"label": LABEL_OF_GRIT_ROLE[role], "text": ent[0][0], "mentions": [{"text": m} for m, _ in ent]}
                    for role, ents in g["extracts"].items() for ent in ents]
        docs.append({"id": g["docid"]})
        records.append({"spans": [], "entities": {"all": entities}})
    docs.append({"id": "NOT-IN-GRIT-0001"})  # a dev document GRIT's gold lacks is not scored
    records.append({"spans": [], "entities": {"all": [{"label": "WEAPON", "text": "bomb", "mentions": []}]}})
    result = score(docs, records)
    assert result["n_documents"] == 200
    assert result["micro"]["p"] == 1.0  # every entity scored is a gold entity
    # gold victims the name filter reads as descriptions are left out, nothing else
    assert result["micro"]["r"] >= 0.95 and result["per_role"]["Weapon"]["r"] == 1.0
    records[0] = {"spans": [], "entities": {"all": [{"label": "WEAPON", "text": "zz not a filler", "mentions": []}]}}
    assert score(docs, records)["micro"]["p"] < 1.0


def test_doctests():
    from incidex.training import grit_dev

    run_doctests(grit_dev)
