"""Speed of RiskModel.fit + score on 10,000 synthetic incidents for Pesisir Barat (18.13).

Full profile: 200 Poisson-bootstrap replicates (vectorised), 999 permutations for Gi* and
Local Moran. Run: ``.venv/bin/python -m benchmarks.bench_scoring``
"""

from __future__ import annotations

import time
import warnings

import pandas as pd


def main(n_incidents: int = 10_000, repeats: int = 5) -> None:
    from pilkada_risk.geo.boundaries import load_kecamatan
    from pilkada_risk.scoring.model import RiskModel
    from pilkada_risk.synthetic.simulate import simulate_incidents

    areas = load_kecamatan("18.13")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sim = simulate_incidents(areas, seed=0, n_per_year=n_incidents / 6 * 0.65)
    codes = dict(zip(areas["nama"], areas["kode"], strict=True))
    inc = pd.DataFrame(
        {
            "tanggal": pd.to_datetime(sim.incidents["tanggal"]),
            "kategori": sim.incidents["kategori"],
            "kec_kode": sim.incidents["kecamatan"].map(codes),
        }
    )
    RiskModel().fit(inc, areas, context=sim.context).score()  # warm-up (imports, caches)
    for label, params in (("full (B=200, perm=999)", {}), ("no bootstrap", {"n_bootstrap": 0})):
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            RiskModel(overrides=params).fit(inc, areas, context=sim.context).score()
            times.append(time.perf_counter() - t0)
        print(
            f"{len(inc):,} incidents, {label}: best {min(times):.3f} s, "
            f"median {sorted(times)[len(times) // 2]:.3f} s"
        )


if __name__ == "__main__":
    main()
