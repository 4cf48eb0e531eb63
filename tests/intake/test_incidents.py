from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pilkada_risk.intake._headers import header_key, map_headers
from pilkada_risk.intake.incidents import HEADER_ALIASES, IntakeResult, read_incidents

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "data" / "demo" / "kejadian_sintetis_pesisir_barat.csv"

CSV = """No LP;Tanggal;Jenis Kejadian;Kecamatan;Pekon;Lintang;Bujur;Korban;Keterangan
1;27/11/2024;Politik uang;Pesisir Tengah;Way Redak;-5,2099;103,9285;0;serangan fajar
2;27 Nop 2024;Pencurian dengan kekerasan;Bengkunat;;;;1 orang;
3;2024-11-30;Unjuk rasa;;Sukarame;;;;
4;31/02/2024;begal;Krui Selatan;;;;;
5;01/01/2030;begal;Krui Selatan;;;;;
6;05/05/2023;xyzzy;Krui Selatan;;;;;
7;05/05/2023;demo;;;103.93;-5.19;;tertukar
8;05/05/2023;demo;;;5.2099;103.9285;;tanpa minus
9;05/05/2023;demo;Lemong;;-5.2099;103.9285;;konflik
1;05/05/2023;demo;Lemong;;;;;id ganda
;;;;;;;;
10;05/05/2023;politk uang;Antah;;;;;
11;05/05/1999;demo;;;-6.5;103.9;;di luar
"""


@pytest.fixture()
def messy_csv(tmp_path: Path) -> Path:
    path = tmp_path / "register.csv"
    path.write_text(CSV, encoding="latin-1")
    return path


def _read(src, kecamatan_pb, desa_pb, **kw) -> IntakeResult:
    return read_incidents(src, areas=kecamatan_pb, desa=desa_pb, as_of="2025-01-01", **kw)


def test_messy_csv(messy_csv, kecamatan_pb, desa_pb) -> None:
    res = _read(messy_csv, kecamatan_pb, desa_pb)
    assert res.n_read == 13 and len(res.accepted) + len(res.quarantine) == 13
    acc = res.accepted.set_index("baris")
    assert list(res.accepted.columns[:12]) == [
        "id",
        "tanggal",
        "kategori",
        "kec_kode",
        "desa_kode",
        "korban",
        "sumber",
        "keterangan",
        "geometry",
        "lokasi_presisi",
        "catatan_intake",
        "baris",
    ]
    assert res.accepted.crs.to_epsg() == 4326
    assert acc.loc[2, "desa_kode"] == "18.13.01.2001" and acc.loc[2, "lokasi_presisi"] == "point"
    assert acc.loc[3, "kec_kode"] == "18.13.10" and "BPS 2018" in acc.loc[3, "catatan_intake"]
    assert acc.loc[3, "korban"] == 1 and acc.loc[3, "geometry"] is None
    assert "tertukar" in acc.loc[8, "catatan_intake"]
    assert "minus" in acc.loc[9, "catatan_intake"]
    assert "Lemong" in acc.loc[10, "catatan_intake"]
    q = res.quarantine.set_index("baris")
    assert q.loc[4, "kode_alasan"] == "nama_ambigu" and "18.13.10.2019" in q.loc[4, "alasan"]
    assert q.loc[5, "kode_alasan"] == "tanggal_tidak_terbaca"
    assert q.loc[6, "kode_alasan"] == "tanggal_masa_depan"
    assert q.loc[7, "kode_alasan"] == "kategori_tidak_dikenal" and "curat" in q.loc[7, "alasan"]
    assert q.loc[11, "kode_alasan"] == "id_ganda" and "baris 2" in q.loc[11, "alasan"]
    assert q.loc[12, "kode_alasan"] == "baris_kosong"
    assert q.loc[13, "kode_alasan"] == "lokasi_tidak_ditemukan"
    assert q.loc[14, "kode_alasan"] == "tanggal_terlalu_lama; di_luar_wilayah"
    summary = res.summary()
    assert summary["jumlah", "dibaca"] == 13 and summary["alasan", "id_ganda"] == 1
    assert summary["perbaikan", "tukar_latlon"] == 1


