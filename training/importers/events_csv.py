"""Import event datasets (GTD and ACLED CSV exports) into the incidex corpus format v2.

One CSV row gives one document: the row's free text, its attack types (mapped with the tables below),
its casualty counts and PERP_ORGANIZATION spans where the responsible group's name occurs in the text.
The GTD row ``eventid=201501010001, summary="Boko Haram militants killed 3 people in Maiduguri.",
attacktype1_txt="Armed Assault", nkill="3.0", nwound="", gname="Boko Haram"`` becomes

    {"id": "201501010001", "text": "Boko Haram militants killed 3 people in Maiduguri.",
     "attack_types": ["armed attack"], "spans": [{"start": 0, "end": 10, "label": "PERP_ORGANIZATION"}],
     "casualties": {"killed": 3, "wounded": null}, "meta": {"gname": "Boko Haram",
     "span_labels": ["PERP_ORGANIZATION"], "imported_from": "gtd"},
     "annotated": {"spans": ["PERP_ORGANIZATION"], "attack_types": ["armed attack", "arson", ...]}}

Only the group's name is marked: ``annotated.spans`` (and ``meta.span_labels``) say so, as the other span
labels (KILLED, WEAPON, ...) are not annotated in these datasets and must not be trained as O; a row without
the group column annotates no span label. ``annotated.attack_types`` is every type the row's table can
express (its labels, with ``type_map``, plus the row's own unmapped values); a row whose type is unknown
annotates none. Problems carry the physical line of the row (a quoted summary may
span several lines). In the tables, a label of ``None`` means "type unknown" (when no other type is given
the document has no ``attack_types`` key: not labelled for types) and ``""`` means "not an attack"
(``attack_types: []``); values not in a table are lower-cased as they are. ``type_map`` overrides entries,
e.g. ``{"Armed Assault": "attack"}`` to use the MUC-4 label.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from incidex.training.corpus import find_all, resolve_overlaps
from incidex.training.importers.spans import Collector, ConversionError, Doc

# GTD attacktype1_txt .. attacktype3_txt (GTD codebook, "Attack Type") -> incidex attack type.
GTD_ATTACK_TYPES: dict[str, str | None] = {
    "Assassination": "assassination",
    "Armed Assault": "armed attack",
    "Bombing/Explosion": "bombing",
    "Hijacking": "hijacking",
    "Hostage Taking (Barricade Incident)": "hostage taking",
    "Hostage Taking (Kidnapping)": "kidnapping",
    # GTD's facility attacks are arson and sabotage: "arson" when weaptype1_txt is "Incendiary".
    "Facility/Infrastructure Attack": "facility attack",
    "Facility/Infrastructure Attack (Incendiary)": "arson",
    "Unarmed Assault": "unarmed assault",
    "Unknown": None,
}

# ACLED sub_event_type (ACLED codebook) -> incidex attack type.
ACLED_ATTACK_TYPES: dict[str, str | None] = {
    # Battles: fighting between armed groups, including fights that change who holds a place.
    "Armed clash": "armed attack",
    "Government regains territory": "armed attack",
    "Non-state actor overtakes territory": "armed attack",
    # Explosions/Remote violence.
    "Shelling/artillery/missile attack": "shelling",
    "Air/drone strike": "air strike",
    "Remote explosive/landmine/IED": "bombing",
    "Suicide bomb": "bombing",
    "Grenade": "bombing",
    "Chemical weapon": "chemical attack",
    # Violence against civilians.
    "Attack": "armed attack",
    "Abduction/forced disappearance": "kidnapping",
    "Sexual violence": "sexual violence",
    # Riots and violent protest policing.
    "Mob violence": "riot",
    "Violent demonstration": "riot",
    "Excessive force against protesters": "armed attack",
    # Strategic developments.
    "Looting/property destruction": "looting",
    "Arson": "arson",
    "Disrupted weapons use": "",
    "Agreement": "",
    "Arrests": "",
    "Change to group/activity": "",
    "Headquarters or base established": "",
    "Non-violent transfer of territory": "",
    "Peaceful protest": "",
    "Protest with intervention": "",
    "Other": None,
}

GTD_NO_GROUP = {"unknown", "other", "unaffiliated individual(s)"}
# ACLED actors that name a kind of people, not an organisation: never marked as PERP_ORGANIZATION.
ACLED_GENERIC = ("civilians", "protesters", "rioters", "unidentified")
GTD_META = ("gname", "iyear", "imonth", "iday", "country_txt", "city")
ACLED_META = ("event_date", "country", "admin1", "location", "event_type", "sub_event_type", "actor1", "actor2")


def _key(value: str) -> str:
    return " ".join(value.split()).lower()


def _table(defaults: Mapping[str, str | None], overrides: Mapping[str, str | None] | None) -> dict[str, Any]:
    return {_key(k): v for k, v in {**defaults, **(overrides or {})}.items()}


def map_types(raws: Iterable[str], table: Mapping[str, str | None]) -> list[str] | None:
    """Attack types for one row's raw type values; None when no value says anything (blank or unknown).

    >>> map_types(["Bombing/Explosion", "Unknown", "Sabotage"], _table(GTD_ATTACK_TYPES, None))
    ['bombing', 'sabotage']
    """
    labels: list[str] = []
    known = False
    for raw in raws:
        label = table.get(_key(raw), _key(raw)) if raw.strip() else None
        if label is not None:
            known = True
            if label and label not in labels:
                labels.append(label)
    return labels if known else None


def count(raw: str) -> int | None | str:
    """A casualty count: ``"3"`` and ``"3.0"`` give 3, blank gives None; anything else a message.

    >>> count("3.0"), count(" "), count("2.5")
    (3, None, "must be a whole number >= 0, got '2.5'")
    """
    raw = raw.strip()
    if not raw:
        return None
    try:
        x = float(raw)
    except ValueError:
        return f"not a number: {raw!r}"
    if not x.is_integer() or x < 0:
        return f"must be a whole number >= 0, got {raw!r}"
    return int(x)


def names(name: str, *, acronyms: bool) -> list[str]:
    """Strings to look for in the text for one group or actor name, without its brackets.

    >>> names("Military Forces of Nigeria (2015-) Air Force", acronyms=False)
    ['Military Forces of Nigeria Air Force', 'Military Forces of Nigeria']
    >>> names("Farabundo Marti National Liberation Front (FMLN)", acronyms=True)
    ['Farabundo Marti National Liberation Front', 'FMLN']
    >>> names("JNIM: Group for Support of Islam and Muslims", acronyms=False)
    ['JNIM: Group for Support of Islam and Muslims', 'JNIM', 'Group for Support of Islam and Muslims']
    """
    bare = " ".join(re.sub(r"\([^)]*\)", " ", name).split())
    found = [bare, name.split("(")[0].strip()]
    if acronyms:  # GTD: "Tehrik-i-Taliban Pakistan (TTP)"; ACLED's brackets hold countries and years
        found += [m for m in re.findall(r"\(([^)]*)\)", name) if re.fullmatch(r"[A-Z][\w.&'-]*", m)
                  and sum(ch.isupper() for ch in m) >= 2]
    for sep in (": ", " - "):  # ACLED: "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad"
        if sep in bare:
            found += [part.strip() for part in bare.split(sep)]
    return [n for n in dict.fromkeys(found) if len(n) >= 2]


def group_spans(text: str, name: str, *, acronyms: bool) -> list[Doc]:
    """PERP_ORGANIZATION spans wherever one of the group's :func:`names` occurs (longest kept)."""
    spans = [{"start": s, "end": e, "label": "PERP_ORGANIZATION"}
             for n in names(name, acronyms=acronyms) for s, e in find_all(text, n)]
    return resolve_overlaps(spans)


