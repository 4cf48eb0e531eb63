"""Private panels of the risk map: title panel, legend, lineage footer, fullscreen button and
overview minimap (each as the JavaScript that adds a Leaflet control to ``MAP``).

Also the synthetic-data marking and the lineage stamp that the HTML and PNG exports share. Text
reaches the page escaped with :func:`~pilkada_risk._map_layers.esc` inside :func:`js` literals.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pilkada_risk import __version__
from pilkada_risk._map_layers import esc, js
from pilkada_risk.i18n import label

__all__ = [
    "KELAS_COLOURS",
    "NO_CLASS",
    "control",
    "is_synthetic",
    "legend",
    "lineage_text",
    "panels",
    "synthetic_title",
]

#: Sequential in lightness (light green → orange → dark red): readable with colour-vision
#: deficiency, and in the green/yellow/red family of the Polri classes.
KELAS_COLOURS = {"kurang rawan": "#c2e699", "rawan": "#fd8d3c", "sangat rawan": "#bd0026"}
NO_CLASS = "#d9d9d9"
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


def control(position: str, css_class: str, inner_html: str) -> str:
    """JavaScript adding a static Leaflet control with trusted ``inner_html`` at ``position``."""
    return (
        f"(function(){{var c=L.control({{position:{js(position)}}});c.onAdd=function(){{"
        f"var d=L.DomUtil.create('div',{js(css_class)});d.innerHTML={js(inner_html)};"
        "L.DomEvent.disableClickPropagation(d);L.DomEvent.disableScrollPropagation(d);return d;};"
        "c.addTo(MAP);})();"
    )


def legend(lang: str, with_hotspot: bool, extra: str = "") -> str:
    """HTML of the class legend (and the hotspot outline when shown), then trusted ``extra``."""
    rows = "".join(
        f'<div><span class="pr-swatch" style="background:{colour}"></span>'
        f"{esc(label('map.kelas_' + k.replace(' ', '_'), lang))}</div>"
        for k, colour in KELAS_COLOURS.items()
    )
    if with_hotspot:
        hot = esc(label("map.hotspot_legend", lang))
        rows += f'<div><span class="pr-swatch pr-hot"></span>{hot}</div>'
    return f"<b>{esc(label('map.legend_title', lang))}</b>{rows}{extra}"


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
) -> tuple[list[str], bool]:
    """JavaScript of the title panel, legend, lineage footer, fullscreen button and minimap.

    ``outline`` is the page variable of the kabupaten outline layer (drawn in the minimap).
    ``change_line`` (plain text, escaped here) is the title panel's "what changed" line and
    ``legend_extra`` trusted legend HTML; both are left out when empty.
    Returns the scripts in page order and whether the data are marked synthetic.
    """
    synthetic = is_synthetic(scores, incidents, title=title)
    head = title or label("map.title", lang)
    if synthetic:
        head = synthetic_title(head, lang)
    scripts = [
        control(
            "topright",
            "pr-panel pr-head",
            _title_panel(scores, incidents, head, synthetic, lang, change_line),
        ),
        control("bottomright", "pr-panel pr-legend", legend(lang, with_hotspot, legend_extra)),
        control("bottomleft", "pr-foot", esc(lineage_text(scores, lang))),
        _fullscreen_js(label("map.fullscreen", lang)),
        _minimap_js(outline),
    ]
    return scripts, synthetic
