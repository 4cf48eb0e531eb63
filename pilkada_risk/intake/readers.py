"""Read an incident register from a file or a (Geo)DataFrame into a raw frame.

Formats are chosen by suffix: CSV/TXT (UTF-8 with or without BOM, else Windows-1252, else
Latin-1; the separator
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
import shapely

from pilkada_risk.config.i18n import label
from pilkada_risk.config.paths import sha256_bytes, sha256_file
from pilkada_risk.intake._headers import HEADER_ALIASES, header_key

__all__ = ["RawSource", "decode_csv", "geometry_to_columns", "read_source"]

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


def decode_csv(path: str | os.PathLike[str]) -> tuple[str, str]:
    """Return the text of a CSV file and its separator.

    The text is UTF-8 (with or without BOM), else Windows-1252 (Excel on Windows), else
    Latin-1; the separator is the one of ``,``, ``;``, tab and ``|`` that occurs most in the
    header line (in the first ten lines when the header line has none).
    """
    data = Path(path).read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("latin-1")
    header = text.split("\n", 1)[0]
    if not any(sep in header for sep in _SEPARATORS):  # a title line: look further down
        header = "\n".join(text.split("\n", 10)[:10])
    return text, max(_SEPARATORS, key=header.count)


def _read_csv(path: Path, lang: str) -> pd.DataFrame:
    text, sep = decode_csv(path)
    detail = ""
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skip_blank_lines=False
        )
    except pd.errors.ParserError as exc:  # typically a title line above the header
        detail = str(exc).strip()
    else:
        if isinstance(frame.index, pd.RangeIndex):
            return frame
        detail = "rows have more cells than the header"  # pandas made the extra cells an index
    header = text.split("\n", 1)[0].strip()
    raise ValueError(
        label("intake.galat_csv_rusak", lang, nama=path.name, header=header, detail=detail)
    )


def read_source(
    source: str | os.PathLike[str] | pd.DataFrame, sheet: str | int | None, lang: str = "id"
) -> RawSource:
    """Read ``source`` (a path or a DataFrame, which is copied, never modified).

    Raises
    ------
    FileNotFoundError
        When the path does not exist.
    ValueError
        When the suffix is not a supported format, or a CSV's rows do not fit its header.
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
        frame = _read_csv(path, lang)
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


def _wkt_text(value: Any) -> str:
    text = value.strip() if isinstance(value, str) else ""
    return "" if text.lower() in ("none", "nan", "null") else text


def _wkt_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as a GeoDataFrame when a ``geometry``/``wkt`` column holds only WKT or blanks."""
    col = next((c for c in frame.columns if header_key(c) in ("geometry", "wkt")), None)
    if col is None:
        return frame
    text = frame[col].astype(object).map(_wkt_text)
    if not text.str.match(r"^(?:[A-Za-z]+ ?\(|$)").all() or not (text != "").any():
        return frame
    try:
        geoms = shapely.from_wkt(np.array([t or None for t in text.tolist()], dtype=object))
    except shapely.errors.GEOSException:
        return frame
    out = frame.drop(columns=[col])
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geoms, index=frame.index), crs=4326)


def geometry_to_columns(
    frame: pd.DataFrame, notes: list[list[tuple[str, dict[str, Any]]]]
) -> pd.DataFrame:
    """Replace a geometry column by latitude/longitude columns (reprojected to EPSG:4326).

    A non-point geometry is replaced by its representative point and noted
    (``geometri_bukan_titik``) in ``notes`` (one list per row, appended to). Existing
    latitude/longitude columns are kept where the geometry is empty. A plain frame with a
    ``geometry``/``wkt`` column of WKT text (``POINT (103.9 -5.2)``, as written by
    ``accepted.to_csv``) is read as EPSG:4326 geometry. Returns a new frame.
    """
    if not isinstance(frame, gpd.GeoDataFrame):
        frame = _wkt_frame(frame)
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
