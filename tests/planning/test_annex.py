from __future__ import annotations

import re

import pandas as pd
import pytest

import pilkada_risk as pr
from pilkada_risk.planning.annex import KAMUS, SHEETS


def test_excel_annex_has_four_sheets_and_no_live_formula(demo_inputs, tmp_path):
    import openpyxl

    d = demo_inputs
    tps = d["tps"].copy()
    tps.loc[0, "desa_nama"] = '=HYPERLINK("http://x","klik")'
    plan = pr.plan_security(d["model"], tps, personnel=120, incidents=d["incidents"])
    path = plan.to_excel(tmp_path / "rencana.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [*SHEETS, KAMUS]
    assert list(SHEETS) == ["Ringkasan", "Kecamatan", "TPS", "Cooling System"]
    formulas = [
        c.coordinate
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith("="))
    ]
    assert formulas == []
    sheet = pd.read_excel(path, sheet_name="TPS")
    assert len(sheet) == len(tps) and sheet["Desa/pekon"].iloc[0].startswith("'=")
    kec = pd.read_excel(path, sheet_name="Kecamatan", dtype={"Kode kecamatan": str})
    assert kec["Kekurangan personel"].sum() == plan.kecamatan["kekurangan"].sum() > 0


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


SNAKE = re.compile(r"[a-z0-9]_[a-z0-9]")


def test_excel_headers_are_for_people_and_the_kamus_names_the_machine_columns(
    demo_inputs, tmp_path
):
    d = demo_inputs
    plan = pr.plan_security(d["model"], d["tps"], personnel=120, incidents=d["incidents"])
    path = plan.to_excel(tmp_path / "rencana.xlsx")
    sheets = pd.read_excel(path, sheet_name=None)
    for name in SHEETS:
        assert not [c for c in sheets[name].columns if SNAKE.search(str(c))], name
    assert "TPS sangat rawan" in sheets["Kecamatan"].columns
    summary = sheets["Ringkasan"]
    assert "Kebutuhan personel" in summary["Butir"].tolist()
    assert not [b for b in summary["Butir"] if SNAKE.search(str(b))]
    kamus = sheets[KAMUS].set_index(["Lembar", "Nama mesin"])
    machine = {("Kecamatan", c) for c in plan.kecamatan.columns}
    machine |= {("TPS", c) for c in plan.tps.columns if c != "geometry"}
    assert machine <= set(kamus.index)
    row = kamus.loc[("Kecamatan", "tps_sangat_rawan")]
    assert row["Kolom"] == "TPS sangat rawan" and row["Arti"]


def test_english_plan_annex_has_english_headers(demo_inputs, tmp_path):
    d = demo_inputs
    plan = pr.plan_security(
        d["model"], d["tps"], personnel=120, incidents=d["incidents"], lang="en"
    )
    sheets = pd.read_excel(plan.to_excel(tmp_path / "plan.xlsx"), sheet_name=None)
    assert "Personnel needed" in sheets["Kecamatan"].columns and "Dictionary" not in sheets
    assert list(sheets[KAMUS].columns) == ["Sheet", "Column", "Machine name", "Meaning"]
    text = plan.to_html(tmp_path / "plan.html").read_text("utf-8")
    assert "Security plan annex" in text and "Personnel needed" in text
    assert "<td>voting day</td>" in text and "<td>yes</td>" in text  # stage, synthetic flag


_PHONE_JS = """() => {
  const d = document.documentElement;
  const cells = [...document.querySelectorAll('td, th')];
  const sizes = cells.map(e => parseFloat(getComputedStyle(e).fontSize));
  const boxes = [...document.querySelectorAll('.box')];
  return {
    scroll: d.scrollWidth, client: d.clientWidth, body: document.body.scrollWidth,
    min: Math.min(...sizes), heads: [...document.querySelectorAll('th')].map(e => e.textContent),
    items: [...document.querySelectorAll('table')[0].querySelectorAll('td:first-child')]
      .map(e => e.textContent),
    wide_boxes: boxes.filter(b => b.scrollWidth > b.clientWidth).length,
    box_right: Math.max(...boxes.map(b => b.getBoundingClientRect().right)),
  };
}"""


@pytest.mark.browser
def test_html_annex_reads_on_a_390px_phone(browser, demo_inputs, tmp_path):
    d = demo_inputs
    plan = pr.plan_security(d["model"], d["tps"], personnel=120, incidents=d["incidents"])
    path = plan.to_html(tmp_path / "rencana.html")
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    blocked: list[str] = []
    page.route(
        "**/*",
        lambda r: (
            r.continue_()
            if r.request.url.startswith("file:")
            else (blocked.append(r.request.url), r.abort())
        ),
    )
    page.goto(path.resolve().as_uri(), wait_until="load")
    m = page.evaluate(_PHONE_JS)
    context.close()
    assert blocked == []
    assert m["client"] == 390
    assert m["scroll"] <= m["client"] and m["body"] <= m["client"]  # no page-wide side scroll
    assert m["box_right"] <= 390  # wide tables scroll inside their own box
    assert m["wide_boxes"] >= 1
    assert m["min"] >= 13
    assert len(m["heads"]) > 20 and not [h for h in m["heads"] if SNAKE.search(h)]
    assert "Kebutuhan personel" in m["items"]  # the summary's items in words too
    assert not [i for i in m["items"] if SNAKE.search(i)]
