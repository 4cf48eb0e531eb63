"""The security-plan layer of the leadership map: TPS by class, personnel per kecamatan.

TPS are dots coloured by ``kelas_tps`` (at their coordinates, else at their desa's point when
the desa layer is given; a TPS whose Polda class differs from the tool's suggestion has a
thick outline and its tooltip names both); each kecamatan gets a square with the TPS per class
and personnel needed, allocated and short in its popup; a kecamatan short of personnel is
drawn red with a thick ring. A second layer (off by default) rings the cooling-system desa of
the planned stage. Text reaches the page only escaped (:func:`~pilkada_risk.maps.layers.esc`) inside
:func:`~pilkada_risk.maps.layers.js` literals; nothing is loaded from the network.
"""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from pilkada_risk.config.i18n import label
from pilkada_risk.maps._builder import NO_LAYER, LayerJS, MapInputs
from pilkada_risk.maps.classes import KELAS_COLOURS
from pilkada_risk.maps.layers import esc, js

__all__ = ["PLAN_COLOURS", "plan_layer"]

#: Dot colour per class key (the kecamatan class colours; TPS khusus purple).
PLAN_COLOURS = {
    "kurang_rawan": KELAS_COLOURS["kurang rawan"],
    "rawan": KELAS_COLOURS["rawan"],
    "sangat_rawan": KELAS_COLOURS["sangat rawan"],
    "khusus": "#6a3d9a",
}
SHORT_COLOUR = "#d7191c"


def _tps_rows(tps: pd.DataFrame, desa: gpd.GeoDataFrame | None, lang: str) -> tuple[list, int]:
    """``[lat, lon, colour, tooltip]`` per TPS and the number placed at their desa's point."""
    lat = pd.to_numeric(tps.get("lintang"), errors="coerce")
    lon = pd.to_numeric(tps.get("bujur"), errors="coerce")
    fallback = 0
    if desa is not None and (lat.isna() | lon.isna()).any():
        pts = desa.to_crs(4326).representative_point()
        where = dict(zip(desa["kode"].astype(str), pts, strict=True))
        missing = lat.isna() | lon.isna()
        for i in np.flatnonzero(missing.to_numpy()).tolist():
            point = where.get(str(tps["desa_kode"].iat[i]))
            if point is not None:
                lat.iat[i], lon.iat[i] = point.y, point.x
                fallback += 1
    word = label("plan.popup_personel", lang)
    rows = []
    for i, rec in enumerate(tps.to_dict("records")):
        if pd.isna(lat.iat[i]) or pd.isna(lon.iat[i]):
            continue
        text = (
            f"<b>{esc(rec['tps_id'])}</b><br>{esc(rec.get('desa_nama', ''))}<br>"
            f"{esc(rec['kelas_tps'])} · {esc(round(float(rec['personel']), 2))} {esc(word)}"
        )
        differs = _differs(rec)
        if rec.get("kelas_sumber") == "polda":
            given = label("plan.popup_kelas_polda", lang, saran=rec.get("kelas_saran", ""))
            text += f"<br>{esc(given)}"
        colour = PLAN_COLOURS.get(str(rec.get("kelas_kunci", "")), "#777777")
        lat_lon = [round(float(lat.iat[i]), 5), round(float(lon.iat[i]), 5)]
        rows.append([*lat_lon, colour, text, 3 if differs else 1])
    return rows, fallback


def _differs(rec: dict[str, Any]) -> bool:
    """A TPS whose Polda class differs from the tool's suggestion."""
    given = rec.get("kelas_sumber") == "polda"
    return bool(given and rec.get("kelas_kunci") != rec.get("kelas_saran_kunci"))


def _kec_rows(kecamatan: pd.DataFrame, kec_points: dict[str, Any], lang: str) -> list:
    fields = [
        ("tps_sangat_rawan", "plan.kelas_sangat_rawan"),
        ("tps_rawan", "plan.kelas_rawan"),
        ("tps_kurang_rawan", "plan.kelas_kurang_rawan"),
        ("tps_khusus", "plan.kelas_khusus"),
        ("personel_kebutuhan", "plan.popup_kebutuhan"),
        ("personel_dialokasikan", "plan.popup_dialokasikan"),
        ("cadangan", "plan.popup_cadangan"),
        ("kekurangan", "plan.popup_kekurangan"),
    ]
    rows = []
    for rec in kecamatan.to_dict("records"):
        point = kec_points.get(str(rec["kode"]))
        if point is None:
            continue
        short = int(rec.get("kekurangan", 0) or 0)
        table = "".join(
            f"<tr><td>{esc(label(key, lang))}</td><td>{esc(int(rec.get(col, 0) or 0))}</td></tr>"
            for col, key in fields
            if col in rec
        )
        text = f'<b>{esc(rec["nama"])}</b><table class="pr-comp">{table}</table>'
        tip = f"{esc(rec['nama'])}: {esc(int(rec.get('personel_dialokasikan', 0)))}"
        rows.append([round(point.y, 5), round(point.x, 5), short, text, tip])
    return rows


