"""Import the SATP incident digests (South Asia Terrorism Portal, via ConfliBERT) into the corpus format v2.

Input: a TSV file without header, one report a line: ``text \\t armed_assault \\t bombing \\t kidnapping
\\t other``, each flag ``0`` or ``1`` (several may be 1). Read with :mod:`csv` (tab, no quoting: a ``"``
in a report is text; the field size limit raised), so a line is a record and problems carry its number.

Native attack types (:data:`ATTACK_TYPES`, the column names): ``armed_assault`` (shootings, armed
attacks), ``bombing`` (blasts, IEDs, grenades), ``kidnapping`` (abductions), ``other`` (encounters, clashes
and killings that are none of the three). A document's ``attack_types`` are the columns set to 1.

Type-only corpus: no spans and no counts are annotated, so every document has ``"spans": []`` and
``"annotated": {"spans": [], "attack_types": [all four]}`` (its spans say nothing; the span loss ignores
it). Id: ``satp-<file stem>-<line>`` (the source has none).

>>> docs = read_satp("../shared/data/satp/dev.tsv")  # doctest: +SKIP
>>> len(docs), docs[0]["id"], docs[0]["attack_types"]  # doctest: +SKIP
(232, 'satp-dev-1', ['bombing'])
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

from incidex.training.importers.common import annotated, finish
from incidex.training.importers.spans import Collector

ATTACK_TYPES = ("armed_assault", "bombing", "kidnapping", "other")
SPAN_LABELS: tuple[str, ...] = ()

Doc = dict[str, Any]


def read_satp(path: str | Path) -> list[Doc]:
    """Read one SATP TSV file (``train.tsv`` or ``dev.tsv``) into format-v2 documents.

    A line with the wrong number of fields, a flag other than 0/1 or an empty text is a problem (file,
    line, field); blank lines are skipped. Raises
    :class:`~incidex.training.importers.spans.ConversionError` listing every problem.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "dev.tsv"
    ...     _ = path.write_text("Militants shot dead a constable in Quetta.\\t1\\t0\\t0\\t0\\n", encoding="utf-8")
    ...     doc = read_satp(path)[0]
    >>> doc["id"], doc["attack_types"], doc["spans"], doc["annotated"]["spans"]
    ('satp-dev-1', ['armed_assault'], [], [])
    """
    c = Collector(path, "satp")
    declared: dict[str, dict[str, list[str]]] = {}
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
            rows = [(reader.line_num, cells) for cells in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        c.problem(0, None, None, f"cannot read: {e}")
        rows = []
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        before = len(c.problems)
        doc_id = f"satp-{c.stem}-{line}"
        if len(cells) != 1 + len(ATTACK_TYPES):
            c.problem(line, doc_id, None, f"{len(cells)} fields, expected text and {len(ATTACK_TYPES)} flags "
                      f"({', '.join(ATTACK_TYPES)})")
            continue
        text, flags = cells[0], [cell.strip() for cell in cells[1:]]
        if not text.strip():
            c.problem(line, doc_id, "text", "empty")
            continue
        bad = [(name, flag) for name, flag in zip(ATTACK_TYPES, flags) if flag not in ("0", "1")]
        for name, flag in bad:
            c.problem(line, doc_id, name, f"must be 0 or 1, got {flag!r}")
        if bad:
            continue
        types = [name for name, flag in zip(ATTACK_TYPES, flags) if flag == "1"]
        c.add(line, {"id": doc_id, "text": text, "attack_types": types, "spans": [],
                     "meta": {"file": Path(path).name, "line": line}}, before)
        declared[doc_id] = annotated([], ATTACK_TYPES)
    return finish(c, declared)
