"""Import WikiEvents (Li, Ji & Han, NAACL 2021; KAIROS events) into the incidex corpus format v2.

Two input forms, one JSON document a line, both read by :func:`read_wikievents`:

* the derived gen-arg form in ``../shared/data/wikievents/train.jsonl``: ``docid``, ``tokens``,
  ``event_mentions[{event_type, trigger{start_idx, end_idx, text}, arguments[{role, text}]}]`` -- arguments
  carry their string only;
* the official WikiEvents form: ``doc_id``, ``tokens``, optionally ``text`` and ``sentences``
  (``[[[token, start, end], ...], sentence_text]``), ``entity_mentions[{id, start, end, ...}]`` (token
  indices, end exclusive) and ``event_mentions[{event_type, trigger{start, end, text}, arguments[{entity_id,
  role, text}]}]`` -- an argument's entity mention gives its tokens.

Text: the official ``text`` with the sentences' token offsets when every token is found at its offset;
otherwise the tokens joined by single spaces, except no space before ``, . ; : ! ? % ) ] } ” ’ '`` and
``'s n't``, none after ``( [ { “ $``, and none between ``’``/``'`` and ``s t d m re ve ll`` (``Thailand ’ s``
becomes ``Thailand’s``). A token -> character map keeps every offset exact.

Native labels (the corpus's own; ``configs/news.yaml`` maps them onto the taxonomy):

* ``attack_types``: the document's event types cut to two levels (``Conflict.Attack.DetonateExplode`` ->
  ``Conflict.Attack``; the derived file has only two), kept when in :data:`ATTACK_TYPES`:
  ``Conflict.Attack`` (an attack: shooting, bombing, shelling, air strike ...; a bombing shows as an
  ``ExplosiveDevice`` argument), ``Life.Die`` (a death), ``Life.Injure`` (an injury). ``[]``: none of
  them. All event types (full names) are listed in ``meta.event_types``.
* ``spans``: ``<EventType>.<Role>`` for the violent roles in :data:`SPAN_LABELS`: Conflict.Attack
  Attacker (perpetrator), Target (person or object attacked), ExplosiveDevice (the bomb), Instrument
  (other weapon); Life.Die Victim (killed), Killer; Life.Injure Victim (wounded), Injurer, Instrument.
  KAIROS Conflict.Attack has no Victim role. Place and the roles of other event types are not kept.

Alignment: the official form uses the argument's entity mention. Otherwise the argument string, split on
spaces, is searched as a token sequence; of several occurrences the one nearest the trigger (token gap,
0 when overlapping; ties: the earlier) is taken. About 90 strings of the derived file lost the last letter
of a final doubled letter (``Campbel``, ``thre``, ``CN``): when the string is not found, a last token
followed by its last character repeated is accepted (``meta.repaired``). 25 triggers of the derived file
have the empty range 0..0 (their text truncated, ``kil``): the event type counts, and its arguments are
placed only where their string occurs once. Strings not placed are dropped and listed in
``meta.unaligned`` (role and text); counts are logged.

Overlaps: one span per character range: the longest wins; on the same range the label first in
:data:`SPAN_LABELS` wins (casualties, Attacker, ExplosiveDevice, Killer, Injurer, other weapons, targets).
Only arguments of annotated event mentions are marked: other mentions of the same entity are not (the
corpus is partial there).

>>> docs = read_wikievents("../shared/data/wikievents/train.jsonl")  # doctest: +SKIP
>>> len(docs), {s["label"] for d in docs for s in d["spans"]} == set(SPAN_LABELS)  # doctest: +SKIP
(206, True)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from incidex.training.corpus import Problem, iter_jsonl
from incidex.training.importers.common import by_priority, finish, log, with_text
from incidex.training.importers.spans import Collector

ATTACK_TYPES = ("Conflict.Attack", "Life.Die", "Life.Injure")
# priority for spans on the same range: casualties, then the attack's own roles (a Killer or Injurer may be
# a person or a device), weapons, targets
SPAN_LABELS = (
    "Life.Die.Victim", "Life.Injure.Victim",
    "Conflict.Attack.Attacker", "Conflict.Attack.ExplosiveDevice", "Life.Die.Killer", "Life.Injure.Injurer",
    "Conflict.Attack.Instrument", "Life.Injure.Instrument",
    "Conflict.Attack.Target",
)

NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", "%", ")", "]", "}", "”", "’", "'", "'s", "n't", "’s", "n’t"}
NO_SPACE_AFTER = {"(", "[", "{", "“", "$"}
APOSTROPHES = {"’", "'"}
CLITICS = {"s", "t", "d", "m", "re", "ve", "ll"}

Doc = dict[str, Any]


def join_tokens(tokens: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """The text rebuilt from tokens and each token's ``(start, end)`` in it.

    >>> join_tokens(["Thailand", "’", "s", "army", "(", "RTA", ")", "said", ":", "“", "No", "”"])[0]
    'Thailand’s army (RTA) said: “No”'
    """
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    prev = None
    for tok in tokens:
        glue = prev is None or tok in NO_SPACE_BEFORE or prev in NO_SPACE_AFTER or (
            prev in APOSTROPHES and tok in CLITICS)
        if not glue:
            parts.append(" ")
            pos += 1
        offsets.append((pos, pos + len(tok)))
        parts.append(tok)
        pos += len(tok)
        prev = tok
    return "".join(parts), offsets


def official_offsets(rec: Doc, tokens: Sequence[str]) -> tuple[str, list[tuple[int, int]]] | None:
    """The official ``text`` and token offsets from ``sentences``, or None when they do not fit the tokens."""
    text, sentences = rec.get("text"), rec.get("sentences")
    if not isinstance(text, str) or not isinstance(sentences, list):
        return None
    offsets: list[tuple[int, int]] = []
    for sentence in sentences:
        if not (isinstance(sentence, list) and sentence and isinstance(sentence[0], list)):
            return None
        for item in sentence[0]:
            if not (isinstance(item, list) and len(item) == 3 and all(isinstance(x, int) for x in item[1:])):
                return None
            tok, start, end = item
            if text[start:end] == tok:
                offsets.append((start, end))
            elif text[start:end + 1] == tok:  # inclusive end
                offsets.append((start, end + 1))
            else:
                return None
    return (text, offsets) if len(offsets) == len(tokens) else None


def occurrences(tokens: Sequence[str], needle: Sequence[str]) -> list[tuple[int, int]]:
    """Token ranges ``(first, end)`` where ``needle`` occurs exactly.

    >>> occurrences(["a", "b", "a", "b"], ["a", "b"])
    [(0, 2), (2, 4)]
    """
    n = len(needle)
    return [(i, i + n) for i in range(len(tokens) - n + 1) if list(tokens[i:i + n]) == list(needle)] if n else []


def repaired(tokens: Sequence[str], needle: Sequence[str]) -> list[tuple[int, int]]:
    """Occurrences of ``needle`` whose last token lost a final doubled letter (``Campbel`` for ``Campbell``)."""
    if not needle or not needle[-1]:
        return []
    fixed = [*needle[:-1], needle[-1] + needle[-1][-1]]
    return occurrences(tokens, fixed)


def nearest(found: list[tuple[int, int]], trigger: tuple[int, int]) -> tuple[int, int]:
    """The occurrence nearest the trigger in tokens (0 when overlapping); ties go to the earlier one.

    >>> nearest([(0, 1), (9, 10), (20, 21)], (12, 13))
    (9, 10)
    """
    t0, t1 = trigger
    return min(found, key=lambda r: (max(0, r[0] - t1 + 1, t0 - r[1] + 1), r[0]))


def _trigger(c: Collector, line: int, doc_id: str, field: str, trig: Any, n: int) -> tuple[int, int] | None:
    """The trigger's token range; ``(0, 0)`` for the empty range of a trigger the source could not place."""
    if isinstance(trig, dict):
        start, end = trig.get("start_idx", trig.get("start")), trig.get("end_idx", trig.get("end"))
        if isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= n:
            return (start, end) if start < end else (0, 0)
    c.problem(line, doc_id, field, f"trigger needs token indices 0 <= start <= end <= {n}, got {trig!r}")
    return None


