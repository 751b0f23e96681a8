"""Import the MUC-3/MUC-4 terrorism corpus (raw texts + answer keys) into the incidex corpus format v1.

A set folder (``dev``, ``tst1`` ... ``tst4``) holds text files named after the set (``tst1-muc3``,
``dev-muc3-0001-0100``; ``tst4-muc4.mixed-case`` replaces ``tst4-muc4`` when present) and answer keys
named ``key-*``. A document's ``text`` is what follows its id line (``TST1-MUC3-0001``) up to the next
one, with the surrounding whitespace stripped (the dateline is kept); offsets count in that string.
Each key template is a block of 25 numbered slots; this module reads them as follows.

* Lines starting with ``;`` are comments; an indented line continues the slot above (one filler a line).
* ``*`` (not applicable / irrelevant document) and ``-`` (empty) give no filler; a ``?`` (optional
  filler) is dropped; ``"A" / "B"`` are alternative strings of one filler (one entity); ``\\"`` is a
  literal quote; ``EFFECT: "FILLER"`` cross-references a filler of another slot. Lines whose quotes do
  not pair up (a few typos in the keys) are read with their quotes removed.
* ``attack_types``: sorted unique lower-cased INCIDENT: TYPE of all templates (``BOMBING / ATTACK`` gives
  both); ``[]`` for irrelevant documents. An incident's ``type`` is the first type listed.
* ``spans``: every alternative of every filler, found with :func:`training.corpus.find_all`
  (case-insensitive, word boundaries, any whitespace between words), then
  :func:`training.corpus.resolve_overlaps` (longest wins). Labels: PERP: INDIVIDUAL ID ->
  PERP_INDIVIDUAL, PERP: ORGANIZATION ID -> PERP_ORGANIZATION, PHYS TGT: ID -> PHYSICAL_TARGET,
  INCIDENT: INSTRUMENT ID -> WEAPON; a human target (HUM TGT: NAME, with the DESCRIPTIONs linked to it
  as in ``"PRESIDENT": "CEREZO"``, or an unlinked DESCRIPTION) is KILLED if an EFFECT line for it
  reads DEATH (first alternative: ``INJURY / DEATH`` is INJURY), else WOUNDED if one reads INJURY, else
  VICTIM. The same string at the same place with two labels keeps the first of
  KILLED, WOUNDED, PERP_ORGANIZATION, PERP_INDIVIDUAL, PHYSICAL_TARGET, WEAPON, VICTIM.
* ``casualties`` (documented choice): per template, killed = sum of HUM TGT: NUMBER over the targets
  whose effect is DEATH (0 when there are none). A number is ``N``, ``~N`` (about N), ``N-`` (at least
  N) or ``N-M`` (N, the lower bound); ``-N`` (at most N), PLURAL or a missing number is unknown; among
  alternatives (``10 / 10- / PLURAL``) the first readable one counts. When a DEATH target's number is
  unknown (or the effect points at no target, ``DEATH: "-"``) and every human target of the template
  died, HUM TGT: TOTAL NUMBER is used; otherwise killed is unknown. Same for wounded (INJURY). The
  document figure sums its templates and is ``None`` if any template's is unknown; irrelevant
  documents get 0 and 0. Templates marked OPTIONAL count like the others.
* ``incidents``: one record per template (optional ones too, flagged ``optional``), each role a list of
  entities, each entity its alternative strings (Victim: name alternatives then linked descriptions).

>>> docs = read_muc4("../shared/data/muc4/raw/TASK/CORPORA", ["tst1"])  # doctest: +SKIP
>>> docs[0]["id"], docs[0]["attack_types"], docs[0]["casualties"]  # doctest: +SKIP
('TST1-MUC3-0001', ['arson', 'attack', 'robbery'], {'killed': 2, 'wounded': 0})
>>> docs[0]["incidents"][0]["Target"]  # doctest: +SKIP
[['"SANTO TOMAS" PRESIDENTIAL FARM', 'PRESIDENTIAL FARM']]
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from incidex.training.corpus import find_all, resolve_overlaps

MUC4_ATTACK_TYPES = ["attack", "bombing", "kidnapping", "arson", "robbery", "forced work stoppage"]
MUC4_SPAN_LABELS = ["PERP_INDIVIDUAL", "PERP_ORGANIZATION", "PHYSICAL_TARGET", "WEAPON", "KILLED", "WOUNDED", "VICTIM"]

SLOT_NAMES = {
    0: "MESSAGE: ID", 1: "MESSAGE: TEMPLATE", 2: "INCIDENT: DATE", 3: "INCIDENT: LOCATION",
    4: "INCIDENT: TYPE", 5: "INCIDENT: STAGE OF EXECUTION", 6: "INCIDENT: INSTRUMENT ID",
    7: "INCIDENT: INSTRUMENT TYPE", 8: "PERP: INCIDENT CATEGORY", 9: "PERP: INDIVIDUAL ID",
    10: "PERP: ORGANIZATION ID", 11: "PERP: ORGANIZATION CONFIDENCE", 12: "PHYS TGT: ID",
    13: "PHYS TGT: TYPE", 14: "PHYS TGT: NUMBER", 15: "PHYS TGT: FOREIGN NATION",
    16: "PHYS TGT: EFFECT OF INCIDENT", 17: "PHYS TGT: TOTAL NUMBER", 18: "HUM TGT: NAME",
    19: "HUM TGT: DESCRIPTION", 20: "HUM TGT: TYPE", 21: "HUM TGT: NUMBER", 22: "HUM TGT: FOREIGN NATION",
    23: "HUM TGT: EFFECT OF INCIDENT", 24: "HUM TGT: TOTAL NUMBER",
}
# slot -> (incident role, span label) for the plain string slots
STRING_SLOTS = {9: ("PerpInd", "PERP_INDIVIDUAL"), 10: ("PerpOrg", "PERP_ORGANIZATION"),
                12: ("Target", "PHYSICAL_TARGET"), 6: ("Weapon", "WEAPON")}
ROLES = ["PerpInd", "PerpOrg", "Target", "Victim", "Weapon"]
ROLE_LABELS = {"PerpInd": {"PERP_INDIVIDUAL"}, "PerpOrg": {"PERP_ORGANIZATION"}, "Target": {"PHYSICAL_TARGET"},
               "Weapon": {"WEAPON"}, "Victim": {"KILLED", "WOUNDED", "VICTIM"}}
# the same string at the same place with two labels: casualties first, VICTIM (targeted, unharmed) last
LABEL_PRIORITY = ["KILLED", "WOUNDED", "PERP_ORGANIZATION", "PERP_INDIVIDUAL", "PHYSICAL_TARGET", "WEAPON", "VICTIM"]
EFFECT_LABELS = {"DEATH": "KILLED", "INJURY": "WOUNDED"}

_DOC_ID = re.compile(r"^([A-Z0-9]+-MUC\d-\d{4})\b[^\n]*$", re.MULTILINE)
_SLOT_LINE = re.compile(r"^(\d{1,2})\.\s+(.*)$")
_QUOTE = re.compile(r'(?<!\\)"')


# ----------------------------------------------------------------------------------------- key syntax
def _scan_outside_quotes(value: str, char: str) -> list[int]:
    """Positions of ``char`` outside double-quoted strings (``\\"`` is an escaped quote)."""
    out, quoted, i = [], False, 0
    while i < len(value):
        c = value[i]
        if c == "\\" and i + 1 < len(value):
            i += 2
            continue
        if c == '"':
            quoted = not quoted
        elif c == char and not quoted:
            out.append(i)
        i += 1
    return out


def _repair(value: str) -> str:
    """Drop all unescaped quotes of a line whose quotes do not pair up (``MACHINEGUNS"``)."""
    return _QUOTE.sub("", value) if len(_QUOTE.findall(value)) % 2 else value


def alternatives(value: str) -> list[str]:
    """The alternative strings of one filler, ``?``, quotes, ``-`` and ``*`` removed.

    >>> alternatives('? "\\\\"SANTO TOMAS\\\\" FARM" / "FARM"')
    ['"SANTO TOMAS" FARM', 'FARM']
    """
    value = _repair(value)
    cuts = [-1, *_scan_outside_quotes(value, "/"), len(value)]
    out = []
    for a, b in zip(cuts[:-1], cuts[1:], strict=True):
        part = value[a + 1:b].strip().lstrip("?").strip().strip("()").strip()
        if len(part) >= 2 and part[0] == '"' and part[-1] == '"':
            part = part[1:-1]
        part = " ".join(part.replace('\\"', '"').split())
        if part and part not in ("-", "*") and part not in out:
            out.append(part)
    return out


def split_xref(value: str) -> tuple[str, str | None]:
    """Split ``LEFT: "REF"`` at its first colon outside quotes; ``(value, None)`` when there is none."""
    value = _repair(value)
    colons = _scan_outside_quotes(value, ":")
    if not colons:
        return value, None
    return value[:colons[0]], value[colons[0] + 1:]


def parse_number(value: str) -> int | None:
    """Read a HUM TGT: NUMBER / TOTAL NUMBER fill (see the module docstring); ``None`` when unknown.

    >>> [parse_number(v) for v in ["7", "~100", "6-", "7 - 10", "-26", "PLURAL", "PLURAL / 12"]]
    [7, 100, 6, 7, None, None, 12]
    """
    for alt in alternatives(value):
        alt = alt.replace("~", "").replace(" ", "")
        m = re.fullmatch(r"(\d+)(?:-(\d+)?)?", alt)
        if m:
            return int(m.group(1))
    return None


def parse_key(text: str, source: str = "<key>") -> list[tuple[str, list[dict[int, list[str]]]]]:
    """Parse an answer-key file into ``[(doc_id, [template, ...]), ...]`` in key order.

    A template maps a slot number to its value lines (raw, one per filler). Raises ``ValueError`` naming
    ``source`` and the line for a line that is neither a slot, a continuation nor a comment.
    """
    docs: dict[str, list[dict[int, list[str]]]] = {}
    current: dict[int, list[str]] | None = None
    slot: int | None = None
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith(";"):
            continue
        m = _SLOT_LINE.match(line)
        if m and int(m.group(1)) in SLOT_NAMES and m.group(2).startswith(SLOT_NAMES[int(m.group(1))]):
            slot = int(m.group(1))
            value = m.group(2)[len(SLOT_NAMES[slot]):].strip()
            if slot == 0:
                current = {}
                docs.setdefault(value.split()[0] if value else "", []).append(current)
            elif current is None:
                raise ValueError(f"{source}:{lineno}: slot {slot} before any '0.  MESSAGE: ID' line")
            current.setdefault(slot, []).append(value)
        elif line[0].isspace() and current is not None and slot is not None:
            current[slot].append(line.strip())
        else:
            raise ValueError(f"{source}:{lineno}: cannot read key line {line!r}")
    return list(docs.items())


def split_texts(text: str) -> list[tuple[str, str]]:
    """Split a raw text file into ``[(doc_id, article), ...]``; the article keeps its dateline."""
    heads = list(_DOC_ID.finditer(text))
    return [(m.group(1), text[m.end():(heads[i + 1].start() if i + 1 < len(heads) else len(text))].strip())
            for i, m in enumerate(heads)]


# ----------------------------------------------------------------------------------------- templates
@dataclass
class _Target:
    """One human target: its name alternatives, linked descriptions, effect and number."""

    names: list[str]
    descriptions: list[str] = field(default_factory=list)
    effect: str | None = None
    number: int | None = None

    def strings(self) -> list[str]:
        return self.names + [d for d in self.descriptions if d not in self.names]


def _norm(s: str) -> str:
    return " ".join(s.upper().split())


def _find_target(targets: list[_Target], ref: str | None, used: set[int]) -> int | None:
    """Index of the target a cross-reference names (first one not yet used by this slot, if several)."""
    refs = {_norm(r) for r in alternatives(ref or "")}
    hits = [i for i, t in enumerate(targets) if refs & {_norm(s) for s in t.strings()}]
    free = [i for i in hits if i not in used]
    return (free or hits or [None])[0]


def _human_targets(tpl: dict[int, list[str]]) -> tuple[list[_Target], list[str]]:
    """Human targets of a template, and the effects that point at no target (``DEATH: "-"``)."""
    targets = [_Target(alts) for v in tpl.get(18, []) if (alts := alternatives(v))]
    for v in tpl.get(19, []):
        left, ref = split_xref(v)
        descs = alternatives(left)
        if not descs:
            continue
        i = _find_target(targets, ref, set()) if ref is not None and targets else None
        if i is None:
            targets.append(_Target([], descs))
        else:
            targets[i].descriptions += [d for d in descs if d not in targets[i].descriptions]
    used: set[int] = set()
    for v in tpl.get(21, []):
        left, ref = split_xref(v)
        i = _find_target(targets, ref, used)
        if i is not None:
            used.add(i)
            targets[i].number = parse_number(left)
    used, orphans = set(), []
    for v in tpl.get(23, []):
        left, ref = split_xref(v)
        effects = [e.strip("() ") for e in alternatives(left)]
        if not effects:
            continue
        i = _find_target(targets, ref, used)
        if i is None:
            orphans.append(effects[0])
            continue
        used.add(i)
        old = targets[i].effect
        if old is None or (effects[0] in EFFECT_LABELS and old not in EFFECT_LABELS) or effects[0] == "DEATH":
            targets[i].effect = effects[0]
    return targets, orphans


def _count(effect: str, targets: list[_Target], orphans: list[str], total: int | None) -> int | None:
    """Number of human targets of one template with ``effect`` (see the module docstring)."""
    hit = [t for t in targets if t.effect == effect]
    if not hit and effect not in orphans:
        return 0
    if effect not in orphans and all(t.number is not None for t in hit):
        return sum(t.number or 0 for t in hit)
    everyone = all(t.effect == effect for t in targets) and all(o == effect for o in orphans)
    return total if everyone else None


def _incident(tpl: dict[int, list[str]], targets: list[_Target]) -> dict[str, Any]:
    types = [t.lower() for t in alternatives(" ".join(tpl.get(4, [])))]
    stage = alternatives(tpl.get(5, [""])[0])
    rec: dict[str, Any] = {"type": types[0] if types else None, "stage": stage[0].lower() if stage else None,
                           "optional": "OPTIONAL" in " ".join(tpl.get(1, [])).upper()}
    for slot, (role, _label) in STRING_SLOTS.items():
        rec[role] = [alts for v in tpl.get(slot, []) if (alts := alternatives(v))]
    rec["Victim"] = [t.strings() for t in targets]
    return {k: rec[k] for k in ["type", "stage", "optional", *ROLES]}


def convert_document(doc_id: str, text: str, templates: list[dict[int, list[str]]], set_name: str) -> dict[str, Any]:
    """One format-v1 document from an article and its key templates."""
    relevant = [t for t in templates if alternatives(" ".join(t.get(1, ["*"])))]
    types: set[str] = set()
    found: dict[tuple[str, str], None] = {}  # (filler, label), in key order
    killed: int | None = 0
    wounded: int | None = 0
    incidents = []
    for tpl in relevant:
        types.update(t.lower() for t in alternatives(" ".join(tpl.get(4, []))))
        targets, orphans = _human_targets(tpl)
        for slot, (_role, label) in STRING_SLOTS.items():
            for v in tpl.get(slot, []):
                found.update(((s, label), None) for s in alternatives(v))
        for t in targets:
            label = EFFECT_LABELS.get(t.effect or "", "VICTIM")
            found.update(((s, label), None) for s in t.strings())
        total = parse_number(tpl.get(24, ["-"])[0].split(":")[0])
        k, w = _count("DEATH", targets, orphans, total), _count("INJURY", targets, orphans, total)
        killed = None if killed is None or k is None else killed + k
        wounded = None if wounded is None or w is None else wounded + w
        incidents.append(_incident(tpl, targets))
    candidates = [{"start": s, "end": e, "label": label}
                  for filler, label in sorted(found, key=lambda fl: LABEL_PRIORITY.index(fl[1]))
                  for s, e in find_all(text, filler)]
    unique: dict[tuple[int, int], dict[str, Any]] = {}
    for c in candidates:  # the same place found with two labels: the higher priority wins
        unique.setdefault((c["start"], c["end"]), c)
    return {"id": doc_id, "text": text, "attack_types": sorted(types), "spans": resolve_overlaps(list(unique.values())),
            "casualties": {"killed": killed, "wounded": wounded}, "incidents": incidents,
            "meta": {"set": set_name}}


# ----------------------------------------------------------------------------------------- files
def _read(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def set_files(set_dir: Path, set_name: str) -> tuple[list[Path], list[Path]]:
    """``(text files, key files)`` of one set folder, sorted by name.

    Texts are the files whose name starts with ``<set>-``; ``X.mixed-case`` replaces ``X``.
    """
    if not set_dir.is_dir():
        raise FileNotFoundError(f"MUC-4 set folder not found: {set_dir}")
    files = sorted(p for p in set_dir.iterdir() if p.is_file())
    texts = [p for p in files if p.name.lower().startswith(set_name.lower() + "-")]
    texts = [p for p in texts if p.with_name(p.name + ".mixed-case") not in texts]
    keys = [p for p in files if p.name.lower().startswith("key-")]
    if not texts or not keys:
        raise FileNotFoundError(f"no {'texts' if not texts else 'keys'} ({set_name}-* / key-*) in {set_dir}")
    return texts, keys


def read_muc4(corpora_dir: str | Path, sets: Sequence[str]) -> list[dict[str, Any]]:
    """Read MUC-4 sets (``corpora_dir/<set>/``) into format-v1 documents, in corpus order.

    A document with a text but no key gets no labels; a key for a document without text, or a document
    id seen twice, raises ``ValueError`` naming the path.
    """
    docs: list[dict[str, Any]] = []
    for set_name in sets:
        set_dir = Path(corpora_dir) / set_name
        text_files, key_files = set_files(set_dir, set_name)
        texts: dict[str, str] = {}
        for path in text_files:
            for doc_id, article in split_texts(_read(path)):
                if doc_id in texts:
                    raise ValueError(f"{path}: document {doc_id} appears twice")
                texts[doc_id] = article
        keys: dict[str, list[dict[int, list[str]]]] = {}
        for path in key_files:
            for doc_id, templates in parse_key(_read(path), str(path)):
                if doc_id not in texts:
                    raise ValueError(f"{path}: the key names document {doc_id!r}, which has no text in {set_dir}")
                keys.setdefault(doc_id, []).extend(templates)
        for doc_id, article in texts.items():
            if doc_id in keys:
                docs.append(convert_document(doc_id, article, keys[doc_id], set_name))
            else:
                docs.append({"id": doc_id, "text": article, "meta": {"set": set_name}})
    return docs


def human_target_fills(corpora_dir: str | Path, sets: Sequence[str]) -> tuple[list[str], list[str]]:
    """``(names, descriptions)``: every alternative string of the HUM TGT: NAME and HUM TGT: DESCRIPTION fills
    of the keys of ``sets``, read as the importer reads human targets (``_human_targets``).

    >>> names, descriptions = human_target_fills("../shared/data/muc4/raw/TASK/CORPORA", ["dev"])  # doctest: +SKIP
    >>> names[0], descriptions[0]  # doctest: +SKIP
    ('ARNULFO ROMERO', 'PEASANTS')
    """
    names: list[str] = []
    descriptions: list[str] = []
    for set_name in sets:
        for path in set_files(Path(corpora_dir) / set_name, set_name)[1]:
            for _, templates in parse_key(_read(path), str(path)):
                for tpl in templates:
                    for target in _human_targets(tpl)[0]:
                        names += target.names
                        descriptions += target.descriptions
    return names, descriptions


# ----------------------------------------------------------------------------------------- GTT check
def _nonspace(text: str) -> tuple[str, list[int]]:
    """Lower-cased text without whitespace (``[]`` read as ``()``, as GTT writes them) and positions."""
    keep = [(c, i) for i, c in enumerate(text) if not c.isspace()]
    chars = "".join(c for c, _ in keep).lower().translate(str.maketrans("[]", "()"))
    return chars, [i for _, i in keep]


def _norm_mention(s: str) -> str:
    return " ".join(s.lower().translate(str.maketrans("[]", "()")).split())


def _rates(stats: dict[str, dict[str, int]]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for role, st in [*stats.items(), ("overall", {k: sum(s[k] for s in stats.values()) for k in stats["PerpInd"]})]:
        out[role] = dict(st)
        for k in st:
            if k != "mentions":
                out[role][k + "_rate"] = st[k] / st["mentions"] if st["mentions"] else 1.0
    return out


def gtt_coverage(docs: Sequence[dict[str, Any]], gtt_path: str | Path) -> dict[str, Any]:
    """How many GTT role-filler mentions (``processed_gtt/*.json``) our spans cover, per role and overall.

    GTT's doctext is the article lower-cased, whitespace-collapsed, without its dateline and with ``[]``
    written ``()``. GTT gives each mention the offset of its *first substring occurrence* (even inside a
    longer word: "men" in "government"), so its offsets do not tell which occurrence the key meant.
    The headline measure is therefore per document and string: a mention ``(doc, role, string)`` is
    *covered* when a span of ours whose label belongs to the role has that string as its text or
    contains it on word boundaries (lower-cased, whitespace-normalised, ``[]`` as ``()``).
    ``by_offset`` is the stricter positional check: both texts are aligned on their non-whitespace
    characters, and the mention at GTT's offset must lie inside a span of a label of its role
    (``covered``), be exactly such a span (``exact``) or lie inside any span (``any_label``).
    ``by_entity`` counts GTT entities (``mentions`` there means entities) with at least one mention
    covered by the string measure, as GTT's role-filler score would credit them.
    Mentions of documents missing from ``docs`` or that cannot be aligned count as not covered.
    """
    by_id = {str(d["id"]): d for d in docs}
    by_string = {r: {"mentions": 0, "covered": 0} for r in ROLES}
    by_entity = {r: {"mentions": 0, "covered": 0} for r in ROLES}
    by_offset = {r: {"mentions": 0, "covered": 0, "exact": 0, "any_label": 0} for r in ROLES}
    missing, unaligned = [], []
    with open(gtt_path, encoding="utf-8") as f:
        gtt = [json.loads(line) for line in f if line.strip()]
    for g in gtt:
        doc = by_id.get(g["docid"])
        mentions = {(role, m[1], m[0]) for t in g["templates"] for role in ROLES
                    for entity in t.get(role, []) for m in entity}
        spans = doc.get("spans", []) if doc else []
        labelled = {(sp["label"], _norm_mention(doc["text"][sp["start"]:sp["end"]])) for sp in spans} if doc else set()
        hit: dict[tuple[str, str], bool] = {}
        for role, string in {(r, _norm_mention(s)) for r, _, s in mentions}:
            hit[role, string] = any(label in ROLE_LABELS[role] and (text == string or find_all(text, string))
                                    for label, text in labelled)
            by_string[role]["mentions"] += 1
            by_string[role]["covered"] += hit[role, string]
        entities = {(role, frozenset(_norm_mention(m[0]) for m in entity))
                    for t in g["templates"] for role in ROLES for entity in t.get(role, []) if entity}
        for role, strings in entities:
            by_entity[role]["mentions"] += 1
            by_entity[role]["covered"] += any(hit[role, s] for s in strings)
        if doc is None:
            missing.append(g["docid"])
        ours, pos = _nonspace(doc["text"]) if doc else ("", [])
        theirs, their_pos = _nonspace(g["doctext"])
        shift = ours.find(theirs) if doc else -1
        if doc and shift < 0:
            unaligned.append(g["docid"])
        index = {p: k for k, p in enumerate(their_pos)}
        for role, off, string in mentions:
            by_offset[role]["mentions"] += 1
            inner = [index[p] for p in range(off, off + len(string)) if p in index]
            if shift < 0 or not inner:
                continue
            s, e = pos[inner[0] + shift], pos[inner[-1] + shift] + 1
            inside = [sp for sp in spans if sp["start"] <= s and e <= sp["end"]]
            ok = [sp for sp in inside if sp["label"] in ROLE_LABELS[role]]
            by_offset[role]["any_label"] += bool(inside)
            by_offset[role]["covered"] += bool(ok)
            by_offset[role]["exact"] += any(sp["start"] == s and sp["end"] == e for sp in ok)
    strings = _rates(by_string)
    return {"coverage": strings["overall"]["covered_rate"], "by_string": strings, "by_offset": _rates(by_offset),
            "by_entity": _rates(by_entity),
            "docs": len(gtt) - len(missing), "missing": missing, "unaligned": unaligned}
