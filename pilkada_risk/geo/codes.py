"""Which kabupaten/kota codes exist, known without network; suggestions for a wrong code.

The kabupaten a boundary can be built for are those with a desa file in the shipped sha256
registry of cahyadsn/wilayah_boundaries (``db/kel/PP/wilayah_boundaries_kel_PP.KK.sql``), so the
list is in the package and a wrong ``--kab`` is named as wrong offline as well as online. The
names (``db/wilayah.sql``) are added to the suggestions when that file is already on this
machine (mirror or user cache); it is never downloaded for an error message.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

import pandas as pd

from pilkada_risk.config.i18n import label
from pilkada_risk.geo.upstream import (
    MIRROR_ENV,
    WILAYAH,
    WILAYAH_BOUNDARIES,
    UpstreamError,
    cache_path,
    registry,
    wilayah_names,
)

__all__ = ["known_kab_codes", "local_names", "unknown_kab_message"]

_KEL = re.compile(r"^db/kel/\d{2}/wilayah_boundaries_kel_(\d{2}\.\d{2})\.sql$")
_KAB = re.compile(r"^\d{2}\.\d{2}$")


def known_kab_codes() -> tuple[str, ...]:
    """Kabupaten/kota codes with boundaries in the shipped registry (no network).

    >>> codes = known_kab_codes()
    >>> "18.13" in codes, "99.99" in codes, len(codes) > 500
    (True, False, True)
    """
    paths = registry(*WILAYAH_BOUNDARIES)
    return tuple(sorted(m.group(1) for p in paths if (m := _KEL.match(p))))


def local_names() -> pd.Series | None:
    """:func:`~pilkada_risk.geo.upstream.wilayah_names` when ``db/wilayah.sql`` is already on
    this machine (mirror or user cache), else ``None``; never downloads."""
    path = "db/wilayah.sql"
    candidates = [cache_path(*WILAYAH, path)]
    root = os.environ.get(MIRROR_ENV)
    if root:
        candidates.append(Path(root).expanduser() / WILAYAH[0] / WILAYAH[1] / path)
    if not any(c.is_file() for c in candidates):
        return None
    try:
        return wilayah_names()
    except UpstreamError:  # a corrupted copy: suggestions by code only
        return None


def unknown_kab_message(value: object, lang: str) -> str:
    """Why ``value`` is not a kabupaten we can build, with the closest codes (and names).

    A code in the Kemendagri list without boundaries gets ``boundaries.no_polygons``; any
    other value gets ``boundaries.unknown_kab`` with the kabupaten of the same province, or the
    closest codes and names. Works offline (codes from the registry).
    """
    names = local_names()
    text = str(value).strip()
    if names is not None and _KAB.match(text) and text in names.index:
        return label("boundaries.no_polygons", lang, kab=text)
    known = known_kab_codes()
    if names is not None:
        kabs = names[names.index.str.fullmatch(r"\d{2}\.\d{2}")]
        kabs = kabs[kabs.index.isin(known)]
    else:
        kabs = pd.Series("", index=list(known), dtype=object)
    provinces = {c[:2] for c in known}
    if re.fullmatch(r"\d{2}(\.\d{2})?.*", text) and text[:2] in provinces:
        shown = kabs[kabs.index.str.startswith(text[:2])]
        prov = str(names.get(text[:2], text[:2])) if names is not None else text[:2]
        hint = label("boundaries.hint_province", lang, prov=prov)
    else:
        lowered = [n.lower() for n in kabs]
        by_name = difflib.get_close_matches(text.lower(), lowered, n=5, cutoff=0.5)
        by_code = difflib.get_close_matches(text, list(kabs.index), n=5, cutoff=0.5)
        shown = kabs[kabs.str.lower().isin(by_name) | kabs.index.isin(by_code)]
        hint = label("boundaries.hint_close", lang)
    listing = ", ".join(f"{k} {v}".strip() for k, v in shown.items()) or "-"
    key = "unknown_kab" if names is not None else "unknown_kab_offline"
    return label(f"boundaries.{key}", lang, value=value, hint=hint, listing=listing)
