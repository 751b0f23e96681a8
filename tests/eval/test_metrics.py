"""Hand-worked cases for eval.metrics; every expected number is derived in the comments."""

from __future__ import annotations

import pytest
from incidex.eval.metrics import (
    MUC_ROLE_OF_LABEL,
    attack_type_metrics,
    casualty_metrics,
    casualty_point_estimate,
    casualty_range,
    evaluate,
    muc_role_filler,
    normalize_filler,
    span_metrics,
    tune_span_thresholds,
)

LABELS = ["arson", "bombing", "kidnapping"]
# doc1 correct single label; doc2 no attack, predicted none; doc3 multi-label, half right plus a
# false arson; doc4 empty prediction; doc5 no attack but bombing predicted.
GOLD_TYPES = [["bombing"], [], ["bombing", "kidnapping"], ["arson"], []]
PRED_TYPES = [["bombing"], [], ["kidnapping", "arson"], [], ["bombing"]]


def approx(x: float) -> object:
    return pytest.approx(x, abs=1e-9)


class TestAttackTypes:
    def test_per_label_micro_macro(self) -> None:
        m = attack_type_metrics(GOLD_TYPES, PRED_TYPES, LABELS)
        # arson: gold doc4, predicted doc3 -> tp 0, fp 1, fn 1
        assert m["per_label"]["arson"] == {"p": 0.0, "r": 0.0, "f1": 0.0, "support": 1, "n_pred": 1}
        # bombing: gold docs 1,3; predicted docs 1,5 -> tp 1, fp 1, fn 1
        assert m["per_label"]["bombing"] == {"p": 0.5, "r": 0.5, "f1": 0.5, "support": 2, "n_pred": 2}
        # kidnapping: gold doc3, predicted doc3
        assert m["per_label"]["kidnapping"] == {"p": 1.0, "r": 1.0, "f1": 1.0, "support": 1, "n_pred": 1}
        # micro: tp 2, fp 2, fn 2
        assert m["micro"] == {"p": 0.5, "r": 0.5, "f1": 0.5}
        assert m["micro_f1"] == approx(0.5)
        # macro: (0 + 0.5 + 1) / 3
        assert m["macro_f1"] == approx(0.5)
        assert m["macro"]["p"] == approx(0.5)
        assert m["n"] == 5 and m["labels"] == LABELS and m["ignored_labels"] == []

    def test_agrees_with_sklearn(self) -> None:
        from sklearn.metrics import f1_score
        from sklearn.preprocessing import MultiLabelBinarizer

        mlb = MultiLabelBinarizer(classes=LABELS)
        y_true, y_pred = mlb.fit_transform(GOLD_TYPES), mlb.transform(PRED_TYPES)
        m = attack_type_metrics(GOLD_TYPES, PRED_TYPES, LABELS)
        for avg in ("micro", "macro"):
            assert m[f"{avg}_f1"] == approx(f1_score(y_true, y_pred, average=avg, zero_division=0))

    def test_single_label(self) -> None:
        m = attack_type_metrics([["bombing"], []], [[], []], ["bombing"])
        # bombing: tp 0, fn 1 (sklearn on a one-column matrix would score the absent class instead)
        assert m["per_label"]["bombing"] == {"p": 0.0, "r": 0.0, "f1": 0.0, "support": 1, "n_pred": 0}

    def test_samples_and_exact_match(self) -> None:
        m = attack_type_metrics(GOLD_TYPES, PRED_TYPES, LABELS)
        # per doc F1: 1, 1 ([] vs []), 2*1/(2+2)=0.5, 0, 0 -> 2.5 / 5
        assert m["samples_f1"] == approx(0.5)
        # docs 1 and 2 match exactly
        assert m["exact_match"] == approx(0.4)

    def test_no_attack_class(self) -> None:
        m = attack_type_metrics(GOLD_TYPES, PRED_TYPES, LABELS)
        # gold none: docs 2,5; predicted none: docs 2,4 -> tp 1, p 1/2, r 1/2; agree on docs 1,2,3
        assert m["no_attack"] == {"accuracy": 0.6, "p": 0.5, "r": 0.5, "f1": 0.5, "support": 2}

    def test_confusion_counts_every_pair(self) -> None:
        m = attack_type_metrics(GOLD_TYPES, PRED_TYPES, LABELS)
        conf = m["confusion"]
        assert conf["labels"] == [*LABELS, "none"]
        c = conf["counts"]
        assert c["bombing"]["bombing"] == 1  # doc1
        assert c["none"]["none"] == 1  # doc2
        # doc3: {bombing, kidnapping} x {kidnapping, arson}
        assert c["bombing"]["kidnapping"] == 1 and c["bombing"]["arson"] == 1
        assert c["kidnapping"]["kidnapping"] == 1 and c["kidnapping"]["arson"] == 1
        assert c["arson"]["none"] == 1  # doc4
        assert c["none"]["bombing"] == 1  # doc5
        assert sum(v for row in c.values() for v in row.values()) == 8

    def test_all_no_attack_documents_correct(self) -> None:
        m = attack_type_metrics([[], []], [[], []], ["bombing"])
        assert m["exact_match"] == 1.0 and m["samples_f1"] == 1.0
        assert m["no_attack"]["f1"] == 1.0 and m["no_attack"]["accuracy"] == 1.0
        # sklearn macro over all labels: bombing has neither support nor predictions -> 0
        assert m["macro_f1"] == 0.0 and m["micro_f1"] == 0.0

    def test_empty_predictions(self) -> None:
        m = attack_type_metrics([["bombing"], ["arson"]], [[], []], ["arson", "bombing"])
        assert m["micro_f1"] == 0.0 and m["samples_f1"] == 0.0 and m["exact_match"] == 0.0
        assert m["no_attack"] == {"accuracy": 0.0, "p": 0.0, "r": 0.0, "f1": 0.0, "support": 0}

    def test_unknown_labels_are_ignored(self) -> None:
        m = attack_type_metrics([["riot"]], [["bombing"]], ["bombing"])
        assert m["ignored_labels"] == ["riot"]
        assert m["confusion"]["counts"]["none"]["bombing"] == 1

    def test_bad_input(self) -> None:
        with pytest.raises(ValueError):
            attack_type_metrics([["a"]], [], ["a"])
        with pytest.raises(ValueError):
            attack_type_metrics([], [], ["a"])
        with pytest.raises(ValueError):
            attack_type_metrics([["a"]], [["a"]], [])


