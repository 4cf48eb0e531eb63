from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from libpysal.graph import Graph
from scipy import sparse
from shapely.geometry import box

from pilkada_risk.scoring.spatial import (
    build_graph,
    local_statistics,
    row_standardised,
    spatial_lag,
)


@pytest.fixture(scope="module")
def pb(kecamatan_pb):
    """Pesisir Barat's 11 kecamatan, built from the pinned files like an analyst's."""
    return kecamatan_pb


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
    assert sparse.issparse(w) and w.format == "csr" and w.nnz == graph.n_edges
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    y = np.arange(11.0)
    np.testing.assert_allclose(spatial_lag(w, y), graph.transform("R").lag(y))


def test_sparse_and_dense_lag_agree_for_vectors_and_replicates(pb):
    graph, _ = build_graph(pb)
    w = row_standardised(graph)
    binary = graph.sparse.toarray()
    dense = binary / binary.sum(axis=1, keepdims=True)
    np.testing.assert_array_equal(w.toarray(), dense)
    reps = np.random.default_rng(0).gamma(1.0, 2.0, size=(5, 11))
    for values in (reps[0], reps, reps[:, :].tolist()):
        out = spatial_lag(w, values)
        assert out.shape == np.shape(values) and isinstance(out, np.ndarray)
        np.testing.assert_allclose(out, spatial_lag(dense, values), rtol=1e-14, atol=0)
    np.testing.assert_allclose(spatial_lag(w, reps)[3], spatial_lag(w, reps[3]), rtol=1e-14)


def test_a_row_without_links_stays_zero():
    g = Graph.from_arrays(  # d is an isolate (libpysal stores a zero self-link)
        np.array(["a", "b", "c", "d"]), np.array(["b", "a", "a", "d"]), np.array([1, 1, 1, 0.0])
    )
    w = row_standardised(g)
    assert np.isfinite(w.data).all() and w.toarray()[3].tolist() == [0.0] * 4
    assert spatial_lag(w, [1.0, 2.0, 3.0, 4.0]).tolist() == [2.0, 1.0, 1.0, 0.0]


def test_multi_unit_islands_stay_separate_and_are_stated():
    def sq(x, y):
        return box(x, y, x + 0.1, y + 0.1)

    areas = gpd.GeoDataFrame(
        {"kode": list("abcdef"), "nama": ["A", "B", "C", "D", "Pulau E", "F"]},
        # mainland a-b-c, island d+f (two kecamatan) ~ 50 km off, islet e next to the mainland
        geometry=[sq(105, -5), sq(105.1, -5), sq(105.2, -5), sq(105.7, -5), sq(105.3, -4.85),
                  sq(105.8, -5)],
        crs=4326,
    )  # fmt: skip
    graph, note = build_graph(areas, island_k=1)
    assert graph.n_components == 2 and len(graph.isolates) == 0
    assert set(graph["d"].index) == {"f"} and set(graph["f"].index) == {"d"}
    assert set(graph["e"].index) == {"c"}  # the single-unit islet is attached
    assert note.startswith("Pulau E (e) tanpa tetangga darat; dihubungkan ke tetangga terdekat")
    assert note.endswith(
        "1 kelompok kecamatan tanpa hubungan darat dengan kelompok terbesar tidak dihubungkan "
        "melintasi laut (limpahan hanya dihitung di dalam kelompoknya): D (d) + 1 kecamatan"
    )
    lag = spatial_lag(row_standardised(graph), np.array([1.0, 1, 1, 9, 1, 9]))
    assert lag.tolist() == [1.0, 1.0, 1.0, 9.0, 1.0, 9.0]  # no spillover across the sea


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


def test_local_statistics_with_two_units_are_not_significant_with_a_note():
    g = Graph.from_arrays(np.array(["a", "b"]), np.array(["b", "a"]), np.ones(2))
    out = local_statistics([1.0, 5.0], g, permutations=99)
    assert out["gi_label"].tolist() == ["tidak_signifikan"] * 2
    assert out["gi_p"].tolist() == [1.0, 1.0]
    assert "hanya 2 kecamatan" in out.attrs["note"]
