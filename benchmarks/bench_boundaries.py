"""Cold and cached build times of the boundary layers (Pesisir Barat and all of Lampung).

Run: ``.venv/bin/python -m benchmarks.bench_boundaries``. The pinned files come through the usual
chain (``PILKADA_RISK_MIRROR``, else the user cache, downloaded there once); the layers are built in
a temporary cache, so the timings never include a download and built layers in the user cache are
untouched.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LAMPUNG = [f"18.{n:02d}" for n in range(1, 14)] + ["18.71", "18.72"]


def _timed(label: str, kabs: list[str], load) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    rows = sum(len(load(kab)) for kab in kabs)
    seconds = time.perf_counter() - start
    print(f"{label:<44} {seconds:8.3f} s  ({rows} rows)")
    return seconds


def main() -> None:
    if not os.environ.get("PILKADA_RISK_MIRROR"):  # fetch once, then read them as a mirror
        from pilkada_risk.geo.offline import ensure_files, required_files
        from pilkada_risk.io.files import cache_dir

        ensure_files(required_files(LAMPUNG[0]), LAMPUNG[0])
        os.environ["PILKADA_RISK_MIRROR"] = str(cache_dir() / "upstream")
    with tempfile.TemporaryDirectory() as cache:
        os.environ["PILKADA_RISK_CACHE"] = cache
        from pilkada_risk.geo import boundaries, upstream

        def cold_reset() -> None:
            for layer in Path(cache).glob("layers/*.parquet"):
                layer.unlink()
            upstream.wilayah_names.cache_clear()
            boundaries._clean_desa.cache_clear()

        cold_reset()
        _timed("18.13 kecamatan, cold (parse + build)", ["18.13"], boundaries.load_kecamatan)
        _timed("18.13 kecamatan, cached", ["18.13"], boundaries.load_kecamatan)
        _timed("18.13 desa, cached", ["18.13"], boundaries.load_desa)
        cold_reset()
        _timed("Lampung, 15 kab kecamatan, cold", LAMPUNG, boundaries.load_kecamatan)
        _timed("Lampung, 15 kab kecamatan, cached", LAMPUNG, boundaries.load_kecamatan)
        _timed("Lampung, 15 kab desa, cached", LAMPUNG, boundaries.load_desa)


if __name__ == "__main__":
    main()
