"""Private: the kecamatan layers of the risk map (classes, outline, hotspots, labels, desa).

Each ``*_layer`` function adds its Leaflet layer to the folium map and returns the JavaScript
that fills it (data only as :func:`~pilkada_risk.maps.layers.js` literals). Label points are
shared with the PNG twin (:func:`label_points`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.ops import polylabel

from pilkada_risk.config.i18n import label
from pilkada_risk.maps.change import up_name
from pilkada_risk.maps.classes import ClassScale
from pilkada_risk.maps.layers import esc, js

__all__ = [
    "class_layer",
    "desa_layer",
    "features",
    "hotspot_layer",
    "label_layer",
    "label_points",
    "label_text",
    "name_lines",
    "outline_layer",
]

#: Names longer than this many characters are set on two lines (split at the middle space).
WRAP_CHARS = 12


def features(geoms: gpd.GeoSeries, props: list[dict[str, Any]]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of ``geoms`` with ``props`` (ids ``"0"``, ``"1"``...)."""
    feats = [
        {"type": "Feature", "id": str(i), "properties": p, "geometry": shapely.geometry.mapping(g)}
        for i, (g, p) in enumerate(zip(geoms, props, strict=True))
    ]
    return {"type": "FeatureCollection", "features": feats}


def label_points(geoms: gpd.GeoSeries) -> gpd.GeoSeries:
    """One point inside each polygon, as far from its edges as possible (EPSG:4326).

    The pole of inaccessibility (``polylabel``) of the largest part, computed in the UTM zone of
    ``geoms`` (metres) with a tolerance of 1/200 of the part's size; a centroid can lie outside
    a crescent-shaped kecamatan, a representative point hugs an edge.

    >>> sq = gpd.GeoSeries([shapely.box(105.0, -5.0, 105.1, -4.9)], crs=4326)
    >>> p = label_points(sq).iloc[0]
    >>> round(p.x, 3), round(p.y, 3)
    (105.05, -4.95)
    """
    geoms = geoms.to_crs(4326)
    try:
        utm = geoms.estimate_utm_crs()
    except RuntimeError:  # no UTM zone: equal-area world projection
        utm = "EPSG:6933"
    metric = geoms.to_crs(utm)
    points = []
    for geom in metric:
        parts = shapely.get_parts(geom)
        if len(parts) == 0:
            points.append(shapely.Point())
            continue
        part = parts[int(np.argmax(shapely.area(parts)))]
        tol = max(float(np.sqrt(part.area)) / 200.0, 1.0)
        points.append(polylabel(part, tolerance=tol))
    return gpd.GeoSeries(points, index=geoms.index, crs=utm).to_crs(4326)


def name_lines(name: str) -> list[str]:
    """A kecamatan name as one line, or two (split at the middle space) when long.

    >>> name_lines("Telukbetung Utara"), name_lines("Lemong")
    (['Telukbetung', 'Utara'], ['Lemong'])
    """
    words = str(name).split(" ")
    if len(str(name)) <= WRAP_CHARS or len(words) < 2:
        return [str(name)]
    half = len(str(name)) / 2
    cut = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - half))
    return [" ".join(words[:cut]), " ".join(words[cut:])]


def label_text(name: str, up: bool = False) -> str:
    """Escaped label HTML of a kecamatan name: two lines when long, ▲ in front when ``up``."""
    html = "<br>".join(esc(line) for line in name_lines(name))
    return up_name(html) if up else html


def class_layer(
    m: folium.Map,
    ordered: pd.DataFrame,
    geoms: gpd.GeoSeries,
    scale: ClassScale,
    lang: str,
    *,
    provisional: bool,
) -> folium.GeoJson:
    """The kecamatan polygons filled by class (muted and dashed when ``provisional``)."""
    props = [{"kode": str(r.kode), "kelas": str(r.kelas)} for r in ordered.itertuples()]
    opacity = 0.45 if provisional else 0.85

    def style(f: dict[str, Any]) -> dict[str, Any]:
        out = {
            "fillColor": scale.colour(f["properties"]["kelas"]),
            "fillOpacity": opacity,
            "color": "#ffffff",
            "weight": 1.2,
            "className": "pr-kec",
        }
        if provisional:
            out.update(color="#333333", dashArray="4 3")
        return out

    layer = folium.GeoJson(
        features(geoms, props),
        name=label("map.layer_kelas", lang),
        control=False,
        style_function=style,
        highlight_function=lambda f: {"weight": 3, "color": "#222222"},
        smooth_factor=0.5,
    )
    layer.add_to(m)
    return layer


