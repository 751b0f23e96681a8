"""GRIT-compatible role-filler scoring on hand-computed cases, GRIT's gold file and the bench script."""

import importlib.util
import json

import pytest
from incidex.eval.grit import (
    GRIT_ROLES,
    grit_numeric_docid,
    load_grit_gold,
    normalize_string,
    records_to_grit,
    score_grit,
)
from incidex.eval.grit_names import NameFilter, muc4_name_filter
from pytest import approx

from tests.conftest import REPO, SHARED_MUC4, run_doctests

GRIT_DEV = SHARED_MUC4 / "processed_grit" / "dev.json"
ROLE_OF_LABEL = {"PERP_ORGANIZATION": "PerpOrg", "WEAPON": "Weapon", "KILLED": "Victim", "VICTIM": "Victim"}


def one_role(gold_entities, pred_entities, role="PerpOrg"):
    s = score_grit({"d": {role: pred_entities}}, {"d": {role: gold_entities}})
    return s["per_role"][role], s


def test_normalisation_is_grits():
    assert normalize_string("The F.M.L.N.") == "fmln"
    assert normalize_string("an  ex-president's   car") == "expresidents car"
    assert normalize_string("theatre") == "theatre"  # articles only as whole words
    assert normalize_string("“quoted”") == "“quoted”"  # GRIT drops ASCII punctuation only


def test_duplicate_prediction_is_one_hit_and_one_false_positive():
    m, _ = one_role([["FMLN", "Farabundo Marti National Liberation Front"]], [["the FMLN"], ["FMLN"]])
    assert (m["p_num"], m["p_den"], m["r_num"], m["r_den"]) == (1, 2, 1, 1)
    assert m["p"] == 0.5 and m["r"] == 1.0 and m["f1"] == approx(2 / 3)


def test_entity_whose_mentions_are_all_in_gold_is_a_hit():
    m, _ = one_role([["FMLN", "Farabundo Marti National Liberation Front", "front"]],
                    [["FMLN", "the Farabundo Marti National Liberation Front"]])
    assert m["p"] == 1.0 and m["r"] == 1.0


def test_entity_with_a_mention_not_in_gold_does_not_match():
    m, _ = one_role([["FMLN"]], [["FMLN", "army"]])
    assert m["p_num"] == 0 and m["p"] == 0.0 and m["r"] == 0.0 and m["p_den"] == 1


def test_matching_is_one_to_one_and_maximal():
    # two predictions fit only gold entity 0; "water pipes" fits entity 1: best total is 2 of 3 predictions
    gold = [["telephone company building", "telephone company offices"], ["water pipes"], ["public booth"]]
    pred = [["telephone company offices"], ["telephone company building"], ["water pipes"]]
    m, _ = one_role(gold, pred, role="Target")
    assert (m["p_num"], m["p_den"], m["r_den"]) == (2, 3, 3)
    assert m["p"] == approx(2 / 3) and m["r"] == approx(2 / 3)


def test_empty_predictions_and_empty_gold():
    m, _ = one_role([["FMLN"]], [])
    assert (m["p"], m["r"], m["f1"], m["p_den"], m["r_den"]) == (0.0, 0.0, 0.0, 0, 1)
    m, _ = one_role([], [["FMLN"]])
    assert (m["p"], m["r"], m["f1"], m["p_den"], m["r_den"]) == (0.0, 0.0, 0.0, 1, 0)
    m, s = one_role([], [])
    assert m["f1"] == 0.0 and s["micro"]["f1"] == 0.0


def test_micro_pools_roles_and_documents():
    gold = {"a": {"PerpOrg": [["FMLN"]], "Weapon": [["bomb"], ["rifle"]]}, "b": {"Target": [["bus"]]}}
    pred = {"a": {"PerpOrg": [["FMLN"]], "Weapon": [["bomb"], ["grenade"]]}, "b": {"Target": [["bus"]]}}
    s = score_grit(pred, gold)
    assert (s["micro"]["p_num"], s["micro"]["p_den"], s["micro"]["r_den"]) == (3, 4, 4)
    assert s["micro_f1"] == approx(0.75) and s["per_role"]["Weapon"]["f1"] == approx(0.5)
    assert s["per_role"]["Victim"]["r_den"] == 0 and s["n_documents"] == 2


def test_only_roles_of_the_gold_document_are_scored_and_ids_must_match():
    s = score_grit({"a": {"PerpOrg": [["FMLN"]], "Weapon": [["bomb"]]}}, {"a": {"PerpOrg": [["FMLN"]]}})
    assert s["micro"]["p"] == 1.0  # as eval.py: roles are taken from the gold document
    with pytest.raises(ValueError, match="have no prediction"):
        score_grit({"10001": {}}, {"TST1-MUC3-0001": {"PerpOrg": []}})
    assert grit_numeric_docid("TST1-MUC3-0001") == "10001"


