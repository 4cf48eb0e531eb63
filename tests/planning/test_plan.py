from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import pilkada_risk as pr
from pilkada_risk.planning.plan import KEC_COLUMNS, TPS_COLUMNS


def _plan(d, personnel, **kw):
    return pr.plan_security(
        d["model"], d["tps"], personnel=personnel, incidents=d["incidents"], **kw
    )


def _beyond_minimum(plan) -> list[tuple[str, str]]:
    """(kecamatan, class) groups of the lower classes with more teams than their minimum
    (one team of ``polisi`` officers per ``tps_max`` TPS, rounded up)."""
    pola = pr.load_plan_profile().tps["pola"]
    lower = plan.tps[plan.tps["kelas_kunci"].isin(["rawan", "kurang_rawan"])]
    out = []
    for (kec, key), g in lower.groupby(["kec_kode", "kelas_kunci"]):
        teams = g.loc[g["regu"] != "", "regu"].nunique()
        if teams > -(-len(g) // pola[key]["tps_max"]):
            out.append((kec, key))
    return out


def test_ample_personnel_every_tps_meets_its_pattern(demo_inputs, full_need):
    plan = _plan(demo_inputs, full_need + 100)
    assert list(plan.tps.columns[: len(TPS_COLUMNS)]) == TPS_COLUMNS
    assert list(plan.kecamatan.columns[: len(KEC_COLUMNS)]) == KEC_COLUMNS
    assert (plan.tps["personel"] >= plan.tps["personel_pola"] - 1e-9).all()
    assert (plan.kecamatan["kekurangan"] == 0).all()
    assert plan.peringatan == []
    assert plan.total("cadangan_polres") == 100
    assert plan.total("risiko_tidak_tercakup") == 0


def test_class_counts_add_up_to_the_tps_list(demo_inputs, full_need):
    plan = _plan(demo_inputs, full_need)
    counts = plan.kecamatan[["tps_kurang_rawan", "tps_rawan", "tps_sangat_rawan", "tps_khusus"]]
    assert int(counts.to_numpy().sum()) == len(demo_inputs["tps"]) == 293
    assert plan.tps["tps_id"].tolist() == demo_inputs["tps"]["tps_id"].tolist()
    assert set(plan.tps["kelas_tps"]) <= {"kurang rawan", "rawan", "sangat rawan", "khusus"}
    assert (plan.tps["kelas_tps"] == "khusus").sum() == 1  # the demo's one TPS khusus
    assert plan.tps["alasan_kelas"].str.len().gt(10).all()


def test_forty_percent_covers_sangat_rawan_first_and_reports_shortfall(demo_inputs, full_need):
    strength = int(0.4 * full_need)
    plan = _plan(demo_inputs, strength)
    assert plan.kecamatan["personel_dialokasikan"].sum() <= strength
    assert plan.tps["personel"].sum() <= strength + 1e-9
    top = plan.tps["kelas_kunci"].isin(["sangat_rawan", "khusus"]).to_numpy()
    assert (plan.tps.loc[top, "personel"] >= plan.tps.loc[top, "personel_pola"]).all()
    assert _beyond_minimum(plan) == []  # no lower class above its minimum while short
    assert _beyond_minimum(_plan(demo_inputs, full_need))  # ... as it is with full strength
    assert plan.kecamatan["kekurangan"].sum() == full_need - plan.total("personel_dialokasikan")
    assert plan.kecamatan["kekurangan"].sum() > 0
    assert plan.peringatan and plan.peringatan[0].startswith("PERINGATAN")


def test_optimiser_beats_a_proportional_split(demo_inputs, full_need):
    for share in (0.4, 0.7, 0.9):
        plan = _plan(demo_inputs, int(share * full_need))
        assert plan.total("risiko_tidak_tercakup") < plan.total(
            "risiko_tidak_tercakup_proporsional"
        ), share


def test_short_of_sangat_rawan_need_gives_warning_and_partial_plan(demo_inputs):
    plan = _plan(demo_inputs, 6)  # the demo's sangat rawan and khusus TPS need 2 each
    assert plan.peringatan[0].startswith("PERINGATAN")
    assert "tidak layak" in plan.total("status")
    assert plan.tps["personel"].sum() == pytest.approx(6)
    guarded = plan.tps.loc[plan.tps["personel"] > 0]
    assert set(guarded["kelas_kunci"]) <= {"sangat_rawan", "khusus"}
    # the guarded ones are the riskiest of the top class: none left unguarded is riskier
    top = plan.tps[plan.tps["kelas_kunci"] == "sangat_rawan"]
    left = top.drop(guarded.index, errors="ignore")
    assert len(left) and guarded["risiko_tps"].min() >= left["risiko_tps"].max()


def test_english_labels_and_bad_inputs(demo_inputs):
    plan = _plan(demo_inputs, 200, lang="en")
    assert set(plan.tps["kelas_tps"]) <= {
        "less vulnerable",
        "vulnerable",
        "highly vulnerable",
        "special",
    }
    assert plan.tps["alasan_kelas"].str.contains("kecamatan (?:less |highly )?vulnerable").all()
    with pytest.raises(ValueError, match="personnel=-1"):
        _plan(demo_inputs, -1)
    with pytest.raises(ValueError, match="stage='voting'"):
        _plan(demo_inputs, 100, stage="voting")
    with pytest.raises(ValueError, match="dpt"):
        pr.plan_security(demo_inputs["model"], demo_inputs["tps"].drop(columns="dpt"), personnel=5)


def test_profile_patterns_are_data(demo_inputs, full_need):
    dense = {"tps": {"pola": {"kurang_rawan": {"polisi": 2, "tps_min": 2, "tps_max": 8}}}}
    plan = _plan(demo_inputs, full_need, plan_profile=dense)
    assert plan.kecamatan["personel_kebutuhan"].sum() > full_need
    kr = plan.tps["kelas_kunci"] == "kurang_rawan"
    assert (plan.tps.loc[kr, "personel_pola"] == 1.0).all()
    assert plan.total("profil_rencana_sha256") == pr.load_plan_profile(dense).hash
    with pytest.raises(ValueError, match="tps_min must be <= tps_max"):
        pr.load_plan_profile({"tps": {"pola": {"rawan": {"polisi": 2, "tps_min": 5}}}})


def test_a_0_1_0_risk_profile_with_tps_still_plans_with_a_note(demo_inputs, full_need):
    """Its [tps] is used as the plan settings; the risk profile's hash ignores it."""
    dense = {"tps": {"pola": {"kurang_rawan": {"polisi": 2, "tps_min": 2, "tps_max": 8}}}}
    old = pr.load_profile(dense)
    assert old.hash == pr.load_profile().hash and old.plan_settings == dense["tps"]
    assert "plan.toml" in old.notes[0]
    plan = _plan(demo_inputs, full_need, profile=dense)
    kr = plan.tps["kelas_kunci"] == "kurang_rawan"
    assert (plan.tps.loc[kr, "personel_pola"] == 1.0).all()
    notes = plan.ringkasan.loc[plan.ringkasan["butir"] == "catatan", "nilai"].tolist()
    assert any("[tps]" in n for n in notes)
    # a model fitted with that profile brings its [tps] too (not dropped silently)
    d = demo_inputs
    fitted = pr.RiskModel(profile=dense, overrides={"n_bootstrap": 0, "permutations": 0})
    fitted = fitted.fit(d["incidents"], d["demo"].areas, context=d["demo"].context)
    via_model = pr.plan_security(fitted, d["tps"], personnel=full_need, incidents=d["incidents"])
    assert via_model.total("profil_rencana_sha256") == plan.total("profil_rencana_sha256")
    assert via_model.total("profil_sha256") == fitted.score().attrs["profile_hash"]
    given = _plan(demo_inputs, full_need, profile=dense, plan_profile={})
    assert (given.tps.loc[given.tps["kelas_kunci"] == "kurang_rawan", "personel_pola"] == 0.5).all()
    assert any("diabaikan" in n for n in given.ringkasan["nilai"].astype(str))


def test_inputs_are_not_modified_and_results_repeat(demo_inputs):
    before = demo_inputs["tps"].copy()
    a, b = _plan(demo_inputs, 150), _plan(demo_inputs, 150)
    pd.testing.assert_frame_equal(demo_inputs["tps"], before)
    pd.testing.assert_frame_equal(a.tps, b.tps)
    pd.testing.assert_frame_equal(a.cooling, b.cooling)


def test_cooling_ranks_desa_per_stage_within_capacity(demo_inputs):
    plan = _plan(demo_inputs, 200)
    cool = pr.load_plan_profile().tps["cooling"]
    capacity = cool["tim"] * cool["hari"] * cool["kunjungan_per_hari"]
    # default windows: before the campaign, the quiet period and the kab/kota plenary
    assert list(dict.fromkeys(plan.cooling["tahap"])) == [
        "awal kampanye",
        "masa tenang",
        "rekapitulasi",
    ]
    per_stage = plan.cooling.groupby("tahap", sort=False)
    assert (per_stage.size() == capacity).all()
    for _, g in per_stage:
        assert g["skor_cooling"].is_monotonic_decreasing and g["skor_cooling"].iloc[0] == 100
        assert (g["tanggal_selesai"] < g["tanggal_tahap"]).all()
        assert g["desa_kode"].is_unique
    assert plan.cooling["alasan"].str.len().gt(10).all()
    assert np.isin(plan.cooling["desa_kode"], plan.tps["desa_kode"]).all()


def test_scores_frame_without_expected_counts_works(demo_inputs):
    scores = demo_inputs["model"].score()
    plan = pr.plan_security(scores, demo_inputs["tps"], personnel=100)
    assert len(plan.tps) == 293 and plan.total("data_sintetis") == "ya"
