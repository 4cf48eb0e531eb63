"""Kecamatan and desa boundaries for any kabupaten/kota in Indonesia.

Desa polygons come from cahyadsn/wilayah_boundaries (MIT) at a pinned commit; kecamatan are built
by dissolving them (the upstream's own kecamatan layer is far coarser). Canonical names and the
expected number of desa per kecamatan come from cahyadsn/wilayah ``db/wilayah.sql``. The steps
follow ``SOURCES.md`` of the reference layers: ``make_valid`` keeping polygonal parts, "smaller
polygon wins" overlap removal, dissolve by the first 8 code characters, a coarse-layer fill for
kecamatan whose desa polygons are missing upstream, interior sliver holes under about 1 ha filled,
a second "smaller wins" pass, and snapping to a 1e-6 degree grid (the geometry helpers live in
:mod:`pilkada_risk.geo.geometry`).

Built layers are cached as GeoParquet in ``cache_dir()/layers`` keyed by kabupaten code, upstream
commits and :data:`BUILD_VERSION`.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from pilkada_risk.config.columns import validate_columns
from pilkada_risk.config.i18n import check_lang, label
from pilkada_risk.errors import UnknownAreaError
from pilkada_risk.geo.codes import known_kab_codes, unknown_kab_message
from pilkada_risk.geo.geometry import fill_slivers, polygonal, smaller_wins, snap_to_grid, utm_crs
from pilkada_risk.geo.offline import base_files, ensure_files, required_files
from pilkada_risk.geo.upstream import (
    WILAYAH,
    WILAYAH_BOUNDARIES,
    DownloadError,
    fetch_upstream,
    normalise_kab_kode,
    read_boundary_sql,
    registry,
    wilayah_names,
)
from pilkada_risk.io.files import atomic_path, cache_dir, package_data

__all__ = [
    "BOUNDARY_SOURCE",
    "BUILD_VERSION",
    "LAYER_SUFFIXES",
    "UnknownAreaError",
    "load_aliases",
    "load_desa",
    "load_kecamatan",
    "normalise_kab_kode",
    "write_layer",
]

#: Bump when the derivation changes: cached layers of older versions are then rebuilt.
BUILD_VERSION = 1

BOUNDARY_SOURCE: dict[str, str] = {
    "name": "cahyadsn/wilayah_boundaries",
    "url": "https://github.com/cahyadsn/wilayah_boundaries",
    "commit": WILAYAH_BOUNDARIES[1],
    "licence": "MIT",
    "attribution": "Cahya DSN, wilayah_boundaries (MIT)",
    "names_source": "cahyadsn/wilayah (MIT), db/wilayah.sql",
    "names_url": "https://github.com/cahyadsn/wilayah",
    "names_commit": WILAYAH[1],
}

#: Output formats of :func:`write_layer`, by file suffix.
LAYER_SUFFIXES: dict[str, str] = {
    ".gpkg": "GeoPackage",
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".parquet": "GeoParquet",
    ".geoparquet": "GeoParquet",
}

_KEC_COLUMNS = ["kode", "nama", "nama_alt", "kab_kode", "kab_nama", "area_km2", "geometry"]
_DESA_COLUMNS = ["kode", "nama", "jenis", "kec_kode", "kec_nama", "area_km2", "geometry"]


# --------------------------------------------------------------------------------------------
# validation of codes


def _kab_name(kab_kode: Any, lang: str) -> str:
    code = str(kab_kode).strip() if isinstance(kab_kode, str) else kab_kode
    if code not in known_kab_codes():  # checked offline, from the shipped registry
        raise UnknownAreaError(unknown_kab_message(kab_kode, lang))
    return str(wilayah_names().get(code, code))


# --------------------------------------------------------------------------------------------
# build


@lru_cache(maxsize=8)
def _clean_desa(path: str) -> np.ndarray:
    return polygonal(read_boundary_sql(fetch_upstream(*WILAYAH_BOUNDARIES, path)).geometry)


def _neighbour_desa(fill: Any, coarse: pd.Series, kab_kode: str) -> Any:
    """Union of desa of other kabupaten (same province) whose coarse kecamatan touch ``fill``."""
    near = coarse[shapely.relate_pattern(coarse.to_numpy(), fill, "T********")]
    kabs = sorted({k[:5] for k in near.index} - {kab_kode})
    parts = []
    for kab in kabs:
        path = f"db/kel/{kab[:2]}/wilayah_boundaries_kel_{kab}.sql"
        if path in registry(*WILAYAH_BOUNDARIES):
            geoms = _clean_desa(path)
            parts.append(geoms[shapely.intersects(geoms, fill)])
    return shapely.union_all(np.concatenate(parts)) if parts else shapely.MultiPolygon()


def _build(kab_kode: str, kab_nama: str) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    prov = kab_kode[:2]
    names = wilayah_names()
    raw = read_boundary_sql(
        fetch_upstream(*WILAYAH_BOUNDARIES, f"db/kel/{prov}/wilayah_boundaries_kel_{kab_kode}.sql")
    )
    raw = raw[raw["kode"].str.startswith(kab_kode + ".")].reset_index(drop=True)
    desa_geom = smaller_wins(polygonal(raw.geometry.to_numpy()))
    utm = utm_crs(raw.total_bounds)

    kec_of_desa = raw["kode"].str[:8]
    codes = names.index
    kec_ref = codes[codes.str.fullmatch(re.escape(kab_kode) + r"\.\d{2}")]
    desa_ref = pd.Series(codes[codes.str.len() == 13].str[:8]).value_counts()
    present = pd.Index(sorted(set(kec_of_desa)))
    kec_codes = present.union(kec_ref).sort_values()
    dissolved = pd.Series(
        [shapely.union_all(desa_geom[(kec_of_desa == k).to_numpy()]) for k in kec_codes],
        index=kec_codes,
        dtype=object,
    )
    n_poly = kec_of_desa.value_counts().reindex(kec_codes, fill_value=0)
    incomplete = kec_codes[n_poly.to_numpy() < desa_ref.reindex(kec_codes, fill_value=0)]
    if len(incomplete):
        coarse = read_boundary_sql(
            fetch_upstream(*WILAYAH_BOUNDARIES, f"db/kec/wilayah_boundaries_kec_{prov}.sql")
        ).set_index("kode")
        coarse_geom = pd.Series(polygonal(coarse.geometry.to_numpy()), index=coarse.index)
        for k in incomplete.intersection(coarse.index):
            fill = shapely.difference(coarse_geom[k], shapely.union_all(dissolved.drop(k)))
            fill = shapely.difference(fill, _neighbour_desa(fill, coarse_geom, kab_kode))
            dissolved[k] = shapely.union(dissolved[k], fill)
    dissolved = dissolved[~shapely.is_empty(dissolved.to_numpy())]
    kec_geom = polygonal(dissolved.to_numpy())
    kec_geom = smaller_wins(fill_slivers(kec_geom, utm))
    kec_geom = snap_to_grid(kec_geom)
    desa_geom = snap_to_grid(desa_geom)

    kec_index = dissolved.index
    kec = gpd.GeoDataFrame(
        {
            "kode": kec_index.astype(str),
            "nama": [str(names.get(k, k)) for k in kec_index],
            "nama_alt": "",
            "kab_kode": kab_kode,
            "kab_nama": kab_nama,
        },
        geometry=kec_geom,
        crs="EPSG:4326",
    )
    desa = gpd.GeoDataFrame(
        {
            "kode": raw["kode"].astype(str),
            "nama": [
                str(names.get(k, n)) for k, n in zip(raw["kode"], raw["nama_src"], strict=True)
            ],
            "jenis": np.where(raw["kode"].str[9] == "1", "kelurahan", "desa"),
            "kec_kode": kec_of_desa.astype(str),
            "kec_nama": [str(names.get(k, k)) for k in kec_of_desa],
        },
        geometry=desa_geom,
        crs="EPSG:4326",
    )
    for layer in (kec, desa):
        layer["area_km2"] = layer.geometry.to_crs(utm).area.to_numpy() / 1e6
    kec = kec[_KEC_COLUMNS].sort_values("kode", ignore_index=True)
    desa = desa[_DESA_COLUMNS].sort_values("kode", ignore_index=True)
    return kec, desa


def _cache_file(kab_kode: str, layer: str) -> Path:
    key = f"{BUILD_VERSION}|{WILAYAH_BOUNDARIES[1]}|{WILAYAH[1]}".encode()
    return (
        cache_dir()
        / "layers"
        / f"{kab_kode}_{layer}_{hashlib.sha256(key).hexdigest()[:16]}.parquet"
    )


def _layer(kab_kode: str, layer: str, lang: str) -> gpd.GeoDataFrame:
    check_lang(lang)
    code = normalise_kab_kode(kab_kode)
    if code not in known_kab_codes():  # before any file is fetched: offline too
        _kab_name(kab_kode, lang)  # raises with suggestions
    target = _cache_file(code, layer)
    if target.is_file():
        try:
            gdf = gpd.read_parquet(target)
        except Exception:  # an unreadable cache file is rebuilt, never trusted
            target.unlink(missing_ok=True)
    if not target.is_file():
        ensure_files(base_files(code), code, lang=lang)  # one message naming every missing file
        try:
            kec, desa = _build(code, _kab_name(code, lang))
        except DownloadError:  # a neighbour's desa file: name every missing one, then give up
            ensure_files(required_files(code), code, lang=lang)
            raise
        for name, frame in (("kecamatan", kec), ("desa", desa)):
            with atomic_path(_cache_file(code, name)) as tmp:
                frame.to_parquet(tmp, index=False)
        gdf = (kec if layer == "kecamatan" else desa).copy()
    gdf.attrs["source"] = dict(BOUNDARY_SOURCE)
    return gdf


# --------------------------------------------------------------------------------------------
# aliases


def load_aliases(aliases: str | os.PathLike[str] | pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the alternative-name table (``kode``, ``alias``, ``kind``, ``note``).

    The shipped ``data/aliases.csv`` comes first; ``aliases`` (a CSV path or a DataFrame with at
    least ``kode`` and ``alias``) is merged over it: a row with the same ``kode`` and ``alias``
    replaces the shipped one.

    Examples
    --------
    >>> table = load_aliases()
    >>> "Bengkunat" in set(table.loc[table["kode"] == "18.13.10", "alias"])
    True
    """
    shipped = pd.read_csv(package_data("aliases.csv"), dtype=str, keep_default_na=False)
    if aliases is None:
        return shipped
    extra = aliases if isinstance(aliases, pd.DataFrame) else pd.read_csv(aliases, dtype=str)
    validate_columns(
        extra,
        ("kode", "alias"),
        what="aliases",
        fix=label("columns.saran_alias", "id"),
    )
    extra = pd.DataFrame(
        {
            col: extra[col].astype(object).where(extra[col].notna(), "").astype(str)
            if col in extra.columns
            else ""
            for col in ("kode", "alias", "kind", "note")
        },
        index=extra.index,
    )
    extra["alias"] = extra["alias"].str.strip()
    merged = pd.concat([shipped, extra], ignore_index=True)
    merged = merged[merged["alias"].str.strip() != ""]
    return merged.drop_duplicates(["kode", "alias"], keep="last").reset_index(drop=True)


