"""Bawaslu's published TPS-rawan counts (TPS per indicator, per kecamatan or kabupaten).

Bawaslu mostly publishes **how many TPS** carry each indicator in an area, not a flag per TPS.
Such counts say how exposed an area is, never which TPS: they are read here as a kecamatan (or
kabupaten) **structural factor** (``tps_rawan_bawaslu``, the risk profile's
``[structural.factors.tps_rawan]`` column) and never turned into TPS classes.

The table is long: an area column (``kecamatan`` / ``kabupaten`` name, or ``kode``), an
``indikator`` column in Bawaslu's wording (short or long) and ``jumlah_tps``; optionally
``total_tps`` (all TPS of the area), which turns the factor into a share.
"""

from __future__ import annotations

import os
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from pilkada_risk.config.i18n import check_lang, label
from pilkada_risk.config.plan_profile import load_plan_profile
from pilkada_risk.intake._headers import header_key
from pilkada_risk.intake._place_names import place_names
from pilkada_risk.intake._tps_columns import map_columns
from pilkada_risk.intake.parsing import is_missing, parse_int
from pilkada_risk.intake.readers import read_source

__all__ = ["COUNT_HEADERS", "looks_like_counts", "read_bawaslu_counts"]

#: Header keys of the count table's columns.
COUNT_HEADERS = {
    "indikator": ("indikator", "indikator_kerawanan", "indicator"),
    "jumlah_tps": ("jumlah_tps", "jml_tps", "jumlah", "tps_rawan", "count"),
    "total_tps": ("total_tps", "jumlah_tps_total", "seluruh_tps"),
    "kecamatan": ("kecamatan", "nama_kecamatan", "kec"),
    "kabupaten": ("kabupaten", "kabupaten_kota", "kab_kota", "nama_kabupaten"),
    "kode": ("kode", "kode_wilayah", "kode_kecamatan", "kode_kabupaten"),
}


def _columns(columns: pd.Index) -> dict[str, Any]:
    keys = {header_key(c): c for c in columns}
    out = {}
    for field, aliases in COUNT_HEADERS.items():
        found = next((keys[a] for a in aliases if a in keys), None)
        if found is not None:
            out[field] = found
    return out


def looks_like_counts(columns: pd.Index) -> bool:
    """True for a table of TPS counts per indicator (``indikator`` + ``jumlah_tps``)."""
    cols = _columns(columns)
    return "indikator" in cols and "jumlah_tps" in cols


def _indicator(text: Any, spec: dict[str, Any]) -> str | None:
    """The indicator key of a cell in Bawaslu's wording, through the header rules."""
    _, found = map_columns(pd.Index([str(text)]), spec)
    return next(iter(found), None)


def read_bawaslu_counts(
    source: str | os.PathLike[str] | pd.DataFrame,
    *,
    areas: gpd.GeoDataFrame,
    plan_profile: Any = None,
    lang: str = "id",
) -> pd.DataFrame:
    """Read published TPS counts per indicator into a per-kecamatan structural factor.

    Parameters
    ----------
    source
        CSV/XLSX or DataFrame with ``indikator``, ``jumlah_tps`` and a ``kecamatan`` (name or
        ``kode``) or ``kabupaten`` column; optionally ``total_tps``.
    areas
        The kecamatan layer of the kabupaten (``kode``, ``nama``).
    plan_profile
        Plan profile whose indicators and weights (``bobot``) are used.

    Returns
    -------
    pandas.DataFrame
        One row per kecamatan: ``kode``, ``nama``, ``tps_rawan_bawaslu`` (sum over indicators
        of ``bobot x jumlah_tps``, divided by ``total_tps`` when given) and ``tingkat``
        (``kecamatan``, or ``kabupaten`` when the counts are for the whole kabupaten: then every
        kecamatan gets the same value, which moves no rank). ``attrs["indikator"]`` lists the
        indicators found; ``attrs["catatan"]`` says how the counts are used (never as TPS
        classes).

    Raises
    ------
    ValueError
        A row whose indicator, area or count cannot be read (row, column, value, fix).
    """
    check_lang(lang)
    spec = load_plan_profile(plan_profile).tps["indikator"]
    src = read_source(source, None, lang)
    raw, cols = src.frame, _columns(src.frame.columns)
    if not looks_like_counts(raw.columns):
        raise ValueError(label("tps.galat_bukan_jumlah", lang, header=list(raw.columns)))
    level = "kecamatan" if {"kecamatan", "kode"} & set(cols) else "kabupaten"
    names = dict(zip(areas["kode"].astype(str), areas["nama"].astype(str), strict=True))
    totals: dict[str, float] = {}
    per_tps: dict[str, float] = {}
    found: set[str] = set()
    placed = _areas(raw, cols, areas) if level == "kecamatan" else []
    for i, rec in enumerate(raw.to_dict("records")):
        row = src.numbers()[i]
        key = _indicator(rec[cols["indikator"]], spec)
        if key is None:
            raise ValueError(
                label("tps.galat_jumlah_indikator", lang, baris=row, nilai=rec[cols["indikator"]])
            )
        try:
            count = parse_int(rec[cols["jumlah_tps"]])
        except ValueError:
            value = rec[cols["jumlah_tps"]]
            raise ValueError(label("tps.galat_jumlah_tps", lang, baris=row, nilai=value)) from None
        if level == "kecamatan" and placed[i] is None:
            value = rec[cols.get("kecamatan", cols.get("kode"))]
            raise ValueError(label("tps.galat_jumlah_wilayah", lang, baris=row, nilai=value))
        codes = list(names) if level == "kabupaten" else [str(placed[i])]
        for code in codes:
            totals[code] = totals.get(code, 0.0) + float(spec[key]["bobot"]) * count
            if "total_tps" in cols and not is_missing(rec[cols["total_tps"]]):
                per_tps[code] = float(parse_int(rec[cols["total_tps"]]))
        found.add(key)
    kode = sorted(names)
    value = np.array([totals.get(k, 0.0) / per_tps.get(k, 1.0) for k in kode])
    out = pd.DataFrame(
        {"kode": kode, "nama": [names[k] for k in kode], "tps_rawan_bawaslu": value.round(4)}
    )
    out["tingkat"] = level
    out.attrs.update(
        indikator=sorted(found),
        catatan=label(f"tps.catatan_jumlah_{level}", lang),
        source_name=src.name,
        source_sha256=src.sha256,
    )
    return out


def _areas(raw: pd.DataFrame, cols: dict[str, Any], areas: gpd.GeoDataFrame) -> list[str | None]:
    """Kecamatan code of every row: its ``kode`` when known, else its name."""
    known = set(areas["kode"].astype(str))
    if "kode" in cols:
        codes = [str(v).strip() for v in raw[cols["kode"]].tolist()]
        if all(c in known for c in codes):
            return list(codes)
    if "kecamatan" not in cols:
        return [None] * len(raw)
    none = pd.Series(None, index=raw.index, dtype=object)
    found = place_names(raw[cols["kecamatan"]].astype(object), none, areas)
    return [None if is_missing(k) else str(k) for k in found["kec_kode"]]
