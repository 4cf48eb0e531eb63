from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pilkada_risk.config.profile import COMPONENTS
from pilkada_risk.errors import NotFittedError
from pilkada_risk.scoring.model import RiskModel
from pilkada_risk.scoring.trend import TREND_LABELS

FAST = {"n_bootstrap": 40, "permutations": 99}
QUICK = {"n_bootstrap": 0, "permutations": 0}


def _simulate(areas, seed=0, **kw):
    from pilkada_risk.synthetic.simulate import simulate_incidents

    return simulate_incidents(areas, seed=seed, **kw)


def _canonical(sim, areas):
    from benchmarks.bench_recovery import canonical

    return canonical(sim, areas)


@pytest.fixture(scope="module")
def sim_pb(kecamatan_pb):
    sim = _simulate(kecamatan_pb, seed=3, start="2022-01-01", end="2024-12-31")
    return sim, _canonical(sim, kecamatan_pb)


@pytest.fixture(scope="module")
def fitted(sim_pb, kecamatan_pb):
    sim, inc = sim_pb
    return RiskModel(overrides=FAST).fit(inc, kecamatan_pb, context=sim.context)


def test_score_contract(fitted, kecamatan_pb):
    s = fitted.score()
    assert len(s) == 11 and s["peringkat"].tolist() == list(range(1, 12))
    assert s["risk_score"].between(0, 100).all()
    comp = s[[f"komponen_{k}" for k in COMPONENTS]].sum(axis=1)
    np.testing.assert_allclose(comp, s["risk_score"], rtol=0, atol=1e-9)
    assert (s["score_lower"] <= s["risk_score"]).all()
    assert (s["risk_score"] <= s["score_upper"]).all()
    assert (s["peringkat_lower"] <= s["peringkat"]).all()
    assert (s["peringkat"] <= s["peringkat_upper"]).all() and (s["peringkat_lower"] >= 1).all()
    np.testing.assert_allclose(s["harapan"] / s["harapan"].max() * 100, s["risk_score"])
    assert s["risk_score"].iloc[0] == pytest.approx(100.0)
    assert set(s["kelas"]) <= {"kurang rawan", "rawan", "sangat rawan"}
    assert set(s["kelas_ikp"]) <= {"rendah", "sedang", "tinggi"}
    assert set(s["tren"]) <= set(TREND_LABELS)
    assert s["risk_score"].is_monotonic_decreasing
    assert s.crs == kecamatan_pb.crs and s.geometry.notna().all()
    first = s.iloc[0]
    assert first["narasi"].startswith(f"{first['nama']}: {first['kelas']} (skor ")
    assert "peringkat 1 dari 11" in first["narasi"] and "rank 1 of 11" in first["narasi_en"]
    for key in (
        "profile",
        "profile_hash",
        "as_of",
        "kab_kode",
        "n_incidents",
        "spatial_note",
        "software_version",
        "boundary_source",
        "method_note_id",
        "method_note_en",
        "weights_mode",
        "weights_reason",
        "skill",
        "skill_note_id",
        "skill_note_en",
        "verdict_id",
        "verdict_en",
        "forecast_choice",
        "horizon_days",
    ):
        assert key in s.attrs
    assert s.attrs == fitted.provenance_.as_attrs()
    assert s.attrs["weights_reason"] == "selected"  # 3 years: every candidate is tested
    skill = s.attrs["skill"]
    assert (
        skill["choice"] == s.attrs["forecast_choice"] and skill["runner_up"] in skill["candidates"]
    )
    assert s.attrs["verdict_id"] == skill["verdict_id"] == s.attrs["skill_note_id"]
    assert s.attrs["verdict_id"] in s.attrs["method_note_id"]
    assert list(fitted.candidate_forecasts_.columns) == list(skill["candidates"])
    assert s.attrs["kab_kode"] == "18.13" and "18.13.06" in s.attrs["spatial_note"]
    want = (fitted.as_of_).date().isoformat()
    assert s.attrs["as_of"] == want