def sp(start: int, end: int, label: str) -> dict:
    return {"start": start, "end": end, "label": label}


SPAN_GOLD = [
    [sp(0, 10, "KILLED"), sp(20, 30, "WEAPON")],
    [sp(0, 10, "KILLED"), sp(12, 20, "KILLED")],
    [],
    [sp(0, 5, "WEAPON")],
]
SPAN_PRED = [
    [sp(0, 10, "KILLED"), sp(22, 35, "WEAPON")],  # exact; overlap of 8
    [sp(5, 15, "KILLED"), sp(40, 45, "VICTIM")],  # overlaps gold 0-10 by 5 and 12-20 by 3; matches nothing
    [],
    [],  # empty prediction
]


class TestSpans:
    def test_strict(self) -> None:
        m = span_metrics(SPAN_GOLD, SPAN_PRED)["strict"]
        # KILLED: gold 3, predicted 2, exact 1 -> p 1/2, r 1/3, f1 2*(1/6)/(5/6) = 0.4
        k = m["per_label"]["KILLED"]
        assert (k["p"], k["r"], k["f1"], k["support"]) == (approx(0.5), approx(1 / 3), approx(0.4), 3)
        assert m["per_label"]["WEAPON"] == {"p": 0.0, "r": 0.0, "f1": 0.0, "support": 2, "n_pred": 1}
        assert m["per_label"]["VICTIM"] == {"p": 0.0, "r": 0.0, "f1": 0.0, "support": 0, "n_pred": 1}
        # micro: tp 1, predicted 4, gold 5 -> p .25, r .2, f1 2/9
        assert m["micro"]["p"] == approx(0.25) and m["micro"]["r"] == approx(0.2)
        assert m["micro_f1"] == approx(2 / 9)

    def test_partial(self) -> None:
        m = span_metrics(SPAN_GOLD, SPAN_PRED)["partial"]
        # KILLED: both predictions match (5-15 takes gold 0-10, its larger overlap) -> p 1, r 2/3, f1 .8
        k = m["per_label"]["KILLED"]
        assert (k["p"], k["r"], k["f1"]) == (approx(1.0), approx(2 / 3), approx(0.8))
        # WEAPON: 22-35 overlaps 20-30 -> p 1, r 1/2, f1 2/3
        assert m["per_label"]["WEAPON"]["f1"] == approx(2 / 3)
        # micro: tp 3, predicted 4, gold 5 -> p .75, r .6, f1 2/3
        assert (m["micro"]["p"], m["micro"]["r"], m["micro_f1"]) == (approx(0.75), approx(0.6), approx(2 / 3))

    def test_partial_gold_matched_once(self) -> None:
        # two predictions inside one gold span: one match, one false positive
        m = span_metrics([[sp(0, 10, "A")]], [[sp(0, 4, "A"), sp(5, 10, "A")]])["partial"]
        assert m["micro"] == {"p": 0.5, "r": 1.0, "f1": approx(2 / 3)}

    def test_partial_greedy_by_largest_overlap(self) -> None:
        # P1 8-20 overlaps G1 by 2 and G2 by 10; P2 0-9 overlaps G1 by 9: pairs P1-G2 then P2-G1
        m = span_metrics([[sp(0, 10, "A"), sp(10, 20, "A")]], [[sp(8, 20, "A"), sp(0, 9, "A")]])
        assert m["partial"]["micro_f1"] == 1.0 and m["strict"]["micro_f1"] == 0.0

    def test_partial_needs_same_label_and_real_overlap(self) -> None:
        m = span_metrics([[sp(0, 10, "A")]], [[sp(0, 10, "B"), sp(10, 15, "A")]])  # touching is no overlap
        assert m["partial"]["micro"]["p"] == 0.0

    def test_nothing_at_all(self) -> None:
        m = span_metrics([[], []], [[], []])
        assert m["strict"]["per_label"] == {} and m["strict"]["micro_f1"] == 0.0

    def test_length_mismatch(self) -> None:
        with pytest.raises(ValueError):
            span_metrics([[]], [])


