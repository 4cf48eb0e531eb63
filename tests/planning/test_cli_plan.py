"""``pilkada-risk plan``: the demo end to end, and bad input as a clear error (exit 2)."""

from __future__ import annotations

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
    ]
    assert out.with_suffix(".html").stat().st_size > 10_000


def test_plan_command_negative_strength_is_a_clear_error(tmp_path: Path, capsys) -> None:
    assert main(_args(tmp_path / "x.xlsx", "-5")) == 2
    err = capsys.readouterr().err
    assert "personnel=-5" in err and "Traceback" not in err


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
    assert ringkasan["tps_sangat_rawan"] == 20
    assert ringkasan["profil_rencana"] == str(rencana)
    assert "bukan sebagai kelas TPS" in ringkasan["indikator_bawaslu_jumlah"]
    bad = tmp_path / "salah.toml"
    bad.write_text('[tps]\naturan_kelas = "tebakan"\n')
    assert main([*_args(tmp_path / "y.xlsx", "300"), "--plan-profile", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "tps.aturan_kelas" in err and "poin, target" in err and "Traceback" not in err
    assert not (tmp_path / "y.xlsx").exists()
