"""Polda classes kept, targets met by top-N, missing indicators said (issue 20)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import pilkada_risk as pr
from pilkada_risk.planning.annex import CLASS_SHEETS

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo" / "tps_sintetis_pesisir_barat.csv"


def _read(demo_inputs, frame: pd.DataFrame) -> pd.DataFrame:
    demo = demo_inputs["demo"]
    return pr.read_tps(frame, areas=demo.areas, desa=demo.desa).accepted


def _plan(d, tps, **kw):
    return pr.plan_security(d["model"], tps, personnel=300, incidents=d["incidents"], **kw)


@pytest.fixture(scope="module")
def polda(demo_inputs):
    """The demo list with a Polda class column: 20 sangat rawan (as Polda Lampung set for
    Pesisir Barat in 2024), the TPS khusus as Khusus, the rest Kurang Rawan, one cell blank."""
    frame = pd.read_csv(DEMO, dtype=str)
    kelas = np.where(frame["TPS Khusus"].eq("Ya"), "Khusus", "kurang rawan").astype(object)
    kelas[100:120] = "SANGAT RAWAN"
    kelas[200] = ""
    tps = _read(demo_inputs, frame.assign(**{"Kelas TPS": kelas}))
    return tps, _plan(demo_inputs, tps)


def test_the_polda_classes_are_planned_exactly_as_given(polda):
    tps, plan = polda
    given = tps["kelas_diberikan"].notna()
    assert int(given.sum()) == 292
    merged = plan.tps.set_index("tps_id").loc[tps["tps_id"]]
    assert (merged["kelas_kunci"].to_numpy()[given] == tps.loc[given, "kelas_diberikan"]).all()
    assert int((plan.tps["kelas_kunci"] == "sangat_rawan").sum()) >= 20
    assert plan.total("tps_sangat_rawan") == int((plan.tps["kelas_kunci"] == "sangat_rawan").sum())
    assert set(plan.tps.loc[given.to_numpy(), "kelas_sumber"]) == {"polda"}
    assert merged["kelas_sumber"].iat[200] == "saran"
    assert any("1 TPS tanpa kelas dari Polda" in w for w in plan.peringatan)


def test_the_annex_and_the_map_show_where_the_tool_differs(polda, demo_inputs, tmp_path):
    _, plan = polda
    counts, beda = plan.kelas_banding, plan.kelas_beda
    assert int(counts["jumlah_tps"].sum()) == 292
    assert len(beda) == int(
        (counts["kelas_polda"] != counts["kelas_saran"]).mul(counts["jumlah_tps"]).sum()
    )
    assert len(beda) > 0 and (beda["kelas_polda"] != beda["kelas_saran"]).all()
    assert str(len(beda)) in plan.total("sumber_kelas")
    xlsx = plan.to_excel(tmp_path / "rencana.xlsx")
    sheets = pd.read_excel(xlsx, sheet_name=None)
    assert set(CLASS_SHEETS) <= set(sheets) and len(sheets[CLASS_SHEETS[1]]) == len(beda)
    html = plan.to_html(tmp_path / "rencana.html").read_text(encoding="utf-8")
    assert "Kelas Polda vs saran alat" in html and beda["tps_id"].iat[0] in html
    scores = demo_inputs["model"].score()
    page = pr.risk_map(scores, plan=plan, desa=demo_inputs["demo"].desa).get_root().render()
    assert f"{len(beda)} TPS bergaris tebal" in page
    assert "saran alat:" in page


def test_polda_targets_are_met_by_top_n_with_ties_explained(demo_inputs):
    tps = demo_inputs["tps"]
    target = {"tps": {"aturan_kelas": "target", "target": {"sangat_rawan": 20, "rawan": "10%"}}}
    plan = _plan(demo_inputs, tps, plan_profile=target)
    keys = plan.tps["kelas_kunci"]
    assert (keys == "sangat_rawan").sum() == 20 and (keys == "rawan").sum() == round(0.1 * 292)
    sr = plan.tps.loc[keys == "sangat_rawan", "poin"]
    rest = plan.tps.loc[keys.isin(["rawan", "kurang_rawan"]), "poin"]
    assert sr.min() >= rest.max()
    assert "target Polda" in plan.total("aturan_kelas")
    assert (plan.tps["kelas_sumber"] == "saran").all() and plan.kelas_banding.empty
    # a tie across the boundary is broken and said so in the reasons of the tied TPS
    flat = tps.assign(**{c: False for c in pr.load_plan_profile().indicators})
    tied = _plan(demo_inputs, flat, plan_profile={"tps": {**target["tps"], "kecamatan_max": 0.0}})
    noted = tied.tps["alasan_kelas"].str.contains("seri di batas target")
    assert (tied.tps["kelas_kunci"] == "sangat_rawan").sum() == 20
    pts = tied.tps.loc[tied.tps["kelas_kunci"] != "khusus", "poin"].sort_values(ascending=False)
    assert pts.iloc[19] == pts.iloc[20]  # desa points alone: a tie at the 20th place
    at_boundary = tied.tps.index.isin(pts.index[pts == pts.iloc[19]])
    assert noted[at_boundary].all() and at_boundary.sum() > 20  # 20 taken of more tied
    assert "diputus oleh poin indikator" in tied.total("aturan_kelas")
    with pytest.raises(ValueError, match='10 persen|quoted share|"10%"'):
        pr.load_plan_profile({"tps": {"target": {"rawan": "10 persen"}}})


def test_missing_indicators_are_named_in_the_plan(demo_inputs):
    frame = pd.read_csv(DEMO, dtype=str)
    without = _read(demo_inputs, frame.drop(columns="Kendala Internet"))
    plan = _plan(demo_inputs, without)
    assert "PERINGATAN: kelas dihitung tanpa indikator: internet" in plan.peringatan
    assert plan.total("indikator_bawaslu") == "indikator Bawaslu: 24 dari 25 ada di daftar TPS"
    kpu = _read(demo_inputs, pd.read_csv(DEMO.with_name("tps_kpu_sintetis_pesisir_barat.csv")))
    early = _plan(demo_inputs, kpu)
    assert "indikator Bawaslu: belum tersedia" in early.total("indikator_bawaslu")
    assert "2024-11-20" in early.total("indikator_bawaslu")
    assert early.total("gerakan_bko") == "gerakan BKO ke Polres: 2024-11-25 (H-2)"


def test_published_counts_are_stated_as_a_structural_factor_not_classes(demo_inputs):
    counts = pd.DataFrame(
        {"Kecamatan": ["Bangkunat"], "Indikator": ["Riwayat Kekerasan"], "Jumlah TPS": [4]}
    )
    factor = pr.read_bawaslu_counts(counts, areas=demo_inputs["demo"].areas)
    plain = _plan(demo_inputs, demo_inputs["tps"])
    plan = _plan(demo_inputs, demo_inputs["tps"], bawaslu_counts=factor)
    assert "faktor struktural" in plan.total("indikator_bawaslu_jumlah")
    assert plan.kecamatan.set_index("kode").loc["18.13.11", "tps_rawan_bawaslu"] == 12.0
    pd.testing.assert_series_equal(plan.tps["kelas_kunci"], plain.tps["kelas_kunci"])
