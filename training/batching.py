"""Training batches by a window budget: a step holds at most ``max_windows`` windows, not N documents.

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

``training.group_by_length: true`` keeps ``batch_size`` documents a step but puts documents of similar length
(tokens over all their windows) in one step (:class:`LengthGroupedSampler`), so that a batch of one-sentence
documents is not padded to the 256 tokens of a long report's windows. In a mix of corpora this is most of the
cost: computed from the real features and samplers of ``configs/news.yaml``, padded tokens per run fall
from 2.0x to 1.24x those of ``muc4.yaml``. But batches of one length are batches of one corpus, and on
``news.yaml`` (batches of 8, 2026-12-02) the model had learned nothing after one epoch: every dev score 0,
training loss about 1.0 where random batches reach 0.4 (likely cause: with Adam, each of the ~350 batches
an epoch made only of M2E2 sentences without an attack moves the heads as far as an informative one). So
``news.yaml`` does not use it; it suits a corpus of one kind.
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

    ``draw``: the document indices of one epoch (e.g. a :class:`training.trainer.CorpusSampler` pass); all
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


class LengthGroupedSampler(torch.utils.data.Sampler):
    """Document indices in an order whose consecutive ``batch_size`` runs have similar ``lengths``.

    As ``TrainingArguments.group_by_length`` does it: the epoch's order (``base``'s draw, e.g. a
    :class:`training.trainer.CorpusSampler`, else a permutation) is cut into megabatches of ``megabatch x
    batch_size`` documents, each sorted longest first, and the megabatch holding the longest document comes
    first (an out-of-memory shows at step 1). Unlike the stock one, ``lengths`` are ours (tokens over all the
    windows of a document) and the draw of a weighted corpus mix is kept.

    >>> order = list(LengthGroupedSampler([5, 300, 7, 290, 6, 8], batch_size=2, seed=0))
    >>> [sorted(order[k:k + 2]) for k in range(0, 6, 2)]
    [[1, 3], [2, 5], [0, 4]]
    """

    def __init__(self, lengths: Sequence[int], batch_size: int, seed: int,
                 base: torch.utils.data.Sampler | None = None, megabatch: int = 50):
        if batch_size < 1 or megabatch < 1:
            raise ValueError(f"batch_size and megabatch must be >= 1, got {batch_size}, {megabatch}")
        self.lengths = list(lengths)
        self.batch_size = batch_size
        self.seed = seed
        self.base = base
        self.megabatch = megabatch
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch
        if self.base is not None and hasattr(self.base, "set_epoch"):
            self.base.set_epoch(epoch)

    def __len__(self) -> int:
        return len(self.base) if self.base is not None else len(self.lengths)

    def __iter__(self) -> Iterator[int]:
        rng = np.random.default_rng([self.seed, self.epoch, 11])
        self.epoch += 1
        order = [int(i) for i in (self.base if self.base is not None else rng.permutation(len(self.lengths)))]
        size = self.megabatch * self.batch_size
        megas = [sorted(order[k:k + size], key=lambda i: -self.lengths[i]) for k in range(0, len(order), size)]
        if megas:
            top = max(range(len(megas)), key=lambda m: self.lengths[megas[m][0]])
            megas[0], megas[top] = megas[top], megas[0]
        return iter([i for m in megas for i in m])