def test_quarantine_round_trip(messy_csv, kecamatan_pb, desa_pb, tmp_path) -> None:
    res = _read(messy_csv, kecamatan_pb, desa_pb)
    out = res.to_csv(tmp_path / "belum" / "ada" / "karantina.csv")  # parents are created
    assert out.parent.is_dir() and not list(out.parent.glob("*.part"))
    # the register's own delimiter (";" for Excel under Indonesian regional settings)
    fixed = pd.read_csv(out, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(fixed.columns[5:]) == CSV.splitlines()[0].split(";")
    fixed.loc[fixed["kode_alasan"] == "kategori_tidak_dikenal", "Jenis Kejadian"] = "curat"
    fixed.to_csv(out, index=False, sep=";")
    again = _read(out, kecamatan_pb, desa_pb)
    assert again.n_read == len(res.quarantine)
    # Read alone, the fixed category is accepted; the id duplicate too, since its first row is
    # not in this file. Read together with the original, the duplicate stays out.
    assert again.accepted.set_index("baris_karantina")["kategori"].to_dict() == {
        "7": "curat",
        "11": "unjuk_rasa",
    }
    assert "baris_karantina" in again.accepted.columns
    both = _read([messy_csv, out], kecamatan_pb, desa_pb)
    assert both.n_read == res.n_read + len(res.quarantine)
    assert set(both.accepted["berkas"]) == {"register.csv", "karantina.csv"}
    back = both.accepted[both.accepted["berkas"] == "karantina.csv"]
    assert back.set_index("baris_karantina")["kategori"].to_dict() == {"7": "curat"}
    dup = both.quarantine[both.quarantine["berkas"] == "karantina.csv"]
    assert "id_ganda" in dup.set_index("baris_karantina").loc["11", "kode_alasan"]
    assert dup.set_index("baris_karantina").loc["11", "baris"] == 6  # its row in that file


def test_english_and_dataframe_not_mutated(kecamatan_pb, desa_pb) -> None:
    frame = pd.DataFrame(
        {"date": ["2024-11-27", "x"], "type": ["riot", "riot"], "district": ["Ngambur", "Ngambur"]}
    )
    before = frame.copy()
    res = _read(frame, kecamatan_pb, desa_pb, lang="en")
    pd.testing.assert_frame_equal(frame, before)
    assert res.accepted["baris"].tolist() == [1]
    assert "cannot be read" in res.quarantine["alasan"].iat[0]
    assert res.accepted["lokasi_presisi"].iat[0] == "kecamatan"


def test_acled_geojson_and_xlsx(kecamatan_pb, desa_pb, tmp_path) -> None:
    acled = pd.DataFrame(
        {
            "event_id_cnty": ["IDN1", "IDN2"],
            "event_date": ["27 November 2024", "2024-02-14"],
            "event_type": ["Protests", "Riots"],
            "sub_event_type": ["Peaceful protest", "Mob violence"],
            "admin1": "Lampung",
            "admin2": "Pesisir Barat",
            "admin3": ["Pesisir Tengah", "Ngaras"],
            "latitude": [-5.2099, -5.2],
            "longitude": [103.9285, 103.93],
            "geo_precision": [1, 3],
            "fatalities": [0, 2],
            "notes": ["a", "b"],
            "source": ["Lampung Post", "Antara"],
        }
    )
    res = _read(acled, kecamatan_pb, desa_pb)
    acc = res.accepted
    assert acc["sumber"].tolist() == ["ACLED", "ACLED"]
    assert acc["kategori"].tolist() == ["unjuk_rasa", "kerusuhan"]
    assert acc["kec_kode"].tolist() == ["18.13.01", "18.13.10"]
    assert acc["lokasi_presisi"].tolist() == ["point", "kecamatan"]
    assert acc["korban"].tolist() == [0, 2]
    gdf = gpd.GeoDataFrame(
        {"tgl": ["27/11/2024"], "jenis": ["curanmor"]},
        geometry=gpd.points_from_xy([103.9285], [-5.2099]),
        crs=4326,
    )
    path = tmp_path / "kejadian.geojson"
    gdf.to_file(path)
    assert _read(path, kecamatan_pb, desa_pb).accepted["kec_kode"].tolist() == ["18.13.01"]
    xlsx = tmp_path / "kejadian.xlsx"
    pd.DataFrame(
        {
            "Tanggal": [pd.Timestamp("2024-11-27"), 45623],
            "Jenis": ["judi", "judi"],
            "Koordinat": ["-5,2099; 103,9285", "5°12'36\"LS 103°55'43\"BT"],
        }
    ).to_excel(xlsx, index=False)
    res = _read(xlsx, kecamatan_pb, desa_pb)
    assert res.accepted["baris"].tolist() == [2, 3]
    assert (res.accepted["tanggal"] == pd.Timestamp("2024-11-27")).all()


def test_errors(kecamatan_pb) -> None:
    with pytest.raises(ValueError, match="kab_kode"):
        read_incidents(pd.DataFrame({"tanggal": []}))
    with pytest.raises(ValueError, match="tidak ada kolom untuk"):
        read_incidents(pd.DataFrame({"foo": [1]}), areas=kecamatan_pb)


CELLS = st.one_of(
    st.none(),
    st.text(max_size=8),
    st.sampled_from(
        [
            "27/11/2024",
            "2024-02-30",
            "Nop",
            "-5,2",
            "103.93",
            "Ngaras",
            "Walur",
            "demo",
            "judi",
            "",
            "1",
            "5 11 10 LS",
        ]
    ),
)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(CELLS, CELLS, CELLS, CELLS, CELLS, CELLS), max_size=12))
def test_invariant_on_random_frames(kecamatan_pb, desa_pb, rows) -> None:
    frame = pd.DataFrame(
        rows, columns=["no", "tgl", "jenis", "lat", "lon", "kecamatan"], dtype=object
    )
    before = frame.copy()
    # force: random points mostly outside the kabupaten would be refused (too few rows inside)
    res = _read(frame, kecamatan_pb, desa_pb, force=True)
    assert len(res.accepted) + len(res.quarantine) == res.n_read == len(frame)
    pd.testing.assert_frame_equal(frame, before)
    assert set(res.accepted["baris"]).isdisjoint(set(res.quarantine["baris"]))


