"""Inference: `predict()` and the reusable `Predictor` (loads once, predicts many times).

>>> from incidex.model import Predictor
>>> predictor = Predictor("runs/quickstart")  # doctest: +SKIP
>>> rec = predictor.predict("Gunmen killed two police officers in Lagos on Monday.")  # doctest: +SKIP
>>> rec["spans"][0]  # doctest: +SKIP
{'label': 'KILLED', 'text': 'two police officers', 'start': 14, 'end': 33, 'score': 0.97}

Documents are tokenised in batches and split into windows; the windows of all documents in a chunk are
sorted by length (little padding) and run ``batch_size`` at a time; span logits of overlapping windows are
merged (each token decided once) and decoded with constrained Viterbi; the attack type is pooled over the
whole document.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .casualties import casualties_from_spans, drop_unsupported_killed, drop_unsupported_wounded
from .cues import casualty_cue, casualty_cues, is_combatant
from .decoding import (
    allowed_transitions,
    apply_span_thresholds,
    decode,
    relabel_by_cues,
    tags_to_spans,
)
from .entities import build_entities
from .roles import ATTACK_ROLES, resolve_span_roles
from .rule_spans import add_stated_casualties, casualty_scores, fill_spans
from .stated import coordinated_casualties, stated_casualties, stated_figures
from .suspects import stated_suspects
from .tidy import drop_bare_words, tidy_spans
from .windows import SpecialTokens, encode_documents, merge_token_scores, pad_windows, pool_type_logits

# role (``model.roles``) -> the ``actors`` group it is listed under; weapons are not actors
ACTOR_ROLES = {
    "perpetrator_individual": "perpetrators",
    "perpetrator_organization": "perpetrators",
    "target": "targets",
    "killed": "victims",
    "wounded": "victims",
    "victim": "victims",
}


def cpu_has_bf16() -> bool:
    """True when the CPU has native bf16 matrix instructions (AMX or AVX512-BF16)."""
    try:
        flags = Path("/proc/cpuinfo").read_text().split()
    except OSError:
        return False
    return "amx_bf16" in flags or "avx512_bf16" in flags


class TorchBackend:
    """Runs :meth:`EventExtractor.window_outputs` with torch on CPU or CUDA."""

    def __init__(self, model: Any, device: str = "auto", precision: str = "auto"):
        import torch

        self.torch = torch
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        self.device = torch.device(device)
        if precision == "auto":
            if self.device.type == "cuda":
                precision = "bf16" if torch.cuda.is_bf16_supported() else "fp16"
            else:
                precision = "bf16" if cpu_has_bf16() else "fp32"
        if precision not in ("fp32", "bf16", "fp16"):
            raise ValueError(f"precision must be auto, fp32, bf16 or fp16, got {precision!r}")
        self.precision = precision
        self.model = model.to(self.device).eval()
        self.config = model.config

    def run(self, ids: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(W, L) ids and mask -> tag log-probs (W, L, C), type scores and values (W, L, T), float32."""
        torch = self.torch
        dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(self.precision)
        with torch.inference_mode(), torch.autocast(self.device.type, dtype=dtype, enabled=dtype is not None):
            tags, scores, values = self.model.window_outputs(
                torch.from_numpy(ids).to(self.device), torch.from_numpy(mask).to(self.device)
            )
            logp = torch.log_softmax(tags.float(), dim=-1)
        return logp.cpu().numpy(), scores.float().cpu().numpy(), values.float().cpu().numpy()


def load_backend(model: Any, device: str = "auto", precision: str = "auto", tokenizer: Any = None):
    """Return ``(backend, tokenizer)`` for a model directory, an ONNX export or a loaded model."""
    from transformers import AutoTokenizer

    if isinstance(model, (str, Path)):
        from .hub import resolve_model

        path = resolve_model(model)  # a directory, or a Hugging Face Hub id fetched into the HF cache
        if not path.is_dir():
            raise FileNotFoundError(f"model directory not found: {path}")
        if (path / "model.onnx").exists() or (path / "model_quantized.onnx").exists():
            from .onnx_backend import OnnxBackend

            providers = ["CPUExecutionProvider"] if device == "cpu" else None
            return OnnxBackend(path, providers=providers), tokenizer or AutoTokenizer.from_pretrained(path)
        from .modeling import EventExtractor

        loaded = EventExtractor.from_pretrained(path)
        return TorchBackend(loaded, device, precision), tokenizer or AutoTokenizer.from_pretrained(path)
    if tokenizer is None:
        source = model.config.name_or_path
        if not source or not Path(source).is_dir():
            raise ValueError("pass tokenizer= with a model object that was not loaded from a directory")
        tokenizer = AutoTokenizer.from_pretrained(source)
    return TorchBackend(model, device, precision), tokenizer


