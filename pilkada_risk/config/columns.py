"""One check for "the table lacks required columns", with one analyst-facing message."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

import pandas as pd

from pilkada_risk.config.i18n import label
from pilkada_risk.errors import MissingColumnsError

__all__ = ["MissingColumnsError", "validate_columns"]


def validate_columns(
    frame: pd.DataFrame,
    required: Iterable[str],
    *,
    what: str,
    lang: str = "id",
    recognised: Collection[str] | None = None,
    names: dict[str, str] | None = None,
    fix: str | None = None,
    source: str | None = None,
) -> None:
    """Raise :class:`MissingColumnsError` unless every ``required`` column is present.

    Parameters
    ----------
    frame
        The table (only its column names are read).
    required
        Names that must be present.
    what
        What the table is, for the message (a file name, ``"context"``, ``"aliases"`` ...).
    lang
        ``"id"`` or ``"en"``.
    recognised
        The names to check against when headers are recognised by alias (e.g. intake's fields);
        default: the frame's column names.
    names
        How to show a missing name (e.g. ``{"lokasi": "lat+lon, koordinat, kecamatan or desa"}``).
    fix
        The fix to propose; default: use the output of ``source`` when given, else rename
        columns to the required names.
    source
        The function whose output has these columns (e.g. ``"RiskModel.score()"``).

    Examples
    --------
    >>> validate_columns(pd.DataFrame(columns=["kode", "alias"]), ["kode", "alias"], what="x")
    >>> try:
    ...     validate_columns(pd.DataFrame(columns=["kode"]), ["kode", "alias"], what="a")
    ... except MissingColumnsError as exc:
    ...     print(exc)
    a: tidak ada kolom untuk alias; kolom yang ada: ['kode']. Ganti nama kolom menjadi kode, alias.
    """
    have = {str(c) for c in (frame.columns if recognised is None else recognised)}
    missing = [r for r in required if r not in have]
    if not missing:
        return
    shown: dict[str, Any] = names or {}
    kurang = ", ".join(str(shown.get(m, m)) for m in missing)
    if fix is None and source is not None:
        fix = label("columns.saran_sumber", lang, sumber=source)
    if fix is None:
        fix = label("columns.saran_ganti_nama", lang, kolom=", ".join(map(str, required)))
    raise MissingColumnsError(
        label(
            "columns.kolom_kurang",
            lang,
            apa=what,
            kurang=kurang,
            ada=[str(c) for c in frame.columns],
            saran=fix,
        )
    )
