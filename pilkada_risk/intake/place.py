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

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from pilkada_risk.config.i18n import label
from pilkada_risk.intake._place_names import DEFAULT_NAME_CUTOFF, Note, place_names
from pilkada_risk.intake._place_points import DEFAULT_TOLERANCE_M, place_points
from pilkada_risk.intake.parsing import is_missing, parse_coordinates

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
    problems: list[list[tuple[str, str, Any, dict[str, Any]]]] = [[] for _ in range(n)]
    notes: list[list[Note]] = [[] for _ in range(n)]
    swap = ~_in(lat, _LAT) & _in(lon, _LAT) & _in(lat, _LON)
    lat[swap], lon[swap] = lon[swap], lat[swap]
    for i in np.flatnonzero(swap).tolist():
        notes[i].append(("tukar_latlon", {}))
    has_point = np.isfinite(lat) & np.isfinite(lon)
    found = place_points(lon, lat, areas, desa, tolerance_m=tolerance_m)
    outside = has_point & found["kec_kode"].isna().to_numpy()
    if outside.any():
        flipped = place_points(lon[outside], -lat[outside], areas, desa, tolerance_m=tolerance_m)
        ok = flipped["kec_kode"].notna().to_numpy()
        idx = np.flatnonzero(outside)[ok]
        for i in idx:
            notes[i].append(("balik_lintang", {"nilai": lat[i], "baru": -lat[i]}))
        lat[idx] = -lat[idx]
        found.iloc[idx] = flipped[ok].to_numpy()
        outside[idx] = False
    gp = (
        np.full(n, np.nan)
        if precision is None
        else pd.to_numeric(precision, errors="coerce").to_numpy(dtype=float)
    )
    point_ok = has_point & ~outside
    by_name = (~has_point) | (point_ok & (gp == 3))
    names = place_names(kec_raw[by_name], desa_raw[by_name], areas, desa, cutoff=cutoff)
    kec_out, desa_out = found["kec_kode"].tolist(), found["desa_kode"].tolist()
    lon_out, lat_out = np.where(point_ok, lon, np.nan), np.where(point_ok, lat, np.nan)
    presisi = np.where(gp == 2, "desa", "point").astype(object)
    jarak = found["jarak_m"].to_numpy()
    for i in np.flatnonzero(point_ok & (jarak > 0)).tolist():
        notes[i].append(("titik_terdekat", {"jarak": round(float(jarak[i]))}))
    for i in np.flatnonzero(point_ok & (gp == 2)).tolist():
        notes[i].append(("acled_presisi_2", {}))
    lat_text, lon_text = lat_raw.tolist(), lon_raw.tolist()
    for i in np.flatnonzero(outside).tolist():
        params = {"lat": round(lat[i], 5), "lon": round(lon[i], 5), "toleransi": round(tolerance_m)}
        problems[i].append(("di_luar_wilayah", "lat", f"{lat_text[i]}, {lon_text[i]}", params))
    errors = [a or b for a, b in zip(lat_err.tolist(), lon_err.tolist(), strict=True)]
    kec_text, desa_text = kec_raw.tolist(), desa_raw.tolist()
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
            kec_out[i], desa_out[i], lon_out[i], lat_out[i] = kec_kode, desa_kode, np.nan, np.nan
            presisi[i] = "desa" if desa_kode is not None else "kecamatan"
            notes[i].extend(catatan)
            if errors[i]:
                notes[i].append(("koordinat_diganti_nama", {"detail": errors[i]}))
        elif point_ok[i]:  # ACLED precision 3 with an unknown admin3: keep the point's kecamatan
            desa_out[i], lon_out[i], lat_out[i], presisi[i] = None, np.nan, np.nan, "kecamatan"
            notes[i].append(("acled_presisi_3", {}))
        elif masalah == "nama_ambigu":
            field = "desa" if not is_missing(desa_text[i]) else "kecamatan"
            value = desa_text[i] if field == "desa" else kec_text[i]
            problems[i].append(
                ("nama_ambigu", field, value, {"nilai": str(value), "kandidat": kandidat})
            )
        else:
            problems[i].append(_not_found(i, errors[i], lat_raw, lon_raw, kec_raw, desa_raw, lang))
    konflik = point_ok & (gp != 3) & ~kec_raw.map(is_missing).to_numpy()
    if konflik.any():
        stated = place_names(
            kec_raw[konflik],
            pd.Series(None, index=kec_raw[konflik].index),
            areas,
            None,
            cutoff=cutoff,
        )["kec_kode"].tolist()
        kec_names = dict(zip(areas["kode"].astype(str), areas["nama"].astype(str), strict=True))
        for said, i in zip(stated, np.flatnonzero(konflik).tolist(), strict=True):
            if said is not None and said != kec_out[i]:
                params = {"nilai": str(kec_text[i]), "kec_titik": kec_names[kec_out[i]]}
                notes[i].append(("konflik_kec", params))
    out = pd.DataFrame(
        {
            "kec_kode": pd.Series(kec_out, dtype=object),
            "desa_kode": pd.Series(desa_out, dtype=object),
            "lon": lon_out,
            "lat": lat_out,
            "lokasi_presisi": presisi,
        },
        index=lat_raw.index,
    )
    out["problems"] = pd.Series(problems, index=out.index, dtype=object)
    out["notes"] = pd.Series(notes, index=out.index, dtype=object)
    return out


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
