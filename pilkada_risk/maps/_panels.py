"""Private panels of the risk map: title panel, legend, lineage footer, fullscreen button and
overview minimap (each as the JavaScript that adds a Leaflet control to ``MAP``).

Also the synthetic-data marking and the lineage stamp that the HTML and PNG exports share. Text
reaches the page escaped with :func:`~pilkada_risk.maps.layers.esc` inside :func:`js` literals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from pilkada_risk._version import __version__
from pilkada_risk.config.i18n import label
from pilkada_risk.config.profile import COMPONENTS
from pilkada_risk.io.number_format import number
from pilkada_risk.maps._popup import component_caps, popup_html, tooltip_html, top_categories
from pilkada_risk.maps._style import MAP_CSS
from pilkada_risk.maps.classes import (
    CLASS_RAMPS,
    KELAS_COLOURS,
    NO_CLASS,
    ClassScale,
    class_colours,
    class_scale,
    default_scale,
    scores_profile,
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
    "component_caps",
    "control",
    "is_synthetic",
    "legend",
    "lineage_text",
    "panels",
    "popup_html",
    "synthetic_title",
    "tooltip_html",
    "top_categories",
]

_COMPONENTS = tuple(f"komponen_{c}" for c in COMPONENTS)
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


def legend(
    lang: str,
    with_hotspot: bool,
    extra: str = "",
    optional: Sequence[str] = (),
    rows: Sequence[tuple[str, str]] | None = None,
    *,
    provisional: bool = False,
) -> str:
    """HTML of the class legend (and the hotspot outline when shown), then trusted ``extra``.

    ``rows`` are the ``(colour, text)`` class rows (default: the default profile's classes, see
    :meth:`ClassScale.legend_rows`), inside a ``pr-lg-class`` section (hidden while a layer that
    recolours the kecamatan is on, see :func:`layer_legend_js`); ``provisional`` draws them pale
    and hatched with a note. Each trusted HTML in ``optional`` (the legend of an optional
    layer) follows in a hidden ``data-pr-layer`` section that :func:`layer_legend_js` shows while
    that layer is on.
    """
    if rows is None:
        rows = default_scale().legend_rows(lang)
    # hatching is a background image: a provisional swatch may set only the colour
    swatch = (
        '<span class="pr-swatch pr-prov" style="background-color:'
        if provisional
        else ('<span class="pr-swatch" style="background:')
    )
    html = "".join(f'<div>{swatch}{colour}"></span>{esc(text)}</div>' for colour, text in rows)
    if provisional:
        html += f'<div class="pr-lg-note">{esc(label("map.legend_provisional", lang))}</div>'
    if with_hotspot:
        hot = esc(label("map.hotspot_legend", lang))
        html += f'<div><span class="pr-swatch pr-hot"></span>{hot}</div>'
    sections = "".join(
        f'<div class="pr-lg-opt" data-pr-layer="{i}" hidden>{part}</div>'
        for i, part in enumerate(optional)
    )
    tap = f'<span class="pr-tap"> {esc(label("map.tap_more", lang))}</span>'
    head = f"<b>{esc(label('map.legend_title', lang))}{tap}</b>"
    return f'{head}<div class="pr-lg-class">{html}{extra}</div>{sections}'


def layer_legend_js(layers: Sequence[str], recolour: Sequence[str] = ()) -> str:
    """JavaScript showing legend section ``i`` exactly while layer ``layers[i]`` is on the map.

    Listens to the layer's own ``add``/``remove`` events: they fire for the layer control's
    ``overlayadd``/``overlayremove`` and for any other switch; a layer on by default shows its
    section from the start. While a layer in ``recolour`` (e.g. the monthly layer) is on, the
    class legend is hidden: one legend per colouring.
    """
    if not layers:
        return ""
    return (
        f"(function(){{var b=MAP.getContainer().querySelector('.pr-legend'),"
        f"cl=b.querySelector('.pr-lg-class'),rc=[{','.join(recolour)}];"
        f"function cls(){{cl.hidden=rc.some(function(l){{return MAP.hasLayer(l);}});}}"
        f"[{','.join(layers)}].forEach(function(l,i){{"
        "var e=b.querySelector('[data-pr-layer=\"'+i+'\"]');"
        "function set(){e.hidden=!MAP.hasLayer(l);cls();}l.on('add remove',set);set();});})();"
    )


def map_basis(scores: pd.DataFrame, incidents: pd.DataFrame | None) -> dict[str, Any]:
    """What the scores rest on: ``scores.attrs["data_basis"]``, else counted from ``incidents``."""
    basis = dict(scores.attrs.get("data_basis") or {})
    if basis or incidents is None:
        basis.setdefault("n_incidents", scores.attrs.get("n_incidents"))
        return basis
    dates = pd.to_datetime(incidents.get("tanggal"), errors="coerce").dropna()
    intake = dict(incidents.attrs.get("intake") or {})
    basis = {
        "n_incidents": len(incidents),
        "period_start": dates.min().date().isoformat() if len(dates) else "",
        "as_of": scores.attrs.get("as_of", ""),
        "n_read": intake.get("n_read", 0),
        "n_quarantine": intake.get("n_quarantine", 0),
    }
    if "lokasi_presisi" in incidents:
        point = int((incidents["lokasi_presisi"].astype(str) == "point").sum())
        basis.update(n_point=point, n_name=len(incidents) - point)
    return basis


def basis_text(basis: Mapping[str, Any], lang: str) -> str:
    """One plain line: incidents and period, share quarantined, share placed by point/name."""
    n = basis.get("n_incidents")
    if n is None:
        return ""
    start, end = basis.get("period_start"), basis.get("as_of")
    period = label("map.basis_period", lang, start=start, end=end) if start and end else ""
    parts = [label("map.basis", lang, n=number(n, lang, 0), period=period).strip()]
    n_read, n_q = int(basis.get("n_read") or 0), int(basis.get("n_quarantine") or 0)
    if n_read:
        share = number(n_q / n_read, lang, 0, percent=True)
        counts = {"n": number(n_q, lang, 0), "total": number(n_read, lang, 0)}
        parts.append(label("map.basis_quarantine", lang, share=share, **counts))
    placed = int(basis.get("n_point") or 0) + int(basis.get("n_name") or 0)
    if placed:
        point = number(int(basis.get("n_point") or 0) / placed, lang, 0, percent=True)
        name = number(int(basis.get("n_name") or 0) / placed, lang, 0, percent=True)
        parts.append(label("map.basis_placed", lang, point=point, name=name))
    return " · ".join(parts)


def data_warnings(scores: pd.DataFrame, lang: str) -> list[str]:
    """The scores' data warnings in ``lang`` (empty when sufficient or not assessed)."""
    return [
        str(w)
        for w in scores.attrs.get("data_warnings_en" if lang == "en" else "data_warnings") or []
    ]


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
    warn = ""
    if attrs.get("data_sufficient", True) is False:
        warn = f'<div class="pr-warn" role="alert">{esc(label("sufficiency.banner", lang))}</div>'
        reasons = data_warnings(scores, lang)
        if reasons:  # the reasons one click away, so the panel stays short
            why = f"<summary>{esc(label('map.warn_reasons', lang, n=len(reasons)))}</summary>"
            items = "".join(f"<li>{esc(w)}</li>" for w in reasons)
            warn += f'<details class="pr-details pr-more">{why}<ul class="pr-warn-list">'
            warn += f"{items}</ul></details>"
    basis = basis_text(map_basis(scores, incidents), lang)
    days = attrs.get("horizon_days") or scores_profile(scores).forecast.horizon_days
    # Issue 19: the one verdict sentence (scoring/skill.py), visible at load, never collapsed.
    verdict = attrs.get(f"verdict_{lang}") or ""
    if verdict:
        warn += (
            f'<div class="pr-verdict" style="font-size:11px;margin-top:3px">{esc(verdict)}</div>'
        )
    return (
        f'<div class="pr-title{" pr-synthetic" if synthetic else ""}"><span class="pr-tt">'
        f'{esc(head)}</span> <span class="pr-tap">{esc(label("map.tap_more", lang))}</span>'
        f"</div>{warn}"
        f'<div class="pr-more"><div>{esc(label("map.area", lang))}: <b>{esc(kab_nama)}</b> · '
        f"{esc(label('map.as_of', lang))}: <b>{esc(attrs.get('as_of') or unknown)}</b></div>"
        + (f'<div class="pr-change-sum">{esc(change_line)}</div>' if change_line else "")
        + (f'<div class="pr-basis">{esc(basis)}</div>' if basis else "")
        + f"<div>{esc(label('map.source', lang))}: {esc(source or unknown)}</div>"
        f'<div class="pr-method">{esc(label("map.method_short", lang, days=days))}</div>'
        f'<details class="pr-details"><summary>{esc(label("map.method_details", lang))}</summary>'
        f"<div>{esc(method)}</div><div>{esc(lineage_text(scores, lang))}</div></details></div>"
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
    recolour: Sequence[str] = (),
) -> tuple[list[str], bool]:
    """JavaScript of the title panel, legend, lineage footer, scale, fullscreen button, minimap.

    ``outline`` is the page variable of the kabupaten outline layer (drawn in the minimap).
    ``change_line`` (plain text, escaped here) is the title panel's "what changed" line and
    ``legend_extra`` trusted legend HTML; both are left out when empty. ``layer_legends`` pairs
    the page variable of an optional layer with its trusted legend HTML, shown while it is on;
    while a layer in ``recolour`` is on the class legend is hidden. Insufficient data
    (``scores.attrs["data_sufficient"] is False``) put a warning in the title panel and mark
    the classes provisional in the legend. The scale bar is metric only; the attribution has no
    flag prefix. Returns the scripts in page order and whether the data are marked synthetic.
    """
    synthetic = is_synthetic(scores, incidents, title=title)
    rows = class_scale(scores).legend_rows(lang, scores["kelas"])
    head = title or label("map.title", lang)
    if synthetic:
        head = synthetic_title(head, lang)
    provisional = scores.attrs.get("data_sufficient", True) is False
    optional = [html for _, html in layer_legends]
    scripts = [
        control(
            "topright",
            "pr-panel pr-head",
            _title_panel(scores, incidents, head, synthetic, lang, change_line),
        ),
        control(
            "bottomright",
            "pr-panel pr-legend",
            legend(lang, with_hotspot, legend_extra, optional, rows, provisional=provisional),
        ),
        layer_legend_js([var for var, _ in layer_legends], recolour),
        control("bottomleft", "pr-foot", esc(lineage_text(scores, lang))),
        "L.control.scale({imperial:false,position:'bottomleft'}).addTo(MAP);"
        "MAP.attributionControl.setPrefix('Leaflet');",
        _fullscreen_js(label("map.fullscreen", lang)),
        _minimap_js(outline),
    ]
    return [s for s in scripts if s], synthetic
