"""Metrics for incidex: attack types, spans, MUC-4 role fillers and casualty counts.

Every function here is pure: it takes gold annotations and predictions (plain lists and dicts, see
``docs/FORMAT.md`` for gold documents) and returns a JSON-ready dict of numbers. ``evaluate`` puts
them together into the nested ``metrics.json`` dict.

Decisions (kept here so that reports can cite them):

* **Macro F1 (attack types)** is the mean of per-label F1 over *all* given labels, as scikit-learn's
  ``average="macro"`` with ``zero_division=0``: a label with neither support nor predictions scores
  F1 = 0 and still counts. (Counts are taken directly rather than through scikit-learn, which reads a
  one-label indicator matrix as a binary target and would then score the absent class.)
  Labels found in gold or predictions but missing from ``labels`` are dropped (listed under
  ``ignored_labels``); a document left with no label then counts as "no attack".
* **Macro F1 (MUC roles)** is the mean of role F1 over the roles that have gold entities or
  predicted fillers somewhere in the evaluated set (0.0 when none has).
* **Filler normalisation** follows the GRIT/GTT scorer (SQuAD-style ``normalize_string``): lower-case,
  remove punctuation (ASCII ``string.punctuation`` and every Unicode punctuation character, so curly
  quotes go too), remove the words "a", "an", "the", collapse whitespace. Filler matching is then exact
  string equality, and gold entities are matched one-to-one by a maximum bipartite matching, which is
  what GTT's CEAF with ``phi_strict`` and one-mention predicted entities computes.
* **Casualty point estimate**: ``count`` when the model gave one, else ``min`` (an "at least N"
  phrase), else ``max``, else 0 (no number found = no casualties reported). ``*_answered`` is the
  share of documents where the model gave a number at all. Counts are scored on documents whose gold is
  > 0 (exact, within range, MAE) and, separately, as a false-alarm rate on documents whose gold is 0;
  the old figures pooled over both are kept under ``pooled`` only.
* **Confusion** over documents: the empty label set is the class ``"none"``; a document adds one count
  for every (gold label, predicted label) pair of its two sets.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from incidex.model import roles as _roles

NONE_LABEL = "none"
MUC_ROLES: tuple[str, ...] = _roles.MUC_ROLES

#: Span label -> MUC-4 role (docs/FORMAT.md, "Span labels used by the bundled corpora").
#: Span labels not in this table take no part in the role-filler score.
MUC_ROLE_OF_LABEL: dict[str, str] = {label: _roles.MUC_ROLE_OF_SPAN_ROLE[role]
                                     for label, role in _roles.DEFAULT_SPAN_ROLES.items()}

_ARTICLES = re.compile(r"\b(a|an|the)\b", re.UNICODE)
_ASCII_PUNCT = frozenset(string.punctuation)


def _prf(correct: float, n_pred: float, n_gold: float) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts; 0.0 wherever a denominator is 0.

    >>> _prf(1, 2, 4)
    (0.5, 0.25, 0.3333333333333333)
    """
    p = correct / n_pred if n_pred else 0.0
    r = correct / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return float(p), float(r), float(f)


def _check_lengths(a: Sequence[Any], b: Sequence[Any], what: str) -> None:
    if len(a) != len(b):
        raise ValueError(f"{what}: {len(a)} gold documents but {len(b)} predictions")


# --------------------------------------------------------------------------------------- attack types