def filler(label: str, text: str | None) -> dict:
    return {"label": label, "text": text, "start": 0, "end": 1, "score": 0.9}


MUC_GOLD = [
    [
        {
            "type": "bombing",
            "PerpInd": [["URBAN GUERRILLAS", "GUERRILLAS"]],
            "PerpOrg": [["FMLN"]],
            "Target": [["THE U.S. EMBASSY", "EMBASSY"]],
            "Victim": [],
            "Weapon": [["CAR BOMB", "BOMB"]],
        },
        {"type": "attack", "PerpInd": [["URBAN GUERRILLAS", "GUERRILLAS"]], "Victim": [["JOSE PEREZ"]]},
    ],
    [],  # no incidents: every prediction is a false positive
    [{"type": "kidnapping", "Victim": [["MARIA"]]}],  # nothing predicted
]
MUC_PRED = [
    [
        filler("PERP_INDIVIDUAL", "guerrillas"),
        filler("PERP_INDIVIDUAL", "Urban  Guerrillas"),  # second alternative of the same entity
        filler("PERP_ORGANIZATION", "the FMLN"),
        filler("PHYSICAL_TARGET", "U.S. embassy"),
        filler("WEAPON", "bomb"),
        filler("KILLED", "Jose Perez,"),
        filler("WOUNDED", "two soldiers"),
        filler("LOCATION", "San Salvador"),  # no MUC role
    ],
    [filler("WEAPON", "rifles")],
    [],
]


