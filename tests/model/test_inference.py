import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from incidex.model import Predictor, predict


@pytest.fixture(scope="module")
def predictor(saved_tiny):
    return Predictor(saved_tiny, batch_size=4)


def check_record(text, rec):
    json.dumps(rec)
    assert set(rec) == {"attack_types", "scores", "spans", "casualties", "actors", "entities", "windows"}
    prev_end = 0
    for span in rec["spans"]:
        assert text[span["start"]:span["end"]] == span["text"]
        assert span["start"] < span["end"] and span["text"] == span["text"].strip()
        assert span["start"] >= prev_end  # sorted, no overlaps
        prev_end = span["end"]
    for t in rec["attack_types"]:
        assert rec["scores"][t["label"]] == t["score"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=0, max_size=300))
def test_span_offsets_exact_on_any_text(predictor, text):
    check_record(text, predictor.predict(text))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["Gunmen", "killed", "3", "police", "officers", "in", "Zürich", "—", "😀", "\n\n",
                                 "l'armée", "ñandú", "İstanbul", "straße", "x" * 30]), min_size=1, max_size=200))
def test_offsets_exact_on_long_unicode_documents(predictor, words):
    text = " ".join(words)
    rec = predictor.predict(text)
    check_record(text, rec)


def test_long_document_uses_several_windows_and_batch_order_is_kept(predictor):
    texts = ["police killed " * 60, "a bomb", "rebels attacked the village " * 20, "two wounded"]
    recs = predictor.predict(texts)
    assert [r["windows"] for r in recs][0] > 3
    # each document alone gives the same record as in the batch (sorting by length does not mix them up)
    for text, rec in zip(texts, recs):
        assert predictor.predict(text) == rec


def test_windows_of_all_documents_are_batched_by_length(saved_tiny):
    texts = ["police killed " * 40, "a bomb", "rebels attacked the village " * 9, "two wounded", "gunmen " * 25]
    predictor = Predictor(saved_tiny, batch_size=3)
    calls = []
    run = predictor.backend.run

    def spy(ids, mask):
        calls.append(mask.sum(axis=1).tolist())  # real length of each window in this forward pass
        return run(ids, mask)

    predictor.backend.run = spy
    recs = predictor.predict(texts)
    lengths = [n for call in calls for n in call]
    assert len(lengths) == sum(r["windows"] for r in recs)  # every window runs exactly once
    assert lengths == sorted(lengths, reverse=True)  # longest first across documents, so little padding
    assert all(len(call) <= 3 for call in calls)
    # the same decisions as one window per forward pass
    single = Predictor(saved_tiny, batch_size=1).predict(texts)
    for a, b in zip(recs, single):
        assert [(s["start"], s["end"], s["label"]) for s in a["spans"]] == [
            (s["start"], s["end"], s["label"]) for s in b["spans"]]
        assert a["scores"] == pytest.approx(b["scores"], abs=1e-3)


def test_predict_function_and_model_method(saved_tiny, tiny_tokenizer):
    from incidex.model import EventExtractor

    rec = predict("Gunmen killed two police officers.", model=saved_tiny)
    assert isinstance(rec, dict)
    loaded = EventExtractor.from_pretrained(saved_tiny)
    assert loaded.predict(["Gunmen killed two police officers."], tokenizer=tiny_tokenizer) == [rec]


def test_thresholds_from_the_model_decide_the_types(saved_tiny):
    p = Predictor(saved_tiny)
    p.thresholds[:] = 0.0
    assert len(p.predict("a bomb")["attack_types"]) == 3
    p.thresholds[:] = 1.01
    assert p.predict("a bomb")["attack_types"] == []


def test_ray_style_batches(predictor):
    import numpy as np
    import pandas as pd

    out = predictor({"id": np.array(["a", "b"], dtype=object), "text": np.array(["a bomb", "police"], dtype=object)})
    assert len(out["prediction"]) == 2 and out["id"].tolist() == ["a", "b"]
    frame = predictor(pd.DataFrame({"text": ["a bomb", "police"]}))
    assert json.loads(frame["prediction"][0]) == predictor.predict("a bomb")


def test_a_report_of_no_attack_has_no_perpetrator_target_or_weapon(tiny_tokenizer):
    from tests.conftest import build_silent_tagger

    text = "A man was shot dead on Friday. Police arrested Phi Pham, 33, on Sunday."
    labels = ["KILLED", "WOUNDED", "PERP_INDIVIDUAL"]
    model = build_silent_tagger(tiny_tokenizer, span_labels=labels, type_thresholds=[1.01] * 3,  # no type reaches
                                actors_need_attack_type=True)
    rec = Predictor(model, tokenizer=tiny_tokenizer).predict(text)
    assert rec["attack_types"] == []
    assert ("PERP_INDIVIDUAL", "Phi Pham") in [(s["label"], s["text"]) for s in rec["spans"]]  # the mention stays
    assert rec["actors"]["perpetrators"] == [] and "perpetrator_individual" not in rec["entities"]
    assert rec["casualties"]["killed"]["count"] == 1  # "A man was shot dead": deaths are kept
    model.config.actors_need_attack_type = False
    rec = Predictor(model, tokenizer=tiny_tokenizer).predict(text)
    assert rec["actors"]["perpetrators"] == ["Phi Pham"]
    # a model without attack types never drops them
    model = build_silent_tagger(tiny_tokenizer, span_labels=labels, attack_types=[], actors_need_attack_type=True)
    assert Predictor(model, tokenizer=tiny_tokenizer).predict(text)["actors"]["perpetrators"] == ["Phi Pham"]
