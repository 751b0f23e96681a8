"""Partial annotation and label maps: what a corpus does not annotate teaches nothing (issue 11)."""

import numpy as np
import pytest
import torch
from incidex.model.modeling import tag_loss, type_loss
from incidex.training.config import ConfigError, CorpusConfig, LabelMapConfig, RefineRule, load_config
from incidex.training.features import DocumentCollator, allowed_tags, build_features, type_targets
from incidex.training.labelmap import CorpusLabels, check_labels, corpus_labels, source_view, to_taxonomy
from incidex.training.trainer import CorpusSampler, DevCorpus, check_trainable, score_corpora

TAG2ID = {"O": 0, "B-KILLED": 1, "I-KILLED": 2, "B-PERP": 3, "I-PERP": 4, "B-WEAPON": 5, "I-WEAPON": 6}


def test_tag_loss_ignores_labels_that_were_not_annotated():
    torch.manual_seed(0)
    logits = torch.randn(1, 4, 7)
    offsets = np.array([[0, 6], [7, 13], [14, 17], [18, 24]])
    spans = [{"start": 0, "end": 6, "label": "PERP"}]
    only_perp = torch.from_numpy(allowed_tags(offsets, spans, ["PERP"], TAG2ID))[None]
    everything = torch.from_numpy(allowed_tags(offsets, spans, ["PERP", "KILLED", "WEAPON"], TAG2ID))[None]
    # a corpus that marks only perpetrators: pushing token 2 towards WEAPON costs nothing (it may be one) ...
    pushed = logits.clone()
    pushed[0, 2, 5] += 5.0
    assert tag_loss(pushed, only_perp) <= tag_loss(logits, only_perp)
    # ... an outside token pulls O, KILLED and WEAPON up together and only PERP down
    g = logits.clone().requires_grad_(True)
    tag_loss(g, only_perp).backward()
    outside = g.grad[0, 1]
    assert (outside[[0, 1, 2, 5, 6]] < 0).all() and (outside[[3, 4]] > 0).all()
    # with everything annotated the same push is penalised (O is the only allowed tag)
    assert tag_loss(pushed, everything) > tag_loss(logits, everything) + 0.5  # mean over 4 tokens


def test_tag_loss_equals_weighted_cross_entropy_when_fully_annotated():
    torch.manual_seed(1)
    logits = torch.randn(2, 5, 7)
    tags = torch.randint(0, 7, (2, 5))
    tags[1, 3:] = -100
    allowed = torch.where(tags >= 0, torch.ones_like(tags) << tags.clamp(min=0), 0)
    weight = torch.ones(7)
    weight[0] = 0.3
    ref = torch.nn.functional.cross_entropy(logits.reshape(-1, 7), tags.reshape(-1), weight=weight, ignore_index=-100)
    assert torch.isclose(tag_loss(logits, allowed, 0.3), ref, atol=1e-6)
    assert tag_loss(logits, torch.zeros_like(allowed)) is None


def test_type_loss_disjunction_and_unannotated():
    z = torch.tensor([[3.0, -3.0, 0.5]])
    groups = torch.tensor([[[True, True, False]]])
    targets = torch.tensor([[-100.0, -100.0, 0.0]])
    both = type_loss(z, targets, groups)
    # "armed assault or shelling": one confident member is enough; both low is penalised
    low = type_loss(torch.tensor([[-3.0, -3.0, 0.5]]), targets, groups)
    assert low > both + 1.0
    # the unannotated third label adds no loss at all
    none_annotated = type_loss(z, torch.full((1, 3), -100.0), groups)
    only_third = type_loss(torch.tensor([[3.0, -3.0, 9.0]]), torch.full((1, 3), -100.0), groups)
    assert torch.isclose(none_annotated, only_third)
    assert type_loss(z, torch.full((1, 3), -100.0)) is None
    # fully labelled, no groups: exactly BCE with pos_weight
    y = torch.tensor([[1.0, 0.0, 1.0]])
    pw = torch.tensor([2.0, 1.0, 3.0])
    ref = torch.nn.functional.binary_cross_entropy_with_logits(z, y, pos_weight=pw)
    assert torch.isclose(type_loss(z, y, None, pw), ref)


MUC = CorpusLabels(
    "muc4",
    attack_types={"attack": ("armed_assault", "shelling", "air_strike"), "bombing": ("bombing",), "robbery": ()},
    spans={"KILLED": ("KILLED",), "WEAPON": ("WEAPON",), "PERP": ("PERP_INDIVIDUAL", "PERP_ORGANIZATION")},
    refine=(RefineRule(when="attack", to="shelling", weapon=r"\bmortars?\b"),),
)


