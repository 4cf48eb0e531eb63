"""The Polda map: kab/kota outlines with their Polres, kecamatan classes inside, BKO badges.

Kecamatan are filled by their province-wide class (what the Polda compares); each kab/kota is
outlined and labelled with a badge (Polres, TPS *sangat rawan* / *rawan*, BKO received); a
click on a kab/kota opens its Polres summary (own strength, BKO by kind, TPS by class,
shortfall). Text reaches the page only escaped. Save with
:func:`~pilkada_risk.maps.export.export_html` (offline: Leaflet inlined, no network request).
"""

from __future__ import annotations

import html
from typing import Any

import folium
import geopandas as gpd
from branca.element import Element, MacroElement
from jinja2 import Template

from pilkada_risk.config.i18n import check_lang, label
from pilkada_risk.maps._geometry import simplify_areas
from pilkada_risk.maps.classes import KELAS_COLOURS, NO_CLASS

__all__ = ["polda_map"]

#: Below this zoom the badges show the Polres and its BKO only (TPS counts from this zoom on).
_DETAIL_ZOOM = 9

_CSS = (
    ".leaflet-tooltip.pr-badge{background:#fff;border:1px solid #333;border-radius:4px;"
    "padding:1px 3px;font:10px/1.2 Arial,sans-serif;white-space:nowrap;opacity:.9;"
    "box-shadow:none}"
    ".pr-badge b{font-size:10px}.pr-title{background:#fff;padding:4px 6px;font:12px Arial;"
    "border:1px solid #999;max-width:80vw}.pr-title .synth{color:#a50f15;font-weight:bold}"
    ".pr-far .pr-detail{display:none}"
    "@media (max-width:480px){.leaflet-tooltip.pr-badge{font-size:8px}.pr-title{font-size:10px}}"
)


class _BadgeDetail(MacroElement):
    """Hide the badges' TPS line below :data:`_DETAIL_ZOOM` (the map's name resolved at render)."""

    _template = Template(
        "{% macro script(this, kwargs) %}(function (m) {"
        " function t() { m.getContainer().classList.toggle('pr-far', m.getZoom() < "
        + str(_DETAIL_ZOOM)
        + "); } m.on('zoomend', t); t(); })({{ this._parent.get_name() }});{% endmacro %}"
    )


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _summary_html(rec: dict[str, Any], lang: str) -> str:
    rows = [
        (label("polda.peta_sendiri", lang), rec["personel_sendiri"]),
        ("BKO Pam TPS", rec["bko_pam_tps"]),
        ("BKO Brimob", rec["bko_brimob"]),
        ("BKO Samapta", rec["bko_samapta"]),
        (label("polda.peta_porsi", lang), f"{100 * float(rec['porsi_bko']):.0f} %"),
        ("TPS sangat rawan / khusus", f"{rec['tps_sangat_rawan']} / {rec['tps_khusus']}"),
        ("TPS rawan / kurang rawan", f"{rec['tps_rawan']} / {rec['tps_kurang_rawan']}"),
        (label("polda.peta_kurang", lang), rec["kekurangan"]),
    ]
    body = "".join(f"<tr><td>{_esc(k)}</td><td><b>{_esc(v)}</b></td></tr>" for k, v in rows)
    return f"<b>{_esc(rec['polres'])}</b><table>{body}</table>"


def _kab_frame(plan: Any, kec: gpd.GeoDataFrame, lang: str) -> gpd.GeoDataFrame:
    kab = kec.dissolve(by="kab_kode", as_index=False)[["kab_kode", "geometry"]]
    by_kab = plan.bko.set_index("kab_kode")
    polres = plan.polres.set_index("polres")
    kab["polres"] = kab["kab_kode"].map(by_kab["polres"])
    kab["ringkasan"] = [
        _summary_html(polres.loc[p].to_dict() | {"polres": p}, lang)
        if p in polres.index
        else _esc(f"{p}: {label('polda.status_tanpa_tps', lang)}")
        for p in kab["polres"]
    ]
    return kab


