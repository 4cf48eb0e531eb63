"""Where a register's rows lie: intake counts and the "wrong kabupaten" warning.

:func:`note_coverage` adds ``accepted.attrs["intake"]`` to an :class:`IntakeResult`: the counts
the data-sufficiency rule and the map need (``n_read``, ``n_quarantine``) and plain-language
warnings (``data_warnings`` in Bahasa Indonesia, ``data_warnings_en``). When more than
``[sufficiency] max_outside_share`` (default 0.5) of the rows lie outside the chosen kabupaten
(quarantined as ``di_luar_wilayah`` or ``lokasi_tidak_ditemukan``), the warning says where most of
them do lie: points are matched to the province's kabupaten layer of the same upstream
(``db/kab/wilayah_boundaries_kab_<prov>.sql`` of cahyadsn/wilayah_boundaries), names to the
Kemendagri kecamatan and desa names of the province (a name of one kabupaten only).
"""

from __future__ import annotations

from collections import Counter

import geopandas as gpd
import numpy as np
import pandas as pd

from pilkada_risk.config.i18n import label
from pilkada_risk.config.sections import Sufficiency
from pilkada_risk.errors import RegisterOutsideError
from pilkada_risk.geo.upstream import (
    WILAYAH_BOUNDARIES,
    fetch_upstream,
    read_boundary_sql,
    wilayah_names,
)
from pilkada_risk.intake.column_parsing import parse_coordinates
from pilkada_risk.intake.result import IntakeResult, RowLog
from pilkada_risk.io.number_format import number

__all__ = [
    "kabupaten_of_names",
    "kabupaten_of_points",
    "note_coverage",
]


_OUTSIDE = ("di_luar_wilayah", "lokasi_tidak_ditemukan")
_LAT, _LON = (-11.0, 6.0), (95.0, 141.0)


def _province_kabupaten(prov: str) -> gpd.GeoDataFrame:
    path = f"db/kab/wilayah_boundaries_kab_{prov}.sql"
    return read_boundary_sql(fetch_upstream(*WILAYAH_BOUNDARIES, path))


def kabupaten_of_points(lat: np.ndarray, lon: np.ndarray, prov: str) -> list[str | None]:
    """Kabupaten code (``"18.13"``) of each point in province ``prov``; ``None`` outside it."""
    kab = _province_kabupaten(prov)
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326)
    hit = gpd.sjoin(pts, kab[["kode", "geometry"]], how="left", predicate="within")
    first = hit[~hit.index.duplicated()]["kode"]
    return [None if pd.isna(k) else str(k) for k in first.reindex(pts.index)]


def kabupaten_of_names(names: list[str], prov: str) -> list[str | None]:
    """Kabupaten code of each kecamatan/desa name of province ``prov`` (``None``: unknown or
    the name occurs in more than one kabupaten)."""
    table = wilayah_names()
    table = table[table.index.str.startswith(prov + ".") & (table.index.str.len() > 5)]
    keys = table.str.lower().str.strip()
    kabs = pd.Series(table.index.str[:5], index=keys.to_numpy())
    unique = kabs.groupby(level=0).agg(lambda s: s.iloc[0] if s.nunique() == 1 else None)
    return [unique.get(str(n).lower().strip()) for n in names]


def _split(value: str) -> tuple[float, float]:
    lat_s, _, lon_s = value.partition(", ")
    parsed, _ = parse_coordinates(pd.Series([lat_s, lon_s], dtype=object))
    lat, lon = float(parsed.iat[0]), float(parsed.iat[1])
    if not _LAT[0] <= lat <= _LAT[1] and _LAT[0] <= lon <= _LAT[1]:
        lat, lon = lon, lat
    return lat, lon


def _where(rows: RowLog, prov: str) -> Counter[str]:
    """Kabupaten of each row quarantined as outside/unknown, by its point or else its name."""
    points: list[tuple[float, float]] = []
    names: list[str] = []
    for problems in (rows.problems.get(i) for i in rows.problems.filled()):
        codes = {p[0]: p[2] for p in problems}
        if "di_luar_wilayah" in codes:
            points.append(_split(codes["di_luar_wilayah"]))
        elif codes.get("lokasi_tidak_ditemukan"):
            names.append(codes["lokasi_tidak_ditemukan"])
    found: list[str | None] = []
    if points:
        lat, lon = np.array(points, dtype=float).T
        found += kabupaten_of_points(lat, lon, prov)
    if names:
        found += kabupaten_of_names(names, prov)
    return Counter(k for k in found if isinstance(k, str) and k)  # NaN: an ambiguous name