def _with_aliases(kec: gpd.GeoDataFrame, aliases: Any) -> gpd.GeoDataFrame:
    table = load_aliases(aliases)
    table = table[table["kode"].isin(kec["kode"])]
    joined = {
        kode: "; ".join(dict.fromkeys(a.strip() for a in grp["alias"]))
        for kode, grp in table.groupby("kode", sort=False)
    }
    kec["nama_alt"] = pd.array([joined.get(k, "") for k in kec["kode"]], dtype="str")
    return kec


# --------------------------------------------------------------------------------------------
# public API


def load_kecamatan(
    kab_kode: str = "18.13",
    *,
    aliases: str | os.PathLike[str] | pd.DataFrame | None = None,
    lang: str = "id",
) -> gpd.GeoDataFrame:
    """Return the kecamatan of one kabupaten/kota, built from the desa polygons.

    Parameters
    ----------
    kab_kode : str, default "18.13"
        Kemendagri kabupaten/kota code ``PP.KK`` (Pesisir Barat is ``"18.13"``).
    aliases : path or DataFrame, optional
        Extra alternative names (columns ``kode``, ``alias``, optional ``kind``, ``note``),
        merged over the shipped ``data/aliases.csv`` into ``nama_alt``.
    lang : {"id", "en"}
        Language of error messages.

    Returns
    -------
    geopandas.GeoDataFrame
        ``kode``, ``nama``, ``nama_alt`` (``"; "``-joined, ``""`` if none), ``kab_kode``,
        ``kab_nama``, ``area_km2`` (in the kabupaten's UTM zone), ``geometry`` (MultiPolygon,
        EPSG:4326); ``attrs["source"]`` is :data:`BOUNDARY_SOURCE`. A fresh copy on every call.

    Examples
    --------
    >>> kec = load_kecamatan("18.13")
    >>> len(kec), kec.loc[kec["kode"] == "18.13.10", "nama_alt"].item()
    (11, 'Bengkunat')
    """
    kec = _layer(kab_kode, "kecamatan", lang)
    return _with_aliases(kec, aliases)


