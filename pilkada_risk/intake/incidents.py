"""Read an incident register, normalise it and quarantine what cannot be used.

Every source row ends in exactly one of ``IntakeResult.accepted`` or ``IntakeResult.quarantine``
(``len(accepted) + len(quarantine) == n_read``). Header aliases, value formats and the reasons
for quarantine are listed for analysts in ``docs/register.md``.

Helpers: ``readers`` (formats), ``_sources`` (files and sheets as one register), ``_headers``,
``_fields`` (per-field checks), ``result`` (the ledger) and ``place.locate`` (placing).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from pilkada_risk.config.columns import validate_columns
from pilkada_risk.config.i18n import check_lang, label
from pilkada_risk.config.profile import RiskProfile, load_profile
from pilkada_risk.config.sections import Sufficiency
from pilkada_risk.config.taxonomy import Taxonomy, load_taxonomy
from pilkada_risk.geo.boundaries import load_desa, load_kecamatan
from pilkada_risk.intake._fields import (
    check_categories,
    check_dates,
    check_ids,
    check_korban,
    text_column,
    weak_ids_repeat,
)
from pilkada_risk.intake._headers import (
    HEADER_ALIASES,
    describe_aliases,
    header_key,
    is_acled,
    map_headers,
)
from pilkada_risk.intake._sources import BOOKKEEPING, Source, load_sources
from pilkada_risk.intake.column_parsing import missing_mask
from pilkada_risk.intake.coverage import note_coverage
from pilkada_risk.intake.parsing import split_coordinate_column
from pilkada_risk.intake.place import DEFAULT_TOLERANCE_M, locate
from pilkada_risk.intake.result import Fields, IntakeResult, RowLog, build_result

__all__ = ["DEFAULT_MIN_DATE", "HEADER_ALIASES", "IntakeResult", "read_incidents"]

#: Dates before this day are quarantined unless ``min_date`` says otherwise.
DEFAULT_MIN_DATE = "2000-01-01"
#: Zone of the "today" that bounds future dates and of tz-aware dates (WIB; WITA/WIT
#: kabupaten see the boundary one or two hours earlier).
TIMEZONE = "Asia/Jakarta"


@dataclass(frozen=True)
class Setup:
    """Everything a read needs besides the source: layers, taxonomy, limits, language.

    ``for_cli`` words the fix hints for the command line (``--categories``) instead of Python.
    """

    areas: gpd.GeoDataFrame
    desa: gpd.GeoDataFrame | None
    taxonomy: Taxonomy
    limits: tuple[pd.Timestamp, pd.Timestamp]
    tolerance_m: float
    lang: str
    #: ``[sufficiency]`` of the caller's profile (outside share, too few rows to score).
    sufficiency: Sufficiency
    for_cli: bool = False
    force: bool = False

    def hint(self, what: str) -> str:
        """The fix hint ``what`` (``kategori`` or ``tanggal``) for this context."""
        return label(f"intake.cara_{what}_{'cli' if self.for_cli else 'api'}", self.lang)


def _resolve_taxonomy(categories: Any) -> Taxonomy:
    if categories is None:
        return load_taxonomy()
    if isinstance(categories, Taxonomy):
        return categories
    if isinstance(categories, dict):
        return load_taxonomy().with_synonyms(categories)
    return load_taxonomy(categories)


def parse_day(value: Any, option: str, lang: str) -> pd.Timestamp:
    """Midnight of the day ``value`` (naive WIB); a clear error naming ``option`` otherwise."""
    try:
        stamp = pd.Timestamp(value)
        if pd.isna(stamp):
            raise ValueError(value)
    except (ValueError, TypeError, OverflowError):
        raise ValueError(
            label("intake.galat_tanggal_opsi", lang, opsi=option, nilai=str(value))
        ) from None
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(TIMEZONE).tz_localize(None)
    return stamp.normalize()


def make_setup(
    *,
    areas: gpd.GeoDataFrame | None,
    desa: gpd.GeoDataFrame | None,
    kab_kode: str | None,
    categories: Any,
    tolerance_m: float,
    as_of: Any,
    min_date: Any,
    lang: str,
    for_cli: bool = False,
    profile: Any = None,
    force: bool = False,
) -> Setup:
    """Check the options of a read and load what they name (layers, taxonomy, profile)."""
    check_lang(lang)
    sufficiency = load_profile(profile).sufficiency
    if tolerance_m < 0:
        raise ValueError(label("intake.galat_toleransi", lang, nilai=repr(tolerance_m)))
    if as_of is None:
        limit = pd.Timestamp.now(tz=TIMEZONE).tz_localize(None).normalize()
    else:
        limit = parse_day(as_of, "--as-of" if for_cli else "as_of", lang)
    low = parse_day(min_date, "--min-date" if for_cli else "min_date", lang)
    if areas is None:
        if kab_kode is None:
            raise ValueError(label("intake.galat_tanpa_wilayah", lang))

        areas = load_kecamatan(kab_kode, lang=lang)
        desa = load_desa(kab_kode, lang=lang) if desa is None else desa
    taxonomy = _resolve_taxonomy(categories)
    return Setup(
        areas, desa, taxonomy, (low, limit), tolerance_m, lang, sufficiency, for_cli, force
    )


def read_incidents(
    source: Source | Sequence[Source],
    *,
    areas: gpd.GeoDataFrame | None = None,
    desa: gpd.GeoDataFrame | None = None,
    kab_kode: str | None = None,
    categories: str | os.PathLike[str] | dict[str, str] | Taxonomy | None = None,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    as_of: str | dt.date | None = None,
    sheet: str | int | None = None,
    min_date: str | dt.date = DEFAULT_MIN_DATE,
    lang: str = "id",
    profile: str | os.PathLike[str] | dict[str, Any] | RiskProfile | None = None,
    force: bool = False,
) -> IntakeResult:
    """Read an incident register; return accepted incidents and the quarantine.

    Parameters
    ----------
    source
        CSV (UTF-8 with/without BOM, Windows-1252 or Latin-1; comma, semicolon, tab or ``|``), XLSX,
        GeoJSON/GeoParquet (point geometry used as coordinates), an ACLED export, or a
        (Geo)DataFrame; or a list of them (e.g. a register and its corrected quarantine), read as
        one register with one duplicate check across all, and a ``berkas`` column naming each
        row's file. The input is never modified. Headers are recognised by
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
        XLSX sheet name or index. Default: every non-empty sheet; with more than one, the rows
        are stacked with a ``lembar`` column naming each row's sheet (row numbers restart).
    min_date
        Dates before this day are quarantined (default 2000-01-01; lower it for old archives).
    lang
        ``"id"`` or ``"en"`` for quarantine reasons, ``catatan_intake`` and errors.
    profile, force
        Risk profile (as :func:`~pilkada_risk.config.profile.load_profile` takes; ``None``: the
        default): its ``[sufficiency]`` rules say when a register lies mostly outside the
        kabupaten and when the rows inside are too few to score; ``force=True`` (``--paksa``)
        reads such a register anyway.

    Returns
    -------
    IntakeResult

    Raises
    ------
    ValueError
        A file that cannot be read (folder, empty, locked, not really a workbook ...), missing
        columns, an impossible option, or a register of another area
        (:class:`~pilkada_risk.errors.RegisterOutsideError`); the message names the fix.

    Examples
    --------
    >>> hasil = read_incidents("register.csv", kab_kode="18.13")  # doctest: +SKIP
    >>> hasil.summary()["jumlah"]  # doctest: +SKIP
    """
    setup = make_setup(
        areas=areas,
        desa=desa,
        kab_kode=kab_kode,
        categories=categories,
        tolerance_m=tolerance_m,
        as_of=as_of,
        min_date=min_date,
        lang=lang,
        profile=profile,
        force=force,
    )
    return intake(source, setup, sheet=sheet)


def intake(
    source: Source | Sequence[Source], setup: Setup, *, sheet: str | int | None = None
) -> IntakeResult:
    """Read ``source`` with a prepared :class:`Setup` (what :func:`read_incidents` does)."""
    loaded = load_sources(source, sheet, setup.lang)
    raw = loaded.raw
    rows = RowLog(len(raw), setup.lang, notes=loaded.notes)
    acled = is_acled(raw.columns)
    cols = map_headers(raw.columns, acled=acled)
    _require(cols, raw.columns, loaded.name, setup.lang)
    baris = pd.Series(loaded.numbers, dtype="Int64")
    blank = _blank_rows(raw, cols, rows)
    fields = _fields(raw, cols, acled, setup, rows, blank, baris, loaded.name)
    result = build_result(raw, fields, rows, loaded.name, loaded.sha256, sep=loaded.sep)
    # counts + "rows left out" warning, or the refusal of a register of another kabupaten
    return note_coverage(
        result,
        rows,
        setup.areas,
        settings=setup.sufficiency,
        force=setup.force,
        for_cli=setup.for_cli,
    )


def _blank_rows(raw: pd.DataFrame, cols: dict[str, Any], rows: RowLog) -> np.ndarray:
    """Rows with nothing but (at most) an id and where they came from: rejected as empty."""
    n = len(raw)
    # template rows hold only a number; lembar/berkas/baris_karantina say where a row came from
    ignore = ([cols["id"]] if "id" in cols else []) + [c for c in BOOKKEEPING if c in raw.columns]
    content = raw.drop(columns=ignore)
    masks = [missing_mask(content.iloc[:, k]) for k in range(content.shape[1])]
    blank = np.logical_and.reduce(masks) if n and masks else np.ones(n, bool)
    for i in np.flatnonzero(blank).tolist():
        rows.problem(i, "baris_kosong", "", "")
    return blank


def _fields(
    raw: pd.DataFrame,
    cols: dict[str, Any],
    acled: bool,
    setup: Setup,
    rows: RowLog,
    blank: np.ndarray,
    baris: pd.Series,
    name: str,
) -> Fields:
    """Run every per-field check; return the parsed values for :func:`build_result`."""
    tanggal = check_dates(raw, cols["tanggal"], rows, blank, setup.limits, setup.hint("tanggal"))
    kategori = check_categories(
        raw, cols, acled, setup.taxonomy, rows, blank, setup.hint("kategori")
    )
    loc = _locate(raw, cols, acled, setup, rows, blank)
    korban = check_korban(raw, cols.get("korban"), rows)
    id_col = cols.get("id")
    if id_col is not None and weak_ids_repeat(raw[id_col], blank):
        for i in np.flatnonzero(~blank).tolist():
            rows.note(i, "nomor_urut_bukan_id", kolom=str(id_col))
        id_col = None  # a running row number, kept as a source column
    ids = check_ids(raw, id_col, baris, rows, blank)
    used = {
        cols[k] for k in ("tanggal", "lat", "lon", "koordinat", "korban", "keterangan") if k in cols
    } | ({id_col} if id_col is not None else set())
    if acled:
        sumber = pd.Series("ACLED", index=raw.index, dtype=str)
    else:
        given = text_column(raw, cols.get("sumber"))
        sumber = given.where(given != "", name)
        used |= {cols["sumber"]} if "sumber" in cols else set()
    return Fields(
        baris=baris,
        ids=ids,
        tanggal=tanggal,
        kategori=kategori,
        location=loc,
        korban=korban,
        sumber=sumber,
        keterangan=text_column(raw, cols.get("keterangan")),
        used_columns=used,
        kategori_column=cols["kategori"],
    )


def _title_above_header(columns: pd.Index) -> bool:
    """True when the header row looks like a title: one named cell, or mostly ``Unnamed: N``."""
    names = [str(c).strip() for c in columns]
    unnamed = sum(1 for c in names if not c or c.startswith("Unnamed:"))
    return len(names) >= 2 and (unnamed >= len(names) - 1 or 2 * unnamed >= len(names))


def _require(cols: dict[str, Any], columns: pd.Index, name: str, lang: str) -> None:
    recognised = set(cols)
    if {"lat", "lon"} <= recognised or {"koordinat", "kecamatan", "desa"} & recognised:
        recognised.add("lokasi")
    fix = None
    if _title_above_header(columns):
        fix = label("intake.saran_baris_judul", lang)
    else:
        fix = label("intake.saran_alias", lang, alias=describe_aliases())
    validate_columns(
        pd.DataFrame(columns=columns),
        ["tanggal", "kategori", "lokasi"],
        what=name,
        lang=lang,
        recognised=recognised,
        names={"lokasi": label("intake.kolom_lokasi", lang)},
        fix=fix,
    )


def _as_cells(series: pd.Series) -> pd.Series:
    """A column as locate reads it: Arrow-backed text (a CSV register) stays as it is, so the
    parsers hash it without a million Python strings; anything else as objects."""
    if isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow":
        return series
    return series.astype(object)


def _locate(
    raw: pd.DataFrame,
    cols: dict[str, Any],
    acled: bool,
    setup: Setup,
    rows: RowLog,
    blank: np.ndarray,
) -> pd.DataFrame:
    none = pd.Series(None, index=raw.index, dtype=object)
    lat_raw = _as_cells(raw[cols["lat"]]) if "lat" in cols else none
    lon_raw = _as_cells(raw[cols["lon"]]) if "lon" in cols else none
    if "koordinat" in cols and not {"lat", "lon"} <= set(cols):
        lat_raw, lon_raw = split_coordinate_column(raw[cols["koordinat"]])
    kec_raw = _as_cells(raw[cols["kecamatan"]]) if "kecamatan" in cols else none
    desa_raw = _as_cells(raw[cols["desa"]]) if "desa" in cols else none
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
        setup.areas,
        setup.desa,
        tolerance_m=setup.tolerance_m,
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
    kept = np.flatnonzero(keep).tolist()
    for pos in [p for p, (f, m) in enumerate(zip(found, noted, strict=True)) if f or m]:
        i = kept[pos]
        for code, fld, value, params in found[pos]:
            rows.problem(i, code, field_col.get(fld, fld), value, **params)
        rows.notes[i].extend(noted[pos])
    return loc.drop(columns=["problems", "notes"]).reindex(raw.index[keep]).reindex(raw.index)
