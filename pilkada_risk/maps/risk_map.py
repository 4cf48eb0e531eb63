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
import pandas as pd
from branca.element import Element

from pilkada_risk.config.columns import validate_columns
from pilkada_risk.config.i18n import check_lang
from pilkada_risk.config.profile import COMPONENTS
from pilkada_risk.maps import change as chg
from pilkada_risk.maps._geometry import OUTLINE_MIN_HOLE_M2, kabupaten_outline, simplify_areas
from pilkada_risk.maps._kecamatan import (
    bind_js,
    class_layer,
    desa_layer,
    hotspot_layer,
    label_layer,
    label_points,
    outline_layer,
)
from pilkada_risk.maps._page import page_js
from pilkada_risk.maps._panels import (
    KELAS_COLOURS,
    MAP_CSS,
    class_colours,
    class_scale,
    component_caps,
    is_synthetic,
    lineage_text,
    panels,
    popup_html,
    synthetic_title,
    tooltip_html,
    top_categories,
)
from pilkada_risk.maps.change import change_summary
from pilkada_risk.maps.layers import (
    LayerJS,
    Script,
    aggregate_layer,
    detail_layer,
    deterministic_ids,
    grid_layer,
    monthly_layer,
    tps_layer,
)
from pilkada_risk.maps.plan_layer import plan_layer

__all__ = [
    "DEFAULT_LAYERS",
    "KELAS_COLOURS",
    "OUTLINE_MIN_HOLE_M2",
    "change_summary",
    "class_colours",
    "is_synthetic",
    "kabupaten_outline",
    "label_points",
    "lineage_text",
    "risk_map",
    "simplify_areas",
    "synthetic_title",
]

DEFAULT_LAYERS = ("kejadian", "heatmap", "hotspot", "desa", "tps", "waktu")
_COMPONENTS = tuple(f"komponen_{c}" for c in COMPONENTS)
_REQUIRED: tuple[str, ...] = (
    *("kode", "nama", "risk_score", "kelas", "peringkat", "score_lower", "score_upper"),
    *("n_kejadian", "tren", "gi_label", "narasi", "narasi_en", *_COMPONENTS),
)


def _check_scores(scores: Any, layers: Sequence[str], lang: str) -> gpd.GeoDataFrame:
    bad_layers = sorted(set(layers) - set(DEFAULT_LAYERS))
    if bad_layers:
        raise ValueError(
            f"layers has unknown value(s) {bad_layers}; allowed: {list(DEFAULT_LAYERS)}"
        )
    if not isinstance(scores, gpd.GeoDataFrame):
        raise TypeError(f"scores must be a GeoDataFrame from RiskModel.score(), got {type(scores)}")
    validate_columns(scores, _REQUIRED, what="scores", lang=lang, source="RiskModel.score()")
    if scores.crs is None:
        raise ValueError("scores has no CRS; set it (e.g. scores.set_crs(4326)) before mapping")
    return scores


def _base_map(bounds: Any, online_basemap: bool, css: str) -> folium.Map:
    """An empty Leaflet map (no zoom animation ids, only Leaflet's own JS/CSS) with ``css``."""
    west, south, east, north = bounds
    m = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        tiles=None,
        control_scale=False,  # metric-only scale added with the panels
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
    root = m.get_root()
    root.header.add_child(Element(f"<style>{css}</style>"), name="pilkada_risk_css")  # type: ignore[attr-defined]
    return m


def _popups(
    ordered: pd.DataFrame,
    scores: gpd.GeoDataFrame,
    incidents: gpd.GeoDataFrame | None,
    change: Any,
    scale: Any,
    lang: str,
) -> tuple[dict[str, str], dict[str, str]]:
    """Tooltip and popup HTML per kecamatan code."""
    n_areas = len(ordered)
    caps = component_caps(scores)
    cats = top_categories(incidents, lang)
    # Plain dicts: iterrows would copy scores.attrs into every row.
    records = pd.DataFrame(ordered.drop(columns=ordered.geometry.name)).to_dict("records")
    tips = {str(r["kode"]): tooltip_html(r, n_areas, lang, scale) for r in records}
    pops = {
        str(r["kode"]): popup_html(
            r,
            n_areas,
            lang,
            chg.popup(change, r, lang),
            scale,
            caps=caps,
            categories=cats.get(str(r["kode"]), ""),
        )
        for r in records
    }
    if change is not None:
        tips = {k: tip + chg.tooltip_line(change, k, lang) for k, tip in tips.items()}
    return tips, pops


def _kecamatan_layers(
    m: folium.Map,
    scores: gpd.GeoDataFrame,
    ordered: pd.DataFrame,
    geoms: gpd.GeoSeries,
    change: Any,
    incidents: gpd.GeoDataFrame | None,
    opts: dict[str, Any],
) -> tuple[list[str], str, gpd.GeoSeries]:
    """Classes (``KEC``), outline, hotspots, moved-up outline and labels, in drawing order.

    Returns the page scripts, the outline's page variable (for the minimap) and the label
    points (also the anchors of the incident counts).
    """
    lang = opts["lang"]
    scale = class_scale(scores)  # colours by position in the profile's ordered classes
    provisional = scores.attrs.get("data_sufficient", True) is False
    main = class_layer(m, ordered, geoms, scale, lang, provisional=provisional)
    add = [
        f"var MAP={m.get_name()};",
        bind_js(main, *_popups(ordered, scores, incidents, change, scale, lang)),
    ]
    kab_layer = outline_layer(m, kabupaten_outline(geoms))
    if "hotspot" in opts["layers"]:
        add.append(hotspot_layer(m, ordered, lang))
    up = set() if change is None else set(change.up)
    if change is not None and up:
        add.append(chg.up_layer(m, change, lang))
    points = label_points(geoms)
    add.append(label_layer(m, ordered, points, up, lang))
    return add, kab_layer.get_name(), points


