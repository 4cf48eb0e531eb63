from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from pilkada_risk.intake.place import locate, place_names, place_points


def test_points_inside_snapped_and_outside(kecamatan_pb, desa_pb) -> None:
    krui = kecamatan_pb.loc[kecamatan_pb["kode"] == "18.13.01"].geometry.iloc[0]
    inside = krui.representative_point()
    lon = np.array([inside.x, 103.93, 103.5, np.nan])
    lat = np.array([inside.y, -5.19, -5.0, np.nan])
    out = place_points(lon, lat, kecamatan_pb, desa_pb)
    assert out["kec_kode"].tolist() == ["18.13.01", "18.13.01", None, None]
    assert out["jarak_m"].iat[0] == 0 and 0 < out["jarak_m"].iat[1] < 2000
    assert out["desa_kode"].iat[0].startswith("18.13.01.")
    assert place_points(lon, lat, kecamatan_pb, tolerance_m=0)["kec_kode"].iat[1] is None


def test_names_aliases_and_ambiguous_pekon(kecamatan_pb, desa_pb) -> None:
    kec = pd.Series(
        [
            "Bengkunat",
            "Bengkunat",
            "Bengkunat Belimbing",
            None,
            "Krui Selatan",
            "Kec. Pulaupisang",
            None,
            None,
        ]
    )
    desa = pd.Series(
        [None, "Way Haru", None, "Sukarame", "Walur", None, "Antah Berantah", "Pekon Pahmungan"]
    )
    out = place_names(kec, desa, kecamatan_pb, desa_pb)
    assert out["kec_kode"].tolist()[:3] == ["18.13.10", "18.13.11", "18.13.11"]
    assert out["catatan"].iat[0][0][0] == "alias_kec_rancu"
    assert out["masalah"].iat[3] == "nama_ambigu"
    assert "18.13.02.2002" in out["kandidat"].iat[3] and "18.13.10.2019" in out["kandidat"].iat[3]
    assert out["desa_kode"].iat[4] == "18.13.08.2006"
    assert out["kec_kode"].iat[5] == "18.13.06"
    assert out["masalah"].iat[6] == "lokasi_tidak_ditemukan"
    # a desa name found in one kecamatan only places the row; the kecamatan follows
    assert out.iloc[7][["kec_kode", "desa_kode", "masalah"]].tolist() == [
        "18.13.01",
        "18.13.01.2007",
        None,
    ]


def test_utm_zone_of_the_layer(kecamatan_pb) -> None:
    from pilkada_risk.geo.geometry import utm_crs

    assert utm_crs(kecamatan_pb) == "EPSG:32748"  # Pesisir Barat: UTM 48S
    assert utm_crs(kecamatan_pb.to_crs(32748)) == "EPSG:32748"


def test_locate_repairs_swap_and_sign(kecamatan_pb, desa_pb) -> None:
    lat = pd.Series(["103,9285", "5.2099", "-5.2099"], dtype=object)
    lon = pd.Series(["-5,2099", "103.9285", "103.9285"], dtype=object)
    kec = pd.Series([None, None, "Lemong"], dtype=object)
    out = locate(lat, lon, kec, pd.Series([None] * 3, dtype=object), kecamatan_pb, desa_pb)
    assert (out["kec_kode"] == "18.13.01").all()
    keys = [[k for k, _ in notes] for notes in out["notes"]]
    assert keys == [["tukar_latlon"], ["balik_lintang"], ["konflik_kec"]]
    assert out["lat"].tolist() == [-5.2099] * 3


def _exact_nearest(points: gpd.GeoDataFrame, units: gpd.GeoDataFrame, tolerance_m: float):
    """The placement contract written out with geopandas: "within", else "intersects", else
    ``sjoin_nearest`` within ``tolerance_m`` on the whole polygons reprojected to UTM.
    Returns ``{point: (set of equally near codes, distance)}``."""
    from pilkada_risk.geo.geometry import utm_crs

    found: dict[int, tuple[set[str], float]] = {}
    rest = points
    for predicate in ("within", "intersects"):
        hit = gpd.sjoin(rest, units[["kode", "geometry"]], how="inner", predicate=predicate)
        for i, kode in zip(hit.index, hit["kode"], strict=True):
            found.setdefault(i, (set(), 0.0))[0].add(kode)
        rest = rest.loc[~rest.index.isin(hit.index)]
    utm = utm_crs(units)
    near = gpd.sjoin_nearest(
        rest.to_crs(utm),
        units[["kode", "geometry"]].to_crs(utm),
        how="inner",
        max_distance=tolerance_m,
        distance_col="jarak",
    )
    for i, kode, jarak in zip(near.index, near["kode"], near["jarak"], strict=True):
        found.setdefault(i, (set(), jarak))[0].add(kode)
    return found