def test_records_with_spans_give_one_entity_per_distinct_text():
    recs = [{"spans": [{"label": "PERP_ORGANIZATION", "text": "FMLN"}, {"label": "PERP_ORGANIZATION", "text": "the FMLN"},
                       {"label": "KILLED", "text": "three soldiers"}, {"label": "VICTIM", "text": "Three soldiers"},
                       {"label": "LOCATION", "text": "San Salvador"}]}, {"spans": []}]
    pred = records_to_grit(recs, ["a", "b"], ROLE_OF_LABEL)
    assert pred["a"]["PerpOrg"] == [["FMLN"]] and pred["a"]["Victim"] == [["three soldiers"]]
    assert pred["b"] == {role: [] for role in GRIT_ROLES}


def test_records_with_entities_use_the_clusters():
    rec = {"spans": [{"label": "PERP_ORGANIZATION", "text": "ignored when entities exist"}],
           "entities": [{"label": "PERP_ORGANIZATION", "text": "Farabundo Marti National Liberation Front",
                         "mentions": [{"text": "Farabundo Marti National Liberation Front", "start": 0},
                                      {"text": "FMLN", "start": 50}]},
                        {"label": "WEAPON", "text": "bomb", "mentions": []}]}
    pred = records_to_grit([rec], ["a"], ROLE_OF_LABEL, mentions="all")
    assert pred["a"]["PerpOrg"] == [["Farabundo Marti National Liberation Front", "FMLN"]]
    assert pred["a"]["Weapon"] == [["bomb"]]
    gold = {"a": {"PerpOrg": [["FMLN", "Farabundo Marti National Liberation Front"]], "Weapon": [["bomb"]]}}
    assert score_grit(pred, gold)["micro_f1"] == 1.0
    # by default each entity is its canonical text, as GRIT's and GTT's own predictions are
    assert records_to_grit([rec], ["a"], ROLE_OF_LABEL)["a"]["PerpOrg"] == [["Farabundo Marti National Liberation Front"]]
    with pytest.raises(ValueError, match="not GRIT roles"):
        records_to_grit([rec], ["a"], {"WEAPON": "weapon"})


def test_canonical_text_scores_a_cluster_whose_other_mention_the_key_lacks():
    # gold lists the name only; the cluster also holds "the front" (coreferent, but not in the key)
    rec = {"entities": [{"label": "PERP_ORGANIZATION", "text": "Zarate Willka Front",
                         "mentions": [{"text": "Zarate Willka Front"}, {"text": "the front"}]},
                        {"label": "KILLED", "text": "three peasants", "mentions": [{"text": "three peasants"}]},
                        {"label": "KILLED", "text": "Hector Oqueli", "mentions": [{"text": "Hector Oqueli"}]}]}
    gold = {"a": {"PerpOrg": [["zarate willka front"]], "Victim": [["hector oqueli"]]}}
    labels = {**ROLE_OF_LABEL, "KILLED": "Victim"}
    every = score_grit(records_to_grit([rec], ["a"], labels, mentions="all"), gold)
    canonical = score_grit(records_to_grit([rec], ["a"], labels), gold)
    assert every["per_role"]["PerpOrg"]["f1"] == 0.0 and canonical["per_role"]["PerpOrg"]["f1"] == 1.0
    # P 2/3, R 1: "three peasants" is a false Victim unless ``keep`` drops descriptions
    assert canonical["micro"]["p"] == approx(2 / 3) and canonical["micro"]["r"] == 1.0
    named = records_to_grit([rec], ["a"], labels,
                            choose=lambda role, text, _: None if role == "Victim" and "peasants" in text else text)
    assert score_grit(named, gold)["micro_f1"] == 1.0 and named["a"]["Victim"] == [["Hector Oqueli"]]
    with pytest.raises(ValueError, match="mentions must be"):
        records_to_grit([rec], ["a"], labels, mentions="first")


