"""Labels in Bahasa Indonesia (default) and English.

Labels live in ``pilkada_risk/data/labels/<namespace>.toml`` as tables ``[key]`` with ``id`` and
``en`` strings, so that each module keeps its own file. ``label("map.legend_title")`` reads key
``legend_title`` of ``map.toml``.
"""

from __future__ import annotations

import tomllib
from functools import cache
from typing import Any

from pilkada_risk.io.files import package_data

__all__ = ["LANGS", "check_lang", "label"]

LANGS = ("id", "en")


def check_lang(lang: str) -> str:
    """Return ``lang`` if supported, else raise a ``ValueError`` naming the allowed values."""
    if lang not in LANGS:
        raise ValueError(f"lang={lang!r} is not supported; use one of {', '.join(LANGS)}")
    return lang


@cache
def _namespace(name: str) -> dict[str, Any]:
    path = package_data("labels", f"{name}.toml")
    if not path.exists():
        raise KeyError(f"no label namespace {name!r} (expected {path})")
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def label(key: str, lang: str = "id", /, **fmt: Any) -> str:
    """Return the label ``namespace.key`` in ``lang``, formatted with ``fmt``.

    Examples
    --------
    >>> label("common.kecamatan", "en")
    'Sub-district (kecamatan)'
    """
    check_lang(lang)
    namespace, _, name = key.partition(".")
    table = _namespace(namespace)
    if name not in table:
        raise KeyError(f"label {key!r} is missing from labels/{namespace}.toml")
    text = str(table[name][lang])
    return text.format(**fmt) if fmt else text