def _too_few(accepted: pd.DataFrame, n_units: int, settings: Sufficiency) -> bool:
    """True when the rows inside the kabupaten cannot carry a score (the sufficiency rules on
    incidents and incidents per kecamatan per year, the data period counted as >= 1 year)."""
    n = len(accepted)
    if n < int(settings.min_incidents):
        return True
    dates = pd.to_datetime(accepted.get("tanggal"), errors="coerce")
    dates = pd.Series(dates).dropna()
    years = max((dates.max() - dates.min()).days / 365.25, 1.0) if len(dates) else 1.0
    return n / max(n_units, 1) / years < float(settings.min_per_kecamatan_year)


def _kab_text(code: str) -> str:
    return f"{code} {wilayah_names().get(code, '')}".strip()


def note_coverage(
    result: IntakeResult,
    rows: RowLog,
    areas: gpd.GeoDataFrame,
    *,
    settings: Sufficiency,
    force: bool = False,
    for_cli: bool = False,
) -> IntakeResult:
    """Add ``attrs["intake"]`` (counts, warnings) to ``result.accepted``; returns ``result``.

    A register of a wider area (a province register read for one kabupaten) is a filter: when
    more than ``settings.max_outside_share`` of the rows lie outside the chosen kabupaten,
    the rows inside it are kept and a warning says what was left out, per kabupaten, e.g.
    "600 dari 800 baris berada di luar 18.13 Kabupaten Pesisir Barat dan tidak dipakai (588 di
    18.01 Kabupaten Lampung Selatan, ...); 200 baris di 18.13 ... dinilai." When, in addition,
    the rows inside are too few to score (the
    ``min_incidents`` and ``min_per_kecamatan_year`` rules of ``settings``), the read is
    refused with :class:`RegisterOutsideError` naming where the rows do lie, unless ``force``.

    ``settings`` is the ``[sufficiency]`` section of the caller's profile (with its overrides).
    ``for_cli`` words the override as ``--paksa``.
    """
    n_read = int(result.n_read)
    outside = sum(
        any(p[0] in _OUTSIDE for p in rows.problems.get(i)) for i in rows.problems.filled()
    )
    warnings: dict[str, list[str]] = {"id": [], "en": []}
    limit = float(settings.max_outside_share)
    kab = str(areas["kab_kode"].iloc[0]) if "kab_kode" in areas and len(areas) else ""
    where: Counter[str] = Counter()
    if n_read and kab and outside / n_read > limit:
        kab_text = f"{kab} {areas['kab_nama'].iloc[0]}" if "kab_nama" in areas else kab
        where = _where(rows, kab[:2]) if len(kab) >= 2 else Counter()

        def said(key: str, lang: str, **extra: str) -> str:
            counts = {"n": outside, "total": n_read, "inside": len(result.accepted)}
            numbers = {k: number(v, lang, 0) for k, v in counts.items()}
            where_text = _listing(where, outside, lang)
            return label(
                f"sufficiency.{key}", lang, kab=kab_text, where=where_text, **numbers, **extra
            )

        if not force and _too_few(result.accepted, len(areas), settings):
            fix = label(f"sufficiency.outside_force_{'cli' if for_cli else 'api'}", rows.lang)
            raise RegisterOutsideError(said("outside_refused", rows.lang, fix=fix))
        for lang in ("id", "en"):
            warnings[lang].append(said("outside_kab", lang))
    result.accepted.attrs["intake"] = {
        "n_read": n_read,
        "n_quarantine": len(result.quarantine),
        "n_outside": int(outside),
        "outside_by_kab": dict(where.most_common()),
        "data_warnings": warnings["id"],
        "data_warnings_en": warnings["en"],
    }
    return result


def _listing(where: Counter[str], outside: int, lang: str) -> str:
    """ "75 di 18.13 Kabupaten Pesisir Barat, 2 di 18.01 ..." (+ rows placed nowhere known)."""
    parts = [
        label("sufficiency.outside_count", lang, n=number(n, lang, 0), kab=_kab_text(code))
        for code, n in where.most_common(5)
    ]
    other = sum(where.values()) - sum(n for _, n in where.most_common(5))
    if other > 0:
        parts.append(label("sufficiency.outside_other", lang, n=number(other, lang, 0)))
    rest = outside - sum(where.values())
    if rest > 0:
        parts.append(label("sufficiency.outside_rest", lang, n=number(rest, lang, 0)))
    return ", ".join(parts)
