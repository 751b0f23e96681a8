from incidex.training import thresholds
from incidex.training.thresholds import tune_thresholds

from tests.conftest import run_doctests


def test_thresholds_doctests():
    """The examples of tune_thresholds (pooled against the mean over corpora) and dev_thresholds."""
    run_doctests(thresholds, verbose=False)


def test_thresholds_tuned_per_label():
    docs = [{"attack_types": ["a"]}, {"attack_types": []}, {"attack_types": ["a"]}, {"attack_types": []}]
    recs = [{"scores": {"a": s, "b": 0.1}} for s in (0.3, 0.1, 0.35, 0.2)]
    th = tune_thresholds(recs, docs, ["a", "b"])
    assert 0.2 < th[0] <= 0.3  # separates 0.3/0.35 from 0.1/0.2
    assert th[1] == 0.5  # never occurs: default
    # F1 0.8 for every threshold in 0.15..0.6: the tie goes to the one nearest 0.5, not the first of the grid
    tied = [{"scores": {"a": s}} for s in (0.95, 0.85, 0.6, 0.1)]
    assert tune_thresholds(tied, [{"attack_types": t} for t in (["a"], [], ["a"], [])], ["a"]) == [0.5]
