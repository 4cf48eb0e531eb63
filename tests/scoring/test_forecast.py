from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pilkada_risk.config.profile import COMPONENTS
from pilkada_risk.scoring.forecast import (
    bootstrap_sums,
    counts_before,
    gaussian_bootstrap_sums,
    make_history,
    origin_sums,
    term_matrix,
    uplift_factors,
)


def _history(dates, units, *, n_units=3, end="2026-01-01", uplift=True):
    return make_history(
        np.asarray(units),
        pd.Series(pd.to_datetime(dates)),
        n_units=n_units,
        end=pd.Timestamp(end),
        half_lives=(365.0, 90.0),
        prior=2.0,
        uplift=uplift,
    )


def test_counts_and_decays_before_each_origin():
    h = _history(["2023-01-01", "2023-01-11", "2023-03-01"], [0, 0, 1])
    origins = np.array([5, 10, 11, 100])  # days since 2023-01-01
    assert counts_before(h, origins).tolist() == [
        [1, 0, 0],
        [1, 0, 0],
        [2, 0, 0],
        [2, 1, 0],
    ]
    sums = origin_sums(h, origins, 90)
    # the 2023-01-01 incident is 100 days old at day 100: 0.5 ** (100 / 90)
    want = 0.5 ** (100 / 90) + 0.5 ** (90 / 90)
    assert sums.decayed[1][3, 0] == pytest.approx(want)
    assert sums.days_all.tolist() == [5.0, 10.0, 11.0, 100.0]  # no election window: u = 1


def test_uplift_matches_the_election_table():
    from pilkada_risk.scoring.features import election_uplift

    rng = np.random.default_rng(0)
    dates = pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 2000, 600), unit="D")
    h = _history(dates, rng.integers(0, 3, 600))
    origin = np.array([1900])
    u = uplift_factors(h, origin)[0]
    table = election_uplift(
        pd.Series(dates), start=h.start, as_of=h.start + pd.Timedelta(days=1900), prior=2.0
    )
    np.testing.assert_allclose(u[1:], table["faktor"].to_numpy())
    off = _history(dates, rng.integers(0, 3, 600), uplift=False)
    assert uplift_factors(off, origin).tolist() == [[1.0] * 5]


def test_terms_are_counts_of_the_horizon_and_laju_keeps_count_order():
    dates = ["2023-01-01"] * 3 + ["2023-06-01"] * 6 + ["2023-09-01"]
    h = _history(dates, [0, 0, 0, 1, 1, 1, 1, 1, 1, 2], uplift=False)  # past days count 1
    sums = origin_sums(h, np.array([400]), 90)
    lag = np.array([[0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]])
    x = term_matrix(sums, 90, exposure=np.ones(3), lag_weights=lag, structural=None)
    assert x.shape == (1, 3, len(COMPONENTS))
    laju = x[0, :, COMPONENTS.index("laju")]
    assert np.argsort(-laju).tolist() == [1, 0, 2]  # same order as the counts 3, 6, 1
    # without shrinkage the long-run term would be count * 90 / 400; EB keeps the total
    assert laju.sum() == pytest.approx(10 * 90 / 400)
    assert x[0, :, COMPONENTS.index("struktural")].tolist() == [0.0, 0.0, 0.0]
    assert x[0, :, COMPONENTS.index("tren")].tolist() == [0.0, 0.0, 0.0]  # uplift off


def test_bootstraps_match_the_point_sums_on_average():
    rng = np.random.default_rng(1)
    n = 3000
    dates = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 1400, n), unit="D")
    units = rng.choice(3, size=n, p=[0.7, 0.29, 0.01])
    h = _history(dates, units)
    point = origin_sums(h, np.array([1400]), 90)
    exact = bootstrap_sums(h, 1400, point, rng.poisson(1.0, size=(400, n)).astype(float))
    fast = gaussian_bootstrap_sums(h, 1400, point, np.random.default_rng(2), 400)
    for boot in (exact, fast):
        np.testing.assert_allclose(boot.counts.mean(axis=0), point.counts[0], rtol=0.05, atol=1)
        np.testing.assert_allclose(boot.decayed[0].mean(0), point.decayed[0][0], rtol=0.05, atol=1)
    # same spread: sd of a Poisson(1)-weighted count is sqrt(count)
    np.testing.assert_allclose(fast.counts.std(axis=0)[:2], np.sqrt(point.counts[0][:2]), rtol=0.15)
    assert (fast.counts >= 0).all()
