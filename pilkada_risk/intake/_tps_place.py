"""Where a TPS lies: its desa from a code and/or names, its number, its point.

Private to :mod:`pilkada_risk.intake.tps`. A row's desa comes from KPU's 13-digit TPS code or a
desa code column (Kemendagri, or BPS through the crosswalk) and from the desa/kecamatan names.
When both are present they must agree: a code whose desa or kecamatan differs from the names is
quarantined with both values named. A name that is not found while the code is known is a note
(the code wins); a BPS code that gives only the kecamatan needs the desa name.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from pilkada_risk.config.i18n import label
from pilkada_risk.intake._place_names import place_names
from pilkada_risk.intake._tps_codes import CodeInfo, parse_place_code, parse_tps_code
from pilkada_risk.intake._tps_fields import tps_numbers
from pilkada_risk.intake.column_parsing import parse_coordinates
from pilkada_risk.intake.parsing import is_missing, split_coordinate_column
from pilkada_risk.intake.result import RowLog

__all__ = ["place_rows", "tps_points"]


def _codes(
    raw: pd.DataFrame,
    cols: dict[str, Any],
    desa: gpd.GeoDataFrame,
    areas: gpd.GeoDataFrame,
    bps: dict[str, str],
) -> tuple[list[CodeInfo], list[int | None]]:
    """Place code and TPS number of every row from ``kode_tps`` / ``kode_desa`` / ``kode_kec``."""
    n = len(raw)
    desa_codes, kec_codes = set(desa["kode"].astype(str)), set(areas["kode"].astype(str))
    infos: list[CodeInfo] = [CodeInfo()] * n
    numbers: list[int | None] = [None] * n
    if "kode_tps" in cols:
        for i, value in enumerate(raw[cols["kode_tps"]].tolist()):
            digits, number = parse_tps_code(value)
            if digits is not None:
                infos[i] = parse_place_code(digits, desa_codes, kec_codes, bps)
                numbers[i] = number
            elif not is_missing(value):
                infos[i] = CodeInfo(problem="kode_tps_tidak_terbaca")
    for key in ("kode_desa", "kode_kec"):
        if key not in cols:
            continue
        for i, value in enumerate(raw[cols[key]].tolist()):
            if infos[i].system or infos[i].problem:
                continue
            infos[i] = parse_place_code(value, desa_codes, kec_codes, bps)
    return infos, numbers


def place_rows(
    raw: pd.DataFrame,
    cols: dict[str, Any],
    layers: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame],
    bps: dict[str, str],
    rows: RowLog,
    blank: np.ndarray,
) -> tuple[pd.DataFrame, list[int | None]]:
    """``kec_kode``, ``desa_kode``, ``desa_nama`` per row and the TPS numbers."""
    areas, desa = layers
    infos, code_numbers = _codes(raw, cols, desa, areas, bps)
    numbers = _numbers(raw, cols, code_numbers, rows, blank)
    names = dict(zip(desa["kode"].astype(str), desa["nama"].astype(str), strict=True))
    kec_names = dict(zip(areas["kode"].astype(str), areas["nama"].astype(str), strict=True))
    none = pd.Series(None, index=raw.index, dtype=object)
    kec_raw = raw[cols["kecamatan"]].astype(object) if "kecamatan" in cols else none
    desa_raw = raw[cols["desa"]].astype(object) if "desa" in cols else none
    # a BPS code that gives the kecamatan only: look the desa name up inside that kecamatan
    kec_hint = pd.Series(
        [
            kec_names.get(c.kec, None) if c.kec and not c.desa else k
            for c, k in zip(infos, kec_raw, strict=True)
        ],
        index=raw.index,
        dtype=object,
    )
    found = place_names(kec_hint, desa_raw, areas, desa)
    out = pd.DataFrame({"kec_kode": None, "desa_kode": None, "desa_nama": ""}, index=raw.index)
    code_col = cols.get("kode_tps", cols.get("kode_desa", cols.get("kode_kec")))
    for i, rec in enumerate(found.to_dict("records")):
        if blank[i]:
            continue
        code_value = _code_cell(raw, cols, infos[i], i)
        code = _resolve(
            i,
            rec,
            infos[i],
            code_value,
            desa_raw.iat[i],
            kec_raw.iat[i],
            code_col,
            cols,
            rows,
            kec_names,
            names,
        )
        if code is not None:
            out.iloc[i] = [code[:8], code, names.get(code, "")]
    return out, numbers


def _code_cell(raw: pd.DataFrame, cols: dict[str, Any], info: CodeInfo, i: int) -> Any:
    """The code cell that placed (or failed to place) row ``i``."""
    for key in ("kode_tps", "kode_desa", "kode_kec"):
        if key in cols and not is_missing(raw[cols[key]].iat[i]):
            return raw[cols[key]].iat[i]
    return ""


def _numbers(
    raw: pd.DataFrame,
    cols: dict[str, Any],
    from_code: list[int | None],
    rows: RowLog,
    blank: np.ndarray,
) -> list[int | None]:
    """TPS numbers: from the code; a number column beside it must agree."""
    if "tps" not in cols:
        for i in range(len(raw)):
            if not blank[i] and from_code[i] is None and not rows.problems.get(i):
                value = raw[cols["kode_tps"]].iat[i]
                if is_missing(value):
                    rows.problem(i, "tps_kosong", cols["kode_tps"], value)
        return from_code
    given = tps_numbers(raw[cols["tps"]], cols["tps"], rows, blank)
    out = []
    for i, (a, b) in enumerate(zip(given, from_code, strict=True)):
        if a is not None and b is not None and a != b:
            rows.problem(i, "nomor_tidak_cocok", cols["tps"], a, nomor=f"{a:03d}", kode=f"{b:03d}")
        out.append(b if b is not None else a)
    return out


def _resolve(
    i: int,
    rec: dict[str, Any],
    info: CodeInfo,
    code_value: Any,
    desa_value: Any,
    kec_value: Any,
    code_col: Any,
    cols: dict[str, Any],
    rows: RowLog,
    kec_names: dict[str, str],
    names: dict[str, str],
) -> str | None:
    """The row's desa code, or None with the problem logged."""
    if info.problem:
        rows.problem(i, info.problem, code_col, code_value, nilai=str(code_value))
        return None
    by_name = rec["desa_kode"] if not is_missing(desa_value) else None
    if info.desa is not None:
        name_kec = rec["kec_kode"] if not is_missing(kec_value) else None
        if by_name is not None and by_name != info.desa:
            rows.problem(
                i,
                "kode_nama_beda",
                cols["desa"],
                desa_value,
                nilai=str(desa_value),
                kode=info.desa,
                desa_kode=names.get(info.desa, "?"),
                desa_nama=names.get(str(by_name), "?"),
            )
            return None
        if name_kec is not None and name_kec != info.kec:
            rows.problem(
                i,
                "kode_kecamatan_beda",
                cols["kecamatan"],
                kec_value,
                nilai=str(kec_value),
                kode=info.desa,
                kec_kode=kec_names.get(str(info.kec), "?"),
            )
            return None
        if not is_missing(desa_value) and by_name is None:
            rows.note(
                i, "nama_desa_dari_kode", nilai=str(desa_value), desa=names.get(info.desa, "")
            )
        if info.system == "bps":
            rows.note(i, "kode_bps", kode=info.desa)
        return info.desa
    if info.kec is not None and is_missing(desa_value):
        kec = kec_names.get(info.kec, info.kec)
        rows.problem(i, "kode_tanpa_desa", code_col, code_value, nilai=str(code_value), kec=kec)
        return None
    return _by_name(i, rec, desa_value, cols, rows, kec_names, info)