def read_rows(c: Collector, encoding: str, required: Sequence[str], id_col: str) -> list[tuple[int, dict[str, str]]]:
    """``(physical line, row)`` for each non-blank data row; header names are stripped and lower-cased."""
    try:
        raw = Path(c.path).read_bytes()
        text = raw.decode(encoding)
    except OSError as e:
        c.problem(0, None, None, f"cannot read: {e}")
        return []
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        c.problem(line, None, None, f"not {encoding} ({e.reason} at byte {e.start}); try encoding='cp1252'")
        return []
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    prev = 0  # physical lines read so far: a row starts on the next one
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            c.problem(prev + 1, None, None, f"bad CSV: {e}")
            prev = reader.line_num
            continue
        line, prev = prev + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = [h.strip().lstrip("\ufeff").lower() for h in cells]
            missing = [col for col in required if col not in header]
            for col in missing:
                c.problem(line, None, col, f"column missing from the header (columns: {', '.join(header)})")
            if missing:
                return []
        elif len(cells) != len(header):
            at = header.index(id_col) if id_col in header else len(cells)
            doc_id = (cells[at].strip() or None) if at < len(cells) else None
            c.problem(line, doc_id, None, f"{len(cells)} fields where the header has {len(header)}")
        else:
            rows.append((line, dict(zip(header, cells, strict=True))))
    if header is None:
        c.problem(0, None, None, "no header row")
    return rows


def _row_doc(c: Collector, line: int, row: dict[str, str], id_col: str, text_col: str,
             skip_empty: bool) -> Doc | None:
    doc_id = c.doc_id(row.get(id_col, "").strip(), line)
    if not row[text_col].strip():
        if not skip_empty:
            c.problem(line, doc_id, text_col, "empty text")
        return None
    return {"id": doc_id, "text": row[text_col]}


def _casualty(c: Collector, line: int, doc: Doc, row: dict[str, str], col: str) -> int | None:
    value = count(row.get(col, ""))
    if isinstance(value, str):
        c.problem(line, doc["id"], col, value)
        return None
    return value