def test_name_filter_keeps_names_and_drops_descriptions_of_victims_only():
    names = ["JOSE NAPOLEON DUARTE", "HECTOR OQUELI COLINDRES", "MARIA ELENA DIAZ PEREZ", "CARLOS PIZARRO",
             "ANTONIO ROLDAN BETANCUR", "GUILLERMO UNGO"]
    descriptions = ["PEASANTS", "SOLDIERS", "PRESIDENTIAL CANDIDATE", "THREE CIVILIANS", "JESUIT PRIESTS",
                    "POLICEMEN", "BODYGUARD"]
    f = NameFilter.fit(names, descriptions)
    assert all(f.is_name(n) for n in names) and not any(f.is_name(d) for d in descriptions)
    assert f.keep("Target", "PEASANTS") and not f.keep("Victim", "PEASANTS")
    assert f.choose("Victim", "PRESIDENTIAL CANDIDATE", ["PRESIDENTIAL CANDIDATE", "CARLOS PIZARRO"]) == "CARLOS PIZARRO"
    assert f.choose("Victim", "SOLDIERS", ["SOLDIERS", "POLICEMEN"]) is None
    with pytest.raises(ValueError, match="needs names and descriptions"):
        NameFilter.fit(names, [])


@pytest.mark.skipif(not (SHARED_MUC4 / "raw").exists(), reason="needs ../shared/data/muc4")
def test_muc4_name_filter_fitted_on_dev_keys_reads_the_test_keys():
    from incidex.training.importers.muc4 import human_target_fills

    corpora = SHARED_MUC4 / "raw" / "TASK" / "CORPORA"
    f = muc4_name_filter(corpora, ["dev"])
    names, descriptions = human_target_fills(corpora, ["tst1", "tst2"])
    assert len(names) > 50 and len(descriptions) > 150
    assert sum(map(f.is_name, names)) / len(names) > 0.9
    assert sum(map(f.is_name, descriptions)) / len(descriptions) < 0.05