class Predictor:
    """A loaded model ready to predict; also a Ray Data ``map_batches`` callable.

    ``batch_size`` counts windows per forward pass. ``precision``: ``auto`` (bf16 on CUDA and on CPUs with
    native bf16, else fp32), ``fp32``, ``bf16`` or ``fp16``.
    """

    def __init__(self, model: Any, *, device: str = "auto", batch_size: int = 16, precision: str = "auto",
                 tokenizer: Any = None, text_column: str = "text"):
        self.backend, self.tokenizer = load_backend(model, device, precision, tokenizer)
        self.config = self.backend.config
        self.batch_size = batch_size
        self.text_column = text_column
        self.special = SpecialTokens.from_tokenizer(self.tokenizer)
        self.tags = self.config.tags
        self.constraints = allowed_transitions(self.tags)
        self.thresholds = np.asarray(self.config.type_thresholds, dtype=np.float32)
        self.roles = resolve_span_roles(self.config.span_labels, getattr(self.config, "span_roles", None))
        # kind -> the span label of that role, for the casualty cues (a model may lack one of them)
        self.casualty_labels = {kind: next(lab for lab, r in self.roles.items() if r == kind)
                                for kind in ("killed", "wounded") if kind in self.roles.values()}
        self.victim_labels = [lab for lab, r in self.roles.items() if r == "victim"]  # a stated death relabels them
        # the label a suspect named in the text gets (``suspects.stated_suspects``), None without one, and the labels a
        # stated casualty phrase replaces (the tagger took the victim for the perpetrator)
        self.suspect_label = next((lab for lab, r in self.roles.items() if r == "perpetrator_individual"), None)
        self.perpetrator_labels = [lab for lab, r in self.roles.items() if r.startswith("perpetrator")]

    # -- public API ---------------------------------------------------------------------------------
    def predict(self, texts: str | Sequence[str]) -> dict | list[dict]:
        """One record for a string, a list of records for a list (same order)."""
        if isinstance(texts, dict):
            raise TypeError("predict() takes a text or a list of texts, not a dict: pass record['text'] "
                            "(or [r['text'] for r in records])")
        if isinstance(texts, str):
            return self._predict_chunk([texts])[0]
        return list(self.predict_iter(texts))

    def predict_iter(self, texts: Iterable[str], chunk_size: int = 256) -> Iterator[dict]:
        """Stream records for any iterable of texts, in order; memory is bounded by ``chunk_size``."""
        it = iter(texts)
        while chunk := list(itertools.islice(it, chunk_size)):
            yield from self._predict_chunk(chunk)

    def __call__(self, batch: Any) -> Any:
        """Ray Data ``map_batches`` entry: a dict of numpy arrays or a pandas frame, with two columns added.

        ``prediction``: the record :meth:`predict` returns, as a JSON string (``json.loads`` gives it back
        exactly); ``attack_types``: the chosen labels as an Arrow ``list<string>`` column (typed, so a batch
        where no type is chosen still concatenates with the others). Every input column is passed through.
        """
        import json

        import pyarrow as pa

        texts = list(batch[self.text_column])
        records = self.predict(texts) if texts else []
        labels = [[t["label"] for t in r["attack_types"]] for r in records]
        predictions = [json.dumps(r, ensure_ascii=False) for r in records]
        label_type = pa.list_(pa.string())
        if hasattr(batch, "assign"):  # pandas
            import pandas as pd

            return batch.assign(
                attack_types=pd.Series(labels, index=batch.index, dtype=pd.ArrowDtype(label_type)),
                prediction=pd.Series(predictions, index=batch.index, dtype=object),
            )
        out = dict(batch)
        out["attack_types"] = pa.array(labels, type=label_type)
        out["prediction"] = np.asarray(predictions, dtype=object)
        return out

    # -- internals ----------------------------------------------------------------------------------
    def _batches(self, lengths: Sequence[int]) -> Iterator[list[int]]:
        """Group windows, longest first, into batches of at most ``batch_size`` (similar lengths, little padding)."""
        order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
        for i in range(0, len(order), self.batch_size):
            yield order[i : i + self.batch_size]

    def _predict_chunk(self, texts: list[str]) -> list[dict]:
        for i, t in enumerate(texts):
            if not isinstance(t, str):
                raise TypeError(f"text {i} is {type(t).__name__}, not str")
        cfg = self.config
        docs = encode_documents(self.tokenizer, texts, cfg.window_length, cfg.window_stride, self.special)
        # the windows of all documents, batched together by length: a document's short last window is
        # padded only up to other short windows
        ids: list[list[int]] = []
        masks: list[np.ndarray] = []
        for doc in docs:
            w_ids, w_masks = doc.window_arrays(self.special)
            ids += w_ids
            masks += w_masks
        # per window, padding cut off: tag log-probs (L_w, C), type scores and values of its owned tokens (n_w, T)
        outputs: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = [None] * len(ids)  # type: ignore[list-item]
        for batch in self._batches([len(w) for w in ids]):
            input_ids, attention = pad_windows([ids[w] for w in batch], self.special.pad_id)
            logp, scores, values = self.backend.run(input_ids, attention)
            for j, w in enumerate(batch):
                n = len(ids[w])
                outputs[w] = (logp[j, :n], scores[j, :n][masks[w]], values[j, :n][masks[w]])
        prefix = len(self.special.prefix)
        records = []
        w = 0
        for text, doc in zip(texts, docs):
            mine = outputs[w : w + len(doc.windows)]
            w += len(doc.windows)
            token_logp = merge_token_scores(doc, [o[0] for o in mine], prefix)
            s = np.concatenate([o[1] for o in mine])
            v = np.concatenate([o[2] for o in mine])
            records.append(self._record(text, doc, token_logp, s, v))
        return records

    def _record(self, text: str, doc: Any, token_logp: np.ndarray, s: np.ndarray, v: np.ndarray) -> dict:
        cfg = self.config
        n_types = len(cfg.attack_types)
        if len(doc.token_ids):
            probs = 1.0 / (1.0 + np.exp(-pool_type_logits(s[:, :n_types], v[:, :n_types])))
        else:
            probs = np.zeros(n_types, dtype=np.float32)
        scores = {label: round(float(p), 4) for label, p in zip(cfg.attack_types, probs)}
        chosen = [
            {"label": label, "score": scores[label]}
            for label, p, th in zip(cfg.attack_types, probs, self.thresholds)
            if p >= th
        ]
        chosen.sort(key=lambda t: -t["score"])
        path = decode(token_logp, self.tags, self.constraints)
        cue_labels = self.casualty_labels if getattr(cfg, "casualty_cues", True) else {}
        path, path_p = relabel_by_cues(text, path, token_logp, doc.offsets, self.tags, cue_labels, casualty_cues,
                                       self.victim_labels, casualty_cue)
        spans = tags_to_spans(text, path, path_p, doc.offsets, self.tags, words=doc.word_ids)
        spans = apply_span_thresholds(spans, getattr(cfg, "span_thresholds", None))
        # tidied first (``facts_from_spans`` does it again, a no-op then), so that a lone "[A]" tagged a target blocks no
        # stated casualty ("[A Stockton man] was shot and killed") and a repaired "[A] [SPANISH TECHNICIAN]" stays one span
        spans = drop_bare_words(tidy_spans(text, spans, getattr(cfg, "span_edge_words", None)), self.roles)
        if cue_labels:  # a casualty phrase the tagger missed in a report where it found none of that kind
            score = casualty_scores(token_logp, doc.offsets, self.tags, list(cue_labels.values()))
            phrases = stated_casualties(text)
            # a silence is judged on the spans the record keeps: a tagged phrase that the support rules drop later
            # ("[five] Nigerian technicians" called wounded) blocks no stated one ("The driver was shot in the shoulder");
            # read only where it can matter, a stated phrase of a kind the tagger found (entities are built once more)
            tagged_labels = {s["label"] for s in spans}
            present = None
            if any(cue_labels.get(kind) in tagged_labels for _, _, kind in phrases):
                kept, ents = drop_unsupported_wounded(text, spans, build_entities(text, spans, self.roles))
                present = {s["label"] for s in drop_unsupported_killed(text, kept, ents)[0]}
            spans = add_stated_casualties(spans, text, phrases, cue_labels, score, stated_figures(text, phrases),
                                          self.perpetrator_labels, present)
            kind_of = {label: kind for kind, label in cue_labels.items()}  # "[Two policemen] and two civilians were killed"
            tagged = [(s["start"], s["end"], kind_of[s["label"]]) for s in spans if s["label"] in kind_of]
            # fighters among the dead ("[Three detained militants] and two soldiers were killed") are perpetrators,
            # counted apart as perpetrators_killed (``fighters.perpetrators_dead``), never victims
            fighter = self.suspect_label or cue_labels.get("killed")
            spans = fill_spans(spans, text, [(start, end, fighter if kind == "killed" and is_combatant(text[start:end])
                                              else cue_labels[kind])
                                             for start, end, kind in coordinated_casualties(text, tagged)], score)
        label = self.suspect_label if getattr(cfg, "stated_suspects", True) else None
        named = [(start, end, label) for start, end in stated_suspects(text)] if label else []
        if named:  # "Police arrested [Phi Pham], 33"
            spans = fill_spans(spans, text, named, casualty_scores(token_logp, doc.offsets, self.tags, [label]), [label])
        facts = facts_from_spans(text, spans, self.roles, getattr(cfg, "span_edge_words", None))
        if not chosen and n_types and getattr(cfg, "actors_need_attack_type", False):
            facts = without_attack_roles(facts)
        return {"attack_types": chosen, "scores": scores, **facts, "windows": len(doc.windows)}


