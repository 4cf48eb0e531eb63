"""The pilkada-risk command line, end to end on the synthetic demo."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from pilkada_risk.cli import main


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("demo")
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(["demo", "--out", str(out)])
    assert code == 0
    return out, buffer.getvalue()


def test_demo_writes_map_png_scores_and_quarantine(demo_out: tuple[Path, str]) -> None:
    out, _ = demo_out
    html = out / "peta_risiko_sintetis_pesisir_barat.html"
    assert html.stat().st_size > 10_000
    assert (out / "peta_risiko_sintetis_pesisir_barat.png").stat().st_size > 10_000
    # CSV for Excel in Indonesian settings: ";" between columns, decimal comma (issue 19)
    scores_csv = out / "skor_sintetis_pesisir_barat.csv"
    scores = pd.read_csv(scores_csv, sep=";", decimal=",", dtype={"kode": str})
    assert len(scores) == 11
    assert scores["peringkat"].tolist() == list(range(1, 12))
    assert scores["risk_score"].dtype == float and scores["risk_score"].max() <= 100
    assert "," in scores_csv.read_text("utf-8-sig").splitlines()[1]  # 80,1 not 80.1
    quarantine = pd.read_csv(out / "karantina_sintetis_pesisir_barat.csv", sep=";")
    assert len(quarantine) > 0
    assert "SINTETIS" in html.read_text(encoding="utf-8").upper()


def test_demo_summary_is_in_bahasa_indonesia(demo_out: tuple[Path, str]) -> None:
    _, text = demo_out
    assert "DATA SINTETIS" in text
    assert "baris dibaca" in text and "diterima" in text and "dikarantina" in text
    assert "Kecamatan paling rawan" in text
    assert "Peta pimpinan (HTML offline)" in text
    # the verdict sentence, under the ranking it qualifies
    assert re.search(r"skor .*\nPeringkat ini = .*: 3 kecamatan teratasnya menangkap", text)


def test_boundaries_command_writes_geopackage(tmp_path: Path, capsys) -> None:
    import geopandas as gpd

    out = tmp_path / "kec.gpkg"
    assert main(["boundaries", "--kab", "18.13", "--out", str(out)]) == 0
    layer = gpd.read_file(out)
    assert len(layer) == 11
    assert "11 unit" in capsys.readouterr().out


def test_score_command_on_missing_file_is_a_clear_error(tmp_path: Path, capsys) -> None:
    code = main(["score", str(tmp_path / "tidak_ada.csv"), "--kab", "18.13", "--out", "x.csv"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("Galat:") and "tidak_ada.csv" in err


def test_score_command_writes_table(tmp_path: Path, demo_out: tuple[Path, str]) -> None:
    from pilkada_risk.synthetic.demo import DEMO_DIR

    out = tmp_path / "skor.csv"
    register = DEMO_DIR / "kejadian_sintetis_pesisir_barat.csv"
    code = main(
        ["score", str(register), "--kab", "18.13", "--as-of", "2024-09-25", "--out", str(out)]
    )
    assert code == 0
    scores = pd.read_csv(out, sep=";", decimal=",")
    assert set(scores["kelas"]) <= {"kurang rawan", "rawan", "sangat rawan"}
    out_en = tmp_path / "scores.csv"
    assert (
        main(["score", str(register), "--kab", "18.13", "--out", str(out_en), "--lang", "en"]) == 0
    )
    english = pd.read_csv(out_en)  # English settings: "," and a decimal point
    assert english["risk_score"].dtype == float and len(english) == len(scores)


def test_map_command_in_english_with_classification(tmp_path: Path, capsys) -> None:
    from pilkada_risk.synthetic.demo import DEMO_DIR

    out = tmp_path / "peta.html"
    register = DEMO_DIR / "kejadian_sintetis_pesisir_barat.csv"
    args = ["map", str(register), "--kab", "18.13", "--lang", "en", "--classification", "RAHASIA"]
    assert main([*args, "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Highest-risk kecamatan" in text and "highly vulnerable" in text
    verdict = next(x for x in text.splitlines() if x.startswith("This ranking = "))
    html = out.read_text(encoding="utf-8")
    # the same sentence in the title panel, outside every collapsed section
    assert panel_verdict(html) == verdict
    assert html.count("RAHASIA") >= 2 and "SYNTHETIC DATA" in html
    assert "Kejadian sintetis #" not in html  # no incident descriptions by default
    assert "Since " not in text and "Previously (as of" not in html  # no comparison by default
    assert out.with_suffix(".png").stat().st_size > 10_000


def panel_verdict(page: str) -> str:
    """The text of the map's verdict line (a JSON string literal of escaped HTML)."""
    import html as markup
    import json

    start = page.index("pr-verdict")
    _, _, rest = page[start : page.index("\\u003c/div", start)].partition("\\u003e")
    before = page[page.rindex("pr-title", 0, start) : start]  # from the panel's title on
    assert "details" not in before and "pr-more" not in before  # nothing collapsed around it
    return str(markup.unescape(json.loads(f'"{rest}"')))


