"""Data sufficiency (pilkada_risk.scoring.sufficiency) through the model, the intake and the CLI."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from pilkada_risk.config.profile import load_profile
from pilkada_risk.io.number_format import number
from pilkada_risk.scoring.model import RiskModel
from pilkada_risk.scoring.sufficiency import (
    NOT_COMPUTED,
    assess_sufficiency,
    mask_spatial_labels,
    warning_lines,
)
from tests.browser import fake_incidents

SETTINGS = load_profile().sufficiency


@pytest.fixture(scope="module")
def demo():
    from pilkada_risk import load_demo, read_incidents

    inputs = load_demo("18.13")
    intake = read_incidents(inputs.register, areas=inputs.areas, desa=inputs.desa)
    return inputs, intake


@pytest.fixture(scope="module")
def demo_register_head(demo, tmp_path_factory) -> Path:
    """The first 76 rows of the demo register (Pesisir Barat) as a CSV file."""
    inputs, _ = demo
    raw = pd.read_csv(inputs.register, dtype=str, keep_default_na=False)
    path = tmp_path_factory.mktemp("register") / "register_pesisir_barat.csv"
    raw.head(76).to_csv(path, index=False)
    return path


def test_three_incidents_are_insufficient_and_give_no_hotspot(kecamatan_pb):
    inc = fake_incidents(kecamatan_pb, 3)
    scores = RiskModel(overrides={"n_bootstrap": 20}).fit(inc, kecamatan_pb).score()
    attrs = scores.attrs
    assert attrs["data_sufficient"] is False
    assert set(scores["gi_label"]) == {NOT_COMPUTED} and set(scores["lisa_label"]) == {NOT_COMPUTED}
    assert "hotspot" not in " ".join(scores["narasi"]).lower()
    assert len(attrs["data_warnings"]) == len(attrs["data_warnings_en"]) >= 3
    assert "Hanya 3 kejadian dipakai (minimal 30)" in attrs["data_warnings"][0]
    assert "Only 3 incidents were used (minimum 30)" in attrs["data_warnings_en"][0]
    assert any("Gi*" in w for w in attrs["data_warnings"])
    assert attrs["data_basis"]["n_incidents"] == 3 and not attrs["data_basis"]["spatial_computed"]


def test_demo_is_sufficient(demo):
    inputs, intake = demo
    scores = RiskModel().fit(intake.accepted, inputs.areas, context=inputs.context).score()
    assert scores.attrs["data_sufficient"] is True
    assert scores.attrs["data_warnings"] == [] == scores.attrs["data_warnings_en"]
    basis = scores.attrs["data_basis"]
    assert basis["n_read"] == intake.n_read and basis["n_quarantine"] == len(intake.quarantine)
    assert basis["n_point"] + basis["n_name"] == len(intake.accepted)
    assert intake.accepted.attrs["intake"]["data_warnings"] == []


def _table(n_kejadian, stable=True):
    return pd.DataFrame({"n_kejadian": n_kejadian, "peringkat_stabil": stable})


def test_each_rule_and_its_threshold():
    dates = pd.DataFrame({"tanggal": pd.to_datetime(["2023-01-01", "2024-06-30"])})
    ok = assess_sufficiency(_table([20, 20]), dates, as_of="2024-07-01", settings=SETTINGS)
    assert ok["data_sufficient"] is True
    # per kecamatan-year: 40 incidents over 2 kecamatan and 547 days (1.50 years) = 13.35 >= 1
    strict = dataclasses.replace(SETTINGS, min_per_kecamatan_year=20.0)
    res = assess_sufficiency(_table([20, 20]), dates, as_of="2024-07-01", settings=strict)
    assert (
        res["data_sufficient"] is False
        and "13,35 kejadian per kecamatan" in res["data_warnings"][0]
    )
    # share of kecamatan with an incident
    res = assess_sufficiency(_table([40, 0, 0]), dates, as_of="2024-07-01", settings=SETTINGS)
    assert "1 dari 3 kecamatan (33%)" in res["data_warnings"][0]
    # rank stability
    res = assess_sufficiency(
        _table([20, 20], stable=False), dates, as_of="2024-07-01", settings=SETTINGS
    )
    assert "berperingkat stabil" in res["data_warnings"][0]
    # share quarantined at intake
    dates.attrs["intake"] = {"n_read": 100, "n_quarantine": 60}
    res = assess_sufficiency(_table([20, 20]), dates, as_of="2024-07-01", settings=SETTINGS)
    assert res["data_warnings_en"] == [
        "60 of 100 register rows (60%) were quarantined (maximum 50%): check the register "
        "and the kabupaten."
    ]


def test_mask_leaves_its_input_alone():
    table = pd.DataFrame({"gi_label": ["hotspot"], "lisa_label": ["HH"]})
    masked = mask_spatial_labels(table, 29, SETTINGS)
    assert masked["gi_label"].tolist() == [NOT_COMPUTED] and table["gi_label"].tolist() == [
        "hotspot"
    ]
    assert mask_spatial_labels(table, 30, SETTINGS)["gi_label"].tolist() == ["hotspot"]


@pytest.mark.parametrize(
    ("over", "match"),
    [
        (
            {"min_incidents": 2.5},
            r"sufficiency.min_incidents = 2.5: harus bilangan bulat.*need a whole number",
        ),
        (
            {"min_kecamatan_share": 1.5},
            r"min_kecamatan_share = 1.5: harus bagian.*need a share on 0..1",
        ),
        ({"max_outside_share": -0.1}, r"max_outside_share = -0.1: harus ≥ 0 \(must be >= 0\)"),
        (
            {"min_per_kecamatan_year": "satu"},
            r"min_per_kecamatan_year = 'satu': harus berupa angka",
        ),
    ],
)
def test_profile_validates_the_sufficiency_section(over, match):
    with pytest.raises(ValueError, match=match):
        load_profile({"sufficiency": over})


def test_numbers_in_indonesian_and_english_format():
    assert number(1234567.891, "id", 2) == "1.234.567,89"
    assert number(1234567.891, "en", 2) == "1,234,567.89"
    assert number(0.034, "id", 1, percent=True) == "3,4%"
    assert number(float("nan"), "id") == "–"


def test_warning_lines_carry_the_cli_prefix():
    attrs = {"data_warnings": ["Hanya 3 kejadian."], "data_warnings_en": ["Only 3."]}
    assert warning_lines(attrs, "id") == ["PERINGATAN: Hanya 3 kejadian."]
    assert warning_lines(attrs, "en") == ["WARNING: Only 3."]


def test_wrong_kabupaten_is_refused_at_intake_and_names_where_the_rows_are(demo_register_head):
    from pilkada_risk import read_incidents
    from pilkada_risk.intake.coverage import RegisterOutsideError

    # 76 Pesisir Barat rows read for Bandar Lampung: too few rows there to score (issue 19)
    with pytest.raises(RegisterOutsideError, match="berada di luar 18.71 Kota Bandar Lampung"):
        read_incidents(demo_register_head, kab_kode="18.71")
    intake = read_incidents(demo_register_head, kab_kode="18.71", force=True)
    info = intake.accepted.attrs["intake"]
    assert info["n_read"] == 76 and info["n_outside"] >= 70
    (text,) = info["data_warnings"]
    assert text.startswith(f"{info['n_outside']} dari 76 baris berada di luar 18.71 Kota Bandar")
    assert " di 18.13 Kabupaten Pesisir Barat" in text
    assert max(info["outside_by_kab"], key=info["outside_by_kab"].get) == "18.13"
    (text_en,) = info["data_warnings_en"]
    assert "lie outside 18.71 Kota Bandar Lampung and were left out (" in text_en
    assert " in 18.13 Kabupaten Pesisir Barat" in text_en
    right = read_incidents(demo_register_head, kab_kode="18.13")
    assert right.accepted.attrs["intake"]["data_warnings"] == []


def test_analysts_max_outside_share_reaches_intake(demo_register_head, tmp_path, capsys):
    """The caller's profile, not the shipped default, sets when intake warns (API and CLI)."""
    from pilkada_risk import read_incidents
    from pilkada_risk.cli import main

    lenient = {"sufficiency": {"max_outside_share": 1.0}}
    quiet = read_incidents(demo_register_head, kab_kode="18.71", profile=lenient)
    assert quiet.accepted.attrs["intake"]["n_outside"] >= 70
    assert quiet.accepted.attrs["intake"]["data_warnings"] == []
    # the shipped limit: too few rows inside 18.71 to score, so read only when forced, and warned
    strict = read_incidents(demo_register_head, kab_kode="18.71", profile=None, force=True)
    assert len(strict.accepted.attrs["intake"]["data_warnings"]) == 1
    profile = tmp_path / "profil.toml"
    profile.write_text("[sufficiency]\nmax_outside_share = 1.0\n", encoding="utf-8")
    args = ["intake", str(demo_register_head), "--kab", "18.71"]
    assert main([*args, "--paksa"]) == 0
    assert "PERINGATAN: " in capsys.readouterr().out
    assert main([*args, "--profile", str(profile)]) == 0
    assert "PERINGATAN: " not in capsys.readouterr().out