def load_desa(kab_kode: str = "18.13", *, lang: str = "id") -> gpd.GeoDataFrame:
    """Return the desa/pekon/kelurahan of one kabupaten/kota.

    Columns: ``kode`` (``18.13.01.1005``), ``nama``, ``jenis`` (``"kelurahan"`` for codes
    ``1yyy``, ``"desa"`` for ``2yyy``, called *pekon* in Lampung), ``kec_kode``, ``kec_nama``,
    ``area_km2`` (UTM), ``geometry`` (MultiPolygon, EPSG:4326). A fresh copy on every call.

    Examples
    --------
    >>> desa = load_desa("18.13")
    >>> len(desa), sorted(desa["jenis"].unique())
    (118, ['desa', 'kelurahan'])
    """
    return _layer(kab_kode, "desa", lang)


def write_layer(gdf: gpd.GeoDataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a layer as GeoPackage, GeoJSON or GeoParquet, chosen by the file suffix.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = write_layer(load_kecamatan("18.13"), pathlib.Path(tempfile.mkdtemp()) / "kec.gpkg")
    >>> out.suffix
    '.gpkg'
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in LAYER_SUFFIXES:
        raise ValueError(
            f"path={str(path)!r}: suffix {suffix or '(none)'!r} is not supported; use one of "
            f"{', '.join(LAYER_SUFFIXES)} ({', '.join(sorted(set(LAYER_SUFFIXES.values())))})."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write into a private folder under the real name (drivers check the suffix), then rename.
    with tempfile.TemporaryDirectory(prefix=".write_layer.", dir=path.parent) as folder:
        tmp = Path(folder) / path.name
        if LAYER_SUFFIXES[suffix] == "GeoParquet":
            gdf.to_parquet(tmp, index=False)
        elif LAYER_SUFFIXES[suffix] == "GeoPackage":
            gdf.to_file(tmp, driver="GPKG", layer=path.stem)
        else:
            gdf.to_file(tmp, driver="GeoJSON")
        os.replace(tmp, path)
    return path
