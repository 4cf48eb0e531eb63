"""Plan profiles: their own file, their own hash, validated, and 0.1.0 risk profiles still load."""

from __future__ import annotations

import pytest

import pilkada_risk as pr
from pilkada_risk.config import PlanProfile, load_plan_profile, write_default_plan_profile
from pilkada_risk.io.files import package_data


def test_the_plan_settings_left_the_risk_profile():
    risk = pr.load_profile()
    assert "tps" not in risk.to_dict()
    text = package_data("profiles", "default.toml").read_text(encoding="utf-8")
    assert "[tps" not in text.replace("([tps]", "")  # only the pointer comment mentions it
    plan = load_plan_profile()
    assert isinstance(plan, PlanProfile) and plan.version == 1
    assert set(plan.patterns) == {"kurang_rawan", "rawan", "sangat_rawan", "khusus"}
    assert len(plan.indicators) == 25
    assert {i.kelompok for i in plan.indicators.values()} == {
        "hak_pilih",
        "keamanan",
        "politik_uang",
        "sara",
        "netralitas",
        "logistik",
        "lokasi",
        "listrik_internet",
    }


def test_editing_a_pattern_changes_the_plan_hash_not_the_risk_hash(tmp_path):
    path = write_default_plan_profile(tmp_path / "rencana.toml")
    with pytest.raises(FileExistsError):
        write_default_plan_profile(path)
    same = load_plan_profile(path)
    assert same.hash == load_plan_profile().hash
    edited = load_plan_profile({"tps": {"pola": {"rawan": {"tps_max": 6}}}})
    assert edited.hash != same.hash and edited.patterns["rawan"].tps_max == 6
    copy = edited.to_dict()
    copy["tps"]["pola"]["rawan"]["tps_max"] = 99
    assert edited.patterns["rawan"].tps_max == 6


@pytest.mark.parametrize(
    ("over", "where"),
    [
        ({"tps": {"aturan_kelas": "acak"}}, "tps.aturan_kelas"),
        ({"tps": {"cutoffs": [6, 3]}}, "tps.cutoffs"),
        ({"tps": {"target": {"aman": 3}}}, "tps.target.aman"),
        ({"tps": {"target": {"rawan": -1}}}, "tps.target.rawan"),
        ({"tps": {"cooling": {"jendela": ["kapan-kapan"]}}}, "tps.cooling.jendela"),
        ({"tps": {"dpt_maks": 100}}, "tps.dpt_maks"),
        ({"tps": {"polanya": {}}}, "[tps]"),
        ({"pola": {}}, "[pola]"),
    ],
)
def test_bad_plan_profiles_name_the_key(over, where):
    with pytest.raises(ValueError, match=r"profil \(dict\): " + where.replace("[", r"\[")):
        load_plan_profile(over)


def test_a_0_1_0_risk_profile_file_with_tps_loads_with_a_note(tmp_path):
    old = tmp_path / "profil_lama.toml"
    old.write_text(
        "[time]\nhalf_life_days = 200\n\n[tps]\ncutoffs = [4.5, 5.9]\n\n"
        "[tps.pola.rawan]\npolisi = 2\ntps_min = 3\ntps_max = 4\n",
        encoding="utf-8",
    )
    risk = pr.load_profile(old)
    assert risk.section("time")["half_life_days"] == 200
    assert risk.plan_settings == {
        "cutoffs": [4.5, 5.9],
        "pola": {"rawan": {"polisi": 2, "tps_min": 3, "tps_max": 4}},
    }
    assert "[tps]" in risk.notes[0] and "plan.toml" in risk.notes[0]
    assert risk.hash == pr.load_profile({"time": {"half_life_days": 200}}).hash
    plan = load_plan_profile(old)  # the old file read as a plan profile: only its [tps]
    assert plan.tps["cutoffs"] == [4.5, 5.9] and plan.notes
