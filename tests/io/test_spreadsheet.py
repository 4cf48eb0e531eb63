"""Spreadsheet output cannot carry live formulas (OWASP CSV injection)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pilkada_risk.io.spreadsheet import is_live_cell, neutralise_cells, write_table

PAYLOADS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://x","klik")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-penipuan",
    "+62 2+5",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "\uff1d1+1",
]


def live_cells_in(path: Path) -> list[str]:
    """Every text cell of a written CSV/XLSX file that a spreadsheet would evaluate."""
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path)
        cells = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
        formulas = [
            c.value for s in book.worksheets for r in s.iter_rows() for c in r if c.data_type == "f"
        ]
        return [str(v) for v in formulas] + [v for v in cells if is_live_cell(v)]
    text = path.read_text(encoding="utf-8-sig")
    sep = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    frame = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    cells = list(frame.columns) + frame.to_numpy().ravel().tolist()
    return [v for v in cells if is_live_cell(v)]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_live_before_and_dead_after(payload: str) -> None:
    assert is_live_cell(payload)
    assert not is_live_cell(neutralise_cells(pd.DataFrame({"x": [payload]}))["x"].iat[0])


def test_numbers_and_plain_text_are_kept() -> None:
    frame = pd.DataFrame({"n": [-3, 2.5], "s": ["-7.5", "bentrok"], "=kolom": ["a", "b"]})
    out = neutralise_cells(frame)
    assert out["n"].tolist() == [-3, 2.5]
    assert out["s"].tolist() == ["-7.5", "bentrok"]
    assert list(out.columns) == ["n", "s", "'=kolom"]
    assert list(frame.columns) == ["n", "s", "=kolom"]  # input untouched


@pytest.mark.parametrize(("name", "sep"), [("t.csv", ","), ("t.csv", ";"), ("t.xlsx", ",")])
def test_written_files_hold_no_live_cell(tmp_path: Path, name: str, sep: str) -> None:
    frame = pd.DataFrame({"uraian": PAYLOADS, "korban": range(len(PAYLOADS))})
    path = write_table(frame, tmp_path / name, sep=sep)
    assert live_cells_in(path) == []
    back = (
        pd.read_excel(path, dtype=str)
        if name.endswith(".xlsx")
        else pd.read_csv(path, sep=sep, dtype=str, encoding="utf-8-sig")
    )
    # XML (xlsx) stores a carriage return as a line feed
    expected = [p.replace("\r", "\n") for p in PAYLOADS] if name.endswith("xlsx") else PAYLOADS
    assert back["uraian"].str[1:].tolist() == expected
    assert back["uraian"].str[0].eq("'").all()


def test_unknown_suffix_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="csv"):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "x.txt")
    assert not (tmp_path / "x.txt").exists()
