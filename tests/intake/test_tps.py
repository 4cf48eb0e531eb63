"""read_tps: the ledger rule on a messy TPS table (every row accepted or quarantined)."""

from __future__ import annotations

import pandas as pd
import pytest

from pilkada_risk.intake.tps import parse_flag, read_tps

HEAD = [
    "No",
    "Kecamatan",
    "Desa/Kelurahan",
    "No. TPS",
    "Jumlah DPT",
    "Lintang",
    "Bujur",
    "Sulit Dijangkau",
    "Riwayat Kekerasan",
    "Jenis TPS",
]
ROWS = [
    # kecamatan, desa, tps, dpt, lat, lon, sulit, kekerasan, jenis      expected reason
    ["Pesisir Tengah", "Pasar Krui", "001", "445", "-5.1867", "103.9330", "Ya", "Tidak", "Reguler"],
    ["Pesisir Tengah", "Pasar Krui", "", "300", "", "", "Tidak", "Tidak", ""],  # tps_kosong
    ["Pesisir Tengah", "Pasar Krui", "abc", "300", "", "", "", "", ""],  # tps_tidak_terbaca
    ["Pesisir Tengah", "Pasar Krui", "004", "-", "", "", "", "", ""],  # dpt_kosong
    ["Pesisir Tengah", "Pasar Krui", "005", "5000", "", "", "", "", ""],  # dpt_tidak_wajar
    ["Pesisir Tengah", "Pasar Krui", "006", "empat ratus", "", "", "", "", ""],  # dpt_tidak_wajar
    ["Pesisir Tengah", "Pasar Krui", "007", "400", "", "", "mungkin", "", ""],  # indikator
    ["Pesisir Tengah", "Antah Berantah", "001", "400", "", "", "", "", ""],  # desa_tidak_ditemukan
    ["", "Sukarame", "001", "400", "", "", "", "", ""],  # nama_ambigu
    ["Pesisir Tengah", "Pasar Krui", "1", "410", "", "", "", "", ""],  # tps_ganda (row 2)
    ["", "", "", "", "", "", "", "", ""],  # baris_kosong
    ["Pesisir Tengah", "Pasar Krui", "TPS 2", "437", "103.9449", "-5.1897", "", "1", ""],  # swap
    ["Pesisir Tengah", "Pasar Krui", "003", "427", "-4.0", "105.5", "", "", ""],  # far away
    ["Pesisir Tengah", "Pasar Krui", "008", "350", "", "", "", "", "Rutan"],  # khusus
    ["Pesisir Selatan", "Sukarame", "001", "380", "", "", "yes", "0", ""],  # kec decides
    ["Pesisir Tengah", "", "009", "380", "", "", "", "", ""],  # desa_kosong
    ["Pesisir Tengah", "Pasar Krui", "010", "380", "", "", "", "", "kadang"],  # khusus ?
]
EXPECTED = {
    3: "tps_kosong",
    4: "tps_tidak_terbaca",
    5: "dpt_kosong",
    6: "dpt_tidak_wajar",
    7: "dpt_tidak_wajar",
    8: "indikator_tidak_terbaca",
    9: "desa_tidak_ditemukan",
    10: "nama_ambigu",
    11: "tps_ganda",
    12: "baris_kosong",
    17: "desa_kosong",
    18: "khusus_tidak_terbaca",
}


@pytest.fixture(scope="module")
def messy() -> pd.DataFrame:
    return pd.DataFrame([[str(i + 1), *r] for i, r in enumerate(ROWS)], columns=HEAD)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_messy_table_every_row_accounted_for(messy, kecamatan_pb, desa_pb, tmp_path, suffix):
    path = tmp_path / f"tps{suffix}"
    if suffix == ".csv":
        messy.to_csv(path, index=False, sep=";")
    else:
        messy.to_excel(path, index=False)
    res = read_tps(path, areas=kecamatan_pb, desa=desa_pb)
    assert len(res.accepted) + len(res.quarantine) == res.n_read == len(ROWS)
    got = dict(zip(res.quarantine["baris"].astype(int), res.quarantine["kode_alasan"], strict=True))
    assert got == EXPECTED
    q = res.quarantine.set_index("baris")
    assert q.loc[6, "kolom"] == "Jumlah DPT" and q.loc[6, "nilai"] == "5000"
    assert "1-1000" in q.loc[6, "alasan"]
    assert q.loc[11, "kolom"] == "No. TPS" and "baris 2" in q.loc[11, "alasan"]
    assert "Tanjung" not in q.loc[10, "alasan"] and "Pesisir Selatan" in q.loc[10, "alasan"]
    assert q.loc[8, "kolom"] == "Sulit Dijangkau" and q.loc[8, "nilai"] == "mungkin"


def test_accepted_rows_are_normalised(messy, kecamatan_pb, desa_pb, tmp_path):
    messy.to_csv(tmp_path / "tps.csv", index=False)  # rows numbered as in a spreadsheet
    acc = read_tps(tmp_path / "tps.csv", areas=kecamatan_pb, desa=desa_pb).accepted
    acc = acc.set_index("baris")
    assert acc.loc[2, "tps_id"] == "18.13.01.1005-001" and acc.loc[2, "dpt"] == 445
    assert bool(acc.loc[2, "sulit_dijangkau"]) and not bool(acc.loc[2, "riwayat_kekerasan"])
    assert acc.loc[2, "geometry"] is not None and acc.loc[2, "lokasi_presisi"] == "titik"
    assert acc.loc[13, "tps_id"].endswith("-002") and abs(acc.loc[13, "geometry"].y + 5.1897) < 1e-6
    assert acc.loc[14, "geometry"] is None and "diabaikan" in acc.loc[14, "catatan_intake"]
    assert bool(acc.loc[15, "khusus"]) and not bool(acc.loc[2, "khusus"])
    assert acc.loc[16, "desa_kode"] == "18.13.02.2002" and acc.loc[16, "indikator"] == (
        "sulit_dijangkau"
    )
    assert set(acc["kec_kode"]) <= set(kecamatan_pb["kode"])


def test_missing_required_column_names_it(messy, kecamatan_pb, desa_pb):
    with pytest.raises(ValueError, match="dpt"):
        read_tps(messy.drop(columns="Jumlah DPT"), areas=kecamatan_pb, desa=desa_pb)
    with pytest.raises(ValueError, match="kab_kode"):
        read_tps(messy)


def test_demo_list_follows_the_published_marginals():
    from pilkada_risk.synthetic.tps import PUBLISHED_MARGINALS, load_demo_tps

    res = read_tps(load_demo_tps("18.13"), kab_kode="18.13")
    acc = res.accepted
    assert len(acc) == 293 and len(res.quarantine) == 0 and acc.attrs["synthetic"]
    assert acc["dpt"].sum() == 119_866  # the demo context's DPT
    for name, count in PUBLISHED_MARGINALS.items():
        assert int(acc[name].sum()) == count, name
    flagged = acc["indikator"].str.len().gt(0)
    assert int(flagged.sum()) == 240


@pytest.mark.parametrize(
    ("value", "flag"),
    [
        ("Ya", True),
        ("YA ", True),
        ("yes", True),
        (1, True),
        ("1.0", True),
        ("v", True),
        ("Tidak", False),
        ("no", False),
        (0, False),
        ("", False),
        (None, False),
        ("ragu", None),
    ],
)
def test_parse_flag(value, flag):
    assert parse_flag(value) is flag