class TestMuc:
    def test_role_table(self) -> None:
        assert (
            MUC_ROLE_OF_LABEL["KILLED"]
            == MUC_ROLE_OF_LABEL["WOUNDED"]
            == MUC_ROLE_OF_LABEL["VICTIM"]
            == "Victim"
        )
        assert MUC_ROLE_OF_LABEL["PHYSICAL_TARGET"] == "Target"

    def test_normalisation(self) -> None:
        assert normalize_filler("THE U.S. EMBASSY") == "us embassy"
        assert normalize_filler("  “A  Bomb”, ") == "bomb"
        assert normalize_filler("...") == ""

    def test_scores(self) -> None:
        m = muc_role_filler(MUC_GOLD, MUC_PRED)
        # PerpInd: 1 gold entity (deduplicated over the two incidents), 2 fillers, 1 correct
        assert (m["PerpInd"]["p"], m["PerpInd"]["r"], m["PerpInd"]["f1"]) == (0.5, 1.0, approx(2 / 3))
        assert m["PerpInd"]["n_gold"] == 1
        assert (m["PerpOrg"]["f1"], m["Target"]["f1"]) == (1.0, 1.0)
        # Victim: gold JOSE PEREZ + MARIA, fillers "jose perez" + "two soldiers", 1 correct
        assert (m["Victim"]["p"], m["Victim"]["r"], m["Victim"]["f1"]) == (0.5, 0.5, 0.5)
        # Weapon: gold 1, fillers "bomb" (doc1) + "rifles" (doc2), 1 correct
        assert (m["Weapon"]["p"], m["Weapon"]["r"], m["Weapon"]["f1"]) == (0.5, 1.0, approx(2 / 3))
        # micro: correct 5, predicted 8, gold 6 -> f1 = 10/14
        assert (m["micro"]["p"], m["micro"]["r"]) == (approx(5 / 8), approx(5 / 6))
        assert m["micro_f1"] == approx(5 / 7)
        # macro over the 5 roles (all active): (2/3 + 1 + 1 + 1/2 + 2/3) / 5
        assert m["macro_f1"] == approx((2 / 3 + 1 + 1 + 0.5 + 2 / 3) / 5)
        assert m["n"] == 3

    def test_best_one_to_one_matching(self) -> None:
        # "x" could take either entity; the best matching gives "x"->{x}, "y"->{x, y}
        gold = [[{"type": "attack", "Weapon": [["X", "Y"], ["X"]]}]]
        m = muc_role_filler(gold, [[filler("WEAPON", "x"), filler("WEAPON", "y")]])
        assert m["Weapon"]["n_correct"] == 2 and m["Weapon"]["f1"] == 1.0

    def test_macro_over_active_roles_and_no_prediction(self) -> None:
        gold = [[{"type": "attack", "Weapon": [["GRENADE"]]}]]
        m = muc_role_filler(gold, [[filler("WEAPON", "a grenade"), filler("WEAPON", None)]])
        assert m["Weapon"]["n_pred"] == 1 and m["Weapon"]["f1"] == 1.0
        assert m["macro_f1"] == 1.0 and m["PerpInd"]["f1"] == 0.0
        empty = muc_role_filler([[]], [[]])
        assert empty["macro_f1"] == 0.0 and empty["micro_f1"] == 0.0


