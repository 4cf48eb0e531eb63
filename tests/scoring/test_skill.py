"""The one verdict sentence (pilkada_risk.scoring.skill) and what the scores say with it."""

from __future__ import annotations

import numpy as np
import pytest

from pilkada_risk.scoring.model import RiskModel
from pilkada_risk.scoring.skill import ranking_basis, verdict_sentence

SKILL = {
    "n_origins": 12, "k": 3, "horizon_days": 90, "reason": "selected",
    "hit_rate": {"model": 0.5, "all_history": 0.55, "last_period": 0.4},
    "spearman": {"model": 0.6, "all_history": 0.62, "last_period": 0.5},
}  # fmt: skip


def test_the_all_history_count_says_nothing_did_better():
    text = verdict_sentence(SKILL | {"choice": "count"}, "id")
    assert text == (
        "Peringkat ini = hitungan semua kejadian dalam riwayat (tanpa bobot waktu); pada 12 "
        "periode uji terakhir register ini, bobot waktu dan bobot yang dipelajari tidak lebih "
        "baik darinya: 3 kecamatan teratasnya menangkap 50% kejadian 90 hari berikutnya "
        "(periode terakhir 40%; korelasi peringkat 0,60 lawan 0,50)."
    )


def test_test_periods_without_incidents_say_so_instead_of_empty_figures():
    """A forecast date far past the data: the held-out windows hold no incident (NaN metrics)."""
    nan = float("nan")
    empty = SKILL | {
        "choice": "count",
        "hit_rate": {"model": nan, "all_history": nan, "last_period": nan},
        "spearman": {"model": nan, "all_history": nan, "last_period": nan},
    }
    text = verdict_sentence(empty, "id")
    assert "tidak memuat kejadian" in text and "–" not in text and "nan" not in text.lower()
    assert "hold no incident" in verdict_sentence(empty, "en")


def test_a_decayed_count_is_named_with_its_half_life_in_both_languages():
    sk = SKILL | {"choice": "count_h180", "half_life_days": 180.0}
    assert verdict_sentence(sk, "id").startswith(
        "Peringkat ini = hitungan kejadian dengan bobot waktu paruh 180 hari, dipilih sebagai"
    )
    en = verdict_sentence(sk, "en")
    assert "half-life of 180 days" in en and "all-history count 55%, last period 40%" in en
    assert ranking_basis(sk, "en") in en and en.endswith(".")


def test_requested_and_short_history_sentences():
    assert "sesuai permintaan" in verdict_sentence(
        SKILL | {"choice": "profile", "reason": "requested"}
    )
    assert verdict_sentence(None, "en").endswith("too short to test another forecast against it.")
    with pytest.raises(ValueError):
        verdict_sentence(SKILL, "fr")


@pytest.fixture(scope="module")
def demo_at_campaign():
    from pilkada_risk import load_demo
    from pilkada_risk.intake.incidents import read_incidents

    d = load_demo("18.13")
    inc = read_incidents(d.register, areas=d.areas, desa=d.desa, kab_kode=d.kab_kode).accepted
    m = RiskModel(overrides={"n_bootstrap": 0, "permutations": 0})
    return inc, m.fit(inc, d.areas, as_of="2024-09-25")


def test_a_chosen_decayed_count_is_the_ranking(demo_at_campaign):
    """The demo before the 2024 campaign: a 180-day count is chosen, and it is the ranking."""
    inc, m = demo_at_campaign
    s = m.score().set_index("kode")
    assert s.attrs["forecast_choice"] == "count_h180" and m.weights_mode_ == "decayed_count"
    assert m.half_lives_[0] == 180.0 and m.uplift_on_ == "intensitas"
    assert m.weights_["laju"] == 0.0 and m.weights_["intensitas"] == 1.0
    np.testing.assert_allclose(
        m.expected_.reindex(s.index), m.candidate_forecasts_.loc[s.index, "count_h180"]
    )
    age = (m.as_of_ - inc["tanggal"]).dt.days
    past = inc.assign(w=0.5 ** (age / 180.0))[age > 0]
    count = past.groupby("kec_kode")["w"].sum().reindex(s.index, fill_value=0.0)
    assert s["harapan"].rank(method="min", ascending=False).tolist() == (
        count.rank(method="min", ascending=False).tolist()
    )
    basis = "Peringkat ini = hitungan kejadian dengan bobot waktu paruh 180 hari"
    assert m.explain(s.index[0]).attrs["dasar_id"] == basis
    assert s.attrs["verdict_id"].startswith(basis)
    assert (
        "paruh 180 hari" in s["narasi"].iloc[0] and "half-life 180 days" in s["narasi_en"].iloc[0]
    )
    assert s.attrs["skill"]["candidates"]["count_h180"]["gain"] >= s.attrs["skill"]["tie_margin"]
