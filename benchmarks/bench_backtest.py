"""Benchmark of the rolling-origin backtest on simulated data (SYNTHETIC, known truth).

Prints, per kabupaten, the mean over seeds of each method's metrics at k = 1, 3 and ~25% of
the units, the model's win/tie/loss record against each baseline, the verdict of one run and
the timings (serial and ``n_jobs=2``). Run: ``.venv/bin/python benchmarks/bench_backtest.py``.
"""

from __future__ import annotations

import os
import sys
import time
import warnings
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
os.environ.setdefault("PILKADA_RISK_MIRROR", str(REPO.parent / "shared" / "data" / "upstream"))
os.environ.setdefault("PILKADA_RISK_CACHE", str(REPO / ".pytest_cache" / "pilkada-risk"))

from pilkada_risk.backtest import backtest  # noqa: E402
from pilkada_risk.boundaries import load_desa, load_kecamatan  # noqa: E402
from pilkada_risk.simulate import simulate_incidents  # noqa: E402

CASES = {"18.13": (0, 1, 2, 3, 4), "18.01": (0, 1, 2)}
SHOW = ["hit_rate", "pai", "pei_count", "pei_area", "spearman", "poisson_deviance"]


def simulated(areas: pd.DataFrame, desa: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, object]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sim = simulate_incidents(areas, desa=desa, seed=seed)
    raw = sim.incidents
    by_name = dict(zip(areas["nama"], areas["kode"].astype(str), strict=True))
    inc = raw.assign(tanggal=pd.to_datetime(raw["tanggal"]), kec_kode=raw["kecamatan"].map(by_name))
    return inc.dropna(subset=["kec_kode"]), sim.context


def main() -> None:
    pd.set_option("display.width", 160)
    pd.set_option("display.max_rows", 200)
    for kab, seeds in CASES.items():
        areas, desa = load_kecamatan(kab), load_desa(kab)
        summaries, times = [], []
        for seed in seeds:
            inc, context = simulated(areas, desa, seed)
            t0 = time.perf_counter()
            res = backtest(inc, areas, context=context, progress=False, seed=seed)
            times.append(time.perf_counter() - t0)
            summaries.append(res.summary().assign(seed=seed))
            if seed == seeds[0]:
                n_orig = res.metrics["origin"].nunique()
                print(
                    f"\n=== {kab}: {len(areas)} kecamatan, {len(inc)} incidents (seed {seed}),"
                    f" {n_orig} origins, horizon 90D ==="
                )
                print(res.verdict(lang="en"))
        allsum = pd.concat(summaries)
        k25 = max(1, round(0.25 * len(areas)))
        keep = allsum["metric"].isin(SHOW) & (allsum["k"].isna() | allsum["k"].isin([1, 3, k25]))
        table = (
            allsum[keep]
            .groupby(["metric", "k", "method"], dropna=False, sort=False)
            .agg(
                mean=("mean", "mean"),
                wins=("model_wins", "sum"),
                ties=("ties", "sum"),
                losses=("model_losses", "sum"),
            )
        )
        print(f"\nMean over seeds {seeds} (wins/ties/losses = model vs that method, all windows):")
        print(table.round(3).to_string())
        print(
            f"\ntime per backtest (n_jobs=1): mean {sum(times) / len(times):.1f} s,"
            f" max {max(times):.1f} s"
        )
        if kab == "18.13":
            inc, context = simulated(areas, desa, 0)
            t0 = time.perf_counter()
            backtest(inc, areas, context=context, progress=False, n_jobs=2)
            print(f"time with n_jobs=2: {time.perf_counter() - t0:.1f} s")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
