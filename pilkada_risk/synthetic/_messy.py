"""Defects of real Polres registers, injected on known rows of a synthetic register.

Used by :func:`pilkada_risk.synthetic.simulate.simulate_incidents` with ``messy=True``. Every
defect hits a
disjoint, documented set of rows, so intake tests can check what it accepts, repairs and
quarantines (``DEFECTS`` gives the expected outcome and quarantine reason code of each).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from pilkada_risk.config.taxonomy import load_taxonomy

__all__ = ["DEFECTS", "DEFECT_RATES", "MESSY_HEADERS", "QUARANTINE_CODES", "make_messy"]

# Quarantine reason codes agreed with intake (pilkada_risk.intake.incidents); one per unusable row
# here.
QUARANTINE_CODES = {
    "tanggal_kosong": "tanggal kosong",
    "tanggal_tidak_terbaca": "tanggal tidak terbaca (mis. 31/02)",
    "tanggal_masa_depan": "tanggal di masa depan",
    "kategori_tidak_dikenal": "kategori tidak dikenal",
    "lokasi_tidak_ditemukan": "lokasi tidak ditemukan",
    "di_luar_wilayah": "titik di luar wilayah",
    "id_ganda": "id ganda",
    "nama_ambigu": "nama desa/pekon ambigu",
}
MESSY_HEADERS = {
    "id": "No. LP", "tanggal": "Tgl Kejadian", "kategori": "Jenis Kejadian",
    "kecamatan": "Kecamatan", "desa": "Desa/Pekon", "lintang": "Lintang", "bujur": "Bujur",
    "korban": "Korban", "sumber": "Sumber", "keterangan": "Uraian",
}  # fmt: skip
# defect -> (expected intake outcome, quarantine reason code or "")
DEFECTS = {
    "format_tanggal": ("accepted", ""),
    "koma_desimal": ("accepted", ""),
    "koordinat_kosong": ("accepted", ""),
    "nama_kecamatan_lama": ("accepted", ""),
    "kategori_ejaan": ("accepted", ""),
    "koordinat_tertukar": ("accepted_repaired", ""),
    **{code: ("quarantined", code) for code in QUARANTINE_CODES},
}
# Share of register rows per defect (at least one row when the rate is positive and rows qualify).
DEFECT_RATES = {
    "format_tanggal": 0.12, "koma_desimal": 0.04, "koordinat_kosong": 0.04,
    "nama_kecamatan_lama": 0.03, "kategori_ejaan": 0.04, "koordinat_tertukar": 0.02,
    "id_ganda": 0.01, "tanggal_kosong": 0.003, "tanggal_tidak_terbaca": 0.003,
    "tanggal_masa_depan": 0.003, "kategori_tidak_dikenal": 0.003,
    "lokasi_tidak_ditemukan": 0.003, "di_luar_wilayah": 0.003, "nama_ambigu": 0.003,
}  # fmt: skip
# Former names (BPS 2018) and spelling variants of Pesisir Barat kecamatan.
OLD_NAMES = {"18.13.10": "Bengkunat", "18.13.11": "Bengkunat Belimbing", "18.13.06": "Pulaupisang"}
CATEGORY_VARIANTS = {
    "curanmor": ("CURANMOR", "Pencurian Kendaraan Bermotor", "pencurian motor"),
    "penganiayaan": ("penganiyaan", "Penganiayan", "PENGANIAYAAN "),
    "curat": ("pencurian dengan pemberatan", "Curat."),
    "curas": ("begal", "Pencurian Dengan Kekerasan"),
    "narkotika": ("narkoba", "sabu"),
    "perjudian": ("judi", "togel"),
    "politik_uang": ("Money politic", "serangan fajar", "Money Politics"),
    "hoaks_sara": ("hoax", "Ujaran Kebencian"),
    "perusakan_apk": ("pengrusakan APK", "Perusakan APK"),
    "unjuk_rasa": ("demo", "demonstrasi"),
    "penipuan": ("tipu", "Penipuan."),
}
NONSENSE_CATEGORIES = ("lain-lain", "zzz", "qwerty", "xx-00")
IMPOSSIBLE_DAYS = ("31/02", "30/02", "31/04", "31/06", "31/09", "31/11", "32/01", "00/05")
FUTURE_YEAR = 2042  # the 2024 -> 2042 digit swap of a hurried typist
_BULAN = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agt", "Sep", "Okt", "Nop", "Des")
_BULAN_PANJANG = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
    "September", "Oktober", "November", "Desember",
)  # fmt: skip
_MON_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _base_category_text() -> dict[str, str]:
    """Register wording of each code: its first synonym with a capital initial."""
    frame = load_taxonomy().frame
    return {
        str(c): str(s[0]).capitalize() for c, s in zip(frame["code"], frame["sinonim"], strict=True)
    }


def _date_variant(ts: pd.Timestamp, kind: int) -> str:
    d, m, y = ts.day, ts.month, ts.year
    return (
        f"{d:02d}-{m:02d}-{y}",
        f"{d} {_BULAN[m - 1]} {y}",
        f"{d} {_BULAN_PANJANG[m - 1]} {y}",
        f"{d:02d}-{_MON_EN[m - 1]}-{y % 100:02d}",
        str((ts - pd.Timestamp("1899-12-30")).days),  # Excel serial
        ts.strftime("%Y-%m-%d"),
    )[kind]


def make_messy(
    register: pd.DataFrame,
    *,
    units: gpd.GeoDataFrame,
    areas: gpd.GeoDataFrame,
    rng: np.random.Generator,
    rates: Mapping[str, float] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """Return ``(messy register, defect_rows, defect counts)`` for a canonical register.

    The messy register has the headers of ``MESSY_HEADERS``, all values as text, dates as
    ``dd/mm/yyyy`` unless a defect says otherwise, and one inserted copy per ``id_ganda`` row
    (right after its original, which stays clean). ``register`` is not modified.
    """
    r = _rates(rates)
    n = len(register)
    tanggal = pd.to_datetime(register["tanggal"])
    words = _base_category_text()
    text = {
        c: s.to_numpy(dtype=object).copy()
        for c, s in {
            "id": register["id"].astype(str),
            "tanggal": tanggal.dt.strftime("%d/%m/%Y"),
            "kategori": register["kategori"].map(words).astype(str),
            "kecamatan": register["kecamatan"].astype(str),
            "desa": register["desa"].astype(str),
            "lintang": register["lintang"].map("{:.6f}".format),
            "bujur": register["bujur"].map("{:.6f}".format),
            "korban": register["korban"].astype(int).astype(str),
            "sumber": register["sumber"].astype(str),
            "keterangan": register["keterangan"].astype(str),
        }.items()
    }
    kec_kode = dict(zip(units["kec_nama"], units["kec_kode"], strict=False))
    kode = register["kecamatan"].map(kec_kode).to_numpy()
    desa_names = units.loc[units["desa_nama"] != "", "desa_nama"]
    ambiguous = set(desa_names[desa_names.duplicated()])
    eligible: dict[str, np.ndarray] = {
        "nama_kecamatan_lama": np.isin(kode, list(OLD_NAMES)),
        "kategori_ejaan": register["kategori"].isin(list(CATEGORY_VARIANTS)).to_numpy(),
        "nama_ambigu": register["desa"].isin(list(ambiguous)).to_numpy(),
    }
    free = np.ones(n, dtype=bool)
    chosen: dict[str, np.ndarray] = {}
    # Constrained defects first, so that their few eligible rows are still free.
    for name in sorted(DEFECTS, key=lambda k: (k not in eligible, list(DEFECTS).index(k))):
        pool = np.flatnonzero(free & eligible.get(name, np.ones(n, dtype=bool)))
        k = min(len(pool), max(1, round(r[name] * n))) if r[name] > 0 else 0
        pick = np.sort(rng.choice(pool, size=k, replace=False)) if k else np.array([], int)
        chosen[name] = pick
        free[pick] = False
    _apply(text, register, tanggal, chosen, rng, areas)
    out = pd.DataFrame(text).astype(str)

    messy, defect_rows = _with_duplicates(out, chosen, n)
    defects = {name: len(idx) for name, idx in chosen.items()}
    return messy.rename(columns=MESSY_HEADERS), defect_rows, defects


def _rates(rates: Mapping[str, float] | None) -> dict[str, float]:
    r = dict(DEFECT_RATES)
    for key, value in (rates or {}).items():
        if key not in r:
            raise ValueError(f"defect_rates: unknown defect {key!r}; allowed: {', '.join(r)}")
        if not 0 <= float(value) <= 0.5:
            raise ValueError(f"defect_rates[{key!r}]={value!r}: give a share between 0 and 0.5")
        r[key] = float(value)
    return r


def _with_duplicates(
    out: pd.DataFrame, chosen: dict[str, np.ndarray], n: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Insert the ``id_ganda`` copies after their originals; list every defect's position."""
    dup = chosen["id_ganda"]
    copies = np.zeros(n, dtype=int)
    copies[dup] = 1
    order = np.repeat(np.arange(n), 1 + copies)
    messy = out.iloc[order].reset_index(drop=True)
    pos_of = np.cumsum(1 + copies) - 1 - copies  # position of each original row
    rows: list[dict[str, Any]] = []
    for name, idx in chosen.items():
        outcome, code = DEFECTS[name]
        for i in idx:
            pos = int(pos_of[i] + (1 if name == "id_ganda" else 0))
            rows.append(
                {"posisi": pos, "defect": name, "expected_outcome": outcome, "alasan_kode": code}
            )
    defect_rows = pd.DataFrame(
        rows, columns=["posisi", "defect", "expected_outcome", "alasan_kode"]
    )
    defect_rows = defect_rows.sort_values("posisi", ignore_index=True)
    defect_rows.insert(1, "baris", defect_rows["posisi"] + 2)
    defect_rows.insert(2, "id", messy["id"].to_numpy()[defect_rows["posisi"].to_numpy()])
    return messy, defect_rows


