"""Prepare a folder with every upstream file a kabupaten needs, for laptops without internet.

``pilkada-risk boundaries --kab 18.13 --siapkan-offline FOLDER`` (or :func:`prepare_offline`) on a
connected machine fetches and verifies (sha256 against the shipped registries) the Kemendagri
name list, the kabupaten's desa polygons, the province's coarse kecamatan and the desa of the
neighbouring kabupaten into ``FOLDER/<owner>/<repo>/<commit>/<path>``. Copied to the offline
laptop, the folder is used by setting ``PILKADA_RISK_MIRROR=FOLDER``; served by a web server (for
instance ``python -m http.server`` inside FOLDER), it is used by setting
``PILKADA_RISK_UPSTREAM_URL=http://SERVER:PORT/{repo}/{commit}/{path}``.

When files are missing and cannot be downloaded, :func:`ensure_files` raises one
:class:`~pilkada_risk.geo.upstream.DownloadError` listing all of them with this recipe, instead
of failing on one file per run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from pilkada_risk.config.i18n import check_lang, label
from pilkada_risk.geo.upstream import (
    WILAYAH,
    WILAYAH_BOUNDARIES,
    DownloadError,
    UpstreamError,
    download_failure,
    fetch_upstream,
    normalise_kab_kode,
    registry,
    upstream_url,
    ways_to_boundaries,
)
from pilkada_risk.io.files import sha256_file

__all__ = ["UpstreamFile", "base_files", "ensure_files", "prepare_offline", "required_files"]

UpstreamFile = tuple[str, str, str]


def _listed(files: Iterable[UpstreamFile]) -> list[UpstreamFile]:
    return [f for f in files if f[2] in registry(f[0], f[1])]


def base_files(kab_kode: str) -> list[UpstreamFile]:
    """Files every build of ``kab_kode`` reads (names, its desa, the province's kecamatan)."""
    prov = kab_kode[:2]
    return _listed(
        [
            (*WILAYAH, "db/wilayah.sql"),
            (*WILAYAH_BOUNDARIES, f"db/kel/{prov}/wilayah_boundaries_kel_{kab_kode}.sql"),
            (*WILAYAH_BOUNDARIES, f"db/kec/wilayah_boundaries_kec_{prov}.sql"),
        ]
    )


def required_files(kab_kode: str) -> list[UpstreamFile]:
    """Everything a build of ``kab_kode`` may read: :func:`base_files`, the desa of every other
    kabupaten of the province (gaps are filled against neighbours) and the licences."""
    prov = kab_kode[:2]
    repo, commit = WILAYAH_BOUNDARIES
    others = sorted(p for p in registry(repo, commit) if p.startswith(f"db/kel/{prov}/"))
    licences = [(*WILAYAH, "LICENSE"), (*WILAYAH_BOUNDARIES, "LICENSE")]
    files = base_files(kab_kode) + [(repo, commit, p) for p in others] + _listed(licences)
    return list(dict.fromkeys(files))


def ensure_files(files: Iterable[UpstreamFile], kab_kode: str, *, lang: str = "id") -> list[Path]:
    """Fetch every file (mirror, cache or download); one error listing all that failed.

    Raises
    ------
    DownloadError
        Naming every file that could not be provided, the first URL tried and why it failed, and
        the three ways to provide the files (mirror, internal server, offline folder).
    """
    check_lang(lang)
    found: list[Path] = []
    missing: list[str] = []
    first: tuple[str, str] | None = None
    for repo, commit, path in files:
        try:
            found.append(fetch_upstream(repo, commit, path, lang=lang))
        except DownloadError as exc:
            missing.append(f"{repo}/{commit[:7]}/{path}")
            if first is None:
                cause = exc.__cause__
                why = download_failure(cause, lang) if cause is not None else str(exc)
                first = (upstream_url(repo, commit, path, lang=lang), why)
    if first is not None:
        raise DownloadError(
            label(
                "upstream.missing_many",
                lang,
                n=len(missing),
                files="; ".join(missing),
                url=first[0],
                error=first[1],
                ways=ways_to_boundaries(kab_kode, lang),
            )
        )
    return found


def prepare_offline(
    kab_kode: str, folder: str | os.PathLike[str], *, lang: str = "id"
) -> list[Path]:
    """Copy every file ``kab_kode`` needs into ``folder``, verified, laid out as a mirror.

    Returns the paths written. The folder can be used as ``PILKADA_RISK_MIRROR``.

    Raises
    ------
    DownloadError
        One message listing every file that could not be fetched.
    ChecksumMismatchError
        A copy in ``folder`` does not match the registry (it is removed).
    """
    code = normalise_kab_kode(kab_kode, lang=lang)
    files = required_files(code)
    sources = ensure_files(files, code, lang=lang)
    root = Path(folder)
    written: list[Path] = []
    for (repo, commit, path), source in zip(files, sources, strict=True):
        target = root / repo / commit / path
        if target.resolve() != source.resolve():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        expected = registry(repo, commit)[path]
        if sha256_file(target) != expected:
            target.unlink()
            raise UpstreamError(label("upstream.offline_copy_bad", lang, file=target))
        written.append(target)
    return written
