"""incidex: extract attack types, actors and casualties from news reports of violent incidents.

The public API is loaded lazily, so ``import incidex`` (and the pure modules such as
``incidex.model.casualties``) do not import torch or transformers until a model is needed:

>>> from incidex import predict
>>> record = predict("A car bomb killed three soldiers in Kabul.", model="runs/quickstart")  # doctest: +SKIP
>>> record["attack_types"][0]["label"]  # doctest: +SKIP
'bombing'

Sub-packages: ``incidex.model`` (network, config, decoding, inference), ``incidex.training`` (corpora,
importers, features, training loop, CLI), ``incidex.eval`` (metrics and reports). In the repository they are
the folders ``model/``, ``training/`` and ``eval/``, mapped onto this namespace in ``pyproject.toml``.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.2.0"

_PUBLIC = {
    "predict": "incidex.model.inference",
    "Predictor": "incidex.model.inference",
    "EventExtractor": "incidex.model.modeling",
    "EventExtractorOutput": "incidex.model.modeling",
    "EventExtractorConfig": "incidex.model.configuration",
}

__all__ = [*_PUBLIC, "__version__"]


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'incidex' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