def test_load_grit_gold_reads_mentions_and_names_bad_lines(tmp_path):
    path = tmp_path / "gold.json"
    rows = [{"docid": "TST1-MUC3-0001", "doctext": "x", "extracts": {
        "PerpInd": [[["guerrillas", 3], ["guerrilla column", 40]]], "Target": [[]], "Weapon": []}}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert load_grit_gold(path) == {"TST1-MUC3-0001": {"PerpInd": [["guerrillas", "guerrilla column"]],
                                                       "Target": [], "Weapon": []}}
    path.write_text(json.dumps(rows[0]) + "\n" + json.dumps({"docid": "b", "extracts": {"Victims": []}}) + "\n")
    with pytest.raises(ValueError, match=r"gold\.json:2: field 'extracts' has role 'Victims'"):
        load_grit_gold(path)


@pytest.mark.skipif(not GRIT_DEV.exists(), reason="needs ../shared/data/muc4")
def test_grit_dev_gold_scored_against_itself():
    gold = load_grit_gold(GRIT_DEV)
    assert len(gold) == 200 and "TST2-MUC4-0100" in gold
    s = score_grit(gold, gold)
    assert s["micro_f1"] == 1.0 and s["micro"]["r_den"] > 0
    # every gold mention as its own predicted entity: recall stays 1, precision drops (as in the issue)
    split = {d: {r: [[m] for ent in ents for m in ent] for r, ents in roles.items()} for d, roles in gold.items()}
    s = score_grit(split, gold)
    assert s["micro"]["r"] == 1.0 and s["micro"]["p"] < 1.0


@pytest.mark.skipif(not (SHARED_MUC4 / "raw").exists(), reason="needs ../shared/data/muc4")
def test_bench_script_runs_on_a_tiny_random_model(saved_tiny, tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("grit_score", REPO / "bench" / "grit_score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "grit.json"
    assert module.main(["--model", str(saved_tiny), "--limit", "3", "--output", str(out)]) == 0
    result = json.loads(out.read_text())
    assert result["n_documents"] == 3 and set(result["per_role"]) == set(GRIT_ROLES)
    assert 0.0 <= result["micro_f1"] <= 1.0
    assert "micro" in capsys.readouterr().out


def _bench_grit_score():
    spec = importlib.util.spec_from_file_location("grit_score", REPO / "bench" / "grit_score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_error_breakdown_sorts_false_positives_and_misses_into_kinds():
    bench = _bench_grit_score()
    gold = {
        "a": {"PerpInd": [["guerrillas"], ["colonel hector hernandez"]], "Victim": [["jaime pardo leal"]],
              "Target": [["embassy"]], "PerpOrg": [["fmln"]], "Weapon": [["bomb"]]},
        "b": {r: [] for r in GRIT_ROLES},  # no incident: every prediction here is a false positive of its own kind
    }
    canonical = {
        "a": {"PerpInd": [["Guerrillas"], ["HECTOR HERNANDEZ"], ["soldiers"]], "Victim": [["the priest"]],
              "Target": [["FMLN"]], "PerpOrg": [], "Weapon": [["explosives"]]},
        "b": {"PerpOrg": [["army"]], "Target": [["bus"]]},
    }
    mentions = {d: {r: [list(e) for e in ents] for r, ents in roles.items()} for d, roles in canonical.items()}
    mentions["a"]["Victim"] = [["the priest", "Jaime Pardo Leal"]]  # the canonical text is not the gold one
    mentions["a"]["Weapon"] = [["explosives", "bomb"]]
    out = bench.error_breakdown(canonical, mentions, gold, ["a", "b"])
    assert out["false positive"] == {"boundary": 1, "not in gold": 1, "canonical not gold": 2,
                                     "gold in another role": 1, "irrelevant document": 2}
    assert out["miss"] == {"boundary": 1, "canonical chose another": 2, "predicted in another role": 1,
                           "never predicted": 1}  # the embassy
    run_doctests(bench)


def test_error_breakdown_finds_an_entitys_mentions_by_its_text_not_its_position():
    # two clusters scored as "FMLN" are one canonical entity but two all-mentions entities: positions shift
    gold = {"d": {"PerpOrg": [["fmln"], ["armed forces"]]}}
    canonical = {"d": {"PerpOrg": [["FMLN"], ["army"]]}}
    mentions = {"d": {"PerpOrg": [["FMLN", "the front"], ["the front"], ["army", "armed forces"]]}}
    out = _bench_grit_score().error_breakdown(canonical, mentions, gold, ["d"])
    assert out["false positive"] == {"canonical not gold": 1}
    assert out["miss"] == {"canonical chose another": 1}


def _bench_grit_halves(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO / "bench"))
    spec = importlib.util.spec_from_file_location("grit_halves", REPO / "bench" / "grit_halves.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _micro(tp, pred, gold):
    return {"p_num": tp, "p_den": pred, "r_num": tp, "r_den": gold, "f1": 2 * tp / (pred + gold)}


def test_grit_halves_chooses_on_one_half_and_scores_the_other(monkeypatch):
    bench = _bench_grit_halves(monkeypatch)
    run_doctests(bench)
    # epoch 1 is best on TST1 at 0.5, epoch 2 on TST2: each half is scored with the epoch (and the thresholds) the
    # other half chose, never its own best
    e1 = {"model": "e1", "at_0.5": {"TST1": _micro(8, 10, 10), "TST2": _micro(2, 10, 10)},
          "own": {"TST1": _micro(9, 10, 10), "TST2": _micro(9, 10, 10)},
          "tuned_on": {"TST1": {"TST1": _micro(9, 10, 10), "TST2": _micro(3, 10, 10)},
                       "TST2": {"TST1": _micro(7, 10, 10), "TST2": _micro(4, 10, 10)}}}
    e2 = {"model": "e2", "at_0.5": {"TST1": _micro(1, 10, 10), "TST2": _micro(6, 10, 10)},
          "own": {"TST1": _micro(9, 10, 10), "TST2": _micro(9, 10, 10)},
          "tuned_on": {"TST1": {"TST1": _micro(2, 10, 10), "TST2": _micro(5, 10, 10)},
                       "TST2": {"TST1": _micro(1, 10, 10), "TST2": _micro(8, 10, 10)}}}
    out = bench.summary([e1, e2], epochs=True)
    assert out["epoch_chosen_on"] == {"TST1": "e1", "TST2": "e2"}
    # TST1 scored by e2 with TST2's thresholds (1 of 10), TST2 by e1 with TST1's thresholds (3 of 10)
    assert out["epoch_and_thresholds_halves"]["f1"] == approx(4 / 20)
    assert out["models"][0]["halves"]["f1"] == approx((7 + 3) / 20)  # e1: TST1 with TST2's thresholds and back
    assert out["models"][0]["own"]["f1"] == approx(18 / 20)
    assert "epoch_chosen_on" not in bench.summary([e1, e2])  # two models, not one run's epochs


@pytest.mark.skipif(not (SHARED_MUC4 / "raw").exists(), reason="needs ../shared/data/muc4")
def test_grit_halves_runs_on_a_tiny_random_model(saved_tiny, tmp_path, monkeypatch, capsys):
    bench = _bench_grit_halves(monkeypatch)
    out = tmp_path / "halves.json"
    assert bench.main(["--epochs", str(saved_tiny), str(saved_tiny), "--limit", "2", "--output", str(out)]) == 0
    result = json.loads(out.read_text())
    assert len(result["results"]) == 2 and set(result["summary"]["epoch_chosen_on"]) == {"TST1", "TST2"}
    for r in result["results"]:
        assert set(r["tuned_on"]) == {"TST1", "TST2"} and set(r["at_0.5"]) == {"TST1", "TST2"}
    assert 0.0 <= result["summary"]["epoch_and_thresholds_halves"]["f1"] <= 1.0
    assert "TST1 2 + TST2 2 documents" in capsys.readouterr().out
