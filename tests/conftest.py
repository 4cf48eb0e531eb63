"""Shared fixtures.

Boundaries reach the tests through the same chain as an analyst's run
(:func:`pilkada_risk.geo.upstream.fetch_upstream`): the mirror named by ``PILKADA_RISK_MIRROR``
when it is set (CI sets it, so nothing is downloaded), otherwise the test cache, filled once from
``PILKADA_RISK_UPSTREAM_URL`` (default: the public raw-file host) as the demo fills the user cache.
The test cache is ``.pytest_cache/pilkada-risk`` in this checkout, never the analyst's own cache.
Checks against the reference layers in ``../shared/data/boundaries`` run when that folder exists
and are skipped with the reason otherwise; no test uses the public internet.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath

import pytest

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO.parent / "shared" / "data" / "boundaries"
TEST_CACHE = REPO / ".pytest_cache" / "pilkada-risk"
#: Kabupaten whose pinned files (with its province's, for neighbours) the tests read.
PINNED_KAB = "18.13"

os.environ["PILKADA_RISK_CACHE"] = str(TEST_CACHE)


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """Reference layers in ../shared/data/boundaries (read-only, for checks only).

    They are not part of the project (not in the repository, not downloadable), so a checkout
    without them skips these checks and says why.
    """
    if not REFERENCE.is_dir():
        pytest.skip(
            f"reference layers absent: {REFERENCE} does not exist (maintainers' read-only "
            "comparison data, not shipped); the boundaries are still built and tested from the "
            "pinned files"
        )
    return REFERENCE


@pytest.fixture(scope="session")
def pinned_mirror(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder laid out as a mirror (``<owner>/<repo>/<commit>/<path>``) holding every pinned file
    a build of Pesisir Barat may read (names, Lampung's desa and kecamatan, licences).

    The files come through the chain, verified: the mirror itself when ``PILKADA_RISK_MIRROR`` is
    set, otherwise the test cache's ``upstream`` folder (downloaded there once). Tests that empty
    the cache or block the network point ``PILKADA_RISK_MIRROR`` or a local web server at it.
    """
    from pilkada_risk.geo.offline import ensure_files, required_files

    files = required_files(PINNED_KAB)
    found = ensure_files(files, PINNED_KAB)
    relative = [PurePosixPath(repo, commit, path) for repo, commit, path in files]
    roots = {p.parents[len(rel.parts) - 1] for p, rel in zip(found, relative, strict=True)}
    if len(roots) == 1:
        return roots.pop()
    joined = tmp_path_factory.mktemp("pinned-mirror")  # part mirror, part cache: one folder
    for source, rel in zip(found, relative, strict=True):
        (joined / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, joined / rel)
    return joined


@pytest.fixture(scope="session")
def kecamatan_pb():
    """The 11 kecamatan of Pesisir Barat (18.13), built from the pinned files."""
    from pilkada_risk.geo.boundaries import load_kecamatan

    return load_kecamatan("18.13")


@pytest.fixture(scope="session")
def desa_pb():
    """The 118 desa/pekon/kelurahan of Pesisir Barat (18.13), built from the pinned files."""
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
