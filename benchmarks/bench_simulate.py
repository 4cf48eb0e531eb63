"""Timings and figures of the synthetic generator. Run: ``python -m benchmarks.bench_simulate``."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pandas as pd

os.environ.setdefault(
    "PILKADA_RISK_MIRROR", str(Path(__file__).resolve().parents[2] / "shared" / "data" / "upstream")
)

from pilkada_risk.geo.boundaries import load_desa, load_kecamatan
from pilkada_risk.synthetic.simulate import simulate_incidents


def main() -> None:
    for kab in ("18.13", "18.01"):
        areas, desa = load_kecamatan(kab), load_desa(kab)
        for messy in (False, True):
            t0 = time.perf_counter()
            sim = simulate_incidents(areas, desa=desa, seed=0, messy=messy)
            dt = time.perf_counter() - t0
            print(f"{kab} messy={messy}: {len(sim.incidents):,} rows in {dt:.2f} s")
        ev = sim.events
        per_year = ev.groupby(ev["tanggal"].dt.year).size().to_dict()
        counts = ev["kec_kode"].value_counts().reindex(sim.truth["kode"], fill_value=0)
        rho = sim.truth["lambda_year"].corr(pd.Series(counts.to_numpy()), method="spearman")
        print(f"  per year {per_year}")
        share = (ev["fase"] != "").mean()
        print(
            f"  share in election windows {share:.1%}; origin {ev['asal'].value_counts().to_dict()}"
        )
        print(f"  Spearman(lambda_year, counts) = {rho:.3f}")
        print(f"  defects {sim.defects}")


if __name__ == "__main__":
    main()
