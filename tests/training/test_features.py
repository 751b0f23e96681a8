import numpy as np
import pytest
from incidex.training.corpus import CorpusError
from incidex.training.data import LabelSet, derive_labels, summarize
from incidex.training.features import DocumentCollator, build_features, token_tags, type_pos_weight

DOCS = [
    {"id": "a", "text": "Gunmen killed two police officers in the market.", "attack_types": ["armed attack"],
     "spans": [{"start": 0, "end": 6, "label": "PERP_ORGANIZATION"}, {"start": 14, "end": 33, "label": "KILLED"}]},
    {"id": "b", "text": "A bomb wounded three people. " * 12, "attack_types": ["bombing"]},  # no spans key
    {"id": "c", "text": "Rebels attacked the village.", "spans": []},  # no attack_types key
]


def test_token_tags_mark_b_then_i():
    tags = token_tags(np.array([[0, 6], [7, 13], [14, 17], [18, 24], [25, 33]]),
                      [{"start": 14, "end": 33, "label": "KILLED"}], {"O": 0, "B-KILLED": 1, "I-KILLED": 2})
    assert tags.tolist() == [0, 0, 1, 2, 2]


def test_features_and_collator_mask_missing_tasks(tiny_model, tiny_tokenizer):
    feats = build_features(DOCS, tiny_tokenizer, tiny_model.config)
    assert len(feats[1]["input_ids"]) > 1  # long document: several windows
    # documents without attack_types are not annotated for types (-100 everywhere)
    assert (feats[0]["type_labels"] >= 0).all() and (feats[1]["type_labels"] >= 0).all()
    assert (feats[2]["type_labels"] == -100).all()
    assert all((lab == 0).all() for lab in feats[1]["tag_allowed"])  # no spans key: no tag loss
    assert (feats[2]["tag_allowed"][0][1:-1] == 1).all()  # spans == []: every token may only be O (bit 0)
    batch = DocumentCollator(pad_id=0)(feats)
    n_windows = sum(len(f["input_ids"]) for f in feats)
    assert batch["input_ids"].shape[0] == n_windows == batch["window_doc"].shape[0]
    assert batch["window_doc"].tolist() == sorted(batch["window_doc"].tolist())
    assert batch["type_labels"].shape == (3, 3) and (batch["type_labels"] == -100).all(1).tolist() == [False, False, True]
    assert batch["type_groups"].shape == (3, 0, 3)
    # each document token is owned by exactly one window
    for d, f in enumerate(feats):
        owned = batch["owner_mask"][batch["window_doc"] == d].sum().item()
        assert owned == f["n_tokens"]
    out = tiny_model(**batch)
    assert out.type_logits.shape == (3, 3) and out.loss is not None and out.span_loss is not None


def test_label_maps_come_from_train_and_are_checked():
    labels = derive_labels(DOCS)
    assert labels.attack_types == ["armed attack", "bombing"]
    assert labels.span_labels == ["KILLED", "PERP_ORGANIZATION"]
    dev = [{"id": "z", "text": "x", "attack_types": ["arson"], "spans": [{"start": 0, "end": 1, "label": "WEAPON"}]}]
    with pytest.raises(CorpusError, match="'arson' never occurs in train"):
        derive_labels(DOCS, dev)
    with pytest.raises(ValueError, match="the model to fine-tune does not"):
        derive_labels(DOCS, model_labels=LabelSet(["bombing"], ["KILLED", "PERP_ORGANIZATION"]))
    # a saved model's label order is kept when the data fits it
    kept = derive_labels(DOCS, model_labels=LabelSet(["bombing", "armed attack", "arson"],
                                                     ["PERP_ORGANIZATION", "KILLED"]))
    assert kept.attack_types == ["bombing", "armed attack", "arson"]


def test_class_weights_favour_rare_types():
    docs = DOCS * 3 + [{"text": "x", "attack_types": []}] * 6 + [{"text": "y", "attack_types": ["bombing"]}] * 3
    # 15 labelled documents: armed attack 3 (12 negatives), bombing 6 (9 negatives)
    w = type_pos_weight(docs, ["armed attack", "bombing"], "sqrt")
    assert w == [2.0, pytest.approx(1.2247, abs=1e-4)]  # sqrt(12 / 3), sqrt(9 / 6): the rarer type weighs more
    assert type_pos_weight(docs, ["armed attack", "bombing"], "ratio") == [4.0, 1.5]
    # a type on most documents is not down-weighted below 1
    common = docs + [{"text": "z", "attack_types": ["bombing"]}] * 20  # bombing on 26 of 35
    assert type_pos_weight(common, ["armed attack", "bombing"], "sqrt") == [pytest.approx(3.266, abs=1e-3), 1.0]  # sqrt(32/3); 9/26 < 1
    assert type_pos_weight(DOCS, ["armed attack"], "none") is None
    assert summarize(DOCS)["labelled_for_types"] == 2
