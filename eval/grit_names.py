"""Which victim entities GRIT's scheme calls a Victim: named people only (a learned name filter).

GRIT's ``processed_grit`` Victim role holds the MUC-4 HUM TGT: NAME fills only ("Antonio Roldan
Betancur"), never the descriptions ("peasants", "presidential candidate", "three soldiers"), while
incidex's victim roles (KILLED, WOUNDED, VICTIM) tag both, since a reader counting casualties needs the
descriptions. Scored as it is, every described victim is a false positive: 238 predicted Victim entities
against 85 gold on TST1+TST2 (news model of session 4). Case cannot tell a name from a description in
MUC-4's upper-case texts, so :class:`NameFilter` learns it: character 2-4-grams and words, logistic
regression, fitted on the HUM TGT: NAME vs HUM TGT: DESCRIPTION fills of the *training* keys (MUC-4 DEV;
``incidex.training.importers.muc4.human_target_fills``). On the TST1+TST2 keys it is 98.4% accurate
(names kept 96.7%, descriptions kept 1.2%). A victim entity is scored as its canonical text when that is a
name, else as its most informative named mention ("Liberal Party candidate" ~ "Luis Carlos Galan"), and
left out when it has none (:meth:`NameFilter.choose`, the ``choose`` of
:func:`incidex.eval.grit.records_to_grit`). Only the scoring changes; predictions are untouched.

>>> f = NameFilter.fit(["JOSE NAPOLEON DUARTE", "HECTOR OQUELI", "MARIA ELENA DIAZ", "CARLOS GALAN"],
...                    ["PEASANTS", "SOLDIERS", "PRESIDENTIAL CANDIDATE", "THREE CIVILIANS"])
>>> f.keep("Victim", "Hector Oqueli Colindres"), f.keep("Victim", "the soldiers"), f.keep("Target", "bus")
(True, False, True)
>>> f.choose("Victim", "presidential candidate", ["presidential candidate", "Carlos Galan"])
'Carlos Galan'
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any


class NameFilter:
    """``keep(role, text)``: False for a Victim entity whose text reads as a description, True otherwise."""

    def __init__(self, pipeline: Any, roles: Sequence[str] = ("Victim",)):
        self.pipeline = pipeline
        self.roles = tuple(roles)

    @classmethod
    def fit(cls, names: Sequence[str], descriptions: Sequence[str], roles: Sequence[str] = ("Victim",)) -> NameFilter:
        if not names or not descriptions:
            raise ValueError(f"NameFilter.fit needs names and descriptions, got {len(names)} and {len(descriptions)}")
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union

        pipeline = make_pipeline(
            make_union(TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)), TfidfVectorizer(analyzer="word")),
            LogisticRegression(C=10.0, max_iter=2000, class_weight="balanced"))
        pipeline.fit([*names, *descriptions], [1] * len(names) + [0] * len(descriptions))
        return cls(pipeline, roles)

    def is_name(self, text: str) -> bool:
        return bool(self.pipeline.predict_proba([" ".join(text.split())])[0, 1] > 0.5)

    def keep(self, role: str, text: str) -> bool:
        return role not in self.roles or self.is_name(text)

    def choose(self, role: str, text: str, mentions: Sequence[str]) -> str | None:
        """The text a ``role`` entity is scored as: ``text`` if a name (or not a filtered role), else its
        named mention with the most words (then the longest), else None (left out)."""
        if self.keep(role, text):
            return text
        named = [m for m in mentions if self.is_name(m)]
        return max(named, key=lambda m: (len(m.split()), len(m))) if named else None


def muc4_name_filter(corpora_dir: str | Path, sets: Sequence[str] = ("dev",)) -> NameFilter:
    """:class:`NameFilter` fitted on the HUM TGT fills of the MUC-4 keys of ``sets`` (the training split)."""
    from incidex.training.importers.muc4 import human_target_fills

    return NameFilter.fit(*human_target_fills(corpora_dir, sets))
