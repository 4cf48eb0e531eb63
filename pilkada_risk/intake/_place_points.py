"""Place points into kecamatan and desa polygons.

Points go into the polygon that contains them (vectorised spatial join). A point in a sliver
between polygons or just offshore goes to the nearest unit when it is within ``tolerance_m``
metres, measured in the UTM zone of the layer's centre; farther points stay unplaced. A desa is
kept only when it lies in the point's kecamatan, so the two codes never disagree.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from pilkada_risk.geo.geometry import utm_crs

__all__ = ["DEFAULT_TOLERANCE_M", "place_points"]

#: Metres outside every unit within which a point still goes to the nearest one.
DEFAULT_TOLERANCE_M = 2000.0


def _assign(
    points: gpd.GeoDataFrame, units: gpd.GeoDataFrame, tolerance_m: float, utm: Any
) -> pd.DataFrame:
    """Code and distance (0 inside) of the unit holding each point; nearest within tolerance."""
    out = pd.DataFrame(
        {"kode": pd.Series(None, index=points.index, dtype=object), "jarak_m": np.nan},
        index=points.index,
    )
    if points.empty:
        return out
    # "within" is several times faster than "intersects"; points on a boundary (not within
    # any unit) get the "intersects" pass, so the result is the same.
    rest = points
    for predicate in ("within", "intersects"):
        inside = gpd.sjoin(rest, units[["kode", "geometry"]], how="inner", predicate=predicate)
        inside = inside[~inside.index.duplicated(keep="first")]
        out.loc[inside.index, "kode"] = inside["kode"].astype(object)
        out.loc[inside.index, "jarak_m"] = 0.0
        rest = points.loc[out["kode"].isna()]
        if rest.empty:
            break
    if not rest.empty and tolerance_m > 0:
        near = gpd.sjoin_nearest(
            rest.to_crs(utm),
            units[["kode", "geometry"]].to_crs(utm),
            how="inner",
            max_distance=tolerance_m,
            distance_col="_jarak",
        )
        near = near[~near.index.duplicated(keep="first")]
        out.loc[near.index, "kode"] = near["kode"].astype(object)
        out.loc[near.index, "jarak_m"] = near["_jarak"].astype(float)
    return out


def place_points(
    lon: np.ndarray,
    lat: np.ndarray,
    areas: gpd.GeoDataFrame,
    desa: gpd.GeoDataFrame | None = None,
    *,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
) -> pd.DataFrame:
    """Place points (EPSG:4326 lon/lat arrays, NaN = none) into kecamatan and desa.

    Returns
    -------
    pandas.DataFrame
        Same length and order as the input, columns ``kec_kode`` (None when unplaced),
        ``desa_kode`` (None when no desa layer or unplaced), ``jarak_m`` (0 inside, the
        distance to the kecamatan when snapped within tolerance, NaN when unplaced).

    Examples
    --------
    >>> import shapely
    >>> kec = gpd.GeoDataFrame({"kode": ["01"]}, geometry=[shapely.box(103.9, -5.3, 104.0, -5.2)],
    ...                        crs=4326)
    >>> out = place_points(np.array([103.95, 104.01, 105.0]), np.array([-5.25] * 3), kec)
    >>> out["kec_kode"].tolist()
    ['01', '01', None]
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    valid = np.isfinite(lon) & np.isfinite(lat)
    points = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(lon[valid], lat[valid]), crs=4326, index=np.flatnonzero(valid)
    )
    units = areas.to_crs(4326)
    utm = utm_crs(units)
    kec = _assign(points, units, tolerance_m, utm)
    result = pd.DataFrame(
        {
            "kec_kode": pd.Series(None, index=range(len(lon)), dtype=object),
            "desa_kode": pd.Series(None, index=range(len(lon)), dtype=object),
            "jarak_m": np.nan,
        }
    )
    result.loc[kec.index, "kec_kode"] = kec["kode"]
    result.loc[kec.index, "jarak_m"] = kec["jarak_m"]
    if desa is not None:
        layer = desa.to_crs(4326)
        found = _assign(points, layer, tolerance_m, utm)
        parent = dict(zip(layer["kode"].astype(str), layer["kec_kode"].astype(str), strict=True))
        ok = found["kode"].map(parent).eq(result.loc[found.index, "kec_kode"])
        result.loc[ok[ok].index, "desa_kode"] = found.loc[ok, "kode"]
    for col in ("kec_kode", "desa_kode"):
        values = result[col].astype(object)
        result[col] = values.where(values.notna(), None)
    return result
