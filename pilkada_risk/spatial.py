"""Neighbour graphs (fuzzy contiguity plus island links), spatial lag, Gi* and Local Moran."""

from __future__ import annotations

import warnings
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from libpysal.graph import Graph
from numpy.typing import ArrayLike, NDArray

__all__ = ["build_graph", "local_statistics", "row_standardised", "spatial_lag"]

_LISA = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}


def build_graph(
    areas: gpd.GeoDataFrame, *, buffer_m: float = 100.0, island_k: int = 2
) -> tuple[Graph, str]:
    """Build a binary, symmetric neighbour graph over ``areas`` indexed by ``kode``.

    Polygons closer than ``buffer_m`` metres (measured in the areas' UTM zone) are neighbours
    (``Graph.build_fuzzy_contiguity``), which closes slivers and gaps between digitised
    boundaries. A unit left without neighbours (an island such as Pulau Pisang) is linked, both
    ways, to its ``island_k`` nearest units by centroid distance.

    Returns
    -------
    (Graph, str)
        The binary graph (weights 1, no self-links) and a note in Bahasa Indonesia stating
        which units were attached to which (``""`` when none).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> areas = gpd.GeoDataFrame({"kode": ["a", "b", "c"], "nama": ["A", "B", "Pulau"]},
    ...     geometry=[box(105, -5, 105.1, -4.9), box(105.1, -5, 105.2, -4.9),
    ...               box(105.5, -5, 105.55, -4.95)], crs=4326)
    >>> g, note = build_graph(areas, island_k=1)
    >>> sorted(g.adjacency.index.tolist())
    [('a', 'b'), ('b', 'a'), ('b', 'c'), ('c', 'b')]
    >>> note
    'Pulau (c) tanpa tetangga darat; dihubungkan ke tetangga terdekat: B (b)'
    """
    if "kode" not in areas.columns:
        raise ValueError("areas needs a 'kode' column (load_kecamatan output)")
    if len(areas) < 2:
        raise ValueError(f"areas has {len(areas)} unit(s); a neighbour graph needs at least 2")
    projected = areas.set_index("kode").to_crs(areas.estimate_utm_crs())
    geoms = projected.geometry
    graph = Graph.build_fuzzy_contiguity(geoms, buffer=float(buffer_m)).transform("B")
    isolates = list(graph.isolates)
    if not isolates:
        return graph, ""
    adj = graph.adjacency.reset_index()
    adj = adj[adj["focal"] != adj["neighbor"]]
    cent = np.column_stack([geoms.centroid.x, geoms.centroid.y])
    codes = list(geoms.index)
    names = dict(zip(areas["kode"], areas.get("nama", areas["kode"]), strict=True))
    extra: list[tuple[str, str]] = []
    notes = []
    for iso in isolates:
        i = codes.index(iso)
        dist = np.hypot(*(cent - cent[i]).T)
        dist[i] = np.inf
        k = min(int(island_k), len(codes) - 1)
        nearest = [codes[j] for j in np.argsort(dist, kind="stable")[:k]]
        extra += [(iso, n) for n in nearest] + [(n, iso) for n in nearest]
        targets = ", ".join(f"{names[n]} ({n})" for n in nearest)
        notes.append(
            f"{names[iso]} ({iso}) tanpa tetangga darat; "
            f"dihubungkan ke tetangga terdekat: {targets}"
        )
    pairs = pd.concat(
        [adj[["focal", "neighbor"]], pd.DataFrame(extra, columns=["focal", "neighbor"])]
    ).drop_duplicates()
    linked = Graph.from_arrays(
        pairs["focal"].to_numpy(), pairs["neighbor"].to_numpy(), np.ones(len(pairs))
    )
    # from_arrays orders ids by first appearance; restore the areas' order.
    linked = Graph.from_sparse(
        linked.sparse[np.ix_(_order(linked, codes), _order(linked, codes))], ids=codes
    )
    return linked.transform("B"), "; ".join(notes)


def _order(graph: Graph, codes: list[str]) -> list[int]:
    ids = list(graph.unique_ids)
    return [ids.index(c) for c in codes]


