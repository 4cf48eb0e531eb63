from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pilkada_risk.features import (
    effective_weights,
    exposure_base,
    incident_features,
    structural_component,
)
from pilkada_risk.profile import load_profile


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
    assert f.period_counts(12).sum(axis=1).tolist() == [1.0, 2.0, 0.0]


def test_intensity_window():
    agg = _feats(intensity_window_days=730).aggregates()
    assert agg["intensitas"].tolist() == [[4.0, 3.0, 0.0]]


def test_exposure_auto_order_and_errors():
    ctx = pd.DataFrame({"populasi": [10.0, 20.0], "tps": [1, 2]})
    values, basis = exposure_base(ctx, "auto")
    assert basis == "populasi" and values.tolist() == [10.0, 20.0]
    assert exposure_base(None, "auto")[1] == "unit"
    with pytest.raises(ValueError, match="context lacks column 'dpt'"):
        exposure_base(ctx, "dpt")


def test_structural_scaling_direction_and_missing():
    prof = load_profile(
        {"structural": {"factors": {"jarak_ibukota_km": {"direction": -1, "weight": 0.3}}}}
    )
    ctx = pd.DataFrame(
        {"tps_rawan": [0.0, 5.0, 10.0], "jarak_km": [0.0, 50.0, 100.0], "x": [1, 2, 3]}
    )
    ctx.loc[1, "tps_rawan"] = np.nan
    value, scaled, notes = structural_component(ctx, prof)
    assert scaled["tps_rawan"].tolist() == [0.0, 0.5, 1.0]
    assert scaled["jarak_ibukota_km"].tolist() == [1.0, 0.5, 0.0]
    assert notes == ["tps_rawan: 1 nilai kosong -> netral 0,5"]
    np.testing.assert_allclose(value, [0.3 / 0.7, 0.5, 0.4 / 0.7])


def test_structural_weight_is_shared_out_without_context():
    w = effective_weights(load_profile(), has_structural=False)
    assert w["struktural"] == 0 and sum(w.values()) == pytest.approx(1.0)