def test_rank_stability_has_an_absolute_and_a_relative_part(fitted, sim_pb, kecamatan_pb):
    s = fitted.score()
    width = s["peringkat_upper"] - s["peringkat_lower"]
    assert s["peringkat_stabil"].tolist() == (width <= 2).tolist()  # 0.01 * 11 < 2
    sim, inc = sim_pb
    rel = RiskModel(
        overrides={**FAST, "rank_width_max": 0, "rank_width_share": 0.2}
    )  # 0.2 * 11 = 2.2 ranks
    r = rel.fit(inc, kecamatan_pb, context=sim.context).score()
    pd.testing.assert_series_equal(r["risk_score"], s["risk_score"])
    assert r["peringkat_stabil"].tolist() == s["peringkat_stabil"].tolist()
    strict = RiskModel(overrides={**FAST, "rank_width_max": 0, "rank_width_share": 0.0})
    t = strict.fit(inc, kecamatan_pb, context=sim.context).score()
    assert t["peringkat_stabil"].tolist() == (width == 0).tolist()
    assert 0 < t["peringkat_stabil"].sum() < r["peringkat_stabil"].sum()


def test_explain_sums_to_score_and_rejects_unknown(fitted):
    s = fitted.score().set_index("kode")
    ex = fitted.explain("18.13.11")
    assert ex["komponen"].tolist() == list(COMPONENTS)
    assert ex["kontribusi"].sum() == pytest.approx(s.loc["18.13.11", "risk_score"], abs=1e-9)
    assert ex["harapan"].sum() == pytest.approx(s.loc["18.13.11", "harapan"], abs=1e-9)
    assert ex["harapan"].sum() == pytest.approx(fitted.expected_["18.13.11"], abs=1e-9)
    np.testing.assert_allclose(ex["harapan"], ex["nilai_mentah"] * ex["bobot"])
    assert ex.attrs["kalimat_en"].startswith(f"of {s.loc['18.13.11', 'harapan']:.1f} expected")
    assert "from the long-run rate" in ex.attrs["kalimat_en"]
    with pytest.raises(KeyError, match=r"'99.99' tidak dikenal.*valid: 18.13.01"):
        fitted.explain("99.99")


def test_expected_counts_match_the_score_and_the_recent_rate(fitted, sim_pb, kecamatan_pb):
    sim, inc = sim_pb
    exp = fitted.expected_counts("365D")
    as_of = fitted.as_of_
    last = inc[inc["tanggal"] >= as_of - pd.Timedelta(days=365)]
    assert exp.index.tolist() == sorted(exp.index)
    s = fitted.score().set_index("kode")
    np.testing.assert_allclose(fitted.expected_counts("90D"), s.loc[exp.index, "harapan"])
    # 2025 has no election window in the calendar: the flat outside-window rate.
    assert fitted.expected_counts("90D").sum() == pytest.approx(exp.sum() * 90 / 365)
    assert exp.sum() == pytest.approx(len(last), rel=0.3)


def test_determinism_and_inputs_untouched(sim_pb, kecamatan_pb):
    sim, inc = sim_pb
    before = inc.copy()
    a = RiskModel(seed=7, overrides=FAST).fit(inc, kecamatan_pb, context=sim.context).score()
    b = RiskModel(seed=7, overrides=FAST).fit(inc, kecamatan_pb, context=sim.context).score()
    pd.testing.assert_frame_equal(a.drop(columns="geometry"), b.drop(columns="geometry"))
    pd.testing.assert_frame_equal(inc, before)


def test_sparse_data_and_an_empty_kecamatan(sim_pb, kecamatan_pb):
    _, inc = sim_pb
    small = inc[inc["kec_kode"] != "18.13.07"].sample(50, random_state=1)
    s = RiskModel(overrides=FAST).fit(small, kecamatan_pb).score().set_index("kode")
    numeric = s.select_dtypes("number")
    assert np.isfinite(numeric.to_numpy()).all()
    assert s.loc["18.13.07", "n_kejadian"] == 0
    assert s.loc["18.13.07", "tren"] == "tidak_ada"
    assert "dibagi ke komponen lain" in s.attrs["method_note_id"]


