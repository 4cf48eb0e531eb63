"""Private building blocks of the risk map: escaping, deterministic ids, page CSS and the
incident, density, monthly and TPS layers (each returns the JavaScript that fills its layer).

Data reach the page only as :func:`js` literals; text is escaped with :func:`esc` or set with
``textContent`` in the browser.
"""

from __future__ import annotations

import html
import itertools
import json
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

from pilkada_risk.i18n import label

__all__ = [
    "MAP_CSS",
    "Script",
    "aggregate_layer",
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
_MONTH_COLOURS = ["#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"]

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


@cache
def _taxonomy() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    from pilkada_risk.taxonomy import load_taxonomy

    tax = load_taxonomy()
    frame = tax.frame
    groups = dict(zip(frame["code"], frame["group"], strict=False))
    labels = {
        "id": dict(zip(frame["code"], frame["label_id"], strict=False)),
        "en": dict(zip(frame["code"], frame["label_en"], strict=False)),
    }
    return groups, labels


def _category_label(code: object, lang: str) -> str:
    return _taxonomy()[1][lang].get(str(code), str(code))


def aggregate_layer(
    m: folium.Map,
    inc: gpd.GeoDataFrame,
    kec_names: dict[str, str],
    kec_points: dict[str, Any],
    lang: str,
) -> str:
    """Counts per kecamatan with category counts in the popup; no incident-level data."""
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
            f"<tr><td>{esc(_category_label(c, lang))}</td><td>{int(n)}</td></tr>"
            for c, n in per_cat.items()
        )
        text = (
            f"<b>{esc(kec_names.get(kode, kode))}</b><br>{esc(label('map.incidents', lang))}: "
            f'{total}<table class="pr-comp">{table}</table>'
        )
        rows.append([round(point.y, 5), round(point.x, 5), total, text])
    top = max((r[2] for r in rows), default=1)
    return (
        f"{js(rows)}.forEach(function(r){{L.circleMarker([r[0],r[1]],{{"
        f"radius:4+14*Math.sqrt(r[2]/{top}),"
        "color:'#08306b',weight:1.5,fillColor:'#2171b5',fillOpacity:0.55})"
        f".bindPopup(r[3]).addTo({fg.get_name()});}});"
    )


def _points(inc: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    has = inc.geometry.notna() & ~inc.geometry.is_empty
    return inc.loc[has]


def detail_layer(m: folium.Map, inc: gpd.GeoDataFrame, kec_names: dict[str, str], lang: str) -> str:
    """Clustered incident points coloured by category group; popups built with ``textContent``."""
    cluster = MarkerCluster(name=label("map.layer_kejadian", lang)).add_to(m)
    pts = _points(inc)
    groups, _ = _taxonomy()
    cats = sorted(pts["kategori"].astype(str).unique())
    kecs = sorted(pts["kec_kode"].astype(str).unique())
    cat_info = [
        [_category_label(c, lang), GROUP_COLOURS.get(groups.get(c, ""), "#777777")] for c in cats
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
    return (
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
        f"{cluster.get_name()}.addLayers(ms);}})();"
    )


def grid_layer(m: folium.Map, inc: gpd.GeoDataFrame, lang: str, *, min_count: int) -> str:
    """Incident density as counts per 2 km cell (cells under ``min_count`` hidden)."""
    fg = folium.FeatureGroup(name=label("map.layer_heatmap", lang), show=False).add_to(m)
    pts = _points(inc)
    if pts.empty:
        return ""
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
    return (
        f"{js(rows)}.forEach(function(r){{var a=0.25+0.6*r[2]/{top};L.circle([r[0],r[1]],"
        "{radius:1150,stroke:false,fillColor:'#67000d',fillOpacity:a}).bindTooltip(r[3])"
        f".addTo({fg.get_name()});}});"
    )


def monthly_layer(
    m: folium.Map, inc: gpd.GeoDataFrame, kec_names: dict[str, str], lang: str
) -> str:
    """Monthly counts per kecamatan with an own range-slider control (no d3, works offline)."""
    fg = folium.FeatureGroup(name=label("map.layer_waktu", lang), show=False).add_to(m)
    month = pd.to_datetime(inc["tanggal"], errors="coerce").dt.to_period("M")
    ok = month.notna()
    if not ok.any():
        return ""
    months = pd.period_range(month[ok].min(), month[ok].max(), freq="M")
    table = (
        pd.crosstab(inc.loc[ok, "kec_kode"].astype(str), month[ok])
        .reindex(columns=months, fill_value=0)
        .astype(int)
    )
    data = {
        "m": [str(p) for p in months],
        "c": {
            k: [int(v) for v in row] for k, row in zip(table.index, table.to_numpy(), strict=True)
        },
        "n": {k: esc(v) for k, v in kec_names.items()},
        "max": int(max(table.to_numpy().max(), 1)),
        "pal": _MONTH_COLOURS,
        "lab": label("map.month", lang),
        "inc": label("map.incidents", lang),
    }
    return (
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
        "})();"
    )


def tps_layer(m: folium.Map, tps: gpd.GeoDataFrame, lang: str) -> str:
    """Polling stations as small squares-like circle markers with an escaped name tooltip."""
    fg = folium.FeatureGroup(name=label("map.layer_tps", lang), show=False).add_to(m)
    pts = _points(tps.to_crs(4326) if tps.crs is not None else tps)
    col = next((c for c in ("nama", "kode", "tps") if c in pts.columns), None)
    names = pts[col] if col else pd.Series("TPS", index=pts.index)
    rows = [
        [round(g.y, 5), round(g.x, 5), esc(n)] for g, n in zip(pts.geometry, names, strict=True)
    ]
    return (
        f"{js(rows)}.forEach(function(r){{L.circleMarker([r[0],r[1]],{{radius:3,color:'#000',"
        f"weight:1,fillColor:'#ffffff',fillOpacity:1}}).bindTooltip(r[2]).addTo({fg.get_name()});}});"
    )
