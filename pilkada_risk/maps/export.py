"""Write the leadership map: a self-contained offline HTML file and a static PNG twin.

The HTML export inlines every script and stylesheet (from the XStatic packages, see
:mod:`pilkada_risk.maps.assets`), adds a Content-Security-Policy that allows no network access and
only the page's own scripts (by hash), puts a classification banner at top and bottom, and is
byte-identical for the same inputs. Both writers are atomic.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd

from pilkada_risk.config.i18n import check_lang, label
from pilkada_risk.config.paths import atomic_path
from pilkada_risk.maps import assets
from pilkada_risk.maps.change import UP_MARK, compare, summary_text
from pilkada_risk.maps.classes import class_scale
from pilkada_risk.maps.layers import deterministic_ids, esc
from pilkada_risk.maps.risk_map import (
    is_synthetic,
    kabupaten_outline,
    lineage_text,
    simplify_areas,
    synthetic_title,
)

__all__ = ["export_html", "export_png"]

_SCRIPT_SRC = re.compile(r'<script\s+src="([^"]+)"\s*>\s*</script>')
_CSS_LINK = re.compile(r'<link\s+rel="stylesheet"\s+href="([^"]+)"\s*/?>')
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_EXTERNAL = re.compile(r"""(?:\bsrc\s*=|\bhref\s*=|url\()\s*['"]?\s*(?:https?:)?//""", re.I)
_TILE_HOSTS = "https://tile.openstreetmap.org https://*.tile.openstreetmap.org"


def _inline_assets(page: str) -> str:
    found: list[tuple[str, str]] = []

    def hold(kind: str) -> Any:
        def repl(match: re.Match[str]) -> str:
            found.append((kind, match.group(1)))
            return f"\x00{len(found) - 1}\x00"

        return repl

    page = _CSS_LINK.sub(hold("css"), _SCRIPT_SRC.sub(hold("js"), page))
    leftover = _EXTERNAL.search(page)
    if leftover:
        context = page[max(leftover.start() - 60, 0) : leftover.end() + 80]
        raise ValueError(
            f"offline export still references a network resource near {context!r}; "
            "remove that element from the map or export with offline=False"
        )
    blocks = [
        f"<script>{assets.inline_js(url)}</script>"
        if kind == "js"
        else f"<style>{assets.inline_css(url)}</style>"
        for kind, url in found
    ]
    return re.sub("\x00(\\d+)\x00", lambda mt: blocks[int(mt.group(1))], page)


def _csp(page: str, *, online_basemap: bool) -> str:
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(m.encode()).digest()).decode() + "'"
        for m in _INLINE_SCRIPT.findall(page)
    )
    img = "data:" + (f" {_TILE_HOSTS}" if online_basemap else "")
    policy = (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
        f"img-src {img}; font-src data:; base-uri 'none'; form-action 'none'"
    )
    return f'<meta http-equiv="Content-Security-Policy" content="{policy}">'


def export_html(
    m: folium.Map,
    path: str | os.PathLike[str],
    *,
    offline: bool = True,
    classification: str = "TERBATAS",
    include_incident_details: bool = False,
) -> Path:
    """Write map ``m`` (from :func:`risk_map`) as one HTML file; return its path.

    Parameters
    ----------
    m : folium.Map
        A map built by :func:`pilkada_risk.risk_map`.
    path : path-like
        Target file; written atomically (temporary file, then rename).
    offline : bool, default True
        Inline Leaflet and plugins and forbid network access with a Content-Security-Policy.
        ``False`` keeps folium's CDN links (smaller file, needs internet).
    classification : str, default "TERBATAS"
        Text of the banner at top and bottom; ``""`` for none.
    include_incident_details : bool, default False
        Must match the map: a map built with incident details is refused unless this is True.

    Raises
    ------
    ValueError
        When the map carries incident details that were not allowed, or an asset cannot be
        inlined offline.
    """
    flags: dict[str, Any] | None = getattr(m, "pilkada_risk", None)
    if flags is None:
        raise ValueError(
            "export_html expects a map from pilkada_risk.risk_map (its safety flags are missing); "
            "build the map with risk_map(scores, ...)"
        )
    if flags["include_incident_details"] and not include_incident_details:
        raise ValueError(
            "the map was built with include_incident_details=True (incident ids, descriptions "
            "and exact points are embedded) but export_html got include_incident_details=False; "
            "rebuild the map without details or pass include_incident_details=True on purpose"
        )
    with deterministic_ids("r"):
        page = m.get_root().render()
    if offline:
        page = _inline_assets(page)
        # Hash only the scripts rendered from the map, before any other text is added.
        csp = _csp(page, online_basemap=bool(flags.get("online_basemap")))
        page = page.replace("<head>", f"<head>\n    {csp}", 1)
    if classification:
        banner = esc(classification)
        page = page.replace(
            "<body>",
            '<body class="pr-classified">'
            f'<div class="pr-banner pr-banner-top" role="note">{banner}</div>',
            1,
        )
        page = page.replace(
            "</body>", f'<div class="pr-banner pr-banner-bottom">{banner}</div></body>', 1
        )
    lang = flags.get("lang", "id")
    page = page.replace("<html>", f'<html lang="{lang}">', 1)
    target = Path(path)
    with atomic_path(target) as tmp:
        tmp.write_text(page, encoding="utf-8", newline="\n")
    return target


