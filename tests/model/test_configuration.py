import pytest
from incidex.model import EventExtractorConfig

from tests.conftest import tiny_encoder_config


def make_config(**kwargs):
    return EventExtractorConfig(encoder_config=tiny_encoder_config(50).to_dict(),
                                attack_types=["arson", "bombing"], span_labels=["KILLED", "WEAPON"], **kwargs)


def test_type_thresholds_of_the_wrong_length_are_an_error():
    with pytest.raises(ValueError, match="type_thresholds has 3 values but there are 2 attack_types"):
        make_config(type_thresholds=[0.3, 0.4, 0.5])
    assert make_config(type_thresholds=[0.3, 0.7]).type_thresholds == [0.3, 0.7]
    assert make_config().type_thresholds == [0.5, 0.5]


def test_span_thresholds_are_checked_and_saved(tmp_path):
    with pytest.raises(ValueError, match=r"not span_labels: \['VICTIM'\]"):
        make_config(span_thresholds={"VICTIM": 0.5})
    assert make_config().span_thresholds is None
    make_config(span_thresholds={"KILLED": 0.6}).save_pretrained(tmp_path)
    assert EventExtractorConfig.from_pretrained(tmp_path).span_thresholds == {"KILLED": 0.6}


def test_predictor_applies_span_thresholds(tiny_tokenizer):
    from incidex.model import Predictor

    from tests.conftest import build_tiny_model

    # no word of a death and cues off: the post-processing that reads the whole report (stated casualties, the
    # unsupported-wounded drop) does not depend on which spans the thresholds leave, which is what this test is about
    text = "gunmen attacked three soldiers and two civilians at the market in the town . " * 3
    plain = Predictor(build_tiny_model(tiny_tokenizer, seed=3, casualty_cues=False), tokenizer=tiny_tokenizer,
                      device="cpu")
    spans = plain.predict(text)["spans"]
    assert spans, "the random model tags something to filter"
    cut = sorted(s["score"] for s in spans)[len(spans) // 2]
    labels = ["KILLED", "WOUNDED", "PERP_ORGANIZATION"]
    strict = Predictor(build_tiny_model(tiny_tokenizer, seed=3, casualty_cues=False,
                                        span_thresholds=dict.fromkeys(labels, cut)),
                       tokenizer=tiny_tokenizer, device="cpu")
    kept = [s for s in spans if s["score"] >= cut]
    assert 0 < len(kept) < len(spans)
    assert strict.predict(text)["spans"] == kept