def attack_type_metrics(gold: list[list[str]], pred: list[list[str]], labels: list[str]) -> dict[str, Any]:
    """Multi-label attack-type scores over documents.

    Returns ``per_label`` ({label: {p, r, f1, support, n_pred}}), ``micro`` and ``macro`` ({p, r, f1}),
    the flat ``micro_f1``/``macro_f1``, ``samples_f1`` (mean per-document F1, 1.0 for gold [] and
    pred []), ``exact_match``, ``no_attack`` (the empty set as a class: accuracy, p, r, f1, support),
    ``confusion`` ({"labels": labels + ["none"], "counts": {gold: {pred: n}}}), ``labels``, ``n`` and
    ``ignored_labels``.

    >>> m = attack_type_metrics([["bombing"], []], [["bombing"], ["arson"]], ["arson", "bombing"])
    >>> m["micro_f1"], m["macro_f1"], m["samples_f1"], m["exact_match"]
    (0.6666666666666666, 0.5, 0.5, 0.5)
    >>> m["confusion"]["counts"]["none"]["arson"]
    1
    """
    _check_lengths(gold, pred, "attack_type_metrics")
    if not gold:
        raise ValueError("attack_type_metrics: no documents")
    label_list = list(dict.fromkeys(labels))
    if not label_list:
        raise ValueError("attack_type_metrics: empty label list")
    if NONE_LABEL in label_list:
        raise ValueError(f"attack_type_metrics: {NONE_LABEL!r} is reserved for the empty label set")
    known = set(label_list)
    ignored = sorted({lab for doc in (*gold, *pred) for lab in doc} - known)
    g_sets = [{lab for lab in doc if lab in known} for doc in gold]
    p_sets = [{lab for lab in doc if lab in known} for doc in pred]

    counts = {
        lab: (
            sum(lab in g and lab in s for g, s in zip(g_sets, p_sets, strict=True)),
            sum(lab in s for s in p_sets),
            sum(lab in g for g in g_sets),
        )
        for lab in label_list
    }  # label -> (true positives, predicted, gold)
    per_label = {}
    for lab, (tp, n_pred, support) in counts.items():
        p, r, f = _prf(tp, n_pred, support)
        per_label[lab] = {"p": p, "r": r, "f1": f, "support": support, "n_pred": n_pred}
    mp, mr, mf = _prf(*(sum(c[i] for c in counts.values()) for i in range(3)))
    averages = {
        "micro": {"p": mp, "r": mr, "f1": mf},
        "macro": {k: sum(v[k] for v in per_label.values()) / len(per_label) for k in ("p", "r", "f1")},
    }

    samples = [
        1.0 if not g and not s else 2 * len(g & s) / (len(g) + len(s))
        for g, s in zip(g_sets, p_sets, strict=True)
    ]
    n = len(g_sets)

    gold_none = [not g for g in g_sets]
    pred_none = [not s for s in p_sets]
    tp_none = sum(g and s for g, s in zip(gold_none, pred_none, strict=True))
    np_, nr_, nf_ = _prf(tp_none, sum(pred_none), sum(gold_none))
    no_attack = {
        "accuracy": sum(g == s for g, s in zip(gold_none, pred_none, strict=True)) / n,
        "p": np_,
        "r": nr_,
        "f1": nf_,
        "support": int(sum(gold_none)),
    }

    conf_labels = [*label_list, NONE_LABEL]
    counts = {g: {s: 0 for s in conf_labels} for g in conf_labels}
    for g, s in zip(g_sets, p_sets, strict=True):
        for gl in g or {NONE_LABEL}:
            for pl in s or {NONE_LABEL}:
                counts[gl][pl] += 1

    return {
        "n": n,
        "labels": label_list,
        "per_label": per_label,
        "micro": averages["micro"],
        "macro": averages["macro"],
        "micro_f1": averages["micro"]["f1"],
        "macro_f1": averages["macro"]["f1"],
        "samples_f1": sum(samples) / n,
        "exact_match": sum(g == s for g, s in zip(g_sets, p_sets, strict=True)) / n,
        "no_attack": no_attack,
        "confusion": {"labels": conf_labels, "counts": counts},
        "ignored_labels": ignored,
    }


# ---------------------------------------------------------------------------------------------- spans


def _span_key(span: Mapping[str, Any]) -> tuple[int, int, str]:
    return int(span["start"]), int(span["end"]), str(span["label"])


def _partial_matches(
    gold: Sequence[tuple[int, int, str]], pred: Sequence[tuple[int, int, str]]
) -> list[tuple[int, int]]:
    """Greedy one-to-one matching of same-label overlapping spans, largest overlap first.

    Returns (gold index, pred index) pairs; ties go to the earlier gold, then the earlier prediction.

    >>> _partial_matches([(0, 10, "A"), (12, 20, "A")], [(5, 15, "A"), (0, 3, "B")])
    [(0, 0)]
    """
    candidates = []
    for gi, (gs, ge, gl) in enumerate(gold):
        for pi, (ps, pe, pl) in enumerate(pred):
            overlap = min(ge, pe) - max(gs, ps)
            if gl == pl and overlap > 0:
                candidates.append((-overlap, gi, pi))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