def _apply(
    out: dict[str, np.ndarray],
    register: pd.DataFrame,
    tanggal: pd.Series,
    chosen: dict[str, np.ndarray],
    rng: np.random.Generator,
    areas: gpd.GeoDataFrame,
) -> None:
    """Write each defect into ``out`` (private object arrays, one per column) on its rows."""

    def put(name: str, column: str, values: Any) -> None:
        out[column][chosen[name]] = values

    idx = chosen["format_tanggal"]
    kinds = rng.integers(0, 6, len(idx))
    put(
        "format_tanggal",
        "tanggal",
        [_date_variant(tanggal.iloc[i], k) for i, k in zip(idx, kinds, strict=True)],
    )
    for c in ("lintang", "bujur"):
        put("koma_desimal", c, [v.replace(".", ",") for v in out[c][chosen["koma_desimal"]]])
    sw = chosen["koordinat_tertukar"]
    lat, lon = out["lintang"][sw].copy(), out["bujur"][sw].copy()
    put("koordinat_tertukar", "lintang", lon)
    put("koordinat_tertukar", "bujur", lat)
    for name in ("koordinat_kosong", "nama_ambigu", "lokasi_tidak_ditemukan"):
        put(name, "lintang", "")
        put(name, "bujur", "")
    kec_code = dict(zip(areas["nama"], areas["kode"], strict=False))
    old = [
        OLD_NAMES[kec_code[k]] for k in register["kecamatan"].iloc[chosen["nama_kecamatan_lama"]]
    ]
    put("nama_kecamatan_lama", "kecamatan", old)
    variants = [
        CATEGORY_VARIANTS[c][int(rng.integers(len(CATEGORY_VARIANTS[c])))]
        for c in register["kategori"].iloc[chosen["kategori_ejaan"]]
    ]
    put("kategori_ejaan", "kategori", variants)
    put("tanggal_kosong", "tanggal", "")
    bad = chosen["tanggal_tidak_terbaca"]
    days = rng.choice(IMPOSSIBLE_DAYS, len(bad))
    put(
        "tanggal_tidak_terbaca",
        "tanggal",
        [f"{d}/{tanggal.iloc[i].year}" for d, i in zip(days, bad, strict=True)],
    )
    fut = chosen["tanggal_masa_depan"]
    put(
        "tanggal_masa_depan",
        "tanggal",
        [tanggal.iloc[i].strftime(f"%d/%m/{FUTURE_YEAR}") for i in fut],
    )
    put(
        "kategori_tidak_dikenal",
        "kategori",
        list(rng.choice(NONSENSE_CATEGORIES, len(chosen["kategori_tidak_dikenal"]))),
    )
    for name in ("nama_ambigu", "lokasi_tidak_ditemukan", "di_luar_wilayah"):
        put(name, "kecamatan", "")
    for name in ("lokasi_tidak_ditemukan", "di_luar_wilayah"):
        put(name, "desa", "")
    for name in ("nama_ambigu", "lokasi_tidak_ditemukan", "di_luar_wilayah"):
        put(name, "keterangan", "Kejadian sintetis: lokasi tidak lengkap. Data latihan.")
    far = chosen["di_luar_wilayah"]
    west, south, east, north = areas.to_crs(4326).total_bounds
    put("di_luar_wilayah", "lintang", [f"{v:.6f}" for v in rng.uniform(south, north, len(far))])
    put("di_luar_wilayah", "bujur", [f"{v:.6f}" for v in east + rng.uniform(1.0, 1.5, len(far))])