def _entity_ranges(c: Collector, line: int, doc_id: str, rec: Doc, n: int) -> dict[str, tuple[int, int]]:
    ranges: dict[str, tuple[int, int]] = {}
    mentions = rec.get("entity_mentions") or []
    for i, m in enumerate(mentions if isinstance(mentions, list) else []):
        start, end = (m.get("start"), m.get("end")) if isinstance(m, dict) else (None, None)
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= n):
            c.problem(line, doc_id, f"entity_mentions[{i}]", f"needs token indices start < end <= {n}")
            continue
        ranges[str(m.get("id"))] = (start, end)
    return ranges


def convert(c: Collector, line: int, rec: Doc, stats: Counter[str]) -> None:
    """Add one WikiEvents record to ``c`` (problems go to ``c`` with the record's line)."""
    before = len(c.problems)
    doc_id = c.doc_id(rec.get("doc_id", rec.get("docid")), line)
    tokens = rec.get("tokens")
    if not (isinstance(tokens, list) and tokens and all(isinstance(t, str) and t and t == t.strip()
                                                         for t in tokens)):
        c.problem(line, doc_id, "tokens", "must be a non-empty list of non-empty strings without spaces")
        return
    text, offsets = official_offsets(rec, tokens) or join_tokens(tokens)
    entities = _entity_ranges(c, line, doc_id, rec, len(tokens))
    mentions = rec.get("event_mentions")
    if not isinstance(mentions, list):
        c.problem(line, doc_id, "event_mentions", "missing or not a list")
        return
    types: set[str] = set()
    all_types: list[str] = []
    spans: list[Doc] = []
    events: list[Doc] = []
    unaligned: list[Doc] = []
    fixed: list[Doc] = []
    for k, ev in enumerate(mentions):
        field = f"event_mentions[{k}]"
        full = ev.get("event_type") if isinstance(ev, dict) else None
        if not isinstance(full, str) or not full:
            c.problem(line, doc_id, field + ".event_type", "missing or not a string")
            continue
        all_types.append(full)
        etype = ".".join(full.split(".")[:2])
        if etype not in ATTACK_TYPES:
            continue
        trig = _trigger(c, line, doc_id, field + ".trigger", ev.get("trigger"), len(tokens))
        if trig is None:
            continue
        types.add(etype)
        if trig == (0, 0):
            stats["no_trigger"] += 1
            events.append({"type": full, "trigger": None})
        else:
            events.append({"type": full, "trigger": text[offsets[trig[0]][0]:offsets[trig[1] - 1][1]],
                           "start": offsets[trig[0]][0], "end": offsets[trig[1] - 1][1]})
        args = ev.get("arguments") or []
        for j, arg in enumerate(args if isinstance(args, list) else []):
            role, arg_text = (arg.get("role"), arg.get("text")) if isinstance(arg, dict) else (None, None)
            if not isinstance(role, str) or not isinstance(arg_text, str):
                c.problem(line, doc_id, f"{field}.arguments[{j}]", "needs a role and a text")
                continue
            label = f"{etype}.{role}"
            if label not in SPAN_LABELS:
                continue
            stats["arguments"] += 1
            where = entities.get(str(arg.get("entity_id"))) if "entity_id" in arg else None
            if where is None:
                needle = arg_text.split()
                found = occurrences(tokens, needle)
                if not found and (found := repaired(tokens, needle)):
                    fixed.append({"role": label, "text": arg_text})
                if not found or (trig == (0, 0) and len(found) > 1):
                    unaligned.append({"role": label, "text": arg_text})
                    continue
                where = nearest(found, trig)
            else:
                stats["by_entity"] += 1
            spans.append({"start": offsets[where[0]][0], "end": offsets[where[1] - 1][1], "label": label})
    stats["unaligned"] += len(unaligned)
    stats["repaired"] += len(fixed)
    spans = list({(s["start"], s["end"], s["label"]): s for s in spans}.values())
    kept = by_priority(spans, SPAN_LABELS)
    stats["overlap_dropped"] += len(spans) - len(kept)
    meta: Doc = {"event_types": sorted(set(all_types)), "events": events}
    if unaligned:
        meta["unaligned"] = unaligned
    if fixed:
        meta["repaired"] = fixed
    doc = {"id": doc_id, "text": text, "attack_types": [t for t in ATTACK_TYPES if t in types],
           "spans": with_text(text, kept), "meta": meta}
    c.add(line, doc, before)


def read_wikievents(path: str | Path) -> list[Doc]:
    """Read a WikiEvents JSONL file (derived gen-arg or official form) into format-v2 documents.

    Raises :class:`~incidex.training.importers.spans.ConversionError` listing every bad record (file, line,
    id, field). The number of arguments kept, repaired, unaligned and dropped as overlaps is logged (INFO).
    """
    c = Collector(path, "wikievents")
    stats: Counter[str] = Counter()
    for line, rec in iter_jsonl(path):
        if isinstance(rec, Problem):
            c.problems.append(rec)
        else:
            convert(c, line, rec, stats)
    log.info("%s: %d violent-role arguments, %d placed by entity mention, %d repaired, %d unaligned (dropped), "
             "%d spans dropped as overlaps (repeats not counted), %d events without a trigger position", path,
             stats["arguments"], stats["by_entity"], stats["repaired"], stats["unaligned"],
             stats["overlap_dropped"], stats["no_trigger"])
    return finish(c)
