"""Benchmark of the rolling-origin backtest on simulated data (SYNTHETIC, known truth).

Simulated registers go through the real intake (``read_incidents`` with the kecamatan and desa
layers), and the simulator's context gives the exposure (DPT) of the model and of the
``eb_rate`` baseline. Prints, per kabupaten, the mean over seeds of each method's metrics at
k = 1, 3 and ~25% of the units, the model's win/tie/loss record against each baseline, the
verdict of one run, the timing, and the time of the whole default
backtest on the demo register ``data/demo/kejadian_sintetis_pesisir_barat.csv`` (the
"under a minute" target of issue 6). Simulator regimes: ``realistic`` (drift, fading surges,
zero-inflation; three seeds per kabupaten) and ``stationary`` (the 0.1.0 simulator, seed 0).
Run: ``.venv/bin/python -m benchmarks.bench_backtest [realistic] [stationary]``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
os.environ.setdefault("PILKADA_RISK_CACHE", str(REPO / ".pytest_cache" / "pilkada-risk"))

from pilkada_risk.geo.boundaries import load_desa, load_kecamatan  # noqa: E402
from pilkada_risk.intake.incidents import read_incidents  # noqa: E402
from pilkada_risk.synthetic.simulate import simulate_incidents  # noqa: E402
from pilkada_risk.validation.backtest import BASELINES, BacktestResult, backtest  # noqa: E402
from pilkada_risk.validation.result import _outcome, independent_origins  # noqa: E402

CASES = {
    "realistic": {"18.13": (0, 1, 2), "18.01": (0, 1, 2)},
    "stationary": {"18.13": (0,), "18.01": (0,)},
}
SHOW = ["hit_rate", "pai", "pei_count", "pei_area", "spearman", "poisson_deviance"]
DEMO = REPO / "data" / "demo" / "kejadian_sintetis_pesisir_barat.csv"


def simulated(
    areas: pd.DataFrame, desa: pd.DataFrame, seed: int, regime: str = "realistic"
) -> tuple[pd.DataFrame, object]:
    """A clean simulated register read through the real intake, and its context."""
    sim = simulate_incidents(areas, desa=desa, seed=seed, regime=regime)
    result = read_incidents(sim.incidents, areas=areas, desa=desa)
    if not result.quarantine.empty:
        raise RuntimeError(f"seed {seed}: {len(result.quarantine)} simulated rows quarantined")
    return result.accepted, sim.context


def compact(allsum: pd.DataFrame, k: int) -> pd.DataFrame:
    """One row per method: metrics at k (mean over seeds) and the model's record on hit rate."""
    at_k = allsum[allsum["k"].isna() | (allsum["k"] == k)]
    means = at_k.groupby(["method", "metric"], sort=False)["mean"].mean().unstack("metric")
    hr = at_k[at_k["metric"] == "hit_rate"].groupby("method", sort=False)
    record = hr[["model_wins", "ties", "model_losses"]].sum()
    wtl = record.astype(str).agg("/".join, axis=1).where(record.index != "model", "-")
    out = means[SHOW].assign(**{"model W/T/L (hit rate)": wtl})
    return out


def outcomes(res: BacktestResult, k: int) -> tuple[str, int]:
    """The verdict's call on hit rate at k against each baseline, and the windows tested.

    As in :meth:`BacktestResult.verdict`: direction from the mean over all windows, sign test
    on the non-overlapping windows only.
    """
    summary = res.summary()
    hr = summary[(summary["metric"] == "hit_rate") & (summary["k"] == k)].set_index("method")
    indep = independent_origins(res.metrics[["origin", "origin_kind"]], res.horizon)
    m = res.metrics
    sel = (m["metric"] == "hit_rate") & (m["k"] == k) & m["origin"].isin(indep)
    wide = m[sel].pivot_table(index="origin", columns="method", values="value", aggfunc="first")
    calls = []
    for other in BASELINES:
        diff = float(hr.at["model", "mean"] - hr.at[other, "mean"])
        d = (wide["model"] - wide[other]).dropna()
        wins, losses = int((d > 1e-9).sum()), int((d < -1e-9).sum())
        calls.append(
            f"{other} {_outcome(diff, wins, losses)} ({wins}/{len(d) - wins - losses}/{losses})"
        )
    return ", ".join(calls), len(indep)


def main() -> None:
    pd.set_option("display.width", 160)
    pd.set_option("display.max_rows", 200)
    regimes = sys.argv[1:] or list(CASES)
    for regime in regimes:
        print(f"\n##### simulator regime: {regime} #####")
        _run_cases(regime, CASES[regime])
    demo()
    sys.stdout.flush()


def _run_cases(regime: str, cases: dict[str, tuple[int, ...]]) -> None:
    for kab, seeds in cases.items():
        areas, desa = load_kecamatan(kab), load_desa(kab)
        k25 = max(1, round(0.25 * len(areas)))
        summaries, times = [], []
        for seed in seeds:
            inc, context = simulated(areas, desa, seed, regime)
            t0 = time.perf_counter()
            res = backtest(inc, areas, context=context, progress=False, seed=seed)
            times.append(time.perf_counter() - t0)
            summaries.append(res.summary().assign(seed=seed))
            calls, n_indep = outcomes(res, k25)
            print(f"{kab} seed {seed} ({n_indep} non-overlapping windows tested): model vs {calls}")
            if seed == seeds[0]:
                n_orig = res.metrics["origin"].nunique()
                print(
                    f"\n=== {kab}: {len(areas)} kecamatan, {len(inc)} incidents (seed {seed}),"
                    f" {n_orig} origins, horizon 90D, eb_rate exposure {res.exposure_basis} ==="
                )
                print(res.verdict(lang="en"))
        allsum = pd.concat(summaries)
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
        print(f"\nCompact, k = {k25} (~25% of units), mean over seeds {seeds}:")
        print(compact(allsum, k25).round(3).to_string())
        print(
            f"\ntime per backtest (n_jobs=1): mean {sum(times) / len(times):.1f} s,"
            f" max {max(times):.1f} s"
        )


def demo() -> None:
    """The whole default backtest on the (messy) demo register, boundaries and intake included."""
    t0 = time.perf_counter()
    areas, desa = load_kecamatan("18.13"), load_desa("18.13")
    result = read_incidents(DEMO, areas=areas, desa=desa)
    t1 = time.perf_counter()
    res = backtest(result.accepted, areas, progress=False)
    t2 = time.perf_counter()
    print(
        f"\n=== demo register {DEMO.name}: {len(result.accepted)} accepted,"
        f" {len(result.quarantine)} quarantined, {res.metrics['origin'].nunique()} origins ==="
    )
    print(res.verdict(lang="en"))
    print(
        f"demo: boundaries + intake {t1 - t0:.1f} s, default backtest {t2 - t1:.1f} s,"
        f" total {t2 - t0:.1f} s (target < 60 s)"
    )


if __name__ == "__main__":
    main()