@pytest.mark.parametrize(
    "header",
    [
        "Desa/Pekon",
        "Pekon/Desa",
        "Desa/Kelurahan/Pekon",
        "Nama Desa",
        "NAMA PEKON",
        "Nama Kelurahan",
        "Kelurahan/Desa",
        "Kelurahan - Pekon",  # combined from one-word aliases, not listed
    ],
)
def test_desa_header_variants(header, kecamatan_pb, desa_pb) -> None:
    frame = pd.DataFrame(
        {"Tgl Kejadian": ["27/11/2024"], "Jenis Kasus": ["judi"], header: ["Walur"]}
    )
    frame["Kec."] = "Krui Selatan"
    assert map_headers(frame.columns) == {
        "tanggal": "Tgl Kejadian",
        "kategori": "Jenis Kasus",
        "kecamatan": "Kec.",
        "desa": header,
    }
    acc = _read(frame, kecamatan_pb, desa_pb).accepted
    assert acc["desa_kode"].tolist() == ["18.13.08.2006"]
    assert acc["lokasi_presisi"].tolist() == ["desa"]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("No. LP", "id"),
        ("Nomor LP", "id"),
        ("No Laporan", "id"),
        ("Hari/Tanggal", "tanggal"),
        ("Kasus", "kategori"),
        ("Jenis Perkara", "kategori"),
        ("Nama Kec", "kecamatan"),
        ("Jml Korban", "korban"),
        ("Sumber Data", "sumber"),
        ("Uraian Kejadian", "keterangan"),
    ],
)
def test_other_header_variants(header, field) -> None:
    assert map_headers([header]) == {field: header}


def test_report_date_is_not_the_incident_date(kecamatan_pb) -> None:
    frame = pd.DataFrame({"Tgl Lapor": ["27/11/2024"], "Jenis": ["judi"], "Kec": ["Ngaras"]})
    with pytest.raises(ValueError, match=r"no column for tanggal;"):
        read_incidents(frame, areas=kecamatan_pb, lang="en")
    # The first of two columns with equivalent headers wins; no column serves two fields.
    assert map_headers(["Tanggal", "Tgl", "kejadian", "Jenis Kejadian"]) == {
        "tanggal": "Tanggal",
        "kategori": "Jenis Kejadian",
    }


HEADER_TEXT = st.text(alphabet="abcdeglnoprstuy_/. -LPKD", max_size=24)


@settings(max_examples=200, deadline=None)
@given(st.lists(HEADER_TEXT, max_size=8))
def test_header_mapping_properties(headers) -> None:
    assert all(header_key(header_key(h)) == header_key(h) for h in headers)
    mapping = map_headers(headers)
    assert len(set(mapping.values())) == len(mapping)  # one field per column
    assert set(mapping) <= set(HEADER_ALIASES)
    for field, col in mapping.items():
        key, aliases = header_key(col), HEADER_ALIASES[field]
        assert key in aliases or all(part in aliases for part in key.split("_"))


