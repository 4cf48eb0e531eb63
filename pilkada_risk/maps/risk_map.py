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
from pilkada_risk.maps._builder import LayerJS, MapInputs
from pilkada_risk.maps._geometry import OUTLINE_MIN_HOLE_M2, kabupaten_outline, simplify_areas
from pilkada_risk.maps._kecamatan import label_points
from pilkada_risk.maps._layer_table import build_layers
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
from pilkada_risk.maps.layers import Script, deterministic_ids

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


def _inputs(
    scores: gpd.GeoDataFrame,
    ordered: gpd.GeoDataFrame,
    geoms: gpd.GeoSeries,
    change: Any,
    opts: dict[str, Any],
    **given: Any,
) -> MapInputs:
    """The inputs of every layer builder (tooltips and popups made here, once)."""
    lang = opts["lang"]
    scale = class_scale(scores)  # colours by position in the profile's ordered classes
    incidents = given["incidents"]
    tips, pops = _popups(ordered, scores, incidents, change, scale, lang)
    if incidents is not None and incidents.crs is not None:
        incidents = incidents.to_crs(4326)
    tps = given["tps"]
    return MapInputs(
        ordered=ordered,
        geoms=geoms,
        points=label_points(geoms),
        lang=lang,
        layers=opts["layers"],
        details=opts["details"],
        scale=scale,
        provisional=scores.attrs.get("data_sufficient", True) is False,
        simplify_m=given["simplify_m"],
        change=change,
        incidents=incidents,
        tps=tps.to_crs(4326) if tps is not None and tps.crs is not None else tps,
        desa=given["desa"],
        plan=given["plan"],
        tooltips=tips,
        popups=pops,
    )


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
    built: dict[str, LayerJS],
    scores: gpd.GeoDataFrame,
    incidents: gpd.GeoDataFrame | None,
    geoms: gpd.GeoSeries,
    change: Any,
    title: str | None,
    opts: dict[str, Any],
) -> bool:
    """Add the panels and the page script (every layer's code first); return "synthetic"."""
    lang = opts["lang"]
    hot = scores["gi_label"].astype(str).eq("hotspot").any()
    drawn = [x for x in built.values() if x.code]
    scripts, synthetic = panels(
        scores,
        incidents,
        title=title,
        lang=lang,
        with_hotspot=bool("hotspot" in opts["layers"] and hot),
        outline=built["batas_kabupaten"].var,
        layer_legends=[(x.var, x.legend) for x in drawn if x.legend],
        recolour=[x.var for x in drawn if x.recolours],
        **chg.panel_texts(change, lang),
    )
    west, south, east, north = geoms.total_bounds
    add = [f"var MAP={m.get_name()};", *(x.code for x in drawn), *scripts]
    add.append(f"var BND=[[{south},{west}],[{north},{east}]];")
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
    given = {
        "incidents": incidents,
        "tps": tps,
        "desa": desa,
        "plan": plan,
        "simplify_m": simplify_m,
    }
    inputs = _inputs(scores, ordered, geoms, change, opts, **given)
    with deterministic_ids():
        m = _base_map(
            geoms.total_bounds, online_basemap, MAP_CSS + (chg.CHANGE_CSS if change else "")
        )
        built = build_layers(m, inputs)
        synthetic = _finish(m, built, scores, incidents, geoms, change, title, opts)
        folium.LayerControl(collapsed=True).add_to(m)

    return _flag(m, scores, opts, online_basemap=online_basemap, synthetic=synthetic)
