"""Tests of pilkada_risk.geo.upstream: registry, mirror → cache → download, checksums, SQL
parsing."""

from __future__ import annotations

import io
import json
import os
import urllib.error
from pathlib import Path

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from pilkada_risk.geo import upstream
from pilkada_risk.geo.upstream import (
    MIRROR_ENV,
    WILAYAH,
    WILAYAH_BOUNDARIES,
    ChecksumMismatchError,
    DownloadError,
    UpstreamError,
    fetch_upstream,
    read_boundary_sql,
    registry,
    wilayah_names,
)
from pilkada_risk.io.files import sha256_bytes

KEL_PB = "db/kel/18/wilayah_boundaries_kel_18.13.sql"
SMALL = "db/kel/18/wilayah_boundaries_kel_18.72.sql"  # 80 kB, the smallest mirrored file
MIRROR = Path(os.environ[MIRROR_ENV])  # set by conftest before tests may unset it


@pytest.fixture
def real_bytes() -> bytes:
    """Bytes of a real upstream file, read from the shared mirror."""
    return (MIRROR / WILAYAH_BOUNDARIES[0] / WILAYAH_BOUNDARIES[1] / SMALL).read_bytes()


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No mirror, an empty cache in tmp_path; returns the cache dir."""
    monkeypatch.delenv(MIRROR_ENV, raising=False)
    cache = tmp_path / "cache"
    monkeypatch.setenv("PILKADA_RISK_CACHE", str(cache))
    return cache


class _Opener:
    """Stand-in for urllib's urlopen: serves fixed bytes or raises, and counts calls."""

    def __init__(self, payload: bytes | None = None, error: Exception | None = None) -> None:
        self.payload, self.error, self.calls = payload, error, []

    def __call__(self, url: str, timeout: float) -> io.BytesIO:
        self.calls.append((url, timeout))
        if self.error is not None:
            raise self.error
        return io.BytesIO(self.payload or b"")


class _BrokenStream(io.BytesIO):
    def read(self, size: int | None = -1) -> bytes:
        if self.tell() > 0:
            raise ConnectionResetError("connection reset mid-download")
        return super().read(10)


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_registries_list_every_upstream_file() -> None:
    boundaries = registry(*WILAYAH_BOUNDARIES)
    kel = [p for p in boundaries if p.startswith("db/kel/")]
    assert len(kel) == 514
    assert all(len(h) == 64 and int(h, 16) >= 0 for h in boundaries.values())
    assert KEL_PB in boundaries
    assert "db/kec/wilayah_boundaries_kec_18.sql" in boundaries
    assert set(registry(*WILAYAH)) >= {"db/wilayah.sql"}


def test_unknown_commit_names_the_available_registries() -> None:
    with pytest.raises(UpstreamError, match="cahyadsn__wilayah__b7ad440a"):
        registry("cahyadsn/wilayah", "0" * 40)


def test_unknown_path_is_refused_before_any_io(offline: Path) -> None:
    with pytest.raises(UpstreamError, match=r"db/kel/18/wilayah_boundaries_kel_18\.01\.sql"):
        fetch_upstream(*WILAYAH_BOUNDARIES, "db/kel/18/wilayah_boundaries_kel_18.99.sql")
    with pytest.raises(UpstreamError, match="not listed in the registry"):
        fetch_upstream(*WILAYAH_BOUNDARIES, "db/kel/18/x.sql", lang="en")
    assert _files(offline) == []


def test_mirror_is_used_and_verified() -> None:
    path = fetch_upstream(*WILAYAH_BOUNDARIES, KEL_PB)
    assert path.is_relative_to(MIRROR)
    assert path.name == "wilayah_boundaries_kel_18.13.sql"


def test_corrupted_mirror_file_raises(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bad = tmp_path / WILAYAH_BOUNDARIES[0] / WILAYAH_BOUNDARIES[1] / SMALL
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"not the real file")
    monkeypatch.setenv(MIRROR_ENV, str(tmp_path))
    with pytest.raises(ChecksumMismatchError, match="mirror"):
        fetch_upstream(*WILAYAH_BOUNDARIES, SMALL, lang="en")
    assert bad.exists()  # a mirror is read-only for us: never deleted


def test_download_into_cache_then_cache_hit(
    offline: Path, monkeypatch: pytest.MonkeyPatch, real_bytes: bytes
) -> None:
    opener = _Opener(real_bytes)
    monkeypatch.setattr(upstream, "_urlopen", opener)
    path = fetch_upstream(*WILAYAH_BOUNDARIES, SMALL, timeout=5)
    assert path == offline / "upstream" / WILAYAH_BOUNDARIES[0] / WILAYAH_BOUNDARIES[1] / SMALL
    assert path.read_bytes() == real_bytes
    url, timeout = opener.calls[0]
    assert url == (
        "https://raw.githubusercontent.com/cahyadsn/wilayah_boundaries/"
        f"{WILAYAH_BOUNDARIES[1]}/{SMALL}"
    )
    assert timeout == 5
    monkeypatch.setattr(upstream, "_urlopen", _Opener(error=AssertionError("no second download")))
    assert fetch_upstream(*WILAYAH_BOUNDARIES, SMALL) == path
    assert _files(offline) == [path]


