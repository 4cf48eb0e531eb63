from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import kendalltau

from pilkada_risk.scoring.trend import mann_kendall, trend_change, trend_labels


def test_hand_computed_example():
    # x = 1 2 2 4: pairs give S = 5; one tie group of 2 -> Var = (4*3*13 - 2*1*9)/18 = 138/18.
    r = mann_kendall([1, 2, 2, 4])
    assert r.s == 5
    assert r.var_s == pytest.approx(138 / 18)
    assert r.z == pytest.approx(4 / np.sqrt(138 / 18))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 4), min_size=4, max_size=16))
def test_agrees_with_scipy_kendalltau(values):
    x = np.array(values, dtype=float)
    r = mann_kendall(x, continuity=False)
    tau, p = kendalltau(np.arange(x.size), x, method="asymptotic")
    if np.unique(x).size == 1:
        assert r.s == 0 and r.p == 1.0
        return
    n0 = x.size * (x.size - 1) / 2
    _, ties = np.unique(x, return_counts=True)
    n1 = (ties * (ties - 1) / 2).sum()
    assert r.s == pytest.approx(tau * np.sqrt(n0 * (n0 - n1)))
    assert r.p == pytest.approx(p, abs=1e-9)


def test_labels_follow_the_documented_rules():
    counts = [
        [0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 1, 2],
        [0, 1, 1, 2, 3, 4, 5, 6],
        [6, 5, 4, 4, 3, 2, 1, 0],
        [3, 3, 2, 3, 3, 3, 2, 3],
        [1, 0, 0, 2, 0, 0, 1, 0],
    ]
    labels, tests = trend_labels(counts, recent_periods=2, mk_alpha=0.1)
    assert labels == ["tidak_ada", "baru", "meningkat", "menurun", "menetap", "sporadis"]
    assert tests[2].s > 0 > tests[3].s


def test_trend_change_is_half_when_steady_and_bounded():
    out = trend_change([2.0, 0.0, 10.0], [8.0, 8.0, 0.0], recent_periods=2, baseline_periods=8)
    assert out[0] == pytest.approx(0.5)
    assert 0 < out[1] < 0.5 < out[2] < 1


def test_too_few_observed_periods_are_data_kurang():
    labels, _ = trend_labels([[0, 1, 3], [0, 0, 0]], recent_periods=2)
    assert labels == ["data_kurang", "data_kurang"]
    labels, _ = trend_labels([[2, 0, 3, 0], [0, 0, 0, 0]], recent_periods=2)
    assert labels == ["sporadis", "tidak_ada"]
