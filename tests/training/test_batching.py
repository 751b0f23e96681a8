"""Length-grouped document batches (training.group_by_length)."""

import numpy as np
from incidex.training.batching import LengthGroupedSampler
from incidex.training.trainer import CorpusSampler


def _padded_tokens(order: list[int], lengths: list[int], batch_size: int) -> int:
    batches = [order[k:k + batch_size] for k in range(0, len(order), batch_size)]
    return sum(len(b) * max(lengths[i] for i in b) for b in batches)


def test_each_epoch_is_the_base_draw_reordered_with_far_less_padding():
    rng = np.random.default_rng(0)
    # a mix like configs/news.yaml: many one-sentence documents, some long reports
    lengths = [int(x) for x in np.concatenate([rng.integers(10, 60, 300), rng.integers(200, 1500, 60)])]
    base = CorpusSampler([0] * 300 + [1] * 60, [0.5, 1.0], seed=1)
    grouped = LengthGroupedSampler(lengths, batch_size=4, seed=1, base=CorpusSampler([0] * 300 + [1] * 60, [0.5, 1.0], seed=1))
    for _ in range(2):
        drawn, order = list(base), list(grouped)
        assert sorted(order) == sorted(drawn) and len(order) == len(grouped) == 210
        assert _padded_tokens(order, lengths, 4) < 0.6 * _padded_tokens(drawn, lengths, 4)
    assert max(lengths[i] for i in order[:4]) == max(lengths[i] for i in order)  # the longest batch first


def test_deterministic_per_seed_and_epoch_and_every_document_without_base():
    lengths = list(range(1, 41))
    a, b = LengthGroupedSampler(lengths, 4, seed=7, megabatch=2), LengthGroupedSampler(lengths, 4, seed=7, megabatch=2)
    first, second = list(a), list(a)
    assert first == list(b) and sorted(first) == list(range(40))
    assert first != second  # a fresh order each epoch
    # within a megabatch (2 x 4 documents), batches come longest first
    assert all(lengths[first[k]] >= lengths[first[k + 1]] for k in range(8, 15))
