"""``pilkada-risk plan``: the demo end to end, and bad input as a clear error (exit 2)."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl

from pilkada_risk.cli import main

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


def _args(out: Path, personel: str) -> list[str]:
    return [
        "plan",
        str(DEMO / "kejadian_sintetis_pesisir_barat.csv"),
        "--kab",
        "18.13",
        "--tps",
        str(DEMO / "tps_sintetis_pesisir_barat.csv"),
        "--personel",
        personel,
        "--out",
        str(out),
    ]


def test_plan_command_writes_the_annex(tmp_path: Path, capsys) -> None:
    out = tmp_path / "rencana.xlsx"
    assert main(_args(out, "120")) == 0
    text = capsys.readouterr().out
    assert "PERINGATAN" in text and "kekurangan" in text and "cooling" in text.lower()
    assert openpyxl.load_workbook(out).sheetnames == [
        "Ringkasan",
        "Kecamatan",
        "TPS",
        "Cooling System",
        "Kamus",
    ]
    assert out.with_suffix(".html").stat().st_size > 10_000


def test_plan_command_negative_strength_is_a_clear_error(tmp_path: Path, capsys) -> None:
    assert main(_args(tmp_path / "x.xlsx", "-5")) == 2
    err = capsys.readouterr().err
    assert "personnel=-5" in err and "Traceback" not in err


def test_plan_without_as_of_plans_before_its_stage_and_says_so(tmp_path: Path, capsys) -> None:
    # the demo data run to the end of 2024, past the 27 Nov 2024 vote the plan is for
    out = tmp_path / "rencana.xlsx"
    assert main(_args(out, "300")) == 0
    text = capsys.readouterr().out
    assert "Tanpa --as-of: tanggal prakiraan 2024-11-26, sehari sebelum tahap pemungutan" in text
    assert re.search(r"^Kode kecamatan +Kecamatan +TPS kurang rawan", text, flags=re.M)
    summary = openpyxl.load_workbook(out)["Ringkasan"]
    values = {r[0]: r[1] for r in summary.iter_rows(values_only=True)}
    assert values["Tanggal prakiraan skor"] == "2024-11-26"
    out_k = tmp_path / "kampanye.xlsx"
    assert main([*_args(out_k, "300"), "--stage", "kampanye", "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "No --as-of: the forecast date is 2024-09-24, the day before the stage" in text
    assert '"campaign start" of the 2024 regional election begins (2024-09-25)' in text
    assert not re.search(r"\b[a-z]+_[a-z_]+\b|pemungutan|kurang", text)  # English, no codes


def test_plan_as_of_far_after_the_data_warns_and_prints_no_nan(tmp_path: Path, capsys) -> None:
    out = tmp_path / "rencana.xlsx"
    assert main([*_args(out, "300"), "--as-of", "2030-01-01"]) == 0
    text = capsys.readouterr().out
    assert "PERINGATAN: --as-of 2030-01-01 lebih dari 90 hari" in text
    assert not re.search(r"\bnan\b|NaN|<NA>", text)
    html = out.with_suffix(".html").read_text("utf-8")
    assert "PERINGATAN: --as-of 2030-01-01" in html and not re.search(r">nan<|NaN|<NA>", html)


def test_plan_profile_option_and_a_bad_one(tmp_path: Path, capsys) -> None:
    """--plan-profile changes the plan, not the risk profile's hash; a bad one stops early."""
    rencana = tmp_path / "rencana.toml"
    rencana.write_text('[tps]\naturan_kelas = "target"\n[tps.target]\nsangat_rawan = 20\n')
    counts = tmp_path / "jumlah_bawaslu.csv"
    counts.write_text("kecamatan,indikator,jumlah_tps\nBangkunat,Riwayat Kekerasan,4\n")
    out = tmp_path / "rencana.xlsx"
    args = [*_args(out, "300"), "--plan-profile", str(rencana), "--bawaslu-jumlah", str(counts)]
    assert main(args) == 0
    assert "faktor struktural" in capsys.readouterr().out
    ringkasan = dict(openpyxl.load_workbook(out)["Ringkasan"].iter_rows(values_only=True))
    assert ringkasan["TPS sangat rawan"] == 20
    assert ringkasan["Profil rencana"] == str(rencana)
    assert "bukan sebagai kelas TPS" in ringkasan["Jumlah TPS rawan terbitan Bawaslu"]
    bad = tmp_path / "salah.toml"
    bad.write_text('[tps]\naturan_kelas = "tebakan"\n')
    assert main([*_args(tmp_path / "y.xlsx", "300"), "--plan-profile", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "tps.aturan_kelas" in err and "poin, target" in err and "Traceback" not in err
    assert not (tmp_path / "y.xlsx").exists()
