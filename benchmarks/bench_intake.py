"""Intake speed on a synthetic messy register (prints rows/s), and the intake figures of the
shipped messy demo register ``data/demo/kejadian_sintetis_pesisir_barat.csv``.

Run: ``PILKADA_RISK_MIRROR=../shared/data/upstream .venv/bin/python -m benchmarks.bench_intake [N]``
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

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


def demo_figures(kec: pd.DataFrame, desa: pd.DataFrame) -> None:
    """Print read / accepted / quarantined by reason / precision / repairs for the demo."""
    start = time.perf_counter()
    res = read_incidents(DEMO, areas=kec, desa=desa, as_of="2025-01-01")
    elapsed = time.perf_counter() - start
    print(f"demo register {DEMO.name}: seconds={elapsed:.2f}")
    print(res.summary().to_string())


def main(n: int = 10_000) -> None:
    kec, desa = load_kecamatan("18.13"), load_desa("18.13")
    demo_figures(kec, desa)
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
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
