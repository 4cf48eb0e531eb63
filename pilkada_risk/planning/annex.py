"""The deployment annex (*lampiran*) of the operation plan: XLSX workbook and printable HTML.

People read the annex, analysts compute with it. Every header people read (XLSX and HTML) is
in the plan's language (``Kebutuhan personel``, not ``personel_kebutuhan``); the machine names
of :class:`~pilkada_risk.planning.plan.SecurityPlan`'s tables stay in the Python API and are
listed, with the header and the meaning of each column, in the workbook's last sheet
``Kamus`` (:data:`KAMUS`). Headers and meanings live in ``data/labels/annex.toml``; a column
without an entry gets its machine name in plain words.

The HTML is written for the phone it is forwarded to as much as for print: it fits a 390 px
screen without page-wide horizontal scrolling (wide tables scroll sideways inside their own box),
its table text is at least 13 px, and its numbers are in the plan's number format.

Spreadsheet cells are neutralised against formula injection: a text cell starting with ``=``,
``+``, ``-``, ``@``, tab or carriage return gets a leading apostrophe, so Excel and LibreOffice
show it as text instead of evaluating it (desa names and reasons come from analysts' files).
"""

from __future__ import annotations

import html
import math
import os
from pathlib import Path
from typing import Any

import pandas as pd

from pilkada_risk.config.i18n import label
from pilkada_risk.io.files import atomic_path
from pilkada_risk.io.number_format import number
from pilkada_risk.io.spreadsheet import neutralise_cells
from pilkada_risk.planning.as_of import stage_word

__all__ = [
    "CLASS_SHEETS",
    "KAMUS",
    "SHEETS",
    "column_header",
    "kamus",
    "people_table",
    "write_excel",
    "write_html",
]

#: Sheet names of the XLSX annex, in order (the last, :data:`KAMUS`, is for analysts).
SHEETS = ("Ringkasan", "Kecamatan", "TPS", "Cooling System")
#: The analysts' sheet: header people read, machine name and meaning of every column.
KAMUS = "Kamus"
#: Columns of the TPS table shown in the HTML (the XLSX holds them all).
HTML_TPS_COLUMNS = (
    "tps_id",
    "kec_kode",
    "desa_nama",
    "kelas_tps",
    "kelas_saran",
    "alasan_kelas",
    "personel_pola",
    "personel",
    "regu",
)


def _maybe(key: str, lang: str) -> str | None:
    try:
        return label(key, lang)
    except KeyError:
        return None


def column_header(name: str, lang: str = "id") -> str:
    """The header people read for the machine column ``name``.

    >>> column_header("tps_sangat_rawan"), column_header("kelas_saran_baru", "en")
    ('TPS sangat rawan', 'Kelas saran baru')
    """
    found = _maybe(f"annex.kolom_{name}", lang)
    if found is not None:
        return found
    text = str(name).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _meaning(name: str, lang: str) -> str:
    return _maybe(f"annex.arti_{name}", lang) or ""


def people_table(frame: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """``frame`` with the headers people read (and, in the summary, its items in words).

    Two columns that would read the same keep their machine name in brackets.
    """
    out = pd.DataFrame(frame).copy()
    if list(out.columns[:2]) == ["butir", "nilai"]:  # the summary: items are machine names too
        out["nilai"] = [
            _summary_value(str(b), v, lang) for b, v in zip(out["butir"], out["nilai"], strict=True)
        ]
        out["butir"] = [column_header(str(b), lang) for b in out["butir"]]
    headers = [column_header(str(c), lang) for c in out.columns]
    seen = pd.Series(headers).duplicated(keep=False).tolist()
    out.columns = [
        f"{h} ({c})" if dup else h for h, c, dup in zip(headers, out.columns, seen, strict=True)
    ]
    return out


def _summary_value(item: str, value: Any, lang: str) -> Any:
    """The stage and the synthetic flag of the summary in words (``voting day``, ``yes``)."""

    if item == "tahap":
        return stage_word(str(value), lang)
    if item == "data_sintetis" and lang == "en":
        return {"ya": "yes", "tidak": "no"}.get(str(value), value)
    return value


def kamus(sheets: dict[str, pd.DataFrame], lang: str = "id") -> pd.DataFrame:
    """One row per column of every sheet: sheet, header people read, machine name, meaning."""
    rows = [
        (sheet, column_header(str(c), lang), str(c), _meaning(str(c), lang))
        for sheet, frame in sheets.items()
        for c in frame.columns
    ]
    table = pd.DataFrame(rows, columns=["lembar", "kolom", "nama_mesin", "arti"])
    table.columns = [column_header(c, lang) for c in table.columns]
    return table


#: Extra sheets when the TPS list gave the Polda's classes: counts given vs suggested, and the
#: TPS that differ.
CLASS_SHEETS = ("Kelas Polda vs Saran", "TPS Beda Kelas")


def _sheets(plan: Any) -> dict[str, pd.DataFrame]:
    tps = pd.DataFrame(plan.tps).drop(columns=["geometry"], errors="ignore")
    sheets = {
        "Ringkasan": pd.DataFrame(plan.ringkasan),
        "Kecamatan": pd.DataFrame(plan.kecamatan),
        "TPS": tps,
        "Cooling System": pd.DataFrame(plan.cooling),
    }
    banding = getattr(plan, "kelas_banding", None)
    if banding is not None and len(banding):
        sheets[CLASS_SHEETS[0]] = pd.DataFrame(banding)
        sheets[CLASS_SHEETS[1]] = pd.DataFrame(plan.kelas_beda)
    return sheets


def write_excel(plan: Any, path: str | os.PathLike[str]) -> Path:
    """Write the annex sheets (:data:`SHEETS`, and :data:`CLASS_SHEETS` when the TPS list gave
    the Polda's classes) with headers people read, then :data:`KAMUS` (the machine name and
    meaning of each column) to ``path`` (XLSX, atomic)."""
    lang = getattr(plan, "lang", "id")
    target = Path(path)
    sheets = _sheets(plan)
    shown = {name: people_table(frame, lang) for name, frame in sheets.items()}
    shown[KAMUS] = kamus(sheets, lang)
    with atomic_path(target) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, frame in shown.items():
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
    "html{-webkit-text-size-adjust:100%;text-size-adjust:100%}"
    "body{font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.4;margin:12px;"
    "color:#111;max-width:100%}"
    "h1{font-size:20px;margin:4px 0 8px}h2{font-size:17px;margin:20px 0 6px}"
    "p{overflow-wrap:anywhere}"
    ".box{max-width:100%;overflow-x:auto;-webkit-overflow-scrolling:touch;margin:6px 0}"
    "table{border-collapse:collapse;font-size:14px}"
    "th,td{border:1px solid #999;padding:4px 6px;text-align:left;vertical-align:top}"
    "th{background:#eee}td{overflow-wrap:break-word}.num{text-align:right;white-space:nowrap}"
    "td.long{min-width:14em;width:14em;overflow-wrap:anywhere}.warn{color:#a50f15;font-weight:bold}.note{color:#444;font-size:14px}"
    ".synth{border:2px solid #a50f15;padding:4px;color:#a50f15;font-weight:bold}"
    ".short{background:#fde0dd}"
    "@media print{body{margin:0}h2{page-break-after:avoid}.box{overflow:visible}}"
)