def test_unique_desa_name_alone_places_the_row(kecamatan_pb, desa_pb) -> None:
    frame = pd.DataFrame(
        {
            "tgl": ["27/11/2024"] * 4,
            "jenis": ["judi"] * 4,
            "kecamatan": ["", "Antah Berantah", "", ""],
            "pekon": ["Pahmungan", "Pahmungan", "Sukarame", "Suka Negara"],
        }
    )
    res = _read(frame, kecamatan_pb, desa_pb)
    acc = res.accepted
    assert acc["desa_kode"].tolist() == ["18.13.01.2007"] * 2
    assert acc["kec_kode"].tolist() == ["18.13.01"] * 2
    assert acc["lokasi_presisi"].tolist() == ["desa"] * 2
    assert acc["catatan_intake"].tolist()[0] == ""
    assert "'Antah Berantah' tidak dikenal" in acc["catatan_intake"].iat[1]
    q = res.quarantine
    assert q["kode_alasan"].tolist() == ["nama_ambigu"] * 2
    assert "Pesisir Selatan, 18.13.02.2002" in q["alasan"].iat[0]
    assert "Ngaras, 18.13.10.2019" in q["alasan"].iat[0]


def test_demo_register(kecamatan_pb, desa_pb) -> None:
    """The shipped messy demo: rows without coordinates are placed by pekon name at desa
    precision, and ambiguous pekon names are quarantined naming their kecamatan."""
    raw = pd.read_csv(DEMO, dtype=str, keep_default_na=False)
    res = _read(DEMO, kecamatan_pb, desa_pb)
    assert len(res.accepted) + len(res.quarantine) == res.n_read == len(raw)
    acc = res.accepted
    no_point = acc["baris"].isin(raw.index[raw["Lintang"] == ""] + 2)
    assert no_point.sum() > 25  # 32 of 784 accepted rows in the shipped demo
    assert (acc.loc[no_point, "lokasi_presisi"] == "desa").all()
    assert (acc.loc[no_point, "desa_kode"].str.slice(0, 8) == acc.loc[no_point, "kec_kode"]).all()
    assert acc.loc[no_point, "geometry"].isna().all()
    assert (acc.loc[~no_point, "lokasi_presisi"] == "point").all()
    ambiguous = res.quarantine[res.quarantine["kode_alasan"] == "nama_ambigu"]
    assert len(ambiguous) and (ambiguous["kolom"] == "Desa/Pekon").all()
    assert ambiguous["alasan"].str.count(r"\(\w[\w ]*, 18\.13\.\d\d\.\d{4}\)").ge(2).all()


def test_synthetic_registers_are_flagged_for_the_map(kecamatan_pb, desa_pb):
    from pilkada_risk.synthetic.simulate import simulate_incidents

    sim = simulate_incidents(kecamatan_pb, desa=desa_pb, seed=1, end="2019-12-31")
    res = read_incidents(sim.incidents, areas=kecamatan_pb, desa=desa_pb)
    assert res.source_name == "DataFrame"
    assert res.accepted.attrs["synthetic"] is True
    real = sim.incidents.assign(sumber="Polres")
    assert (
        read_incidents(real, areas=kecamatan_pb, desa=desa_pb).accepted.attrs["synthetic"] is False
    )


# --- Review fixes ---------------------------------------------------------------------------
def _frame(no: list, **extra) -> pd.DataFrame:
    n = len(no)
    base = {
        "Tanggal": [f"0{i + 1}/05/2023" for i in range(n)],
        "Jenis": ["judi"] * n,
        "Kecamatan": ["Ngaras"] * n,
    }
    return pd.DataFrame({**extra, **base} if extra else {"No": no, **base})


def test_restarting_running_number_is_not_an_id(kecamatan_pb, desa_pb) -> None:
    res = _read(_frame([1, 2, 3, 1, 2, 3]), kecamatan_pb, desa_pb)
    assert len(res.accepted) == 6 and len(res.quarantine) == 0
    assert res.accepted["id"].tolist() == [f"R{i}" for i in range(1, 7)]
    assert res.accepted["No"].tolist() == [1, 2, 3, 1, 2, 3]  # kept as a source column
    assert "nomor urut" in res.accepted["catatan_intake"].iat[0]
    assert res.repairs["nomor_urut_bukan_id"] == 6
    # A running number that does not repeat is still the id.
    once = _read(_frame([7, 8, 9]), kecamatan_pb, desa_pb)
    assert once.accepted["id"].tolist() == ["7", "8", "9"] and "No" not in once.accepted