class TestCasualties:
    def test_point_estimate(self) -> None:
        assert casualty_point_estimate({"count": 4, "min": 4, "max": 4}) == 4
        assert casualty_point_estimate({"count": None, "min": 2, "max": None}) == 2
        assert casualty_point_estimate({"count": None, "min": None, "max": 9}) == 9
        assert casualty_point_estimate({"count": None, "min": None, "max": None, "text": None}) is None
        assert casualty_point_estimate(None) is None and casualty_point_estimate(3) == 3

    def test_exact_and_mae(self) -> None:
        gold = [
            {"killed": 3, "wounded": 7},
            {"killed": 0, "wounded": None},
            None,
            {"killed": None, "wounded": 2},
            {"killed": 5, "wounded": 0},
        ]
        pred = [
            {"killed": {"count": 3, "min": 3, "max": 3}, "wounded": {"count": None, "min": 5, "max": None}},
            {"killed": {"count": None, "min": None, "max": None, "text": None}},
            {"killed": {"count": 9}},
            {"wounded": {"count": None, "min": None, "max": 4}},
            {},
        ]
        m = casualty_metrics(gold, pred)
        # killed > 0 on docs 1, 5: 3 vs 3, 5 vs nothing (= 0); killed = 0 on doc 2, nothing said
        assert m["killed_n"] == 2 and m["killed_exact"] == 0.5 and m["killed_mae"] == approx(2.5)
        assert m["killed_in_range"] == 0.5 and m["killed_answered"] == 0.5
        assert m["killed_n_zero"] == 1 and m["killed_false_alarm"] == 0.0
        # wounded > 0 on docs 1, 4: 7 vs 5 (min: range [5, 5]), 2 vs 4 (max: [4, 4]); 0 on doc 5
        assert m["wounded_n"] == 2 and m["wounded_exact"] == 0.0 and m["wounded_mae"] == approx(2.0)
        assert m["wounded_in_range"] == 0.0 and m["wounded_answered"] == 1.0
        assert m["wounded_n_zero"] == 1 and m["wounded_false_alarm"] == 0.0
        # the old figures, pooled over gold 0 and > 0, only under "pooled"
        assert m["pooled"] == {"killed_n": 3, "killed_exact": approx(2 / 3), "killed_mae": approx(5 / 3),
                               "wounded_n": 3, "wounded_exact": approx(1 / 3), "wounded_mae": approx(4 / 3)}

    def test_range_and_false_alarms(self) -> None:
        gold = [{"killed": 3, "wounded": 0}, {"killed": 0, "wounded": 0}, {"killed": 0, "wounded": 12}]
        pred = [{"killed": {"count": None, "min": 1, "max": 4}, "wounded": {"count": 2}},
                {"killed": {"count": None, "min": None, "max": None}},
                {"killed": {"count": None, "min": 2, "max": None}, "wounded": {"count": None, "min": 10, "max": 20}}]
        m = casualty_metrics(gold, pred)
        assert m["killed_exact"] == 0.0 and m["killed_in_range"] == 1.0 and m["killed_mae"] == 2.0  # point = min
        assert m["killed_n_zero"] == 2 and m["killed_false_alarm"] == 0.5  # "at least 2" on a 0 document
        assert m["wounded_in_range"] == 1.0 and m["wounded_false_alarm"] == 0.5
        assert casualty_range({"count": None, "min": None, "max": 7}) == (7, 7) and casualty_range(None) is None

    def test_unknown_gold(self) -> None:
        m = casualty_metrics([{"killed": None, "wounded": None}], [{"killed": {"count": 1}}])
        assert m["killed_n"] == 0 and m["killed_exact"] is None and m["killed_mae"] is None


