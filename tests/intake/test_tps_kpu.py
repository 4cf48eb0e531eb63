"""TPS lists as KPU, Sirekap, Bawaslu and the Polda write them (issue 20)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from pilkada_risk.config.plan_profile import load_plan_profile
from pilkada_risk.intake.bawaslu_counts import read_bawaslu_counts
from pilkada_risk.intake.sirekap import read_sirekap
from pilkada_risk.intake.tps import read_tps

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


@pytest.fixture(scope="module")
def both(kecamatan_pb, desa_pb):
    kw = dict(areas=kecamatan_pb, desa=desa_pb)
    return (
        read_tps(DEMO / "tps_sintetis_pesisir_barat.csv", **kw),
        read_tps(DEMO / "tps_kpu_sintetis_pesisir_barat.csv", **kw),
    )


def test_kpu_shape_reads_all_293_with_the_same_desa_and_dpt(both):
    ours, kpu = both
    raw = pd.read_csv(DEMO / "tps_kpu_sintetis_pesisir_barat.csv", dtype=str)
    assert raw["kode_tps"].str.fullmatch(r"\d{13}").all()
    assert not {"dpt", "lintang", "bujur"} & set(raw.columns)
    assert (kpu.n_read, len(kpu.accepted), len(kpu.quarantine)) == (293, 293, 0)
    both_ = ours.accepted.merge(kpu.accepted, on="tps_id", suffixes=("", "_kpu"))
    assert len(both_) == 293
    assert (both_["desa_kode"] == both_["desa_kode_kpu"]).all()
    assert (both_["dpt"] == both_["dpt_kpu"]).all()
    assert (kpu.accepted["dpt_l"] + kpu.accepted["dpt_p"] == kpu.accepted["dpt"]).all()
    assert kpu.accepted.attrs["synthetic"]
    # no indicators in a KPU list: said so, all 25 missing
    assert kpu.indicators == {"found": [], "missing": list(load_plan_profile().indicators)}
    assert "indikator Bawaslu: belum tersedia" in kpu.warnings[0]


def _sirekap_files(folder: Path, kpu: pd.DataFrame, *, pilkada: bool = True) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for rec in kpu.to_dict("records"):
        admin = {
            "pemilih_dpt_j": int(rec["pemilih_dpt_l"]) + int(rec["pemilih_dpt_p"]),
            "pemilih_dpt_l": int(rec["pemilih_dpt_l"]),
            "pemilih_dpt_p": int(rec["pemilih_dpt_p"]),
        }
        body = {"mode": "hhcw", "psu": None, "ts": "2024-11-28 10:00:00", "images": []}
        body |= (
            {"tungsura": {"chart": {}, "administrasi": admin}}
            if pilkada
            else {
                "chart": {},
                "administrasi": admin,
            }
        )
        (folder / f"{rec['kode_tps']}.json").write_text(json.dumps(body), encoding="utf-8")


def test_sirekap_json_folder_and_zip_read_the_same_293(both, tmp_path, kecamatan_pb, desa_pb):
    ours, _ = both
    kpu = pd.read_csv(DEMO / "tps_kpu_sintetis_pesisir_barat.csv", dtype=str)
    half = len(kpu) // 2
    _sirekap_files(tmp_path / "sirekap_sintetis", kpu.iloc[:half])
    _sirekap_files(tmp_path / "sirekap_sintetis" / "pemilu", kpu.iloc[half:], pilkada=False)
    kw = dict(areas=kecamatan_pb, desa=desa_pb)
    folder = read_sirekap(tmp_path / "sirekap_sintetis", **kw)
    assert (folder.n_read, len(folder.accepted), len(folder.quarantine)) == (293, 293, 0)
    merged = ours.accepted.merge(folder.accepted, on="tps_id")
    assert len(merged) == 293 and (merged["dpt_x"] == merged["dpt_y"]).all()
    archive = tmp_path / "sirekap_sintetis.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for p in sorted((tmp_path / "sirekap_sintetis").rglob("*.json")):
            z.write(p, p.relative_to(tmp_path))
        z.writestr("rusak/1813011005999.json", "{not json")
    zipped = read_sirekap(archive, **kw)
    assert (zipped.n_read, len(zipped.accepted), len(zipped.quarantine)) == (294, 293, 1)
    bad = zipped.quarantine.iloc[0]
    assert bad["kode_alasan"] == "json_rusak" and "rusak/1813011005999.json" in bad["alasan"]


def test_all_25_indicators_under_short_and_long_headers(both, kecamatan_pb, desa_pb):
    ours, _ = both
    spec = load_plan_profile().indicators
    assert ours.indicators == {"found": list(spec), "missing": []} and len(spec) == 25
    frame = pd.read_csv(DEMO / "tps_sintetis_pesisir_barat.csv", dtype=str)
    long = {
        "Riwayat Kekerasan": "Terdapat riwayat kekerasan di TPS",
        "Rawan Konflik": "TPS berada di wilayah rawan konflik",
        "Rawan Bencana": "TPS berada di wilayah rawan bencana",
        "Logistik Terlambat": "Terdapat riwayat logistik terlambat",
        "Kendala Internet": "TPS dengan kendala jaringan internet",
    }
    res = read_tps(frame.rename(columns=long), areas=kecamatan_pb, desa=desa_pb)
    assert res.indicators["missing"] == [] and len(res.indicators["found"]) == 25
    kolom = res.accepted.attrs["indikator_kolom"]
    assert kolom["rawan_konflik"] == long["Rawan Konflik"]
    assert kolom["rawan_bencana"] == long["Rawan Bencana"]
    pd.testing.assert_series_equal(res.accepted["internet"], ours.accepted["internet"])


def test_a_missing_indicator_is_named_in_a_warning(kecamatan_pb, desa_pb):
    frame = pd.read_csv(DEMO / "tps_sintetis_pesisir_barat.csv", dtype=str)
    res = read_tps(frame.drop(columns="Kendala Internet"), areas=kecamatan_pb, desa=desa_pb)
    assert res.indicators["missing"] == ["internet"]
    assert res.warnings == ["PERINGATAN: kelas dihitung tanpa indikator: internet"]
    assert res.accepted.attrs["peringatan"] == res.warnings
    en = read_tps(
        frame.drop(columns="Kendala Internet"), areas=kecamatan_pb, desa=desa_pb, lang="en"
    )
    assert en.warnings == ["WARNING: classes computed without the indicator(s): internet"]


HEAD = [
    "kode_tps",
    "nama_kecamatan",
    "nama_kelurahan",
    "pemilih_dpt_l",
    "pemilih_dpt_p",
    "Kelas TPS",
]
ROWS = [
    ["1813011005001", "PESISIR TENGAH", "PASAR KRUI", "200", "210", "Sangat Rawan"],  # ok
    ["1813011005002", "PESISIR TENGAH", "PASAR KOTA KRUI", "200", "210", "rawan"],  # name differs
    ["9999999999001", "PESISIR TENGAH", "PASAR KRUI", "200", "210", "Rawan"],  # unknown system
    ["1813011005003", "PESISIR TENGAH", "PASAR KRUI", "400", "300", "KURANG RAWAN"],  # > 600: warn
    ["1813011005004", "PESISIR TENGAH", "PASAR KRUI", "700", "400", "Rawan"],  # > 1000: quarantine
    ["1813011005005", "PESISIR TENGAH", "PASAR KRUI", "200", "210", "agak rawan"],  # class word
    ["1813011005006", "PESISIR TENGAH", "PASAR KRUI", "200", "", "Khusus"],  # P missing
    ["1813011005007", "", "", "200", "210", ""],  # code only, no class: suggested class
]


def test_bad_inputs_name_row_column_value_and_fix(kecamatan_pb, desa_pb):
    frame = pd.DataFrame(ROWS, columns=HEAD)
    res = read_tps(frame, areas=kecamatan_pb, desa=desa_pb)
    assert len(res.accepted) + len(res.quarantine) == res.n_read == len(ROWS)
    q = res.quarantine.set_index("baris")
    assert q.loc[2, "kode_alasan"] == "kode_nama_beda" and q.loc[2, "kolom"] == "nama_kelurahan"
    assert "18.13.01.1005" in q.loc[2, "alasan"] and "Pasar Kota Krui" in q.loc[2, "alasan"]
    assert q.loc[3, "kode_alasan"] == "kode_tidak_dikenal" and q.loc[3, "nilai"] == "9999999999001"
    assert "bps_crosswalk" in q.loc[3, "alasan"]
    assert q.loc[5, "kode_alasan"] == "dpt_tidak_wajar" and "1000" in q.loc[5, "alasan"]
    assert q.loc[6, "kode_alasan"] == "kelas_tidak_dikenal" and q.loc[6, "kolom"] == "Kelas TPS"
    assert "Sangat Rawan" in q.loc[6, "alasan"]
    assert q.loc[7, "kode_alasan"] == "dpt_lp_tidak_terbaca"
    acc = res.accepted.set_index("baris")
    assert acc.loc[1, "kelas_diberikan"] == "sangat_rawan"
    assert acc.loc[4, "dpt"] == 700 and "600" in acc.loc[4, "catatan_intake"]
    assert acc.loc[8, "desa_kode"] == "18.13.01.1005" and acc.loc[8, "kelas_diberikan"] is None
    assert any("batas KPU 600" in w and "18.13.01.1005-003" in w for w in res.warnings)
    assert any("1 TPS tanpa kelas dari Polda" in w for w in res.warnings)


def test_bps_codes_map_through_the_crosswalk_minding_ngaras(kecamatan_pb, desa_pb):
    """BPS 1813100 "Bengkunat" is today's Ngaras (18.13.10), not Bangkunat (18.13.11)."""
    ngaras = desa_pb.loc[desa_pb["kec_kode"] == "18.13.10", "nama"].iloc[0]
    frame = pd.DataFrame(
        {
            "kode_kecamatan": ["1813100", "1813060", "1813100"],
            "desa": [ngaras, "Pasar Krui", ""],
            "no_tps": ["1", "1", "2"],
            "dpt": ["300", "300", "300"],
            "koordinat": ["", "-5.1867, 103.9330", ""],
            "loksus": ["Tidak", "Lapas", "Tidak"],
        }
    )
    res = read_tps(frame, areas=kecamatan_pb, desa=desa_pb)
    acc = res.accepted.set_index("baris")
    assert acc.loc[1, "kec_kode"] == "18.13.10" and "18.13.10" in acc.loc[1, "catatan_intake"]
    assert acc.loc[2, "kec_kode"] == "18.13.01" and acc.loc[2, "lokasi_presisi"] == "titik"
    assert bool(acc.loc[2, "khusus"]) and not bool(acc.loc[1, "khusus"])
    q = res.quarantine.set_index("baris")
    assert q.loc[3, "kode_alasan"] == "kode_tanpa_desa" and "Ngaras" in q.loc[3, "alasan"]