def bind_js(main: folium.GeoJson, tips: dict[str, str], pops: dict[str, str]) -> str:
    """JavaScript defining ``KEC`` and binding each kecamatan's tooltip and popup."""
    return (
        f"var KEC={main.get_name()};(function(){{var t={js(tips)},p={js(pops)};"
        "KEC.eachLayer(function(l){var k=l.feature.properties.kode;"
        "l.bindTooltip(t[k],{sticky:true});l.bindPopup(p[k],{maxWidth:340,autoPan:false});});})();"
    )


def outline_layer(m: folium.Map, outline: Any) -> folium.GeoJson:
    """The kabupaten outline over the kecamatan (not interactive)."""
    layer = folium.GeoJson(
        shapely.geometry.mapping(outline),
        control=False,
        interactive=False,
        style_function=lambda f: {"fill": False, "color": "#1a1a1a", "weight": 3},
    )
    layer.add_to(m)
    return layer


def hotspot_layer(m: folium.Map, ordered: pd.DataFrame, lang: str) -> str:
    """Dashed purple outline around Gi* hotspots, drawn from ``KEC`` ('' when none)."""
    hot = ordered["gi_label"].astype(str).eq("hotspot").to_numpy()
    if not hot.any():
        return ""
    fg = folium.FeatureGroup(name=label("map.layer_hotspot", lang)).add_to(m)
    codes = ordered.loc[hot, "kode"].astype(str).tolist()
    return (
        f"(function(){{var h={js(codes)};L.geoJSON(KEC.toGeoJSON(),{{interactive:false,"
        "filter:function(f){return h.indexOf(f.properties.kode)>=0;},style:{fill:false,"
        f"color:'#3f007d',weight:3.5,dashArray:'7 5'}}}}).addTo({fg.get_name()});}})();"
    )


def label_layer(
    m: folium.Map, ordered: pd.DataFrame, points: gpd.GeoSeries, up: set[str], lang: str
) -> str:
    """Kecamatan names centred on their label points, rank 1 first; rings for tiny units.

    Each name is a non-interactive marker whose zero-size icon sits on the point; the inner
    ``span`` is centred on it with a CSS transform (Leaflet positions the icon element itself
    with ``translate3d``). Which names show is decided in the page (see :mod:`._page`).
    """
    fg = folium.FeatureGroup(name=label("map.layer_labels", lang)).add_to(m)
    rows = [
        [
            round(p.y, 5),
            round(p.x, 5),
            f'<span data-kode="{esc(k)}">{label_text(str(n), k in up)}</span>',
            str(k),
        ]
        for p, n, k in zip(points, ordered["nama"], ordered["kode"].astype(str), strict=True)
    ]
    return (
        f"var LBL=[],RNG=[],RG={fg.get_name()};{js(rows)}.forEach(function(r){{"
        "LBL.push(L.marker([r[0],r[1]],{interactive:false,keyboard:false,"
        "icon:L.divIcon({className:'pr-label',html:r[2],iconSize:[0,0],iconAnchor:[0,0]})})"
        ".addTo(RG));RNG.push({k:r[3],m:L.circleMarker([r[0],r[1]],{radius:11,color:'#111',"
        "weight:1.5,dashArray:'3 2',fillOpacity:0,bubblingMouseEvents:false})});});"
    )


def desa_layer(
    m: folium.Map, desa: gpd.GeoDataFrame, simplify: Callable[..., gpd.GeoSeries], lang: str
) -> str:
    """Dashed desa boundaries (off by default) with the desa name as tooltip."""
    dgeoms = simplify(desa)
    dfg = folium.GeoJson(
        features(dgeoms, [{"i": i} for i in range(len(dgeoms))]),
        name=label("map.layer_desa", lang),
        show=False,
        style_function=lambda f: {
            "fill": True,
            "fillOpacity": 0,
            "color": "#555555",
            "weight": 0.8,
            "dashArray": "2 3",
        },
    ).add_to(m)
    dnames = [esc(n) for n in desa.get("nama", pd.Series([""] * len(desa)))]
    return (
        f"(function(){{var n={js(dnames)};{dfg.get_name()}.eachLayer(function(l){{"
        "l.bindTooltip(n[l.feature.properties.i]);});})();"
    )
