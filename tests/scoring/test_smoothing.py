from __future__ import annotations

import numpy as np
import pytest
from esda.smoothing import Empirical_Bayes

from pilkada_risk.scoring.smoothing import empirical_bayes


def test_matches_esda_on_the_same_input():
    rng = np.random.default_rng(3)
    base = rng.integers(500, 20_000, size=15).astype(float)
    events = rng.poisson(base * rng.gamma(2.0, 0.002 / 2.0, size=15)).astype(float)
    ours = empirical_bayes(events, base)
    theirs = Empirical_Bayes(events, base).r.ravel()
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_vectorised_over_replicates_equals_row_by_row():
    base = np.array([100.0, 300.0, 50.0, 900.0])
    events = np.array([[1.0, 5, 0, 30], [4, 2, 2, 10]])
    out = empirical_bayes(events, base)
    for row, expected in zip(events, out, strict=True):
        np.testing.assert_allclose(empirical_bayes(row, base), expected)


def test_negative_variance_shrinks_fully_and_zeros_stay_finite():
    # Equal rates: the variance estimate is negative -> everyone gets the global rate.
    np.testing.assert_allclose(empirical_bayes([1, 2, 4], [10, 20, 40]), [0.1, 0.1, 0.1])
    out = empirical_bayes([0, 0, 0], [1, 1, 1])
    assert np.all(np.isfinite(out)) and np.all(out == 0)


def test_unit_with_no_events_gets_a_positive_smoothed_rate():
    out = empirical_bayes([0, 30, 2, 60, 9], [1, 1, 1, 1, 1])
    assert out[0] > 0 and np.all(np.isfinite(out))


def test_bad_base_is_rejected():
    with pytest.raises(ValueError, match="must be finite and > 0"):
        empirical_bayes([1, 2], [1, 0])
    with pytest.raises(ValueError, match="base has shape"):
        empirical_bayes([1, 2], [1, 2, 3])
