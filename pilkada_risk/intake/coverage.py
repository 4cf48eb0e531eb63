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
from pilkada_risk.geo.upstream import (
    WILAYAH_BOUNDARIES,
    fetch_upstream,
    read_boundary_sql,
    wilayah_names,
)
from pilkada_risk.intake.column_parsing import parse_coordinates
from pilkada_risk.intake.result import IntakeResult, RowLog

__all__ = ["kabupaten_of_names", "kabupaten_of_points", "note_coverage"]

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
    return Counter(k for k in found if k)


def note_coverage(
    result: IntakeResult, rows: RowLog, areas: gpd.GeoDataFrame, *, max_outside_share: float
) -> IntakeResult:
    """Add ``attrs["intake"]`` (counts, warnings) to ``result.accepted``; returns ``result``.

    ``max_outside_share`` is the profile's ``[sufficiency]`` limit (the caller's profile, with
    its overrides): above that share of rows outside the kabupaten, a warning is added.

    The warning names the kabupaten where most rows outside the chosen one lie, e.g.
    "75 dari 76 baris berada di luar 18.71 Kota Bandar Lampung; sebagian besar di 18.13
    Kabupaten Pesisir Barat."
    """
    n_read = int(result.n_read)
    outside = sum(
        any(p[0] in _OUTSIDE for p in rows.problems.get(i)) for i in rows.problems.filled()
    )
    warnings: dict[str, list[str]] = {"id": [], "en": []}
    limit = float(max_outside_share)
    kab = str(areas["kab_kode"].iloc[0]) if "kab_kode" in areas and len(areas) else ""
    if n_read and kab and outside / n_read > limit:
        kab_text = f"{kab} {areas['kab_nama'].iloc[0]}" if "kab_nama" in areas else kab
        where = _where(rows, kab[:2]) if len(kab) >= 2 else Counter()
        for lang in ("id", "en"):
            if where:
                top = where.most_common(1)[0][0]
                place = f"{top} {wilayah_names().get(top, '')}".strip()
            else:
                place = label("map.unknown", lang)
            warnings[lang].append(
                label(
                    "sufficiency.outside_kab",
                    lang,
                    n=outside,
                    total=n_read,
                    kab=kab_text,
                    where=place,
                )
            )
    result.accepted.attrs["intake"] = {
        "n_read": n_read,
        "n_quarantine": len(result.quarantine),
        "n_outside": int(outside),
        "data_warnings": warnings["id"],
        "data_warnings_en": warnings["en"],
    }
    return result
