"""Recovery of the simulator's latent risk by RiskModel versus count baselines.

For each area and seed: simulate 2019-2024 (``simulate_incidents``), map the clean register to
canonical incidents with read_incidents, fit with the simulator's context, and compute the
Spearman correlation with the truth. Target: ``lambda_year`` (expected background incidents per
year per kecamatan) - what a Polres plans deployments for; ``risk_true`` (relative risk per
resident) is shown too.

Run: ``.venv/bin/python -m benchmarks.bench_recovery [n_seeds]``
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
from scipy.stats import spearmanr


def canonical(sim, areas) -> pd.DataFrame:
    """Canonical incidents from the clean synthetic register, through the real intake."""
    from pilkada_risk.intake.incidents import read_incidents

    result = read_incidents(sim.incidents, areas=areas)
    if len(result.quarantine):
        raise AssertionError(f"clean register lost rows: {result.summary()}")
    return result.accepted


def recovery(kab: str, seeds: range, **model_params) -> pd.DataFrame:
    from pilkada_risk.geo.boundaries import load_kecamatan
    from pilkada_risk.scoring.model import RiskModel
    from pilkada_risk.synthetic.simulate import simulate_incidents

    areas = load_kecamatan(kab)
    rows = []
    for seed in seeds:
        sim = simulate_incidents(areas, seed=seed)
        inc = canonical(sim, areas)
        as_of = inc["tanggal"].max() + pd.Timedelta(days=1)
        model = RiskModel(seed=seed, overrides=model_params).fit(inc, areas, context=sim.context)
        s = model.score().set_index("kode")
        truth = sim.truth.set_index("kode").loc[s.index]
        last = inc[inc["tanggal"] >= as_of - pd.Timedelta(days=365)]
        last_counts = last["kec_kode"].value_counts().reindex(s.index, fill_value=0)
        for target in ("lambda_year", "risk_true"):
            rows.append(
                {
                    "kab": kab,
                    "seed": seed,
                    "target": target,
                    "model": spearmanr(s["risk_score"], truth[target])[0],
                    "raw_counts": spearmanr(s["n_kejadian"], truth[target])[0],
                    "last_year": spearmanr(last_counts, truth[target])[0],
                }
            )
    return pd.DataFrame(rows)


def main(n_seeds: int = 20) -> None:
    frames = [
        recovery(kab, range(n_seeds), n_bootstrap=0, permutations=0) for kab in ("18.13", "18.01")
    ]
    table = pd.concat(frames)
    summary = table.groupby(["kab", "target"])[["model", "raw_counts", "last_year"]].agg(
        ["mean", "min"]
    )
    wins = table.assign(win=table["model"] > table["raw_counts"]).groupby(["kab", "target"])["win"]
    print(f"Spearman with the truth over {n_seeds} seeds (mean, min):")
    print(summary.round(3).to_string())
    print("\nshare of seeds where model > raw counts:")
    print(wins.mean().round(2).to_string())
    print(f"\nmodel - raw counts, mean: {np.mean(table['model'] - table['raw_counts']):.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
