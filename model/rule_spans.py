"""Spans that rules add beside the tagger's, scored by the tagger: :func:`fill_spans` (one implementation for every
rule), :func:`add_stated_casualties` (``model.stated``'s casualty phrases) and :func:`casualty_scores`.

>>> text = "Two women were fatally shot."
>>> [s["text"] for s in add_stated_casualties([], text, [(0, 9, "killed")], {"killed": "KILLED"})]
['Two women']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from .decoding import bio_tag_ids, casualty_mass


def casualty_scores(logp: np.ndarray, offsets: np.ndarray, tags: Sequence[str], labels: Sequence[str],
                    ) -> Callable[[int, int], float]:
    """``score(start, end)``: the tagger's probability that the tokens of ``text[start:end]`` are a casualty
    phrase of any of ``labels`` (B- of the labels summed on the first token, I- on the rest, averaged), as
    ``relabel_by_cues`` scores a relabelled segment. ``logp`` (N, T), ``offsets`` (N, 2) character offsets.

    >>> tags = ["O", "B-KILLED", "I-KILLED"]
    >>> logp = np.log(np.array([[.9, .05, .05], [.8, .15, .05], [.7, .1, .2]]))
    >>> round(casualty_scores(logp, np.array([[0, 3], [4, 7], [8, 13]]), tags, ["KILLED"])(4, 13), 3)
    0.175
    """
    b_ids, i_ids = bio_tag_ids({t: k for k, t in enumerate(tags)}, labels)
    offsets = np.asarray(offsets).reshape(-1, 2)

    def score(start: int, end: int) -> float:
        inside = np.flatnonzero((offsets[:, 0] >= start) & (offsets[:, 1] <= end) & (offsets[:, 1] > offsets[:, 0]))
        if not len(inside) or not b_ids:
            return 0.0
        return float(casualty_mass(logp[inside], b_ids, i_ids).mean())

    return score


def fill_spans(spans: list[dict], text: str, candidates: Iterable[tuple[int, int, str]],
               score: Callable[[int, int], float] | None = None, replaceable: Iterable[str] = ()) -> list[dict]:
    """``spans`` with each ``(start, end, label)`` of ``candidates`` added in order, scored by ``score(start, end)``
    (None: 0.0), where it overlaps no span or only spans with a label of ``replaceable`` (which it replaces): how every
    rule adds spans beside the tagger's. ``spans`` itself when nothing is added.

    >>> text = "Police arrested Phi Pham, 33."
    >>> cut = [{"label": "PERP", "text": "Phi", "start": 16, "end": 19, "score": 0.7}]
    >>> [s["text"] for s in fill_spans(cut, text, [(16, 24, "PERP")])], [s["text"] for s in
    ...  fill_spans(cut, text, [(16, 24, "PERP")], replaceable=["PERP"])]
    (['Phi'], ['Phi Pham'])
    """
    replaceable = set(replaceable)
    added: list[dict] = []
    for start, end, label in candidates:
        if text[start:end].strip() != text[start:end]:
            continue
        over = [s for s in spans + added if s["start"] < end and start < s["end"]]
        if any(s["label"] not in replaceable for s in over):
            continue
        spans = [s for s in spans if s not in over]
        added = [s for s in added if s not in over]
        added.append({"label": label, "text": text[start:end], "start": start, "end": end,
                      "score": round(score(start, end), 4) if score is not None else 0.0})
    return sorted(spans + added, key=lambda s: s["start"]) if added else spans


def add_stated_casualties(spans: list[dict], text: str, found: Sequence[tuple[int, int, str]],
                          labels: Mapping[str, str], score: Callable[[int, int], float] | None = None,
                          overall: Sequence[tuple[int, int, str]] = (), replaceable: Iterable[str] = (),
                          present: Iterable[str] | None = None) -> list[dict]:
    """``spans`` with the casualty phrases the tagger missed: for each kind of ``labels`` (kind -> span label)
    of which ``spans`` hold no span at all (``present``: the labels the record will keep, when the caller knows that
    some of ``spans`` will be dropped), every phrase of that kind in ``found`` (``(start, end, kind)``,
    ``model.stated.stated_casualties``: "[two women] were fatally shot") is added as a span of the kind's label
    (:func:`fill_spans`, scored by ``casualty_scores``): the rule only fills a silence. The phrases of ``overall``
    (``model.stated.stated_figures``: "the death toll rose to [17]") are added whatever the tagger found: the counts
    read a stated toll as the total. A phrase of ``found`` replaces spans of a ``replaceable`` label (the perpetrator
    labels: "[a 32-year-old man] with a gunshot wound ... he later died" is no shooter; 2026-12-06, GVDB predicted
    again, quickstart seeds 42 / 43 / 44: GVDB-310 killed exact +1 / +0 / +1 of 159, wounded +6 / +1 / +2 of 109,
    held-out wounded +3 / +0 / +0 of 38, nothing lost, false alarms unchanged).

    >>> text = "Two women were fatally shot. Police arrested a man."
    >>> [s["text"] for s in add_stated_casualties([], text, [(0, 9, "killed")], {"killed": "KILLED"})]
    ['Two women']
    >>> tagged = [{"label": "KILLED", "text": "women", "start": 4, "end": 9, "score": 0.9}]
    >>> add_stated_casualties(tagged, text, [(0, 9, "killed")], {"killed": "KILLED"}) == tagged
    True
    """
    kept = {s["label"] for s in spans} if present is None else set(present)
    missing = {kind: label for kind, label in labels.items() if label not in kept}
    spans = fill_spans(spans, text, [(start, end, labels[kind]) for start, end, kind in overall if kind in labels], score)
    return fill_spans(spans, text, [(start, end, missing[kind]) for start, end, kind in found if kind in missing], score,
                      replaceable)