def facts_from_spans(text: str, spans: list[dict], roles: dict[str, str],
                     edge_words: Sequence[str] | None = None) -> dict[str, Any]:
    """``spans`` (decoded, thresholded) tidied (``tidy.tidy_spans``, ``tidy.drop_bare_words``,
    ``casualties.drop_unsupported_wounded`` and ``drop_unsupported_killed``), then the record fields built from them:
    ``{"spans", "casualties", "actors", "entities"}``. ``roles``: span label -> role.

    >>> text = "A bomb killed three soldiers."
    >>> rec = facts_from_spans(text, [{"label": "KILLED", "text": "three soldiers", "start": 14, "end": 28,
    ...                                "score": 0.9}], {"KILLED": "killed"})
    >>> rec["casualties"]["killed"]["count"], rec["actors"]["victims"]
    (3, ['three soldiers'])
    """
    spans = drop_bare_words(tidy_spans(text, spans, edge_words), roles)
    spans, entities = drop_unsupported_wounded(text, spans, build_entities(text, spans, roles))
    spans, entities = drop_unsupported_killed(text, spans, entities)
    return {
        "spans": spans,
        "casualties": casualties_from_spans(text, spans, roles, entities),
        "actors": actors_from_entities(entities),
        "entities": entities,
    }


def without_attack_roles(facts: dict[str, Any]) -> dict[str, Any]:
    """``facts`` (:func:`facts_from_spans`) of a document that reports no attack: the entities of the roles that exist
    only in an attack (``roles.ATTACK_ROLES``: perpetrators, targets, weapons) removed and ``actors`` rebuilt;
    ``spans``, ``casualties`` and the entities of labels without a role kept. MUC-4 TST1+TST2, four seeds of ``configs/muc4.yaml``:
    GRIT micro F1 +0.65 to +1.44 each (mean 48.05 -> 49.06), counts unchanged (docs/results/grit.md, "Actors of an attack only").

    >>> facts = {"spans": [], "casualties": {}, "actors": {}, "entities": {
    ...     "perpetrator_organization": [{"label": "PERP_ORGANIZATION", "text": "FMLN", "mentions": []}],
    ...     "killed": [{"label": "KILLED", "text": "two peasants", "mentions": []}]}}
    >>> without_attack_roles(facts)["actors"]
    {'perpetrators': [], 'targets': [], 'victims': ['two peasants']}
    """
    entities = {key: ents for key, ents in facts["entities"].items() if key not in ATTACK_ROLES}
    return {**facts, "entities": entities, "actors": actors_from_entities(entities)}


