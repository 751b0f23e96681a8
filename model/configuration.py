"""`EventExtractorConfig`: the encoder's config, both label maps, windowing and loss settings.

>>> from transformers import BertConfig
>>> cfg = EventExtractorConfig(encoder_config=BertConfig(hidden_size=32, num_hidden_layers=2,
...     num_attention_heads=2, intermediate_size=64), attack_types=["arson", "bombing"], span_labels=["KILLED"])
>>> cfg.tags
['O', 'B-KILLED', 'I-KILLED']
>>> cfg.type_label2id["bombing"]
1
"""

from __future__ import annotations

from typing import Any

from transformers import AutoConfig, PretrainedConfig
from transformers.configuration_utils import SubConfigSpec

from . import __version__ as _incidex_version
from .roles import resolve_span_roles, validate_span_roles

DEFAULT_ENCODER = "sentence-transformers/all-MiniLM-L6-v2"


def bio_tags(span_labels: list[str]) -> list[str]:
    """BIO tag list for span labels: ``O`` first, then ``B-X``, ``I-X`` for each label in order.

    >>> bio_tags(["KILLED", "WEAPON"])
    ['O', 'B-KILLED', 'I-KILLED', 'B-WEAPON', 'I-WEAPON']
    """
    tags = ["O"]
    for label in span_labels:
        tags += [f"B-{label}", f"I-{label}"]
    return tags


class EventExtractorConfig(PretrainedConfig):
    """Configuration of :class:`model.modeling.EventExtractor`.

    ``attack_types`` and ``span_labels`` define the two heads; ``window_length`` (tokens per window,
    special tokens included) and ``window_stride`` (tokens shared by consecutive windows) define how long
    documents are split. ``type_thresholds`` are per-label decision thresholds (tuned on dev by training);
    ``span_thresholds`` (optional, label -> minimum span score) drop decoded spans scored below them.
    ``span_roles`` maps span label -> role (``model.roles.SPAN_ROLES``: killed, wounded, target ...), read
    by record building, casualties and entities; None derives it from the label names (KILLED -> killed).
    ``span_edge_words`` (lower case) are the words no span ends with (``model.tidy.tidy_spans``); None
    means English function words (``ENGLISH_EDGE_WORDS``), ``[]`` leaves decoded spans as they are.
    ``casualty_cues``: a killed / wounded span takes the kind the words next to it state ("killing [four
    people]", "[eleven] were wounded"; ``model.cues``, English), scored as a casualty of either kind; and in a
    report where the tagger found no killed (wounded) phrase, a counted person phrase that a killed (wounded)
    predicate follows becomes one ("[two women] were fatally shot"; ``stated.stated_casualties``).
    ``stated_suspects``: a person's name in mixed case that the report says was arrested, charged or sought becomes a
    perpetrator span where it overlaps no span ("Police arrested [Phi Pham], 33"; ``suspects.stated_suspects``, English).
    ``actors_need_attack_type`` (off by default; ``model.actors_need_attack_type`` of the training config, on in
    ``configs/muc4.yaml``): a document given no attack type reports no attack, so its record holds no perpetrator,
    target or weapon entity or actor (``inference.without_attack_roles``; its ``spans`` keep every mention and its
    casualties stay: deaths are facts whatever the attack type). For a type head that has learnt what reports no
    attack (MUC-4: 600 of its 1,300 DEV documents); the quickstart model misses the type of 14-35% of GVDB's shootings,
    where it would drop named shooters. A model without attack types never drops them.
    """

    model_type = "incidex"
    sub_configs_defaults = {"encoder_config": SubConfigSpec(config_class=AutoConfig, model_type="bert")}

    encoder_config: dict | PretrainedConfig | None = None
    encoder_name: str | None = None
    attack_types: list[str] | None = None
    span_labels: list[str] | None = None
    type_label2id: dict[str, int] | None = None
    tag_label2id: dict[str, int] | None = None
    type_thresholds: list[float] | None = None
    span_thresholds: dict[str, float] | None = None
    window_length: int = 256
    window_stride: int = 64
    type_pooling: str = "label_attention"
    classifier_dropout: float = 0.1
    type_loss_weight: float = 1.0
    span_loss_weight: float = 1.0
    tag_o_weight: float = 1.0
    type_pos_weight: list[float] | None = None
    span_roles: dict[str, str] | None = None
    span_edge_words: list[str] | None = None
    casualty_cues: bool = True
    stated_suspects: bool = True
    actors_need_attack_type: bool = False
    incidex_version: str | None = None
    training_info: dict[str, Any] | None = None

    def __post_init__(self, **kwargs: Any) -> None:
        if isinstance(self.encoder_config, dict) or self.encoder_config is None:
            enc = dict(self.encoder_config or {})
            model_type = enc.pop("model_type", "bert")
            self.encoder_config = AutoConfig.for_model(model_type, **enc)
        self.attack_types = list(self.attack_types or [])
        self.span_labels = list(self.span_labels or [])
        self.type_label2id = {t: i for i, t in enumerate(self.attack_types)}
        self.tag_label2id = {t: i for i, t in enumerate(bio_tags(self.span_labels))}
        if self.type_thresholds is None:
            self.type_thresholds = [0.5] * len(self.attack_types)
        elif len(self.type_thresholds) != len(self.attack_types):
            raise ValueError(
                f"type_thresholds has {len(self.type_thresholds)} values but there are "
                f"{len(self.attack_types)} attack_types ({self.attack_types})"
            )
        if self.span_thresholds is not None:
            unknown = sorted(set(self.span_thresholds) - set(self.span_labels))
            if unknown:
                raise ValueError(f"span_thresholds names labels that are not span_labels: {unknown}")
            self.span_thresholds = {k: float(v) for k, v in self.span_thresholds.items()}
        if self.span_roles is not None:
            self.span_roles = validate_span_roles(self.span_roles, self.span_labels, "EventExtractorConfig.span_roles")
        if self.span_edge_words is not None:
            self.span_edge_words = [str(w).lower() for w in self.span_edge_words]
        if self.incidex_version is None:
            self.incidex_version = _incidex_version
        if self.type_pooling not in ("label_attention", "mean"):
            raise ValueError(f"type_pooling must be 'label_attention' or 'mean', got {self.type_pooling!r}")
        if not 0 <= self.window_stride < self.window_length - 2:
            raise ValueError(
                f"window_stride ({self.window_stride}) must be >= 0 and < window_length - 2 ({self.window_length - 2})"
            )
        super().__post_init__(**kwargs)

    @property
    def role_of_label(self) -> dict[str, str]:
        """Span label -> role (``model.roles``): ``span_roles``, or derived from the label names when None.

        >>> EventExtractorConfig(span_labels=["FATALITIES"], span_roles={"FATALITIES": "killed"}).role_of_label
        {'FATALITIES': 'killed'}
        """
        return resolve_span_roles(self.span_labels, self.span_roles)

    @property
    def tags(self) -> list[str]:
        """BIO tags of the token head, in id order."""
        return bio_tags(self.span_labels)


# Registered where the class is defined (not in the package __init__, which stays light): any code that can
# build this config can also load it through ``AutoConfig.from_pretrained(DIR)``.
AutoConfig.register(EventExtractorConfig.model_type, EventExtractorConfig, exist_ok=True)
