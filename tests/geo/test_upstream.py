"""Tests of pilkada_risk.geo.upstream: registry, mirror → cache → download (from a local web server
on 127.0.0.1, never the internet), the URL template, checksums, SQL parsing."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from pilkada_risk.cli import main
from pilkada_risk.geo import upstream
from pilkada_risk.geo.upstream import (
    MIRROR_ENV,
    RAW_URL,
    URL_ENV,
    WILAYAH,
    WILAYAH_BOUNDARIES,
    ChecksumMismatchError,
    DownloadError,
    UpstreamError,
    fetch_upstream,
    read_boundary_sql,
    registry,
    upstream_url,
    url_template,
    wilayah_names,
)
from pilkada_risk.io.files import sha256_bytes
from tests.geo.conftest import Served

KEL_PB = "db/kel/18/wilayah_boundaries_kel_18.13.sql"
SMALL = "db/kel/18/wilayah_boundaries_kel_18.72.sql"  # 80 kB, the smallest pinned desa file
SMALL_URL_PATH = f"/{WILAYAH_BOUNDARIES[0]}/{WILAYAH_BOUNDARIES[1]}/{SMALL}"
Serve = Callable[..., Served]


@pytest.fixture
def real_bytes(pinned_mirror: Path) -> bytes:
    """Bytes of a real upstream file, obtained through the chain once per session."""
    return (pinned_mirror / WILAYAH_BOUNDARIES[0] / WILAYAH_BOUNDARIES[1] / SMALL).read_bytes()


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def _plant(folder: Path, data: bytes, path: str = SMALL) -> Path:
    """Write ``data`` where a server over ``folder`` serves ``path`` of the pinned commit."""
    target = folder / WILAYAH_BOUNDARIES[0] / WILAYAH_BOUNDARIES[1] / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


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


def test_unknown_path_is_refused_before_any_io(empty_cache: Path, unreachable: str) -> None:
    with pytest.raises(UpstreamError, match=r"db/kel/18/wilayah_boundaries_kel_18\.01\.sql"):
        fetch_upstream(*WILAYAH_BOUNDARIES, "db/kel/18/wilayah_boundaries_kel_18.99.sql")
    with pytest.raises(UpstreamError, match="not listed in the registry"):
        fetch_upstream(*WILAYAH_BOUNDARIES, "db/kel/18/x.sql", lang="en")
    assert _files(empty_cache) == []


def test_mirror_comes_first(
    empty_cache: Path, unreachable: str, pinned_mirror: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MIRROR_ENV, str(pinned_mirror))
    path = fetch_upstream(*WILAYAH_BOUNDARIES, KEL_PB)
    assert path == pinned_mirror / WILAYAH_BOUNDARIES[0] / WILAYAH_BOUNDARIES[1] / KEL_PB
    assert _files(empty_cache) == []  # nothing copied, nothing downloaded


def test_corrupted_mirror_file_raises(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bad = _plant(tmp_path, b"not the real file")
    monkeypatch.setenv(MIRROR_ENV, str(tmp_path))
    with pytest.raises(ChecksumMismatchError, match="mirror"):
        fetch_upstream(*WILAYAH_BOUNDARIES, SMALL, lang="en")
    assert bad.exists()  # a mirror is read-only for us: never deleted


def test_default_template_is_the_public_raw_file_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(URL_ENV, raising=False)
    assert url_template() == RAW_URL
    assert upstream_url(*WILAYAH_BOUNDARIES, SMALL) == (
        "https://raw.githubusercontent.com/cahyadsn/wilayah_boundaries/"
        f"{WILAYAH_BOUNDARIES[1]}/{SMALL}"
    )
    monkeypatch.setenv(URL_ENV, "   ")  # set but blank: the default, not an error
    assert url_template() == RAW_URL


def test_download_from_an_internal_server_then_cache_hit(
    empty_cache: Path, serve: Serve, pinned_mirror: Path, real_bytes: bytes
) -> None:
    server = serve(pinned_mirror)
    assert os.environ[URL_ENV] == server.template
    path = fetch_upstream(*WILAYAH_BOUNDARIES, SMALL, timeout=5)
    assert path == upstream.cache_path(*WILAYAH_BOUNDARIES, SMALL)
    assert path.is_relative_to(empty_cache / "upstream")
    assert path.read_bytes() == real_bytes
    assert server.requests == [SMALL_URL_PATH]
    assert fetch_upstream(*WILAYAH_BOUNDARIES, SMALL) == path  # served from the cache
    assert server.requests == [SMALL_URL_PATH]
    assert _files(empty_cache) == [path]


def test_template_may_carry_a_prefix_and_https(
    empty_cache: Path, serve: Serve, tmp_path: Path, real_bytes: bytes, monkeypatch
) -> None:
    _plant(tmp_path / "site" / "hulu", real_bytes)
    server = serve(tmp_path / "site")
    monkeypatch.setenv(URL_ENV, server.base + "/hulu/{repo}/{commit}/{path}")
    assert fetch_upstream(*WILAYAH_BOUNDARIES, SMALL).read_bytes() == real_bytes
    assert server.requests == ["/hulu" + SMALL_URL_PATH]
    monkeypatch.setenv(URL_ENV, "HTTPS://files.polres.example/{repo}/{commit}/{path}")
    assert url_template().startswith("HTTPS://")


def test_served_file_with_wrong_sha256_is_refused_and_not_kept(
    empty_cache: Path, serve: Serve, tmp_path: Path, real_bytes: bytes
) -> None:
    _plant(tmp_path / "site", real_bytes[:-1] + b"X")
    server = serve(tmp_path / "site")
    expected = registry(*WILAYAH_BOUNDARIES)[SMALL]
    with pytest.raises(ChecksumMismatchError) as info:
        fetch_upstream(*WILAYAH_BOUNDARIES, SMALL, lang="en")
    message = str(info.value)
    assert server.base + SMALL_URL_PATH in message
    assert f"expected {expected}" in message and "nothing was saved" in message
    assert _files(empty_cache) == []


def test_connection_cut_mid_file_is_refused_and_not_kept(
    empty_cache: Path, serve: Serve, pinned_mirror: Path
) -> None:
    serve(pinned_mirror, cut=True)
    with pytest.raises(UpstreamError) as info:  # short read or checksum: both refused
        fetch_upstream(*WILAYAH_BOUNDARIES, SMALL, lang="en")
    assert isinstance(info.value, DownloadError | ChecksumMismatchError)
    assert _files(empty_cache) == []


@pytest.mark.parametrize("lang", ["id", "en"])
def test_404_names_the_url_the_layout_and_the_three_ways(
    empty_cache: Path, serve: Serve, tmp_path: Path, lang: str
) -> None:
    (tmp_path / "empty").mkdir()
    server = serve(tmp_path / "empty")
    with pytest.raises(DownloadError) as info:
        fetch_upstream(*WILAYAH_BOUNDARIES, SMALL, lang=lang)
    message = str(info.value)
    assert server.base + SMALL_URL_PATH in message
    assert "HTTP 404" in message and "<owner>/<repo>/<commit>/<path>" in message
    for way in (MIRROR_ENV, URL_ENV, "--siapkan-offline"):
        assert way in message
    assert ("Gagal mengunduh" in message) == (lang == "id")
    assert _files(empty_cache) == []


@pytest.mark.parametrize("lang", ["id", "en"])
def test_unreachable_server_names_the_url_and_the_three_ways(
    empty_cache: Path, unreachable: str, lang: str
) -> None:
    with pytest.raises(DownloadError) as info:
        fetch_upstream(*WILAYAH_BOUNDARIES, SMALL, lang=lang)
    message = str(info.value)
    repo, commit = WILAYAH_BOUNDARIES
    assert unreachable.format(repo=repo, commit=commit, path=SMALL) in message
    assert "ConnectionRefusedError" in message
    for way in (MIRROR_ENV, URL_ENV, "--siapkan-offline"):
        assert way in message
    assert ("Tiga cara" in message) == (lang == "id")
    assert _files(empty_cache) == []


@pytest.mark.parametrize(
    ("value", "problem_en"),
    [
        ("http://intranet/{repo}/{commit}", "{path} are missing"),
        ("http://intranet/{owner}/{repo}/{commit}/{path}", "unknown placeholder(s) {owner}"),
        ("http://intranet/{repo}/{commit}/{path", "unbalanced curly braces"),
        ("ftp://intranet/{repo}/{commit}/{path}", "scheme given: ftp"),
        ("/srv/mirror/{repo}/{commit}/{path}", "scheme given: -"),
        ("http:///{repo}/{commit}/{path}", "name a server"),
    ],
)
def test_bad_template_names_the_variable_its_value_and_the_fix(
    empty_cache: Path, monkeypatch: pytest.MonkeyPatch, value: str, problem_en: str
) -> None:
    monkeypatch.setenv(URL_ENV, value)
    with pytest.raises(UpstreamError) as en:
        fetch_upstream(*WILAYAH_BOUNDARIES, SMALL, lang="en")
    assert not isinstance(en.value, DownloadError)  # configuration, not a missing file
    assert f"{URL_ENV}={value!r} cannot be used" in str(en.value)
    assert problem_en in str(en.value)
    assert "{repo}/{commit}/{path}" in str(en.value)  # a correct example
    with pytest.raises(UpstreamError, match=f"Variabel lingkungan {URL_ENV}="):
        url_template()
    assert _files(empty_cache) == []


def test_bad_template_reaches_the_analyst_once_without_traceback(
    empty_cache: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys
) -> None:
    monkeypatch.setenv(URL_ENV, "intranet/{repo}/{commit}/{path}")
    out = tmp_path / "kec.gpkg"
    assert main(["boundaries", "--kab", "18.13", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Galat:") and err.count("\n") == 1
    assert f"{URL_ENV}='intranet/{{repo}}/{{commit}}/{{path}}'" in err
    assert "Traceback" not in err and not out.exists()


def test_template_is_not_needed_when_nothing_is_downloaded(
    monkeypatch: pytest.MonkeyPatch, pinned_mirror: Path
) -> None:
    monkeypatch.setenv(MIRROR_ENV, str(pinned_mirror))
    monkeypatch.setenv(URL_ENV, "not a url")
    assert fetch_upstream(*WILAYAH_BOUNDARIES, SMALL).is_file()


def test_corrupted_cache_file_is_removed_and_refetched(
    empty_cache: Path, unreachable: str, serve: Serve, pinned_mirror: Path, real_bytes: bytes
) -> None:
    cached = upstream.cache_path(*WILAYAH_BOUNDARIES, SMALL)
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"truncated")
    with pytest.raises(DownloadError, match=f"corrupted \\(sha256 {sha256_bytes(b'truncated')}"):
        fetch_upstream(*WILAYAH_BOUNDARIES, SMALL, lang="en")
    assert not cached.exists()
    cached.write_bytes(b"truncated again")
    serve(pinned_mirror)
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
