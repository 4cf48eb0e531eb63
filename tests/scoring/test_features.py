from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pilkada_risk.config.profile import load_profile
from pilkada_risk.scoring.features import (
    day_uplift,
    election_uplift,
    expert_weights,
    mean_past_uplift,
    period_counts,
)


def test_structural_weight_is_shared_out_without_context():
    w = expert_weights(load_profile(), has_structural=False)
    counts = {k: v for k, v in w.items() if k != "tren"}
    assert w["struktural"] == 0 and sum(counts.values()) == pytest.approx(1.0)
    assert w["tren"] == load_profile().component_weights["tren"]
    assert expert_weights(load_profile(), has_structural=True) == load_profile().component_weights


def _dates(*spec):
    """``(start, n_days, per_day)`` blocks -> incident dates."""
    out = []
    for start, n_days, per_day in spec:
        days = pd.date_range(start, periods=n_days, freq="D")
        out.extend(np.repeat(days, per_day))
    return pd.Series(pd.DatetimeIndex(out))


def test_election_uplift_counts_and_shrinkage():
    # 2024-04-01 .. 2024-12-31: Pilkada 2024 only (campaign 60 d, quiet 3 d, vote, recap 19 d).
    tanggal = _dates(
        ("2024-04-01", 177, 1),  # outside: 1 a day up to 24 Sep
        ("2024-09-25", 60, 2),  # campaign x2
        ("2024-11-24", 3, 1),  # quiet x1
        ("2024-11-27", 1, 4),  # vote x4
        ("2024-11-28", 19, 3),  # recap x3
        ("2024-12-17", 15, 1),  # outside again
    )
    t = election_uplift(tanggal, start="2024-04-01", as_of="2025-01-01", prior=2.0)
    assert t.index.tolist() == ["kampanye", "tenang", "pemungutan", "rekapitulasi"]
    assert t["hari"].tolist() == [60.0, 3.0, 1.0, 19.0]
    assert t["kejadian"].tolist() == [120.0, 3.0, 4.0, 57.0]
    np.testing.assert_allclose(t["harapan"], t["hari"])  # baseline 1 a day
    np.testing.assert_allclose(t["rasio_mentah"], [2.0, 1.0, 4.0, 3.0])
    np.testing.assert_allclose(t["faktor"], [122 / 62, 1.0, 6 / 3, 59 / 21])
    strong = election_uplift(tanggal, start="2024-04-01", as_of="2025-01-01", prior=1e6)
    np.testing.assert_allclose(strong["faktor"], 1.0, atol=1e-3)
    before = tanggal.copy()
    election_uplift(tanggal, start="2024-04-01", as_of="2024-10-01", prior=2.0)
    pd.testing.assert_series_equal(tanggal, before)


def test_election_uplift_without_a_baseline_is_neutral():
    inside = _dates(("2024-09-25", 10, 1))
    t = election_uplift(inside, start="2024-09-25", as_of="2024-10-05", prior=2.0)
    assert t["faktor"].tolist() == [1.0] * 4 and t["harapan"].isna().all()
    with pytest.raises(ValueError, match=r"prior = 0: must be > 0 \(forecast.uplift_prior\)"):
        election_uplift(inside, start="2024-09-25", as_of="2024-10-05", prior=0)


def test_day_and_mean_past_uplift():
    u = {"kampanye": 2.0, "tenang": 1.5, "pemungutan": 4.0, "rekapitulasi": 3.0}
    days = day_uplift("2024-11-22", 8, u)
    assert days.tolist() == [2.0, 2.0, 1.5, 1.5, 1.5, 4.0, 3.0, 3.0]
    assert days.flags.writeable
    assert day_uplift("2025-06-01", 3, u).tolist() == [1.0, 1.0, 1.0]
    # Two days, ages 2 (campaign, x2) and 1 (outside), half-life 1: weights 1/4 and 1/2.
    got = mean_past_uplift("2024-11-23", "2024-11-25", {"kampanye": 2.0}, half_life=1)
    assert got == pytest.approx((0.25 * 2.0 + 0.5 * 1.0) / 0.75)
    assert mean_past_uplift("2024-01-01", "2024-01-01", u, half_life=365) == 1.0


def test_period_counts_start_at_the_first_incident():
    # ages 259, 147, 24 days at as_of; 259 // 91 = 2 periods observed
    out = period_counts(
        np.array([0, 0, 1]), np.array([259, 147, 24]), n_units=2, period_days=91, n_periods=12
    )
    assert out.tolist() == [[1.0, 0.0], [0.0, 1.0]]
