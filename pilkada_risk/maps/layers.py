"""Private building blocks of the risk map: escaping, deterministic ids and the
incident, density, monthly and TPS layers (builders as described in :mod:`._builder`).

Data reach the page only as :func:`js` literals; text is escaped with :func:`esc` or set with
``textContent`` in the browser.
"""

from __future__ import annotations

import html
import itertools
import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from folium.plugins import MarkerCluster
from jinja2 import Template

from pilkada_risk.config.i18n import label
from pilkada_risk.config.taxonomy import load_taxonomy
from pilkada_risk.maps._builder import NO_LAYER, LayerJS, MapInputs

__all__ = [
    "GROUP_COLOURS",
    "MONTH_COLOURS",
    "LayerJS",
    "Script",
    "aggregate_layer",
    "category_label",
    "deterministic_ids",
    "detail_layer",
    "esc",
    "grid_layer",
    "js",
    "monthly_layer",
    "tps_layer",
]

#: Okabe–Ito colours per category group (colour-blind safe); unknown groups are grey.
GROUP_COLOURS = {
    "konvensional": "#0072B2",
    "transnasional": "#009E73",
    "kekayaan_negara": "#CC79A7",
    "kontinjensi": "#56B4E9",
    "pemilu": "#000000",
}
OTHER_GROUP = "#777777"
#: Purple scale of the monthly layer (0 incidents is white).
MONTH_COLOURS = ["#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"]


def esc(value: object) -> str:
    """HTML-escape any value for text or attribute context (also backticks and ``$``).

    >>> esc('<img src=x onerror="a()">')
    '&lt;img src=x onerror=&quot;a()&quot;&gt;'
    """
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return ""
    return html.escape(str(value), quote=True).replace("`", "&#96;").replace("$", "&#36;")


def js(obj: Any) -> str:
    """Serialise ``obj`` as JSON that is safe inside an inline ``<script>`` element.

    >>> js("</script>")
    '"\\\\u003c/script\\\\u003e"'
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, code)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


@contextmanager
def deterministic_ids(prefix: str = "p") -> Iterator[None]:
    """Make branca element ids a counter (``p000001``...) inside the block; restore afterwards."""
    counter = itertools.count(1)
    original = Element.__dict__["_generate_id"]
    setattr(Element, "_generate_id", classmethod(lambda cls: f"{prefix}{next(counter):06d}"))  # noqa: B010
    try:
        yield
    finally:
        setattr(Element, "_generate_id", original)  # noqa: B010


class Script(MacroElement):
    """JavaScript rendered in the map's script section (trusted code; data only via :func:`js`)."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.code }}{% endmacro %}")

    def __init__(self, code: str) -> None:
        super().__init__()
        self._name = "Script"
        self.code = code


def _legend(title: str, rows: str, note: str = "") -> str:
    note_html = f'<div class="pr-lg-note">{esc(note)}</div>' if note else ""
    return f"<b>{esc(title)}</b>{rows}{note_html}"


def month_bins(top: int) -> list[tuple[int, int]]:
    """Smallest and largest count shown in each colour of :data:`MONTH_COLOURS` (0 if unused).

    Mirrors the page's ``Math.min(4, Math.floor(v / max * 4.999))`` for counts ``1..top``.

    >>> month_bins(3)
    [(0, 0), (1, 1), (0, 0), (2, 2), (3, 3)]
    """
    bins = [(0, 0)] * len(MONTH_COLOURS)
    for v in range(1, top + 1):
        i = min(len(MONTH_COLOURS) - 1, math.floor(v / top * 4.999))
        bins[i] = (bins[i][0] or v, v)
    return bins


@cache
def _group_labels(lang: str) -> dict[str, str]:
    groups = load_taxonomy().groups
    return {g: str(v.get(f"label_{lang}") or g) for g, v in groups.items()}


@cache
def _taxonomy() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    tax = load_taxonomy()
    frame = tax.frame
    groups = dict(zip(frame["code"], frame["group"], strict=False))
    labels = {
        "id": dict(zip(frame["code"], frame["label_id"], strict=False)),
        "en": dict(zip(frame["code"], frame["label_en"], strict=False)),
    }
    return groups, labels


def category_label(code: object, lang: str) -> str:
    return _taxonomy()[1][lang].get(str(code), str(code))


