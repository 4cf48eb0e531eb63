"""Read an incident register from a file or a (Geo)DataFrame into a raw frame.

Formats are chosen by suffix: CSV/TXT (UTF-8 with or without BOM, else Latin-1; the separator
``,``, ``;``, tab or ``|`` that occurs most in the header line), XLSX, GeoJSON/GeoPackage and
GeoParquet. Geometry becomes ``latitude``/``longitude`` text-or-number columns so that every
source goes through the same coordinate parsing. Nothing is parsed or dropped here.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from pilkada_risk._headers import HEADER_ALIASES, header_key
from pilkada_risk._paths import sha256_bytes, sha256_file

__all__ = ["RawSource", "geometry_to_columns", "read_source"]

_CSV = (".csv", ".txt")
_XLSX = (".xlsx", ".xlsm")
_VECTOR = (".geojson", ".json", ".gpkg")
_PARQUET = (".parquet", ".geoparquet")
_SEPARATORS = (",", ";", "\t", "|")


@dataclass(frozen=True)
class RawSource:
    """A register as read: the frame, its name and hash, and the row number of its first row.

    ``first_row`` is 2 for spreadsheets and CSV (the header is row 1, as the analyst sees it)
    and 1 for DataFrames and geodata (the first feature is number 1).
    """

    frame: pd.DataFrame
    name: str
    sha256: str
    first_row: int


def _read_csv(path: Path) -> pd.DataFrame:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    header = text.split("\n", 1)[0]
    sep = max(_SEPARATORS, key=header.count)
    return pd.read_csv(
        io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skip_blank_lines=False
    )


def read_source(
    source: str | os.PathLike[str] | pd.DataFrame, sheet: str | int | None
) -> RawSource:
    """Read ``source`` (a path or a DataFrame, which is copied, never modified).

    Raises
    ------
    FileNotFoundError
        When the path does not exist.
    ValueError
        When the suffix is not a supported format.
    """
    if isinstance(source, pd.DataFrame):
        frame = source.copy()
        digest = sha256_bytes(frame.to_csv(index=False).encode("utf-8"))
        return RawSource(frame.reset_index(drop=True), "DataFrame", digest, 1)
    path = Path(source)
    if not path.exists():
        raise FileNotFoundError(f"source={str(path)!r}: file not found; check the path")
    suffix = path.suffix.lower()
    if suffix in _CSV:
        frame = _read_csv(path)
    elif suffix in _XLSX:
        frame = pd.read_excel(
            path, sheet_name=0 if sheet is None else sheet, dtype=object, engine="openpyxl"
        )
    elif suffix in _VECTOR:
        frame = gpd.read_file(path)
    elif suffix in _PARQUET:
        frame = gpd.read_parquet(path)
    else:
        allowed = ", ".join(_CSV + _XLSX + _VECTOR + _PARQUET)
        raise ValueError(
            f"source={str(path)!r}: suffix {suffix!r} is not supported; use one of {allowed}, "
            "or pass a DataFrame"
        )
    first_row = 1 if suffix in _VECTOR + _PARQUET else 2
    return RawSource(frame, path.name, sha256_file(path), first_row)


def geometry_to_columns(
    frame: pd.DataFrame, notes: list[list[tuple[str, dict[str, Any]]]]
) -> pd.DataFrame:
    """Replace a geometry column by latitude/longitude columns (reprojected to EPSG:4326).

    A non-point geometry is replaced by its representative point and noted
    (``geometri_bukan_titik``) in ``notes`` (one list per row, appended to). Existing
    latitude/longitude columns are kept where the geometry is empty. Returns a new frame.
    """
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns:
        return frame
    geom = frame.geometry
    if geom.crs is not None and not geom.crs.equals("EPSG:4326"):
        geom = geom.to_crs(4326)
    not_point = ~geom.isna() & (geom.geom_type != "Point")
    for i in np.flatnonzero(not_point.to_numpy()).tolist():
        notes[i].append(("geometri_bukan_titik", {}))
    points = geom.where(~not_point, geom.representative_point())
    out = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    keys = {header_key(c): c for c in out.columns}
    lat_col = next((keys[a] for a in HEADER_ALIASES["lat"] if a in keys), "latitude")
    lon_col = next((keys[a] for a in HEADER_ALIASES["lon"] if a in keys), "longitude")
    has = ~points.isna() & ~points.is_empty
    none = pd.Series(None, index=out.index, dtype=object)
    lat = out[lat_col].astype(object) if lat_col in out else none
    lon = out[lon_col].astype(object) if lon_col in out else none
    out[lat_col] = lat.where(~has, points.y)
    out[lon_col] = lon.where(~has, points.x)
    return out