def _cell_text(value: Any, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) or (hasattr(value, "dtype") and "int" in str(value.dtype)):
        return number(float(value), lang, 0)
    if isinstance(value, float):
        text = number(value, lang, 2)
        return text.rstrip("0").rstrip(",." if lang == "en" else ",")
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def _table(frame: pd.DataFrame, lang: str, *, highlight: str | None = None) -> str:
    shown = people_table(frame, lang)
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in shown.columns)
    rows = []
    for raw, words in zip(
        frame.itertuples(index=False), shown.itertuples(index=False), strict=True
    ):
        cells = []
        for value, said in zip(raw, words, strict=True):
            number_cell = isinstance(value, int | float) and not isinstance(value, bool)
            text = _cell_text(said, lang)  # summary items in words, numbers in lang's format
            cls = ' class="num"' if number_cell else (' class="long"' if len(text) > 40 else "")
            cells.append(f"<td{cls}>{html.escape(text)}</td>")
        rec = dict(zip(frame.columns, raw, strict=True))
        short = highlight is not None and float(rec.get(highlight, 0) or 0) > 0
        row_cls = ' class="short"' if short else ""
        rows.append(f"<tr{row_cls}>{''.join(cells)}</tr>")
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    return f'<div class="box">{table}</div>'


def write_html(plan: Any, path: str | os.PathLike[str], *, title: str = "") -> Path:
    """Write a self-contained HTML annex (no scripts, no external assets) that a phone shows
    without page-wide horizontal scrolling and prints cleanly."""
    lang = getattr(plan, "lang", "id")
    sheets = _sheets(plan)
    tps = sheets["TPS"]
    keep = [c for c in HTML_TPS_COLUMNS if c in tps.columns]
    heading = title or label("annex.judul", lang)
    parts = [f"<h1>{html.escape(heading)}</h1>"]
    if getattr(plan, "synthetic", False):
        parts.append(f'<p class="synth">{html.escape(label("annex.sintetis", lang))}</p>')
    parts += [f'<p class="warn">{html.escape(w)}</p>' for w in getattr(plan, "peringatan", [])]
    parts.append(f'<p class="note">{html.escape(label("annex.geser", lang))}</p>')
    for name, frame, highlight in (
        ("Ringkasan", sheets["Ringkasan"], None),
        ("Kecamatan", sheets["Kecamatan"], "kekurangan"),
        ("TPS", tps[keep], None),
        ("Cooling System", sheets["Cooling System"], None),
    ):
        sheet_title = label(f"annex.lembar_{name.replace(' ', '_')}", lang)
        parts.append(f"<h2>{html.escape(sheet_title)}</h2>")
        parts.append(_table(frame, lang, highlight=highlight))
    if CLASS_SHEETS[0] in sheets:
        for key, name in (
            ("plan.lembar_banding", CLASS_SHEETS[0]),
            ("plan.lembar_beda", CLASS_SHEETS[1]),
        ):
            parts.append(f"<h2>{html.escape(label(key, lang))}</h2>")
            parts.append(_table(sheets[name], lang))
    doc = (
        f'<!DOCTYPE html><html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{html.escape(heading)}</title><style>{_CSS}</style></head>"
        f"<body>{''.join(parts)}</body></html>"
    )
    target = Path(path)
    with atomic_path(target) as tmp:
        tmp.write_text(doc, encoding="utf-8")
    return target
