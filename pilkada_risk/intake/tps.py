"""Read a KPU/Bawaslu TPS (polling station) table, normalise it and quarantine what cannot be used.

The same ledger rule as for incidents: every source row ends in exactly one of
``IntakeResult.accepted`` or ``IntakeResult.quarantine`` (with row, column, value and reason).
Headers are recognised by :data:`TPS_ALIASES`, the place headers of
:data:`pilkada_risk.intake._headers.HEADER_ALIASES` and, for the Bawaslu TPS-rawan indicators,
the ``alias`` and ``kata`` lists of the plan profile's ``[tps.indikator.*]`` tables. KPU's
13-digit TPS codes, Kemendagri and BPS place codes (:mod:`~pilkada_risk.intake._tps_codes`), DPT
as a total or L + P, a single ``koordinat`` column and the Polda's class column are read. Rules for
analysts: ``docs/rencana.md``.
"""

from __future__ import annotations

import os
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from pilkada_risk.config.columns import validate_columns
from pilkada_risk.config.i18n import check_lang, label
from pilkada_risk.config.plan_profile import resolve_plan_profile
from pilkada_risk.geo.boundaries import load_desa, load_kecamatan
from pilkada_risk.intake._headers import WEAK_ID_KEYS, header_key
from pilkada_risk.intake._tps_codes import load_bps_crosswalk, parse_tps_code
from pilkada_risk.intake._tps_columns import PLACE_ALIASES, TPS_ALIASES, map_columns
from pilkada_risk.intake._tps_fields import (
    DPT_CAP,
    DPT_MAX,
    class_column,
    dpt_columns,
    flag_columns,
    khusus_column,
    parse_flag,
)
from pilkada_risk.intake._tps_place import place_rows, tps_points
from pilkada_risk.intake.bawaslu_counts import looks_like_counts
from pilkada_risk.intake.parsing import is_missing
from pilkada_risk.intake.readers import geometry_to_columns, read_source
from pilkada_risk.intake.result import IntakeResult, RowLog, _quarantine

__all__ = ["DPT_CAP", "DPT_MAX", "TPS_ALIASES", "parse_flag", "read_tps"]


class _TpsLog(RowLog):
    """A :class:`RowLog` whose reasons come from the ``tps`` label namespace."""

    def problem(self, i: int, code: str, kolom: str, value: Any, /, **params: Any) -> None:
        text = label(f"tps.{code}", self.lang, **params)
        self.problems[i].append((code, kolom, "" if is_missing(value) else str(value), text))


