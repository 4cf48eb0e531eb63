"""A 76-row register as an analyst receives it: two sheets (Okt, Nov), Indonesian formats,
Pilkada phrasings, typos, swapped and DMS coordinates, and every kind of bad row. Each row's
expected outcome (category code, or the quarantine reason) is written beside it; all 76 must
come out as expected, through the API and the CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pilkada_risk.cli import main
from pilkada_risk.intake.incidents import read_incidents

HEADER = ["No LP", "Hari/Tanggal", "Jenis Kejadian", "Kecamatan", "Desa/Pekon", "Lintang",
          "Bujur", "Korban", "Uraian"]  # fmt: skip

# (No LP, tanggal, jenis, kecamatan, desa/pekon, lintang, bujur, korban, expected)
# expected: a category code (accepted) or "!" + the quarantine reason codes.
GOOD = [
    (
        "LP/01/X/2024",
        "01/10/2024",
        "Bentrok antar pendukung",
        "Pesisir Tengah",
        "Way Redak",
        "-5,2099",
        "103,9285",
        "2 orang",
        "bentrok_massa",
    ),
    (
        "LP/02/X/2024",
        "Rabu, 02 Oktober 2024",
        "Serangan fajar",
        "Krui Selatan",
        "",
        "",
        "",
        "",
        "politik_uang",
    ),
    ("LP/03/X/2024", "2024-10-03", "bagi-bagi sembako", "Lemong", "", "", "", "0", "politik_uang"),
    ("LP/04/X/2024", "03 Okt 2024", "ASN tidak netral", "Ngambur", "", "", "", "", "netralitas"),
    ("LP/05/X/2024", "4/10/24", "Kades tidak netral", "Way Krui", "", "", "", "", "netralitas"),
    (
        "LP/06/X/2024",
        "05-10-2024",
        "Perusakan baliho",
        "Pesisir Utara",
        "",
        "",
        "",
        "",
        "perusakan_apk",
    ),
    (
        "LP/07/X/2024",
        "06.10.2024",
        "perusakan alat peraga",
        "Karya Penggawa",
        "",
        "",
        "",
        "",
        "perusakan_apk",
    ),
    ("LP/08/X/2024", 45575, "curas", "Ngaras", "", "", "", "1", "curas"),
    (
        "LP/09/X/2024",
        dt.datetime(2024, 10, 12),
        "Bentrok massa pendukung",
        "Bengkunat",
        "",
        "",
        "",
        "",
        "bentrok_massa",
    ),
    ("LP/10/X/2024", "13/10/2024", "unjuk rasa", "", "", "103.93", "-5.19", "", "unjuk_rasa"),
    (
        "LP/11/X/2024",
        "14/10/2024",
        "politik uang",
        "",
        "",
        "5.2099",
        "103.9285",
        "",
        "politik_uang",
    ),
    (
        "LP/12/X/2024",
        "15/10/2024",
        "pencurian motor",
        "",
        "",
        "5°9'19.8\"LS",
        "104°1'55.5\"BT",
        "",
        "curanmor",
    ),
    (
        "LP/13/X/2024",
        "16/10/2024",
        "politk uang",
        "Pesisir Selatan",
        "",
        "",
        "",
        "",
        "politik_uang",
    ),
    ("LP/14/X/2024", "17/10/2024", "bagi-bagi uang", "", "Way Redak", "", "", "", "politik_uang"),
    ("LP/15/X/2024", "18/10/2024", "judi", "PESISIR SELATAN", "", "", "", "tidak ada", "perjudian"),
    (" LP/16/X/2024 ", "19/10/2024", "Mob violence", "Ngambur", "", "", "", "", "kerusuhan"),
    (
        "LP/17/X/2024",
        "20/10/2024",
        "demo ricuh",
        "Pesisir Tengah",
        "Pasar Krui",
        "",
        "",
        "",
        "unjuk_rasa_anarkis",
    ),
    (
        "LP/18/X/2024",
        "21/10/2024",
        "hoaks",
        "Lemong",
        "",
        "-4.90222",
        "103.70727",
        "",
        "hoaks_sara",
    ),
    ("LP/19/X/2024", "22/10/2024", "intimidasi pemilih", "Bangkunat", "", "", "", "", "intimidasi"),
    ("LP/20/X/2024", "23/10/2024", "penganiayaan", "Pulau Pisang", "", "", "", "1", "penganiayaan"),
]
BAD = [
    ("LP/21/X/2024", "", "curas", "Lemong", "", "", "", "", "!tanggal_kosong"),
    ("LP/22/X/2024", "31/02/2024", "curas", "Lemong", "", "", "", "", "!tanggal_tidak_terbaca"),
    ("LP/23/X/2024", "01/01/2030", "curas", "Lemong", "", "", "", "", "!tanggal_masa_depan"),
    ("LP/24/X/2024", "05/05/1999", "curas", "Lemong", "", "", "", "", "!tanggal_terlalu_lama"),
    ("LP/25/X/2024", "24/10/2024", "xyzzy", "Lemong", "", "", "", "", "!kategori_tidak_dikenal"),
    ("LP/26/X/2024", "24/10/2024", "", "Lemong", "", "", "", "", "!kategori_kosong"),
    ("LP/27/X/2024", "24/10/2024", "curas", "", "", "", "", "", "!lokasi_tidak_ditemukan"),
    (
        "LP/28/X/2024",
        "24/10/2024",
        "curas",
        "Antah Berantah",
        "",
        "",
        "",
        "",
        "!lokasi_tidak_ditemukan",
    ),
    ("LP/29/X/2024", "24/10/2024", "curas", "", "", "-6.5", "103.9", "", "!di_luar_wilayah"),
    ("LP/30/X/2024", "24/10/2024", "curas", "", "Sukarame", "", "", "", "!nama_ambigu"),
    ("LP/01/X/2024", "25/10/2024", "curas", "Lemong", "", "", "", "", "!id_ganda"),
    ("", "", "", "", "", "", "", "", "!baris_kosong"),
]


def _sheets() -> tuple[list[tuple], list[tuple]]:
    okt = GOOD + BAD  # 32 rows
    okt += [
        (
            f"LP/{31 + k}/X/2024",
            f"{k + 1:02d}/10/2024",
            "curat",
            "Way Krui",
            "",
            "",
            "",
            "",
            "curat",
        )
        for k in range(8)
    ]  # 40 rows in Okt
    nov = [
        (
            f"LP/{k + 1:02d}/XI/2024",
            f"{k + 1:02d}/11/2024",
            g[2],
            g[3],
            g[4],
            g[5],
            g[6],
            g[7],
            g[8],
        )
        for k, g in enumerate(GOOD)
    ]
    nov += [
        (
            f"LP/{21 + k}/XI/2024",
            f"{k + 1:02d}-11-2024",
            "bentrok antarpendukung",
            "Ngaras",
            "",
            "",
            "",
            "",
            "bentrok_massa",
        )
        for k in range(14)
    ]
    nov.append(nov[-1][:8] + ("!id_ganda",))  # the same LP twice: the repeat is refused
    nov.append(
        (
            "LP/99/XI/2024",
            "29/11/2024",
            "@SUM(1+1)",
            "Lemong",
            "",
            "",
            "",
            "",
            "!kategori_tidak_dikenal",
        )
    )
    return okt, nov  # 40 + 36 = 76


def _workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in zip(("Okt", "Nov"), _sheets(), strict=True):
        sheet = book.create_sheet(name)
        sheet.append(HEADER)
        for row in rows:
            uraian = "catatan" if any(row[:8]) else None  # the blank row stays blank
            sheet.append([None if v == "" else v for v in row[:8]] + [uraian])
    book.save(path)
    return path


def _expected() -> list[tuple[str, int, str]]:
    okt, nov = _sheets()
    return [
        (name, i + 2, r[8])
        for name, rows in (("Okt", okt), ("Nov", nov))
        for i, r in enumerate(rows)
    ]


def _outcomes(res) -> dict[tuple[str, int], str]:
    got = {
        (s, int(b)): k
        for s, b, k in zip(
            res.accepted["lembar"], res.accepted["baris"], res.accepted["kategori"], strict=True
        )
    }
    for s, b, k in zip(
        res.quarantine["lembar"],
        res.quarantine["baris"],
        res.quarantine["kode_alasan"],
        strict=True,
    ):
        got[(s, int(b))] = "!" + k
    return got


def test_all_76_rows_come_out_as_expected(tmp_path: Path, kecamatan_pb, desa_pb) -> None:
    path = _workbook(tmp_path / "register_polres_okt_nov.xlsx")
    res = read_incidents(path, areas=kecamatan_pb, desa=desa_pb, as_of="2025-01-01")
    expected = _expected()
    assert res.n_read == len(expected) == 76
    got = _outcomes(res)
    wrong = [(s, b, want, got.get((s, b))) for s, b, want in expected if got.get((s, b)) != want]
    assert wrong == []
    assert len(res.accepted) + len(res.quarantine) == 76


def test_the_cli_reads_the_same_76(tmp_path: Path, capsys) -> None:
    path = _workbook(tmp_path / "register_polres_okt_nov.xlsx")
    want = _expected()
    n_bad = sum(1 for *_, e in want if e.startswith("!"))
    assert main(["intake", str(path), "--kab", "18.13", "--as-of", "2025-01-01"]) == 0
    out = capsys.readouterr().out
    assert f"76 baris dibaca, {76 - n_bad} diterima, {n_bad} dikarantina" in out
    single = main(
        ["intake", str(path), "--kab", "18.13", "--as-of", "2025-01-01", "--sheet", "Okt"]
    )
    assert single == 0 and "40 baris dibaca" in capsys.readouterr().out


@pytest.mark.parametrize("lang", ["id", "en"])
def test_quarantine_of_the_76_reads_back(tmp_path: Path, kecamatan_pb, desa_pb, lang) -> None:
    path = _workbook(tmp_path / "register.xlsx")
    res = read_incidents(path, areas=kecamatan_pb, desa=desa_pb, as_of="2025-01-01", lang=lang)
    out = res.write_quarantine(tmp_path / "karantina.xlsx")
    again = pd.read_excel(out, dtype=str)
    assert again["lembar"].notna().all() and len(again) == len(res.quarantine)