class TestEvaluate:
    TEXT = "Guerrillas bombed the embassy; two guards died."

    def docs_and_records(self) -> tuple[list[dict], list[dict]]:
        docs = [
            {
                "id": "a",
                "text": self.TEXT,
                "attack_types": ["bombing"],
                "spans": [sp(0, 10, "PERP_INDIVIDUAL"), sp(38, 44, "KILLED")],
                "casualties": {"killed": 2, "wounded": None},
                "incidents": [{"type": "bombing", "PerpInd": [["GUERRILLAS"]], "Victim": [["GUARDS"]]}],
            },
            {"id": "b", "text": "Markets rose.", "spans": []},  # no types, no incidents
            {"id": "c", "text": "A quiet day.", "attack_types": []},  # no spans
        ]
        records = [
            {
                "attack_types": [{"label": "bombing", "score": 0.9}],
                "scores": {"bombing": 0.9},
                # no "text": taken from the document for MUC ("Guerrillas", "two guards")
                "spans": [sp(0, 10, "PERP_INDIVIDUAL"), {**sp(34, 44, "KILLED"), "score": 0.7}],
                "casualties": {"killed": {"count": 2, "min": 2, "max": 2, "text": "two guards"}},
            },
            {"attack_types": [], "spans": [sp(0, 7, "VICTIM")]},
            {"attack_types": [{"label": "arson", "score": 0.6}], "spans": []},
        ]
        return docs, records

    def test_nested_result(self) -> None:
        docs, records = self.docs_and_records()
        m = evaluate(docs, records, ["arson", "bombing"])
        assert set(m) == {"attack_type", "spans", "muc", "casualties", "n_documents"}
        assert m["n_documents"] == 3
        # types on docs a, c: exact on a; c is no attack but arson predicted
        assert m["attack_type"]["n"] == 2 and m["attack_type"]["exact_match"] == 0.5
        # spans on docs a, b: strict tp 1 of predicted 3, gold 2
        assert m["spans"]["n"] == 2 and m["spans"]["strict"]["micro_f1"] == approx(2 * 1 / (3 + 2))
        # partial: KILLED 34-44 overlaps 38-44 -> tp 2
        assert m["spans"]["partial"]["micro_f1"] == approx(2 * 2 / (3 + 2))
        # muc on doc a only: "guerrillas" correct, "two guards" != "guards"
        assert m["muc"]["n"] == 1 and m["muc"]["PerpInd"]["f1"] == 1.0 and m["muc"]["Victim"]["f1"] == 0.0
        c = m["casualties"]
        assert (c["killed_n"], c["killed_exact"], c["killed_in_range"], c["killed_mae"]) == (1, 1.0, 1.0, 0.0)
        assert c["wounded_n"] == 0 and c["wounded_exact"] is None and c["wounded_false_alarm"] is None

    def test_tasks_without_gold_are_left_out(self) -> None:
        m = evaluate([{"text": "x"}], [{"attack_types": [], "spans": []}], ["bombing"])
        assert m == {"n_documents": 1}

    def test_length_mismatch(self) -> None:
        with pytest.raises(ValueError):
            evaluate([{"text": "x"}], [], ["bombing"])


class TestSpanThresholds:
    def test_threshold_maximises_each_labels_f1(self) -> None:
        def span(start, label, score=None):
            out = {"start": start, "end": start + 2, "label": label}
            return out if score is None else {**out, "score": score}

        docs = [{"spans": [span(0, "K"), span(10, "K"), span(20, "W")]}, {"spans": []}, {"text": "not labelled"}]
        recs = [
            {"spans": [span(0, "K", 0.9), span(10, "K", 0.6), span(30, "K", 0.3), span(20, "W", 0.2),
                       span(40, "W", 0.2)]},
            {"spans": [span(0, "K", 0.5), span(5, "W", 0.9)]},
            {"spans": [span(0, "K", 0.99)]},  # document without span gold: ignored
        ]
        th = tune_span_thresholds(docs, recs, ["K", "W", "V"])
        # K (gold 2): keep >= 0.6 -> tp 2 of 2 predicted, F1 1.0 (>= 0.5 adds a false positive)
        # W (gold 1): >= 0.9 -> 0 tp; >= 0.2 -> tp 1 of 3, F1 0.5: keep all; V never predicted
        assert th == {"K": 0.6, "W": 0.0, "V": 0.0}