def aggregate_layer(m: folium.Map, inputs: MapInputs) -> LayerJS:
    """Counts per kecamatan with category counts in the popup; no incident-level data.

    The ``kejadian`` layer without ``include_incident_details``.
    """
    if not (inputs.has_incidents and inputs.wants("kejadian")) or inputs.details:
        return NO_LAYER
    inc, lang, kec_names, kec_points = (
        inputs.incidents,
        inputs.lang,
        inputs.kec_names,
        inputs.kec_points,
    )
    assert inc is not None
    # Off by default: leadership first sees the classes; counts are one click away.
    fg = folium.FeatureGroup(name=label("map.layer_kejadian_agregat", lang), show=False).add_to(m)
    counts = inc.groupby([inc["kec_kode"].astype(str), inc["kategori"].astype(str)]).size()
    # One lookup per kecamatan (counts.loc/index per row would be O(kecamatan x incidents)).
    per_kec = {k: g.droplevel(0) for k, g in counts.groupby(level=0, sort=False)}
    rows = []
    for kode, point in kec_points.items():
        if kode not in per_kec:
            continue
        per_cat = per_kec[kode].sort_values(ascending=False, kind="stable")
        total = int(per_cat.sum())
        table = "".join(
            f"<tr><td>{esc(category_label(c, lang))}</td><td>{int(n)}</td></tr>"
            for c, n in per_cat.items()
        )
        text = (
            f"<b>{esc(kec_names.get(kode, kode))}</b><br>{esc(label('map.incidents', lang))}: "
            f'{total}<table class="pr-comp">{table}</table>'
        )
        rows.append([round(point.y, 5), round(point.x, 5), total, text])
    top = max((r[2] for r in rows), default=1)
    swatch = '<span class="pr-swatch pr-dot" style="background:#2171b5"></span>'
    rows_html = f"<div>{swatch}{esc(label('map.legend_agregat', lang, top=top))}</div>"
    return LayerJS(
        f"{js(rows)}.forEach(function(r){{L.circleMarker([r[0],r[1]],{{"
        f"radius:4+14*Math.sqrt(r[2]/{top}),"
        "color:'#08306b',weight:1.5,fillColor:'#2171b5',fillOpacity:0.55})"
        f".bindPopup(r[3]).addTo({fg.get_name()});}});",
        fg.get_name(),
        _legend(label("map.layer_kejadian_agregat", lang), rows_html),
    )


