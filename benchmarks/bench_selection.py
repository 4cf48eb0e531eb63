"""Benchmark of the forecast selection (SYNTHETIC registers with a known truth, and the demo).

At every second monthly origin (after a year of history, horizon 90 days fully observed) the
model is fitted on the incidents before the origin (``n_bootstrap = 0``, ``permutations = 0``: the
ranking does not depend on them). Each candidate forecast (``candidate_forecasts_``:
the all-history count, the decayed counts of ``learning.count_half_lives_days``, the learned
weights), the last period's counts, the 0.1.x/0.2.0-dev rule (learned weights unless they lose
to the all-history count on a held-out mean, else that count) and the selection rule at several
tie margins (applied to the same held-out evidence, ``selection_.checks``) are scored on the
incidents of the next 90 days: hit rate at 25% of the kecamatan and Spearman, mean over origins
and seeds. Regimes: ``stationary`` and ``realistic`` (drifting) from the simulator, ``sparse``
(realistic at about a quarter of its rate, some 35 incidents a year in Pesisir Barat) and the
shipped demo register. Run: ``.venv/bin/python -m benchmarks.bench_selection [regime ...]``.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
os.environ.setdefault("PILKADA_RISK_MIRROR", str(REPO.parent / "shared" / "data" / "upstream"))
os.environ.setdefault("PILKADA_RISK_CACHE", str(REPO / ".pytest_cache" / "pilkada-risk"))

from pilkada_risk.geo.boundaries import load_desa, load_kecamatan  # noqa: E402
from pilkada_risk.intake.incidents import read_incidents  # noqa: E402
from pilkada_risk.scoring.learning import choose_candidate, hit_rate, spearman  # noqa: E402
from pilkada_risk.scoring.model import RiskModel  # noqa: E402
from pilkada_risk.synthetic.simulate import simulate_incidents  # noqa: E402
from pilkada_risk.validation.backtest import default_origins  # noqa: E402

REGIMES: dict[str, tuple[str, dict[str, float]]] = {
    "stationary": ("stationary", {}),
    "realistic": ("realistic", {}),
    "sparse": ("realistic", {"rate_per_1000": 0.12}),
}
KABS, SEEDS, MARGINS = ("18.13", "18.01"), (0, 1, 2), (0.0, 0.005, 0.01, 0.02)
DEMO = REPO / "data" / "demo" / "kejadian_sintetis_pesisir_barat.csv"
FAST = {"n_bootstrap": 0, "permutations": 0}
#: Every STEP-th monthly origin (2: about 30 per register; CPU is shared).
STEP = 2


def _old_rule(checks: dict[str, dict[str, float]]) -> str:
    """Learned weights unless a held-out metric mean is below the all-history count's."""
    if "learned" not in checks:
        return "count"
    mine, base = checks["learned"], checks["count"]
    keys = [k for k in base if k != "gain" and np.isfinite(base[k]) and np.isfinite(mine[k])]
    return "count" if not keys or any(mine[k] < base[k] - 1e-12 for k in keys) else "learned"


def _score(score: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    k = max(1, round(0.25 * y.size))
    return float(hit_rate(score[None], y[None], k)[0]), float(spearman(score[None], y[None])[0])


def run_register(inc: pd.DataFrame, areas: pd.DataFrame) -> list[dict[str, Any]]:
    """One row per origin and method: hit rate and Spearman on the next 90 days."""
    codes = pd.Index(areas["kode"].astype(str))
    rows = []
    for origin in default_origins(inc, horizon="90D")["origin"].iloc[::STEP]:
        train = inc[inc["tanggal"] < origin]
        future = inc[(inc["tanggal"] >= origin) & (inc["tanggal"] < origin + pd.Timedelta(90, "D"))]
        y = future["kec_kode"].value_counts().reindex(codes, fill_value=0).to_numpy(float)
        if y.sum() == 0:
            continue
        model = RiskModel(overrides=FAST).fit(train, areas, as_of=origin)
        cand = model.candidate_forecasts_.reindex(codes)
        checks = {
            n: {k: v for k, v in m.items() if k != "gain"}
            for n, m in model.selection_.checks.items()
        }
        last = train[train["tanggal"] >= origin - pd.Timedelta(90, "D")]
        forecasts = {name: cand[name].to_numpy(float) for name in cand.columns}
        forecasts["last_period"] = (
            last["kec_kode"].value_counts().reindex(codes, fill_value=0).to_numpy(float)
        )
        forecasts["old_rule"] = forecasts[_old_rule(checks)]
        forecasts["chosen"] = model.expected_.reindex(codes).to_numpy(float)
        picks = {"chosen": model.selection_.choice, "old_rule": _old_rule(checks)}
        for margin in MARGINS:
            pick = choose_candidate(checks, list(checks), margin)[0] if checks else "count"
            forecasts[f"rule_{margin:g}"] = forecasts[pick]
            picks[f"rule_{margin:g}"] = pick
        for name, score in forecasts.items():
            hit, rho = _score(score, y)
            rows.append({"origin": origin, "method": name, "hit": hit, "rho": rho,
                         "pick": picks.get(name, name)})  # fmt: skip
    return rows


def report(name: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    table = frame.groupby("method", sort=False)[["hit", "rho"]].mean()
    print(f"\n=== {name}: {frame['origin'].nunique()} origins x runs ===")
    print(table.round(3).to_string())
    for col in ("chosen", "old_rule", *(f"rule_{m:g}" for m in MARGINS)):
        picks = Counter(frame.loc[frame["method"] == col, "pick"])
        total = sum(picks.values())
        shares = ", ".join(f"{k} {v / total:.0%}" for k, v in picks.most_common())
        print(f"  {col} picks: {shares}")
    sys.stdout.flush()
    return table.assign(case=name)


def main() -> None:
    pd.set_option("display.width", 160)
    wanted = sys.argv[1:] or [*REGIMES, "demo"]
    tables = []
    for regime in [r for r in wanted if r in REGIMES]:
        kind, params = REGIMES[regime]
        rows: list[dict[str, Any]] = []
        t0 = time.perf_counter()
        for kab in KABS:
            areas, desa = load_kecamatan(kab), load_desa(kab)
            for seed in SEEDS:
                sim = simulate_incidents(areas, desa=desa, seed=seed, regime=kind, params=params)
                inc = read_incidents(sim.incidents, areas=areas, desa=desa).accepted
                print(f"{regime} {kab} seed {seed}: {len(inc)} incidents")
                rows += [r | {"kab": kab, "seed": seed} for r in run_register(inc, areas)]
        tables.append(report(regime, rows))
        print(f"  time {time.perf_counter() - t0:.0f} s")
    if "demo" in wanted:
        areas, desa = load_kecamatan("18.13"), load_desa("18.13")
        inc = read_incidents(DEMO, areas=areas, desa=desa).accepted
        tables.append(report("demo", run_register(inc, areas)))
    print("\nAll cases (hit rate at 25% / Spearman):")
    print(pd.concat(tables).round(3).to_string())


if __name__ == "__main__":
    main()
