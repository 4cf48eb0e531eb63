"""Private: the kecamatan layers of the risk map (classes, outline, hotspots, labels, desa).

Each ``*_layer`` function is a layer builder (``builder(m, inputs) -> LayerJS``, listed in
:data:`pilkada_risk.maps._layer_table.LAYERS`): it adds its Leaflet layer to the folium map and
returns the JavaScript that fills it (data only as :func:`~pilkada_risk.maps.layers.js`
literals). Label points are shared with the PNG twin (:func:`label_points`).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.ops import polylabel

from pilkada_risk.config.i18n import label
from pilkada_risk.maps._builder import NO_LAYER, LayerJS, MapInputs
from pilkada_risk.maps._geometry import kabupaten_outline, simplify_areas
from pilkada_risk.maps.change import up_name
from pilkada_risk.maps.layers import esc, js

__all__ = [
    "class_layer",
    "desa_layer",
    "features",
    "hotspot_layer",
    "label_layer",
    "label_order",
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


def class_layer(m: folium.Map, inputs: MapInputs) -> LayerJS:
    """The kecamatan polygons filled by class (muted and dashed when provisional) as ``KEC``,
    each with its tooltip and popup."""
    ordered, scale, provisional = inputs.ordered, inputs.scale, inputs.provisional
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
        features(inputs.geoms, props),
        name=label("map.layer_kelas", inputs.lang),
        control=False,
        style_function=style,
        highlight_function=lambda f: {"weight": 3, "color": "#222222"},
        smooth_factor=0.5,
    )
    layer.add_to(m)
    tips, pops = inputs.tooltips, inputs.popups
    code = (
        f"var KEC={layer.get_name()};(function(){{var t={js(tips)},p={js(pops)};"
        "KEC.eachLayer(function(l){var k=l.feature.properties.kode;"
        "l.bindTooltip(t[k],{sticky:true});l.bindPopup(p[k],{maxWidth:340,autoPan:false});});})();"
    )
    return LayerJS(code, layer.get_name())


def outline_layer(m: folium.Map, inputs: MapInputs) -> LayerJS:
    """The kabupaten outline over the kecamatan (not interactive; also drawn in the minimap)."""
    layer = folium.GeoJson(
        shapely.geometry.mapping(kabupaten_outline(inputs.geoms)),
        control=False,
        interactive=False,
        style_function=lambda f: {"fill": False, "color": "#1a1a1a", "weight": 3},
    )
    layer.add_to(m)
    return LayerJS("", layer.get_name())


def hotspot_layer(m: folium.Map, inputs: MapInputs) -> LayerJS:
    """Dashed purple outline around Gi* hotspots (``hotspot``), drawn from ``KEC``."""
    ordered = inputs.ordered
    hot = ordered["gi_label"].astype(str).eq("hotspot").to_numpy()
    if not hot.any() or not inputs.wants("hotspot"):
        return NO_LAYER
    fg = folium.FeatureGroup(name=label("map.layer_hotspot", inputs.lang)).add_to(m)
    codes = ordered.loc[hot, "kode"].astype(str).tolist()
    return LayerJS(
        f"(function(){{var h={js(codes)};L.geoJSON(KEC.toGeoJSON(),{{interactive:false,"
        "filter:function(f){return h.indexOf(f.properties.kode)>=0;},style:{fill:false,"
        f"color:'#3f007d',weight:3.5,dashArray:'7 5'}}}}).addTo({fg.get_name()});}})();",
        fg.get_name(),
    )


#: Ranks whose names are placed before all others (with every kecamatan that changed class).
FIRST_RANKS = 3


def label_order(ordered: pd.DataFrame, changed: Collection[str]) -> list[int]:
    """Positions of ``ordered`` (sorted by rank) in the order their names are placed.

    The top :data:`FIRST_RANKS` and every kecamatan in ``changed`` (class changed since the
    earlier assessment) come first, each group by rank: when a small screen has no room for
    every name, the ones the title panel talks about are the ones shown.

    >>> frame = pd.DataFrame({"kode": list("abcdef")})
    >>> label_order(frame, {"e"})
    [0, 1, 2, 4, 3, 5]
    """
    codes = ordered["kode"].astype(str).tolist()
    first = [i for i, k in enumerate(codes) if i < FIRST_RANKS or k in changed]
    return first + [i for i in range(len(codes)) if i not in set(first)]


def label_layer(m: folium.Map, inputs: MapInputs) -> LayerJS:
    """Kecamatan names on their label points in :func:`label_order`; rings for tiny units.

    Each name is a non-interactive marker whose zero-size icon sits on the point; the inner
    ``span`` is centred on it with a CSS transform (Leaflet positions the icon element itself
    with ``translate3d``). Which names show, and where (on the point, shifted inside the
    kecamatan, or beside it with a leader line to the point), is decided in the page
    (see :mod:`._page`). A ▲ marks the kecamatan that moved up a class.
    """
    ordered, points, lang, change = inputs.ordered, inputs.points, inputs.lang, inputs.change
    up = set() if change is None else set(change.up)
    changed = set() if change is None else set(change.changed)
    fg = folium.FeatureGroup(name=label("map.layer_labels", lang)).add_to(m)
    names, codes = ordered["nama"].tolist(), ordered["kode"].astype(str).tolist()
    rows = [
        [
            round(points.iloc[i].y, 5),
            round(points.iloc[i].x, 5),
            f'<span data-kode="{esc(codes[i])}">{label_text(str(names[i]), codes[i] in up)}</span>',
            codes[i],
        ]
        for i in label_order(ordered, changed)
    ]
    return LayerJS(
        f"var LBL=[],RNG=[],RG={fg.get_name()};{js(rows)}.forEach(function(r){{"
        "LBL.push(L.marker([r[0],r[1]],{interactive:false,keyboard:false,"
        "icon:L.divIcon({className:'pr-label',html:r[2],iconSize:[0,0],iconAnchor:[0,0]})})"
        ".addTo(RG));RNG.push({k:r[3],m:L.circleMarker([r[0],r[1]],{radius:11,color:'#111',"
        "weight:1.5,dashArray:'3 2',fillOpacity:0,bubblingMouseEvents:false})});});",
        fg.get_name(),
    )


def desa_layer(m: folium.Map, inputs: MapInputs) -> LayerJS:
    """Dashed desa boundaries (``desa``, off by default) with the desa name as tooltip."""
    desa, lang = inputs.desa, inputs.lang
    if desa is None or not inputs.wants("desa"):
        return NO_LAYER
    dgeoms = simplify_areas(desa, inputs.simplify_m)
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
    return LayerJS(
        f"(function(){{var n={js(dnames)};{dfg.get_name()}.eachLayer(function(l){{"
        "l.bindTooltip(n[l.feature.properties.i]);});})();",
        dfg.get_name(),
    )