@pytest.mark.parametrize(
    "error",
    [urllib.error.URLError("Name or service not known"), TimeoutError("timed out")],
)
def test_failed_download_explains_offline_options(
    offline: Path, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    monkeypatch.setattr(upstream, "_urlopen", _Opener(error=error))
    with pytest.raises(DownloadError, match=f"{MIRROR_ENV}.*<owner>/<repo>/<commit>/<path>"):
        fetch_upstream(*WILAYAH_BOUNDARIES, SMALL, lang="en")
    with pytest.raises(DownloadError, match="Gagal mengunduh"):
        fetch_upstream(*WILAYAH_BOUNDARIES, SMALL)
    assert _files(offline) == []


def test_interrupted_download_leaves_no_partial_file(
    offline: Path, monkeypatch: pytest.MonkeyPatch, real_bytes: bytes
) -> None:
    monkeypatch.setattr(upstream, "_urlopen", lambda url, timeout: _BrokenStream(real_bytes))
    with pytest.raises(DownloadError, match="ConnectionResetError"):
        fetch_upstream(*WILAYAH_BOUNDARIES, SMALL)
    assert _files(offline) == []


def test_downloaded_bytes_with_wrong_hash_are_not_kept(
    offline: Path, monkeypatch: pytest.MonkeyPatch, real_bytes: bytes
) -> None:
    monkeypatch.setattr(upstream, "_urlopen", _Opener(real_bytes[:-1]))
    expected = registry(*WILAYAH_BOUNDARIES)[SMALL]
    with pytest.raises(ChecksumMismatchError, match=f"expected {expected}.*nothing was saved"):
        fetch_upstream(*WILAYAH_BOUNDARIES, SMALL, lang="en")
    assert _files(offline) == []


def test_corrupted_cache_file_is_removed_and_refetched(
    offline: Path, monkeypatch: pytest.MonkeyPatch, real_bytes: bytes
) -> None:
    cached = upstream.cache_path(*WILAYAH_BOUNDARIES, SMALL)
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"truncated")
    monkeypatch.setattr(upstream, "_urlopen", _Opener(error=urllib.error.URLError("offline")))
    with pytest.raises(DownloadError, match=f"corrupted \\(sha256 {sha256_bytes(b'truncated')}"):
        fetch_upstream(*WILAYAH_BOUNDARIES, SMALL, lang="en")
    assert not cached.exists()
    cached.write_bytes(b"truncated again")
    monkeypatch.setattr(upstream, "_urlopen", _Opener(real_bytes))
    assert fetch_upstream(*WILAYAH_BOUNDARIES, SMALL).read_bytes() == real_bytes


def test_bad_lang_is_refused() -> None:
    with pytest.raises(ValueError, match="lang='fr'"):
        fetch_upstream(*WILAYAH, "db/wilayah.sql", lang="fr")


def test_wilayah_names_unescapes_quotes() -> None:
    names = wilayah_names()
    assert names["18.13"] == "Kabupaten Pesisir Barat"
    assert names["18.13.10"] == "Ngaras"
    assert names["11.01.02.2018"] == "Pasi Kuala Ba'u"
    assert len(names) == 91_599


def _sql_row(kode: str, nama: str, path: object) -> str:
    return f"('{kode}','{nama}',-5.1,104.1,'{json.dumps(path)}')"


def test_read_boundary_sql_polygon_hole_and_multipolygon(tmp_path: Path) -> None:
    outer = [[-5.0, 104.0], [-5.0, 104.1], [-5.1, 104.1], [-5.1, 104.0], [-5.0, 104.0]]
    hole = [[-5.04, 104.04], [-5.04, 104.06], [-5.06, 104.06], [-5.06, 104.04]]  # not closed
    island = [[-6.0, 105.0], [-6.0, 105.01], [-6.01, 105.01], [-6.0, 105.0]]
    rows = [
        _sql_row("18.13.01.2001", "Ba''u", [outer, hole]),
        _sql_row("18.13.01.2002", "Dua", [[outer], [island]]),
    ]
    sql = tmp_path / "kel.sql"
    sql.write_text("INSERT INTO t(kode,nama,lat,lng,path) VALUES\n" + ",\n".join(rows) + ";\n")
    gdf = read_boundary_sql(sql)
    assert gdf["kode"].tolist() == ["18.13.01.2001", "18.13.01.2002"]
    assert gdf["nama_src"].tolist() == ["Ba'u", "Dua"]
    first, second = gdf.geometry
    assert first.geom_type == "MultiPolygon" and len(first.geoms[0].interiors) == 1
    assert first.bounds == pytest.approx((104.0, -5.1, 104.1, -5.0))  # lon/lat order
    assert shapely.get_num_geometries(second) == 2


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(-10, 5, allow_nan=False),
            st.floats(95, 140, allow_nan=False),
            st.floats(1e-4, 0.5),
            st.booleans(),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_read_boundary_sql_round_trips_boxes(boxes: list[tuple[float, float, float, bool]]) -> None:
    import tempfile

    rows = []
    for n, (lat, lng, size, nested) in enumerate(boxes):
        ring = [[lat, lng], [lat, lng + size], [lat + size, lng + size], [lat + size, lng]]
        rows.append(_sql_row(f"18.13.01.{2001 + n}", f"Pekon {n}", [[ring]] if nested else [ring]))
    with tempfile.TemporaryDirectory() as folder:
        sql = Path(folder) / "kel.sql"
        sql.write_text("VALUES\n" + ",\n".join(rows) + ";")
        gdf = read_boundary_sql(sql)
    assert len(gdf) == len(boxes)
    for geom, (lat, lng, size, _) in zip(gdf.geometry, boxes, strict=True):
        assert geom.geom_type == "MultiPolygon"
        assert geom.bounds == pytest.approx((lng, lat, lng + size, lat + size))
