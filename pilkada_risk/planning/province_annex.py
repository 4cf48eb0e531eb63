"""The Polda annex: XLSX (Ringkasan, Polres, BKO, Kecamatan, TPS) and a printable HTML page.

Column headers are the machine names (``polres``, ``kab_kode``, ``bko_pam_tps``, ...); the
people-facing Indonesian header of each is attached to its header cell as a note and printed
in the HTML. Text cells are neutralised against formula injection: no live formula is written.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl.comments import Comment

from pilkada_risk.io.files import atomic_path
from pilkada_risk.io.spreadsheet import neutralise_cells

__all__ = ["HEADERS", "POLRES_COLUMNS", "SHEETS", "write_excel", "write_html"]

SHEETS = ("Ringkasan", "Polres", "BKO", "Kecamatan", "TPS")
#: Columns of the Polres table people read (HTML annex; the CLI prints those without TPS counts).
POLRES_COLUMNS = (
    "polres",
    "personel_sendiri",
    "bko_pam_tps",
    "bko_brimob",
    "bko_samapta",
    "porsi_bko",
    "tps_sangat_rawan",
    "tps_khusus",
    "tps_rawan",
    "kekurangan",
    "status",
)
#: People-facing headers (Bahasa Indonesia) of the machine names.
HEADERS = {
    "polres": "Polres",
    "kab_kode": "Kode kab/kota",
    "kab_nama": "Kabupaten/kota",
    "bko_pam_tps": "BKO Pam TPS (personel)",
    "bko_brimob": "BKO Brimob (personel)",
    "bko_samapta": "BKO Samapta (personel)",
    "bko_total": "BKO total (personel)",
    "kekurangan": "Kekurangan personel",
    "personel_sendiri": "Personel sendiri di TPS",
    "personel_total": "Personel sendiri + BKO",
    "porsi_bko": "Porsi BKO dari personel di TPS",
    "brimob_boleh": "Boleh menerima Brimob",
    "nilai_peleton_tambahan": "Risiko yang dikurangi 1 peleton tambahan",
    "risiko_tidak_tercakup": "Risiko (kejadian harapan) tak tercakup",
    "status": "Status",
}


def _sheets(plan: Any) -> dict[str, pd.DataFrame]:
    tps = plan.tps.drop(columns=[c for c in ("geometry",) if c in plan.tps.columns])
    return {
        "Ringkasan": plan.ringkasan,
        "Polres": plan.polres,
        "BKO": plan.bko,
        "Kecamatan": pd.DataFrame(plan.kecamatan),
        "TPS": tps,
    }


def write_excel(plan: Any, path: str | os.PathLike[str]) -> Path:
    """Write the five sheets (:data:`SHEETS`) to ``path`` (XLSX, atomic, no formulas)."""

    target = Path(path)
    with atomic_path(target) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, frame in _sheets(plan).items():
                neutralise_cells(frame).to_excel(writer, sheet_name=name, index=False)
                sheet = writer.sheets[name]
                for i, col in enumerate(frame.columns, start=1):
                    cell = sheet.cell(1, i)
                    if col in HEADERS:
                        cell.comment = Comment(HEADERS[col], "pilkada-risk")
                    width = max([len(str(col)), *(len(str(v)) for v in frame[col].head(200))])
                    sheet.column_dimensions[cell.column_letter].width = min(max(width + 2, 8), 60)
                sheet.freeze_panes = "A2"
    return target


def _table(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(HEADERS.get(str(c), str(c)))}</th>" for c in frame.columns)
    body = []
    for rec in frame.to_dict("records"):
        cells = "".join(
            f"<td>{html.escape('' if pd.isna(v) else str(v))}</td>" for v in rec.values()
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def write_html(plan: Any, path: str | os.PathLike[str], *, title: str = "") -> Path:
    """A printable, self-contained annex: summary, warnings, Polres and BKO tables."""
    title = title or ("Rencana Pengamanan Polda" + (" — SINTETIS" if plan.synthetic else ""))
    css = (
        "body{font-family:Arial,sans-serif;font-size:11px;margin:12px}table{border-collapse:"
        "collapse;width:100%;margin:6px 0}th,td{border:1px solid #999;padding:2px 4px}"
        "th{background:#eee}.warn{color:#a50f15;font-weight:bold}div.wrap{overflow-x:auto}"
    )
    warn = "".join(f'<p class="warn">{html.escape(w)}</p>' for w in plan.peringatan)
    synth = (
        '<p class="warn">SINTETIS: data latihan, bukan data nyata.</p>' if plan.synthetic else ""
    )
    polres = plan.polres[list(POLRES_COLUMNS)]
    ring = plan.ringkasan[plan.ringkasan["butir"] != "peringatan"]
    parts = [
        f"<!doctype html><html lang='{plan.lang}'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width,initial-scale=1'>",
        f"<title>{html.escape(title)}</title><style>{css}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>{synth}{warn}",
        f"<h2>Polres</h2><div class='wrap'>{_table(polres)}</div>",
        f"<h2>BKO</h2><div class='wrap'>{_table(plan.bko)}</div>",
        f"<h2>Ringkasan</h2><div class='wrap'>{_table(ring)}</div>",
        f"<h2>Skill</h2><div class='wrap'>{_table(plan.skill)}</div></body></html>",
    ]
    target = Path(path)
    with atomic_path(target) as tmp:
        Path(tmp).write_text("".join(parts), encoding="utf-8")
    return target
