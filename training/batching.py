"""Training batches: by a window budget, and corpora drawn by weight (:class:`CorpusSampler`).

Batches by a window budget: a step holds at most ``max_windows`` windows, not N documents.

``training.batch_size`` counts documents, but a step runs every window of every document in it: eight long
reports can make a step of 300 windows (out of memory on a GPU, tenfold swings in step time). With
``training.max_windows_per_step: N``, :class:`WindowBudgetBatchSampler` packs documents of similar length
into steps of at most N windows (first fit, longest first, ties shuffled each epoch; the order of the steps is
shuffled too). A document with more than N windows gets a step of its own, and :class:`DocumentCollator`
(``max_windows``) runs only N of its windows with gradients: the others run without a graph (no stored
activations), still pool into the document's attack type, and give no span loss that step (a fresh random
subset each time the document comes round).

>>> sampler = WindowBudgetBatchSampler([1, 3, 2, 8, 1], max_windows=4, seed=0)
>>> sorted(sorted(b) for b in sampler)
[[0, 2], [1, 4], [3]]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import numpy as np
import torch


def pack(n_windows: Sequence[int], order: Sequence[int], max_windows: int) -> list[list[int]]:
    """First-fit-decreasing packing of documents ``order`` (indices) into steps of <= ``max_windows`` windows.

    >>> pack([1, 3, 2, 8, 1], [0, 1, 2, 3, 4], 4)
    [[3], [1, 0], [2, 4]]
    """
    bins: list[list[int]] = []
    room: list[int] = []
    for i in sorted(order, key=lambda k: -n_windows[k]):  # stable: ties keep the (shuffled) input order
        need = n_windows[i]
        for b, free in enumerate(room):
            if need <= free:
                bins[b].append(i)
                room[b] -= need
                break
        else:
            bins.append([i])
            room.append(max(max_windows - need, 0))
    return bins


class WindowBudgetBatchSampler(torch.utils.data.Sampler):
    """Steps of at most ``max_windows`` windows (see the module docstring).

    ``draw``: the document indices of one epoch (e.g. a :class:`CorpusSampler` pass); all
    documents by default. The number of steps is fixed from the first packing, so that the Trainer's schedule
    holds: an epoch whose packing comes out longer drops its last steps, a shorter one ends early.
    """

    def __init__(self, n_windows: Sequence[int], max_windows: int, seed: int,
                 draw: Callable[[], Sequence[int]] | None = None):
        if max_windows < 1:
            raise ValueError(f"max_windows must be >= 1, got {max_windows}")
        self.n_windows = list(n_windows)
        self.max_windows = max_windows
        self.seed = seed
        self.epoch = 0
        self.draw = draw or (lambda: range(len(self.n_windows)))
        self.n_batches = len(pack(self.n_windows, list(self.draw()), max_windows))

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def __len__(self) -> int:
        return self.n_batches

    def __iter__(self) -> Iterator[list[int]]:
        rng = np.random.default_rng([self.seed, self.epoch, 7])
        self.epoch += 1
        order = [int(i) for i in rng.permutation(list(self.draw()))]
        batches = pack(self.n_windows, order, self.max_windows)
        for k in rng.permutation(len(batches))[: self.n_batches]:
            yield batches[int(k)]


def grad_window_mask(n_windows: int, max_windows: int, rng: np.random.Generator) -> np.ndarray:
    """(W,) bool: which windows of a step run with gradients (all when within the budget)."""
    keep = np.ones(n_windows, dtype=bool)
    if max_windows and n_windows > max_windows:
        keep[:] = False
        keep[rng.choice(n_windows, max_windows, replace=False)] = True
    return keep


class CorpusSampler(torch.utils.data.Sampler):
    """Each epoch, draw ``weight x size`` documents of every corpus (a fresh subset when weight < 1, whole
    copies plus a random remainder when > 1), shuffled together; deterministic given the seed and epoch."""

    def __init__(self, corpus_of: list[int], weights: list[float], seed: int):
        self.members = [np.flatnonzero(np.array(corpus_of) == c) for c in range(len(weights))]
        self.weights = weights
        self.seed = seed
        self.epoch = 0
        self.sizes = [int(round(w * len(m))) for w, m in zip(weights, self.members)]

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def __len__(self) -> int:
        return sum(self.sizes)

    def __iter__(self) -> Iterator[int]:
        rng = np.random.default_rng([self.seed, self.epoch])
        self.epoch += 1  # a new draw next time even if nobody calls set_epoch
        picked = []
        for members, size in zip(self.members, self.sizes):
            whole, rest = divmod(size, max(len(members), 1))
            picked += [members] * whole + [rng.choice(members, rest, replace=False)] if len(members) else []
        order = np.concatenate(picked) if picked else np.array([], dtype=int)
        return iter(rng.permutation(order).tolist())
