"""Screenshot an exported map in headless chromium (for the README image).

Usage: ``.venv/bin/python -m scripts.screenshot_map MAP.html OUT.png`` (from the repository root),
e.g. the demo map
``output/demo/peta_risiko_sintetis_pesisir_barat.html`` to ``docs/img/peta-demo.png``. Uses Debian's
chromium through playwright, like the browser tests.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.browser import launch, open_page


def main(html: str, png: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        try:
            # let the initial fitBounds zoom animation finish before the screenshot
            result = open_page(browser, Path(html), action=lambda page: page.wait_for_timeout(800))
        finally:
            browser.close()
    if result.blocked or result.console_errors:
        raise SystemExit(f"page not clean: {result.blocked} {result.console_errors}")
    Path(png).write_bytes(result.screenshot)
    print(f"{png}: {len(result.screenshot)} bytes, loaded in {result.load_seconds:.2f} s")


if __name__ == "__main__":
    main(*sys.argv[1:3])
