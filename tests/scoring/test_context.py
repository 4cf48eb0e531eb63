"""Context tables: alignment to kecamatan, exposure basis and the structural component."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pilkada_risk.config.profile import load_profile
from pilkada_risk.scoring.context import (
    align_context,
    exposure_base,
    exposure_notes,
    structural_component,
)


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


def test_align_context_by_code_and_by_name():
    areas = pd.DataFrame(
        {"kode": ["a", "b"], "nama": ["Pesisir Tengah", "Ngaras"], "nama_alt": ["", "Bengkunat"]}
    )
    by_code = align_context(pd.DataFrame({"kode": ["b"], "dpt": [5]}), areas)
    assert by_code["kode"].tolist() == ["a", "b"] and by_code["dpt"].isna().tolist() == [
        True,
        False,
    ]
    by_name = align_context(
        pd.DataFrame({"nama": ["PESISIR-TENGAH", "bengkunat"], "x": [1, 2]}), areas
    )
    assert by_name["x"].tolist() == [1, 2]
    with pytest.raises(ValueError, match=r"nama \['Atlantis'\] tidak cocok"):
        align_context(pd.DataFrame({"nama": ["Atlantis"]}), areas)
    with pytest.raises(ValueError, match="need a 'kode' column or a name column"):
        align_context(pd.DataFrame({"x": [1]}), areas)


def test_exposure_notes_name_the_kecamatan_without_dpt():
    ctx = pd.DataFrame({"kode": ["a", "b", "c"], "dpt": [10.0, np.nan, 0.0]})
    assert exposure_base(ctx, "auto")[1] == "unit"
    (note,) = exposure_notes(ctx, "unit", {"b": "Bee", "c": "Cee"})
    assert "Bee (b), Cee (c)" in note and "dpt" in note and "missing" in note
    assert exposure_notes(ctx.assign(dpt=[1.0, 2.0, 3.0]), "dpt") == []


def test_all_missing_structural_factor_is_reported():
    ctx = pd.DataFrame({"kode": ["a", "b"], "tps_rawan": [np.nan, np.nan]})
    value, _, notes = structural_component(ctx, load_profile())
    assert value is not None and value.tolist() == [0.5, 0.5]
    assert notes == ["tps_rawan: 2 nilai kosong -> netral 0,5"]
