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

from pilkada_risk.config.i18n import check_lang
from pilkada_risk.io.files import atomic_path
from pilkada_risk.maps import assets
from pilkada_risk.maps._png import png_figure
from pilkada_risk.maps.change import compare
from pilkada_risk.maps.classes import class_scale
from pilkada_risk.maps.layers import deterministic_ids, esc

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

    Classes, legend, kecamatan names at the same points as on the HTML map, a metric scale bar,
    a ranked table (rank, kecamatan, class, score; the first 15), title (DATA SINTETIS when
    synthetic), the data warning when ``scores.attrs["data_sufficient"]`` is False (classes
    then pale and hatched), classification banner and lineage line, drawn with matplotlib's Agg
    backend. With ``previous`` (scores at an earlier ``as_of``, as for
    :func:`~pilkada_risk.risk_map`), a line under the title says how many kecamatan changed
    class, and those that moved up get a black-and-white outline and a ▲ before their name.
    """
    lang = check_lang(lang)
    change = None if previous is None else compare(scores, previous, lang)
    fig = png_figure(
        scores,
        change,
        class_scale(scores),  # colours by position in the profile's ordered classes
        lang=lang,
        title=title,
        dpi=dpi,
        classification=classification,
    )
    target = Path(path)
    with atomic_path(target) as tmp:
        fig.savefig(tmp, format="png", dpi=dpi, metadata={"Software": None})
    return target