def _layers(
    kab_kode: str | None, areas: gpd.GeoDataFrame | None, desa: gpd.GeoDataFrame | None, lang: str
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The kecamatan and desa layers: as given, else loaded for ``kab_kode``."""
    if areas is not None and desa is not None:
        return areas, desa
    if kab_kode is None:
        raise ValueError(label("tps.galat_tanpa_wilayah", lang))

    return (
        load_kecamatan(kab_kode) if areas is None else areas,
        load_desa(kab_kode) if desa is None else desa,
    )


def _blank_rows(raw: pd.DataFrame) -> np.ndarray:
    """Rows without content; a running row number ("No") alone does not make a row."""
    content = raw[[c for c in raw.columns if header_key(c) not in WEAK_ID_KEYS]]
    if not len(raw) or not len(content.columns):
        return np.ones(len(raw), bool)
    return content.apply(lambda c: c.map(is_missing)).all(axis=1).to_numpy()


def _require(cols: dict[str, Any], columns: pd.Index, lang: str) -> None:

    if not {"tps", "kode_tps"} & set(cols) and looks_like_counts(columns):
        raise ValueError(label("tps.bukan_daftar_tps", lang))
    present = set(cols)
    if "kode_tps" in present:  # a KPU code carries the desa and the TPS number
        present |= {"tps", "desa"}
    if "kode_desa" in present:
        present.add("desa")
    if {"dpt_l", "dpt_p"} <= present:  # DPT as men + women
        present.add("dpt")
    alias = "; ".join(f"{f}: {', '.join(a)}" for f, a in {**TPS_ALIASES, **PLACE_ALIASES}.items())
    validate_columns(
        pd.DataFrame(columns=columns),
        ("tps", "desa", "dpt"),
        what="tps",
        lang=lang,
        recognised=present,
        fix=label("tps.saran_alias", lang, alias=alias),
    )


def _code_column(raw: pd.DataFrame, cols: dict[str, Any]) -> dict[str, Any]:
    """A ``tps`` column that holds 13-digit KPU codes is the code column."""
    if "kode_tps" in cols or "tps" not in cols:
        return cols
    values = [v for v in raw[cols["tps"]].tolist() if not is_missing(v)]
    codes = sum(parse_tps_code(v)[0] is not None for v in values)
    if values and codes > len(values) / 2:
        cols = dict(cols)
        cols["kode_tps"] = cols.pop("tps")
    return cols


def read_tps(
    source: str | os.PathLike[str] | pd.DataFrame,
    *,
    kab_kode: str | None = None,
    areas: gpd.GeoDataFrame | None = None,
    desa: gpd.GeoDataFrame | None = None,
    profile: Any = None,
    sheet: str | int | None = None,
    lang: str = "id",
    plan_profile: Any = None,
    bps_crosswalk: str | os.PathLike[str] | pd.DataFrame | None = None,
) -> IntakeResult:
    """Read a TPS list; return accepted TPS and the quarantine.

    Parameters
    ----------
    source
        CSV, XLSX, GeoJSON/GeoParquet or a (Geo)DataFrame (never modified): a TPS number and
        desa (optionally kecamatan) names, or KPU's 13-digit ``kode_tps`` (cross-checked
        against the names), or Kemendagri/BPS place codes; DPT as a total or as L + P;
        optional coordinates (``lintang``/``bujur`` or ``koordinat``), Bawaslu indicators
        (short or long headers), TPS khusus and the Polda's class (``Kelas TPS``). Headers and
        values: ``docs/rencana.md``.
    kab_kode
        Load the kecamatan and desa layers of this kabupaten (e.g. ``"18.13"``) ...
    areas, desa
        ... or pass them (:func:`pilkada_risk.load_kecamatan`, :func:`pilkada_risk.load_desa`).
    profile
        For 0.1.0 callers: a risk profile whose old ``[tps]`` holds the indicators.
    sheet
        XLSX sheet name or index (default: every non-empty sheet, stacked, numbered per sheet).
    lang
        ``"id"`` or ``"en"`` for quarantine reasons and notes.
    plan_profile
        Plan profile (:func:`pilkada_risk.load_plan_profile`; ``None``: the shipped one):
        its indicators are recognised and its DPT limits apply.
    bps_crosswalk
        Extra BPS → Kemendagri rows (``kode``, ``kode_bps``; 7 or 10 digits).

    Returns
    -------
    IntakeResult
        ``accepted`` has ``tps_id`` (``<desa_kode>-<nnn>``), ``no_tps``, ``kec_kode``,
        ``desa_kode``, ``desa_nama``, ``dpt`` (``dpt_l``, ``dpt_p`` when given), ``khusus``,
        ``kelas_diberikan`` (the Polda's class key or None), one boolean column per indicator,
        ``indikator``, ``geometry``, ``lokasi_presisi``, ``catatan_intake``, ``baris``.
        ``indicators`` = ``{"found": [...], "missing": [...]}``; ``warnings`` = the
        ``PERINGATAN`` lines (also in ``attrs["indikator"]``, ``attrs["peringatan"]``).

    Examples
    --------
    >>> from pilkada_risk.synthetic.tps import load_demo_tps
    >>> hasil = read_tps(load_demo_tps("18.13"), kab_kode="18.13")  # the SYNTHETIC demo list
    >>> len(hasil.accepted), len(hasil.quarantine)
    (293, 0)
    """
    check_lang(lang)
    areas, desa = _layers(kab_kode, areas, desa, lang)
    plan = resolve_plan_profile(profile, plan_profile)
    spec, sec = plan.tps["indikator"], plan.tps
    src = read_source(source, sheet, lang)
    n = len(src.frame)
    rows = _TpsLog(n, lang)
    raw = geometry_to_columns(src.frame, rows.notes)
    cols, ind_cols = map_columns(raw.columns, spec)
    cols = _code_column(raw, cols)
    _require(cols, raw.columns, lang)
    baris = pd.Series(src.numbers(), dtype="Int64")  # as in the file (per sheet)
    layers = (areas, desa, load_bps_crosswalk(bps_crosswalk))
    place, flags, parts = _fields(raw, (cols, ind_cols), spec, sec, layers, rows, baris)
    accepted = _accepted(place, flags, parts, baris, rows)
    indicators = {"found": list(ind_cols), "missing": [k for k in spec if k not in ind_cols]}
    warnings = _warnings(indicators, accepted, "kelas" in cols, int(sec["dpt_batas_kpu"]), lang)
    accepted.attrs.update(indikator_kolom={k: str(v) for k, v in ind_cols.items()})
    accepted.attrs.update(source_name=src.name, source_sha256=src.sha256, indikator=indicators)
    accepted.attrs.update(synthetic=_synthetic(src.name, raw), peringatan=warnings)
    quarantine = _quarantine(raw, rows.rejected(), baris, rows)
    result = IntakeResult(accepted, quarantine, n, src.name, src.sha256, _repairs(rows))
    result.indicators, result.warnings = indicators, warnings
    return result


def _fields(
    raw: pd.DataFrame,
    columns: tuple[dict[str, Any], dict[str, Any]],
    spec: dict[str, Any],
    sec: dict[str, Any],
    layers: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, dict[str, str]],
    rows: RowLog,
    baris: pd.Series,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, list[Any]]]:
    """Every field of every row, problems and notes into ``rows``: place, flags and the rest."""
    cols, ind_cols = columns
    areas, desa, bps = layers
    blank = _blank_rows(raw)
    for i in np.flatnonzero(blank).tolist():
        rows.problem(i, "baris_kosong", "", "")
    limits = (int(sec["dpt_batas_kpu"]), int(sec["dpt_maks"]))
    dpt, men, women = dpt_columns(raw, cols, rows, blank, limits)
    flags = flag_columns(raw, ind_cols, spec, rows, blank)
    khusus = khusus_column(raw, cols.get("khusus"), rows, blank)
    if "lokasi_khusus" in flags:
        khusus = [k or bool(f) for k, f in zip(khusus, flags["lokasi_khusus"], strict=True)]
    kelas = class_column(raw, cols.get("kelas"), rows, blank)
    place, numbers = place_rows(raw, cols, (areas, desa), bps, rows, blank)
    points = tps_points(raw, cols, place, areas, rows)
    _duplicates(place, numbers, baris, cols.get("tps", cols.get("kode_tps")), rows)
    parts: dict[str, list[Any]] = dict(
        numbers=numbers, dpt=dpt, khusus=khusus, points=points, kelas=kelas
    )
    if "dpt_l" in cols and "dpt_p" in cols:
        parts.update(dpt_l=men, dpt_p=women)
    return place, flags, parts


def _warnings(
    indicators: dict[str, list[str]], accepted: pd.DataFrame, has_class: bool, cap: int, lang: str
) -> list[str]:
    """``PERINGATAN`` lines: missing indicators, DPT above the KPU cap, blank Polda classes."""
    out = []
    if not indicators["found"]:
        out.append(label("tps.peringatan_tanpa_indikator", lang))
    elif indicators["missing"]:
        out.append(
            label("tps.peringatan_indikator_kurang", lang, nama=", ".join(indicators["missing"]))
        )
    above = accepted.loc[accepted["dpt"].astype(float) > cap, "tps_id"].tolist()
    if above:
        shown = ", ".join(above[:5]) + (" ..." if len(above) > 5 else "")
        out.append(label("tps.peringatan_dpt_batas", lang, n=len(above), batas=cap, tps=shown))
    if has_class:
        blank = int(accepted["kelas_diberikan"].isna().sum())
        if blank:
            out.append(label("tps.peringatan_kelas_kosong", lang, n=blank))
    return out


def _duplicates(
    place: pd.DataFrame, numbers: list[int | None], baris: pd.Series, col: Any, rows: RowLog
) -> None:
    first: dict[tuple[str, int], int] = {}
    for i, (code, number) in enumerate(zip(place["desa_kode"], numbers, strict=True)):
        if code is None or number is None or rows.problems[i]:
            continue
        key = (str(code), int(number))
        if key in first:
            rows.problem(
                i,
                "tps_ganda",
                col,
                number,
                nomor=f"{number:03d}",
                baris_awal=int(baris.iat[first[key]]),
            )
        else:
            first[key] = i


def _accepted(
    place: pd.DataFrame,
    flags: pd.DataFrame,
    parts: dict[str, list[Any]],
    baris: pd.Series,
    rows: RowLog,
) -> gpd.GeoDataFrame:
    good = ~rows.rejected()
    keep = np.flatnonzero(good)
    numbers = [parts["numbers"][i] for i in keep]
    codes = place["desa_kode"].to_numpy()[keep]
    flagged = flags.iloc[keep].reset_index(drop=True)
    points = [parts["points"][i] for i in keep]
    notes = [
        "; ".join(_note(key, params, rows.lang) for key, params in rows.notes[i]) for i in keep
    ]
    frame = pd.DataFrame(
        {
            "tps_id": [f"{c}-{n:03d}" for c, n in zip(codes, numbers, strict=True)],
            "no_tps": pd.array(numbers, dtype="Int64"),
            "kec_kode": place["kec_kode"].to_numpy()[keep].astype(str),
            "desa_kode": codes.astype(str),
            "desa_nama": place["desa_nama"].to_numpy()[keep].astype(str),
            "dpt": pd.array([parts["dpt"][i] for i in keep], dtype="Int64"),
            "khusus": np.array([parts["khusus"][i] for i in keep], dtype=bool),
            "kelas_diberikan": pd.Series([parts["kelas"][i] for i in keep], dtype=object),
        }
    )
    for key in ("dpt_l", "dpt_p"):
        if key in parts:
            frame[key] = pd.array([parts[key][i] for i in keep], dtype="Int64")
    frame = pd.concat([frame, flagged.astype(bool)], axis=1)
    frame["indikator"] = [
        "; ".join(c for c in flagged.columns if row[c]) for row in flagged.to_dict("records")
    ]
    frame["lokasi_presisi"] = ["titik" if p is not None else "desa" for p in points]
    frame["catatan_intake"] = pd.Series(notes, dtype=str)
    frame["baris"] = baris.to_numpy()[keep]
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(points, crs=4326), crs=4326)


def _note(key: str, params: dict[str, Any], lang: str) -> str:
    """A note in the analyst's language: TPS notes, else the place notes of incident intake."""
    try:
        return label(f"tps.{key}", lang, **params)
    except KeyError:
        return label(f"intake.{key}", lang, **params)


def _repairs(rows: RowLog) -> dict[str, int]:
    good = ~rows.rejected()
    counts: dict[str, int] = {}
    for i in np.flatnonzero(good):
        for key, _ in rows.notes[i]:
            counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def _synthetic(name: str, raw: pd.DataFrame) -> bool:
    if "sintetis" in name.lower() or "synthetic" in name.lower():
        return True
    keys = {header_key(c): c for c in raw.columns}
    col = keys.get("keterangan") or keys.get("sumber")
    values = raw[col].astype(str).str.upper() if col is not None else pd.Series(dtype=str)
    return bool(len(values)) and bool(values.str.contains("SINTETIS|SYNTHETIC").all())
