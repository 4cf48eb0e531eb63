"""Read an incident register, normalise it and quarantine what cannot be used.

Every source row ends in exactly one of ``IntakeResult.accepted`` or ``IntakeResult.quarantine``
(``len(accepted) + len(quarantine) == n_read``). Header aliases, value formats and the reasons
for quarantine are listed for analysts in docs/register.md.

The work is split across private modules: :mod:`pilkada_risk.intake.readers` (file formats),
:mod:`pilkada_risk.intake._headers` (which column holds what), this module (per-field checks) and
:mod:`pilkada_risk.intake.result` (the ledger of problems and the result). Placing is done by
:func:`pilkada_risk.intake.place.locate`.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from pilkada_risk.config.i18n import check_lang, label
from pilkada_risk.config.taxonomy import Taxonomy, load_taxonomy
from pilkada_risk.intake._headers import (
    HEADER_ALIASES,
    WEAK_ID_KEYS,
    describe_aliases,
    header_key,
    is_acled,
    map_headers,
)
from pilkada_risk.intake.coverage import note_coverage
from pilkada_risk.intake.parsing import is_missing, parse_dates, parse_ints, split_coordinate_pair
from pilkada_risk.intake.place import DEFAULT_TOLERANCE_M, locate
from pilkada_risk.intake.readers import geometry_to_columns, read_source
from pilkada_risk.intake.result import (
    QUARANTINE_META,
    Fields,
    IntakeResult,
    RowLog,
    build_result,
)

__all__ = ["HEADER_ALIASES", "IntakeResult", "read_incidents"]

_MIN_DATE = pd.Timestamp("2000-01-01")
#: Zone of the "today" that bounds future dates and of tz-aware dates (WIB; WITA/WIT
#: kabupaten see the boundary one or two hours earlier).
TIMEZONE = "Asia/Jakarta"


def _resolve_taxonomy(categories: Any) -> Taxonomy:
    if categories is None:
        return load_taxonomy()
    if isinstance(categories, Taxonomy):
        return categories
    if isinstance(categories, dict):
        return load_taxonomy().with_synonyms(categories)
    return load_taxonomy(categories)


def read_incidents(
    source: str | os.PathLike[str] | pd.DataFrame,
    *,
    areas: gpd.GeoDataFrame | None = None,
    desa: gpd.GeoDataFrame | None = None,
    kab_kode: str | None = None,
    categories: str | os.PathLike[str] | dict[str, str] | Taxonomy | None = None,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    as_of: str | dt.date | None = None,
    sheet: str | int | None = None,
    lang: str = "id",
) -> IntakeResult:
    """Read an incident register; return accepted incidents and the quarantine.

    Parameters
    ----------
    source
        CSV (UTF-8 with/without BOM, Windows-1252 or Latin-1; comma, semicolon, tab or ``|``), XLSX,
        GeoJSON/GeoParquet (point geometry used as coordinates), an ACLED export, or a
        (Geo)DataFrame. The input is never modified. Headers are recognised by
        :data:`HEADER_ALIASES` (case, spaces and punctuation do not matter).
    areas, desa
        Kecamatan layer (:func:`pilkada_risk.geo.boundaries.load_kecamatan`) and optionally the desa
        layer (enables desa codes and placing by pekon name).
    kab_kode
        Instead of ``areas``: load both layers of this kabupaten (e.g. ``"18.13"``).
    categories
        ``None`` (shipped taxonomy), a TOML path merged over it, or ``{label: code}`` synonyms.
    tolerance_m
        Points up to this distance (metres, UTM) outside every unit go to the nearest one.
    as_of
        Dates after this day are "in the future" (default: today in WIB, Asia/Jakarta). A
        value with a UTC offset is converted to WIB first.
    sheet
        XLSX sheet name or index (default: the first).
    lang
        ``"id"`` or ``"en"`` for quarantine reasons and ``catatan_intake``.

    Returns
    -------
    IntakeResult

    Examples
    --------
    >>> hasil = read_incidents("register.csv", kab_kode="18.13")  # doctest: +SKIP
    >>> hasil.summary()["jumlah"]  # doctest: +SKIP
    """
    check_lang(lang)
    if areas is None:
        if kab_kode is None:
            raise ValueError(label("intake.galat_tanpa_wilayah", lang))
        from pilkada_risk.geo.boundaries import load_desa, load_kecamatan

        areas = load_kecamatan(kab_kode)
        desa = load_desa(kab_kode) if desa is None else desa
    if tolerance_m < 0:
        raise ValueError(label("intake.galat_toleransi", lang, nilai=repr(tolerance_m)))
    limit = _limit(as_of)
    taxonomy = _resolve_taxonomy(categories)
    source_read = read_source(source, sheet, lang)
    n = len(source_read.frame)
    rows = RowLog(n, lang)
    raw = geometry_to_columns(source_read.frame, rows.notes)
    if [str(c) for c in raw.columns[:5]] == QUARANTINE_META:  # a corrected quarantine file
        raw = raw.drop(columns=QUARANTINE_META[1:]).rename(columns={"baris": "baris_karantina"})
    acled = is_acled(raw.columns)
    cols = map_headers(raw.columns, acled=acled)
    _require(cols, raw.columns, lang)
    baris = pd.Series(np.arange(n) + source_read.first_row, dtype="Int64")
    content = raw.drop(columns=[cols["id"]]) if "id" in cols else raw  # template rows: No only
    blank = (
        content.apply(lambda col: col.map(is_missing)).all(axis=1).to_numpy()
        if n and len(content.columns)
        else np.ones(n, bool)
    )
    for i in np.flatnonzero(blank).tolist():
        rows.problem(i, "baris_kosong", "", "")
    tanggal = _dates(raw, cols["tanggal"], rows, blank, limit)
    kategori = _categories(raw, cols, acled, taxonomy, rows, blank)
    loc = _locate(raw, cols, acled, areas, desa, tolerance_m, rows, blank)
    korban = _korban(raw, cols.get("korban"), rows)
    id_col = cols.get("id")
    if id_col is not None and _weak_ids_repeat(raw[id_col], blank):
        for i in np.flatnonzero(~blank).tolist():
            rows.note(i, "nomor_urut_bukan_id", kolom=str(id_col))
        id_col = None  # a running row number, kept as a source column
    ids = _ids(raw, id_col, baris, rows, blank)
    used = {
        cols[k] for k in ("tanggal", "lat", "lon", "koordinat", "korban", "keterangan") if k in cols
    } | ({id_col} if id_col is not None else set())
    if acled:
        sumber = pd.Series("ACLED", index=raw.index, dtype=str)
    else:
        given = _text(raw, cols.get("sumber"))
        sumber = given.where(given != "", source_read.name)
        used |= {cols["sumber"]} if "sumber" in cols else set()
    fields = Fields(
        baris=baris,
        ids=ids,
        tanggal=tanggal,
        kategori=kategori,
        location=loc,
        korban=korban,
        sumber=sumber,
        keterangan=_text(raw, cols.get("keterangan")),
        used_columns=used,
        kategori_column=cols["kategori"],
    )
    result = build_result(raw, fields, rows, source_read.name, source_read.sha256)
    return note_coverage(result, rows, areas)  # counts + "wrong kabupaten" warning (coverage.py)


def _text(raw: pd.DataFrame, col: Any) -> pd.Series:
    if col is None:
        return pd.Series("", index=raw.index, dtype=str)
    return raw[col].map(lambda v: "" if is_missing(v) else str(v)).astype(str)


def _limit(as_of: str | dt.date | None) -> pd.Timestamp:
    """Midnight of the last allowed day (naive, WIB)."""
    if as_of is None:
        return pd.Timestamp.now(tz=TIMEZONE).tz_localize(None).normalize()
    stamp = pd.Timestamp(as_of)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(TIMEZONE).tz_localize(None)
    return stamp.normalize()


def _weak_ids_repeat(values: pd.Series, blank: np.ndarray) -> bool:
    """True when a generic row-number column (``No``) repeats a value: then it is no id."""
    if header_key(values.name) not in WEAK_ID_KEYS:
        return False
    given = [str(v).strip() for v, b in zip(values.tolist(), blank, strict=True) if not b]
    given = [v for v in given if not is_missing(v)]
    return len(set(given)) < len(given)


def _title_above_header(columns: pd.Index) -> bool:
    """True when the header row looks like a title: one named cell, or mostly ``Unnamed: N``."""
    names = [str(c).strip() for c in columns]
    unnamed = sum(1 for c in names if not c or c.startswith("Unnamed:"))
    return len(names) >= 2 and (unnamed >= len(names) - 1 or 2 * unnamed >= len(names))


def _require(cols: dict[str, Any], columns: pd.Index, lang: str) -> None:
    missing = [f for f in ("tanggal", "kategori") if f not in cols]
    if not {"lat", "lon"} <= set(cols) and not {"koordinat", "kecamatan", "desa"} & set(cols):
        missing.append(label("intake.kolom_lokasi", lang))
    if missing:
        key = "galat_baris_judul" if _title_above_header(columns) else "galat_tanpa_kolom"
        raise ValueError(
            label(
                f"intake.{key}",
                lang,
                kurang=", ".join(missing),
                header=list(columns),
                alias=describe_aliases(),
            )
        )


def _dates(
    raw: pd.DataFrame, col: Any, rows: RowLog, blank: np.ndarray, limit: pd.Timestamp
) -> pd.Series:
    parsed, errors = parse_dates(raw[col])
    values = raw[col].tolist()
    stamps: list[Any] = parsed.tolist()
    reasons: list[Any] = errors.tolist()
    for i in np.flatnonzero(~blank).tolist():
        value, stamp = values[i], stamps[i]
        if reasons[i] is not None:
            rows.problem(
                i, "tanggal_tidak_terbaca", col, value, nilai=str(value), detail=reasons[i]
            )
        elif pd.isna(stamp):
            rows.problem(i, "tanggal_kosong", col, value)
        elif stamp > limit:
            rows.problem(
                i, "tanggal_masa_depan", col, value, tanggal=stamp.date(), batas=limit.date()
            )
        elif stamp < _MIN_DATE:
            rows.problem(i, "tanggal_terlalu_lama", col, value, tanggal=stamp.date())
    return parsed


def _categories(
    raw: pd.DataFrame,
    cols: dict[str, Any],
    acled: bool,
    taxonomy: Taxonomy,
    rows: RowLog,
    blank: np.ndarray,
) -> list[str | None]:
    col = cols["kategori"]
    fallback = None
    if acled:  # sub_event_type is finer; event_type is the fallback
        keys = {header_key(c): c for c in raw.columns}
        col = keys.get("sub_event_type", keys["event_type"])
        fallback = keys["event_type"]
    cache: dict[Any, Any] = {}
    out: list[str | None] = []
    values = raw[col].tolist()
    extra = raw[fallback].tolist() if fallback is not None else [None] * len(raw)
    for i, (value, other) in enumerate(zip(values, extra, strict=True)):
        if blank[i]:
            out.append(None)
            continue
        if is_missing(value) and is_missing(other):
            rows.problem(i, "kategori_kosong", col, value)
            out.append(None)
            continue
        if (value, other) not in cache:
            match = taxonomy.resolve(value) if not is_missing(value) else None
            if (match is None or match.code is None) and not is_missing(other):
                match = taxonomy.resolve(other)
            cache[(value, other)] = match
        match = cache[(value, other)]
        if match is None or match.code is None:
            text = value if not is_missing(value) else other
            if ("saran", text) not in cache:
                cache[("saran", text)] = ", ".join(taxonomy.suggest(text))
            saran = cache[("saran", text)]
            rows.problem(i, "kategori_tidak_dikenal", col, value, nilai=str(value), saran=saran)
            out.append(None)
            continue
        if not match.exact:
            rows.note(
                i, "kategori_mirip", nilai=str(value), kode=match.code, skor=round(match.score)
            )
        out.append(match.code)
    return out


def _korban(raw: pd.DataFrame, col: Any, rows: RowLog) -> pd.Series:
    if col is None:
        return pd.Series(pd.NA, index=raw.index, dtype="Int64")
    parsed, errors = parse_ints(raw[col])
    for i in np.flatnonzero(errors.notna().to_numpy()).tolist():
        rows.note(i, "korban_tidak_terbaca", nilai=str(raw[col].iat[i]), detail=errors.iat[i])
    return parsed


def _ids(
    raw: pd.DataFrame, col: Any, baris: pd.Series, rows: RowLog, blank: np.ndarray
) -> list[str]:
    """Source ids (``R<baris>`` when missing); later repeats of an id, and rows identical to
    an earlier one, are rejected naming the first row."""
    given = [
        None if col is None or is_missing(v) else str(v).strip()
        for v in (raw[col].tolist() if col is not None else [None] * len(raw))
    ]
    first: dict[str, int] = {}
    numbers: list[Any] = baris.tolist()
    for i, value in enumerate(given):
        if value is None or blank[i]:
            continue
        if value in first:
            rows.problem(
                i, "id_ganda", col or "", value, nilai=value, baris_awal=numbers[first[value]]
            )
        else:
            first[value] = i
    text = raw.astype(object).map(str)
    dup = text.duplicated(keep="first").to_numpy() & ~blank
    if dup.any():
        keys: list[str] = text.apply(lambda r: "\x1f".join(r), axis=1).tolist()
        first_of = {k: i for i, k in reversed(list(enumerate(keys)))}
        for i in np.flatnonzero(dup).tolist():
            if not rows.has(i, "id_ganda"):
                rows.problem(i, "baris_ganda", "", "", baris_awal=numbers[first_of[keys[i]]])
    return [v if v is not None else f"R{numbers[i]}" for i, v in enumerate(given)]


def _locate(
    raw: pd.DataFrame,
    cols: dict[str, Any],
    acled: bool,
    areas: gpd.GeoDataFrame,
    desa: gpd.GeoDataFrame | None,
    tolerance_m: float,
    rows: RowLog,
    blank: np.ndarray,
) -> pd.DataFrame:
    none = pd.Series(None, index=raw.index, dtype=object)
    lat_raw = raw[cols["lat"]].astype(object) if "lat" in cols else none
    lon_raw = raw[cols["lon"]].astype(object) if "lon" in cols else none
    if "koordinat" in cols and not {"lat", "lon"} <= set(cols):
        pairs = []
        for value in raw[cols["koordinat"]].tolist():
            try:
                pairs.append(split_coordinate_pair(value))
            except ValueError:
                pairs.append(("" if is_missing(value) else str(value), ""))
        lat_raw = pd.Series([p[0] for p in pairs], index=raw.index, dtype=object)
        lon_raw = pd.Series([p[1] for p in pairs], index=raw.index, dtype=object)
    kec_raw = raw[cols["kecamatan"]].astype(object) if "kecamatan" in cols else none
    desa_raw = raw[cols["desa"]].astype(object) if "desa" in cols else none
    precision = None
    if acled:
        keys = {header_key(c): c for c in raw.columns}
        precision = raw[keys["geo_precision"]] if "geo_precision" in keys else None
    keep = ~blank
    loc = locate(
        lat_raw[keep],
        lon_raw[keep],
        kec_raw[keep],
        desa_raw[keep],
        areas,
        desa,
        tolerance_m=tolerance_m,
        precision=None if precision is None else precision[keep],
        lang=rows.lang,
    )
    field_col = {
        "lat": cols.get("lat", cols.get("koordinat", "")),
        "kecamatan": cols.get("kecamatan", ""),
        "desa": cols.get("desa", ""),
    }
    found: list[Any] = loc["problems"].tolist()
    noted: list[Any] = loc["notes"].tolist()
    for pos, i in enumerate(np.flatnonzero(keep).tolist()):
        for code, fld, value, params in found[pos]:
            rows.problem(i, code, field_col.get(fld, fld), value, **params)
        rows.notes[i].extend(noted[pos])
    return loc.drop(columns=["problems", "notes"]).reindex(raw.index[keep]).reindex(raw.index)
