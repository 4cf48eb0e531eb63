"""Place incidents into kecamatan and desa: by point, else by name.

:func:`locate` is what intake calls for every row: it parses coordinates, repairs swapped
latitude/longitude and a missing minus sign (only when the flipped point lies in the
kabupaten), places points with :func:`place_points` (nearest unit within ``tolerance_m``, see
:mod:`pilkada_risk.intake._place_points`) and falls back to names with :func:`place_names` (see
:mod:`pilkada_risk.intake._place_names`). Where coordinates and the stated kecamatan disagree the
coordinates win and the conflict is noted.

Functions return codes and machine-readable notes ``(key, params)``; the intake module turns
notes into analyst text with :func:`pilkada_risk.config.i18n.label`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from pilkada_risk.config.i18n import label
from pilkada_risk.intake._place_names import DEFAULT_NAME_CUTOFF, place_names
from pilkada_risk.intake._place_points import DEFAULT_TOLERANCE_M, place_points
from pilkada_risk.intake.column_parsing import missing_mask, parse_coordinates
from pilkada_risk.intake.parsing import is_missing
from pilkada_risk.intake.result import RowLists

__all__ = ["DEFAULT_NAME_CUTOFF", "DEFAULT_TOLERANCE_M", "locate", "place_names", "place_points"]

# Indonesia: latitude -11..6, longitude 95..141 (used to detect swapped columns).
_LAT, _LON = (-11.0, 6.0), (95.0, 141.0)


def _in(values: np.ndarray, bounds: tuple[float, float]) -> np.ndarray:
    return (values >= bounds[0]) & (values <= bounds[1])


def locate(
    lat_raw: pd.Series,
    lon_raw: pd.Series,
    kec_raw: pd.Series,
    desa_raw: pd.Series,
    areas: gpd.GeoDataFrame,
    desa: gpd.GeoDataFrame | None = None,
    *,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    cutoff: float = DEFAULT_NAME_CUTOFF,
    precision: pd.Series | None = None,
    lang: str = "id",
) -> pd.DataFrame:
    """Locate every row: parse coordinates, repair swaps and a missing minus sign, place points,
    fall back to names, and collect problems and notes.

    The four input series are aligned (missing values allowed). ``precision`` holds ACLED
    ``geo_precision`` (2: desa-level point; 3: kecamatan only, the ``kecamatan`` name first).
    Returns ``kec_kode``, ``desa_kode``, ``lon``, ``lat`` (NaN when no point is kept),
    ``lokasi_presisi``, ``problems`` (``(code, field, value, params)``) and ``notes``
    (``(key, params)``) per row, in input order.
    """
    n = len(lat_raw)
    lat_s, lat_err = parse_coordinates(lat_raw)
    lon_s, lon_err = parse_coordinates(lon_raw)
    lat, lon = lat_s.to_numpy().copy(), lon_s.to_numpy().copy()
    state = _State(
        problems=RowLists(n),
        notes=RowLists(n),
        errors=[a or b for a, b in zip(lat_err.tolist(), lon_err.tolist(), strict=True)],
    )
    swap = ~_in(lat, _LAT) & _in(lon, _LAT) & _in(lat, _LON)
    lat[swap], lon[swap] = lon[swap], lat[swap]
    for i in np.flatnonzero(swap).tolist():
        state.notes[i].append(("tukar_latlon", {}))
    has_point = np.isfinite(lat) & np.isfinite(lon)
    found, outside = _place_with_flip(lat, lon, has_point, areas, desa, tolerance_m, state)
    gp = (
        np.full(n, np.nan)
        if precision is None
        else pd.to_numeric(precision, errors="coerce").to_numpy(dtype=float)
    )
    point_ok = has_point & ~outside
    kec_out, desa_out = found["kec_kode"].tolist(), found["desa_kode"].tolist()
    lon_out, lat_out = np.where(point_ok, lon, np.nan), np.where(point_ok, lat, np.nan)
    presisi = np.where(gp == 2, "desa", "point").astype(object)
    jarak = found["jarak_m"].to_numpy()
    for i in np.flatnonzero(point_ok & (jarak > 0)).tolist():
        state.notes[i].append(("titik_terdekat", {"jarak": round(float(jarak[i]))}))
    for i in np.flatnonzero(point_ok & (gp == 2)).tolist():
        state.notes[i].append(("acled_presisi_2", {}))
    for i in np.flatnonzero(outside).tolist():
        params = {"lat": round(lat[i], 5), "lon": round(lon[i], 5), "toleransi": round(tolerance_m)}
        value = f"{lat_raw.iat[i]}, {lon_raw.iat[i]}"
        state.problems[i].append(("di_luar_wilayah", "lat", value, params))
    out = pd.DataFrame(
        {"kec_kode": kec_out, "desa_kode": desa_out, "lon": lon_out, "lat": lat_out},
        index=lat_raw.index,
    ).astype({"kec_kode": object, "desa_kode": object})
    out["lokasi_presisi"] = presisi
    by_name = (~has_point) | (point_ok & (gp == 3))
    raws = (lat_raw, lon_raw, kec_raw, desa_raw)
    _by_names(out, by_name, point_ok, raws, areas, desa, cutoff, state, lang)
    _stated_kecamatan(out, point_ok & (gp != 3), kec_raw, areas, cutoff, state)
    out["problems"] = pd.Series(state.problems.column(), index=out.index, dtype=object)
    out["notes"] = pd.Series(state.notes.column(), index=out.index, dtype=object)
    return out


@dataclass
class _State:
    """Per-row problems, notes and coordinate parse errors collected while locating."""

    problems: RowLists  # (code, field, value, params) per row
    notes: RowLists  # Note per row
    errors: list[str | None]


def _place_with_flip(
    lat: np.ndarray,
    lon: np.ndarray,
    has_point: np.ndarray,
    areas: gpd.GeoDataFrame,
    desa: gpd.GeoDataFrame | None,
    tolerance_m: float,
    state: _State,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Place points; a point outside that lands inside with its latitude negated is repaired
    (``lat`` is changed in place). Returns the placement and the mask of points still outside."""
    found = place_points(lon, lat, areas, desa, tolerance_m=tolerance_m)
    outside = has_point & found["kec_kode"].isna().to_numpy()
    if outside.any():
        flipped = place_points(lon[outside], -lat[outside], areas, desa, tolerance_m=tolerance_m)
        ok = flipped["kec_kode"].notna().to_numpy()
        idx = np.flatnonzero(outside)[ok]
        for i in idx:
            state.notes[i].append(("balik_lintang", {"nilai": lat[i], "baru": -lat[i]}))
        lat[idx] = -lat[idx]
        found.iloc[idx] = flipped[ok].to_numpy()
        outside[idx] = False
    return found, outside