def test_published_counts_become_a_structural_factor_never_classes(kecamatan_pb, desa_pb):
    counts = pd.DataFrame(
        {
            "Kecamatan": ["Pesisir Tengah", "Pesisir Tengah", "Bangkunat"],
            "Indikator": ["Riwayat Kekerasan", "Pemilih Disabilitas", "Kendala Internet"],
            "Jumlah TPS": [2, 10, 5],
        }
    )
    factor = read_bawaslu_counts(counts, areas=kecamatan_pb)
    assert len(factor) == 11 and set(factor["tingkat"]) == {"kecamatan"}
    value = factor.set_index("kode")["tps_rawan_bawaslu"]
    assert value["18.13.01"] == pytest.approx(3.0 * 2 + 0.25 * 10)
    assert value["18.13.11"] == pytest.approx(0.5 * 5) and value["18.13.02"] == 0
    assert "faktor struktural" in factor.attrs["catatan"] and "bukan" in factor.attrs["catatan"]
    with pytest.raises(ValueError, match="read_bawaslu_counts"):
        read_tps(counts, areas=kecamatan_pb, desa=desa_pb)
    kab = read_bawaslu_counts(counts.drop(columns="Kecamatan"), areas=kecamatan_pb)
    assert kab["tps_rawan_bawaslu"].nunique() == 1 and set(kab["tingkat"]) == {"kabupaten"}
    with pytest.raises(ValueError, match="baris 2.*Indikator Entah"):
        bad = counts.assign(Indikator=["Riwayat Kekerasan", "Indikator Entah", "Kendala Internet"])
        read_bawaslu_counts(bad, areas=kecamatan_pb)


def test_a_tps_column_holding_kpu_codes_is_read_as_the_code(kecamatan_pb, desa_pb):
    frame = pd.DataFrame(
        {
            "TPS": ["1813011005001", "18.13.01.1005.002", "001"],
            "DPT L": ["100", "120", "100"],
            "DPT P": ["110", "100", "100"],
        }
    )
    res = read_tps(frame, areas=kecamatan_pb, desa=desa_pb)
    assert res.accepted["tps_id"].tolist() == ["18.13.01.1005-001", "18.13.01.1005-002"]
    assert res.accepted["dpt"].tolist() == [210, 220]
    q = res.quarantine.iloc[0]
    assert (q["baris"], q["kolom"], q["kode_alasan"]) == (3, "TPS", "kode_tps_tidak_terbaca")
    assert "13 angka" in q["alasan"]