def _summarise_counts(counts: Mapping[str, list[int]]) -> dict[str, Any]:
    """{label: [correct, n_pred, n_gold]} -> per_label, micro, micro_f1, macro_f1."""
    per_label = {}
    for lab in sorted(counts):
        c, npred, ngold = counts[lab]
        p, r, f = _prf(c, npred, ngold)
        per_label[lab] = {"p": p, "r": r, "f1": f, "support": ngold, "n_pred": npred}
    tot = [sum(v[i] for v in counts.values()) for i in range(3)]
    mp, mr, mf = _prf(*tot)
    macro = sum(v["f1"] for v in per_label.values()) / len(per_label) if per_label else 0.0
    return {"per_label": per_label, "micro": {"p": mp, "r": mr, "f1": mf}, "micro_f1": mf, "macro_f1": macro}


def span_metrics(gold: list[list[dict]], pred: list[list[dict]]) -> dict[str, Any]:
    """Strict and partial span P/R/F1 per label and micro-averaged.

    Strict: same (start, end, label). Partial: same label and overlapping characters, each gold and each
    predicted span used at most once, pairs taken greedily by largest overlap. Duplicate spans (same
    start, end and label) in one document count once; ``macro_f1`` averages over the labels seen.

    >>> g = [[{"start": 0, "end": 5, "label": "WEAPON"}]]
    >>> p = [[{"start": 0, "end": 5, "label": "WEAPON"}, {"start": 7, "end": 9, "label": "KILLED"}]]
    >>> m = span_metrics(g, p)
    >>> m["strict"]["micro_f1"], m["strict"]["per_label"]["KILLED"]["p"]
    (0.6666666666666666, 0.0)
    """
    _check_lengths(gold, pred, "span_metrics")
    strict: dict[str, list[int]] = {}
    partial: dict[str, list[int]] = {}
    for g_doc, p_doc in zip(gold, pred, strict=True):
        g = sorted({_span_key(s) for s in g_doc if int(s["end"]) > int(s["start"])})
        p = sorted({_span_key(s) for s in p_doc if int(s["end"]) > int(s["start"])})
        for table in (strict, partial):
            for _, _, lab in g:
                table.setdefault(lab, [0, 0, 0])[2] += 1
            for _, _, lab in p:
                table.setdefault(lab, [0, 0, 0])[1] += 1
        for _, _, lab in set(g) & set(p):
            strict[lab][0] += 1
        for gi, _ in _partial_matches(g, p):
            partial[g[gi][2]][0] += 1
    return {"strict": _summarise_counts(strict), "partial": _summarise_counts(partial)}


def tune_span_thresholds(gold_docs: Sequence[Mapping[str, Any]], records: Sequence[Mapping[str, Any]],
                         labels: Sequence[str]) -> dict[str, float]:
    """Per span label, the minimum span ``score`` that maximises that label's strict span F1 on dev.

    Only documents labelled for spans count. For each label the candidates are the scores of its
    predicted spans (keep the spans scored >= the threshold); 0.0 (keep all) wins ties and is returned for
    labels with no predicted span. The result fits ``EventExtractorConfig.span_thresholds``.

    >>> docs = [{"spans": [{"start": 0, "end": 4, "label": "KILLED"}]}]
    >>> recs = [{"spans": [{"start": 0, "end": 4, "label": "KILLED", "score": 0.9},
    ...                    {"start": 6, "end": 9, "label": "KILLED", "score": 0.4}]}]
    >>> tune_span_thresholds(docs, recs, ["KILLED", "WEAPON"])
    {'KILLED': 0.9, 'WEAPON': 0.0}
    """
    _check_lengths(gold_docs, records, "tune_span_thresholds")
    found: dict[str, list[tuple[float, bool]]] = {lab: [] for lab in labels}  # (score, correct)
    n_gold = dict.fromkeys(labels, 0)
    for doc, rec in zip(gold_docs, records, strict=True):
        if "spans" not in doc:
            continue
        gold = {_span_key(s) for s in doc["spans"] or [] if int(s["end"]) > int(s["start"])}
        for _, _, lab in gold:
            if lab in n_gold:
                n_gold[lab] += 1
        best: dict[tuple[int, int, str], float] = {}
        for s in rec.get("spans") or []:
            key = _span_key(s)
            if key[2] in found and key[1] > key[0]:
                best[key] = max(best.get(key, 0.0), float(s.get("score", 1.0)))
        for key, score in best.items():
            found[key[2]].append((score, key in gold))
    out: dict[str, float] = {}
    for lab in labels:
        spans = sorted(found[lab], key=lambda x: -x[0])
        best_f, best_th = _prf(sum(c for _, c in spans), len(spans), n_gold[lab])[2], 0.0
        tp = 0
        for k, (score, correct) in enumerate(spans):
            tp += correct
            if k + 1 < len(spans) and spans[k + 1][0] == score:
                continue  # a threshold keeps every span of equal score
            f = _prf(tp, k + 1, n_gold[lab])[2]
            if f > best_f:
                best_f, best_th = f, score
        out[lab] = best_th
    return out