def test_cli_prints_peringatan_lines(tmp_path, capsys, demo_register_head):
    from pilkada_risk.cli import main

    three = tmp_path / "tiga.csv"
    pd.read_csv(demo_register_head, dtype=str, keep_default_na=False).head(3).to_csv(
        three, index=False
    )
    assert main(["score", str(three), "--kab", "18.13", "--out", str(tmp_path / "s.csv")]) == 0
    lines = capsys.readouterr().out.splitlines()
    warned = [x for x in lines if x.startswith("PERINGATAN: ")]
    assert len(warned) >= 3 and any("Hanya 3 kejadian dipakai" in x for x in warned)
    out = str(tmp_path / "s_en.csv")
    assert main(["score", str(three), "--kab", "18.13", "--out", out, "--lang", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(x.startswith("WARNING: Only 3 incidents were used") for x in lines)
    assert not any(x.startswith("PERINGATAN") for x in lines)
    # a register of another kabupaten, too few rows in 18.71: refused, exit 2, nothing written
    html = tmp_path / "m.html"
    code = main(["map", str(demo_register_head), "--kab", "18.71", "--out", str(html)])
    out_err = capsys.readouterr()
    assert code == 2 and not html.exists() and not html.with_suffix(".png").exists()
    assert out_err.err.startswith("Galat: 75 dari 76 baris register berada di luar 18.71")
    assert " di 18.13 Kabupaten Pesisir Barat" in out_err.err and "--paksa" in out_err.err
