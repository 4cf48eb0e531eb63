"""Interactive risk map of the kecamatan scores (folium/Leaflet), safe for offline export.

Every user-provided string (names, categories, narratives, descriptions) is HTML-escaped in
Python and handed to the page as a JSON string literal, never through folium's HTML templates;
the page builds its controls from those strings. Only whitelisted columns reach the page.
Incident points and text are embedded only with ``include_incident_details=True``; otherwise the
incident layers show counts per kecamatan and per grid cell. The layers are built in
:mod:`pilkada_risk.maps.layers`, the panels and lineage stamp in :mod:`pilkada_risk.maps._panels`,
the change since an earlier assessment (``previous=``) in :mod:`pilkada_risk.maps.change`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element

from pilkada_risk.config.i18n import check_lang, label
from pilkada_risk.config.profile import COMPONENTS
from pilkada_risk.maps import change as chg
from pilkada_risk.maps._panels import (
    KELAS_COLOURS,
    MAP_CSS,
    class_colours,
    class_scale,
    is_synthetic,
    lineage_text,
    panels,
    popup_html,
    synthetic_title,
    tooltip_html,
)
from pilkada_risk.maps.change import change_summary
from pilkada_risk.maps.layers import (
    LayerJS,
    Script,
    aggregate_layer,
    detail_layer,
    deterministic_ids,
    esc,
    grid_layer,
    js,
    monthly_layer,
    tps_layer,
)

__all__ = [
    "DEFAULT_LAYERS",
    "KELAS_COLOURS",
    "OUTLINE_MIN_HOLE_M2",
    "change_summary",
    "class_colours",
    "is_synthetic",
    "kabupaten_outline",
    "lineage_text",
    "risk_map",
    "simplify_areas",
    "synthetic_title",
]

#: Interior rings of the kabupaten outline under this area (1 ha) are dropped: gaps between
#: upstream desa polygons, not enclaves. Kecamatan polygons keep theirs.
OUTLINE_MIN_HOLE_M2 = 10_000.0
DEFAULT_LAYERS = ("kejadian", "heatmap", "hotspot", "desa", "tps", "waktu")
_COMPONENTS = tuple(f"komponen_{c}" for c in COMPONENTS)
_REQUIRED: tuple[str, ...] = (
    *("kode", "nama", "risk_score", "kelas", "peringkat", "score_lower", "score_upper"),
    *("n_kejadian", "tren", "gi_label", "narasi", "narasi_en", *_COMPONENTS),
)


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


def _features(geoms: gpd.GeoSeries, props: list[dict[str, Any]]) -> dict[str, Any]:
    feats = [
        {"type": "Feature", "id": str(i), "properties": p, "geometry": shapely.geometry.mapping(g)}
        for i, (g, p) in enumerate(zip(geoms, props, strict=True))
    ]
    return {"type": "FeatureCollection", "features": feats}


def _check_scores(scores: Any) -> gpd.GeoDataFrame:
    if not isinstance(scores, gpd.GeoDataFrame):
        raise TypeError(f"scores must be a GeoDataFrame from RiskModel.score(), got {type(scores)}")
    missing = [c for c in _REQUIRED if c not in scores.columns]
    if missing:
        raise ValueError(
            f"scores is missing column(s) {missing}; risk_map needs the columns of "
            "RiskModel.score() (see docs/DESIGN.md, 'Scores')"
        )
    if scores.crs is None:
        raise ValueError("scores has no CRS; set it (e.g. scores.set_crs(4326)) before mapping")
    return scores


def risk_map(
    scores: gpd.GeoDataFrame,
    *,
    previous: gpd.GeoDataFrame | None = None,
    incidents: gpd.GeoDataFrame | None = None,
    desa: gpd.GeoDataFrame | None = None,
    lang: str = "id",
    layers: Sequence[str] = DEFAULT_LAYERS,
    title: str | None = None,
    tps: gpd.GeoDataFrame | None = None,
    include_incident_details: bool = False,
    online_basemap: bool = False,
    simplify_m: float = 40.0,
    plan: Any = None,
) -> folium.Map:
    """Build the interactive risk map of kecamatan scores.

    Parameters
    ----------
    scores : GeoDataFrame
        Output of ``RiskModel.score()`` (columns and ``attrs`` as in docs/DESIGN.md, "Scores").
    previous : GeoDataFrame, optional
        Scores of the same kecamatan at an earlier ``as_of`` (e.g. ``RiskModel().fit(incidents,
        areas, as_of=earlier).score()``). Adds what changed: rank and class change in tooltips and
        popups, a summary line in the title panel and a ▲ + outline on kecamatan that moved up.
    incidents : GeoDataFrame, optional
        Canonical incidents (``kec_kode``, ``kategori``, ``tanggal``, geometry) for the incident,
        grid-density and monthly layers.
    desa : GeoDataFrame, optional
        Desa boundaries (``nama``, geometry) for the desa layer.
    lang : {"id", "en"}
        Language of labels and narratives.
    layers : sequence of str
        Optional layers among ``kejadian``, ``heatmap``, ``hotspot``, ``desa``, ``tps``, ``waktu``.
    title : str, optional
        Title of the title panel (default: the map title label). Says DATA SINTETIS when the title
        or the data source says the data are synthetic.
    tps : GeoDataFrame, optional
        Polling-station points (``nama`` or ``kode`` shown in the tooltip).
    include_incident_details : bool, default False
        Embed incident points and their text (id, description, casualties). Off by default: the
        incident layers then show only counts per kecamatan and per grid cell.
    online_basemap : bool, default False
        Add OpenStreetMap tiles (needs network when viewed). Off: the polygons are the base.
    simplify_m : float, default 40
        Topology-preserving simplification tolerance in metres (0 disables it). The kabupaten
        outline drawn over the kecamatan drops gaps under 1 ha (see :func:`kabupaten_outline`).
    plan : SecurityPlan, optional
        Adds the security-plan layer (:mod:`pilkada_risk.maps.plan_layer`): TPS by class,
        personnel per kecamatan, shortfall highlighted.

    Returns
    -------
    folium.Map
        With ``m.pilkada_risk`` holding the export flags; save it with :func:`export_html`.
    """
    lang = check_lang(lang)
    scores = _check_scores(scores)
    bad_layers = sorted(set(layers) - set(DEFAULT_LAYERS))
    if bad_layers:
        raise ValueError(
            f"layers has unknown value(s) {bad_layers}; allowed: {list(DEFAULT_LAYERS)}"
        )
    ordered = scores.sort_values("peringkat", kind="stable").reset_index(drop=True)
    change = None if previous is None else chg.compare(ordered, previous, lang)
    geoms = simplify_areas(ordered, simplify_m)
    west, south, east, north = geoms.total_bounds
    kab = kabupaten_outline(geoms)

    with deterministic_ids():
        m = folium.Map(
            location=[(south + north) / 2, (west + east) / 2],
            tiles=None,
            control_scale=True,
            prefer_canvas=False,
            zoom_snap=0.25,
        )
        # folium passes zoom limits only to tile layers; markercluster needs them on the map.
        m.options.update(max_zoom=18, min_zoom=6)
        # Only Leaflet is needed; drop jQuery, Bootstrap, awesome-markers and Font Awesome.
        m.default_js = [m.default_js[0]]
        m.default_css = [m.default_css[0]]
        if online_basemap:
            folium.TileLayer("OpenStreetMap", control=False).add_to(m)
        name = m.get_name()
        root = m.get_root()
        css = MAP_CSS + (chg.CHANGE_CSS if change else "")
        root.header.add_child(Element(f"<style>{css}</style>"), name="pilkada_risk_css")  # type: ignore[attr-defined]
        add = [f"var MAP={name};"]

        scale = class_scale(scores)  # colours by position in the profile's ordered classes
        props = [{"kode": str(r.kode), "kelas": str(r.kelas)} for r in ordered.itertuples()]
        main = folium.GeoJson(
            _features(geoms, props),
            name=label("map.layer_kelas", lang),
            control=False,
            style_function=lambda f: {
                "fillColor": scale.colour(f["properties"]["kelas"]),
                "fillOpacity": 0.85,
                "color": "#ffffff",
                "weight": 1.2,
                "className": "pr-kec",
            },
            highlight_function=lambda f: {"weight": 3, "color": "#222222"},
            smooth_factor=0.5,
        ).add_to(m)
        n_areas = len(ordered)
        # Plain dicts: iterrows would copy scores.attrs into every row.
        records = pd.DataFrame(ordered.drop(columns=ordered.geometry.name)).to_dict("records")
        tips = {str(r["kode"]): tooltip_html(r, n_areas, lang, scale) for r in records}
        pops = {
            str(r["kode"]): popup_html(r, n_areas, lang, chg.popup(change, r, lang), scale)
            for r in records
        }
        if change is not None:
            tips = {k: tip + chg.tooltip_line(change, k, lang) for k, tip in tips.items()}
        add.append(
            f"var KEC={main.get_name()};(function(){{var t={js(tips)},p={js(pops)};"
            "KEC.eachLayer(function(l){var k=l.feature.properties.kode;"
            "l.bindTooltip(t[k],{sticky:true});l.bindPopup(p[k],{maxWidth:340});});})();"
        )
        kab_layer = folium.GeoJson(
            shapely.geometry.mapping(kab),
            control=False,
            interactive=False,
            style_function=lambda f: {"fill": False, "color": "#1a1a1a", "weight": 3},
        ).add_to(m)

        hot = ordered["gi_label"].astype(str).eq("hotspot").to_numpy()
        if "hotspot" in layers and hot.any():
            # Reuse the kecamatan geometry already on the page instead of embedding it twice.
            hot_fg = folium.FeatureGroup(name=label("map.layer_hotspot", lang)).add_to(m)
            hot_codes = ordered.loc[hot, "kode"].astype(str).tolist()
            add.append(
                f"(function(){{var h={js(hot_codes)};L.geoJSON(KEC.toGeoJSON(),{{interactive:false,"
                "filter:function(f){return h.indexOf(f.properties.kode)>=0;},style:{fill:false,"
                f"color:'#3f007d',weight:3.5,dashArray:'7 5'}}}}).addTo({hot_fg.get_name()});}})();"
            )

        up = set() if change is None else set(change.up)
        if change is not None and up:
            add.append(chg.up_layer(m, change, lang))

        labels_fg = folium.FeatureGroup(name=label("map.layer_labels", lang)).add_to(m)
        points = geoms.representative_point()
        names = [
            [round(p.y, 5), round(p.x, 5), chg.up_name(esc(n)) if k in up else esc(n)]
            for p, n, k in zip(points, ordered["nama"], ordered["kode"].astype(str), strict=True)
        ]
        add.append(
            f"{js(names)}.forEach(function(r){{L.marker([r[0],r[1]],{{interactive:false,"
            "keyboard:false,icon:L.divIcon({className:'pr-label',html:r[2],iconSize:null})})"
            f".addTo({labels_fg.get_name()});}});"
        )

        if desa is not None and "desa" in layers:
            dgeoms = simplify_areas(desa, simplify_m)
            dfg = folium.GeoJson(
                _features(dgeoms, [{"i": i} for i in range(len(dgeoms))]),
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
            add.append(
                f"(function(){{var n={js(dnames)};{dfg.get_name()}.eachLayer(function(l){{"
                "l.bindTooltip(n[l.feature.properties.i]);});})();"
            )

        kec_names = dict(zip(ordered["kode"].astype(str), ordered["nama"].astype(str), strict=True))
        extra: list[LayerJS] = []
        if incidents is not None and len(incidents):
            inc = incidents.to_crs(4326) if incidents.crs is not None else incidents
            if "kejadian" in layers and include_incident_details:
                extra.append(detail_layer(m, inc, kec_names, lang))
            elif "kejadian" in layers:
                kec_points = dict(zip(kec_names, points, strict=True))
                extra.append(aggregate_layer(m, inc, kec_names, kec_points, lang))
            if "heatmap" in layers:
                min_count = 1 if include_incident_details else 3
                extra.append(grid_layer(m, inc, lang, min_count=min_count))
            if "waktu" in layers:
                extra.append(monthly_layer(m, inc, kec_names, lang))
        if tps is not None and "tps" in layers and len(tps):
            extra.append(tps_layer(m, tps, lang))
        if plan is not None:  # security plan (pilkada_risk.planning)
            from pilkada_risk.maps.plan_layer import plan_layer

            kec_pts = dict(zip(kec_names, points, strict=True))
            extra.append(plan_layer(m, plan, kec_pts, lang, desa=desa))
        add.extend(x.code for x in extra if x.code)

        scripts, synthetic = panels(
            scores,
            incidents,
            title=title,
            lang=lang,
            with_hotspot=bool(hot.any()),
            outline=kab_layer.get_name(),
            layer_legends=[(x.var, x.legend) for x in extra if x.code and x.legend],
            **chg.panel_texts(change, lang),
        )
        add.extend(scripts)
        add.append(f"MAP.fitBounds([[{south},{west}],[{north},{east}]]);")
        Script("\n".join(add)).add_to(m)
        folium.LayerControl(collapsed=True).add_to(m)

    m.pilkada_risk = {  # type: ignore[attr-defined]
        "include_incident_details": bool(include_incident_details),
        "online_basemap": bool(online_basemap),
        "lang": lang,
        "synthetic": synthetic,
    }
    return m
