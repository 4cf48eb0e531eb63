"""Read a KPU/Bawaslu TPS (polling station) table, normalise it and quarantine what cannot be used.

The same ledger rule as for incidents: every source row ends in exactly one of
``IntakeResult.accepted`` or ``IntakeResult.quarantine`` (with row, column, value and reason).
Headers are recognised by :data:`TPS_ALIASES`, the place headers of
:data:`pilkada_risk.intake._headers.HEADER_ALIASES` and, for the Bawaslu TPS-rawan indicators,
the ``alias`` lists of the profile's ``[tps.indikator.*]`` tables. Rules for analysts:
``docs/rencana.md``.
"""

from __future__ import annotations

import os
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from pilkada_risk.config.columns import validate_columns
from pilkada_risk.config.i18n import check_lang, label
from pilkada_risk.config.profile import load_profile
from pilkada_risk.geo.boundaries import load_desa, load_kecamatan
from pilkada_risk.intake._headers import HEADER_ALIASES, WEAK_ID_KEYS, header_key
from pilkada_risk.intake._place_names import place_names
from pilkada_risk.intake._tps_fields import (
    DPT_MAX,
    dpt_column,
    flag_columns,
    khusus_column,
    parse_flag,
    tps_numbers,
)
from pilkada_risk.intake.column_parsing import parse_coordinates
from pilkada_risk.intake.parsing import is_missing
from pilkada_risk.intake.readers import geometry_to_columns, read_source
from pilkada_risk.intake.result import IntakeResult, RowLog, _quarantine

__all__ = ["DPT_MAX", "TPS_ALIASES", "parse_flag", "read_tps"]

#: Headers of the TPS-specific fields (as header keys), most specific first.
TPS_ALIASES: dict[str, tuple[str, ...]] = {
    "tps": ("no_tps", "nomor_tps", "tps", "tps_no", "kode_tps", "id_tps", "nama_tps", "tps_ke"),
    "dpt": ("dpt", "jumlah_dpt", "jml_dpt", "jumlah_pemilih", "pemilih", "jml_pemilih", "voters"),
    "khusus": ("tps_khusus", "khusus", "jenis_tps", "tipe_tps", "special"),
}
_PLACE = {"kecamatan": HEADER_ALIASES["kecamatan"], "desa": HEADER_ALIASES["desa"]}
_POINT = {k: HEADER_ALIASES[k] for k in ("lat", "lon")}


class _TpsLog(RowLog):
    """A :class:`RowLog` whose reasons come from the ``tps`` label namespace."""

    def problem(self, i: int, code: str, kolom: str, value: Any, /, **params: Any) -> None:
        text = label(f"tps.{code}", self.lang, **params)
        self.problems[i].append((code, kolom, "" if is_missing(value) else str(value), text))


