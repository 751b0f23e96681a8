import doctest

from incidex.training import thresholds
from incidex.training.thresholds import tune_thresholds


def test_thresholds_doctests():
    """The module's examples: tie goes to 0.5, corpora weighed by their mean, dev_thresholds' two results."""
    assert doctest.testmod(thresholds, verbose=False).failed == 0


def test_thresholds_tuned_per_label():
    docs = [{"attack_types": ["a"]}, {"attack_types": []}, {"attack_types": ["a"]}, {"attack_types": []}]
    recs = [{"scores": {"a": s, "b": 0.1}} for s in (0.3, 0.1, 0.35, 0.2)]
    th = tune_thresholds(recs, docs, ["a", "b"])
    assert 0.2 < th[0] <= 0.3  # separates 0.3/0.35 from 0.1/0.2
    assert th[1] == 0.5  # never occurs: default


def test_thresholds_tuned_on_the_mean_over_corpora():
    # corpus 0: one positive at 0.95 and three negatives at 0.85; corpus 1: a positive at 0.6, a negative at 0.1
    docs = [{"attack_types": t} for t in (["a"], [], [], [], ["a"], [])]
    recs = [{"scores": {"a": s}} for s in (0.95, 0.85, 0.85, 0.85, 0.6, 0.1)]
    assert tune_thresholds(recs, docs, ["a"]) == [0.9]  # pooled: corpus 0's negatives set it, corpus 1 loses
    assert tune_thresholds(recs, docs, ["a"], groups=[0, 0, 0, 0, 1, 1]) == [0.5]  # mean F1 0.7 vs 0.5 at 0.9