def test_as_of_filters_and_validates(sim_pb, kecamatan_pb):
    _, inc = sim_pb
    m = RiskModel(overrides=FAST).fit(inc, kecamatan_pb, as_of="2024-01-01")
    assert m.score().attrs["n_incidents"] == int((inc["tanggal"] < "2024-01-01").sum())
    with pytest.raises(ValueError, match="as_of=2021-06-01 tidak setelah kejadian pertama"):
        RiskModel().fit(inc, kecamatan_pb, as_of="2021-06-01")


def test_bad_incidents_are_rejected(sim_pb, kecamatan_pb):
    _, inc = sim_pb
    bad = inc.assign(kategori=inc["kategori"].where(inc.index > 0, "santet"))
    with pytest.raises(ValueError, match=r"kategori \['santet'\] tidak dikenal.*dikenal: curas"):
        RiskModel().fit(bad, kecamatan_pb)
    bad = inc.assign(kec_kode=inc["kec_kode"].where(inc.index > 0, "18.01.01"))
    with pytest.raises(ValueError, match=r"kec_kode \['18.01.01'\] tidak ada di areas"):
        RiskModel().fit(bad, kecamatan_pb)
    with pytest.raises(ValueError, match=r"incidents: tidak ada kolom untuk kategori;"):
        RiskModel().fit(inc.drop(columns="kategori"), kecamatan_pb)
    with pytest.raises(ValueError, match="parameter 'paruh': parameter tidak dikenal"):
        RiskModel(overrides={"paruh": 3}).fit(inc, kecamatan_pb)


def test_context_by_name_with_aliases_and_unknown_keys(sim_pb, kecamatan_pb):
    sim, inc = sim_pb
    ctx = sim.context.drop(columns="kode").copy()
    ctx.loc[ctx["nama"] == "Ngaras", "nama"] = "Bengkunat"  # BPS 2018 name of 18.13.10
    a = RiskModel(overrides=FAST).fit(inc, kecamatan_pb, context=ctx).score()
    b = RiskModel(overrides=FAST).fit(inc, kecamatan_pb, context=sim.context).score()
    np.testing.assert_allclose(a["risk_score"], b["risk_score"])
    with pytest.raises(ValueError, match=r"\['Atlantis'\] tidak cocok dengan kecamatan"):
        RiskModel().fit(inc, kecamatan_pb, context=pd.DataFrame({"nama": ["Atlantis"]}))


def test_profile_schemes_and_get_params(sim_pb, kecamatan_pb):
    sim, inc = sim_pb
    from sklearn.base import clone

    m = RiskModel(overrides={"classes__scheme": "fisher_jenks", **FAST})
    assert m.get_params()["overrides"]["classes__scheme"] == "fisher_jenks"
    assert clone(m).get_params()["overrides"] == m.get_params()["overrides"]
    assert set(m.get_params()) == {"profile", "weights", "seed", "overrides"}
    s = m.fit(inc, kecamatan_pb, context=sim.context).score()
    assert s.iloc[0]["kelas"] == "sangat rawan" and s.iloc[-1]["kelas"] == "kurang rawan"


@pytest.mark.slow
def test_recovers_latent_risk_better_than_raw_counts():
    from benchmarks.bench_recovery import recovery

    table = recovery("18.13", range(5), n_bootstrap=0, permutations=0)
    rt = table[table["target"] == "risk_true"]
    # Expected counts now forecast incidents (per kecamatan, not per resident): on 5 seeds
    # (stationary simulator) Spearman with risk_true 0.743 vs 0.741 for raw counts, with
    # lambda_year 0.976 vs 0.978 (docs/metode.md).
    assert rt["model"].mean() >= 0.70
    assert rt["model"].mean() >= rt["raw_counts"].mean() - 0.01
    lam = table[table["target"] == "lambda_year"]
    assert lam["model"].mean() >= 0.95


CAMPAIGN_2024 = pd.Timestamp("2024-09-25")  # Pilkada 2024 campaign start


