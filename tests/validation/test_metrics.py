"""Tests of pilkada_risk.validation.metrics: a worked example, invariants and the knapsack bound."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilkada_risk.validation.metrics import (
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


def test_tie_case_worked_by_hand():
    """The same four units, but B and C tied at 0.5 (order A, {B, C}, D).

    k = 2: A plus one of B, C, each with probability 1/2.
    E[n] = 2 + (5 + 1)/2 = 5 → hit rate 5/12 (flagging B first by kode would give 7/12).
    E[a] = 15 + (20 + 55)/2 = 52.5 → area share 0.525; PAI = (5/12)/0.525 = 0.794.
    PEI* by count: best two units B + D = 9 → 5/9.
    PEI* by area: within 52.5 km², A + B + D (45 km²) capture 11 → 5/11.
    k = 3: the whole tie group is in: n = 8, a = 90 → hit 8/12, PAI (8/12)/0.9, as without ties.
    """
    scores = pd.Series([0.9, 0.5, 0.5, 0.1], index=UNITS)
    assert hit_rate(scores, COUNTS, 1) == pytest.approx(2 / 12)
    assert hit_rate(scores, COUNTS, 2) == pytest.approx(5 / 12)
    assert pai(scores, COUNTS, AREAS, 2) == pytest.approx((5 / 12) / 0.525)
    assert pei_star(scores, COUNTS, 2) == pytest.approx(5 / 9)
    assert pei_star(scores, COUNTS, 2, areas=AREAS, by="area") == pytest.approx(5 / 11)
    assert hit_rate(scores, COUNTS, 3) == pytest.approx(8 / 12)
    assert pai(scores, COUNTS, AREAS, 3) == pytest.approx((8 / 12) / 0.9)
    curve = capture_curve(scores, COUNTS, AREAS)
    assert curve["share_area"].tolist() == pytest.approx([0, 0.15, 0.525, 0.9, 1.0])
    assert curve["share_incidents"].tolist() == pytest.approx([0, 2 / 12, 5 / 12, 8 / 12, 1])
    # the kode column still lists a fixed display order (ties by label)
    assert topk_table(scores, COUNTS)["kode"].tolist() == ["A", "B", "C", "D"]


def test_constant_score_is_the_random_expectation_whatever_the_codes():
    scores = pd.Series(1.0, index=["c", "a", "b", "d"])
    counts = pd.Series([5, 1, 0, 2], index=["c", "a", "b", "d"])
    areas = pd.Series([1.0, 50.0, 7.0, 3.0], index=["c", "a", "b", "d"])
    table = topk_table(scores, counts, areas)
    np.testing.assert_allclose(table["hit_rate"], [0.25, 0.5, 0.75, 1.0])
    np.testing.assert_allclose(table["pai"], 1.0)
    assert table["kode"].tolist() == ["a", "b", "c", "d"]


def _brute_expected_hit(scores: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Mean hit-rate curve over every order that respects the scores (ties in any order)."""
    curves = []
    for perm in itertools.permutations(range(len(scores))):
        s = scores[list(perm)]
        if np.all(np.diff(s) <= 0):
            curves.append(np.cumsum(counts[list(perm)]) / counts.sum())
    return np.mean(curves, axis=0)


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
    n = draw(st.integers(1, 6))
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
    np.testing.assert_allclose(hit, _brute_expected_hit(scores, counts))
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
        # E[n] / n*(E[a]), capped at 1 inside a split tie group
        expected = min(captured / n_star, 1.0) if n_star > 0 else np.nan
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
