"""The deployment annex (*lampiran*) of the operation plan: XLSX workbook and printable HTML.

Spreadsheet cells are neutralised against formula injection: a text cell starting with ``=``,
``+``, ``-``, ``@``, tab or carriage return gets a leading apostrophe, so Excel and LibreOffice
show it as text instead of evaluating it (desa names and reasons come from analysts' files).
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

import pandas as pd

from pilkada_risk.io.files import atomic_path
from pilkada_risk.io.spreadsheet import neutralise_cells

__all__ = ["SHEETS", "write_excel", "write_html"]

#: Sheet names of the XLSX annex, in order.
SHEETS = ("Ringkasan", "Kecamatan", "TPS", "Cooling System")


def _sheets(plan: Any) -> dict[str, pd.DataFrame]:
    tps = pd.DataFrame(plan.tps).drop(columns=["geometry"], errors="ignore")
    return {
        "Ringkasan": pd.DataFrame(plan.ringkasan),
        "Kecamatan": pd.DataFrame(plan.kecamatan),
        "TPS": tps,
        "Cooling System": pd.DataFrame(plan.cooling),
    }


def write_excel(plan: Any, path: str | os.PathLike[str]) -> Path:
    """Write the four annex sheets (:data:`SHEETS`) to ``path`` (XLSX, atomic)."""
    target = Path(path)
    with atomic_path(target) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, frame in _sheets(plan).items():
                neutralise_cells(frame).to_excel(writer, sheet_name=name, index=False)
                sheet = writer.sheets[name]
                for i, col in enumerate(frame.columns, start=1):
                    width = max([len(str(col)), *(len(str(v)) for v in frame[col].head(200))])
                    sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(
                        max(width + 2, 8), 60
                    )
                sheet.freeze_panes = "A2"
    return target


_CSS = (
    "body{font-family:Arial,Helvetica,sans-serif;font-size:11px;margin:16px;color:#111}"
    "h1{font-size:16px}h2{font-size:13px;margin-top:18px;page-break-before:auto}"
    "table{border-collapse:collapse;margin:6px 0;width:100%}"
    "th,td{border:1px solid #999;padding:2px 4px;text-align:left;vertical-align:top}"
    "th{background:#eee}.num{text-align:right}.warn{color:#a50f15;font-weight:bold}"
    ".synth{border:2px solid #a50f15;padding:4px;color:#a50f15;font-weight:bold}"
    ".short{background:#fde0dd}@media print{body{margin:0}h2{page-break-after:avoid}}"
)


def _table(frame: pd.DataFrame, *, highlight: str | None = None) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for rec in frame.to_dict("records"):
        cells = []
        for value in rec.values():
            number = isinstance(value, int | float) and not isinstance(value, bool)
            text = f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else value
            cls = ' class="num"' if number else ""
            cells.append(f"<td{cls}>{html.escape('' if pd.isna(value) else str(text))}</td>")
        short = highlight is not None and float(rec.get(highlight, 0) or 0) > 0
        row_cls = ' class="short"' if short else ""
        rows.append(f"<tr{row_cls}>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def write_html(plan: Any, path: str | os.PathLike[str], *, title: str = "") -> Path:
    """Write a printable, self-contained HTML annex (no scripts, no external assets)."""
    sheets = _sheets(plan)
    tps = sheets["TPS"]
    keep = [
        c
        for c in (
            "tps_id",
            "kec_kode",
            "desa_nama",
            "kelas_tps",
            "alasan_kelas",
            "personel_pola",
            "personel",
            "regu",
        )
        if c in tps.columns
    ]
    parts = [f"<h1>{html.escape(title or 'Lampiran rencana pengamanan')}</h1>"]
    if getattr(plan, "synthetic", False):
        parts.append('<p class="synth">DATA SINTETIS / SYNTHETIC DATA: bukan data nyata.</p>')
    parts += [f'<p class="warn">{html.escape(w)}</p>' for w in getattr(plan, "peringatan", [])]
    parts.append("<h2>Ringkasan</h2>" + _table(sheets["Ringkasan"]))
    parts.append("<h2>Kecamatan</h2>" + _table(sheets["Kecamatan"], highlight="kekurangan"))
    parts.append("<h2>TPS</h2>" + _table(tps[keep]))
    parts.append("<h2>Cooling System</h2>" + _table(sheets["Cooling System"]))
    doc = (
        '<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">'
        f"<title>{html.escape(title or 'Lampiran')}</title><style>{_CSS}</style></head>"
        f"<body>{''.join(parts)}</body></html>"
    )
    target = Path(path)
    with atomic_path(target) as tmp:
        tmp.write_text(doc, encoding="utf-8")
    return target