def _events(areas, seed, **params):
    from pilkada_risk.synthetic.simulate import simulate_incidents

    sim = simulate_incidents(areas, seed=seed, params=params or None)
    return sim.events[["tanggal", "kategori", "kec_kode"]], sim.context


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_learned_uplift_recovers_the_simulated_surge(kecamatan_pb, seed):
    # Without seasonality and self-excitation the simulator's phase ratio is exactly SURGE.
    inc, ctx = _events(kecamatan_pb, seed, season_amplitude=0, ramadan_bump=0, branching=0)
    m = RiskModel(overrides=QUICK).fit(inc, kecamatan_pb, as_of=CAMPAIGN_2024, context=ctx)
    table = m.uplift_table_
    truth = pd.Series({"kampanye": 1.7, "tenang": 1.7, "pemungutan": 3.0, "rekapitulasi": 3.0})
    # n_p ~ Poisson(truth * E_p): the raw ratio's sd is sqrt(truth / E_p); allow 3.5 sd
    # (E_p ~ 300 campaign, ~70 recap, ~10 quiet, ~3.5 polling incidents since 2019).
    sd = np.sqrt(truth / table["harapan"])
    assert (np.abs(table["rasio_mentah"] - truth) <= 3.5 * sd).all(), table
    # Shrinkage pulls toward 1 and never past it; negligible where E_p >> prior (= 2).
    raw, fac = table["rasio_mentah"], table["faktor"]
    assert ((fac - 1) * (raw - 1) >= 0).all() and (np.abs(fac - 1) <= np.abs(raw - 1)).all()
    assert fac["kampanye"] == pytest.approx(1.7, abs=0.15)
    assert fac["rekapitulasi"] == pytest.approx(3.0, abs=0.6)
    assert m.score().attrs["election_uplift"] == m.election_uplift_ == fac.to_dict()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_uplift_lowers_the_deviance_over_a_campaign(kecamatan_pb, seed):
    from pilkada_risk.validation.metrics import poisson_deviance

    inc, ctx = _events(kecamatan_pb, seed)  # default simulator: seasonality and offspring
    end = CAMPAIGN_2024 + pd.Timedelta(days=90)
    future = inc[(inc["tanggal"] >= CAMPAIGN_2024) & (inc["tanggal"] < end)]
    real = future["kec_kode"].value_counts().reindex(sorted(kecamatan_pb["kode"]), fill_value=0)
    dev, scores = {}, {}
    for on in (True, False):
        m = RiskModel(overrides={"election_uplift": on, **QUICK})
        m.fit(inc, kecamatan_pb, as_of=CAMPAIGN_2024, context=ctx)
        exp = m.expected_counts("90D")
        dev[on] = poisson_deviance(exp, real.astype(float))
        scores[on] = m.score().drop(columns="geometry")
    assert dev[True] < dev[False]


def test_expected_counts_follow_the_calendar(fitted):
    # as_of 2025-01-01 is after the calendar: flat; partial days count pro rata.
    rate = fitted.daily_rate_
    np.testing.assert_allclose(fitted.expected_counts("36h"), rate * 1.5)
    assert fitted.expected_counts("0D").sum() == 0
    with pytest.raises(ValueError, match=r"horizon='-5D': must be >= 0 days"):
        fitted.expected_counts("-5D")


def test_expected_counts_inside_a_window(kecamatan_pb):
    inc, ctx = _events(kecamatan_pb, 0)
    m = RiskModel(overrides=QUICK).fit(inc, kecamatan_pb, as_of="2024-11-26", context=ctx)
    u = m.election_uplift_
    # 26 Nov quiet, 27 Nov polling, 28 Nov recapitulation.
    lift = u["tenang"] + u["pemungutan"] + u["rekapitulasi"]
    base = m.terms_[m.uplift_on_] / m.horizon_days_  # the rate that carries the uplift
    want = m.daily_rate_ * 3 + m.weights_["tren"] * base * (lift - 3)
    np.testing.assert_allclose(m.expected_counts("3D"), want)
    assert lift > 3  # the simulated surge is learned


@pytest.fixture(scope="module")
def demo_pb():
    from pilkada_risk import load_demo
    from pilkada_risk.intake.incidents import read_incidents

    d = load_demo("18.13")
    inc = read_incidents(d.register, areas=d.areas, desa=d.desa, kab_kode=d.kab_kode).accepted
    return d, inc


def test_sparse_register_does_not_make_a_quiet_unit_rawan(demo_pb):
    d, inc = demo_pb
    sample = inc.sample(50, random_state=0)
    assert "18.13.06" not in set(sample["kec_kode"])
    s = RiskModel(overrides=QUICK).fit(sample, d.areas).score().set_index("kode")
    assert s.at["18.13.06", "kelas"] == "kurang rawan"
    assert s.at["18.13.06", "risk_score"] <= s["risk_score"].median()


