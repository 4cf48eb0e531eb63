"""Place points into kecamatan and desa polygons.

Points go into the polygon that contains them (vectorised spatial join). A point in a sliver
between polygons or just offshore goes to the nearest unit when it is within ``tolerance_m``
metres, measured in the UTM zone of the layer's centre; farther points stay unplaced; among
units at exactly the same distance (a point off a coastal corner shared by two units) the first
in layer order wins. A desa is kept only when it lies in the point's kecamatan, so the two codes
never disagree.

The nearest step gives the distances of ``geopandas.sjoin_nearest`` on the reprojected layer
(tested), without reprojecting the layer or measuring to whole high-resolution polygons: the
outline of every polygon is cut into short pieces (:data:`_PIECE`), only the pieces whose bounding
box lies near a point left over (a generous box in degrees) are reprojected, and the nearest of
them is found with a shapely STRtree. For a point outside every polygon the distance to a polygon
is the distance to its outline, so the nearest piece gives the nearest polygon and its distance.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from pilkada_risk.geo.geometry import utm_crs

__all__ = ["DEFAULT_TOLERANCE_M", "place_points"]

#: Metres outside every unit within which a point still goes to the nearest one.
DEFAULT_TOLERANCE_M = 2000.0


#: Segments per outline piece of the nearest step (short pieces: cheap exact distances).
_PIECE = 16
#: Lengths of one degree (m) used only to draw the generous search box of a point; the box is
#: 1.5 times the tolerance, so UTM scale (at most about 1.1 across Indonesia) never escapes it.
_M_PER_DEG_LAT, _M_PER_DEG_LON = 110_574.0, 111_320.0
#: A point this close (m) to an outline is checked for lying inside the projected unit.
_ON_BORDER_M = 1.0


@lru_cache(maxsize=8)
def _to_utm(utm: str) -> Transformer:
    """The EPSG:4326 -> ``utm`` transformer (what ``GeoSeries.to_crs`` uses)."""
    return Transformer.from_crs(CRS.from_user_input(4326), CRS.from_user_input(utm), always_xy=True)


def _search_boxes(x: np.ndarray, y: np.ndarray, tolerance_m: float) -> np.ndarray:
    """Boxes (lon/lat) holding everything within ``tolerance_m`` of each point, generously."""
    dy = 1.5 * tolerance_m / _M_PER_DEG_LAT
    cos = np.cos(np.radians(np.minimum(np.abs(y) + dy, 89.0)))
    dx = 1.5 * tolerance_m / (_M_PER_DEG_LON * cos)
    return shapely.box(x - dx, y - dy, x + dx, y + dy)


def _outline_pieces(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every ring of ``geoms`` cut into linestrings of at most :data:`_PIECE` segments, and the
    position of the polygon each piece belongs to."""
    parts, part_owner = shapely.get_parts(geoms, return_index=True)
    n_int = shapely.get_num_interior_rings(parts)
    ring_part = np.repeat(np.arange(len(parts)), n_int + 1)
    ring_no = np.arange(len(ring_part)) - np.repeat(np.cumsum(n_int + 1) - (n_int + 1), n_int + 1)
    rings = np.where(
        ring_no == 0,
        shapely.get_exterior_ring(parts[ring_part]),
        shapely.get_interior_ring(parts[ring_part], np.maximum(ring_no - 1, 0)),
    )
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    m = np.bincount(ring_of, minlength=len(rings))
    start, nseg = np.cumsum(m) - m, np.maximum(m - 1, 1)
    nchunk = -(-nseg // _PIECE)
    chunk_ring = np.repeat(np.arange(len(rings)), nchunk)
    chunk_no = np.arange(len(chunk_ring)) - np.repeat(np.cumsum(nchunk) - nchunk, nchunk)
    first = start[chunk_ring] + chunk_no * _PIECE
    last = np.minimum(first + _PIECE, start[chunk_ring] + nseg[chunk_ring])
    length = last - first + 1
    offset = np.repeat(np.cumsum(length) - length, length)
    pos = np.repeat(first, length) + np.arange(length.sum()) - offset
    pieces = shapely.linestrings(coords[pos], indices=np.repeat(np.arange(len(length)), length))
    return pieces, part_owner[ring_part[chunk_ring]]


def _nearest(
    points: gpd.GeoDataFrame, geoms: np.ndarray, tolerance_m: float, utm: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nearest polygon of each point (outside all of them) within ``tolerance_m`` in ``utm``.

    Returns ``(point positions, polygon positions, distances in m)`` of the points placed.
    """
    x, y = points.geometry.x.to_numpy(), points.geometry.y.to_numpy()
    boxes = _search_boxes(x, y, tolerance_m)
    near_poly = np.unique(shapely.STRtree(geoms).query(boxes)[1])
    if not len(near_poly):
        return (np.array([], dtype=np.intp),) * 2 + (np.array([], dtype=float),)
    pieces, owner = _outline_pieces(geoms[near_poly])
    keep = np.unique(shapely.STRtree(pieces).query(boxes)[1])
    pieces, owner = pieces[keep], near_poly[owner[keep]]
    xy = shapely.get_coordinates(pieces)
    transform = _to_utm(utm).transform
    pieces = shapely.set_coordinates(pieces, np.column_stack(transform(xy[:, 0], xy[:, 1])))
    px, py = transform(x, y)
    (i, j), dist = shapely.STRtree(pieces).query_nearest(
        shapely.points(px, py), max_distance=tolerance_m, return_distance=True, all_matches=True
    )
    # ties (a corner shared by two units, or two pieces of one): the first unit in layer order
    order = np.lexsort((owner[j], i))
    i, poly, dist = i[order], owner[j][order], dist[order]
    first = np.ones(len(i), dtype=bool)
    first[1:] = i[1:] != i[:-1]
    i, poly, dist = i[first], poly[first], dist[first]
    _inside_after_projection(i, poly, dist, px, py, geoms, owner, pieces, utm)
    return i, poly, dist


def _inside_after_projection(
    i: np.ndarray,
    poly: np.ndarray,
    dist: np.ndarray,
    px: np.ndarray,
    py: np.ndarray,
    geoms: np.ndarray,
    owner: np.ndarray,
    pieces: np.ndarray,
    utm: str,
) -> None:
    """A point on a border (outside every unit by a rounding error in degrees) can lie inside
    a unit once projected: distance 0 to the first such unit, as ``sjoin_nearest`` measures
    (``poly`` and ``dist`` are changed in place)."""
    close = np.flatnonzero(dist < _ON_BORDER_M)
    if not len(close):
        return
    where = shapely.points(px[i[close]], py[i[close]])
    k, j = shapely.STRtree(pieces).query(where, predicate="dwithin", distance=_ON_BORDER_M)
    k, cand = close[k], owner[j]
    pairs = np.unique(np.column_stack([k, cand]), axis=0)  # sorted: point, then layer order
    units = np.unique(pairs[:, 1])
    projected = gpd.GeoSeries(geoms[units], crs=4326).to_crs(utm).to_numpy()
    at = np.searchsorted(units, pairs[:, 1])
    pts = shapely.points(px[i[pairs[:, 0]]], py[i[pairs[:, 0]]])
    hit = shapely.intersects(pts, projected[at])
    for pos, unit in pairs[hit][::-1].tolist():  # reversed: the first unit is written last
        poly[pos], dist[pos] = unit, 0.0


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
        i, poly, dist = _nearest(rest, units.geometry.to_numpy(), tolerance_m, utm)
        out.loc[rest.index[i], "kode"] = units["kode"].to_numpy(dtype=object)[poly]
        out.loc[rest.index[i], "jarak_m"] = dist
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
