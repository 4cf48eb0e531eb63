"""Tests of pilkada_risk.metrics: a worked example, invariants and the knapsack bound."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilkada_risk.metrics import (
    capture_curve,
    hit_rate,
    pai,
    pei_star,
    poisson_deviance,
    spearman,
    summarize_metrics,
    topk_table,
)

UNITS = ["A", "B", "C", "D"]
SCORES = pd.Series([0.9, 0.7, 0.5, 0.1], index=UNITS)
COUNTS = pd.Series([2, 5, 1, 4], index=UNITS)
AREAS = pd.Series([15.0, 20.0, 55.0, 10.0], index=UNITS)


def test_worked_example_by_hand():
    """Four units, worked out on paper.

    ====  =====  ======  =====
    unit  score  area    count
    ====  =====  ======  =====
    A     0.9    15      2
    B     0.7    20      5
    C     0.5    55      1
    D     0.1    10      4
    ====  =====  ======  =====

    N = 12 incidents, A = 100 km². Flagging order A, B, C, D.

    k = 1 (A): n = 2, hit rate = 2/12 = 1/6; area share = 15/100; PAI = (1/6)/0.15 = 1.111.
    PEI* by count: the best single unit is B with 5 → 2/5 = 0.4.
    PEI* by area: within 15 km² the best is D (10 km², 4 incidents) → 2/4 = 0.5.

    k = 2 (A, B): n = 7, hit rate = 7/12; area share = 35/100; PAI = (7/12)/0.35 = 1.667.
    PEI* by count: the best two units are B + D = 9 → 7/9.
    PEI* by area: within 35 km², B + D (30 km²) capture 9 → 7/9.
    """
    assert hit_rate(SCORES, COUNTS, 1) == pytest.approx(1 / 6)
    assert hit_rate(SCORES, COUNTS, 2) == pytest.approx(7 / 12)
    assert pai(SCORES, COUNTS, AREAS, 1) == pytest.approx((1 / 6) / 0.15)
    assert pai(SCORES, COUNTS, AREAS, 2) == pytest.approx((7 / 12) / 0.35)
    assert pei_star(SCORES, COUNTS, 1) == pytest.approx(0.4)
    assert pei_star(SCORES, COUNTS, 2) == pytest.approx(7 / 9)
    assert pei_star(SCORES, COUNTS, 1, areas=AREAS, by="area") == pytest.approx(0.5)
    assert pei_star(SCORES, COUNTS, 2, areas=AREAS, by="area") == pytest.approx(7 / 9)
    # all four flagged: everything captured, everything efficient
    table = topk_table(SCORES, COUNTS, AREAS)
    assert table.iloc[-1][["hit_rate", "pai", "pei_count", "pei_area"]].tolist() == [1, 1, 1, 1]
    assert table["kode"].tolist() == ["A", "B", "C", "D"]


def test_series_are_aligned_by_kode_not_position():
    shuffled = COUNTS.loc[["D", "C", "B", "A"]]
    assert hit_rate(SCORES, shuffled, 1) == pytest.approx(1 / 6)


def test_ties_are_broken_by_kode():
    scores = pd.Series([1.0, 1.0, 1.0], index=["c", "a", "b"])
    counts = pd.Series([5, 1, 0], index=["c", "a", "b"])
    assert topk_table(scores, counts)["kode"].tolist() == ["a", "b", "c"]
    assert hit_rate(scores, counts, 1) == pytest.approx(1 / 6)


def test_nan_score_ranks_last():
    scores = pd.Series([np.nan, 0.0], index=["a", "b"])
    assert topk_table(scores, pd.Series([1, 1], index=["a", "b"]))["kode"].tolist() == ["b", "a"]


def test_no_incidents_gives_nan():
    table = topk_table(SCORES, COUNTS * 0, AREAS)
    assert table[["hit_rate", "pai", "pei_count", "pei_area"]].isna().all().all()


def test_capture_curve_starts_at_zero_and_ends_at_one():
    curve = capture_curve(SCORES, COUNTS, AREAS)
    assert curve["k"].tolist() == [0, 1, 2, 3, 4]
    assert curve["share_incidents"].iloc[[0, -1]].tolist() == [0.0, 1.0]
    assert curve["share_area"].tolist() == pytest.approx([0, 0.15, 0.35, 0.9, 1.0])
    assert curve["kode"].isna().tolist() == [True, False, False, False, False]


def test_spearman_constant_is_nan_without_warning():
    assert np.isnan(spearman([1, 1, 1], [0, 2, 5]))
    assert np.isnan(spearman([1, 2, 3], [0, 0, 0]))
    assert spearman([3, 2, 1], [0, 2, 5]) == pytest.approx(-1.0)


def test_poisson_deviance_by_hand():
    # y = 2, mu = 1: 2·(2·log 2 − 1); y = 0, mu = 0.5: 2·0.5
    expected = (2 * (2 * np.log(2) - 1) + 1.0) / 2
    assert poisson_deviance([1.0, 0.5], [2, 0]) == pytest.approx(expected)
    # a zero forecast is floored, so the penalty is finite
    assert np.isfinite(poisson_deviance([0.0], [3]))


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: hit_rate(SCORES, COUNTS, 5), "k=5: must be a whole number of units between 1"),
        (lambda: hit_rate(SCORES, COUNTS, 0), "k=0"),
        (lambda: pei_star(SCORES, COUNTS, 1, by="area"), "by='area' needs areas="),
        (lambda: pei_star(SCORES, COUNTS, 1, by="luas"), "by='luas': use 'count' or 'area'"),
        (lambda: hit_rate([1, 2], [1, 2, 3], 1), "counts: got 3 values for 2 units"),
        (lambda: hit_rate(SCORES, COUNTS - 3, 1), "counts: contains negative values"),
        (lambda: pai(SCORES, COUNTS, AREAS * 0, 1), "areas: units .* have area <= 0"),
        (
            lambda: hit_rate(SCORES, pd.Series([1], index=["Z"]), 1),
            r"counts: incidents in units \['Z'\] that have no score",
        ),
        (
            lambda: pei_star(SCORES, COUNTS + 0.5, 1, areas=AREAS, by="area"),
            "needs whole incident counts",
        ),
    ],
)
def test_errors_name_the_problem(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def _brute_n_star(counts: np.ndarray, areas: np.ndarray, budget: float) -> int:
    best = 0
    for r in range(len(counts) + 1):
        for combo in itertools.combinations(range(len(counts)), r):
            if areas[list(combo)].sum() <= budget * (1 + 1e-9):
                best = max(best, int(counts[list(combo)].sum()))
    return best


@st.composite
def _cases(draw):
    n = draw(st.integers(1, 7))
    scores = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    counts = draw(st.lists(st.integers(0, 12), min_size=n, max_size=n))
    areas = draw(st.lists(st.floats(0.5, 200.0), min_size=n, max_size=n))
    return np.array(scores, float), np.array(counts, float), np.array(areas)


@settings(max_examples=60, deadline=None)
@given(_cases())
def test_invariants(case):
    scores, counts, areas = case
    table = topk_table(scores, counts, areas)
    if counts.sum() == 0:
        assert table["hit_rate"].isna().all()
        return
    hit = table["hit_rate"].to_numpy()
    assert np.all((hit >= 0) & (hit <= 1 + 1e-12))
    assert np.all(np.diff(hit) >= -1e-12)
    for col in ("pei_count", "pei_area"):
        v = table[col].dropna().to_numpy()
        assert np.all((v >= 0) & (v <= 1 + 1e-12))
    np.testing.assert_allclose(table["pai"], hit / table["share_area"])
    # PEI* by area against an exhaustive search over all subsets
    order = table["k"].to_numpy()
    flagged_area = table["share_area"].to_numpy() * areas.sum()
    for k, budget in zip(order, flagged_area, strict=True):
        n_star = _brute_n_star(counts, areas, budget)
        captured = table["captured"].iloc[k - 1]
        expected = captured / n_star if n_star > 0 else np.nan
        np.testing.assert_allclose(table["pei_area"].iloc[k - 1], expected)


def test_summarize_metrics_counts_wins_and_respects_direction():
    origins = pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"])
    rows = []
    for o, (m_hit, b_hit, m_dev, b_dev) in zip(
        origins, [(0.6, 0.5, 1.0, 2.0), (0.5, 0.5, 3.0, 2.0), (0.4, 0.7, 1.0, 1.5)], strict=True
    ):
        rows += [
            (o, "model", "hit_rate", 1, m_hit),
            (o, "base", "hit_rate", 1, b_hit),
            (o, "model", "poisson_deviance", pd.NA, m_dev),
            (o, "base", "poisson_deviance", pd.NA, b_dev),
        ]
    frame = pd.DataFrame(rows, columns=["origin", "method", "metric", "k", "value"])
    frame["k"] = frame["k"].astype("Int64")
    out = summarize_metrics(frame).set_index(["method", "metric"])
    hit = out.loc[("base", "hit_rate")]
    assert (hit["model_wins"], hit["ties"], hit["model_losses"]) == (1, 1, 1)
    dev = out.loc[("base", "poisson_deviance")]
    # lower deviance is better: the model wins windows 1 and 3
    assert (dev["model_wins"], dev["ties"], dev["model_losses"]) == (2, 0, 1)
    assert pd.isna(dev["k"])
    assert out.loc[("model", "hit_rate"), "mean"] == pytest.approx(0.5)
    assert pd.isna(out.loc[("model", "hit_rate"), "model_wins"])
