"""Benchmark: size of the offline leadership map and its load time in headless chromium.

Pesisir Barat (11 kecamatan, 118 desa) with 5,000 synthetic incidents; default export (no incident
details) and an export with details. Prints bytes, build+export seconds, browser load seconds and
the number of network requests other than the file itself. Run:

    .venv/bin/python -m benchmarks.bench_export
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
os.environ.setdefault("PILKADA_RISK_CACHE", str(REPO / ".pytest_cache" / "pilkada-risk"))

from pilkada_risk.geo.boundaries import load_desa, load_kecamatan  # noqa: E402
from pilkada_risk.maps.export import export_html  # noqa: E402
from pilkada_risk.maps.risk_map import risk_map  # noqa: E402
from tests.browser import fake_incidents, fake_scores, launch, open_page  # noqa: E402


def main() -> None:
    from playwright.sync_api import sync_playwright

    kec, desa = load_kecamatan("18.13"), load_desa("18.13")
    scores = fake_scores(kec)
    inc = fake_incidents(kec, 5000, seed=1)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = launch(p)
        for details in (False, True):
            t0 = time.perf_counter()
            m = risk_map(scores, incidents=inc, desa=desa, include_incident_details=details)
            path = export_html(m, Path(tmp) / "peta.html", include_incident_details=details)
            build = time.perf_counter() - t0
            loads = [open_page(browser, path) for _ in range(3)]
            best = min(r.load_seconds for r in loads)
            extra = sum(len(r.requests) - 1 for r in loads)
            print(
                f"details={details!s:5}  incidents={len(inc)}  size={path.stat().st_size:,} bytes  "
                f"build+export={build:.2f}s  load(best of 3)={best:.2f}s  "
                f"network requests={extra}  "
                f"console errors={sum(len(r.console_errors) for r in loads)}"
            )
        browser.close()


if __name__ == "__main__":
    main()