def _legend(present: set[str], fallback: int, lang: str, differ: int = 0) -> str:
    rows = "".join(
        f'<div><span class="pr-dot" style="background:{c}"></span>'
        f"{esc(label(f'plan.kelas_{k}', lang))}</div>"
        for k, c in PLAN_COLOURS.items()
        if k in present
    )
    rows += (
        f'<div><span class="pr-swatch" style="background:#ffffff;border:3px solid {SHORT_COLOUR}">'
        f"</span>{esc(label('plan.legend_kurang', lang))}</div>"
    )
    note = label("plan.legend_tanpa_titik", lang, n=fallback) if fallback else ""
    if differ:
        note = f"{note} {label('plan.legend_kelas_beda', lang, n=differ)}".strip()
    note_html = f'<div class="pr-lg-note">{esc(note)}</div>' if note else ""
    return f"<b>{esc(label('plan.legend_rencana', lang))}</b>{rows}{note_html}"


def _cooling_rows(plan: Any, desa: gpd.GeoDataFrame | None, lang: str) -> list:
    """``[lat, lon, rank, tooltip]`` of the planned stage's cooling-system desa."""
    cool = pd.DataFrame(plan.cooling)
    if cool.empty:
        return []
    stage = label(f"plan.tahap_{getattr(plan, 'stage', 'pemungutan')}", lang)
    cool = cool[cool["tahap"] == stage] if (cool["tahap"] == stage).any() else cool
    tps = pd.DataFrame(plan.tps)
    lat = pd.to_numeric(tps.get("lintang"), errors="coerce")
    lon = pd.to_numeric(tps.get("bujur"), errors="coerce")
    mean = pd.DataFrame({"d": tps["desa_kode"].astype(str), "y": lat, "x": lon}).groupby("d").mean()
    where = {k: (r.y, r.x) for k, r in mean.dropna().iterrows()}
    if desa is not None:
        pts = desa.to_crs(4326).representative_point()
        for code, point in zip(desa["kode"].astype(str), pts, strict=True):
            where.setdefault(code, (point.y, point.x))
    rows = []
    for rec in cool.to_dict("records"):
        at = where.get(str(rec["desa_kode"]))
        if at is None:
            continue
        text = (
            f"<b>{esc(rec['peringkat'])}. {esc(rec['desa_nama'])}</b> ({esc(rec['kec_nama'])})<br>"
            f"{esc(rec['tahap'])}: {esc(rec['minggu'])}<br>{esc(rec['kegiatan'])}<br>"
            f"{esc(rec['alasan'])}"
        )
        rows.append([round(float(at[0]), 5), round(float(at[1]), 5), int(rec["peringkat"]), text])
    return rows


def plan_layer(m: folium.Map, inputs: MapInputs) -> LayerJS:
    """Add the plan layer of ``inputs.plan`` (a :class:`pilkada_risk.SecurityPlan`) to ``m``.

    Each kecamatan's square is drawn at its label point; ``inputs.desa`` (optional) places TPS
    without coordinates at their desa's representative point. Nothing without a plan.
    """
    plan, kec_points, lang, desa = inputs.plan, inputs.kec_points, inputs.lang, inputs.desa
    if plan is None:
        return NO_LAYER
    fg = folium.FeatureGroup(name=label("plan.layer_rencana", lang), show=True).add_to(m)
    tps_rows, fallback = _tps_rows(plan.tps, desa, lang)
    kec_rows = _kec_rows(plan.kecamatan, kec_points, lang)
    present = set(plan.tps.get("kelas_kunci", pd.Series(dtype=str)).astype(str))
    code = (
        f"(function(){{var T={js(tps_rows)},K={js(kec_rows)},g={fg.get_name()};"
        "T.forEach(function(r){L.circleMarker([r[0],r[1]],{radius:5,color:'#222',weight:r[4],"
        "fillColor:r[2],fillOpacity:0.95}).bindTooltip(r[3]).addTo(g);});"
        "K.forEach(function(r){var s=r[2]>0;var ic=L.divIcon({className:'pr-plan-kec',"
        "iconSize:[16,16],iconAnchor:[8,-6]});"  # below the kecamatan name label
        "var mk=L.marker([r[0],r[1]],{icon:ic,zIndexOffset:500});"
        "mk.on('add',function(){var e=mk.getElement();if(e){e.style.background=s?"
        f"'{SHORT_COLOUR}':'#ffffff';e.style.border=s?'4px solid {SHORT_COLOUR}':'2px solid #222';"
        "e.style.boxSizing='border-box';}});"
        "mk.bindTooltip(r[4]).bindPopup(r[3],{maxWidth:300}).addTo(g);});})();"
    )
    cool_fg = folium.FeatureGroup(name=label("plan.layer_cooling", lang), show=False).add_to(m)
    code += (
        f"(function(){{var C={js(_cooling_rows(plan, desa, lang))},g={cool_fg.get_name()};"
        "C.forEach(function(r){L.circleMarker([r[0],r[1]],{radius:9,color:'#08519c',weight:3,"
        "fill:false}).bindTooltip(r[3],{maxWidth:320}).addTo(g);});})();"
    )
    differ = sum(_differs(r) for r in plan.tps.to_dict("records"))
    return LayerJS(code, fg.get_name(), _legend(present, fallback, lang, differ))
