from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pilkada_risk.config.profile import COMPONENTS, load_profile
from pilkada_risk.scoring.features import (
    components,
    day_uplift,
    effective_weights,
    election_uplift,
    incident_features,
    mean_past_uplift,
)


def _feats(**over):
    prof = load_profile().with_overrides(**over)
    tanggal = pd.Series(pd.to_datetime(["2024-11-27", "2023-06-01", "2022-01-01"]))
    kategori = pd.Series(["kerusuhan", "curat", "curat"])
    unit = np.array([0, 1, 1])
    return incident_features(
        unit, tanggal, kategori, n_units=3, as_of=pd.Timestamp("2024-12-01"), profile=prof
    )


def test_decay_emphasis_and_aggregates():
    f = _feats()
    assert f.emphasis.tolist() == [2.0, 1.0, 1.0]  # polling day of Pilkada 2024
    np.testing.assert_allclose(f.decay[0], 0.5 ** (4 / 365))
    agg = f.aggregates()
    assert agg["intensitas"].tolist() == [[4.0, 6.0, 0.0]]
    weights = np.array([[1.0, 0.0, 2.0], [1.0, 1.0, 1.0]])
    boot = f.aggregates(weights)
    assert boot["intensitas"].tolist() == [[4.0, 6.0, 0.0], [4.0, 6.0, 0.0]]
    # 2022-01-01 lies in a period that starts before the first incident: not observed.
    assert f.observed_periods == 11
    assert f.period_counts(12).sum(axis=1).tolist() == [1.0, 1.0, 0.0]


def test_intensity_window():
    agg = _feats(intensity_window_days=730).aggregates()
    assert agg["intensitas"].tolist() == [[4.0, 3.0, 0.0]]


def test_structural_weight_is_shared_out_without_context():
    w = effective_weights(load_profile(), has_structural=False)
    assert w["struktural"] == 0 and sum(w.values()) == pytest.approx(1.0)


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
    prof = load_profile()
    tanggal = pd.Series(pd.to_datetime(["2024-01-10", "2024-05-01", "2024-09-01"]))
    f = incident_features(
        np.array([0, 0, 1]),
        tanggal,
        pd.Series(["curat"] * 3),
        n_units=2,
        as_of=pd.Timestamp("2024-09-25"),
        profile=prof,
    )
    assert f.observed_periods == 2  # 259 days // 91
    assert f.period_counts(12).shape == (2, 2)


def _flat_components(effective, exposure, observed=12):
    prof = load_profile()
    n = len(effective)
    agg = {k: np.asarray([effective], dtype=float) for k in ("intensitas", "kekinian")}
    agg["tren_baru"] = np.full((1, n), 1.0)
    agg["tren_dasar"] = np.full((1, n), 9.0)
    w = np.ones((n, n)) - np.eye(n)
    w /= w.sum(axis=1, keepdims=True)
    return components(
        agg,
        exposure=np.asarray(exposure, dtype=float),
        lag_weights=w,
        structural=None,
        mean_severity=1.0,
        profile=prof,
        observed_periods=observed,
    )[0][0]


def test_rates_are_relative_risks_around_the_kabupaten_mean():
    c = _flat_components([5.0, 5.0, 5.0, 5.0], [1.0, 1.0, 1.0, 1.0])
    np.testing.assert_allclose(c[:, COMPONENTS.index("laju")], 0.5)
    np.testing.assert_allclose(c[:, COMPONENTS.index("limpahan")], 0.5)
    c = _flat_components([40.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0])
    laju = c[:, COMPONENTS.index("laju")]
    assert laju[0] > 0.5 > laju[1] and (laju < 1).all()
    assert c[0, COMPONENTS.index("intensitas")] == 1.0  # volume stays divided by the max


def test_trend_component_is_neutral_with_few_observed_periods():
    c = _flat_components([5.0, 1.0], [1.0, 1.0], observed=3)
    np.testing.assert_allclose(c[:, COMPONENTS.index("tren")], 0.5)
    c = _flat_components([5.0, 1.0], [1.0, 1.0], observed=12)
    assert (c[:, COMPONENTS.index("tren")] < 0.5).all()  # 1/2 recent vs 9/10 baseline