def test_repeated_lp_number_stays_a_duplicate_id(kecamatan_pb, desa_pb) -> None:
    lp = ["LP/1", "LP/2", "LP/1"]
    res = _read(_frame(lp, **{"No. LP": lp}), kecamatan_pb, desa_pb)
    q = res.quarantine
    assert q["kode_alasan"].tolist() == ["id_ganda"] and q["baris"].tolist() == [3]


def test_identical_rows_with_running_number_are_still_duplicates(kecamatan_pb, desa_pb) -> None:
    frame = pd.DataFrame(
        {"No": [1, 1], "Tanggal": ["01/05/2023"] * 2, "Jenis": ["judi"] * 2, "Kec": ["Ngaras"] * 2}
    )
    res = _read(frame, kecamatan_pb, desa_pb)
    assert res.quarantine["kode_alasan"].tolist() == ["baris_ganda"]


def test_template_rows_with_only_a_number_are_blank(kecamatan_pb, desa_pb) -> None:
    frame = pd.DataFrame(
        {
            "No": [1, 2, 3],
            "Tanggal": ["01/05/2023", None, ""],
            "Jenis": ["judi", None, ""],
            "Kecamatan": ["Ngaras", None, "-"],
        }
    )
    res = _read(frame, kecamatan_pb, desa_pb)
    assert res.accepted["id"].tolist() == ["1"]
    assert res.quarantine["kode_alasan"].tolist() == ["baris_kosong", "baris_kosong"]


def test_accepted_round_trip_has_unique_columns(messy_csv, kecamatan_pb, desa_pb, tmp_path):
    res = _read(messy_csv, kecamatan_pb, desa_pb)
    out = tmp_path / "diterima.csv"
    res.accepted.to_csv(out, index=False)
    again = _read(out, kecamatan_pb, desa_pb)
    cols = list(again.accepted.columns)
    assert len(cols) == len(set(cols))
    assert {"kategori_sumber", "kategori_sumber_2", "baris_sumber"} <= set(cols)
    assert len(again.accepted) == len(res.accepted)
    # The original label survives under its own name; the code read back is the same.
    acc, first = again.accepted, res.accepted
    assert acc["baris_sumber"].tolist() == [str(b) for b in first["baris"]]
    assert acc["kategori_sumber"].tolist() == first["kategori_sumber"].tolist()
    assert acc["kategori"].tolist() == first["kategori"].tolist()
    assert acc["kec_kode"].tolist() == first["kec_kode"].tolist()
    assert acc.geometry.equals(first.geometry)


def test_file_errors_follow_lang(kecamatan_pb) -> None:
    with pytest.raises(ValueError, match="kab_kode=None: berikan"):
        read_incidents(pd.DataFrame({"tanggal": []}))
    with pytest.raises(ValueError, match="must be >= 0"):
        read_incidents(pd.DataFrame(), areas=kecamatan_pb, tolerance_m=-1, lang="en")
    with pytest.raises(ValueError, match="harus >= 0"):
        read_incidents(pd.DataFrame(), areas=kecamatan_pb, tolerance_m=-1)


def test_title_rows_above_the_header(kecamatan_pb, tmp_path) -> None:
    path = tmp_path / "judul.xlsx"
    body = pd.DataFrame(
        [
            ["LAPORAN KEJADIAN POLRES PESISIR BARAT", None, None],
            [None, None, None],
            ["Tanggal", "Jenis", "Kecamatan"],
            ["01/05/2023", "judi", "Ngaras"],
        ]
    )
    body.to_excel(path, index=False, header=False)
    with pytest.raises(ValueError, match="(?i)header harus di baris 1: hapus baris judul"):
        read_incidents(path, areas=kecamatan_pb)
    with pytest.raises(ValueError, match="delete the title rows"):
        read_incidents(path, areas=kecamatan_pb, lang="en")
    csv = tmp_path / "judul.csv"
    csv.write_text("LAPORAN KEJADIAN\nTanggal;Jenis;Kecamatan\n01/05/2023;judi;Ngaras\n")
    with pytest.raises(ValueError, match="Header harus di baris 1"):
        read_incidents(csv, areas=kecamatan_pb)