def _by_names(
    out: pd.DataFrame,
    by_name: np.ndarray,
    point_ok: np.ndarray,
    raws: tuple[pd.Series, pd.Series, pd.Series, pd.Series],
    areas: gpd.GeoDataFrame,
    desa: gpd.GeoDataFrame | None,
    cutoff: float,
    state: _State,
    lang: str,
) -> None:
    """Place the rows without a usable point (and ACLED precision 3) by kecamatan/desa names."""
    lat_raw, lon_raw, kec_raw, desa_raw = raws
    names = place_names(kec_raw[by_name], desa_raw[by_name], areas, desa, cutoff=cutoff)
    kec_text, desa_text = kec_raw.tolist(), desa_raw.tolist()
    cols = {c: out.columns.get_loc(c) for c in ("kec_kode", "desa_kode", "lon", "lat")}
    cols["lokasi_presisi"] = out.columns.get_loc("lokasi_presisi")
    named = zip(
        np.flatnonzero(by_name).tolist(),
        names["kec_kode"].tolist(),
        names["desa_kode"].tolist(),
        names["masalah"].tolist(),
        names["kandidat"].tolist(),
        names["catatan"].tolist(),
        strict=True,
    )
    for i, kec_kode, desa_kode, masalah, kandidat, catatan in named:
        if masalah is None:
            out.iat[i, cols["kec_kode"]], out.iat[i, cols["desa_kode"]] = kec_kode, desa_kode
            out.iat[i, cols["lon"]], out.iat[i, cols["lat"]] = np.nan, np.nan
            presisi = "desa" if desa_kode is not None else "kecamatan"
            out.iat[i, cols["lokasi_presisi"]] = presisi
            state.notes[i].extend(catatan)
            if state.errors[i]:
                state.notes[i].append(("koordinat_diganti_nama", {"detail": state.errors[i]}))
        elif point_ok[i]:  # ACLED precision 3 with an unknown admin3: keep the point's kecamatan
            out.iat[i, cols["desa_kode"]] = None
            out.iat[i, cols["lon"]], out.iat[i, cols["lat"]] = np.nan, np.nan
            out.iat[i, cols["lokasi_presisi"]] = "kecamatan"
            state.notes[i].append(("acled_presisi_3", {}))
        elif masalah == "nama_ambigu":
            field = "desa" if not is_missing(desa_text[i]) else "kecamatan"
            value = desa_text[i] if field == "desa" else kec_text[i]
            params = {"nilai": str(value), "kandidat": kandidat}
            state.problems[i].append(("nama_ambigu", field, value, params))
        else:
            problem = _not_found(i, state.errors[i], lat_raw, lon_raw, kec_raw, desa_raw, lang)
            state.problems[i].append(problem)