def export_png(
    scores: gpd.GeoDataFrame,
    path: str | os.PathLike[str],
    *,
    previous: gpd.GeoDataFrame | None = None,
    lang: str = "id",
    title: str | None = None,
    dpi: int = 150,
    classification: str = "TERBATAS",
) -> Path:
    """Write a static PNG twin of the class map (for slides and print); return its path.

    Classes, legend, kecamatan labels, title (DATA SINTETIS when synthetic), classification
    banner and lineage line, drawn with matplotlib's Agg backend. With ``previous`` (scores at
    an earlier ``as_of``, as for :func:`~pilkada_risk.risk_map`), a line under the title says
    how many kecamatan changed class, and those that moved up get a black-and-white outline and
    a ▲ before their name.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    lang = check_lang(lang)
    change = None if previous is None else compare(scores, previous, lang)
    up = scores["kode"].astype(str).isin(change.up if change else []).to_numpy()
    geoms = simplify_areas(scores, 0)
    scale = class_scale(scores)  # colours by position in the profile's ordered classes
    colours = [scale.colour(k) for k in scores["kelas"]]
    frame = gpd.GeoDataFrame({"c": colours}, geometry=geoms.to_numpy(), crs=4326)
    fig = Figure(figsize=(8.5, 9.5), dpi=dpi)
    ax = fig.add_axes((0.03, 0.08, 0.94, 0.8))
    frame.plot(ax=ax, color=frame["c"], edgecolor="white", linewidth=0.8)
    outline = gpd.GeoSeries([kabupaten_outline(geoms)], crs=4326)  # without gap specks
    outline.boundary.plot(ax=ax, color="#1a1a1a", linewidth=1.5)
    for colour, width in (("#000000", 4.0), ("#ffffff", 1.2)) if up.any() else ():
        frame[up].boundary.plot(ax=ax, color=colour, linewidth=width)
    names = zip(geoms.representative_point(), scores["nama"], up, strict=True)
    for point, name, moved_up in names:
        ax.annotate(
            f"{UP_MARK} {name}" if moved_up else str(name),
            (point.x, point.y),
            ha="center",
            va="center",
            fontsize=8,
            weight="bold",
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
        )
    ax.set_axis_off()
    ax.set_aspect("equal")
    handles = [
        Patch(facecolor=c, edgecolor="#555", label=text)
        for c, text in scale.legend_rows(lang, scores["kelas"])
    ]
    if change is not None and up.any():
        text = label("map.change_up_legend", lang, date=change.as_of)
        handles.append(Patch(facecolor="white", edgecolor="black", linewidth=2.5, label=text))
    ax.legend(handles=handles, title=label("map.legend_title", lang), loc="lower left")
    attrs = scores.attrs
    head = title or label("map.title", lang)
    if is_synthetic(scores, title=head):
        head = synthetic_title(head, lang)
    sub = (
        f"{label('map.area', lang)}: {attrs.get('kab_nama', label('map.unknown', lang))} · "
        f"{label('map.as_of', lang)}: {attrs.get('as_of', label('map.unknown', lang))}"
    )
    fig.text(0.5, 0.93, head, ha="center", fontsize=13, weight="bold")
    fig.text(0.5, 0.905, sub, ha="center", fontsize=9)
    if change is not None:
        fig.text(0.5, 0.884, summary_text(change, lang), ha="center", fontsize=9, weight="bold")
    fig.text(0.5, 0.055, lineage_text(scores, lang), ha="center", fontsize=6.5, wrap=True)
    if classification:
        for y in (0.975, 0.01):
            fig.text(
                0.5,
                y,
                classification,
                ha="center",
                fontsize=11,
                weight="bold",
                color="white",
                bbox={"boxstyle": "square,pad=0.3", "fc": "#8b0000", "ec": "none"},
            )
    target = Path(path)
    with atomic_path(target) as tmp:
        fig.savefig(tmp, format="png", dpi=dpi, metadata={"Software": None})
    return target