def _sample_points(kec: gpd.GeoDataFrame, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Points inside, on borders between kecamatan, 50-1990 m off the coast and 2-6 km off."""
    import shapely

    rng = np.random.default_rng(seed)
    geoms = kec.geometry.to_numpy()
    bounds = kec.total_bounds
    inside = rng.uniform(bounds[:2], bounds[2:], size=(400, 2))
    coast = shapely.get_coordinates(shapely.union_all(geoms).boundary)
    v = coast[rng.integers(0, len(coast), 3000)]
    dist = np.r_[rng.uniform(50, 1990, 2500), rng.uniform(2000, 6000, 500)]
    angle = rng.uniform(0, 2 * np.pi, len(v))
    off = v + np.column_stack(
        [
            dist * np.cos(angle) / (111_320 * np.cos(np.radians(v[:, 1]))),
            dist * np.sin(angle) / 110_574,
        ]
    )
    shared = shapely.get_coordinates(shapely.intersection(geoms[0], geoms[1:]))  # on borders
    on_border = shared[rng.integers(0, max(len(shared), 1), 200)] if len(shared) else shared
    xy = np.concatenate([inside, off, on_border])
    return xy[:, 0], xy[:, 1]


def test_fast_nearest_places_like_the_exact_method(kecamatan_pb, desa_pb) -> None:
    """Same codes and distances as within + intersects + sjoin_nearest on whole polygons,
    for points inside, on borders, just off the coast and beyond the tolerance."""
    lon, lat = _sample_points(kecamatan_pb)
    out = place_points(lon, lat, kecamatan_pb, desa_pb)
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326)
    exact_kec = _exact_nearest(points, kecamatan_pb, 2000.0)
    exact_desa = _exact_nearest(points, desa_pb, 2000.0)
    snapped = 0
    for i in range(len(lon)):
        kode, jarak = out["kec_kode"].iat[i], out["jarak_m"].iat[i]
        if i not in exact_kec:
            assert kode is None and np.isnan(jarak)
            continue
        codes, expected = exact_kec[i]
        assert kode in codes, i
        assert jarak == pytest.approx(expected, abs=1e-6)
        snapped += jarak > 0
        desa_codes = exact_desa.get(i, (set(), 0.0))[0]
        parents = {c[:8] for c in desa_codes}
        if out["desa_kode"].iat[i] is not None:
            assert out["desa_kode"].iat[i] in desa_codes and out["desa_kode"].iat[i][:8] == kode
        elif len(desa_codes) == 1 and parents == {kode}:
            raise AssertionError(f"point {i}: desa {desa_codes} not kept")
    assert snapped > 1000  # the sample really exercises the nearest step
    assert out["kec_kode"].isna().sum() > 100  # and points beyond the tolerance


def test_nearest_ties_holes_and_layer_order() -> None:
    """A point off a corner shared by two units goes to the first in layer order; a point in
    a hole is measured to the hole's ring."""
    import shapely

    a = shapely.box(103.00, -5.02, 103.01, -5.01)
    b = shapely.box(103.01, -5.02, 103.02, -5.01)
    ring = shapely.Polygon(
        shapely.box(103.10, -5.10, 103.20, -5.00).exterior.coords,
        [shapely.box(103.14, -5.06, 103.16, -5.04).exterior.coords],
    )
    layer = gpd.GeoDataFrame({"kode": ["A", "B", "C"]}, geometry=[a, b, ring], crs=4326)
    lon, lat = np.array([103.01, 103.15]), np.array([-5.0095, -5.05])
    out = place_points(lon, lat, layer)
    assert out["kec_kode"].tolist() == ["A", "C"]
    assert place_points(lon, lat, layer.iloc[[1, 0, 2]])["kec_kode"].tolist() == ["B", "C"]
    exact = _exact_nearest(gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326),
                           layer, 2000.0)  # fmt: skip
    assert exact[0][0] == {"A", "B"} and exact[1][0] == {"C"}
    assert out["jarak_m"].tolist() == pytest.approx([exact[0][1], exact[1][1]], abs=1e-6)
    assert 1000 < out["jarak_m"].iat[1] < 1200  # 0.01 degree to the hole's ring


def test_nearest_in_a_wide_bay_beyond_the_tolerance() -> None:
    """A point inside a unit's bounding box but farther than the tolerance from its outline
    (a wide bay) stays unplaced; with a larger tolerance it is placed."""
    import shapely

    bay = shapely.Polygon(
        [(103, -5), (103.2, -5), (103.2, -4.99), (103.01, -4.99), (103.01, -4.81),
         (103.2, -4.81), (103.2, -4.8), (103, -4.8)]
    )  # fmt: skip
    layer = gpd.GeoDataFrame({"kode": ["A"]}, geometry=[bay], crs=4326)
    lon, lat = np.array([103.15]), np.array([-4.9])
    assert place_points(lon, lat, layer)["kec_kode"].tolist() == [None]
    far = place_points(lon, lat, layer, tolerance_m=20_000)
    assert far["kec_kode"].tolist() == ["A"] and 9_000 < far["jarak_m"].iat[0] < 11_000