def polda_map(plan: Any, *, title: str = "", lang: str = "id") -> folium.Map:
    """Build the Polda map of a :class:`~pilkada_risk.planning.province.ProvincePlan`."""
    lang = check_lang(lang)
    scores = plan.scores
    kec = gpd.GeoDataFrame(
        scores[["kode", "nama", "kab_kode", "kelas_prov"]],
        geometry=simplify_areas(scores, 150.0),
        crs=4326,
    )
    west, south, east, north = kec.total_bounds
    m = folium.Map(location=[(south + north) / 2, (west + east) / 2], tiles=None, zoom_snap=0.25)
    m.default_js, m.default_css = [m.default_js[0]], [m.default_css[0]]
    m.get_root().header.add_child(Element(f"<style>{_CSS}</style>"))  # type: ignore[attr-defined]
    folium.GeoJson(
        kec.to_json(),
        name=label("polda.peta_kecamatan", lang),
        style_function=lambda f: {
            "fillColor": KELAS_COLOURS.get(f["properties"]["kelas_prov"], NO_CLASS),
            "color": "#666", "weight": 0.5, "fillOpacity": 0.75, "className": "pr-kec",
        },
        tooltip=folium.GeoJsonTooltip(["nama", "kelas_prov"], labels=False),
    ).add_to(m)  # fmt: skip
    kab = _kab_frame(plan, kec, lang)
    folium.GeoJson(
        kab.to_json(),
        name="Polres",
        style_function=lambda f: {
            "fill": True, "fillOpacity": 0.0, "color": "#111", "weight": 2.5, "className": "pr-kab"
        },
        popup=folium.GeoJsonPopup(["ringkasan"], labels=False, max_width=260),
    ).add_to(m)  # fmt: skip
    _badges(m, plan, kab)
    head = title or label("polda.peta_judul", lang)
    synth = f"<div class='synth'>{_esc(label('polda.peta_sintetis', lang))}</div>"
    legend = " · ".join(
        f"<span style='color:{c}'>■</span> {_esc(k)}" for k, c in KELAS_COLOURS.items()
    )
    panel = f"<div class='pr-title'><b>{_esc(head)}</b>{synth if plan.synthetic else ''}"
    panel += f"<div>{legend}</div></div>"
    m.get_root().html.add_child(  # type: ignore[attr-defined]
        Element(f"<div style='position:absolute;top:6px;left:50px;z-index:1000'>{panel}</div>")
    )
    m.fit_bounds([[south, west], [north, east]])
    m.add_child(_BadgeDetail())
    m.pilkada_risk = {  # type: ignore[attr-defined]
        "include_incident_details": False, "online_basemap": False, "lang": lang
    }  # fmt: skip
    return m


def _badges(m: folium.Map, plan: Any, kab: gpd.GeoDataFrame) -> None:
    polres = plan.polres.set_index("polres")
    points = kab.to_crs(kab.estimate_utm_crs()).representative_point().to_crs(4326)
    for name, point in zip(kab["polres"], points, strict=True):
        if name not in polres.index:
            continue
        rec = polres.loc[name]
        short = str(name).replace("Polresta ", "").replace("Polres ", "")
        text = (
            f"<b>{_esc(short)}</b> · BKO {int(rec['bko_total'])}<span class='pr-detail'><br>"
            f"TPS SR {int(rec['tps_sangat_rawan'])} · R {int(rec['tps_rawan'])}</span>"
        )
        # a permanent tooltip on an invisible vector point: no marker image to load
        badge = folium.Tooltip(text, permanent=True, direction="center", className="pr-badge")
        folium.CircleMarker(
            [point.y, point.x], radius=1, opacity=0, fill_opacity=0, interactive=False
        ).add_child(badge).add_to(m)