def _incident_layers(
    m: folium.Map,
    incidents: gpd.GeoDataFrame | None,
    tps: gpd.GeoDataFrame | None,
    ordered: pd.DataFrame,
    points: gpd.GeoSeries,
    opts: dict[str, Any],
) -> tuple[list[LayerJS], list[str]]:
    """The optional incident and TPS layers, and the page variables of those that recolour."""
    layers, details, lang = opts["layers"], opts["details"], opts["lang"]
    kec_names = dict(zip(ordered["kode"].astype(str), ordered["nama"].astype(str), strict=True))
    extra: list[LayerJS] = []
    recolour: list[str] = []
    if incidents is not None and len(incidents):
        inc = incidents.to_crs(4326) if incidents.crs is not None else incidents
        if "kejadian" in layers and details:
            extra.append(detail_layer(m, inc, kec_names, lang))
        elif "kejadian" in layers:
            kec_points = dict(zip(kec_names, points, strict=True))
            extra.append(aggregate_layer(m, inc, kec_names, kec_points, lang))
        if "heatmap" in layers:
            extra.append(grid_layer(m, inc, lang, min_count=1 if details else 3))
        if "waktu" in layers:
            monthly = monthly_layer(m, inc, kec_names, lang)
            extra.append(monthly)
            recolour += [monthly.var] if monthly.code else []
    if tps is not None and "tps" in layers and len(tps):
        extra.append(tps_layer(m, tps, lang))
    return [x for x in extra if x.code], recolour


def _plan_layers(
    m: folium.Map,
    plan: Any,
    ordered: pd.DataFrame,
    points: gpd.GeoSeries,
    desa: gpd.GeoDataFrame | None,
    lang: str,
) -> list[LayerJS]:
    """The security-plan layer (pilkada_risk.planning), when a plan is given."""
    if plan is None:
        return []

    kec_points = dict(zip(ordered["kode"].astype(str), points, strict=True))
    return [plan_layer(m, plan, kec_points, lang, desa=desa)]


def _flag(
    m: folium.Map, scores: Any, opts: dict[str, Any], *, online_basemap: bool, synthetic: bool
) -> folium.Map:
    """Record on ``m`` what :func:`export_html` must know about the map."""
    m.pilkada_risk = {  # type: ignore[attr-defined]
        "include_incident_details": opts["details"],
        "online_basemap": bool(online_basemap),
        "lang": opts["lang"],
        "synthetic": synthetic,
        "data_sufficient": scores.attrs.get("data_sufficient", True) is not False,
    }
    return m


def _finish(
    m: folium.Map,
    add: list[str],
    scores: gpd.GeoDataFrame,
    incidents: gpd.GeoDataFrame | None,
    geoms: gpd.GeoSeries,
    extra: list[LayerJS],
    recolour: list[str],
    change: Any,
    title: str | None,
    opts: dict[str, Any],
) -> bool:
    """Add the panels and the page script (all of ``add`` first); return "synthetic"."""
    lang = opts["lang"]
    hot = scores["gi_label"].astype(str).eq("hotspot").any()
    scripts, synthetic = panels(
        scores,
        incidents,
        title=title,
        lang=lang,
        with_hotspot=bool("hotspot" in opts["layers"] and hot),
        outline=opts["outline"],
        layer_legends=[(x.var, x.legend) for x in extra if x.legend],
        recolour=recolour,
        **chg.panel_texts(change, lang),
    )
    west, south, east, north = geoms.total_bounds
    add += [*(x.code for x in extra), *scripts, f"var BND=[[{south},{west}],[{north},{east}]];"]
    Script("\n".join(a for a in [*add, page_js()] if a)).add_to(m)
    return synthetic


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
        Adds the security-plan layers (:mod:`pilkada_risk.maps.plan_layer`): TPS by class,
        personnel per kecamatan, shortfall highlighted.

    Returns
    -------
    folium.Map
        With ``m.pilkada_risk`` holding the export flags; save it with :func:`export_html`.
        Labels, popups, panels and the phone layout are described in ``docs/peta.md``.
    """
    lang = check_lang(lang)
    scores = _check_scores(scores, layers, lang)
    ordered = scores.sort_values("peringkat", kind="stable").reset_index(drop=True)
    change = None if previous is None else chg.compare(ordered, previous, lang)
    geoms = simplify_areas(ordered, simplify_m)
    opts = {"lang": lang, "layers": tuple(layers), "details": bool(include_incident_details)}
    with deterministic_ids():
        m = _base_map(
            geoms.total_bounds, online_basemap, MAP_CSS + (chg.CHANGE_CSS if change else "")
        )
        add, opts["outline"], points = _kecamatan_layers(
            m, scores, ordered, geoms, change, incidents, opts
        )
        if desa is not None and "desa" in layers:
            add.append(desa_layer(m, desa, lambda d: simplify_areas(d, simplify_m), lang))
        extra, recolour = _incident_layers(m, incidents, tps, ordered, points, opts)
        extra += _plan_layers(m, plan, ordered, points, desa, lang)
        synthetic = _finish(m, add, scores, incidents, geoms, extra, recolour, change, title, opts)
        folium.LayerControl(collapsed=True).add_to(m)

    return _flag(m, scores, opts, online_basemap=online_basemap, synthetic=synthetic)