def _points(inc: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    has = inc.geometry.notna() & ~inc.geometry.is_empty
    return inc.loc[has]


def detail_layer(m: folium.Map, inputs: MapInputs) -> LayerJS:
    """Clustered incident points coloured by category group; popups built with ``textContent``.

    The ``kejadian`` layer with ``include_incident_details``.
    """
    if not (inputs.has_incidents and inputs.wants("kejadian") and inputs.details):
        return NO_LAYER
    inc, kec_names, lang = inputs.incidents, inputs.kec_names, inputs.lang
    assert inc is not None
    cluster = MarkerCluster(name=label("map.layer_kejadian", lang)).add_to(m)
    pts = _points(inc)
    groups, _ = _taxonomy()
    cats = sorted(pts["kategori"].astype(str).unique())
    kecs = sorted(pts["kec_kode"].astype(str).unique())
    cat_info = [
        [category_label(c, lang), GROUP_COLOURS.get(groups.get(c, ""), OTHER_GROUP)] for c in cats
    ]
    cat_idx = {c: i for i, c in enumerate(cats)}
    kec_idx = {k: i for i, k in enumerate(kecs)}
    dates = pd.to_datetime(pts["tanggal"], errors="coerce").dt.strftime("%Y-%m-%d").fillna("")
    korban = pts["korban"] if "korban" in pts else pd.Series(pd.NA, index=pts.index)
    ket = pts["keterangan"] if "keterangan" in pts else pd.Series("", index=pts.index)
    ids = pts["id"] if "id" in pts else pd.Series("", index=pts.index)
    rows = [
        [
            round(float(g.y), 5),
            round(float(g.x), 5),
            cat_idx[str(c)],
            d,
            kec_idx[str(k)],
            "" if pd.isna(i) else str(i),
            "" if pd.isna(v) else str(v),
            "" if pd.isna(t) else str(t),
        ]
        for g, c, d, k, i, v, t in zip(
            pts.geometry, pts["kategori"], dates, pts["kec_kode"], ids, korban, ket, strict=True
        )
    ]
    heads = [
        label(k, lang)
        for k in ("map.category", "map.date", "common.kecamatan", "map.incident_id")
        + ("map.victims", "map.description")
    ]
    names = [kec_names.get(k, k) for k in kecs]
    return LayerJS(
        f"(function(){{var C={js(cat_info)},K={js(names)},H={js(heads)},R={js(rows)};"
        "function pop(r){var d=document.createElement('div');var v=[C[r[2]][0],r[3],K[r[4]],r[5],"
        "r[6],r[7]];for(var i=0;i<v.length;i++){if(!v[i])continue;"
        "var p=document.createElement('div');"
        "var b=document.createElement('b');b.textContent=H[i]+': ';p.appendChild(b);"
        "p.appendChild(document.createTextNode(v[i]));d.appendChild(p);}return d;}"
        "var ms=R.map(function(r){var ic=L.divIcon({className:'pr-dot',iconSize:[11,11]});"
        "var mk=L.marker([r[0],r[1]],{icon:ic});mk.on('add',function(){var e=mk.getElement();"
        "if(e)e.style.background=C[r[2]][1];});mk.bindPopup(function(){return pop(r);});"
        "return mk;});"
        f"{cluster.get_name()}.addLayers(ms);}})();",
        cluster.get_name(),
        _group_legend({groups.get(c, "") for c in cats}, lang),
    )


def _group_legend(present: set[str], lang: str) -> str:
    """Group label and colour of each category group among the incidents (unknown: grey)."""
    labels = _group_labels(lang)
    shown = [(labels.get(g, g), c) for g, c in GROUP_COLOURS.items() if g in present]
    if present - set(GROUP_COLOURS):
        shown.append((label("map.group_other", lang), OTHER_GROUP))
    rows = "".join(
        f'<div><span class="pr-dot" style="background:{c}"></span>{esc(t)}</div>' for t, c in shown
    )
    return _legend(label("map.legend_kejadian", lang), rows, label("map.legend_cluster", lang))


def grid_layer(m: folium.Map, inputs: MapInputs) -> LayerJS:
    """Incident density as counts per 2 km cell (``heatmap``); cells under 3 incidents are
    hidden unless ``include_incident_details``."""
    if not (inputs.has_incidents and inputs.wants("heatmap")):
        return NO_LAYER
    inc, lang, min_count = inputs.incidents, inputs.lang, 1 if inputs.details else 3
    assert inc is not None
    fg = folium.FeatureGroup(name=label("map.layer_heatmap", lang), show=False).add_to(m)
    pts = _points(inc)
    if pts.empty:
        return LayerJS("", fg.get_name())
    cell = 2000.0
    utm = pts.to_crs(pts.estimate_utm_crs())
    ij = np.floor(np.column_stack([utm.geometry.x, utm.geometry.y]) / cell).astype(np.int64)
    cells, counts = np.unique(ij, axis=0, return_counts=True)
    keep = counts >= min_count
    centres = gpd.GeoSeries(
        gpd.points_from_xy((cells[keep, 0] + 0.5) * cell, (cells[keep, 1] + 0.5) * cell),
        crs=utm.crs,
    ).to_crs(4326)
    top = max(int(counts[keep].max()) if keep.any() else 1, 1)
    rows = [
        [round(p.y, 5), round(p.x, 5), int(n), label("map.cell_count", lang, n=int(n), km=1)]
        for p, n in zip(centres, counts[keep], strict=True)
    ]
    circles = "".join(
        f'<span class="pr-swatch pr-dot" style="background:rgba(103,0,13,{a})"></span>'
        for a in (0.25, 0.55, 0.85)
    )
    note = label("map.legend_grid_hidden", lang, n=min_count) if min_count > 1 else ""
    text = esc(label("map.legend_grid", lang, km=1, top=top))
    return LayerJS(
        f"{js(rows)}.forEach(function(r){{var a=0.25+0.6*r[2]/{top};L.circle([r[0],r[1]],"
        "{radius:1150,stroke:false,fillColor:'#67000d',fillOpacity:a}).bindTooltip(r[3])"
        f".addTo({fg.get_name()});}});",
        fg.get_name(),
        _legend(label("map.layer_heatmap", lang), f"<div>{circles}{text}</div>", note),
    )


def monthly_layer(m: folium.Map, inputs: MapInputs) -> LayerJS:
    """Monthly counts per kecamatan (``waktu``) with an own range-slider control (no d3, works
    offline); recolours the kecamatan while on."""
    if not (inputs.has_incidents and inputs.wants("waktu")):
        return NO_LAYER
    inc, kec_names, lang = inputs.incidents, inputs.kec_names, inputs.lang
    assert inc is not None
    fg = folium.FeatureGroup(name=label("map.layer_waktu", lang), show=False).add_to(m)
    month = pd.to_datetime(inc["tanggal"], errors="coerce").dt.to_period("M")
    ok = month.notna()
    if not ok.any():
        return LayerJS("", fg.get_name())
    months = pd.period_range(month[ok].min(), month[ok].max(), freq="M")
    table = (
        pd.crosstab(inc.loc[ok, "kec_kode"].astype(str), month[ok])
        .reindex(columns=months, fill_value=0)
        .astype(int)
    )
    top = int(max(table.to_numpy().max(), 1))
    data = {
        "m": [str(p) for p in months],
        "c": {
            k: [int(v) for v in row] for k, row in zip(table.index, table.to_numpy(), strict=True)
        },
        "n": {k: esc(v) for k, v in kec_names.items()},
        "max": top,
        "pal": MONTH_COLOURS,
        "lab": label("map.month", lang),
        "inc": label("map.incidents", lang),
    }
    return LayerJS(
        f"(function(){{var D={js(data)},fg={fg.get_name()},idx=D.m.length-1,lab=null;"
        "function col(v){return v?D.pal[Math.min(4,Math.floor(v/D.max*4.999))]:'#ffffff';}"
        "var g=L.geoJSON(KEC.toGeoJSON(),{style:function(){return{color:'#444',weight:1,"
        "fillOpacity:0.9};}}).addTo(fg);"
        "g.eachLayer(function(l){l.bindTooltip(function(){var k=l.feature.properties.kode;"
        "return '<b>'+(D.n[k]||'')+'</b><br>'+D.m[idx]+': '+((D.c[k]||[])[idx]||0)+' '+D.inc;});});"
        "function upd(){g.eachLayer(function(l){var v=(D.c[l.feature.properties.kode]||[])[idx]||0;"
        "l.setStyle({fillColor:col(v)});});if(lab)lab.textContent=D.lab+': '+D.m[idx];}"
        "var ctl=L.control({position:'bottomleft'});ctl.onAdd=function(){"
        "var d=L.DomUtil.create('div','pr-panel pr-time');lab=L.DomUtil.create('div','',d);"
        "var s=L.DomUtil.create('input','',d);s.type='range';s.min=0;s.max=D.m.length-1;"
        "s.value=idx;"
        "s.addEventListener('input',function(){idx=+s.value;upd();});"
        "L.DomEvent.disableClickPropagation(d);upd();return d;};"
        "fg.on('add',function(){ctl.addTo(MAP);upd();});fg.on('remove',function(){ctl.remove();});"
        "})();",
        fg.get_name(),
        _month_legend(top, lang),
        recolours=True,
    )


def _month_legend(top: int, lang: str) -> str:
    """The monthly layer's scale: white for 0, then each purple with the counts it stands for."""
    steps = [("#ffffff", "0")] + [
        (c, str(a) if a == b else f"{a}–{b}")
        for c, (a, b) in zip(MONTH_COLOURS, month_bins(top), strict=True)
        if a
    ]
    cells = "".join(f'<div><i style="background:{c}"></i>{esc(t)}</div>' for c, t in steps)
    return _legend(
        label("map.legend_waktu", lang),
        f'<div class="pr-scale">{cells}</div>',
        label("map.legend_waktu_note", lang, top=top),
    )


def tps_layer(m: folium.Map, inputs: MapInputs) -> LayerJS:
    """Polling stations (``tps``) as small circle markers with an escaped name tooltip."""
    tps, lang = inputs.tps, inputs.lang
    if tps is None or not len(tps) or not inputs.wants("tps"):
        return NO_LAYER
    fg = folium.FeatureGroup(name=label("map.layer_tps", lang), show=False).add_to(m)
    pts = _points(tps.to_crs(4326) if tps.crs is not None else tps)
    col = next((c for c in ("nama", "kode", "tps") if c in pts.columns), None)
    names = pts[col] if col else pd.Series("TPS", index=pts.index)
    rows = [
        [round(g.y, 5), round(g.x, 5), esc(n)] for g, n in zip(pts.geometry, names, strict=True)
    ]
    return LayerJS(
        f"{js(rows)}.forEach(function(r){{L.circleMarker([r[0],r[1]],{{radius:3,color:'#000',"
        f"weight:1,fillColor:'#ffffff',fillOpacity:1}}).bindTooltip(r[2]).addTo({fg.get_name()});}});",
        fg.get_name(),
    )
