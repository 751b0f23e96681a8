"""Span roles: what a span label means (perpetrator, target, weapon, killed, wounded, victim).

Labels are data (a corpus may call its deaths FATALITIES); roles are a fixed vocabulary that record
building, casualty counting and entity clustering read. ``EventExtractorConfig.span_roles`` maps label ->
role; when it is None the map is derived from the label names the project has always used
(``DEFAULT_SPAN_ROLES``), so models saved before the field existed keep their meaning. Standard library
only (casualties and entities import it without torch or transformers).

>>> resolve_span_roles(["KILLED", "WEAPON", "LOCATION"])
{'KILLED': 'killed', 'WEAPON': 'weapon'}
>>> resolve_span_roles(["FATALITIES"], {"FATALITIES": "killed"})
{'FATALITIES': 'killed'}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

SPAN_ROLES = ("perpetrator_individual", "perpetrator_organization", "target", "weapon", "killed", "wounded",
              "victim")
# the label names of the MUC-4 importer and the bundled sample corpus; used only when span_roles is None
DEFAULT_SPAN_ROLES = {
    "PERP_INDIVIDUAL": "perpetrator_individual",
    "PERP_ORGANIZATION": "perpetrator_organization",
    "PHYSICAL_TARGET": "target",
    "WEAPON": "weapon",
    "KILLED": "killed",
    "WOUNDED": "wounded",
    "VICTIM": "victim",
}
# roles whose spans count people: a span of one of them may be a bare number ("wounding [23]"); a perpetrator,
# target or weapon that is only a number ("fired [TWO] bursts") is a tagging error
COUNTED_ROLES = frozenset({"killed", "wounded", "victim"})
# roles that exist only in an attack: a document that reports none has no perpetrator, target or weapon
ATTACK_ROLES = frozenset(SPAN_ROLES) - COUNTED_ROLES
# the five MUC-4 / GRIT role-filler slots, and which span role fills which (one table for eval/metrics.py
# and eval/grit.py; killed, wounded and other victims are all MUC-4 victims)
MUC_ROLES = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")
MUC_ROLE_OF_SPAN_ROLE = {
    "perpetrator_individual": "PerpInd",
    "perpetrator_organization": "PerpOrg",
    "target": "Target",
    "weapon": "Weapon",
    "killed": "Victim",
    "wounded": "Victim",
    "victim": "Victim",
}


def validate_span_roles(span_roles: Mapping[str, str], span_labels: Sequence[str] | None = None,
                        source: str = "span_roles") -> dict[str, str]:
    """Check a label -> role map; return it as a plain dict. Errors name ``source`` and the bad entry.

    >>> validate_span_roles({"DEAD": "victims"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: span_roles: 'DEAD' has role 'victims'; roles are perpetrator_individual, ...
    """
    if not isinstance(span_roles, Mapping):
        raise ValueError(f"{source}: must be a mapping of span label -> role, got {type(span_roles).__name__}")
    out: dict[str, str] = {}
    for label, role in span_roles.items():
        if not isinstance(label, str) or not label:
            raise ValueError(f"{source}: label {label!r} must be a non-empty string")
        if role not in SPAN_ROLES:
            raise ValueError(f"{source}: {label!r} has role {role!r}; roles are {', '.join(SPAN_ROLES)}")
        if span_labels is not None and label not in span_labels:
            raise ValueError(f"{source}: {label!r} is not a span label (span labels: {', '.join(span_labels)})")
        out[label] = role
    return out


def resolve_span_roles(span_labels: Sequence[str] | None, span_roles: Mapping[str, str] | None = None
                       ) -> dict[str, str]:
    """label -> role for ``span_labels``: ``span_roles`` when given, else ``DEFAULT_SPAN_ROLES`` by name.

    Labels without a role are left out (they still appear as spans and entities, never as casualties
    or actors). With ``span_labels`` None every label of the map is kept.
    """
    if span_roles is not None:
        return validate_span_roles(span_roles, span_labels)
    if span_labels is None:
        return dict(DEFAULT_SPAN_ROLES)
    return {label: DEFAULT_SPAN_ROLES[label] for label in span_labels if label in DEFAULT_SPAN_ROLES}


def role_lookup(span_roles: Mapping[str, str] | None) -> Callable[[str], str | None]:
    """``role_of(label)``: the role of a span label under ``span_roles``; with None, the default label names in any
    case (records written by hand say "killed"), as records are read without their model's config.

    >>> role_lookup(None)("killed"), role_lookup({"FATALITIES": "killed"})("fatalities")
    ('killed', None)
    """
    roles = resolve_span_roles(None, span_roles)
    if span_roles is not None:
        return roles.get
    return lambda label: roles.get(label) or roles.get(label.upper())