def _annotated(doc: Doc, table: Mapping[str, str | None], has_spans: bool) -> dict[str, list[str]]:
    """What one row annotates: the perpetrator label when it has the group column, and the types its table
    can express when its type is known.

    >>> _annotated({"attack_types": ["sabotage"]}, {"a": "bombing", "b": None, "c": ""}, True)
    {'spans': ['PERP_ORGANIZATION'], 'attack_types': ['bombing', 'sabotage']}
    """
    types = sorted({v for v in table.values() if v} | set(doc["attack_types"])) if "attack_types" in doc else []
    return {"spans": ["PERP_ORGANIZATION"] if has_spans else [], "attack_types": types}


def _finish(c: Collector, annotated: dict[str, dict[str, list[str]]]) -> list[Doc]:
    """``c.finish()``, then each document's ``annotated`` field (added after validation, so that a format-v1
    validator does not reject it)."""
    try:
        docs = c.finish()
    except ConversionError as e:
        for doc in e.documents:
            doc["annotated"] = annotated[doc["id"]]
        raise
    for doc in docs:
        doc["annotated"] = annotated[doc["id"]]
    return docs


def _meta(row: dict[str, str], cols: Sequence[str]) -> Doc:
    return {col: row[col].strip() for col in cols if row.get(col, "").strip()}


def read_gtd_csv(path: str | Path, *, encoding: str = "utf-8-sig", type_map: Mapping[str, str | None] | None = None,
                 skip_empty: bool = False) -> list[Doc]:
    """Read a GTD CSV export: ``summary`` (text), ``attacktype1_txt`` .. ``attacktype3_txt``, ``nkill``,
    ``nwound``, ``gname`` and optionally ``eventid`` (id), ``weaptype1_txt``. ``skip_empty`` skips rows
    without a summary (most GTD events before 1998) instead of reporting them.
    """
    c = Collector(path, "gtd")
    table = _table(GTD_ATTACK_TYPES, type_map)
    annotated: dict[str, dict[str, list[str]]] = {}
    for line, row in read_rows(c, encoding, ["summary"], "eventid"):
        before = len(c.problems)
        doc = _row_doc(c, line, row, "eventid", "summary", skip_empty)
        if doc is None:
            continue
        type_cols = [f"attacktype{k}_txt" for k in (1, 2, 3) if f"attacktype{k}_txt" in row]
        incendiary = _key(row.get("weaptype1_txt", "")).startswith("incendiary")
        raws = [row[col] + (" (Incendiary)" if incendiary and _key(row[col]) == "facility/infrastructure attack"
                            else "") for col in type_cols]
        types = map_types(raws, table)
        if types is not None:
            doc["attack_types"] = types
        group = row.get("gname", "").strip()
        if "gname" in row:
            doc["spans"] = [] if _key(group) in GTD_NO_GROUP else group_spans(doc["text"], group, acronyms=True)
        doc["casualties"] = {"killed": _casualty(c, line, doc, row, "nkill"),
                             "wounded": _casualty(c, line, doc, row, "nwound")}
        doc["meta"] = {**_meta(row, GTD_META), "span_labels": ["PERP_ORGANIZATION"]}
        annotated[doc["id"]] = _annotated(doc, table, "gname" in row)
        c.add(line, doc, before)
    return _finish(c, annotated)


def read_acled_csv(path: str | Path, *, encoding: str = "utf-8-sig",
                   type_map: Mapping[str, str | None] | None = None, skip_empty: bool = False) -> list[Doc]:
    """Read an ACLED CSV export: ``notes`` (text), ``sub_event_type``, ``fatalities``, ``actor1``, ``actor2``
    and optionally ``event_id_cnty`` (id). ``fatalities`` gives ``casualties.killed``; ACLED has no count of
    wounded, so ``wounded`` is null. Only ``actor1`` is marked (PERP_ORGANIZATION): ``actor2`` is the other
    side of a clash or a generic "Civilians (Country)", neither a perpetrator nor a name found in the notes.
    ``actor1`` is also not marked when generic ("Protesters (Chad)", "Unidentified Armed Group (Mali)").
    """
    c = Collector(path, "acled")
    table = _table(ACLED_ATTACK_TYPES, type_map)
    annotated: dict[str, dict[str, list[str]]] = {}
    for line, row in read_rows(c, encoding, ["notes"], "event_id_cnty"):
        before = len(c.problems)
        doc = _row_doc(c, line, row, "event_id_cnty", "notes", skip_empty)
        if doc is None:
            continue
        types = map_types([row.get("sub_event_type", "")], table)
        if types is not None:
            doc["attack_types"] = types
        actor = row.get("actor1", "").strip()
        if "actor1" in row:
            generic = not actor or _key(actor).startswith(ACLED_GENERIC)
            doc["spans"] = [] if generic else group_spans(doc["text"], actor, acronyms=False)
        doc["casualties"] = {"killed": _casualty(c, line, doc, row, "fatalities"), "wounded": None}
        doc["meta"] = {**_meta(row, ACLED_META), "span_labels": ["PERP_ORGANIZATION"]}
        annotated[doc["id"]] = _annotated(doc, table, "actor1" in row)
        c.add(line, doc, before)
    return _finish(c, annotated)
