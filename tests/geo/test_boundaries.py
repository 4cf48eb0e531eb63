"""Tests of pilkada_risk.geo.boundaries, built from the pinned files (conftest: mirror or test
cache); comparisons with the reference layers in ../shared/data/boundaries skip without them."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from pilkada_risk.geo import boundaries, codes
from pilkada_risk.geo import geometry as _geometry
from pilkada_risk.geo.boundaries import (
    BOUNDARY_SOURCE,
    UnknownAreaError,
    load_aliases,
    load_desa,
    load_kecamatan,
    write_layer,
)

KEC_COLUMNS = ["kode", "nama", "nama_alt", "kab_kode", "kab_nama", "area_km2", "geometry"]
DESA_COLUMNS = ["kode", "nama", "jenis", "kec_kode", "kec_nama", "area_km2", "geometry"]
# Desa per kecamatan of Pesisir Barat (DOMAIN.md).
DESA_PER_KEC = {
    "18.13.01": 8, "18.13.02": 15, "18.13.03": 13, "18.13.04": 12, "18.13.05": 12,
    "18.13.06": 6, "18.13.07": 10, "18.13.08": 10, "18.13.09": 9, "18.13.10": 9,
    "18.13.11": 14,
}  # fmt: skip
LAMPUNG = [f"18.{n:02d}" for n in range(1, 14)] + ["18.71", "18.72"]


def _iou(ours: gpd.GeoDataFrame, ref: gpd.GeoDataFrame) -> pd.Series:
    ref = ref.set_index("kode").geometry
    mine = ours.set_index("kode").geometry.reindex(ref.index)
    a, b = mine.to_numpy(), ref.to_numpy()
    inter = shapely.area(shapely.intersection(a, b))
    return pd.Series(inter / shapely.area(shapely.union(a, b)), index=ref.index)


@pytest.fixture
def fresh_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pinned_mirror: Path) -> Path:
    """An empty layer cache; the pinned files stay reachable as a mirror (no second download)."""
    monkeypatch.setenv("PILKADA_RISK_CACHE", str(tmp_path))
    monkeypatch.setenv("PILKADA_RISK_MIRROR", str(pinned_mirror))
    return tmp_path


# ------------------------------------------------------------------ Pesisir Barat acceptance


def test_kecamatan_schema(kecamatan_pb: gpd.GeoDataFrame) -> None:
    assert list(kecamatan_pb.columns) == KEC_COLUMNS
    assert len(kecamatan_pb) == 11
    assert kecamatan_pb.crs.to_epsg() == 4326
    assert set(kecamatan_pb.geom_type) == {"MultiPolygon"}
    assert kecamatan_pb.is_valid.all()
    assert kecamatan_pb["kode"].tolist() == sorted(DESA_PER_KEC)
    assert set(kecamatan_pb["kab_kode"]) == {"18.13"}
    assert set(kecamatan_pb["kab_nama"]) == {"Kabupaten Pesisir Barat"}
    assert kecamatan_pb.attrs["source"] == BOUNDARY_SOURCE
    assert BOUNDARY_SOURCE["licence"] == "MIT"
    assert BOUNDARY_SOURCE["commit"] == "3c5a7960f4d227a38489094d84252bdbb3f978a5"


def test_desa_schema_and_counts(desa_pb: gpd.GeoDataFrame) -> None:
    assert list(desa_pb.columns) == DESA_COLUMNS
    assert len(desa_pb) == 118
    assert desa_pb["kode"].str.fullmatch(r"18\.13\.\d{2}\.[12]\d{3}").all()
    assert (desa_pb["kode"].str[:8] == desa_pb["kec_kode"]).all()
    assert desa_pb.groupby("kec_kode").size().to_dict() == DESA_PER_KEC
    kelurahan = desa_pb.loc[desa_pb["jenis"] == "kelurahan", "nama"]
    assert sorted(kelurahan) == ["Pasar Kota Krui", "Pasar Krui"]
    assert set(desa_pb["jenis"]) == {"desa", "kelurahan"}
    assert (desa_pb["jenis"] == "kelurahan").eq(desa_pb["kode"].str[9] == "1").all()
    assert set(desa_pb.geom_type) == {"MultiPolygon"} and desa_pb.is_valid.all()
    assert desa_pb.loc[desa_pb["kec_kode"] == "18.13.11", "kec_nama"].unique().tolist() == [
        "Bangkunat"
    ]


def test_total_area_in_utm_48s(kecamatan_pb: gpd.GeoDataFrame, desa_pb: gpd.GeoDataFrame) -> None:
    assert kecamatan_pb["area_km2"].sum() == pytest.approx(2937.8, abs=1.0)
    utm = kecamatan_pb.to_crs(32748).area.to_numpy() / 1e6
    np.testing.assert_allclose(kecamatan_pb["area_km2"], utm, rtol=1e-9)
    assert desa_pb["area_km2"].sum() == pytest.approx(kecamatan_pb["area_km2"].sum(), rel=0.002)
    bangkunat = kecamatan_pb.set_index("kode").loc["18.13.11", "area_km2"]
    assert bangkunat == pytest.approx(955, abs=2)


def test_iou_with_reference(kecamatan_pb: gpd.GeoDataFrame, reference_dir: Path) -> None:
    ref = gpd.read_file(reference_dir / "pesisir_barat_kecamatan.geojson")
    iou = _iou(kecamatan_pb, ref)
    assert iou.min() >= 0.99, iou.sort_values().head()


def test_pulau_pisang_is_a_lone_island(kecamatan_pb: gpd.GeoDataFrame) -> None:
    kec = kecamatan_pb.set_index("kode")
    island = kec.geometry["18.13.06"]
    assert kec.loc["18.13.06", "nama"] == "Pulau Pisang"
    assert len(island.geoms) == 1
    others = kec.geometry.drop("18.13.06")
    assert not others.intersects(island).any()
    assert (
        others.to_crs(32748).distance(gpd.GeoSeries([island], crs=4326).to_crs(32748)[0]).min()
        > 500
    )


def _overlap_m2(layer: gpd.GeoDataFrame) -> float:
    utm = layer.to_crs(32748)
    i, j = utm.sindex.query(utm.geometry, predicate="intersects")
    keep = i < j
    pairs = shapely.intersection(utm.geometry.values[i[keep]], utm.geometry.values[j[keep]])
    return float(shapely.area(pairs).sum())


def test_units_do_not_overlap(kecamatan_pb: gpd.GeoDataFrame, desa_pb: gpd.GeoDataFrame) -> None:
    # Only 1e-6 degree snapping noise remains (the reference desa layer has 288 m² too).
    assert _overlap_m2(kecamatan_pb) < 100
    assert _overlap_m2(desa_pb) < 500


# ------------------------------------------------------------------ names and aliases


def test_alternative_names(kecamatan_pb: gpd.GeoDataFrame) -> None:
    alt = kecamatan_pb.set_index("kode")["nama_alt"]
    assert alt["18.13.10"] == "Bengkunat"
    assert alt["18.13.11"].split("; ")[0] == "Bengkunat Belimbing"
    assert alt["18.13.06"] == "Pulaupisang"
    assert alt["18.13.01"] == ""
    table = load_aliases()
    assert set(table.columns) == {"kode", "alias", "kind", "note"}
    assert table.loc[table["alias"] == "Bengkunat Belimbing", "kind"].item() == "bps2018"


def test_analyst_aliases_are_merged(tmp_path: Path) -> None:
    extra = pd.DataFrame({"kode": ["18.13.01", "18.13.10"], "alias": ["Krui", "Bengkunat"]})
    kec = load_kecamatan("18.13", aliases=extra).set_index("kode")
    assert kec.loc["18.13.01", "nama_alt"] == "Krui"
    assert kec.loc["18.13.10", "nama_alt"] == "Bengkunat"  # no duplicate
    path = tmp_path / "alias.csv"
    pd.DataFrame({"kode": ["18.13.07"], "alias": ["Wai Krui"], "kind": ["spelling"]}).to_csv(
        path, index=False
    )
    assert load_kecamatan(aliases=path).set_index("kode").loc["18.13.07", "nama_alt"] == "Wai Krui"
    assert load_kecamatan().set_index("kode").loc["18.13.07", "nama_alt"] == ""


def test_bad_alias_table_names_the_missing_column() -> None:
    with pytest.raises(ValueError, match=r"aliases: tidak ada kolom untuk alias;.*kode=18\.13\.10"):
        load_kecamatan("18.13", aliases=pd.DataFrame({"kode": ["18.13.01"], "name": ["x"]}))


# ------------------------------------------------------------------ cache and copies


def test_returns_independent_copies() -> None:
    first = load_kecamatan("18.13")
    first.loc[0, "nama"] = "DIUBAH"
    first.attrs["source"]["name"] = "changed"
    again = load_kecamatan("18.13")
    assert again.loc[0, "nama"] == "Pesisir Tengah"
    assert again.attrs["source"] == BOUNDARY_SOURCE


def test_cache_is_reused_and_build_version_invalidates(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real_build = boundaries._build

    def counting(kab: str, name: str) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
        calls.append(kab)
        return real_build(kab, name)

    monkeypatch.setattr(boundaries, "_build", counting)
    load_kecamatan("18.13")
    load_desa("18.13")
    load_kecamatan("18.13")
    assert calls == ["18.13"]
    assert len(list((fresh_cache / "layers").glob("18.13_*.parquet"))) == 2
    monkeypatch.setattr(boundaries, "BUILD_VERSION", boundaries.BUILD_VERSION + 1)
    assert len(load_desa("18.13")) == 118
    assert calls == ["18.13", "18.13"]
    assert not list((fresh_cache / "layers").glob("*.part"))


def test_cold_and_cached_layers_are_identical(fresh_cache: Path) -> None:
    cold = load_kecamatan("18.13")
    cached = load_kecamatan("18.13")
    pd.testing.assert_frame_equal(pd.DataFrame(cold), pd.DataFrame(cached))
    assert cold.attrs == cached.attrs


def test_unreadable_cached_layer_is_rebuilt(fresh_cache: Path) -> None:
    load_desa("18.13")
    (layer,) = (fresh_cache / "layers").glob("18.13_desa_*.parquet")
    layer.write_bytes(b"PAR1 truncated")
    assert len(load_desa("18.13")) == 118
    assert len(load_desa("18.13")) == 118


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("18.99", "18.13 Kabupaten Pesisir Barat"),
        ("18.13.01", "provinsi Lampung"),
        ("Pesisir Barat", "18.13 Kabupaten Pesisir Barat"),
        ("99.99", "db/wilayah.sql"),
        ("19.99", "19.01 Kabupaten Bangka"),
    ],
)
def test_unknown_kabupaten_lists_valid_codes(value: object, expected: str) -> None:
    with pytest.raises(UnknownAreaError, match=expected):
        load_kecamatan(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_unknown_kabupaten_is_named_offline_without_any_download(
    monkeypatch: pytest.MonkeyPatch, fresh_cache: Path, lang: str
) -> None:
    """Issue 19: offline, ``--kab 99.99`` said to prepare offline data for it; now it says the
    code does not exist (the list ships with the package) and suggests the closest codes."""
    from pilkada_risk.geo import upstream

    monkeypatch.delenv("PILKADA_RISK_MIRROR", raising=False)

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unknown kabupaten must not reach the network")

    monkeypatch.setattr(upstream.urllib.request, "urlopen", no_network)
    word = {"id": "tidak ada dalam daftar", "en": "is not in the list"}[lang]
    with pytest.raises(UnknownAreaError, match=word) as info:
        load_kecamatan("99.99", lang=lang)
    text = str(info.value)
    assert "91.19" in text and "offline" not in text.lower()
    with pytest.raises(UnknownAreaError, match="18.01, 18.02, 18.03"):
        load_kecamatan("18.99", lang=lang)  # the kabupaten of the same province, by code
    assert "18.13" in codes.known_kab_codes() and len(codes.known_kab_codes()) > 500


def test_kab_kode_as_a_number_is_read_with_two_decimals() -> None:
    # papermill's `-p kab_kode 18.13` arrives as the float 18.13 (issue 12)
    assert load_kecamatan(18.13)["kode"].tolist() == load_kecamatan("18.13")["kode"].tolist()


def test_unknown_kabupaten_in_english() -> None:
    with pytest.raises(UnknownAreaError, match="not a known Kemendagri kabupaten/kota code"):
        load_desa("18.00", lang="en")


def test_kabupaten_without_boundary_file(
    monkeypatch: pytest.MonkeyPatch, fresh_cache: Path
) -> None:
    real = boundaries.registry

    def without_pb(repo: str, commit: str) -> dict[str, str]:
        table = dict(real(repo, commit))
        table.pop("db/kel/18/wilayah_boundaries_kel_18.13.sql", None)
        return table

    monkeypatch.setattr(boundaries, "registry", without_pb)
    monkeypatch.setattr(codes, "registry", without_pb)  # the offline list of kabupaten codes
    with pytest.raises(UnknownAreaError, match="has no desa file"):
        load_kecamatan("18.13", lang="en")


# ------------------------------------------------------------------ geometry helpers


def _square(x: float, y: float, size: float) -> shapely.Polygon:
    return shapely.box(x, y, x + size, y + size)


def test_smaller_polygon_wins() -> None:
    big, small = _square(0, 0, 0.02), _square(0.015, 0.015, 0.01)
    out = _geometry.smaller_wins(np.array([big, small], dtype=object))
    assert out[1].equals(shapely.MultiPolygon([small]))
    assert out[0].area == pytest.approx(big.area - 0.005**2)
    assert not shapely.overlaps(out[0], out[1])


def test_small_holes_filled_unless_another_unit_is_inside() -> None:
    outer = _square(104.0, -5.1, 0.05)
    sliver = _square(104.01, -5.09, 0.0005)  # about 55 m square, 0.3 ha
    enclave = _square(104.03, -5.07, 0.0005)
    lake = _square(104.02, -5.06, 0.005)  # about 30 ha: a real hole, kept
    donut = shapely.MultiPolygon([outer.difference(sliver).difference(enclave).difference(lake)])
    geoms = np.array([donut, shapely.MultiPolygon([enclave])], dtype=object)
    out = _geometry.fill_slivers(geoms, "EPSG:32748")
    assert len(out[0].geoms[0].interiors) == 2
    assert out[0].contains(sliver.centroid)
    assert not out[0].contains(enclave.centroid)
    assert out[1].equals(geoms[1])


def test_polygonal_drops_lines_and_repairs_bowties() -> None:
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    mixed = shapely.GeometryCollection([_square(5, 5, 1), shapely.LineString([(0, 0), (1, 1)])])
    out = _geometry.polygonal(np.array([bowtie, mixed], dtype=object))
    assert [g.geom_type for g in out] == ["MultiPolygon", "MultiPolygon"]
    assert shapely.is_valid(out).all()
    assert out[0].area == pytest.approx(0.5)
    assert out[1].area == pytest.approx(1.0)


# ------------------------------------------------------------------ write_layer


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".parquet"])
def test_write_layer_round_trip(
    kecamatan_pb: gpd.GeoDataFrame, tmp_path: Path, suffix: str
) -> None:
    out = write_layer(kecamatan_pb, tmp_path / "sub" / f"kec{suffix}")
    back = gpd.read_parquet(out) if suffix == ".parquet" else gpd.read_file(out)
    assert back["kode"].tolist() == kecamatan_pb["kode"].tolist()
    assert back.crs.to_epsg() == 4326
    assert [p.name for p in out.parent.iterdir()] == [out.name]


def test_write_layer_refuses_other_suffixes(kecamatan_pb: gpd.GeoDataFrame, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"'\.shp' is not supported; use one of \.gpkg"):
        write_layer(kecamatan_pb, tmp_path / "kec.shp")
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ kecamatan with missing desa


def test_incomplete_kecamatan_are_filled_from_the_coarse_layer(reference_dir: Path) -> None:
    kec = load_kecamatan("18.12")  # 18.12.01, .03 and .06 lack desa polygons upstream
    ref = gpd.read_file(reference_dir / "lampung_kecamatan.geojson")
    iou = _iou(kec, ref[ref["kab_kode"] == "18.12"])
    assert len(kec) == 9
    assert iou[["18.12.01", "18.12.03", "18.12.06"]].min() >= 0.99


@pytest.mark.slow
def test_all_lampung_kecamatan_match_reference(reference_dir: Path) -> None:
    ref = gpd.read_file(reference_dir / "lampung_kecamatan.geojson")
    ours = pd.concat([load_kecamatan(kab) for kab in LAMPUNG], ignore_index=True)
    assert len(ours) == 229 and ours["kode"].is_unique
    assert set(ours["kode"]) == set(ref["kode"])
    assert ours.is_valid.all() and set(ours.geom_type) == {"MultiPolygon"}
    iou = _iou(ours, ref)
    assert iou.min() >= 0.99, iou.sort_values().head()
    official = ours.groupby("kab_kode")["area_km2"].sum()
    expected = ref.groupby("kab_kode")["area_km2"].sum()
    np.testing.assert_allclose(official, expected.reindex(official.index), rtol=0.005)


def test_utm_zone_matches_geopandas(kecamatan_pb: gpd.GeoDataFrame) -> None:
    assert _geometry.utm_crs(kecamatan_pb.total_bounds) == "EPSG:32748"
    assert kecamatan_pb.estimate_utm_crs().to_epsg() == 32748
    assert _geometry.utm_crs(np.array([95.2, 5.4, 95.6, 5.6])) == "EPSG:32646"  # Aceh, north
