"""CSV for the user's Excel (issue 19): with ``--lang id`` the project writes ``;`` and a
decimal comma, and what it (or Excel under Indonesian settings) writes reads back unchanged."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pilkada_risk.intake.incidents import read_incidents
from pilkada_risk.intake.tps import read_tps
from pilkada_risk.io.spreadsheet import csv_style, write_table
from pilkada_risk.synthetic.demo import DEMO_DIR

REGISTER = DEMO_DIR / "kejadian_sintetis_pesisir_barat_bersih.csv"
TPS = DEMO_DIR / "tps_sintetis_pesisir_barat.csv"


def test_register_with_semicolons_and_decimal_commas_reads_back_the_same(
    kecamatan_pb, desa_pb, tmp_path: Path
) -> None:
    raw = pd.read_csv(REGISTER, keep_default_na=False)
    floats = raw.select_dtypes("float").columns.tolist()
    assert floats  # coordinates as numbers: the decimal mark matters
    path = write_table(raw, tmp_path / "register_excel_id.csv", **csv_style("id"))
    text = path.read_text("utf-8-sig")
    assert text.splitlines()[0].count(";") == raw.shape[1] - 1
    assert f"{raw[floats[0]].iloc[0]}".replace(".", ",") in text
    original = read_incidents(REGISTER, areas=kecamatan_pb, desa=desa_pb)
    again = read_incidents(path, areas=kecamatan_pb, desa=desa_pb)
    assert len(again.accepted) == len(original.accepted) and len(again.quarantine) == len(
        original.quarantine
    )
    assert again.accepted["kec_kode"].tolist() == original.accepted["kec_kode"].tolist()
    assert again.accepted["desa_kode"].tolist() == original.accepted["desa_kode"].tolist()


def test_tps_list_with_semicolons_and_decimal_commas_reads_back_the_same(
    kecamatan_pb, desa_pb, tmp_path: Path
) -> None:
    raw = pd.read_csv(TPS, keep_default_na=False)
    path = write_table(raw, tmp_path / "tps_excel_id.csv", **csv_style("id"))
    assert ";-5," in path.read_text("utf-8-sig")  # Lintang with a decimal comma
    original = read_tps(TPS, areas=kecamatan_pb, desa=desa_pb)
    again = read_tps(path, areas=kecamatan_pb, desa=desa_pb)
    assert len(again.accepted) == len(original.accepted) == len(raw)
    assert again.accepted["desa_kode"].tolist() == original.accepted["desa_kode"].tolist()
    assert again.accepted["dpt"].tolist() == original.accepted["dpt"].tolist()