def _columns(
    columns: pd.Index, indicators: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Source column per field and per indicator (each column used once, leftmost first)."""
    keys: dict[str, Any] = {}
    for col in columns:
        keys.setdefault(header_key(col), col)
    used: set[Any] = set()

    def pick(aliases: tuple[str, ...] | list[str]) -> Any:
        found = next((keys[a] for a in aliases if a in keys and keys[a] not in used), None)
        if found is not None:
            used.add(found)
        return found

    fields = {f: pick(a) for f, a in {**TPS_ALIASES, **_PLACE, **_POINT}.items()}
    fields["koordinat"] = pick(HEADER_ALIASES["koordinat"])
    found = {name: pick(spec.get("alias", [name])) for name, spec in indicators.items()}
    return {k: v for k, v in fields.items() if v is not None}, {
        k: v for k, v in found.items() if v is not None
    }


def _layers(
    kab_kode: str | None, areas: gpd.GeoDataFrame | None, desa: gpd.GeoDataFrame | None, lang: str
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The kecamatan and desa layers: as given, else loaded for ``kab_kode``."""
    if areas is not None and desa is not None:
        return areas, desa
    if kab_kode is None:
        raise ValueError(label("tps.galat_tanpa_wilayah", lang))

    return (
        load_kecamatan(kab_kode) if areas is None else areas,
        load_desa(kab_kode) if desa is None else desa,
    )


def _blank_rows(raw: pd.DataFrame) -> np.ndarray:
    """Rows without content; a running row number ("No") alone does not make a row."""
    content = raw[[c for c in raw.columns if header_key(c) not in WEAK_ID_KEYS]]
    if not len(raw) or not len(content.columns):
        return np.ones(len(raw), bool)
    return content.apply(lambda c: c.map(is_missing)).all(axis=1).to_numpy()


def _require(cols: dict[str, Any], columns: pd.Index, lang: str) -> None:
    alias = "; ".join(f"{f}: {', '.join(a)}" for f, a in {**TPS_ALIASES, **_PLACE}.items())
    validate_columns(
        pd.DataFrame(columns=columns),
        ("tps", "desa", "dpt"),
        what="tps",
        lang=lang,
        recognised=cols,
        fix=label("tps.saran_alias", lang, alias=alias),
    )


def read_tps(
    source: str | os.PathLike[str] | pd.DataFrame,
    *,
    kab_kode: str | None = None,
    areas: gpd.GeoDataFrame | None = None,
    desa: gpd.GeoDataFrame | None = None,
    profile: Any = None,
    sheet: str | int | None = None,
    lang: str = "id",
) -> IntakeResult:
    """Read a TPS list; return accepted TPS and the quarantine.

    Parameters
    ----------
    source
        CSV, XLSX, GeoJSON/GeoParquet or a (Geo)DataFrame (never modified) with a TPS number,
        desa/kelurahan, optionally kecamatan, DPT, optional coordinates, optional Bawaslu
        indicator columns (Ya/Tidak, yes/no, 1/0; headers from the profile's
        ``[tps.indikator.*] alias``) and an optional TPS khusus column (Ya/Tidak, or text such as
        "Khusus", "Lapas", "Rutan", "Panti", "Relokasi" vs "Reguler").
    kab_kode
        Load the kecamatan and desa layers of this kabupaten (e.g. ``"18.13"``) ...
    areas, desa
        ... or pass them (:func:`pilkada_risk.load_kecamatan`, :func:`pilkada_risk.load_desa`).
    profile
        Risk profile (``None``: the default) whose indicators are recognised.
    sheet
        XLSX sheet name or index (default: every non-empty sheet, stacked with a ``lembar``
        column; rows are numbered per sheet as Excel shows them).
    lang
        ``"id"`` or ``"en"`` for quarantine reasons and notes.

    Returns
    -------
    IntakeResult
        ``accepted`` has ``tps_id`` (``<desa_kode>-<nnn>``), ``no_tps``, ``kec_kode``,
        ``desa_kode``, ``desa_nama``, ``dpt``, ``khusus``, one boolean column per indicator of
        the profile (False when the table lacks it), ``indikator`` (flagged ones, ``"; "``-joined),
        ``geometry`` (the TPS point, or empty), ``lokasi_presisi`` (``titik``/``desa``),
        ``catatan_intake``, ``baris``; ``attrs["indikator_kolom"]`` maps the indicators found to
        their source columns.

    Examples
    --------
    >>> from pilkada_risk.synthetic.tps import load_demo_tps
    >>> hasil = read_tps(load_demo_tps("18.13"), kab_kode="18.13")  # the SYNTHETIC demo list
    >>> len(hasil.accepted), len(hasil.quarantine)
    (293, 0)
    """
    check_lang(lang)
    areas, desa = _layers(kab_kode, areas, desa, lang)
    spec = load_profile(profile).section("tps")["indikator"]
    src = read_source(source, sheet, lang)
    n = len(src.frame)
    rows = _TpsLog(n, lang)
    raw = geometry_to_columns(src.frame, rows.notes)
    cols, ind_cols = _columns(raw.columns, spec)
    _require(cols, raw.columns, lang)
    baris = pd.Series(src.numbers(), dtype="Int64")  # as in the file (per sheet)
    blank = _blank_rows(raw)
    for i in np.flatnonzero(blank).tolist():
        rows.problem(i, "baris_kosong", "", "")
    numbers = tps_numbers(raw[cols["tps"]], cols["tps"], rows, blank)
    dpt = dpt_column(raw[cols["dpt"]], cols["dpt"], rows, blank)
    flags = flag_columns(raw, ind_cols, spec, rows, blank)
    khusus = khusus_column(raw, cols.get("khusus"), rows, blank)
    place = _place(raw, cols, areas, desa, rows, blank)
    points = _points(raw, cols, place, areas, rows)
    _duplicates(place, numbers, baris, cols["tps"], rows)
    parts: dict[str, list[Any]] = dict(numbers=numbers, dpt=dpt, khusus=khusus, points=points)
    kolom = {k: str(v) for k, v in ind_cols.items()}
    accepted = _accepted(place, flags, parts, baris, rows)
    accepted.attrs.update(source_name=src.name, source_sha256=src.sha256)
    accepted.attrs.update(synthetic=_synthetic(src.name, raw), indikator_kolom=kolom)
    quarantine = _quarantine(raw, rows.rejected(), baris, rows)
    return IntakeResult(accepted, quarantine, n, src.name, src.sha256, _repairs(rows))


def _place(
    raw: pd.DataFrame,
    cols: dict[str, Any],
    areas: gpd.GeoDataFrame,
    desa: gpd.GeoDataFrame,
    rows: RowLog,
    blank: np.ndarray,
) -> pd.DataFrame:
    none = pd.Series(None, index=raw.index, dtype=object)
    kec_raw = raw[cols["kecamatan"]].astype(object) if "kecamatan" in cols else none
    desa_raw = raw[cols["desa"]].astype(object)
    found = place_names(kec_raw, desa_raw, areas, desa)
    names = dict(zip(desa["kode"].astype(str), desa["nama"].astype(str), strict=True))
    kec_names = dict(zip(areas["kode"].astype(str), areas["nama"].astype(str), strict=True))
    out = pd.DataFrame({"kec_kode": None, "desa_kode": None, "desa_nama": ""}, index=raw.index)
    for i, rec in enumerate(found.to_dict("records")):
        value = desa_raw.iat[i]
        if blank[i]:
            continue
        if is_missing(value):
            rows.problem(i, "desa_kosong", cols["desa"], value)
        elif rec["masalah"] == "nama_ambigu":
            rows.problem(
                i, "nama_ambigu", cols["desa"], value, nilai=str(value), kandidat=rec["kandidat"]
            )
        elif rec["desa_kode"] is None:
            kec = rec["kec_kode"]
            di_kec = f" (Kec. {kec_names[kec]})" if kec in kec_names else ""
            rows.problem(
                i, "desa_tidak_ditemukan", cols["desa"], value, nilai=str(value), di_kec=di_kec
            )
        else:
            code = str(rec["desa_kode"])
            out.iloc[i] = [code[:8], code, names.get(code, "")]
            rows.notes[i].extend(n for n in rec["catatan"] if n[0] != "desa_tidak_di_kec")
    return out


def _points(
    raw: pd.DataFrame,
    cols: dict[str, Any],
    place: pd.DataFrame,
    areas: gpd.GeoDataFrame,
    rows: RowLog,
) -> list[Any]:
    """TPS points inside the kecamatan of their desa (swapped lat/lon repaired); else None."""
    if not {"lat", "lon"} <= set(cols):
        return [None] * len(raw)
    lat, lat_err = parse_coordinates(raw[cols["lat"]])
    lon, lon_err = parse_coordinates(raw[cols["lon"]])
    y, x = lat.to_numpy(dtype=float), lon.to_numpy(dtype=float)
    swap = (np.abs(y) > 20) & (np.abs(x) <= 20)
    y, x = np.where(swap, x, y), np.where(swap, y, x)
    polygons = dict(zip(areas["kode"].astype(str), areas.geometry.to_crs(4326), strict=True))
    pts = gpd.points_from_xy(x, y)
    out: list[Any] = []
    for i, (kec, point) in enumerate(zip(place["kec_kode"], pts, strict=True)):
        given = not (is_missing(raw[cols["lat"]].iat[i]) and is_missing(raw[cols["lon"]].iat[i]))
        ok = np.isfinite(x[i]) and np.isfinite(y[i]) and kec is not None
        inside = ok and polygons[kec].buffer(0.01).contains(point)  # ~1 km of slack
        if given and kec is not None and not inside:
            broken = lat_err.iat[i] or lon_err.iat[i]
            detail = label(f"tps.koordinat_{'rusak' if broken else 'di_luar'}", rows.lang)
            value = f"{raw[cols['lat']].iat[i]}, {raw[cols['lon']].iat[i]}"
            rows.note(i, "koordinat_diabaikan", nilai=value, detail=detail)
        out.append(point if inside else None)
    return out


def _duplicates(
    place: pd.DataFrame, numbers: list[int | None], baris: pd.Series, col: Any, rows: RowLog
) -> None:
    first: dict[tuple[str, int], int] = {}
    for i, (code, number) in enumerate(zip(place["desa_kode"], numbers, strict=True)):
        if code is None or number is None or rows.problems[i]:
            continue
        key = (str(code), int(number))
        if key in first:
            rows.problem(
                i,
                "tps_ganda",
                col,
                number,
                nomor=f"{number:03d}",
                baris_awal=int(baris.iat[first[key]]),
            )
        else:
            first[key] = i


def _accepted(
    place: pd.DataFrame,
    flags: pd.DataFrame,
    parts: dict[str, list[Any]],
    baris: pd.Series,
    rows: RowLog,
) -> gpd.GeoDataFrame:
    good = ~rows.rejected()
    keep = np.flatnonzero(good)
    numbers = [parts["numbers"][i] for i in keep]
    codes = place["desa_kode"].to_numpy()[keep]
    flagged = flags.iloc[keep].reset_index(drop=True)
    points = [parts["points"][i] for i in keep]
    notes = [
        "; ".join(_note(key, params, rows.lang) for key, params in rows.notes[i]) for i in keep
    ]
    frame = pd.DataFrame(
        {
            "tps_id": [f"{c}-{n:03d}" for c, n in zip(codes, numbers, strict=True)],
            "no_tps": pd.array(numbers, dtype="Int64"),
            "kec_kode": place["kec_kode"].to_numpy()[keep].astype(str),
            "desa_kode": codes.astype(str),
            "desa_nama": place["desa_nama"].to_numpy()[keep].astype(str),
            "dpt": pd.array([parts["dpt"][i] for i in keep], dtype="Int64"),
            "khusus": np.array([parts["khusus"][i] for i in keep], dtype=bool),
        }
    )
    frame = pd.concat([frame, flagged.astype(bool)], axis=1)
    frame["indikator"] = [
        "; ".join(c for c in flagged.columns if row[c]) for row in flagged.to_dict("records")
    ]
    frame["lokasi_presisi"] = ["titik" if p is not None else "desa" for p in points]
    frame["catatan_intake"] = pd.Series(notes, dtype=str)
    frame["baris"] = baris.to_numpy()[keep]
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(points, crs=4326), crs=4326)


def _note(key: str, params: dict[str, Any], lang: str) -> str:
    """A note in the analyst's language: TPS notes, else the place notes of incident intake."""
    try:
        return label(f"tps.{key}", lang, **params)
    except KeyError:
        return label(f"intake.{key}", lang, **params)


def _repairs(rows: RowLog) -> dict[str, int]:
    good = ~rows.rejected()
    counts: dict[str, int] = {}
    for i in np.flatnonzero(good):
        for key, _ in rows.notes[i]:
            counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def _synthetic(name: str, raw: pd.DataFrame) -> bool:
    if "sintetis" in name.lower() or "synthetic" in name.lower():
        return True
    keys = {header_key(c): c for c in raw.columns}
    col = keys.get("keterangan") or keys.get("sumber")
    values = raw[col].astype(str).str.upper() if col is not None else pd.Series(dtype=str)
    return bool(len(values)) and bool(values.str.contains("SINTETIS|SYNTHETIC").all())
