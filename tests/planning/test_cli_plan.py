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
