"""Regenerate the SYNTHETIC demo files in ``data/demo/`` (Pesisir Barat, seed 0, 2019–2024).

The simulator runs in the demo's regime (``DEMO_REGIME``: drifting risk, like real registers).

Usage: ``python -m scripts.make_demo_data [OUT_DIR]`` (default: ``data/demo`` of this checkout).
Boundaries come from :mod:`pilkada_risk.geo.boundaries` (mirror → cache → pinned download). The
files
are byte-for-byte reproducible: ``tests/test_simulate.py`` regenerates them and compares.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pilkada_risk.geo.boundaries import load_desa, load_kecamatan
from pilkada_risk.io.files import atomic_path
from pilkada_risk.synthetic.demo import DEMO_REGIME
from pilkada_risk.synthetic.simulate import simulate_incidents
from pilkada_risk.synthetic.tps import (
    DEMO_TPS_FILE,
    DEMO_TPS_KPU_FILE,
    PUBLISHED_TPS,
    simulate_tps,
    simulate_tps_kpu,
)

KAB = "18.13"
SEED = 0
FILES = {
    "messy": "kejadian_sintetis_pesisir_barat.csv",
    "clean": "kejadian_sintetis_pesisir_barat_bersih.csv",
    "context": "konteks_sintetis_pesisir_barat.csv",
    "tps": DEMO_TPS_FILE,
    "tps_kpu": DEMO_TPS_KPU_FILE,
}
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "data" / "demo"


def build(out_dir: Path = DEFAULT_OUT) -> dict[str, Path]:
    """Write the five demo CSV files (UTF-8, ``\\n`` line ends) into ``out_dir``."""
    areas, desa = load_kecamatan(KAB), load_desa(KAB)
    messy = simulate_incidents(areas, desa=desa, seed=SEED, messy=True, regime=DEMO_REGIME)
    clean = simulate_incidents(areas, desa=desa, seed=SEED, messy=False, regime=DEMO_REGIME)
    frames = {
        "messy": (messy.incidents, None),
        "clean": (clean.incidents, "%.6f"),
        "context": (clean.context, None),
        # 293 TPS: the published Pesisir Barat total (the context's per-kecamatan tps sum to 294)
        "tps": (simulate_tps(clean.context, desa, n_tps=PUBLISHED_TPS, seed=SEED), None),
        # the same TPS as KPU publishes them: 13-digit codes, DPT as L + P, no coordinates
        "tps_kpu": (simulate_tps_kpu(clean.context, desa, n_tps=PUBLISHED_TPS, seed=SEED), None),
    }
    written = {}
    for key, (frame, float_format) in frames.items():
        target = Path(out_dir) / FILES[key]
        with atomic_path(target) as tmp:
            frame.to_csv(
                tmp, index=False, encoding="utf-8", lineterminator="\n", float_format=float_format
            )
            tmp.chmod(0o644)  # mkstemp makes 0600 files; demo data are for everyone to read
        written[key] = target
    return written


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    for path in build(out).values():
        print(f"{path} ({path.stat().st_size:,} bytes)")
