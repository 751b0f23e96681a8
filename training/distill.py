"""Distillation: train a model on its gold tags and on the tag probabilities of trained teachers.

``training.teachers`` lists saved incidex models (directories, ONNX exports or Hugging Face ids). Before training,
:func:`add_teacher_probs` runs them once over the training windows, exactly as the student sees them, and stores
their mean tag distribution per token (``teacher_probs``, float16, in the student's tag order). The trainer then adds
``training.distill_weight`` x :func:`distill_loss` (the KL divergence from the teachers' distribution to the
student's, at ``training.distill_temperature``) to the tag loss. Several teachers give the student their ensemble in
one model: at inference it costs what any model of its size costs. Teachers must share the student's tokenizer and
know every tag the student has (the student's span labels); the attack-type head is trained on gold only.

Why: the mean tag probabilities of several trained models score above each of them (GRIT micro F1 on MUC-4 TST1+TST2),
and a student costs one model's inference. Measured (docs/results/grit.md, "A student of three" to "Six teachers"; ``metric:
grit_micro_f1``, KL weighed 2.0): a student of two to six teachers scores about its teachers' mean (52.73 against
52.62 for six, 51.29 against 51.34 for two) and 50.3-51.1 with thresholds chosen on the other half of the dev split
(``bench/grit_halves.py``), against 48.0-50.4 for students of one teacher and 45.99-49.28 for three plain ``configs/muc4.yaml`` models. A
teacher can be any model with the student's vocabulary (the check below); a larger encoder as teacher is untried (none is reachable in this workplace).

>>> feats = build_features(docs, tokenizer, model.config)  # doctest: +SKIP
>>> add_teacher_probs(feats, ["runs/muc4", "runs/news"], model.config.tags, tokenizer)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch


def teacher_tag_order(student_tags: Sequence[str], teacher_tags: Sequence[str], teacher: str) -> list[int]:
    """For each student tag, its column in the teacher's output; a tag the teacher lacks is an error.

    >>> teacher_tag_order(["O", "B-KILLED", "I-KILLED"], ["O", "I-KILLED", "B-KILLED", "B-X", "I-X"], "t")
    [0, 2, 1]
    """
    missing = [t for t in student_tags if t not in teacher_tags]
    if missing:
        raise ValueError(f"teacher {teacher}: has no tag {', '.join(missing)} (its tags: {', '.join(teacher_tags)}); "
                         "a teacher must know every span label of the student")
    return [list(teacher_tags).index(t) for t in student_tags]


def soften(logp: np.ndarray, temperature: float) -> np.ndarray:
    """Probabilities ``softmax(logp / temperature)`` over the last axis (``logp``: log-probabilities or logits).

    >>> soften(np.log(np.array([[0.8, 0.2]])), 1.0).round(3).tolist(), soften(np.log(np.array([[0.8, 0.2]])), 2.0).round(3).tolist()
    ([[0.8, 0.2]], [[0.667, 0.333]])
    """
    z = logp / temperature
    z = z - z.max(-1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(-1, keepdims=True)


class TeacherEnsemble:
    """Loaded teachers whose mean tag distribution comes in the student's tag order (``student_tags``).

    Each teacher must tokenize as ``tokenizer`` does (the same vocabulary; None: the first teacher's), else a
    ValueError names it. ``bench/grit_score.py --mean-with`` scores such a mean at inference, before a student is
    trained.
    """

    def __init__(self, teachers: Sequence[str], student_tags: Sequence[str], tokenizer: Any = None, *,
                 device: str = "auto", precision: str = "fp32"):
        from incidex.model.inference import load_backend

        if not teachers:
            raise ValueError("no teacher given")
        self.backends, self.columns = [], []
        for teacher in teachers:
            backend, teacher_tokenizer = load_backend(teacher, device, precision)
            tokenizer = tokenizer or teacher_tokenizer
            if teacher_tokenizer.get_vocab() != tokenizer.get_vocab():
                raise ValueError(f"teacher {teacher}: its tokenizer's vocabulary differs from the student's encoder's; "
                                 "a teacher must read the same token ids")
            self.backends.append(backend)
            self.columns.append(teacher_tag_order(student_tags, backend.config.tags, teacher))

    def probs(self, ids: np.ndarray, mask: np.ndarray, temperature: float = 1.0) -> np.ndarray:
        """(W, L) ids and attention mask -> (W, L, C) float32, the teachers' mean of ``softmax(logits / T)``."""
        total = None
        for backend, columns in zip(self.backends, self.columns, strict=True):
            p = soften(backend.run(ids, mask)[0][..., columns], temperature)  # renormalised over the student's tags
            total = p if total is None else total + p
        return total / len(self.backends)


def add_teacher_probs(features: list[dict[str, Any]], teachers: Sequence[str], student_tags: Sequence[str],
                      tokenizer: Any, *, temperature: float = 1.0, batch_size: int = 32, device: str = "auto",
                      precision: str = "fp32") -> None:
    """Give every feature ``teacher_probs``: per window, ``(L_w, C)`` float16, the teachers' mean tag distribution.

    ``features``: :func:`training.features.build_features` output (each a document: ``input_ids``, a list of
    windows); ``student_tags``: the student's tags in id order; ``teachers``: model directories (see
    :class:`TeacherEnsemble`).
    """
    from incidex.model.windows import pad_windows

    ensemble = TeacherEnsemble(teachers, student_tags, tokenizer, device=device, precision=precision)
    windows = [ids for f in features for ids in f["input_ids"]]
    out: list[np.ndarray] = [None] * len(windows)  # type: ignore[list-item]
    order = sorted(range(len(windows)), key=lambda i: -len(windows[i]))  # similar lengths batched, little padding
    for i in range(0, len(order), batch_size):
        batch = order[i : i + batch_size]
        ids, mask = pad_windows([windows[w] for w in batch], tokenizer.pad_token_id or 0)
        probs = ensemble.probs(ids, mask, temperature)
        for j, w in enumerate(batch):
            out[w] = probs[j, : len(windows[w])].astype(np.float16)
    k = 0
    for f in features:
        n = len(f["input_ids"])
        f["teacher_probs"] = out[k : k + n]
        k += n


def distill_loss(tag_logits: torch.Tensor, teacher_probs: torch.Tensor, mask: torch.Tensor,
                 temperature: float = 1.0) -> torch.Tensor | None:
    """``temperature**2`` x the mean over ``mask``ed tokens of KL(teacher || student at ``temperature``).

    tag_logits: (W, L, C) the student's; teacher_probs: (W, L, C); mask: (W, L) bool, the tokens to learn from.
    None when no token is masked. Zero where the student's distribution is the teacher's.

    >>> logits = torch.log(torch.tensor([[[0.7, 0.2, 0.1]]]))
    >>> round(distill_loss(logits, torch.tensor([[[0.7, 0.2, 0.1]]]), torch.tensor([[True]])).item(), 6)
    0.0
    >>> round(distill_loss(logits, torch.tensor([[[0.1, 0.2, 0.7]]]), torch.tensor([[True]])).item(), 3)
    1.168
    """
    if not bool(mask.any()):
        return None
    log_student = torch.log_softmax(tag_logits.float()[mask] / temperature, dim=-1)  # (N, C)
    p = teacher_probs.float()[mask]  # (N, C)
    p = p / p.sum(-1, keepdim=True).clamp_min(1e-8)  # float16 storage rounds the sums
    kl = (p * (torch.log(p.clamp_min(1e-8)) - log_student)).sum(-1)  # (N,)
    return kl.mean() * temperature**2