def _by_name(
    i: int,
    rec: dict[str, Any],
    value: Any,
    cols: dict[str, Any],
    rows: RowLog,
    kec_names: dict[str, str],
    info: CodeInfo,
) -> str | None:
    if "desa" not in cols or is_missing(value):
        rows.problem(i, "desa_kosong", cols.get("desa", ""), value)
        return None
    if rec["masalah"] == "nama_ambigu":
        rows.problem(
            i, "nama_ambigu", cols["desa"], value, nilai=str(value), kandidat=rec["kandidat"]
        )
        return None
    if rec["desa_kode"] is None:
        kec = rec["kec_kode"]
        di_kec = f" (Kec. {kec_names[kec]})" if kec in kec_names else ""
        rows.problem(
            i, "desa_tidak_ditemukan", cols["desa"], value, nilai=str(value), di_kec=di_kec
        )
        return None
    if info.kec is not None and str(rec["desa_kode"])[:8] != info.kec:
        rows.problem(
            i,
            "kode_kecamatan_beda",
            cols["desa"],
            value,
            nilai=str(value),
            kode=info.kec,
            kec_kode=kec_names.get(info.kec, "?"),
        )
        return None
    if info.system == "bps":
        rows.note(i, "kode_bps", kode=info.kec)
    rows.notes[i].extend(n for n in rec["catatan"] if n[0] != "desa_tidak_di_kec")
    return str(rec["desa_kode"])


def _lat_lon(raw: pd.DataFrame, cols: dict[str, Any]) -> tuple[pd.Series, pd.Series] | None:
    """Latitude and longitude cells as written: two columns, or one ``koordinat`` column split."""
    if {"lat", "lon"} <= set(cols):
        return raw[cols["lat"]].astype(object), raw[cols["lon"]].astype(object)
    if "koordinat" not in cols:
        return None
    return split_coordinate_column(raw[cols["koordinat"]])


def tps_points(
    raw: pd.DataFrame,
    cols: dict[str, Any],
    place: pd.DataFrame,
    areas: gpd.GeoDataFrame,
    rows: RowLog,
) -> list[Any]:
    """TPS points inside the kecamatan of their desa (swapped lat/lon repaired); else None."""
    cells = _lat_lon(raw, cols)
    if cells is None:
        return [None] * len(raw)
    lat_raw, lon_raw = cells
    lat, lat_err = parse_coordinates(lat_raw)
    lon, lon_err = parse_coordinates(lon_raw)
    y, x = lat.to_numpy(dtype=float), lon.to_numpy(dtype=float)
    swap = (np.abs(y) > 20) & (np.abs(x) <= 20)
    y, x = np.where(swap, x, y), np.where(swap, y, x)
    polygons = dict(zip(areas["kode"].astype(str), areas.geometry.to_crs(4326), strict=True))
    pts = gpd.points_from_xy(x, y)
    out: list[Any] = []
    for i, (kec, point) in enumerate(zip(place["kec_kode"], pts, strict=True)):
        given = not (is_missing(lat_raw.iat[i]) and is_missing(lon_raw.iat[i]))
        ok = np.isfinite(x[i]) and np.isfinite(y[i]) and kec is not None
        inside = ok and polygons[kec].buffer(0.01).contains(point)  # ~1 km of slack
        if given and kec is not None and not inside:
            broken = lat_err.iat[i] or lon_err.iat[i]
            detail = label(f"tps.koordinat_{'rusak' if broken else 'di_luar'}", rows.lang)
            value = f"{lat_raw.iat[i]}, {lon_raw.iat[i]}"
            rows.note(i, "koordinat_diabaikan", nilai=value, detail=detail)
        out.append(point if inside else None)
    return out
