"""Import M2E2 (Li et al., ACL 2020; VOA sentences, ACE 2005 events) into the incidex corpus format v2.

Input: a JSON list of sentences (JMEE/ACE style): ``sentence_id``, ``sentence``, ``sentence_start``,
``words``, ``index`` (``[first, last]`` character of each word in the *article*, inclusive, as strings),
``golden-entity-mentions[{entity-type, text, start, end}]`` and ``golden-event-mentions[{event_type,
trigger{start, end, text}, arguments[{role, text, start, end}]}]`` (word indices, end exclusive).
:func:`read_m2e2` reads one file or a folder (``text_only_event.json`` then
``text_multimedia_event.json``). The two files annotate different events of 38 shared sentences (text
events and cross-media events): a sentence found twice is one document with the union of its events.

One sentence = one document, id = ``sentence_id`` (article id + ``_`` + sentence number; about a fifth of
each article's sentences are absent, so the data is treated as sentence level). Offsets: ``index`` minus
``sentence_start``; a word not found at that place (quote and dash normalisations, the final period that
lies outside ``sentence``) is searched within 20 characters and the nearest occurrence taken. An argument
whose first or last word is still not found is dropped (``meta.unaligned``; counts are logged).

Native labels (the corpus's own; ``configs/news.yaml`` maps them onto the taxonomy):

* ``attack_types``: the ACE event types present that are in :data:`ATTACK_TYPES`: ``Conflict:Attack``
  (an attack, no subtypes) and ``Life:Die`` (a death). M2E2 has no Injure type, no kidnapping. Other event
  types (Movement:Transport, Justice:Arrest-Jail, Conflict:Demonstrate ...) are listed in
  ``meta.event_types`` only. ``[]``: none of the two.
* ``spans``: ``<EventType>.<Role>`` for Conflict:Attack Attacker, Target, Instrument and Life:Die Victim,
  Agent (the killer), Instrument. Attacker, Agent and Target get the ACE entity type of the argument
  appended (``Conflict:Attack.Attacker.PER`` / ``.ORG`` / ``.GPE``; ``Conflict:Attack.Target.FAC`` vs
  ``.PER``), so that individual vs organisation perpetrator and physical vs human target can be decided by
  the label map. The entity type is that of the entity mention on the same words (else the smallest one
  containing them); an argument without one is dropped and counted as untyped.

Arguments are mostly head words (75% are one token: ``soldiers``, not ``three soldiers``), not full noun
phrases. Overlaps: one span per character range: the longest wins; on the same range the label first in
:data:`SPAN_LABELS` (killed victims, perpetrators, weapons, targets) wins.

>>> docs = read_m2e2("../shared/data/m2e2")  # doctest: +SKIP
>>> len(docs), docs[0]["id"]  # doctest: +SKIP
(6167, 'VOA_EN_NW_2016.04.19.3291980_0')
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from incidex.training.importers.common import by_priority, finish, log, with_text
from incidex.training.importers.spans import Collector

ATTACK_TYPES = ("Conflict:Attack", "Life:Die")
FILES = ("text_only_event.json", "text_multimedia_event.json")
ENTITY_TYPES = ("PER", "ORG", "GPE", "FAC", "LOC", "VEH", "WEA")
TYPED_ROLES = ("Conflict:Attack.Attacker", "Life:Die.Agent", "Conflict:Attack.Target")
SPAN_LABELS = (
    "Life:Die.Victim",
    *(f"{role}.{t}" for role in TYPED_ROLES[:2] for t in ENTITY_TYPES),
    "Conflict:Attack.Instrument", "Life:Die.Instrument",
    *(f"{TYPED_ROLES[2]}.{t}" for t in ENTITY_TYPES),
)
ROLES = {"Conflict:Attack": ("Attacker", "Target", "Instrument"), "Life:Die": ("Victim", "Agent", "Instrument")}
SEARCH_WINDOW = 20

Doc = dict[str, Any]


def word_offsets(sentence: str, words: list[str], index: list[Any], start: int) -> list[tuple[int, int] | None]:
    """Each word's ``(start, end)`` in ``sentence`` (``index`` minus ``start``, else the nearest occurrence
    within :data:`SEARCH_WINDOW` characters), or None when it is not found.

    >>> word_offsets("He said “no”", ["He", "said", '"', "no"], [["10", "11"], ["13", "16"], ["18", "18"],
    ...              ["19", "20"]], 10)
    [(0, 2), (3, 7), None, (9, 11)]
    """
    out: list[tuple[int, int] | None] = []
    for word, pair in zip(words, index):
        try:
            s = int(pair[0]) - start
        except (TypeError, ValueError, IndexError):
            out.append(None)
            continue
        if sentence[s:s + len(word)] == word:
            out.append((s, s + len(word)))
            continue
        lo = max(0, s - SEARCH_WINDOW)
        hits = [i for i in range(lo, min(len(sentence), s + SEARCH_WINDOW + 1))
                if sentence.startswith(word, i)]
        best = min(hits, key=lambda i: (abs(i - s), i)) if hits else None
        out.append(None if best is None else (best, best + len(word)))
    return out


def _load(c: Collector, path: Path) -> list[Any]:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, UnicodeDecodeError) as e:
        c.problem(0, None, None, f"cannot read {path}: {e}")
        return []
    except json.JSONDecodeError as e:
        c.problem(e.lineno, None, None, f"bad JSON in {path}: {e.msg} at column {e.colno}")
        return []
    if not isinstance(data, list):
        c.problem(0, None, None, f"{path}: expected a JSON list of sentences, got {type(data).__name__}")
        return []
    return data


def _entity_type(ents: list[Any], start: int, end: int) -> str | None:
    exact = [m.get("entity-type") for m in ents if isinstance(m, dict) and (m.get("start"), m.get("end")) == (start, end)]
    if exact:
        return exact[0]
    around = [m for m in ents if isinstance(m, dict) and isinstance(m.get("start"), int)
              and isinstance(m.get("end"), int) and m["start"] <= start and end <= m["end"]]
    return min(around, key=lambda m: m["end"] - m["start"]).get("entity-type") if around else None


def convert(c: Collector, index: int, rec: Doc, stats: Counter[str]) -> Doc | None:
    """One sentence as a document (or None, with the problem recorded under the list index)."""
    doc_id = c.doc_id(rec.get("sentence_id"), index)
    text, words, idx, start = rec.get("sentence"), rec.get("words"), rec.get("index"), rec.get("sentence_start")
    if not isinstance(text, str) or not text.strip():
        c.problem(index, doc_id, "sentence", "missing or empty")
        return None
    if not (isinstance(words, list) and isinstance(idx, list) and len(words) == len(idx)
            and isinstance(start, int) and all(isinstance(w, str) and w for w in words)):
        c.problem(index, doc_id, "words", "words and index must be lists of the same length, sentence_start an int")
        return None
    offsets = word_offsets(text, words, idx, start)
    ents = rec.get("golden-entity-mentions") or []
    events = rec.get("golden-event-mentions") or []
    if not isinstance(events, list) or not isinstance(ents, list):
        c.problem(index, doc_id, "golden-event-mentions", "must be a list")
        return None
    types: set[str] = set()
    spans: list[Doc] = []
    meta_events: list[Doc] = []
    unaligned: list[Doc] = []
    for k, ev in enumerate(events):
        etype = ev.get("event_type") if isinstance(ev, dict) else None
        if not isinstance(etype, str):
            c.problem(index, doc_id, f"golden-event-mentions[{k}].event_type", "missing or not a string")
            continue
        trig = ev.get("trigger") or {}
        meta_events.append({"type": etype, "trigger": trig.get("text") if isinstance(trig, dict) else None})
        if etype not in ATTACK_TYPES:
            continue
        types.add(etype)
        for j, arg in enumerate(ev.get("arguments") or []):
            field = f"golden-event-mentions[{k}].arguments[{j}]"
            role, a, b = (arg.get("role"), arg.get("start"), arg.get("end")) if isinstance(arg, dict) else (None,) * 3
            if not (isinstance(role, str) and isinstance(a, int) and isinstance(b, int) and 0 <= a < b <= len(words)):
                c.problem(index, doc_id, field, f"needs a role and word indices start < end <= {len(words)}")
                continue
            if role not in ROLES[etype]:
                continue
            stats["arguments"] += 1
            label = f"{etype}.{role}"
            if label in TYPED_ROLES:
                ent = _entity_type(ents, a, b)
                if ent not in ENTITY_TYPES:
                    stats["untyped"] += 1
                    unaligned.append({"role": label, "text": arg.get("text"), "why": f"entity type {ent!r}"})
                    continue
                label = f"{label}.{ent}"
            first, last = offsets[a], offsets[b - 1]
            if last is None and b - 1 > a and words[b - 1] in ".,;:":  # a trailing period outside the sentence
                last = offsets[b - 2]
            if first is None or last is None or first[0] >= last[1]:
                stats["unaligned"] += 1
                unaligned.append({"role": label, "text": arg.get("text"), "why": "words not found in the sentence"})
                continue
            spans.append({"start": first[0], "end": last[1], "label": label})
    spans = list({(s["start"], s["end"], s["label"]): s for s in spans}.values())
    kept = by_priority(spans, SPAN_LABELS)
    stats["overlap_dropped"] += len(spans) - len(kept)
    article, _, number = doc_id.rpartition("_")
    meta: Doc = {"article": article, "sentence": number, "event_types": sorted({e["type"] for e in meta_events}),
                 "events": meta_events}
    if unaligned:
        meta["unaligned"] = unaligned
    return {"id": doc_id, "text": text, "attack_types": [t for t in ATTACK_TYPES if t in types],
            "spans": with_text(text, kept), "meta": meta}


def _merge(first: Doc, second: Doc) -> Doc | str:
    """One record with the events of both (repeats once); a message when their texts differ."""
    if first.get("sentence") != second.get("sentence"):
        return "the same sentence_id with two different sentence texts"
    merged = dict(first)
    for key in ("golden-event-mentions", "golden-entity-mentions"):
        items = list(first.get(key) or [])
        items += [x for x in second.get(key) or [] if x not in items]
        merged[key] = items
    return merged


def read_m2e2(path: str | Path) -> list[Doc]:
    """Read an M2E2 annotation file, or a folder holding :data:`FILES`, into format-v2 documents.

    Problems name the file and the sentence's position in its JSON list (as ``line``). Raises
    :class:`~incidex.training.importers.spans.ConversionError` listing every problem.
    """
    path = Path(path)
    files = [path / name for name in FILES if (path / name).is_file()] if path.is_dir() else [path]
    c = Collector(files[0] if files else path, "m2e2")
    if not files:
        c.problem(0, None, None, f"no {' or '.join(FILES)} in {path}")
    records: dict[str, tuple[int, Doc, list[str]]] = {}
    for f in files:
        c.path = str(f)
        for i, rec in enumerate(_load(c, f)):
            sid = rec.get("sentence_id") if isinstance(rec, dict) else None
            if not isinstance(sid, str) or not sid:
                c.problem(i, None, "sentence_id", "missing or not a string")
                continue
            if sid in records:
                line, old, where = records[sid]
                merged = _merge(old, rec)
                if isinstance(merged, str):
                    c.problem(i, sid, "sentence", merged)
                    continue
                records[sid] = (line, merged, [*where, f.name])
            else:
                records[sid] = (i, rec, [f.name])
    c.path = str(files[0] if len(files) == 1 else path)  # later problems: the folder, when two files were read
    stats: Counter[str] = Counter()
    for line, rec, where in records.values():
        before = len(c.problems)
        doc = convert(c, line, rec, stats)
        if doc is not None:
            doc["meta"]["files"] = where
            c.add(line, doc, before)
    log.info("%s: %d violent-role arguments, %d untyped (dropped), %d unaligned (dropped), %d spans dropped as "
             "overlaps (repeats not counted)", path, stats["arguments"], stats["untyped"], stats["unaligned"],
             stats["overlap_dropped"])
    return finish(c)
