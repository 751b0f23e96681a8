"""incidex model package: the network, its config, decoding and the inference wrapper.

>>> from incidex.model import predict
>>> record = predict("A car bomb killed three soldiers in Kabul.", model="runs/quickstart")  # doctest: +SKIP
>>> record["attack_types"][0]["label"]  # doctest: +SKIP
'bombing'

Importing this package registers ``EventExtractorConfig``/``EventExtractor`` with ``AutoConfig`` and
``AutoModel`` (model type ``incidex``) so that ``AutoModel.from_pretrained(DIR)`` works too.
"""

import importlib.util  # noqa: E402

from transformers import AutoConfig  # noqa: E402

from incidex import __version__  # noqa: E402

from .configuration import EventExtractorConfig  # noqa: E402

AutoConfig.register(EventExtractorConfig.model_type, EventExtractorConfig, exist_ok=True)
if importlib.util.find_spec("torch") is not None:  # the ONNX path runs without torch
    from transformers import AutoModel

    from .modeling import EventExtractor, EventExtractorOutput

    AutoModel.register(EventExtractorConfig, EventExtractor, exist_ok=True)

from .inference import Predictor, predict  # noqa: E402

__all__ = ["EventExtractorConfig", "EventExtractor", "EventExtractorOutput", "Predictor", "predict", "__version__"]
