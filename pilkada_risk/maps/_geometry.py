"""Private: geometry of the risk map and its PNG twin: rounded, coverage-simplified kecamatan
and the kabupaten outline without the gap specks between upstream desa polygons."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import shapely

__all__ = ["OUTLINE_MIN_HOLE_M2", "kabupaten_outline", "simplify_areas"]

#: Interior rings of the kabupaten outline under this area (1 ha) are dropped: gaps between
#: upstream desa polygons, not enclaves. Kecamatan polygons keep theirs.
OUTLINE_MIN_HOLE_M2 = 10_000.0


def _round_geom(geom: Any, ndigits: int = 5) -> Any:
    """Round vertices (of one geometry or an array) to ``ndigits`` decimals, keeping validity.

    Plain rounding maps a vertex shared by two polygons to the same point in both, so shared
    edges stay shared, but it can make a ring cross itself (``union_all`` then fails with a
    GEOS TopologyException). Those geometries alone are snapped again from their unrounded
    shape with ``shapely.set_precision``, which re-nodes them on the same grid and keeps them
    valid. A geometry that would collapse on the grid keeps its unrounded shape.

    >>> notch = np.array([(0, 0), (10, 0.8), (10, 10), (5, 0.45), (0, 10)]) * 1e-5
    >>> bool(shapely.is_valid(_round_geom(shapely.Polygon(notch))))
    True
    """
    geoms = np.asarray(geom, dtype=object)
    flat = geoms.reshape(-1)
    out = shapely.transform(flat, lambda xy: np.round(xy, ndigits))
    broken = ~shapely.is_valid(out)
    if broken.any():
        broken[broken] = shapely.is_valid(flat[broken])  # an invalid input is left as it is
        snapped = shapely.set_precision(flat[broken], 10.0**-ndigits)
        out[broken] = np.where(shapely.is_empty(snapped), flat[broken], snapped)
    return out.reshape(geoms.shape) if geoms.ndim else out[0]


def _polygonal(geom: Any) -> Any:
    """``geom`` if valid, else its valid polygonal part (``make_valid`` may add lines)."""
    if geom.is_valid:
        return geom
    parts = shapely.get_parts(shapely.make_valid(geom))
    keep = parts[np.isin(shapely.get_type_id(parts), (3, 6))]  # Polygon, MultiPolygon
    return shapely.union_all(keep)


def kabupaten_outline(geoms: gpd.GeoSeries, *, min_hole_m2: float = OUTLINE_MIN_HOLE_M2) -> Any:
    """Union of the kecamatan ``geoms`` without its interior rings under ``min_hole_m2``.

    Upstream desa polygons do not fit exactly, so their union has tiny gaps inside (79 holes,
    3.8 ha in all, in Pesisir Barat) that would be drawn as specks on the outline. Hole areas
    are measured in the UTM zone of ``geoms``. A part that lay inside a dropped hole is merged.

    >>> square = shapely.box(105.0, -5.0, 105.1, -4.9)
    >>> gap = shapely.box(105.05, -4.95, 105.0505, -4.9495)  # about 55 m x 55 m
    >>> out = kabupaten_outline(gpd.GeoSeries([square.difference(gap)], crs=4326))
    >>> len(out.interiors)
    0
    """
    geoms = geoms.to_crs(4326)
    union = _polygonal(shapely.union_all(geoms.to_numpy()))
    parts = shapely.get_parts(union)
    rings = [list(p.interiors) for p in parts]
    flat = [shapely.Polygon(r) for part in rings for r in part]
    if flat:
        try:
            crs = geoms.estimate_utm_crs()
        except RuntimeError:  # no UTM zone (e.g. polar): equal-area world projection
            crs = "EPSG:6933"
        areas = iter(gpd.GeoSeries(flat, crs=4326).to_crs(crs).area)
        keep = [[r for r in part if next(areas) >= min_hole_m2] for part in rings]
        parts = [shapely.Polygon(p.exterior, k) for p, k in zip(parts, keep, strict=True)]
        union = shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0]
        if not union.is_valid:  # a part inside a dropped hole now overlaps its host
            union = shapely.union_all(parts)
    return _round_geom(union)


def simplify_areas(gdf: gpd.GeoDataFrame, tolerance_m: float) -> gpd.GeoSeries:
    """Simplify a polygon coverage keeping shared edges (tolerance in metres); round to 1e-5°.

    Vertices are rounded to 1e-5 degree (about 1 m); a polygon that rounding would make
    invalid is snapped to that grid with ``shapely.set_precision`` instead (see ``_round_geom``).
    """
    gdf = gdf.to_crs(4326)
    geoms = gdf.geometry
    if tolerance_m > 0:
        utm = gdf.estimate_utm_crs()
        projected = geoms.to_crs(utm)
        try:
            simple = projected.simplify_coverage(tolerance_m)
        except Exception:  # not a valid coverage: fall back to per-polygon simplification
            simple = projected.simplify(tolerance_m, preserve_topology=True)
        geoms = simple.to_crs(4326)
    return gpd.GeoSeries(_round_geom(geoms.to_numpy()), index=gdf.index, crs=4326)
