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
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from pilkada_risk.config.i18n import label
from pilkada_risk.errors import SourceError
from pilkada_risk.intake._headers import HEADER_ALIASES, header_key
from pilkada_risk.io.files import sha256_bytes

__all__ = [
    "FILE_COLUMN",
    "SHEET_COLUMN",
    "RawSource",
    "SourceError",
    "decode_csv",
    "geometry_to_columns",
    "read_source",
]

_CSV = (".csv", ".txt")
_XLSX = (".xlsx", ".xlsm")
_VECTOR = (".geojson", ".json", ".gpkg")
_PARQUET = (".parquet", ".geoparquet")
_SEPARATORS = (",", ";", "\t", "|")
#: Column added when a workbook has several sheets: the sheet each row came from.
SHEET_COLUMN = "lembar"
#: Column added when several registers are read together: the file each row came from.
FILE_COLUMN = "berkas"
_ZIP_MAGIC = b"PK\x03\x04"
# A cell our own writers neutralised ("'=..."): the quote is taken off again on reading.
_ESCAPED = re.compile(r"^'(?=[=+\-@\t\r\n\uff1d\uff0b\uff0d\uff20]|\s+[=+\-@])")


@dataclass(frozen=True)
class RawSource:
    """A register as read: the frame, its name and hash, and the row number of its first row.

    ``first_row`` is 2 for spreadsheets and CSV (the header is row 1, as the analyst sees it)
    and 1 for DataFrames and geodata (the first feature is number 1). ``row_numbers``, when
    set, gives the row number of every row (several sheets or files: numbers restart in each).
    ``sep`` is the CSV delimiter (``None`` for other formats).
    """

    frame: pd.DataFrame
    name: str
    sha256: str
    first_row: int
    row_numbers: np.ndarray | None = None
    sep: str | None = None

    def numbers(self) -> np.ndarray:
        """Row number of every row, as the analyst sees it in the file."""
        if self.row_numbers is not None:
            return self.row_numbers
        return np.arange(len(self.frame), dtype="int64") + self.first_row


def _decode(data: bytes) -> tuple[str, str]:
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


def decode_csv(path: str | os.PathLike[str]) -> tuple[str, str]:
    """Return the text of a CSV file and its separator.

    The text is UTF-8 (with or without BOM), else Windows-1252 (Excel on Windows), else
    Latin-1; the separator is the one of ``,``, ``;``, tab and ``|`` that occurs most in the
    header line (in the first ten lines when the header line has none).
    """
    return _decode(Path(path).read_bytes())


def _fail(key: str, lang: str, path: Path, **fmt: Any) -> SourceError:
    return SourceError(label(f"intake.{key}", lang, nama=str(path), **fmt))


def _read_csv(path: Path, data: bytes, lang: str) -> tuple[pd.DataFrame, str]:
    text, sep = _decode(data)
    if not text.strip():
        raise _fail("galat_berkas_kosong", lang, path)
    detail = ""
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skip_blank_lines=False
        )
    except pd.errors.ParserError:  # typically a title line above the header
        detail = label("intake.detail_sel_lebih", lang)
    except pd.errors.EmptyDataError as exc:
        raise _fail("galat_berkas_kosong", lang, path) from exc
    else:
        if isinstance(frame.index, pd.RangeIndex):
            return frame, sep
        detail = label("intake.detail_sel_lebih", lang)  # pandas made the extra cells an index
    header = text.split("\n", 1)[0].strip()
    raise SourceError(
        label("intake.galat_csv_rusak", lang, nama=str(path), header=header, detail=detail)
    )


