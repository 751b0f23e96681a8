"""Document-level role-filler extraction scored exactly as GRIT's ``eval.py`` (the literature's MUC-4 REE score).

Mirrors ``eval.py`` of the public repository xinyadu/grit_doc_event_entity (commit d8212bc, the one
``processed_grit`` comes from; ``eval.py`` is unchanged since 7fdd0085e9b2), the scorer GRIT, GTT, TempGen
and IterX report, with ``phi_strict`` (its printed score). Checked against that ``eval.py`` on 500 random
cases and its ``test_cases_eval.py``: identical P, R and F1.

* every mention string is normalised with GRIT's ``normalize_string``: lower case, drop ASCII punctuation
  (``string.punctuation`` only), replace the words a/an/the by a space, collapse whitespace;
* per document and per role *of the gold document*, a similarity matrix gold entity x predicted entity
  holds 1 when **every** mention of the predicted entity is among the gold entity's mentions (so an empty
  predicted entity scores 1, as in ``phi_strict``), else 0;
* entities are matched one to one with ``scipy.optimize.linear_sum_assignment`` (maximum total similarity);
  the matched similarity is added to both numerators, the number of predicted entities to the precision
  denominator and the number of gold entities to the recall denominator;
* sums run over documents per role; the micro average pools PerpInd, PerpOrg, Target, Victim, Weapon;
  P (or R) is 0 when its numerator is 0, F1 = 2PR / (P + R).

Gold entities with no mention are dropped when gold is read (``if entity:`` in ``eval.py``). Two deliberate
differences, neither changing a score: documents are keyed by their MUC-4 ids (``TST1-MUC3-0001``, the ids
of both ``processed_grit`` and ``incidex.training.importers.muc4.read_muc4``) instead of ``eval.py``'s
numeric ids (:func:`grit_numeric_docid`), and a role missing from a predicted document counts as no
prediction (``eval.py`` raises KeyError).

>>> gold = {"d1": {"PerpOrg": [["FMLN", "Farabundo Marti National Liberation Front"]], "Weapon": []}}
>>> pred = {"d1": {"PerpOrg": [["the FMLN"], ["fmln"]], "Weapon": [["bomb"]]}}
>>> s = score_grit(pred, gold)
>>> s["per_role"]["PerpOrg"]["p"], s["per_role"]["PerpOrg"]["r"], round(s["micro"]["f1"], 4)
(0.5, 1.0, 0.5)
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from incidex.model.roles import MUC_ROLE_OF_SPAN_ROLE, MUC_ROLES

GRIT_ROLES: tuple[str, ...] = MUC_ROLES

#: incidex span role (``incidex.model.roles.SPAN_ROLES``) -> GRIT role; roles not listed are not scored.
GRIT_ROLE_OF_SPAN_ROLE: dict[str, str] = dict(MUC_ROLE_OF_SPAN_ROLE)

_ARTICLES = re.compile(r"\b(a|an|the)\b", re.UNICODE)
_PUNCT = frozenset(string.punctuation)

Entities = dict[str, list[list[str]]]  # role -> entities -> mention strings


def normalize_string(s: str) -> str:
    """GRIT's mention normalisation (lower, drop ASCII punctuation, a/an/the -> space, collapse spaces).

    >>> normalize_string('  The "Shining Path" guerrillas, an army. ')
    'shining path guerrillas army'
    """
    s = "".join(ch for ch in s.lower() if ch not in _PUNCT)
    return " ".join(_ARTICLES.sub(" ", s).split())


def grit_numeric_docid(docid: str) -> str:
    """The id ``eval.py`` keys documents by: last character of the set name x 10000 + the number.

    >>> grit_numeric_docid("TST2-MUC4-0048")
    '20048'
    """
    parts = docid.split("-")
    return str(int(parts[0][-1]) * 10000 + int(parts[-1]))


def load_grit_gold(path: str | Path) -> dict[str, Entities]:
    """Read GRIT gold (JSON lines ``{"docid", "doctext", "extracts": {role: [[[mention, offset], ...]]}}``).

    Returns docid -> role -> entities, each entity its mention strings (offsets dropped, empty entities
    left out). Errors name the file, the line and the field.

    >>> gold = load_grit_gold("../shared/data/muc4/processed_grit/dev.json")  # doctest: +SKIP
    >>> gold["TST1-MUC3-0001"]["PerpInd"]  # doctest: +SKIP
    [['guerrillas', 'guerrilla column']]
    """
    path = Path(path)
    out: dict[str, Entities] = {}
    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{where}: not valid JSON ({exc.msg})") from None
            if not isinstance(row, dict) or not isinstance(row.get("docid"), str):
                raise ValueError(f"{where}: field 'docid' must be a string")
            extracts = row.get("extracts")
            if not isinstance(extracts, dict):
                raise ValueError(f"{where}: field 'extracts' must be an object of role -> entities")
            docid = row["docid"]
            if docid in out:
                raise ValueError(f"{where}: document {docid!r} appears twice")
            roles: Entities = {}
            for role, entities in extracts.items():
                if role not in GRIT_ROLES:
                    raise ValueError(f"{where}: field 'extracts' has role {role!r}; roles are {', '.join(GRIT_ROLES)}")
                roles[role] = []
                for k, entity in enumerate(entities or []):
                    try:
                        mentions = [str(m[0]) if isinstance(m, (list, tuple)) else str(m) for m in entity]
                    except (TypeError, IndexError):
                        raise ValueError(f"{where}: field 'extracts.{role}[{k}]' must be a list of "
                                         "[mention, offset] pairs") from None
                    if mentions:
                        roles[role].append(mentions)
            out[docid] = roles
    return out


def _match(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> float:
    """Total similarity of the best one-to-one matching (``ceaf`` with ``phi_strict`` in ``eval.py``)."""
    from scipy.optimize import linear_sum_assignment

    if not gold or not pred:
        return 0.0
    gold_sets = [set(g) for g in gold]
    scores = np.array([[float(all(m in g for m in p)) for p in pred] for g in gold_sets])
    rows, cols = linear_sum_assignment(-scores)
    return float(scores[rows, cols].sum())


def _prf(p_num: float, p_den: float, r_num: float, r_den: float) -> dict[str, float]:
    p = 0.0 if p_num == 0 else p_num / p_den
    r = 0.0 if r_num == 0 else r_num / r_den
    f = 0.0 if p + r == 0 else 2 * p * r / (p + r)
    return {"p": p, "r": r, "f1": f, "p_num": p_num, "p_den": p_den, "r_num": r_num, "r_den": r_den}


def score_grit(pred: Mapping[str, Mapping[str, Sequence[Sequence[str]]]],
               gold: Mapping[str, Mapping[str, Sequence[Sequence[str]]]],
               docids: Sequence[str] | None = None) -> dict[str, Any]:
    """GRIT ``phi_strict`` scores: ``{"micro": {p, r, f1, p_num, p_den, r_num, r_den}, "micro_f1",
    "per_role": {role: {...}}, "n_documents"}`` over ``docids`` (default: every gold document).

    A document of ``docids`` missing from ``pred`` is an error (a sign of mismatched ids); a role missing
    from a predicted document counts as no prediction. Inputs are not modified.

    >>> gold = {"d": {"Target": [["telephone company building", "telephone company offices"], ["water pipes"]]}}
    >>> s = score_grit({"d": {"Target": [["water pipes"], ["telephone company offices"], ["bus"]]}}, gold)
    >>> round(s["micro"]["p"], 4), s["micro"]["r"]
    (0.6667, 1.0)
    """
    ids = list(gold) if docids is None else list(docids)
    missing = [d for d in ids if d not in pred]
    if missing:
        raise ValueError(f"score_grit: {len(missing)} gold documents have no prediction, e.g. {missing[:3]}")
    sums = {role: [0.0, 0, 0.0, 0] for role in GRIT_ROLES}  # p_num, p_den, r_num, r_den
    for docid in ids:
        if docid not in gold:
            raise ValueError(f"score_grit: document {docid!r} is not in the gold")
        for role, gold_entities in gold[docid].items():
            if role not in sums:
                raise ValueError(f"score_grit: gold document {docid!r} has role {role!r}; roles are "
                                 f"{', '.join(GRIT_ROLES)}")
            g = [[normalize_string(m) for m in ent] for ent in gold_entities]
            p = [[normalize_string(m) for m in ent] for ent in (pred[docid].get(role) or [])]
            sim = _match(g, p)
            sums[role][0] += sim
            sums[role][1] += len(p)
            sums[role][2] += sim
            sums[role][3] += len(g)
    per_role = {role: _prf(*v) for role, v in sums.items()}
    micro = _prf(*(sum(v[i] for v in sums.values()) for i in range(4)))
    return {"micro": micro, "micro_f1": micro["f1"], "per_role": per_role, "n_documents": len(ids)}


def _clusters(record: Mapping[str, Any]) -> list[Mapping[str, Any]] | None:
    entities = record.get("entities")
    if entities is None:
        return None
    if isinstance(entities, Mapping):  # role -> clusters
        return [c for group in entities.values() for c in group]
    return list(entities)


def records_to_grit(records: Sequence[Mapping[str, Any]], docids: Sequence[str],
                    role_of_label: Mapping[str, str], *, mentions: str = "canonical",
                    choose: Callable[[str, str, Sequence[str]], str | None] | None = None) -> dict[str, Entities]:
    """GRIT predictions from incidex prediction records (``records[i]`` is the record of ``docids[i]``).

    With ``record["entities"]`` (clusters ``{"label", "text", "mentions": [{"text", ...}]}``) each cluster
    whose label has a role is one predicted entity. ``mentions="canonical"`` (default) scores it as its
    ``text`` alone, the way GRIT's and GTT's own predictions are written (one mention string per
    predicted entity: ``entitys.append([candidate_str])`` in their decoders): under ``phi_strict`` a
    cluster that also holds a true coreferent mention the key does not list ("the front") would score 0.
    ``mentions="all"`` scores every mention text of the cluster. Clusters with the same normalised
    strings in one role count once. Without entities, each distinct normalised span text of a role is
    one entity. Labels missing from ``role_of_label`` are not scored. ``choose(role, text, mention_texts)``,
    when given, returns the text an entity is scored as (canonical mode) or None to leave the entity out
    (:meth:`incidex.eval.grit_names.NameFilter.choose`: a victim's most informative named mention).

    >>> recs = [{"spans": [{"label": "WEAPON", "text": "bomb"}, {"label": "WEAPON", "text": "the bomb"},
    ...                    {"label": "KILLED", "text": "two soldiers"}]}]
    >>> records_to_grit(recs, ["d1"], {"WEAPON": "Weapon", "KILLED": "Victim"})["d1"]["Weapon"]
    [['bomb']]
    >>> rec = {"entities": {"perp": [{"label": "PERP_ORGANIZATION", "text": "Farabundo Marti Front",
    ...        "mentions": [{"text": "Farabundo Marti Front"}, {"text": "the front"}]}]}}
    >>> records_to_grit([rec], ["d1"], {"PERP_ORGANIZATION": "PerpOrg"})["d1"]["PerpOrg"]
    [['Farabundo Marti Front']]
    >>> records_to_grit([rec], ["d1"], {"PERP_ORGANIZATION": "PerpOrg"}, mentions="all")["d1"]["PerpOrg"]
    [['Farabundo Marti Front', 'the front']]
    """
    if len(records) != len(docids):
        raise ValueError(f"records_to_grit: {len(records)} records but {len(docids)} document ids")
    if mentions not in ("canonical", "all"):
        raise ValueError(f"records_to_grit: mentions must be 'canonical' or 'all', got {mentions!r}")
    bad = sorted({r for r in role_of_label.values() if r not in GRIT_ROLES})
    if bad:
        raise ValueError(f"records_to_grit: roles {bad} are not GRIT roles ({', '.join(GRIT_ROLES)})")
    out: dict[str, Entities] = {}
    for docid, record in zip(docids, records, strict=True):
        roles: Entities = {role: [] for role in GRIT_ROLES}
        seen: dict[str, set] = {role: set() for role in GRIT_ROLES}
        clusters = _clusters(record)
        if clusters is not None:
            for cluster in clusters:
                role = role_of_label.get(str(cluster.get("label")))
                if role is None:
                    continue
                canonical = str(cluster.get("text") or "")
                texts = [str(m["text"]) for m in cluster.get("mentions") or [] if m.get("text")]
                if choose is not None:
                    chosen = choose(role, canonical or (texts[0] if texts else ""), texts)
                    if chosen is None:
                        continue
                    canonical = chosen
                if mentions == "canonical" and canonical:
                    texts = [canonical]
                texts = texts or [canonical]
                key = frozenset(normalize_string(m) for m in texts)
                if key and key != {""} and key not in seen[role]:
                    seen[role].add(key)
                    roles[role].append(texts)
        else:
            for span in record.get("spans") or []:
                role = role_of_label.get(str(span.get("label")))
                text = str(span.get("text") or "")
                key = normalize_string(text)
                if choose is not None and role is not None and choose(role, text, [text]) is None:
                    continue
                if role is not None and key and key not in seen[role]:
                    seen[role].add(key)
                    roles[role].append([text])
        out[docid] = roles
    return out
