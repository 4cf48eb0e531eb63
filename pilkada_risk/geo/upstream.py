"""Fetch pinned upstream data files, verified against sha256 registries shipped in the package.

Every upstream file is addressed as ``(repo, commit, path)``, exactly like its raw-file URL
``https://raw.githubusercontent.com/<owner>/<repo>/<commit>/<path>``. :func:`fetch_upstream`
resolves it in this order:

1. the mirror directory named by the environment variable ``PILKADA_RISK_MIRROR``
   (laid out as ``<owner>/<repo>/<commit>/<path>``);
2. the user cache, ``cache_dir()/upstream/<owner>/<repo>/<commit>/<path>``;
3. a download from the URL template in ``PILKADA_RISK_UPSTREAM_URL`` (default :data:`RAW_URL`, the
   public raw-file host; an organisation can serve the same files from its own web server), written
   atomically into the cache.

Each file is checked against ``data/registry/<owner>__<repo>__<commit>.sha256`` (``sha256  path``
lines, as produced by ``sha256sum``). A file that is not in the registry cannot be fetched.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import string
import urllib.error
import urllib.parse
import urllib.request
from functools import cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from pilkada_risk.config.i18n import check_lang, label
from pilkada_risk.errors import ChecksumMismatchError, DownloadError, UpstreamError
from pilkada_risk.io.files import atomic_path, cache_dir, package_data, sha256_file

__all__ = [
    "MIRROR_ENV",
    "RAW_URL",
    "URL_ENV",
    "WILAYAH",
    "WILAYAH_BOUNDARIES",
    "ChecksumMismatchError",
    "DownloadError",
    "UpstreamError",
    "download_failure",
    "fetch_upstream",
    "normalise_kab_kode",
    "read_boundary_sql",
    "registry",
    "upstream_url",
    "url_template",
    "ways_to_boundaries",
    "wilayah_names",
]

MIRROR_ENV = "PILKADA_RISK_MIRROR"
#: Environment variable holding the download URL template (``{repo}``, ``{commit}``, ``{path}``).
URL_ENV = "PILKADA_RISK_UPSTREAM_URL"
#: The default download template: the public raw-file host.
RAW_URL = "https://raw.githubusercontent.com/{repo}/{commit}/{path}"
_URL_FIELDS = ("repo", "commit", "path")
_URL_SCHEMES = ("http", "https")
#: ``(repo, commit)`` of the desa/kecamatan polygons.
WILAYAH_BOUNDARIES = ("cahyadsn/wilayah_boundaries", "3c5a7960f4d227a38489094d84252bdbb3f978a5")
#: ``(repo, commit)`` of the canonical Kemendagri codes and names.
WILAYAH = ("cahyadsn/wilayah", "b7ad440a1322e7be3189a16a8cac35f7d4c3d7f7")

_CHUNK = 1 << 20
_NAME_ROW = re.compile(r"\('(\d{2}(?:\.\d{2}){0,2}(?:\.\d{4})?)','((?:[^']|'')*)'\)")
_GEOM_ROW = re.compile(
    r"\('([\d.]+)','((?:[^']|'')*)',(-?[\d.eE+-]+),(-?[\d.eE+-]+),'(\[[^']*\])'\)"
)


def normalise_kab_kode(value: Any, *, lang: str = "id") -> str:
    """``"18.13"`` from ``" 18.13 "`` or the number ``18.13`` (papermill's ``-p``): a number is
    read with two decimals (``18.1`` → ``"18.10"``); the loaders validate the result.

    Examples
    --------
    >>> normalise_kab_kode(18.01), normalise_kab_kode(18.1), normalise_kab_kode(" 18.13 ")
    ('18.01', '18.10', '18.13')
    """
    if isinstance(value, float | np.floating) and np.isfinite(value):
        return f"{float(value):.2f}"
    return str(value).strip()


def _registry_file(repo: str, commit: str) -> Path:
    return package_data("registry", f"{repo.replace('/', '__')}__{commit}.sha256")


@cache
def registry(repo: str, commit: str) -> dict[str, str]:
    """Return ``{path: sha256}`` for one upstream commit, from the registry shipped in the package.

    Examples
    --------
    >>> reg = registry(*WILAYAH)
    >>> len(reg["db/wilayah.sql"])
    64
    """
    path = _registry_file(repo, commit)
    if not path.exists():
        known = sorted(p.name.removesuffix(".sha256") for p in path.parent.glob("*.sha256"))
        raise UpstreamError(
            label("upstream.unknown_commit", "id", repo=repo, commit=commit, known=", ".join(known))
        )
    table: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, _, name = line.strip().partition("  ")
            table[name.strip()] = digest.lower()
    return table


def _expected(repo: str, commit: str, path: str, lang: str) -> str:
    table = registry(repo, commit)
    if path not in table:
        folder = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
        near = sorted(p for p in table if p.startswith(folder))[:5]
        raise UpstreamError(
            label(
                "upstream.unknown_path",
                lang,
                repo=repo,
                commit=commit,
                path=path,
                near=", ".join(near) or "-",
            )
        )
    return table[path]


def _mirror_candidate(repo: str, commit: str, path: str) -> Path | None:
    root = os.environ.get(MIRROR_ENV)
    if not root:
        return None
    return Path(root).expanduser() / repo / commit / path


def cache_path(repo: str, commit: str, path: str) -> Path:
    """Return where ``fetch_upstream`` keeps a downloaded copy of the file."""
    return cache_dir() / "upstream" / repo / commit / path


def _template_problem(value: str, lang: str) -> str | None:
    """What is wrong with a URL template, in ``lang``, or None when it is usable."""
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(value) if f is not None]
    except ValueError:
        return label("upstream.url_braces", lang)
    unknown = sorted({f"{{{f}}}" for f in fields} - {f"{{{f}}}" for f in _URL_FIELDS})
    if unknown:
        return label("upstream.url_unknown", lang, fields=", ".join(unknown))
    missing = [f"{{{f}}}" for f in _URL_FIELDS if f not in fields]
    if missing:
        return label("upstream.url_missing", lang, fields=", ".join(missing))
    parts = urllib.parse.urlsplit(value.format(repo="o/r", commit="0", path="p"))
    if parts.scheme.lower() not in _URL_SCHEMES or not parts.hostname:
        return label("upstream.url_scheme", lang, scheme=parts.scheme or "-", mirror=MIRROR_ENV)
    return None


def url_template(*, lang: str = "id") -> str:
    """Return the download URL template: ``PILKADA_RISK_UPSTREAM_URL`` if set, else :data:`RAW_URL`.

    The template must contain ``{repo}``, ``{commit}`` and ``{path}`` (and no other field) and give
    an ``http://`` or ``https://`` address with a host, e.g.
    ``http://peta.polres.local/upstream/{repo}/{commit}/{path}``.

    Raises
    ------
    UpstreamError
        The variable is set to an unusable template; the message names the variable, its value
        and what to fix.

    Examples
    --------
    >>> url_template() == RAW_URL or URL_ENV in os.environ
    True
    """
    check_lang(lang)
    value = os.environ.get(URL_ENV, "").strip()
    if not value:
        return RAW_URL
    problem = _template_problem(value, lang)
    if problem is not None:
        raise UpstreamError(
            label("upstream.url_bad", lang, env=URL_ENV, value=value, problem=problem)
        )
    return value


def upstream_url(repo: str, commit: str, path: str, *, lang: str = "id") -> str:
    """Return the URL a missing file is downloaded from (see :func:`url_template`).

    Examples
    --------
    >>> url = upstream_url(*WILAYAH, "LICENSE")
    >>> url.endswith("/cahyadsn/wilayah/b7ad440a1322e7be3189a16a8cac35f7d4c3d7f7/LICENSE")
    True
    """
    return url_template(lang=lang).format(repo=repo, commit=commit, path=path)


def ways_to_boundaries(kab: str, lang: str = "id") -> str:
    """The three ways to provide the pinned files without the public host, for error messages."""
    return label("upstream.three_ways", lang, mirror=MIRROR_ENV, url_env=URL_ENV, kab=kab)


def download_failure(exc: BaseException, lang: str = "id") -> str:
    """Why a download failed, in one phrase (an HTTP status says the server answered)."""
    if isinstance(exc, urllib.error.HTTPError):
        return label("upstream.http_status", lang, code=exc.code, reason=exc.reason)
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        exc = exc.reason  # "ConnectionRefusedError: ..." says more than "URLError: <urlopen ...>"
    return f"{type(exc).__name__}: {exc}"


def _download(url: str, target: Path, expected: str, timeout: float, lang: str) -> None:
    try:
        with atomic_path(target) as tmp:
            digest = hashlib.sha256()
            with urllib.request.urlopen(url, timeout=timeout) as response, open(tmp, "wb") as out:
                while block := response.read(_CHUNK):
                    digest.update(block)
                    out.write(block)
            got = digest.hexdigest()
            if got != expected:
                raise ChecksumMismatchError(
                    label("upstream.download_mismatch", lang, url=url, got=got, expected=expected)
                )
    except ChecksumMismatchError:
        raise
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        if isinstance(exc, urllib.error.HTTPError):
            exc.close()  # an HTTP error carries the open response
        raise DownloadError(
            label(
                "upstream.download_failed",
                lang,
                url=url,
                error=download_failure(exc, lang),
                ways=ways_to_boundaries("PP.KK", lang),
            )
        ) from exc


def fetch_upstream(
    repo: str, commit: str, path: str, *, timeout: float = 60.0, lang: str = "id"
) -> Path:
    """Return a local, sha256-verified copy of one upstream file.

    Parameters
    ----------
    repo : str
        ``"owner/name"`` of the GitHub repository, e.g. ``"cahyadsn/wilayah"``.
    commit : str
        The pinned 40-hex commit; a registry for it must ship in ``data/registry``.
    path : str
        Path inside the repository, e.g. ``"db/wilayah.sql"``.
    timeout : float, default 60
        Seconds before a stalled download is abandoned.
    lang : {"id", "en"}
        Language of error messages.

    Returns
    -------
    pathlib.Path
        The mirror file, or the cached copy (downloaded first when missing).

    Raises
    ------
    UpstreamError
        The file is not listed in the registry for that commit, or ``PILKADA_RISK_UPSTREAM_URL``
        is not a usable template (checked only when a download is needed).
    ChecksumMismatchError
        A mirror file or a downloaded file does not match the registry. A mismatching cached file
        is removed and downloaded again.
    DownloadError
        No mirror or cached copy exists and the download failed; nothing is left in the cache.

    Examples
    --------
    >>> p = fetch_upstream(*WILAYAH, "db/wilayah.sql")  # mirror, cache, or one download
    >>> p.name
    'wilayah.sql'
    """
    check_lang(lang)
    expected = _expected(repo, commit, path, lang)

    mirrored = _mirror_candidate(repo, commit, path)
    if mirrored is not None and mirrored.is_file():
        got = sha256_file(mirrored)
        if got != expected:
            raise ChecksumMismatchError(
                label(
                    "upstream.mirror_mismatch",
                    lang,
                    file=mirrored,
                    got=got,
                    expected=expected,
                    env=MIRROR_ENV,
                )
            )
        return mirrored

    cached = cache_path(repo, commit, path)
    removed = ""
    if cached.is_file():
        got = sha256_file(cached)
        if got == expected:
            return cached
        cached.unlink()
        removed = label("upstream.cache_removed", lang, file=cached, got=got)

    url = upstream_url(repo, commit, path, lang=lang)
    try:
        _download(url, cached, expected, timeout, lang)
    except UpstreamError as exc:
        if removed:
            raise type(exc)(f"{removed} {exc}") from exc
        raise
    return cached


# --------------------------------------------------------------------------------------------
# parsing of the upstream SQL dumps


@cache
def wilayah_names() -> pd.Series:
    """All Kemendagri codes and names (``kode`` → ``nama``) from ``db/wilayah.sql``."""
    text = fetch_upstream(*WILAYAH, "db/wilayah.sql").read_text(encoding="utf-8")
    rows = _NAME_ROW.findall(text)
    names = pd.Series([n.replace("''", "'") for _, n in rows], index=[k for k, _ in rows])
    return names[~names.index.duplicated(keep="last")]


def read_boundary_sql(path: Path) -> gpd.GeoDataFrame:
    """Parse ``('kode','nama',lat,lng,'<path>')`` rows into lon/lat MultiPolygons."""
    rows = _GEOM_ROW.findall(path.read_text(encoding="utf-8"))
    coords: list[np.ndarray] = []
    ring_off, poly_off, geom_off = [0], [0], [0]
    for row in rows:
        tree = json.loads(row[4])
        depth3 = bool(tree) and bool(tree[0]) and not isinstance(tree[0][0][0], list)
        for poly in [tree] if depth3 else tree:
            rings = [np.asarray(r, dtype=float)[:, ::-1] for r in poly if len(r) >= 3]
            rings = [np.vstack([r, r[:1]]) if (r[0] != r[-1]).any() else r for r in rings]
            if not rings or len(rings[0]) < 4:
                continue
            for ring in (r for r in rings if len(r) >= 4):
                coords.append(ring)
                ring_off.append(ring_off[-1] + len(ring))
            poly_off.append(len(ring_off) - 1)
        geom_off.append(len(poly_off) - 1)
    geoms = shapely.from_ragged_array(
        shapely.GeometryType.MULTIPOLYGON,
        np.concatenate(coords) if coords else np.empty((0, 2)),
        (np.asarray(ring_off), np.asarray(poly_off), np.asarray(geom_off)),
    )
    frame = pd.DataFrame(
        {"kode": [r[0] for r in rows], "nama_src": [r[1].replace("''", "'") for r in rows]}
    )
    gdf = gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4326")
    return gdf.dissolve("kode", as_index=False) if gdf["kode"].duplicated().any() else gdf
