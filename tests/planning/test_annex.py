from __future__ import annotations

import pandas as pd

import pilkada_risk as pr
from pilkada_risk.planning.annex import SHEETS


def test_excel_annex_has_four_sheets_and_no_live_formula(demo_inputs, tmp_path):
    import openpyxl

    d = demo_inputs
    tps = d["tps"].copy()
    tps.loc[0, "desa_nama"] = '=HYPERLINK("http://x","klik")'
    plan = pr.plan_security(d["model"], tps, personnel=120, incidents=d["incidents"])
    path = plan.to_excel(tmp_path / "rencana.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == list(SHEETS) == ["Ringkasan", "Kecamatan", "TPS", "Cooling System"]
    formulas = [
        c.coordinate
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith("="))
    ]
    assert formulas == []
    sheet = pd.read_excel(path, sheet_name="TPS")
    assert len(sheet) == len(tps) and sheet["desa_nama"].iloc[0].startswith("'=")
    kec = pd.read_excel(path, sheet_name="Kecamatan", dtype={"kode": str})
    assert kec["kekurangan"].sum() == plan.kecamatan["kekurangan"].sum() > 0


def test_html_annex_is_self_contained_and_escaped(demo_inputs, tmp_path):
    d = demo_inputs
    tps = d["tps"].copy()
    tps.loc[0, "desa_nama"] = "<script>alert(1)</script>"
    plan = pr.plan_security(d["model"], tps, personnel=120, incidents=d["incidents"])
    text = plan.to_html(tmp_path / "rencana.html", title="Lampiran <uji>").read_text("utf-8")
    assert "<script" not in text and "&lt;script&gt;" in text
    assert "http" not in text and "src=" not in text
    assert "DATA SINTETIS" in text and "PERINGATAN" in text
    assert text.count("<table>") == 4