def test_zoned_dates_are_read_in_wib(kecamatan_pb, desa_pb) -> None:
    utc = pd.to_datetime(["2024-11-27 23:00", "2024-11-27 10:00"]).tz_localize("UTC")
    frame = pd.DataFrame({"tanggal": utc, "jenis": ["judi", "judi"], "kec": ["Ngaras"] * 2})
    res = read_incidents(frame, areas=kecamatan_pb, desa=desa_pb, as_of="2024-11-28T01:00+07:00")
    assert res.accepted["tanggal"].dt.day.tolist() == [28, 27]
    # 2024-11-27 20:00 UTC is already 28 November in WIB: the 28th is not in the future.
    late = read_incidents(frame, areas=kecamatan_pb, as_of="2024-11-27T20:00Z")
    assert len(late.accepted) == 2
    early = read_incidents(frame, areas=kecamatan_pb, as_of="2024-11-27T16:00Z")  # 23:00 WIB
    assert early.quarantine["kode_alasan"].tolist() == ["tanggal_masa_depan"]


def test_default_as_of_is_today_in_wib(kecamatan_pb) -> None:
    today = pd.Timestamp.now(tz="Asia/Jakarta").normalize().tz_localize(None)
    days = [today, today + pd.Timedelta(days=1)]
    frame = pd.DataFrame({"tanggal": days, "jenis": ["judi"] * 2, "kec": ["Ngaras"] * 2})
    res = read_incidents(frame, areas=kecamatan_pb)
    assert res.accepted["tanggal"].tolist() == [today]
    assert res.quarantine["kode_alasan"].tolist() == ["tanggal_masa_depan"]


def test_cp1252_csv(kecamatan_pb, tmp_path) -> None:
    path = tmp_path / "win.csv"
    path.write_bytes(
        "Tanggal;Jenis;Kecamatan;Uraian\n01/05/2023;judi;Ngaras;“kutip” – €\n".encode("cp1252")
    )
    res = read_incidents(path, areas=kecamatan_pb)
    assert res.accepted["keterangan"].tolist() == ["“kutip” – €"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_neutralised_quarantine_reads_back_verbatim(
    kecamatan_pb, desa_pb, tmp_path, suffix
) -> None:
    from tests.io.test_spreadsheet import live_cells_in

    frame = pd.DataFrame(
        {
            "Tanggal": ["01/05/2023", "02/05/2023"],
            "Jenis": ["=cmd|' /C calc'!A0", "judi"],
            "Kecamatan": ["Ngaras", "Ngaras"],
            "Keterangan": ["@SUM(1+1)", "-penipuan"],
        }
    )
    res = _read(frame, kecamatan_pb, desa_pb)
    out = res.write_quarantine(tmp_path / f"karantina{suffix}")
    assert live_cells_in(out) == []
    again = _read(out, kecamatan_pb, desa_pb)
    assert again.quarantine["Jenis"].tolist() == ["=cmd|' /C calc'!A0"]
    assert again.quarantine["Keterangan"].tolist() == ["@SUM(1+1)"]
    accepted = res.write_accepted(tmp_path / f"diterima{suffix}")
    assert live_cells_in(accepted) == []
    back = _read(accepted, kecamatan_pb, desa_pb)
    assert back.accepted["keterangan"].tolist() == ["-penipuan"]
    assert back.accepted["kategori"].tolist() == ["perjudian"]


def test_files_with_different_headers_are_read_as_one_register(kecamatan_pb, desa_pb) -> None:
    """Two Polres files naming the same fields differently ("tanggal" vs "Tgl Kejadian"): each
    row keeps its date and id; stacking by raw header used to quarantine the second file whole."""
    from pilkada_risk.synthetic.demo import DEMO_DIR

    first = pd.read_csv(DEMO_DIR / "kejadian_sintetis_pesisir_barat_bersih.csv", dtype=str)
    first = first.head(40)
    second = first.rename(columns={"tanggal": "Tgl Kejadian", "id": "No. LP"})
    second["No. LP"] = "B-" + second["No. LP"]
    result = read_incidents(
        [first, second], areas=kecamatan_pb, desa=desa_pb, as_of="2025-06-01", force=True
    )
    assert result.n_read == 80 and len(result.accepted) + len(result.quarantine) == 80
    assert len(result.accepted) == 80, result.quarantine["alasan"].head().tolist()
    assert result.accepted["id"].str.startswith("B-").sum() == 40
