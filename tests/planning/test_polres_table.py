"""The Polres → kab/kota table and the BKO settings: shipped data and bad inputs."""

from __future__ import annotations

import pandas as pd
import pytest

from pilkada_risk.config.bko import load_bko
from pilkada_risk.geo.polres import load_polres


def test_lampung_table_has_15_polres_one_per_kab() -> None:
    t = load_polres()
    assert len(t) == 15 and t["polres"].nunique() == 15
    assert t["kab_kode"].is_unique and t.attrs["kab_tanpa_polres"] == []
    assert "18.13" in set(t["kab_kode"])


def test_a_polres_may_cover_two_kab() -> None:
    t = load_polres().copy()
    t.loc[t["kab_kode"] == "18.72", "polres"] = "Polresta Bandar Lampung"
    out = load_polres(t)
    assert out["polres"].nunique() == 14


def test_unknown_code_named() -> None:
    t = load_polres().copy()
    t.loc[0, "kab_kode"] = "18.99"
    with pytest.raises(ValueError, match=r"18\.99.*Perbaiki"):
        load_polres(t)


def test_kab_in_two_polres_named() -> None:
    t = load_polres()
    extra = pd.DataFrame(
        [
            {
                "polres_kode": "x",
                "polres": "Polres Baru",
                "kab_kode": "18.13",
                "kab_nama": "Pesisir Barat",
            }
        ]
    )
    with pytest.raises(ValueError, match=r"18\.13.*Polres Baru.*Polres Pesisir Barat|18\.13.*dua"):
        load_polres(pd.concat([t, extra], ignore_index=True))


def test_other_province_and_english() -> None:
    t = load_polres().copy()
    t.loc[0, "kab_kode"] = "16.01"
    with pytest.raises(ValueError, match=r"16\.01.*not in province 18"):
        load_polres(t, lang="en")


def test_bko_settings_checked() -> None:
    assert load_bko().units == {"bko_pam_tps": 2, "bko_brimob": 30, "bko_samapta": 30}
    with pytest.raises(ValueError, match="unit_bko_brimob"):
        load_bko({"unit_bko_brimob": 0})
    with pytest.raises(ValueError, match="peringatan_porsi_bko"):
        load_bko({"peringatan_porsi_bko": 1.5})
    with pytest.raises(ValueError, match="peleton"):
        load_bko({"peleton": 30})
