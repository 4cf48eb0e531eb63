from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from pilkada_risk.spatial import build_graph, local_statistics, row_standardised, spatial_lag


@pytest.fixture(scope="module")
def pb(reference_dir):
    return gpd.read_file(reference_dir / "pesisir_barat_kecamatan.geojson")


def test_pulau_pisang_is_attached_and_stated(pb):
    graph, note = build_graph(pb, buffer_m=100, island_k=2)
    assert list(graph.unique_ids) == pb["kode"].tolist()
    assert len(graph.isolates) == 0
    assert graph.cardinalities["18.13.06"] == 2
    assert "Pulau Pisang (18.13.06)" in note and "tetangga terdekat" in note
    dense = graph.sparse.toarray()
    np.testing.assert_array_equal(dense, dense.T)
    assert np.all(np.diag(dense) == 0)


def test_buffer_closes_a_sliver_gap():
    areas = gpd.GeoDataFrame(
        {"kode": ["a", "b"], "nama": ["A", "B"]},
        geometry=[box(105, -5, 105.1, -4.9), box(105.1002, -5, 105.2, -4.9)],  # ~22 m gap
        crs=4326,
    )
    graph, note = build_graph(areas, buffer_m=50)
    assert note == "" and graph.cardinalities.tolist() == [1, 1]
    _, note = build_graph(areas, buffer_m=0, island_k=1)
    assert "tanpa tetangga darat" in note


def test_lag_and_row_standardisation(pb):
    graph, _ = build_graph(pb)
    w = row_standardised(graph)
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    y = np.arange(11.0)
    np.testing.assert_allclose(spatial_lag(w, y), graph.transform("R").lag(y))


def test_local_statistics_are_seeded_and_flag_a_cluster(pb):
    graph, _ = build_graph(pb)
    y = np.ones(11)
    codes = pb["kode"].tolist()
    for k in ("18.13.09", "18.13.10", "18.13.11"):
        y[codes.index(k)] = 30.0
    a = local_statistics(y, graph, permutations=199, seed=1)
    b = local_statistics(y, graph, permutations=199, seed=1)
    assert a.equals(b)
    assert a.loc["18.13.10", "gi_z"] > 0 and a.loc["18.13.10", "lisa_q"] == 1
    assert set(a["gi_label"]) <= {"hotspot", "coldspot", "tidak_signifikan"}
    flat = local_statistics(np.zeros(11), graph)
    assert (flat["gi_label"] == "tidak_signifikan").all() and (flat["gi_p"] == 1).all()