def actors_from_entities(entities: dict[str, list[dict]]) -> dict[str, list[str]]:
    """``actors``: one entry per entity (its ``text``), grouped by ``ACTOR_ROLES``; equal texts listed once.

    >>> actors_from_entities({"killed": [{"label": "KILLED", "text": "three soldiers", "mentions": []}],
    ...                       "weapon": [{"label": "WEAPON", "text": "a bomb", "mentions": []}]})
    {'perpetrators': [], 'targets': [], 'victims': ['three soldiers']}
    """
    actors: dict[str, list[str]] = {"perpetrators": [], "targets": [], "victims": []}
    seen: set[tuple[str, str]] = set()
    for role, ents in entities.items():
        group = ACTOR_ROLES.get(role)
        for ent in ents if group else []:
            key = (group, " ".join(ent["text"].lower().split()))
            if key not in seen:
                seen.add(key)
                actors[group].append(ent["text"])
    return actors


def predict(texts: str | Sequence[str], model: Any, *, batch_size: int = 16, device: str = "auto",
            precision: str = "auto", tokenizer: Any = None) -> dict | list[dict]:
    """Predict attack types, spans, actors and casualty counts for one text or a list of texts.

    ``model`` is a trained model directory, an ONNX export directory or a loaded :class:`EventExtractor`
    (then pass ``tokenizer=`` unless it was loaded from a directory). For many calls, build a
    :class:`Predictor` once instead.

    >>> rec = predict("A car bomb killed 3 soldiers.", model="runs/quickstart")  # doctest: +SKIP
    >>> sorted(rec)  # doctest: +SKIP
    ['actors', 'attack_types', 'casualties', 'entities', 'scores', 'spans', 'windows']
    """
    return Predictor(model, batch_size=batch_size, device=device, precision=precision,
                     tokenizer=tokenizer).predict(texts)