def test_taxonomy_view_disjunction_refine_and_negatives():
    text = "Guerrillas fired mortars at the base, killing two soldiers."
    doc = {"id": "a", "text": text, "attack_types": ["attack"],
           "spans": [{"start": 0, "end": 10, "label": "PERP"}, {"start": 17, "end": 24, "label": "WEAPON"},
                     {"start": 46, "end": 58, "label": "KILLED"}]}
    view = to_taxonomy(doc, MUC)
    assert view["attack_types"] == ["shelling"] and view["type_groups"] == []  # refined by the weapon
    assert view["annotated"]["attack_types"] == ["air_strike", "armed_assault", "bombing", "shelling"]
    assert view["spans"][0]["labels"] == ["PERP_INDIVIDUAL", "PERP_ORGANIZATION"]
    no_weapon = to_taxonomy({**doc, "spans": doc["spans"][:1]}, MUC)
    assert no_weapon["attack_types"] == [] and no_weapon["type_groups"] == [["air_strike", "armed_assault", "shelling"]]
    robbery = to_taxonomy({"id": "r", "text": "x", "attack_types": ["robbery"], "spans": []}, MUC)
    t2id = {t: i for i, t in enumerate(["air_strike", "armed_assault", "bombing", "shelling", "kidnapping"])}
    targets, groups = type_targets(robbery, t2id)
    assert targets.tolist() == [0, 0, 0, 0, -100] and groups == []  # kidnapping is not in the MUC map here


def test_overlapping_source_spans_go_to_the_label_listed_first():
    doc = {"id": "o", "text": "two soldiers", "spans": [{"start": 0, "end": 12, "label": "WEAPON"},
                                                          {"start": 4, "end": 12, "label": "KILLED"}]}
    (span,) = to_taxonomy(doc, MUC)["spans"]
    assert span["label"] == "KILLED"


def test_unknown_source_label_is_an_error_naming_the_corpus():
    problems = check_labels([{"id": "z", "text": "t", "attack_types": ["hijacking"]}], MUC)
    assert len(problems) == 1 and "hijacking" in str(problems[0]) and "muc4:1" in str(problems[0])


def test_source_view_scores_only_what_the_document_annotates():
    satp = CorpusLabels("satp", {"bombing": ("bombing",), "other": ()}, {}, declared_types=("bombing", "other"),
                        declared_spans=())
    doc = {"id": "s", "text": "A blast.", "attack_types": ["bombing"], "annotated": {"spans": [],
                                                                                      "attack_types": ["bombing", "other"]}}
    rec = {"attack_types": [{"label": "bombing", "score": 0.9}, {"label": "shelling", "score": 0.8}],
           "scores": {"bombing": 0.9, "shelling": 0.8}, "spans": [{"start": 2, "end": 7, "label": "WEAPON"}]}
    gold, pred = source_view(doc, rec, satp)
    assert gold["attack_types"] == ["bombing"] and [t["label"] for t in pred["attack_types"]] == ["bombing"]
    assert "spans" not in gold and "spans" not in pred  # spans not annotated: not scored
    _, flat = score_corpora([DevCorpus("satp", [doc], satp)], [rec])
    assert flat["satp/type_macro_f1"] == 1.0 and flat["score"] == 1.0


def test_features_from_a_partial_corpus(tiny_model, tiny_tokenizer):
    labels = tiny_model.config.span_labels
    view = {"id": "p", "text": "Gunmen killed two police officers.", "attack_types": [],
            "spans": [{"start": 0, "end": 6, "label": labels[0], "labels": [labels[0]]}],
            "annotated": {"spans": [labels[0]], "attack_types": []}}
    (f,) = build_features([view], tiny_tokenizer, tiny_model.config)
    outside = f["tag_allowed"][0][2]
    tag2id = tiny_model.config.tag_label2id
    assert outside & 1 and all(outside >> tag2id[f"B-{lab}"] & 1 for lab in labels[1:])
    assert (f["type_labels"] == -100).all()
    out = tiny_model(**DocumentCollator(0)([f]))
    assert out.span_loss is not None and out.type_loss is None


def test_corpus_sampler_draws_weighted_fresh_subsets():
    sampler = CorpusSampler([0] * 10 + [1] * 4, [0.5, 2.0], seed=3)
    first, second = list(sampler), list(sampler)
    assert len(first) == len(sampler) == 13
    assert sum(i < 10 for i in first) == 5 and sorted(i for i in first if i >= 10) == [10, 10, 11, 11, 12, 12, 13, 13]
    assert set(first) != set(second) or first != second