# ------------------------------------------------------------------------------------------ MUC-4


def normalize_filler(text: str) -> str:
    """GTT-style filler normalisation: lower-case, drop punctuation and articles, collapse spaces.

    >>> normalize_filler('  The "Shining Path"  guerrillas. ')
    'shining path guerrillas'
    """
    s = text.lower()
    s = "".join(ch for ch in s if ch not in _ASCII_PUNCT and not unicodedata.category(ch).startswith("P"))
    s = _ARTICLES.sub(" ", s)
    return " ".join(s.split())


def _max_matching(preds: Sequence[str], golds: Sequence[frozenset[str]]) -> int:
    """Size of a maximum matching of predicted fillers to gold entities (Kuhn's augmenting paths).

    >>> _max_matching(["x", "y"], [frozenset({"x", "y"}), frozenset({"x"})])
    2
    """
    adj = [[j for j, alts in enumerate(golds) if p in alts] for p in preds]
    owner = [-1] * len(golds)

    def assign(i: int, seen: set[int]) -> bool:
        for j in adj[i]:
            if j not in seen:
                seen.add(j)
                if owner[j] == -1 or assign(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    return sum(assign(i, set()) for i in range(len(preds)))


def _gold_entities(incidents: Sequence[Mapping[str, Any]] | None) -> dict[str, list[frozenset[str]]]:
    out: dict[str, list[frozenset[str]]] = {role: [] for role in MUC_ROLES}
    for inc in incidents or []:
        for role in MUC_ROLES:
            for entity in inc.get(role) or []:
                alts = [entity] if isinstance(entity, str) else entity
                norm = frozenset(n for a in alts if (n := normalize_filler(str(a))))
                if norm and norm not in out[role]:
                    out[role].append(norm)
    return out


def muc_role_filler(gold_incidents: list[list[dict]], pred_spans: list[list[dict]]) -> dict[str, Any]:
    """Document-level MUC-4 role-filler P/R/F1 (Du & Cardie 2020; GTT, Du, Rush & Cardie 2021).

    Per document and role, the gold entities are the deduplicated union over the document's
    incidents (an entity is a list of alternative strings); the predictions are the set of normalised
    ``text`` of predicted spans whose label maps to the role in ``MUC_ROLE_OF_LABEL``. A filler is
    correct when it equals an alternative of a gold entity, each entity matched at most once.
    Counts are summed over documents; ``micro_f1`` pools all roles, ``macro_f1`` averages role F1 over
    roles with gold or predicted fillers.

    >>> gold = [[{"type": "bombing", "Weapon": [["car bomb", "bomb"]], "Target": [["embassy"]]}]]
    >>> pred = [[{"label": "WEAPON", "text": "bomb"}, {"label": "WEAPON", "text": "the car bomb"}]]
    >>> m = muc_role_filler(gold, pred)
    >>> m["Weapon"]["p"], m["Weapon"]["r"], m["Target"]["r"], round(m["micro_f1"], 4)
    (0.5, 1.0, 0.0, 0.5)
    """
    _check_lengths(gold_incidents, pred_spans, "muc_role_filler")
    counts = {role: [0, 0, 0] for role in MUC_ROLES}
    for incidents, spans in zip(gold_incidents, pred_spans, strict=True):
        golds = _gold_entities(incidents)
        preds: dict[str, set[str]] = {role: set() for role in MUC_ROLES}
        for span in spans or []:
            role = MUC_ROLE_OF_LABEL.get(str(span.get("label")))
            text = span.get("text")
            if role is not None and text and (norm := normalize_filler(str(text))):
                preds[role].add(norm)
        for role in MUC_ROLES:
            correct = _max_matching(sorted(preds[role]), golds[role])
            counts[role][0] += correct
            counts[role][1] += len(preds[role])
            counts[role][2] += len(golds[role])
    out: dict[str, Any] = {}
    active_f1 = []
    for role, (c, npred, ngold) in counts.items():
        p, r, f = _prf(c, npred, ngold)
        out[role] = {"p": p, "r": r, "f1": f, "n_correct": c, "n_pred": npred, "n_gold": ngold}
        if npred or ngold:
            active_f1.append(f)
    mp, mr, mf = _prf(*(sum(v[i] for v in counts.values()) for i in range(3)))
    out["micro"] = {"p": mp, "r": mr, "f1": mf}
    out["micro_f1"] = mf
    out["macro_f1"] = sum(active_f1) / len(active_f1) if active_f1 else 0.0
    out["n"] = len(gold_incidents)
    return out


# ----------------------------------------------------------------------------------------- casualties


def casualty_point_estimate(value: Any) -> int | None:
    """The number a predicted casualty entry stands for: count, else min, else max, else None.

    >>> casualty_point_estimate({"count": None, "min": 2, "max": None, "text": "at least two"})
    2
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Mapping):
        for key in ("count", "min", "max"):
            if value.get(key) is not None:
                return int(value[key])
    return None


def casualty_range(value: Any) -> tuple[int, int] | None:
    """The ``[low, high]`` a predicted casualty entry allows: count, else min..max, an open side taking the
    other bound ("at least 5" -> [5, 5]); None when it gives no number.

    >>> casualty_range({"count": None, "min": 2, "max": 6}), casualty_range({"count": None, "min": 5, "max": None})
    ((2, 6), (5, 5))
    """
    if isinstance(value, Mapping):
        if value.get("count") is not None:
            return int(value["count"]), int(value["count"])
        lo, hi = value.get("min"), value.get("max")
        if lo is None and hi is None:
            return None
        lo = hi if lo is None else lo
        hi = lo if hi is None else hi
        return int(lo), int(hi)
    point = casualty_point_estimate(value)
    return None if point is None else (point, point)


def casualty_metrics(gold: list[dict | None], pred: list[dict]) -> dict[str, Any]:
    """Killed / wounded counts, scored where they mean something.

    On documents whose gold count is > 0 (``*_n``): ``*_exact`` (point estimate = gold), ``*_in_range``
    (gold within the predicted [min, max], see :func:`casualty_range`), ``*_mae`` (point estimate, 0 when
    the model gives no number) and ``*_answered`` (share where it gives one). On documents whose gold is 0
    (``*_n_zero``): ``*_false_alarm``, the share where the point estimate is > 0. ``pooled`` keeps the old
    figures over every document with a known count, 0 and > 0 together (saying nothing on a 0 document
    counts as exact there, so they flatter a model that rarely answers). Unknown gold (None) never counts;
    a score is None when its document count is 0.

    >>> m = casualty_metrics([{"killed": 3, "wounded": 0}, {"killed": 2, "wounded": 0}, {"killed": 0}],
    ...                      [{"killed": {"count": 3}}, {"killed": {"count": None, "min": 1, "max": 4},
    ...                        "wounded": {"count": 2}}, {}])
    >>> m["killed_n"], m["killed_exact"], m["killed_in_range"], m["killed_mae"], m["wounded_false_alarm"]
    (2, 0.5, 1.0, 0.5, 0.5)
    >>> m["pooled"]["killed_exact"], m["pooled"]["killed_n"]
    (0.6666666666666666, 3)
    """
    _check_lengths(gold, pred, "casualty_metrics")
    out: dict[str, Any] = {}
    pooled: dict[str, Any] = {}
    for kind in ("killed", "wounded"):
        pos = {"n": 0, "exact": 0, "in_range": 0, "error": 0, "answered": 0}
        zero = {"n": 0, "alarm": 0, "error": 0}
        for g, p in zip(gold, pred, strict=True):
            truth = (g or {}).get(kind)
            if truth is None:
                continue
            truth = int(truth)
            value = (p or {}).get(kind)
            estimate = casualty_point_estimate(value)
            if truth == 0:
                zero["n"] += 1
                zero["alarm"] += bool(estimate)
                zero["error"] += estimate or 0
                continue
            rng = casualty_range(value)
            pos["n"] += 1
            pos["answered"] += estimate is not None
            estimate = estimate or 0
            pos["exact"] += estimate == truth
            pos["in_range"] += rng is not None and rng[0] <= truth <= rng[1]
            pos["error"] += abs(estimate - truth)
        n = pos["n"]
        out[f"{kind}_n"] = n
        out[f"{kind}_exact"] = pos["exact"] / n if n else None
        out[f"{kind}_in_range"] = pos["in_range"] / n if n else None
        out[f"{kind}_mae"] = pos["error"] / n if n else None
        out[f"{kind}_answered"] = pos["answered"] / n if n else None
        out[f"{kind}_n_zero"] = zero["n"]
        out[f"{kind}_false_alarm"] = zero["alarm"] / zero["n"] if zero["n"] else None
        total = n + zero["n"]
        pooled[f"{kind}_n"] = total
        pooled[f"{kind}_exact"] = (pos["exact"] + zero["n"] - zero["alarm"]) / total if total else None
        pooled[f"{kind}_mae"] = (pos["error"] + zero["error"]) / total if total else None
    out["pooled"] = pooled
    return out


# ------------------------------------------------------------------------------------------- evaluate


def predicted_labels(record: Mapping[str, Any]) -> list[str]:
    """Attack-type labels of a prediction record (items may be {"label", "score"} dicts or strings).

    >>> predicted_labels({"attack_types": [{"label": "bombing", "score": 0.9}, "arson"]})
    ['bombing', 'arson']
    """
    items = record.get("attack_types") or []
    return [str(it["label"]) if isinstance(it, Mapping) else str(it) for it in items]


def predicted_spans(doc: Mapping[str, Any], record: Mapping[str, Any]) -> list[dict]:
    """The record's spans, each with ``text`` filled from the document where it is missing."""
    out = []
    for span in record.get("spans") or []:
        if span.get("text") is None and "start" in span and "end" in span:
            span = {**span, "text": doc["text"][int(span["start"]) : int(span["end"])]}
        out.append(dict(span))
    return out


def evaluate(gold_docs: list[dict], records: list[dict], attack_labels: list[str]) -> dict[str, Any]:
    """All metrics of one run as the nested ``metrics.json`` dict.

    Each task uses only the documents labelled for it: ``attack_type`` those with an ``attack_types``
    key, ``spans`` those with ``spans``, ``muc`` those with ``incidents``, ``casualties`` those with a
    known killed or wounded number; a task with no such document is left out of the result.

    >>> docs = [{"text": "A bomb killed 2.", "attack_types": ["bombing"],
    ...          "spans": [{"start": 2, "end": 6, "label": "WEAPON"}], "casualties": {"killed": 2, "wounded": None}}]
    >>> recs = [{"attack_types": [{"label": "bombing", "score": 0.9}], "spans": [
    ...          {"label": "WEAPON", "start": 2, "end": 6, "score": 0.8}], "casualties": {"killed": {"count": 2}}}]
    >>> m = evaluate(docs, recs, ["bombing", "arson"])
    >>> sorted(m), m["attack_type"]["exact_match"], m["spans"]["strict"]["micro_f1"], m["casualties"]["killed_exact"]
    (['attack_type', 'casualties', 'n_documents', 'spans'], 1.0, 1.0, 1.0)
    """
    _check_lengths(gold_docs, records, "evaluate")
    result: dict[str, Any] = {}
    idx = [i for i, d in enumerate(gold_docs) if "attack_types" in d]
    if idx:
        result["attack_type"] = attack_type_metrics(
            [list(gold_docs[i]["attack_types"]) for i in idx],
            [predicted_labels(records[i]) for i in idx],
            attack_labels,
        )
    idx = [i for i, d in enumerate(gold_docs) if "spans" in d]
    if idx:
        result["spans"] = span_metrics(
            [list(gold_docs[i]["spans"] or []) for i in idx],
            [list(records[i].get("spans") or []) for i in idx],
        )
        result["spans"]["n"] = len(idx)
    idx = [i for i, d in enumerate(gold_docs) if "incidents" in d]
    if idx:
        result["muc"] = muc_role_filler(
            [list(gold_docs[i]["incidents"] or []) for i in idx],
            [predicted_spans(gold_docs[i], records[i]) for i in idx],
        )
    known = [
        i
        for i, d in enumerate(gold_docs)
        if any((d.get("casualties") or {}).get(k) is not None for k in ("killed", "wounded"))
    ]
    if known:
        result["casualties"] = casualty_metrics(
            [gold_docs[i]["casualties"] for i in known], [records[i].get("casualties") or {} for i in known]
        )
    result["n_documents"] = len(gold_docs)
    return result
