"""The synthetic TPS generator: exact totals, published marginals (scaled), reproducible."""

from __future__ import annotations

import pandas as pd

from pilkada_risk.config.plan_profile import load_plan_profile
from pilkada_risk.synthetic.tps import (
    PUBLISHED_FLAGGED,
    PUBLISHED_MARGINALS,
    simulate_tps,
    simulate_tps_kpu,
)


def _context(kecamatan_pb) -> pd.DataFrame:
    from pilkada_risk.synthetic.demo import load_demo

    return load_demo("18.13").context


def test_totals_and_marginals_follow_the_inputs(kecamatan_pb, desa_pb):
    ctx = _context(kecamatan_pb)
    tps = simulate_tps(ctx, desa_pb, n_tps=293, seed=0)
    assert len(tps) == 293 and tps["Keterangan"].str.startswith("SINTETIS").all()
    per_kec = tps.groupby("Kecamatan")["DPT"].sum()
    assert per_kec.to_dict() == dict(zip(ctx["nama"], ctx["dpt"], strict=True))
    flags = tps.iloc[:, 8:-1].eq("Ya")
    assert int(flags.any(axis=1).sum()) == PUBLISHED_FLAGGED
    spec = load_plan_profile().tps["indikator"]
    headers = {k: spec[k]["judul"] for k in PUBLISHED_MARGINALS}  # Bawaslu's short headers
    assert {k: int(flags[h].sum()) for k, h in headers.items()} == PUBLISHED_MARGINALS
    assert set(tps["Desa/Kelurahan"]) <= set(desa_pb["nama"])


def test_other_sizes_scale_the_marginals_and_repeat(kecamatan_pb, desa_pb):
    ctx = _context(kecamatan_pb)
    a = simulate_tps(ctx, desa_pb, n_tps=586, seed=3)
    b = simulate_tps(ctx, desa_pb, n_tps=586, seed=3)
    pd.testing.assert_frame_equal(a, b)
    assert int(a.iloc[:, 8:-1].eq("Ya").any(axis=1).sum()) == 2 * PUBLISHED_FLAGGED
    assert int(a["Pemilih Disabilitas"].eq("Ya").sum()) == 2 * 67
    assert not simulate_tps(ctx, desa_pb, n_tps=293, seed=1).equals(
        simulate_tps(ctx, desa_pb, n_tps=293, seed=0)
    )


def test_kpu_shape_holds_the_same_tps_as_l_plus_p(kecamatan_pb, desa_pb):
    ctx = _context(kecamatan_pb)
    ours = simulate_tps(ctx, desa_pb, n_tps=293, seed=0)
    kpu = simulate_tps_kpu(ctx, desa_pb, n_tps=293, seed=0)
    assert len(kpu) == 293 and kpu["keterangan"].str.startswith("SINTETIS").all()
    assert kpu["kode_tps"].str.fullmatch(r"\d{13}").all()
    assert not {"DPT", "Lintang", "Bujur", "koordinat"} & set(kpu.columns)
    total = kpu["pemilih_dpt_l"] + kpu["pemilih_dpt_p"]
    assert total.tolist() == ours["DPT"].tolist()
    assert (kpu["pemilih_dpt_l"] > 0).all() and (kpu["pemilih_dpt_p"] > 0).all()
    assert kpu["nama_kelurahan"].str.title().tolist() == ours["Desa/Kelurahan"].str.title().tolist()
