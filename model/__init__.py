"""incidex model package: the network, its config, decoding and the inference wrapper.

>>> from incidex.model import predict
>>> record = predict("A car bomb killed three soldiers in Kabul.", model="runs/quickstart")  # doctest: +SKIP
>>> record["attack_types"][0]["label"]  # doctest: +SKIP
'bombing'

The names below are loaded on first use (module ``__getattr__``), so importing a pure sub-module such as
``incidex.model.casualties`` or ``incidex.model.decoding`` imports neither torch nor transformers.
``EventExtractorConfig`` and ``EventExtractor`` register themselves with ``AutoConfig`` / ``AutoModel``
(model type ``incidex``) where they are defined, so ``AutoModel.from_pretrained(DIR)`` works once
``incidex.model.modeling`` (or ``incidex.EventExtractor``) has been imported.
"""

from __future__ import annotations

import importlib
from typing import Any

from incidex import __version__

_PUBLIC = {
    "EventExtractorConfig": "configuration",
    "EventExtractor": "modeling",
    "EventExtractorOutput": "modeling",
    "Predictor": "inference",
    "predict": "inference",
}

__all__ = [*_PUBLIC, "__version__"]


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        value = getattr(importlib.import_module(f"{__name__}.{_PUBLIC[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