def test_short_register_is_not_a_rise_everywhere(demo_pb):
    d, inc = demo_pb
    short = RiskModel(overrides=QUICK)
    s = short.fit(inc[inc["tanggal"] >= "2024-03-01"], d.areas, as_of="2024-09-25").score()
    assert set(s["tren"]) == {"data_kurang"}
    assert short.weights_mode_ == "count" and short.selection_.reason == "short_history"
    assert s.attrs["skill"]["choice"] == "count" and s.attrs["skill"]["n_origins"] == 0
    assert s.attrs["verdict_en"] == (
        "This ranking = the count of all past incidents (no time weighting); this register's "
        "history is too short to test another forecast against it."
    )
    assert "data kurang" in s["narasi"].iloc[0] and "insufficient data" in s["narasi_en"].iloc[0]
    s = (
        RiskModel(overrides=QUICK)
        .fit(inc[inc["tanggal"] >= "2023-07-01"], d.areas, as_of="2024-09-25")
        .score()
    )
    assert (s["tren"] != "meningkat").sum() >= 3


def test_nat_tanggal_and_missing_exposure_are_reported(sim_pb, kecamatan_pb):
    sim, inc = sim_pb
    bad = inc.assign(tanggal=inc["tanggal"].where(inc.index % 50 != 0))
    n = int(bad["tanggal"].isna().sum())
    with pytest.raises(ValueError, match=rf"{n} baris dengan tanggal kosong.*read_incidents"):
        RiskModel(overrides=FAST).fit(bad, kecamatan_pb)
    ctx = sim.context.copy()
    if "dpt" not in ctx.columns:
        pytest.skip("simulated context has no dpt")
    ctx.loc[ctx.index[0], "dpt"] = np.nan
    plain = RiskModel(overrides=QUICK).fit(inc, kecamatan_pb, context=ctx)
    assert plain.exposure_basis_ == "unit" and plain.exposure_notes_ == []  # default: per kec.
    m = RiskModel(overrides={**QUICK, "rate_per_exposure": True})
    m.fit(inc, kecamatan_pb, context=ctx)
    s = m.score()
    assert m.exposure_basis_ != "dpt"
    assert any("eksposur dpt" in n and "exposure dpt" in n for n in s.attrs["structural_notes"])
    assert "tanpa eksposur" in s.attrs["method_note_id"]
    assert "lack exposure" in s.attrs["method_note_en"]


def test_weight_modes_and_the_count_ranks_like_counting(sim_pb, kecamatan_pb):
    from sklearn.base import clone

    sim, inc = sim_pb
    count = RiskModel(weights="count", overrides=QUICK).fit(inc, kecamatan_pb, context=sim.context)
    s = count.score().set_index("kode")
    assert s.attrs["weights_mode"] == "count" and s.attrs["weights_reason"] == "requested"
    n = inc["kec_kode"].value_counts().reindex(s.index, fill_value=0)
    ranks = s["risk_score"].rank(method="min", ascending=False)
    assert ranks.tolist() == n.rank(method="min", ascending=False).tolist()
    expert = RiskModel(weights="profile", overrides=QUICK).fit(
        inc, kecamatan_pb, context=sim.context
    )
    assert expert.weights_ == expert.score().attrs["weights_profile"]
    assert expert.weights_ == expert.profile_.component_weights  # context has the factors
    with pytest.raises(ValueError, match="weights='best'; allowed: learned, profile, count"):
        RiskModel(weights="best").fit(inc, kecamatan_pb)
    twin = clone(RiskModel(weights="profile", overrides={"n_bootstrap": 0}))
    assert twin.get_params()["weights"] == "profile"


def test_unfitted_model_raises_not_fitted_which_old_handlers_still_catch():
    for method in (RiskModel().score, lambda: RiskModel().explain("18.13.01")):
        with pytest.raises(NotFittedError, match="fit"):
            method()
        with pytest.raises(RuntimeError):
            method()
        with pytest.raises(AttributeError):
            method()
