"""Every bad input gives one clear message (id/en) naming the file and the fix: API and CLI."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from pilkada_risk.cli import main
from pilkada_risk.intake.incidents import read_incidents

GOOD = "Tanggal;Jenis;Kecamatan\n01/05/2023;judi;Ngaras\n"
# Raw library texts that must never reach an analyst.
RAW = re.compile(
    r"Traceback|BadZipFile|zipfile|No columns to parse|month must be|suffix ''|"
    r"pass a DataFrame|Errno|openpyxl|pandas",
    re.I,
)
INDONESIAN = re.compile(r"\b(berkas|tidak|Galat|lembar|ulangi|baris)\b", re.I)


def _csv_as_xlsx(tmp: Path) -> Path:
    path = tmp / "register.xlsx"
    path.write_text(GOOD, encoding="utf-8")
    return path


def _zero_xlsx(tmp: Path) -> Path:
    path = tmp / "kosong.xlsx"
    path.write_bytes(b"")
    return path


def _zero_csv(tmp: Path) -> Path:
    path = tmp / "kosong.csv"
    path.write_bytes(b"")
    return path


def _blank_csv(tmp: Path) -> Path:
    path = tmp / "kosong.csv"
    path.write_text("\n\n  \n", encoding="utf-8")
    return path


def _folder(tmp: Path) -> Path:
    path = tmp / "laporan"
    path.mkdir()
    return path


def _damaged_xlsx(tmp: Path) -> Path:
    path = tmp / "rusak.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00\x13garbage" * 50)
    return path


def _docx(tmp: Path) -> Path:
    path = tmp / "laporan.docx"
    path.write_bytes(b"PK\x03\x04")
    return path


def _missing(tmp: Path) -> Path:
    return tmp / "tidak_ada.csv"


# case -> (make the file, words of the Indonesian message, words of the English one)
CASES: dict[str, tuple[Callable[[Path], Path], str, str]] = {
    "csv_named_xlsx": (_csv_as_xlsx, "isinya teks (CSV)", "holds text (CSV)"),
    "zero_byte_xlsx": (_zero_xlsx, "berkas kosong", "file is empty"),
    "zero_byte_csv": (_zero_csv, "berkas kosong", "file is empty"),
    "blank_csv": (_blank_csv, "berkas kosong", "file is empty"),
    "folder": (_folder, "ini sebuah folder", "this is a folder"),
    "damaged_xlsx": (_damaged_xlsx, "bukan buku kerja Excel yang utuh", "not an intact Excel"),
    "unsupported_suffix": (_docx, "tidak didukung", "not supported"),
    "missing_file": (_missing, "tidak ditemukan", "not found"),
}


def _check(message: str, path: Path, words: str, lang: str) -> None:
    assert words in message
    assert str(path) in message or path.name in message
    assert not RAW.search(message), message
    assert len(message.strip().splitlines()) == 1
    if lang == "en":
        assert not INDONESIAN.search(message), message


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("lang", ["id", "en"])
def test_api_bad_file(case: str, lang: str, tmp_path: Path, kecamatan_pb, desa_pb) -> None:
    make, id_words, en_words = CASES[case]
    path = make(tmp_path)
    with pytest.raises((ValueError, OSError)) as info:
        read_incidents(path, areas=kecamatan_pb, desa=desa_pb, lang=lang)
    _check(str(info.value), path, id_words if lang == "id" else en_words, lang)


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("lang", ["id", "en"])
def test_cli_bad_file(case: str, lang: str, tmp_path: Path, capsys) -> None:
    make, id_words, en_words = CASES[case]
    path = make(tmp_path)
    quarantine = tmp_path / "q.csv"
    args = ["intake", str(path), "--kab", "18.13", "--lang", lang, "--quarantine", str(quarantine)]
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("Galat: " if lang == "id" else "Error: ")
    _check(captured.err, path, id_words if lang == "id" else en_words, lang)
    assert not quarantine.exists()


def _locked(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == path:
            raise PermissionError(13, "Permission denied", str(path))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_locked_file(lang, tmp_path, monkeypatch, capsys, kecamatan_pb, desa_pb) -> None:
    path = tmp_path / "register.csv"
    path.write_text(GOOD, encoding="utf-8")
    _locked(monkeypatch, path)
    words = "sedang terkunci" if lang == "id" else "locked"
    with pytest.raises(ValueError) as info:
        read_incidents(path, areas=kecamatan_pb, desa=desa_pb, lang=lang)
    _check(str(info.value), path, words, lang)
    assert main(["intake", str(path), "--kab", "18.13", "--lang", lang]) == 2
    _check(capsys.readouterr().err, path, words, lang)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_impossible_dates(lang: str, tmp_path: Path, capsys, kecamatan_pb, desa_pb) -> None:
    path = tmp_path / "register.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "skor.csv"
    for option in ("--as-of", "--min-date"):
        args = ["score", str(path), "--kab", "18.13", "--lang", lang, "--out", str(out)]
        assert main([*args, option, "2024-13-45"]) == 2
        err = capsys.readouterr().err
        assert option in err and "2024-13-45" in err and "2024-11-27" in err
        assert not RAW.search(err) and not out.exists()
        if lang == "en":
            assert not INDONESIAN.search(err), err
    for key in ("as_of", "min_date"):
        with pytest.raises(ValueError, match=f"{key} '2024-13-45'"):
            read_incidents(path, areas=kecamatan_pb, desa=desa_pb, lang=lang, **{key: "2024-13-45"})


def test_unknown_sheet_lists_the_sheets(tmp_path: Path, capsys, kecamatan_pb, desa_pb) -> None:
    path = tmp_path / "dua.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame(
            {"Tanggal": ["01/05/2023"], "Jenis": ["judi"], "Kecamatan": ["Ngaras"]}
        ).to_excel(writer, sheet_name="Okt", index=False)
        pd.DataFrame(
            {"Tanggal": ["02/05/2023"], "Jenis": ["judi"], "Kecamatan": ["Ngaras"]}
        ).to_excel(writer, sheet_name="Nov", index=False)
    with pytest.raises(ValueError, match="Okt, Nov"):
        read_incidents(path, areas=kecamatan_pb, desa=desa_pb, sheet="Des")
    assert main(["intake", str(path), "--kab", "18.13", "--sheet", "Des", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "there is no sheet 'Des'" in err and "Okt, Nov" in err and "--sheet" in err


def test_unknown_kabupaten_in_english(tmp_path: Path, capsys) -> None:
    path = tmp_path / "register.csv"
    path.write_text(GOOD, encoding="utf-8")
    assert main(["intake", str(path), "--kab", "99.99", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and "is not a known Kemendagri" in err
    assert not INDONESIAN.search(err.replace("kabupaten/kota", "")), err
