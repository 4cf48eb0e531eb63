"""Private panels of the risk map: title panel, legend, lineage footer, fullscreen button and
overview minimap (each as the JavaScript that adds a Leaflet control to ``MAP``).

Also the synthetic-data marking and the lineage stamp that the HTML and PNG exports share. Text
reaches the page escaped with :func:`~pilkada_risk.maps.layers.esc` inside :func:`js` literals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from pilkada_risk._version import __version__
from pilkada_risk.config.i18n import label
from pilkada_risk.config.profile import COMPONENTS
from pilkada_risk.maps.classes import (
    CLASS_RAMPS,
    KELAS_COLOURS,
    NO_CLASS,
    ClassScale,
    class_colours,
    class_scale,
    default_scale,
)
from pilkada_risk.maps.layers import esc, js

__all__ = [
    "CLASS_RAMPS",
    "KELAS_COLOURS",
    "MAP_CSS",
    "NO_CLASS",
    "ClassScale",
    "class_colours",
    "class_scale",
    "control",
    "is_synthetic",
    "legend",
    "lineage_text",
    "panels",
    "popup_html",
    "synthetic_title",
    "tooltip_html",
]

_COMPONENTS = tuple(f"komponen_{c}" for c in COMPONENTS)
MAP_CSS = """
.folium-map.leaflet-container{background:#dbe7f0}
.pr-panel{background:rgba(255,255,255,.94);padding:6px 9px;border-radius:5px;
 box-shadow:0 1px 4px rgba(0,0,0,.35);
 font:12px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
 color:#111;max-width:320px}
.pr-title{font-weight:700;font-size:14px}
.pr-synthetic{color:#8b0000}
.pr-method{color:#444;font-size:11px;margin-top:2px}
.pr-legend div{margin-top:3px}
.pr-lg-opt{border-top:1px solid #ccc;padding-top:2px}.pr-lg-opt .pr-dot{display:inline-block;
 width:9px;height:9px;margin:0 6px 0 3px;vertical-align:middle}
.pr-lg-note{color:#444;font-size:11px}.pr-scale span{display:inline-block;text-align:center;
 min-width:26px;font-size:10px}.pr-scale i{display:block;height:10px;border:1px solid #777}
.pr-swatch{display:inline-block;width:16px;height:12px;margin-right:6px;vertical-align:middle;
 border:1px solid #555}
.pr-hot{background:transparent;border:2px dashed #3f007d}
.pr-foot{background:rgba(255,255,255,.85);font:10px/1.2 system-ui,sans-serif;color:#222;
 padding:2px 5px;border-radius:3px;max-width:70vw}
.pr-label{font:600 11px/1.1 system-ui,sans-serif;color:#111;white-space:nowrap;
 text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff;transform:translate(-50%,-50%);
 pointer-events:none}
.pr-popup h4{margin:0 0 4px;font-size:14px}.pr-popup p{margin:3px 0}
.pr-comp td{padding:1px 4px;font-size:11px}.pr-bar{width:110px}
.pr-bar span{display:block;height:9px;background:#6a51a3}
.pr-narasi{font-style:italic;color:#222}
.pr-fs{width:34px;height:34px;font-size:20px;background:#fff;border:2px solid rgba(0,0,0,.2);
 border-radius:4px;cursor:pointer}
.pr-mini{width:150px;height:150px;border:2px solid rgba(0,0,0,.25);background:#dbe7f0}
.pr-dot{border-radius:50%;border:1.5px solid #fff;box-shadow:0 0 0 1px #000}
.pr-time input{width:180px;vertical-align:middle}
.pr-banner{position:fixed;left:0;right:0;height:22px;z-index:2000;background:#8b0000;color:#fff;
 font:700 13px/22px system-ui,sans-serif;text-align:center;letter-spacing:.12em}
.pr-banner-top{top:0}.pr-banner-bottom{bottom:0}
body.pr-classified .folium-map{position:absolute!important;top:22px!important;bottom:22px!important;
 height:auto!important}
"""
_FS_ICON = (
    '<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><path d="M1 6V1h5M10 1h5v5'
    'M15 10v5h-5M6 15H1v-5" fill="none" stroke="#222" stroke-width="2"/></svg>'
)


def synthetic_title(head: str, lang: str) -> str:
    """Prefix ``head`` with DATA SINTETIS / SYNTHETIC DATA unless it already says so."""
    mark = label("common.synthetic", lang)
    return head if mark in head or "DATA SINTETIS" in head else f"{mark} — {head}"


def is_synthetic(*frames: Any, title: str | None) -> bool:
    """True when a frame's attrs or the title say the data are synthetic."""
    texts = [title or ""]
    for frame in frames:
        if frame is not None:
            attrs = frame.attrs
            texts += [str(attrs.get(k, "")) for k in ("source_name", "source", "title")]
            if attrs.get("synthetic"):
                return True
    return any("sintetis" in t.lower() or "synthetic" in t.lower() for t in texts)


def _boundary_text(source: Any, lang: str) -> str:
    if isinstance(source, dict):
        name = source.get("attribution") or source.get("name") or ""
        lic = source.get("licence") or source.get("license") or ""
        commit = str(source.get("commit", ""))[:7]
        parts = [
            str(name),
            f"@{commit}" if commit else "",
            f"({lic})" if lic and lic not in name else "",
        ]
        return " ".join(p for p in parts if p)
    return str(source) if source else label("map.unknown", lang)


def lineage_text(scores: pd.DataFrame, lang: str = "id") -> str:
    """Return the one-line lineage stamp (software, as-of, file hash, profile hash, boundaries)."""
    attrs = scores.attrs
    unknown = label("map.unknown", lang)
    return label(
        "map.lineage",
        lang,
        version=attrs.get("software_version") or __version__,
        as_of=attrs.get("as_of") or unknown,
        source=str(attrs.get("source_sha256") or unknown)[:12],
        profile=str(attrs.get("profile_hash") or unknown)[:12],
        boundary=_boundary_text(attrs.get("boundary_source"), lang),
    )


def popup_html(
    row: Mapping[str, Any],
    n_areas: int,
    lang: str,
    change: str = "",
    scale: ClassScale | None = None,
) -> str:
    """Escaped popup of one kecamatan: class, score, rank, interval, components, narrative.

    The class is coloured and named (in ``lang``) by ``scale`` (default: the default profile's).
    """
    scale = scale or default_scale()
    kelas = str(row["kelas"])
    comp_max = max(float(np.nanmax([row[c] for c in _COMPONENTS])), 1e-9)
    bars = "".join(
        f'<tr><td>{esc(label("map." + c, lang))}</td><td class="pr-bar"><span style="width:'
        f'{max(float(row[c]), 0) / comp_max * 100:.0f}%"></span></td>'
        f"<td>{float(row[c]):.1f}</td></tr>"
        for c in _COMPONENTS
    )
    stable = label(
        "map.stable" if bool(row.get("peringkat_stabil", True)) else "map.unstable", lang
    )
    tren = str(row["tren"])
    try:
        tren_text = label(f"map.tren_{tren}", lang)
    except KeyError:
        tren_text = tren
    narasi = row["narasi_en" if lang == "en" else "narasi"]
    rank = label("map.rank_of", lang, rank=int(row["peringkat"]), n=n_areas)
    return (
        f'<div class="pr-popup"><h4>{esc(row["nama"])}</h4>'
        f"<p><b>{esc(label('map.class', lang))}:</b> "
        f'<span class="pr-swatch" style="background:{scale.colour(kelas)}"></span>'
        f"{esc(scale.name(kelas, lang))} · <b>{esc(label('map.score', lang))}:</b> "
        f"{float(row['risk_score']):.1f}"
        f" · <b>{esc(label('map.rank', lang))}:</b> {esc(rank)} ({esc(stable)})</p>{change}"
        f"<p><b>{esc(label('map.interval', lang))}:</b> {float(row['score_lower']):.1f}–"
        f"{float(row['score_upper']):.1f} · <b>{esc(label('map.trend', lang))}:</b> "
        f"{esc(tren_text)}"
        f" · <b>{esc(label('map.incidents', lang))}:</b> {int(row['n_kejadian'])}</p>"
        f'<p><b>{esc(label("map.components", lang))}</b></p><table class="pr-comp">{bars}</table>'
        f'<p class="pr-narasi">{esc(narasi)}</p></div>'
    )


def tooltip_html(
    row: Mapping[str, Any], n_areas: int, lang: str, scale: ClassScale | None = None
) -> str:
    """Escaped tooltip of one kecamatan: name, class (in ``lang``, by ``scale``), score, rank."""
    kelas = (scale or default_scale()).name(row["kelas"], lang)
    rank = label("map.rank_of", lang, rank=int(row["peringkat"]), n=n_areas)
    return (
        f"<b>{esc(row['nama'])}</b><br>{esc(label('map.class', lang))}: {esc(kelas)}<br>"
        f"{esc(label('map.score', lang))}: {float(row['risk_score']):.1f} · "
        f"{esc(label('map.rank', lang))}: {esc(rank)}"
    )


def control(position: str, css_class: str, inner_html: str) -> str:
    """JavaScript adding a static Leaflet control with trusted ``inner_html`` at ``position``."""
    return (
        f"(function(){{var c=L.control({{position:{js(position)}}});c.onAdd=function(){{"
        f"var d=L.DomUtil.create('div',{js(css_class)});d.innerHTML={js(inner_html)};"
        "L.DomEvent.disableClickPropagation(d);L.DomEvent.disableScrollPropagation(d);return d;};"
        "c.addTo(MAP);})();"
    )


def legend(
    lang: str,
    with_hotspot: bool,
    extra: str = "",
    optional: Sequence[str] = (),
    rows: Sequence[tuple[str, str]] | None = None,
) -> str:
    """HTML of the class legend (and the hotspot outline when shown), then trusted ``extra``.

    ``rows`` are the ``(colour, text)`` class rows (default: the default profile's classes, see
    :meth:`ClassScale.legend_rows`). Each trusted HTML in ``optional`` (the legend of an optional
    layer) follows in a hidden ``data-pr-layer`` section that :func:`layer_legend_js` shows while
    that layer is on.
    """
    if rows is None:
        rows = default_scale().legend_rows(lang)
    html = "".join(
        f'<div><span class="pr-swatch" style="background:{colour}"></span>{esc(text)}</div>'
        for colour, text in rows
    )
    if with_hotspot:
        hot = esc(label("map.hotspot_legend", lang))
        html += f'<div><span class="pr-swatch pr-hot"></span>{hot}</div>'
    sections = "".join(
        f'<div class="pr-lg-opt" data-pr-layer="{i}" hidden>{part}</div>'
        for i, part in enumerate(optional)
    )
    return f"<b>{esc(label('map.legend_title', lang))}</b>{html}{extra}{sections}"


def layer_legend_js(layers: Sequence[str]) -> str:
    """JavaScript showing legend section ``i`` exactly while layer ``layers[i]`` is on the map.

    Listens to the layer's own ``add``/``remove`` events: they fire for the layer control's
    ``overlayadd``/``overlayremove`` and for any other switch; a layer on by default shows its
    section from the start.
    """
    if not layers:
        return ""
    return (
        f"(function(){{var b=MAP.getContainer().querySelector('.pr-legend');"
        f"[{','.join(layers)}].forEach(function(l,i){{"
        "var e=b.querySelector('[data-pr-layer=\"'+i+'\"]');"
        "function set(){e.hidden=!MAP.hasLayer(l);}l.on('add remove',set);set();});})();"
    )


def _title_panel(
    scores: pd.DataFrame,
    incidents: pd.DataFrame | None,
    head: str,
    synthetic: bool,
    lang: str,
    change_line: str = "",
) -> str:
    attrs = dict(scores.attrs)
    unknown = label("map.unknown", lang)
    kab_nama = attrs.get("kab_nama") or unknown
    method = attrs.get(f"method_note_{lang}") or label("map.method", lang)
    source = attrs.get("source_name") or (
        incidents.attrs.get("source_name") if incidents is not None else None
    )
    return (
        f'<div class="pr-title{" pr-synthetic" if synthetic else ""}">{esc(head)}</div>'
        f"<div>{esc(label('map.area', lang))}: <b>{esc(kab_nama)}</b> · "
        f"{esc(label('map.as_of', lang))}: <b>{esc(attrs.get('as_of') or unknown)}</b></div>"
        + (f'<div class="pr-change-sum">{esc(change_line)}</div>' if change_line else "")
        + f"<div>{esc(label('map.source', lang))}: {esc(source or unknown)}</div>"
        f'<div class="pr-method">{esc(method)}</div>'
    )


def _fullscreen_js(text: str) -> str:
    return (
        "(function(){var c=L.control({position:'topleft'});c.onAdd=function(){"
        "var b=L.DomUtil.create('button','pr-fs');b.type='button';b.innerHTML=" + js(_FS_ICON) + ";"
        f"b.title={js(text)};b.setAttribute('aria-label',{js(text)});"
        "L.DomEvent.on(b,'click',function(e){L.DomEvent.stop(e);var el=MAP.getContainer();"
        "if(document.fullscreenElement){document.exitFullscreen();}"
        "else if(el.requestFullscreen){el.requestFullscreen();}});return b;};c.addTo(MAP);})();"
    )


def _minimap_js(outline: str) -> str:
    # An own overview map: folium's MiniMap needs tiles and a CDN plugin.
    return (
        "(function(){var c=L.control({position:'bottomright'});c.onAdd=function(){"
        "var d=L.DomUtil.create('div','pr-mini');L.DomEvent.disableClickPropagation(d);return d;};"
        "c.addTo(MAP);var mini=L.map(c.getContainer(),{attributionControl:false,zoomControl:false,"
        "dragging:false,scrollWheelZoom:false,doubleClickZoom:false,boxZoom:false,keyboard:false,"
        "touchZoom:false,zoomSnap:0.1});"
        f"var o=L.geoJSON({outline}.toGeoJSON(),{{interactive:false,"
        "style:{color:'#1a1a1a',weight:1,"
        "fillColor:'#bbbbbb',fillOpacity:0.6}}).addTo(mini);mini.fitBounds(o.getBounds());"
        "var r=L.rectangle(MAP.getBounds(),{interactive:false,color:'#bd0026',weight:2,fill:false})"
        ".addTo(mini);MAP.on('moveend zoomend',function(){r.setBounds(MAP.getBounds());});})();"
    )


def panels(
    scores: pd.DataFrame,
    incidents: pd.DataFrame | None,
    *,
    title: str | None,
    lang: str,
    with_hotspot: bool,
    outline: str,
    change_line: str = "",
    legend_extra: str = "",
    layer_legends: Sequence[tuple[str, str]] = (),
) -> tuple[list[str], bool]:
    """JavaScript of the title panel, legend, lineage footer, fullscreen button and minimap.

    ``outline`` is the page variable of the kabupaten outline layer (drawn in the minimap).
    ``change_line`` (plain text, escaped here) is the title panel's "what changed" line and
    ``legend_extra`` trusted legend HTML; both are left out when empty. ``layer_legends`` pairs
    the page variable of an optional layer with its trusted legend HTML, shown while it is on.
    Returns the scripts in page order and whether the data are marked synthetic.
    """
    synthetic = is_synthetic(scores, incidents, title=title)
    rows = class_scale(scores).legend_rows(lang, scores["kelas"])
    head = title or label("map.title", lang)
    if synthetic:
        head = synthetic_title(head, lang)
    scripts = [
        control(
            "topright",
            "pr-panel pr-head",
            _title_panel(scores, incidents, head, synthetic, lang, change_line),
        ),
        control(
            "bottomright",
            "pr-panel pr-legend",
            legend(lang, with_hotspot, legend_extra, [html for _, html in layer_legends], rows),
        ),
        layer_legend_js([var for var, _ in layer_legends]),
        control("bottomleft", "pr-foot", esc(lineage_text(scores, lang))),
        _fullscreen_js(label("map.fullscreen", lang)),
        _minimap_js(outline),
    ]
    return [s for s in scripts if s], synthetic
