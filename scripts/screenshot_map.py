"""Screenshot an exported map in headless chromium (for the documentation images).

Usage (from the repository root)::

    .venv/bin/python -m scripts.screenshot_map MAP.html OUT.png [--phone-out OUT-PHONE.png]

e.g. the demo map ``output/demo/peta_risiko_sintetis_pesisir_barat.html`` to
``docs/img/peta-demo.png`` (desktop, 1366 x 768) and ``docs/img/peta-demo-ponsel.png`` (phone,
390 x 844, touch). Uses Debian's chromium through playwright, like the browser tests, and
refuses a page that made a network request or logged an error.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from tests.browser import DESKTOP, PHONE, launch, map_context


def shoot(browser: Any, html: Path, png: Path, viewport: dict[str, int]) -> str:
    """Open ``html`` at ``viewport`` offline, let the first fit settle, write ``png``."""
    context = map_context(browser, viewport)
    page = context.new_page()
    blocked: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    t0 = time.perf_counter()
    page.goto(html.resolve().as_uri(), wait_until="load")
    page.wait_for_selector(".leaflet-overlay-pane path")
    seconds = time.perf_counter() - t0
    page.wait_for_timeout(800)
    data = page.screenshot()
    context.close()
    if blocked or errors:
        raise SystemExit(f"page not clean: {blocked} {errors}")
    png.write_bytes(data)
    size = f"{viewport['width']}x{viewport['height']}"
    return f"{png}: {size}, {len(data)} bytes, loaded in {seconds:.2f} s"


def main(html: str, png: str, phone_png: str | None = None) -> None:
    """Write the desktop screenshot to ``png`` and, if given, the phone one to ``phone_png``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        try:
            print(shoot(browser, Path(html), Path(png), DESKTOP))
            if phone_png:
                print(shoot(browser, Path(html), Path(phone_png), PHONE))
        finally:
            browser.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html")
    parser.add_argument("png")
    parser.add_argument("--phone-out", dest="phone_png", help="also a phone screenshot here")
    args = parser.parse_args()
    main(args.html, args.png, args.phone_png)