def row_standardised(graph: Graph) -> NDArray[np.float64]:
    """Dense row-standardised weight matrix (rows sum to 1; a row without links stays 0)."""
    dense = np.asarray(graph.sparse.toarray(), dtype=float)
    sums = dense.sum(axis=1, keepdims=True)
    return np.divide(dense, sums, out=np.zeros_like(dense), where=sums > 0)


def spatial_lag(weights: NDArray[np.float64], values: ArrayLike) -> NDArray[np.float64]:
    """Neighbour average ``W y`` for ``values`` of shape ``(n,)`` or ``(replicates, n)``.

    Examples
    --------
    >>> w = np.array([[0, 1.0], [1.0, 0]])
    >>> spatial_lag(w, [[1.0, 3.0]]).tolist()
    [[3.0, 1.0]]
    """
    return np.asarray(values, dtype=float) @ weights.T


def local_statistics(
    values: ArrayLike,
    graph: Graph,
    *,
    permutations: int = 999,
    fdr_alpha: float = 0.1,
    seed: int = 0,
) -> pd.DataFrame:
    """Getis-Ord Gi* and Local Moran with seeded permutation inference and FDR labels.

    Gi* uses the binary graph with self-weight 1, row-standardised (``esda.G_Local``,
    ``star=True``); Local Moran the row-standardised graph. ``gi_p`` and ``lisa_p`` are esda's
    folded (directed) pseudo p-values; a unit is labelled only when its p-value is at most the
    FDR cut-off ``esda.fdr(p, fdr_alpha)``. With a constant ``values`` (e.g. no incidents at
    all) every unit is ``tidak_signifikan`` with z = 0, p = 1.

    Returns
    -------
    pandas.DataFrame
        ``gi_z``, ``gi_p``, ``gi_label`` (hotspot / coldspot / tidak_signifikan), ``lisa_q``
        (1 HH, 2 LH, 3 LL, 4 HL), ``lisa_p``, ``lisa_label`` (HH, LH, LL, HL or
        tidak_signifikan), indexed like the graph.
    """
    import esda

    y = np.asarray(values, dtype=float)
    ids = list(graph.unique_ids)
    if y.std() == 0 or permutations < 1:
        return pd.DataFrame(
            {
                "gi_z": 0.0,
                "gi_p": 1.0,
                "gi_label": "tidak_signifikan",
                "lisa_q": 0,
                "lisa_p": 1.0,
                "lisa_label": "tidak_signifikan",
            },
            index=pd.Index(ids, name="kode"),
        )
    kw: dict[str, Any] = {"permutations": permutations, "seed": seed, "n_jobs": 1}
    with warnings.catch_warnings():
        # esda 2.9 announces a future change of the default alternative hypothesis.
        warnings.filterwarnings("ignore", message="The alternative hypothesis", category=Warning)
        gi = esda.G_Local(y, graph, transform="R", star=True, **kw)
        lisa = esda.Moran_Local(y, graph.transform("R"), **kw)
    gi_cut = esda.fdr(gi.p_sim, fdr_alpha)
    lisa_cut = esda.fdr(lisa.p_sim, fdr_alpha)
    gi_sig = gi.p_sim <= gi_cut
    lisa_sig = lisa.p_sim <= lisa_cut
    gi_label = np.where(gi_sig & (gi.Zs > 0), "hotspot", "tidak_signifikan")
    gi_label = np.where(gi_sig & (gi.Zs < 0), "coldspot", gi_label)
    lisa_label = [
        _LISA[int(q)] if s else "tidak_signifikan" for q, s in zip(lisa.q, lisa_sig, strict=True)
    ]
    return pd.DataFrame(
        {
            "gi_z": np.asarray(gi.Zs, dtype=float),
            "gi_p": np.asarray(gi.p_sim, dtype=float),
            "gi_label": gi_label,
            "lisa_q": np.asarray(lisa.q, dtype=int),
            "lisa_p": np.asarray(lisa.p_sim, dtype=float),
            "lisa_label": lisa_label,
        },
        index=pd.Index(ids, name="kode"),
    )
