"""Shared fixtures. Boundaries come from the local upstream mirror; no test uses the network."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REFERENCE = SHARED / "data" / "boundaries"

os.environ.setdefault("PILKADA_RISK_MIRROR", str(SHARED / "data" / "upstream"))
# Built layers are cached per checkout, never in the analyst's own cache.
os.environ.setdefault("PILKADA_RISK_CACHE", str(REPO / ".pytest_cache" / "pilkada-risk"))


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """Reference layers in ../shared/data/boundaries (read-only, for checks only)."""
    if not REFERENCE.exists():
        pytest.fail(f"reference boundaries missing at {REFERENCE}")
    return REFERENCE


@pytest.fixture(scope="session")
def kecamatan_pb():
    """The 11 kecamatan of Pesisir Barat (18.13), built from the mirror."""
    from pilkada_risk.geo.boundaries import load_kecamatan

    return load_kecamatan("18.13")


@pytest.fixture(scope="session")
def desa_pb():
    """The 118 desa/pekon/kelurahan of Pesisir Barat (18.13), built from the mirror."""
    from pilkada_risk.geo.boundaries import load_desa

    return load_desa("18.13")


@pytest.fixture(scope="session")
def browser():
    """Debian's headless chromium driven by playwright, one per test session.

    Only one sync playwright can run per thread, so every browser check shares this one.
    """
    from tests.browser import CHROMIUM, launch  # tests/browser.py

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"chromium missing at {CHROMIUM}: run `make browser` (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()