def test_one_attack_type_without_negatives_is_rejected():
    views = [{"id": str(i), "text": "t", "attack_types": ["bombing"]} for i in range(3)]
    with pytest.raises(ValueError, match="one attack type"):
        check_trainable(views, ["bombing"])
    check_trainable(views + [{"id": "n", "text": "t", "attack_types": []}], ["bombing"])


def test_corpus_config_label_maps_are_checked(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("taxonomy: {attack_types: [bombing, shelling], span_labels: [KILLED]}\n"
                   "data:\n  corpora:\n    - {name: a, format: satp, train: [x.tsv],\n"
                   "       label_map: {attack_types: {bombing: bombing, other: null, blast: [bombing, shelling]}}}\n")
    c = load_config(cfg)
    lm = c.data.corpora[0].label_map
    assert lm.attack_types == {"bombing": ["bombing"], "other": [], "blast": ["bombing", "shelling"]}
    bad = cfg.read_text().replace("blast: [bombing, shelling]", "blast: [bombing, sheling]")
    cfg.write_text(bad)
    with pytest.raises(ConfigError, match=r"c.yaml.*corpora\[0\] \(a\)\.label_map\.attack_types\.blast.*'sheling'"):
        load_config(cfg)
    with pytest.raises(ConfigError, match="training.epochs"):
        load_config(tmp_path / "c.yaml" if False else None, ["training.epochs=-1", "data.train=[x.jsonl]"])


def test_identity_map_without_label_map():
    labels = corpus_labels(CorpusConfig(name="j"), [{"attack_types": ["arson"], "spans": [{"label": "KILLED"}]}])
    assert labels.identity and labels.attack_types == {"arson": ("arson",)}
    assert LabelMapConfig().refine == []


def test_span_thresholds_are_tuned_only_on_fully_annotated_single_label_documents():
    from incidex.training.thresholds import span_gold

    labels = ["KILLED", "WEAPON"]
    full = {"spans": [{"start": 0, "end": 3, "label": "KILLED", "labels": ["KILLED"]}],
            "annotated": {"spans": labels}}
    partial = {**full, "annotated": {"spans": ["KILLED"]}}
    either = {"spans": [{"start": 0, "end": 3, "label": "KILLED", "labels": ["KILLED", "WEAPON"]}],
              "annotated": {"spans": labels}}
    assert span_gold([full, partial, either, {"text": "no spans key"}], labels) == [
        {"spans": full["spans"]}, None, None, None]


def test_window_budget_packs_steps_and_runs_overflow_windows_without_grad(tiny_model, tiny_tokenizer):
    from incidex.training.batching import WindowBudgetBatchSampler

    n_windows = [1, 5, 2, 2, 9, 1, 3]
    sampler = WindowBudgetBatchSampler(n_windows, max_windows=4, seed=1)
    epoch1, epoch2 = list(sampler), list(sampler)
    for epoch in (epoch1, epoch2):
        assert sorted(i for b in epoch for i in b) == list(range(7))  # every document once
        assert all(sum(n_windows[i] for i in b) <= 4 or len(b) == 1 for b in epoch)
    assert len(epoch1) == len(sampler)
    # a document longer than the budget: only max_windows windows get gradients, all pool into its type
    text = "The rebels attacked the town and burned the market. " * 40
    feats = build_features([{"id": "l", "text": text, "attack_types": [], "spans": []}],
                           tiny_tokenizer, tiny_model.config)
    assert len(feats[0]["input_ids"]) > 2
    batch = DocumentCollator(0, max_windows=2, seed=0)(feats)
    assert batch["grad_windows"].sum() == 2 and (batch["tag_allowed"][~batch["grad_windows"]] == 0).all()
    tiny_model(**batch).loss.backward()
    assert tiny_model.tag_head.weight.grad is not None and tiny_model.tag_head.weight.grad.abs().sum() > 0
    tiny_model.eval()
    with torch.no_grad():
        a = tiny_model(**batch)
        b = tiny_model(**{k: v for k, v in batch.items() if k != "grad_windows"})
    # the windows without a graph are put back in their places: same pooled types, same tag logits
    assert torch.allclose(a.type_logits, b.type_logits, atol=1e-5)
    assert torch.allclose(a.tag_logits, b.tag_logits, atol=1e-5)