def test_score_and_backtest_print_the_same_verdict(tmp_path: Path, capsys) -> None:
    """Issue 19: same register, same --as-of: one verdict sentence, word for word."""
    from pilkada_risk.synthetic.demo import DEMO_DIR

    register = str(DEMO_DIR / "kejadian_sintetis_pesisir_barat.csv")
    common = [register, "--kab", "18.13", "--as-of", "2024-09-25"]
    assert main(["score", *common, "--out", str(tmp_path / "skor.csv")]) == 0
    scored = capsys.readouterr().out
    out = tmp_path / "metrik.csv"
    assert main(["backtest", *common, "--out", str(out)]) == 0
    captured = capsys.readouterr()
    text = captured.out
    verdicts = [x for x in scored.splitlines() if x.startswith("Peringkat ini = ")]
    assert len(verdicts) == 1 and verdicts[0].endswith(".")
    lines = text.splitlines()
    at = lines.index(verdicts[0])  # the very same line, then only detail below it
    assert lines[at + 1].startswith("Rincian uji-balik")
    assert "Kesimpulan" not in text and "jangan sajikan" not in text
    # the detail table for people: words, Indonesian numbers, no <NA> and no e-notation
    assert re.search(r"^Metode +Ukuran +k +Rata-rata", text, flags=re.M)
    assert "tingkat tangkap" in text and "periode terakhir" in text
    assert not re.search(r"<NA>|NaN|\d[eE][+-]\d", text)
    # not a terminal: one progress line per window, no redrawn bar
    assert "Uji-balik 1/" in captured.err and "\r" not in captured.err
    metrics = pd.read_csv(out, sep=";", decimal=",", parse_dates=["origin"])
    assert metrics["value"].dtype == float
    assert {"origin", "origin_kind", "method", "metric", "k", "value"} <= set(metrics.columns)
    assert (metrics["origin"] + pd.Timedelta(days=90) <= "2024-09-25").all()  # nothing after


def test_demo_compares_with_90_days_earlier(demo_out: tuple[Path, str]) -> None:
    import re

    out, text = demo_out
    as_of = pd.Timestamp(re.search(r"Kecamatan paling rawan \(per (\d{4}-\d\d-\d\d)\)", text)[1])
    earlier = (as_of - pd.Timedelta(days=90)).date().isoformat()
    assert f"Penilaian pembanding per {earlier}" in text
    line = re.search(rf"^Sejak {earlier}: .*$", text, flags=re.M)
    assert line is not None and "kelas" in line[0]
    html = (out / "peta_risiko_sintetis_pesisir_barat.html").read_text(encoding="utf-8")
    assert line[0] in html and f"Sebelumnya (per {earlier})" in html


def test_demo_compare_none_is_the_plain_map(tmp_path: Path, capsys) -> None:
    assert main(["demo", "--out", str(tmp_path), "--compare-as-of", "none"]) == 0
    assert "Sejak " not in capsys.readouterr().out
    html = (tmp_path / "peta_risiko_sintetis_pesisir_barat.html").read_text(encoding="utf-8")
    assert "Sebelumnya (per" not in html and "pr-change" not in html


