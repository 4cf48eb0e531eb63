"""Timings and figures of the synthetic generator. Run: ``python -m benchmarks.bench_simulate``.

Also prints the *signature* of the ``realistic`` regime next to the real registers of issue 10
(12 kabupaten, 90-day horizon, monthly origins after a year): mean hit rate at 25% of the
kecamatan and Spearman with the next 90 days for all-history counts, a 180-day half-life count
and the last period, and the register's shape (zero kecamatan-quarters, top-10% share,
quarterly variance/mean, kecamatan that never have an incident). The drift parameters of the
regime were set so that this signature matches the real one, not so that any model wins.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from pilkada_risk.geo.boundaries import load_desa, load_kecamatan
from pilkada_risk.scoring.forecast import counts_before, make_history
from pilkada_risk.scoring.learning import hit_rate, spearman
from pilkada_risk.synthetic.simulate import simulate_incidents

#: The real registers of issue 10 (mean over 12 kabupaten; hit rate at 25% of the kecamatan).
REAL = {
    "all_h": 0.616, "all_r": 0.640, "hl180_r": 0.648, "last_r": 0.541,
    "zero_q": 0.53, "top10": 0.38, "vm": 1.8, "never": 0.12,
}  # fmt: skip


def signature(events: pd.DataFrame, kodes: list[str], horizon: int = 90) -> dict[str, float]:
    """Forecast skill of simple counts and the register's shape (module docstring)."""
    unit = pd.Index(sorted(kodes)).get_indexer(events["kec_kode"].astype(str))
    end = pd.to_datetime(events["tanggal"]).max() + pd.Timedelta(days=1)
    hist = make_history(
        unit, events["tanggal"], n_units=len(kodes), end=end + pd.Timedelta(days=horizon),
        half_lives=(365.0, 90.0), prior=2.0, uplift=True,
    )  # fmt: skip
    last = int((end - hist.start).days) - horizon
    origins = np.arange(365, last + 1, 30)
    before = counts_before(hist, origins)
    y = counts_before(hist, origins + horizon) - before
    k = max(1, round(0.25 * len(kodes)))
    w180 = 0.5 ** (-hist.day / 180.0)
    cands = {
        "all": before,
        "hl180": counts_before(hist, origins, w180) * (0.5 ** (origins / 180.0))[:, None],
        "last": before - counts_before(hist, origins - horizon),
    }
    out = {}
    for name, score in cands.items():
        out[f"{name}_h"] = float(np.nanmean(hit_rate(score, y, k)))
        out[f"{name}_r"] = float(np.nanmean(spearman(score, y)))
    quarters = np.diff(counts_before(hist, np.arange(0, last + horizon, 91)), axis=0)
    total = np.sort(quarters.sum(axis=0))[::-1]
    out["zero_q"] = float((quarters == 0).mean())
    out["top10"] = float(total[: max(1, round(0.1 * total.size))].sum() / total.sum())
    out["vm"] = float(np.nanmean(quarters.var(axis=0) / np.maximum(quarters.mean(axis=0), 1e-9)))
    out["never"] = float((total == 0).mean())
    return out


def realistic_signature() -> None:
    """The realistic regime's signature, three seeds per kabupaten, against the real one."""
    rows = {}
    for kab in ("18.13", "18.01"):
        areas, desa = load_kecamatan(kab), load_desa(kab)
        for seed in (0, 1, 2):
            sim = simulate_incidents(areas, desa=desa, seed=seed, regime="realistic")
            rows[f"{kab} seed {seed}"] = signature(sim.events, areas["kode"].astype(str).tolist())
    table = pd.DataFrame(rows).T
    table.loc["mean"] = table.mean()
    table.loc["real registers (issue 10)"] = pd.Series(REAL)
    print("\nRealistic regime vs real registers (hit rate at 25% / Spearman, next 90 days):")
    print(table.round(3).to_string())


def main() -> None:
    realistic_signature()
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