def _read_xlsx(
    path: Path, data: bytes, sheet: str | int | None, lang: str
) -> tuple[pd.DataFrame, np.ndarray | None]:
    """One sheet, or every non-empty sheet stacked with a :data:`SHEET_COLUMN` column."""
    if not data.startswith(_ZIP_MAGIC):
        text_like = b"\x00" not in data[:2048] and any(s.encode() in data[:4096] for s in ",;\t")
        key = "galat_xlsx_teks" if text_like else "galat_xlsx_rusak"
        raise _fail(key, lang, path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's data-validation/style chatter
            book = pd.ExcelFile(io.BytesIO(data), engine="openpyxl")
            names = [str(n) for n in book.sheet_names]
            if sheet is not None:
                chosen = (
                    names[sheet] if isinstance(sheet, int) and 0 <= sheet < len(names) else sheet
                )
                if chosen not in names:
                    raise _fail("galat_lembar", lang, path, lembar=sheet, daftar=", ".join(names))
                return book.parse(chosen, dtype=object), None
            frames = {n: book.parse(n, dtype=object) for n in names}
    except SourceError:
        raise
    except Exception as exc:  # zip/xml damage: never show the library's text
        raise _fail("galat_xlsx_rusak", lang, path) from exc
    used = {n: f for n, f in frames.items() if len(f.columns)}
    if not used:
        raise _fail("galat_berkas_kosong", lang, path)
    if len(used) == 1:
        return next(iter(used.values())), None
    parts = []
    for n, f in used.items():
        part = f.copy()
        if SHEET_COLUMN not in part.columns:
            part[SHEET_COLUMN] = n
        parts.append(part)
    numbers = np.concatenate([np.arange(len(f), dtype="int64") + 2 for f in used.values()])
    return pd.concat(parts, ignore_index=True, sort=False), numbers


def _read_bytes(path: Path, lang: str) -> bytes:
    if not path.exists():
        raise FileNotFoundError(label("intake.galat_berkas_tidak_ada", lang, nama=str(path)))
    if path.is_dir():
        raise _fail("galat_folder", lang, path)
    try:
        data = path.read_bytes()
    except OSError as exc:  # permission denied, locked by Excel, device error
        raise _fail("galat_tidak_terbaca", lang, path) from exc
    if not data:
        raise _fail("galat_berkas_kosong", lang, path)
    return data


def _unescape(frame: pd.DataFrame) -> pd.DataFrame:
    """Take off the quote our writers put before a formula-like text (re-read outputs)."""
    out = frame
    for col in frame.columns:
        series = frame[col]
        if not (series.dtype == object or pd.api.types.is_string_dtype(series.dtype)):
            continue
        try:
            hit = series.str.startswith("'", na=False)
        except AttributeError:  # no text in this column
            continue
        if hit.any():
            hit &= series.str.match(_ESCAPED, na=False)
            out = out.copy() if out is frame else out
            out[col] = series.where(~hit, series.str.slice(1))
    return out


def read_source(
    source: str | os.PathLike[str] | pd.DataFrame, sheet: str | int | None, lang: str = "id"
) -> RawSource:
    """Read ``source`` (a path or a DataFrame, which is copied, never modified).

    ``sheet=None`` reads every non-empty sheet of a workbook (more than one: stacked, with a
    ``lembar`` column); a name or index reads that sheet only.

    Raises
    ------
    FileNotFoundError
        When the path does not exist.
    SourceError
        (a ``ValueError``) when the file cannot be read as a register: a folder, empty,
        unreadable or locked, not really a workbook, an unknown sheet, an unsupported suffix,
        or a CSV whose rows do not fit its header. The message names the file and the fix.
    """
    if isinstance(source, pd.DataFrame):
        frame = source.copy()
        digest = sha256_bytes(frame.to_csv(index=False).encode("utf-8"))
        # a frame may carry the name of the file or generator it came from (maps show it)
        name = str(source.attrs.get("source_name") or "DataFrame")
        return RawSource(frame.reset_index(drop=True), name, digest, 1)
    path = Path(source)
    suffix = path.suffix.lower()
    if suffix not in _CSV + _XLSX + _VECTOR + _PARQUET and not path.is_dir():
        allowed = ", ".join(_CSV + _XLSX + _VECTOR + _PARQUET)
        raise _fail("galat_akhiran", lang, path, akhiran=suffix or "-", daftar=allowed)
    data = _read_bytes(path, lang)
    numbers = None
    sep = None
    if suffix in _CSV:
        frame, sep = _read_csv(path, data, lang)
    elif suffix in _XLSX:
        frame, numbers = _read_xlsx(path, data, sheet, lang)
    else:
        try:
            frame = gpd.read_file(path) if suffix in _VECTOR else gpd.read_parquet(path)
        except Exception as exc:  # driver text is not for analysts
            raise _fail("galat_format_rusak", lang, path, akhiran=suffix) from exc
    first_row = 1 if suffix in _VECTOR + _PARQUET else 2
    return RawSource(_unescape(frame), path.name, sha256_bytes(data), first_row, numbers, sep)


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
    frame: pd.DataFrame, notes: Sequence[list[tuple[str, dict[str, Any]]]]
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