def test_map_command_compare_as_of(tmp_path: Path, capsys) -> None:
    from pilkada_risk.synthetic.demo import DEMO_DIR

    register = str(DEMO_DIR / "kejadian_sintetis_pesisir_barat.csv")
    args = ["map", register, "--kab", "18.13", "--as-of", "2024-09-25"]
    out = tmp_path / "peta.html"
    assert main([*args, "--compare-as-of", "2024-06-25", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Sejak 2024-06-25: " in text
    html = out.read_text(encoding="utf-8")
    assert "Sebelumnya (per 2024-06-25)" in html and "Data per" in html
    bad = tmp_path / "salah.html"
    quarantine = tmp_path / "karantina.csv"
    late = ["--compare-as-of", "2024-12-01", "--quarantine", str(quarantine)]
    assert main([*args, *late, "--out", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Galat:") and "2024-12-01" in err and "2024-09-25" in err
    assert not bad.exists() and not bad.with_suffix(".png").exists()
    assert not quarantine.exists()  # nothing is written before every step succeeded


def _two_sheet_workbook(path: Path) -> Path:
    """Okt and Nov sheets with formula-like text, a duplicate across sheets and an odd category."""
    okt = pd.DataFrame(
        {
            "No LP": ["LP-1", "LP-2", "LP-3"],
            "Tanggal": ["01/10/2024", "05/10/2024", "07/10/2024"],
            # openpyxl would store "=..." as a live formula; "@"/"-"/"+" stay text in a workbook
            "Jenis": ["bentrok antar pendukung", "serangan fajar", "@cmd|' /C calc'!A0"],
            "Kecamatan": ["Ngaras", "Bengkunat", "Lemong"],
            "Keterangan": ['=HYPERLINK("http://x","klik")', "@SUM(1+1)", "-penipuan"],
        }
    )
    nov = pd.DataFrame(
        {
            "No LP": ["LP-4", "LP-1"],
            "Tanggal": ["03/11/2024", "09/11/2024"],
            "Jenis": ["perusakan baliho", "politik uang"],
            "Kecamatan": ["Ngaras", "Pesisir Tengah"],
            "Keterangan": ["+62 2+5", "dobel"],
        }
    )
    with pd.ExcelWriter(path) as writer:
        okt.to_excel(writer, sheet_name="Okt", index=False)
        nov.to_excel(writer, sheet_name="Nov", index=False)
    return path


def test_intake_reads_every_sheet_and_writes_safe_files(tmp_path: Path, capsys) -> None:
    from tests.io.test_spreadsheet import live_cells_in

    book = _two_sheet_workbook(tmp_path / "register.xlsx")
    acc, qua = tmp_path / "diterima.xlsx", tmp_path / "karantina.csv"
    args = ["intake", str(book), "--kab", "18.13", "--as-of", "2025-01-01"]
    assert main([*args, "--accepted", str(acc), "--quarantine", str(qua)]) == 0
    text = capsys.readouterr().out
    assert "5 baris dibaca, 3 diterima, 2 dikarantina" in text
    accepted = pd.read_excel(acc, dtype=str)
    assert accepted["lembar"].tolist() == ["Okt", "Okt", "Nov"]
    assert accepted["kategori"].tolist() == ["bentrok_massa", "politik_uang", "perusakan_apk"]
    assert "catatan_intake" in accepted.columns
    quarantine = pd.read_csv(qua, sep=";", dtype=str, encoding="utf-8-sig")
    assert quarantine["lembar"].tolist() == ["Okt", "Nov"]
    assert quarantine["kode_alasan"].tolist() == ["kategori_tidak_dikenal", "id_ganda"]
    assert "--categories" in quarantine["alasan"].iat[0] and "categories=" not in quarantine[
        "alasan"
    ].iat[0].replace("--categories", "")
    assert live_cells_in(acc) == [] and live_cells_in(qua) == []


def test_intake_several_files_categories_and_one_sheet(tmp_path: Path, capsys) -> None:
    book = _two_sheet_workbook(tmp_path / "register.xlsx")
    synonyms = tmp_path / "sinonim.csv"
    synonyms.write_text("sinonim;kode\n@cmd|' /C calc'!A0;penipuan\n", encoding="utf-8")
    args = ["intake", str(book), "--kab", "18.13", "--as-of", "2025-01-01"]
    assert main([*args, "--categories", str(synonyms)]) == 0
    assert "5 baris dibaca, 4 diterima, 1 dikarantina" in capsys.readouterr().out
    assert main([*args, "--sheet", "Nov"]) == 0
    assert "2 baris dibaca, 2 diterima, 0 dikarantina" in capsys.readouterr().out
    assert main([*args, "--sheet", "1"]) == 0  # tabs numbered from 1, as Excel shows them
    assert "3 baris dibaca, 2 diterima, 1 dikarantina" in capsys.readouterr().out
    fixed = tmp_path / "karantina.csv"
    assert main([*args, "--quarantine", str(fixed)]) == 0
    capsys.readouterr()
    rows = pd.read_csv(fixed, sep=";", dtype=str, encoding="utf-8-sig")
    rows.loc[rows["kode_alasan"] == "kategori_tidak_dikenal", "Jenis"] = "penipuan"
    rows.to_csv(fixed, index=False)
    assert main(["intake", str(book), str(fixed), "--kab", "18.13", "--as-of", "2025-01-01"]) == 0
    # 5 + 2 rows; the fixed category accepted, the LP-1 duplicate still out (one check over both)
    assert "7 baris dibaca, 4 diterima, 3 dikarantina" in capsys.readouterr().out


def test_score_formats_and_quarantine_only_when_asked(tmp_path: Path, capsys) -> None:
    from pilkada_risk.synthetic.demo import DEMO_DIR
    from tests.io.test_spreadsheet import live_cells_in

    register = str(DEMO_DIR / "kejadian_sintetis_pesisir_barat.csv")
    args = ["score", register, "--kab", "18.13"]
    xlsx = tmp_path / "skor.xlsx"
    assert main([*args, "--out", str(xlsx)]) == 0
    assert pd.read_excel(xlsx)["peringkat"].tolist() == list(range(1, 12))
    assert live_cells_in(xlsx) == []
    gpkg = tmp_path / "skor.gpkg"
    assert main([*args, "--out", str(gpkg)]) == 0
    import geopandas as gpd

    assert len(gpd.read_file(gpkg)) == 11
    assert sorted(p.name for p in tmp_path.iterdir()) == ["skor.gpkg", "skor.xlsx"]
    assert main([*args, "--out", str(tmp_path / "skor.txt")]) == 2
    assert ".csv, .xlsx, .gpkg" in capsys.readouterr().err
    qua = tmp_path / "karantina.xlsx"
    assert main([*args, "--out", str(tmp_path / "skor.csv"), "--quarantine", str(qua)]) == 0
    assert len(pd.read_excel(qua)) > 0 and live_cells_in(qua) == []


def test_map_png_writes_html_beside_it(tmp_path: Path, capsys) -> None:
    from pilkada_risk.synthetic.demo import DEMO_DIR

    register = str(DEMO_DIR / "kejadian_sintetis_pesisir_barat.csv")
    out = tmp_path / "peta.png"
    assert main(["map", register, "--kab", "18.13", "--out", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    html = tmp_path / "peta.html"
    assert html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    text = capsys.readouterr().out
    assert f"(PNG): {out}" in text and f"(HTML offline): {html}" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["peta.html", "peta.png"]


def test_categories_file_errors_are_clear(tmp_path: Path, capsys) -> None:
    book = _two_sheet_workbook(tmp_path / "register.xlsx")
    args = ["intake", str(book), "--kab", "18.13", "--as-of", "2025-01-01"]
    wrong = tmp_path / "sinonim.csv"
    wrong.write_text("sinonim,kode\nkeributan pilkada,bentrok_pilkada\n", encoding="utf-8")
    assert main([*args, "--categories", str(wrong), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "bentrok_pilkada" in err and "bentrok_massa" in err and err.startswith("Error: ")
    one_column = tmp_path / "satu.csv"
    one_column.write_text("keributan pilkada\n", encoding="utf-8")
    assert main([*args, "--categories", str(one_column)]) == 2
    assert "CSV dua kolom" in capsys.readouterr().err
    toml = tmp_path / "tambahan.toml"
    toml.write_text("[categories.penipuan]\nsinonim = [\"@cmd|' /C calc'!A0\"]\n", encoding="utf-8")
    assert main([*args, "--categories", str(toml)]) == 0
    assert "5 baris dibaca, 4 diterima, 1 dikarantina" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["intake", "x.csv"], "Galat: argumen wajib belum diisi: --kab"),
        (["intake", "x.csv", "--kab", "18.13", "--lang", "xx"], "Galat: --lang: pilihan 'xx'"),
        (["intake", "x.csv", "--kab", "18.13", "--bogus", "--lang", "en"], "Error: unknown"),
        (["score", "x.csv", "--kab", "18.13", "--out", "o.csv", "--seed", "abc"], "--seed: nilai"),
    ],
)
def test_argument_errors_are_in_the_users_language(argv, words, capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert words in err and "error:" not in err and "the following" not in err


def test_bad_profile_is_a_clear_error_in_bahasa_indonesia(tmp_path: Path, capsys) -> None:
    """An analyst's edited profile: the file, key, value and what is allowed, no traceback."""
    from pilkada_risk.synthetic.demo import DEMO_DIR

    profile = tmp_path / "profil_polres.toml"
    profile.write_text("[components]\nlaju = -0.25\nkekinian = 0.75\n", encoding="utf-8")
    register = DEMO_DIR / "kejadian_sintetis_pesisir_barat.csv"
    args = ["score", str(register), "--kab", "18.13", "--profile", str(profile)]
    assert main([*args, "--out", str(tmp_path / "skor.csv")]) == 2
    said = capsys.readouterr()
    assert said.err.startswith("Galat:") and "Traceback" not in said.err
    assert "profil_polres.toml" in said.err and "components.laju = -0.25: harus ≥ 0" in said.err
    assert "Memuat batas wilayah" not in said.out  # refused before any slow step


# ------------------------------------------------------------------ no silent defaults (issue 19)


def test_register_of_another_kabupaten_is_refused_and_paksa_overrides(
    tmp_path: Path, capsys
) -> None:
    from pilkada_risk.synthetic.demo import DEMO_DIR

    register = str(DEMO_DIR / "kejadian_sintetis_pesisir_barat.csv")
    out = tmp_path / "skor.csv"
    args = ["score", register, "--kab", "18.01", "--out", str(out)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert not out.exists()
    assert err.startswith("Galat: 802 dari 806 baris register berada di luar 18.01 Kabupaten")
    assert "785 di 18.13 Kabupaten Pesisir Barat" in err and "Hanya 4 baris" in err
    assert "--paksa" in err and "Traceback" not in err
    assert main([*args, "--paksa", "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert out.exists() and "WARNING: 802 of 806 rows lie outside 18.01" in text


def test_unknown_kabupaten_says_so_and_suggests_codes(tmp_path: Path, capsys) -> None:
    from pilkada_risk.synthetic.demo import DEMO_DIR

    register = str(DEMO_DIR / "kejadian_sintetis_pesisir_barat.csv")
    assert main(["intake", register, "--kab", "99.99"]) == 2
    err = capsys.readouterr().err
    assert "kab_kode='99.99'" in err and "91.19" in err and "siapkan-offline" not in err


def test_intake_in_english_has_no_indonesian_line(tmp_path: Path, capsys) -> None:
    from pilkada_risk.synthetic.demo import DEMO_DIR

    register = str(DEMO_DIR / "kejadian_sintetis_pesisir_barat.csv")
    assert main(["intake", register, "--kab", "18.13", "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert re.search(r"^Group +Item +Count$", text, flags=re.M)
    assert re.search(r"^Row counts +read +806$", text, flags=re.M)
    indonesian = r"\b(dibaca|diterima|dikarantina|jumlah|alasan|presisi|perbaikan|baris|kode)\b"
    assert not re.search(indonesian, text, flags=re.I), text
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text)  # no machine codes
    assert main(["intake", register, "--kab", "18.13"]) == 0
    assert re.search(r"^Jumlah baris +dibaca +806$", capsys.readouterr().out, flags=re.M)
