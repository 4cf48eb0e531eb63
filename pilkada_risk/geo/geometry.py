"""Vectorised (shapely 2) clean-up of boundary polygons, private to
:mod:`pilkada_risk.geo.boundaries`.

The steps of the reference layers' ``SOURCES.md``: ``make_valid`` keeping polygonal parts
(:func:`polygonal`), "smaller polygon wins" overlap removal (:func:`smaller_wins`), interior
sliver holes under about 1 ha filled (:func:`fill_slivers`) and snapping to a 1e-6 degree grid
(:func:`snap_to_grid`); :func:`utm_crs` picks the metric CRS for areas.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import shapely

__all__ = [
    "GRID",
    "SLIVER_M2",
    "fill_slivers",
    "polygonal",
    "smaller_wins",
    "snap_to_grid",
    "utm_crs",
]

SLIVER_M2 = 10_000.0  # interior gaps between desa smaller than ~1 ha are filled
GRID = 1e-6  # degrees, about 0.1 m


def polygonal(geoms: np.ndarray) -> np.ndarray:
    """Repair invalid geometries and keep only their polygonal parts, as MultiPolygons.

    Examples
    --------
    >>> bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    >>> [g.geom_type for g in polygonal(np.array([bowtie], dtype=object))]
    ['MultiPolygon']
    """
    geoms = np.asarray(geoms, dtype=object).copy()
    bad = ~shapely.is_valid(geoms)
    geoms[bad] = shapely.make_valid(geoms[bad])
    parts, idx = shapely.get_parts(geoms, return_index=True)
    for _ in range(4):  # GeometryCollection → MultiPolygon → Polygon
        nested = shapely.get_type_id(parts) >= 4
        if not nested.any():
            break
        sub, sub_idx = shapely.get_parts(parts[nested], return_index=True)
        parts = np.concatenate([parts[~nested], sub])
        idx = np.concatenate([idx[~nested], idx[nested][sub_idx]])
    keep = (shapely.get_type_id(parts) == 3) & ~shapely.is_empty(parts)
    out = np.full(len(geoms), shapely.MultiPolygon(), dtype=object)
    order = np.argsort(idx[keep], kind="stable")
    return shapely.multipolygons(parts[keep][order], indices=idx[keep][order], out=out)


def smaller_wins(geoms: np.ndarray) -> np.ndarray:
    """Remove overlaps: each polygon loses the area held by any smaller polygon."""
    geoms = np.asarray(geoms, dtype=object)
    area = shapely.area(geoms)
    i, j = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    smaller = (area[j] < area[i]) | ((area[j] == area[i]) & (j < i))
    i, j = i[smaller], j[smaller]
    inner = shapely.relate_pattern(geoms[i], geoms[j], "T********")
    i, j = i[inner], j[inner]
    if len(i) == 0:
        return geoms.copy()
    # Subtract the k-th smaller neighbour of every polygon in round k: one vectorised call per
    # round instead of one union per polygon.
    order = np.lexsort((j, i))
    i, j = i[order], j[order]
    rank = np.arange(len(i)) - np.searchsorted(i, i, side="left")
    out = geoms.copy()
    for k in range(int(rank.max()) + 1):
        sel = rank == k
        out[i[sel]] = shapely.difference(out[i[sel]], geoms[j[sel]])
    return polygonal(out)


def fill_slivers(geoms: np.ndarray, utm: Any) -> np.ndarray:
    """Fill interior holes under :data:`SLIVER_M2` (in ``utm``) that overlap no other unit."""
    polys, owner = shapely.get_parts(geoms, return_index=True)
    n_rings = shapely.get_num_interior_rings(polys)
    if n_rings.sum() == 0:
        return np.asarray(geoms, dtype=object).copy()
    poly_of_hole = np.repeat(np.arange(len(polys)), n_rings)
    ring_no = np.arange(len(poly_of_hole)) - np.repeat(np.cumsum(n_rings) - n_rings, n_rings)
    holes = shapely.polygons(shapely.get_interior_ring(polys[poly_of_hole], ring_no))
    hole_owner = owner[poly_of_hole]
    area_m2 = gpd.GeoSeries(holes, crs="EPSG:4326").to_crs(utm).area.to_numpy()
    small = np.flatnonzero(area_m2 < SLIVER_M2)
    hi, gj = shapely.STRtree(geoms).query(holes[small], predicate="intersects")
    other = hole_owner[small[hi]] != gj
    hit = shapely.relate_pattern(holes[small[hi[other]]], geoms[gj[other]], "T********")
    fill = np.setdiff1d(small, small[hi[other][hit]])
    if len(fill) == 0:
        return np.asarray(geoms, dtype=object).copy()
    order = np.argsort(hole_owner[fill], kind="stable")
    patch = np.full(len(geoms), shapely.MultiPolygon(), dtype=object)
    patch = shapely.multipolygons(holes[fill][order], indices=hole_owner[fill][order], out=patch)
    return polygonal(shapely.union(geoms, patch))


def snap_to_grid(geoms: np.ndarray) -> np.ndarray:
    """Snap vertices to the :data:`GRID` (1e-6°) and keep the polygonal parts."""
    return polygonal(shapely.set_precision(geoms, GRID))


def utm_crs(where: Any) -> str:
    """WGS 84 UTM zone of the centre of a lon/lat bounding box ``[minx, miny, maxx, maxy]`` or of
    a GeoDataFrame/GeoSeries in any CRS (what ``estimate_utm_crs`` returns, without a lookup).

    The one UTM helper of the package (boundaries, intake placing).

    Examples
    --------
    >>> utm_crs(np.array([103.6, -5.6, 104.4, -4.8]))
    'EPSG:32748'
    >>> import geopandas as gpd
    >>> utm_crs(gpd.GeoSeries([shapely.box(95.2, 5.4, 95.6, 5.6)], crs=4326))
    'EPSG:32646'
    """
    bounds = where.to_crs(4326).total_bounds if hasattr(where, "to_crs") else np.asarray(where)
    lon, lat = (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2
    zone = min(int((lon + 180) // 6) + 1, 60)
    return f"EPSG:{(32700 if lat < 0 else 32600) + zone}"