def _stated_kecamatan(
    out: pd.DataFrame,
    konflik: np.ndarray,
    kec_raw: pd.Series,
    areas: gpd.GeoDataFrame,
    cutoff: float,
    state: _State,
) -> None:
    """Note rows whose point lies in another kecamatan than the one written (the point wins)."""
    konflik = konflik & ~missing_mask(kec_raw)
    if not konflik.any():
        return
    written = kec_raw[konflik].astype(object)
    codes, uniques = pd.factorize(written)  # each written name is placed once
    names = pd.Series(uniques, dtype=object)
    said = place_names(names, pd.Series(None, index=names.index), areas, None, cutoff=cutoff)
    stated = np.full(len(kec_raw), None, dtype=object)
    stated[np.flatnonzero(konflik)] = said["kec_kode"].to_numpy(dtype=object)[codes]
    kec_out = out["kec_kode"].to_numpy(dtype=object)
    differs = konflik & pd.notna(stated) & (stated != kec_out)
    kec_names = dict(zip(areas["kode"].astype(str), areas["nama"].astype(str), strict=True))
    for i in np.flatnonzero(differs).tolist():
        params = {"nilai": str(kec_raw.iat[i]), "kec_titik": kec_names[kec_out[i]]}
        state.notes[i].append(("konflik_kec", params))


def _not_found(
    i: int,
    coord_error: str | None,
    lat_raw: pd.Series,
    lon_raw: pd.Series,
    kec_raw: pd.Series,
    desa_raw: pd.Series,
    lang: str,
) -> tuple[str, str, Any, dict[str, Any]]:
    if coord_error:
        value = f"{lat_raw.iat[i]}, {lon_raw.iat[i]}"
        detail = label("intake.koordinat_rusak", lang, nilai=value, detail=coord_error)
        return ("lokasi_tidak_ditemukan", "lat", value, {"detail": detail})
    for field, series in (("desa", desa_raw), ("kecamatan", kec_raw)):
        if not is_missing(series.iat[i]):
            detail = label("intake.nama_tidak_dikenal", lang, nilai=str(series.iat[i]))
            return ("lokasi_tidak_ditemukan", field, series.iat[i], {"detail": detail})
    return ("lokasi_tidak_ditemukan", "", "", {"detail": label("intake.tanpa_lokasi", lang)})
