"""Offline web assets (Leaflet and plugins) taken from the maintained XStatic PyPI packages.

The map only needs Leaflet and Leaflet.markercluster; jQuery, Bootstrap, Font Awesome and
awesome-markers, which folium links by default, are dropped (the map draws its own controls).
Each CDN URL that folium or our elements reference is resolved to a file of an installed
``xstatic`` package; CSS ``url()`` references become ``data:`` URIs. Anything unknown raises,
so an offline export can never fall back to a CDN silently.

Examples
--------
>>> css = inline_css(LEAFLET_CSS)
>>> "data:image/png;base64," in css and "url(images/" not in css
True
"""

from __future__ import annotations

import base64
import mimetypes
import re
from functools import cache
from importlib import import_module
from pathlib import Path

__all__ = [
    "LEAFLET_CSS",
    "LEAFLET_JS",
    "MARKERCLUSTER_CSS",
    "MARKERCLUSTER_DEFAULT_CSS",
    "MARKERCLUSTER_JS",
    "asset_text",
    "inline_css",
    "inline_js",
    "known_urls",
]

# The URLs folium 0.20 uses (Leaflet 1.9.3, markercluster 1.1.0 / 1.4.1 CSS is compatible).
LEAFLET_JS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"
LEAFLET_CSS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"
MARKERCLUSTER_JS = (
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js"
)
MARKERCLUSTER_CSS = (
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css"
)
MARKERCLUSTER_DEFAULT_CSS = (
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css"
)

# URL → (xstatic module, file inside its data directory).
_ASSETS: dict[str, tuple[str, str]] = {
    LEAFLET_JS: ("xstatic.pkg.leaflet", "leaflet.js"),
    LEAFLET_CSS: ("xstatic.pkg.leaflet", "leaflet.css"),
    MARKERCLUSTER_JS: ("xstatic.pkg.leaflet_markercluster", "leaflet.markercluster.js"),
    MARKERCLUSTER_CSS: ("xstatic.pkg.leaflet_markercluster", "MarkerCluster.css"),
    MARKERCLUSTER_DEFAULT_CSS: (
        "xstatic.pkg.leaflet_markercluster",
        "MarkerCluster.Default.css",
    ),
}

_URL_RE = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)")
_SOURCEMAP_RE = re.compile(r"^\s*//# sourceMappingURL=.*$", re.MULTILINE)
_SOURCEMAP_CSS_RE = re.compile(r"/\*# sourceMappingURL=.*?\*/")


def known_urls() -> tuple[str, ...]:
    """Return the CDN URLs that can be inlined offline."""
    return tuple(_ASSETS)


def _data_dir(module: str) -> Path:
    try:
        mod = import_module(module)
    except ImportError as exc:  # pragma: no cover - dependency of the package
        dist = module.rsplit(".", 1)[-1].replace("_", "-")
        raise ImportError(
            f"offline export needs the PyPI package xstatic-{dist}: pip install xstatic-{dist}"
        ) from exc
    return Path(str(mod.BASE_DIR))


def _asset_path(url: str) -> Path:
    if url not in _ASSETS:
        raise ValueError(
            f"asset {url!r} has no offline copy; known assets: {', '.join(_ASSETS)}. "
            "Remove the element that needs it or export with offline=False"
        )
    module, name = _ASSETS[url]
    path = _data_dir(module) / name
    if not path.is_file():
        raise FileNotFoundError(f"offline asset {name} missing from {module} (expected {path})")
    return path


@cache
def asset_text(url: str) -> str:
    """Return the text of the offline copy of ``url`` (raises ``ValueError`` when unknown)."""
    return _asset_path(url).read_text(encoding="utf-8")


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


@cache
def inline_css(url: str) -> str:
    """Return the stylesheet behind ``url`` with every ``url()`` turned into a ``data:`` URI.

    Fragment-only references (``url(#default#VML)``) and existing ``data:`` URIs stay.
    Any other reference that is not a file next to the stylesheet raises ``ValueError``.
    """
    path = _asset_path(url)
    text = _SOURCEMAP_CSS_RE.sub("", path.read_text(encoding="utf-8"))

    def repl(match: re.Match[str]) -> str:
        ref = match.group(2).strip()
        if ref.startswith(("#", "data:")):
            return match.group(0)
        target = (path.parent / ref.split("?")[0].split("#")[0]).resolve()
        if "://" in ref or not target.is_file():
            raise ValueError(
                f"stylesheet {path.name} references {ref!r}, which has no offline copy"
            )
        return f'url("{_data_uri(target)}")'

    return _URL_RE.sub(repl, text)


@cache
def inline_js(url: str) -> str:
    """Return the script behind ``url`` ready to sit inside an inline ``<script>`` element."""
    text = _SOURCEMAP_RE.sub("", asset_text(url))
    # A literal "</script" would end the inline element early.
    return text.replace("</script", "<\\/script")
