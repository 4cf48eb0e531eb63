from __future__ import annotations

import pandas as pd
import pytest

from pilkada_risk.config.profile import load_profile
from pilkada_risk.scoring.narrative import (
    basis_label,
    expected_by_source,
    method_note,
    narratives,
)


def _table() -> pd.DataFrame:
    base = {
        "tren": "meningkat",
        "score_lower": 40.4,
        "score_upper": 61.6,
        "komponen_limpahan": 0.0,
        "komponen_struktural": 0.0,
        "harapan": 4.2,
    }
    rows = [
        {
            **base,
            "nama": "Pesisir Tengah",
            "kelas": "rawan",
            "kelas_en": "vulnerable",
            "risk_score": 55.2,
            "peringkat": 1,
            "peringkat_lower": 1,
            "peringkat_upper": 1,
            "peringkat_stabil": True,
            "gi_label": "hotspot",
            "komponen_intensitas": 10.0,
            "komponen_kekinian": 30.2,
            "komponen_laju": 15.0,
            "komponen_tren": 0.0,
        },
        {
            **base,
            "nama": "Ngaras",
            "kelas": "kurang rawan",
            "kelas_en": "less vulnerable",
            "risk_score": 20.0,
            "peringkat": 2,
            "peringkat_lower": 1,
            "peringkat_upper": 5,
            "peringkat_stabil": False,
            "gi_label": "tidak_signifikan",
            "komponen_intensitas": 2.0,
            "komponen_kekinian": 3.0,
            "komponen_laju": 5.0,
            "komponen_tren": 10.0,
        },
    ]
    return pd.DataFrame(rows)


def test_narratives_in_both_languages():
    table = _table()
    before = table.copy()
    ids = narratives(table, basis="dpt", top=2)
    # 4.2 expected incidents split like the points: 30.2/55.2 and 15/55.2 of 4.2
    assert ids[0] == (
        "Pesisir Tengah: rawan (skor 55, peringkat 1 dari 2). Dari 4,2 kejadian yang diharapkan "
        "dalam 90 hari: 2,3 dari kejadian beberapa bulan terakhir (paruh pendek), 1,1 dari laju "
        "jangka panjang (Empirical Bayes per 1.000 pemilih DPT). Tren: meningkat. "
        "Rentang skor 40–62, peringkat 1–1. Titik panas (Gi*) signifikan."
    )
    assert ids[1].endswith("peringkat 1–5 (peringkat belum stabil).")
    assert "2,1 dari tahapan pemilu dalam periode ke depan" in ids[1]
    ens = narratives(table, basis="unit", lang="en", top=1, horizon_days=30)
    assert ens[1].startswith(
        "Ngaras: less vulnerable (score 20, rank 2 of 2). Of 4.2 expected incidents in 30 days: "
    )
    assert "2.1 from the election stage of the coming period. Trend" in ens[1]
    assert ens[0].endswith("Significant Gi* hot spot.")
    pd.testing.assert_frame_equal(table, before)


def test_expected_by_source_adds_up():
    out = expected_by_source(_table())
    assert out.sum(axis=1).round(9).tolist() == [4.2, 4.2]
    zero = _table().assign(risk_score=0.0, **{"komponen_" + k: 0.0 for k in out.columns})
    assert expected_by_source(zero).to_numpy().sum() == 0.0


def test_narratives_reject_bad_input():
    with pytest.raises(ValueError, match=r"table: no column for kelas_en;.*RiskModel"):
        narratives(_table().drop(columns="kelas_en"), basis="unit", lang="en")
    with pytest.raises(ValueError, match="lang='fr' is not supported"):
        narratives(_table(), basis="unit", lang="fr")
    assert narratives(_table().iloc[:0], basis="unit") == []


def test_method_note_states_profile_seed_and_shared_weight():
    prof = load_profile()
    as_of = pd.Timestamp("2024-09-25")
    note = method_note(prof, seed=7, basis="populasi", as_of=as_of)
    assert f"hash {prof.hash[:12]}" in note and "seed 7" in note
    assert "per 1.000 penduduk" in note and note.endswith("Data sebelum 2024-09-25.")
    shared = {**prof.component_weights, "struktural": 0.0}
    en = method_note(prof, seed=0, basis="unit", as_of=as_of, weights=shared, lang="en")
    assert "the structural weight was shared out over the other components." in en
    assert basis_label("tps") == "1.000 TPS"
