"""Intake speed on a synthetic messy register (prints rows/s), the intake figures of the
shipped messy demo register ``data/demo/kejadian_sintetis_pesisir_barat.csv``, and the cost of
intake on a clean register against a hand-written ``read_csv`` + ``sjoin`` floor in the same run
(the ratio the analyst pays for checks, repairs and the quarantine; target <= 4).

Run: ``.venv/bin/python -m benchmarks.bench_intake [N]
[CLEAN_N]`` (``CLEAN_N`` 1000000 for the national-size figure).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from pilkada_risk.geo.boundaries import load_desa, load_kecamatan
from pilkada_risk.intake.incidents import read_incidents

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo" / "kejadian_sintetis_pesisir_barat.csv"


def messy_register(desa: pd.DataFrame, n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(desa), n)
    pts = desa.geometry.representative_point().to_numpy()[pick]
    lat = np.array([p.y for p in pts]) + rng.normal(0, 0.001, n)
    lon = np.array([p.x for p in pts]) + rng.normal(0, 0.001, n)
    days = pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 2190, n), unit="D")
    fmt = rng.integers(0, 3, n)
    tanggal = np.where(
        fmt == 0,
        days.strftime("%d/%m/%Y"),
        np.where(fmt == 1, days.strftime("%Y-%m-%d"), days.strftime("%d %b %Y")),
    )
    jenis = rng.choice(["Politik uang", "curas", "pencurian motor", "demo", "judi", "xyz"], n)
    lat_s = np.where(
        rng.random(n) < 0.3,
        np.char.replace(lat.round(5).astype(str), ".", ","),
        lat.round(5).astype(str),
    )
    no_coord = rng.random(n) < 0.2
    return pd.DataFrame(
        {
            "No": np.arange(1, n + 1),
            "Tanggal": tanggal,
            "Jenis Kejadian": jenis,
            "Kecamatan": desa["kec_nama"].to_numpy()[pick],
            "Pekon": desa["nama"].to_numpy()[pick],
            "Lintang": np.where(no_coord, "", lat_s),
            "Bujur": np.where(no_coord, "", lon.round(5)),
        }
    )


def clean_register(desa: pd.DataFrame, n: int, seed: int = 0) -> pd.DataFrame:
    """A clean register: unique ids, ISO dates, shipped category labels, decimal coordinates."""
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(desa), n)
    pts = desa.geometry.representative_point()
    lat = pts.y.to_numpy()[pick] + rng.normal(0, 0.0005, n)
    lon = pts.x.to_numpy()[pick] + rng.normal(0, 0.0005, n)
    days = pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 2000, n), unit="D")
    jenis = rng.choice(["politik uang", "curas", "curanmor", "unjuk rasa", "perjudian"], n)
    return pd.DataFrame(
        {
            "id": [f"LP-{i:07d}" for i in range(n)],
            "tanggal": days.strftime("%Y-%m-%d"),
            "kategori": jenis,
            "kecamatan": desa["kec_nama"].to_numpy()[pick],
            "lat": lat.round(5),
            "lon": lon.round(5),
            "korban": rng.integers(0, 3, n),
        }
    )


def floor_read(path: Path, kec: gpd.GeoDataFrame, desa: gpd.GeoDataFrame) -> int:
    """What a hand-written script does: read_csv, parse dates, two spatial joins."""
    frame = pd.read_csv(path, sep=";", dtype={"id": str})
    frame["tanggal"] = pd.to_datetime(frame["tanggal"], format="%Y-%m-%d")
    points = gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=4326
    )
    joined = gpd.sjoin(points, kec[["kode", "geometry"]], how="left", predicate="within")
    joined = joined.drop(columns="index_right").rename(columns={"kode": "kec_kode"})
    joined = gpd.sjoin(joined, desa[["kode", "geometry"]], how="left", predicate="within")
    return int(joined["kec_kode"].notna().sum())


def intake_ratio(kec: gpd.GeoDataFrame, desa: gpd.GeoDataFrame, n: int) -> float:
    """Print intake vs floor seconds on a clean ``n``-row register; return the ratio."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "register_bersih.csv"
        clean_register(desa, n).to_csv(path, sep=";", index=False)
        start = time.perf_counter()
        placed = floor_read(path, kec, desa)
        floor = time.perf_counter() - start
        start = time.perf_counter()
        res = read_incidents(path, areas=kec, desa=desa, as_of="2025-01-01")
        ours = time.perf_counter() - start
    ratio = ours / floor
    print(
        f"clean register rows={n} intake_s={ours:.2f} floor_s={floor:.2f} "
        f"(read_csv + to_datetime + 2 sjoin) ratio={ratio:.2f} "
        f"accepted={len(res.accepted)} quarantined={len(res.quarantine)} floor_placed={placed}"
    )
    return ratio


def demo_figures(kec: pd.DataFrame, desa: pd.DataFrame) -> None:
    """Print read / accepted / quarantined by reason / precision / repairs for the demo."""
    start = time.perf_counter()
    res = read_incidents(DEMO, areas=kec, desa=desa, as_of="2025-01-01")
    elapsed = time.perf_counter() - start
    print(f"demo register {DEMO.name}: seconds={elapsed:.2f}")
    print(res.summary().to_string())


def main(n: int = 10_000, clean_n: int = 100_000) -> None:
    kec, desa = load_kecamatan("18.13"), load_desa("18.13")
    demo_figures(kec, desa)
    intake_ratio(kec, desa, clean_n)
    frame = messy_register(desa, n)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "register.csv"
        frame.to_csv(path, sep=";", index=False)
        read_incidents(path, areas=kec, desa=desa)  # warm caches
        start = time.perf_counter()
        res = read_incidents(path, areas=kec, desa=desa)
        elapsed = time.perf_counter() - start
    print(f"rows={n} seconds={elapsed:.2f} rows_per_s={n / elapsed:,.0f}")
    print(res.summary().to_string())


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
