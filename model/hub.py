"""Model locations: a local directory, or a Hugging Face Hub id (``org/name``, optionally ``@revision``).

A Hub id is downloaded once with ``huggingface_hub.snapshot_download`` into the usual Hugging Face cache
(``HF_HOME`` / ``HF_HUB_CACHE``) and read from there afterwards; with ``HF_HUB_OFFLINE=1`` only the cache
is used. An existing local path always wins over a Hub id of the same spelling.

>>> resolve_model("runs/quickstart")  # doctest: +SKIP
PosixPath('runs/quickstart')
>>> resolve_model("my-org/incidex-news-minilm")  # doctest: +SKIP
PosixPath('/root/.cache/huggingface/hub/models--my-org--incidex-news-minilm/snapshots/3f2c.../')
>>> is_hub_id("my-org/incidex-news-minilm@v1"), is_hub_id("./runs/x"), is_hub_id("runs/a/b")
(True, False, False)
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_HUB_ID = re.compile(r"^(?P<repo>[A-Za-z0-9][A-Za-z0-9_.-]{0,95}/[A-Za-z0-9][A-Za-z0-9_.-]{0,95})(?:@(?P<rev>[\w./-]+))?$")


def is_hub_id(model: str) -> bool:
    """Whether ``model`` is spelled like a Hub repository id ``org/name`` (optionally ``@revision``)."""
    m = _HUB_ID.match(model)
    return bool(m) and ".." not in m.group("repo") and not m.group("repo").endswith((".", "-"))


def resolve_model(model: str | os.PathLike) -> Path:
    """The local directory for ``model``: the path itself when it exists, else the Hub snapshot of that id.

    Returns the path unchanged when it neither exists nor looks like a Hub id (the caller reports it
    missing). A Hub id that cannot be fetched (offline and not cached, no such repository, no network)
    raises :class:`FileNotFoundError` with one line saying both what was looked for and why it failed.
    """
    path = Path(model)
    if path.exists() or not is_hub_id(str(model)):
        return path
    m = _HUB_ID.match(str(model))
    assert m is not None
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(repo_id=m.group("repo"), revision=m.group("rev")))
    except Exception as e:  # network, auth, offline-cache and not-found errors all end here
        reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise FileNotFoundError(
            f"model {str(model)!r}: no such directory, and the Hugging Face Hub model of that id could not be "
            f"fetched ({type(e).__name__}: {reason})"
        ) from None
