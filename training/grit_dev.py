"""GRIT's role-filler score (``eval/grit.py``, as GRIT's ``eval.py``) of a MUC-4 dev split, for training and evaluation.

A corpus read from the MUC-4 distribution with ``dev_sets: [tst1, tst2]`` has GRIT's gold for exactly those
documents beside it (``processed_grit/dev.json``). :func:`grit_scorer` turns that into a function of
(dev documents, prediction records) that the trainer calls at every evaluation, so ``training.metric:
grit_micro_f1`` selects the checkpoint (and stops early) on the score the README reports, and that
``incidex evaluate-config`` prints. Victims are scored as named victims only, with the name filter fitted on
the corpus's *training* keys (``eval/grit_names.py``).

>>> from incidex.training.config import CorpusConfig
>>> grit_scorer(CorpusConfig(name="sample", format="jsonl"), {"KILLED": "killed"}) is None
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

GritScorer = Callable[[Sequence[Mapping[str, Any]], Sequence[Mapping[str, Any]]], dict[str, Any]]


def grit_gold_for(corpus_cfg: Any) -> Path | None:
    """GRIT's processed gold (``processed_grit/dev.json``) beside a MUC-4 distribution, when it is there."""
    if corpus_cfg.format != "muc4" or not corpus_cfg.path or sorted(corpus_cfg.dev_sets) != ["tst1", "tst2"]:
        return None
    path = Path(corpus_cfg.path).resolve().parents[2] / "processed_grit" / "dev.json"
    return path if path.is_file() else None


def grit_scorer(corpus_cfg: Any, role_of_label: Mapping[str, str]) -> GritScorer | None:
    """``score(docs, records)`` -> :func:`eval.grit.score_grit`'s result over the documents GRIT's gold has,
    or None when the corpus has no GRIT gold. ``role_of_label``: the model's span label -> role
    (``EventExtractorConfig.role_of_label``); labels of no GRIT role are not scored.
    """
    gold_path = grit_gold_for(corpus_cfg)
    if gold_path is None:
        return None
    from incidex.eval.grit import GRIT_ROLE_OF_SPAN_ROLE, load_grit_gold, records_to_grit, score_grit
    from incidex.eval.grit_names import muc4_name_filter

    gold = load_grit_gold(gold_path)
    names = muc4_name_filter(corpus_cfg.path, corpus_cfg.train_sets or ["dev"])  # training keys only
    roles = {label: GRIT_ROLE_OF_SPAN_ROLE[role] for label, role in role_of_label.items()
             if role in GRIT_ROLE_OF_SPAN_ROLE}

    def score(docs: Sequence[Mapping[str, Any]], records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
        by_id = {str(d["id"]): r for d, r in zip(docs, records, strict=True)}
        docids = [i for i in by_id if i in gold]
        grit = score_grit(records_to_grit([by_id[i] for i in docids], docids, roles, choose=names.choose),
                          gold, docids)
        grit["scored_as"] = "one canonical text per entity; named victims only (eval/grit_names.py)"
        return grit

    return score
