"""Tests of the synthetic incident generator (pilkada_risk.synthetic.simulate)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pilkada_risk.config.elections import election_phase
from pilkada_risk.synthetic import _messy
from pilkada_risk.synthetic._latent_risk import build_context, build_truth
from pilkada_risk.synthetic.simulate import (
    DEFAULT_PARAMS,
    REGISTER_COLUMNS,
    _prepare,
    simulate_incidents,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def clean(kecamatan_pb, desa_pb):
    return simulate_incidents(kecamatan_pb, desa=desa_pb, seed=0)


@pytest.fixture(scope="module")
def messy(kecamatan_pb, desa_pb):
    return simulate_incidents(kecamatan_pb, desa=desa_pb, seed=0, messy=True)


def test_register_shape_and_synthetic_marking(clean):
    inc = clean.incidents
    assert tuple(inc.columns) == REGISTER_COLUMNS
    assert 2000 < len(inc) < 4500
    assert set(inc["sumber"]) == {"SINTETIS"}
    assert inc["keterangan"].str.startswith("Kejadian sintetis #").all()
    assert inc["id"].is_unique
    assert pd.to_datetime(inc["tanggal"]).between("2019-01-01", "2024-12-31").all()
    assert inc["lintang"].between(-6.2, -4.7).all() and inc["bujur"].between(103.5, 104.8).all()


def test_truth_and_context(clean, kecamatan_pb):
    truth = clean.truth
    assert list(truth["kode"]) == list(kecamatan_pb["kode"])
    assert truth["kode"].is_unique
    assert truth["risk_true"].mean() == pytest.approx(1.0)
    assert truth["lambda_year"].sum() == pytest.approx(clean.params["n_per_year"])
    for col in ("tps_rawan", "sengketa_lahan", "jarak_ibukota_km", "dpt", "populasi"):
        assert col in clean.context.columns and col in truth.columns
    assert clean.params["capital_kode"] == "18.13.01"
    cap = clean.context.set_index("kode").loc["18.13.01", "jarak_ibukota_km"]
    assert cap == 0


def test_counts_follow_truth(clean):
    counts = clean.events["kec_kode"].value_counts().reindex(clean.truth["kode"], fill_value=0)
    rho = clean.truth["lambda_year"].corr(pd.Series(counts.to_numpy()), method="spearman")
    assert rho > 0.85
    # background + surge + offspring: about 500 a year
    assert 400 < len(clean.events) / 6 < 650


def test_election_windows_have_higher_rates(clean):
    days = pd.Series(pd.date_range("2019-01-01", "2024-12-31", freq="D"))
    inside = (election_phase(days) != "").to_numpy()
    per_day = clean.events.groupby("tanggal").size().reindex(days, fill_value=0).to_numpy()
    ratio = per_day[inside].mean() / per_day[~inside].mean()
    assert ratio > 1.3
    pemilu = clean.events["kategori"].isin(["politik_uang", "perusakan_apk", "keberatan_saksi"])
    share_inside = (clean.events.loc[pemilu, "fase"] != "").mean()
    assert share_inside > 0.9
    riot = clean.events[
        (clean.events["tanggal"] == "2020-12-15") & (clean.events["asal"] == "klaster")
    ]
    assert len(riot) == 6 and set(riot["kec_kode"]) == {"18.13.01"}


def test_latent_field_is_spatially_correlated(kecamatan_pb, desa_pb):
    areas, units, _, _ = _prepare(kecamatan_pb, desa_pb, "2019-01-01", "2019-12-31", 0)
    p = dict(DEFAULT_PARAMS)
    rng = np.random.default_rng(7)
    ctx = build_context(areas, units, "18.13.01", rng, p, None)
    fields = np.array([build_truth(areas, ctx, rng, p, 100)["field"] for _ in range(400)])
    corr = np.corrcoef(fields.T)
    cen = areas.geometry.centroid
    d = (
        np.hypot(
            cen.x.to_numpy()[:, None] - cen.x.to_numpy(),
            cen.y.to_numpy()[:, None] - cen.y.to_numpy(),
        )
        / 1000
    )
    off = ~np.eye(len(d), dtype=bool)
    near, far = corr[off & (d < 10)].mean(), corr[off & (d > 40)].mean()
    assert near > 0.35 and far < 0.15


def test_deterministic_and_seed_dependent(kecamatan_pb, desa_pb, clean):
    again = simulate_incidents(kecamatan_pb, desa=desa_pb, seed=0)
    pd.testing.assert_frame_equal(again.incidents, clean.incidents)
    other = simulate_incidents(kecamatan_pb, desa=desa_pb, seed=1)
    assert not other.incidents["lintang"].head(50).equals(clean.incidents["lintang"].head(50))
    assert not np.allclose(other.truth["risk_true"], clean.truth["risk_true"])


def test_messy_defects_are_counted(messy, clean):
    inc, rows = messy.incidents, messy.defect_rows
    assert list(inc.columns) == list(_messy.MESSY_HEADERS.values())
    assert rows.groupby("defect").size().to_dict() == {k: v for k, v in messy.defects.items() if v}
    assert set(messy.defects) == set(_messy.DEFECTS)
    assert len(inc) == len(clean.incidents) + messy.defects["id_ganda"]
    assert rows["posisi"].is_unique and (rows["baris"] == rows["posisi"] + 2).all()
    n = len(clean.incidents)
    for name in ("format_tanggal", "koma_desimal", "koordinat_kosong", "kategori_ejaan"):
        assert 0.02 * n <= messy.defects[name] <= 0.15 * n, name
    for code in _messy.QUARANTINE_CODES:
        assert messy.defects[code] >= 1, code
    quarantined = rows[rows["expected_outcome"] == "quarantined"]
    assert (quarantined["alasan_kode"] == quarantined["defect"]).all()
    at = inc.iloc[rows["posisi"]].reset_index(drop=True)
    by = rows["defect"].to_numpy()
    assert (at.loc[by == "tanggal_kosong", "Tgl Kejadian"] == "").all()
    assert at.loc[by == "koma_desimal", "Lintang"].str.contains(",").all()
    assert (at.loc[by == "koordinat_tertukar", "Lintang"].astype(float) > 95).all()
    amb = at[by == "nama_ambigu"]
    assert (amb["Kecamatan"] == "").all() and (amb["Lintang"] == "").all()
    assert (
        amb["Desa/Pekon"]
        .isin(
            [
                "Tanjung Jati",
                "Pagar Dalam",
                "Penengahan",
                "Walur",
                "Pemerihan",
                "Bandar Dalam",
                "Sukarame",
                "Suka Negara",
            ]
        )
        .all()
    )
    old = at.loc[by == "nama_kecamatan_lama", "Kecamatan"]
    assert set(old) <= {"Bengkunat", "Bengkunat Belimbing", "Pulaupisang"} and len(old)
    dup = rows.loc[rows["defect"] == "id_ganda", "posisi"].to_numpy()
    assert inc.iloc[dup].reset_index(drop=True).equals(inc.iloc[dup - 1].reset_index(drop=True))


def test_without_desa_places_in_kecamatan(kecamatan_pb):
    sim = simulate_incidents(
        kecamatan_pb, start="2024-01-01", end="2024-12-31", n_per_year=200, messy=True
    )
    assert (sim.incidents["Desa/Pekon"] == "").all()
    assert sim.defects["nama_ambigu"] == 0 and sim.defects["format_tanggal"] > 0


def test_other_kabupaten_and_context_override(kecamatan_pb):
    from pilkada_risk.geo.boundaries import load_kecamatan

    ls = load_kecamatan("18.01")
    sim = simulate_incidents(ls, start="2023-01-01", end="2024-12-31")
    assert sim.params["capital_kode"] == "18.01.06" and len(sim.truth) == len(ls)
    own = pd.DataFrame({"kode": ["18.13.11"], "tps_rawan": [50]})
    sim = simulate_incidents(kecamatan_pb, start="2024-01-01", end="2024-03-31", context=own)
    assert sim.context.set_index("kode").loc["18.13.11", "tps_rawan"] == 50


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"seed": None}, "seed=None"),
        ({"start": "2024-01-01", "end": "2023-01-01"}, "before start"),
        ({"params": {"brancing": 0.2}}, "unknown key 'brancing'"),
        ({"params": {"branching": 1.2}}, r"must be in \[0, 1\)"),
        ({"capital_kode": "99.99.99"}, "capital_kode='99.99.99'"),
        ({"messy": True, "defect_rates": {"typo": 0.1}}, "unknown defect 'typo'"),
        (
            {"context": pd.DataFrame({"kode": ["18.13.01"], "foo": [1]})},
            r"unknown columns \['foo'\]",
        ),
    ],
)
def test_errors_name_the_parameter(kecamatan_pb, kwargs, match):
    with pytest.raises(ValueError, match=match):
        simulate_incidents(kecamatan_pb, **kwargs)


def test_shipped_demo_files_regenerate_bit_for_bit(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "make_demo_data", REPO / "scripts" / "make_demo_data.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.build(tmp_path)
    for path in written.values():
        shipped = REPO / "data" / "demo" / path.name
        assert "sintetis" in path.name
        assert shipped.read_bytes() == path.read_bytes(), (
            f"{shipped} is stale: run python -m scripts.make_demo_data"
        )
        assert shipped.stat().st_size < 1_000_000


def test_intake_quarantines_exactly_the_marked_rows(messy, kecamatan_pb, desa_pb, tmp_path):
    """Contract with pilkada_risk.intake.incidents: same rows quarantined, same reason codes."""
    from pilkada_risk.intake.incidents import read_incidents

    sim = messy
    path = tmp_path / "kejadian_sintetis.csv"  # a file, so that baris = file row (header = 1)
    sim.incidents.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    res = read_incidents(path, areas=kecamatan_pb, desa=desa_pb)
    assert len(res.accepted) + len(res.quarantine) == res.n_read == len(sim.incidents)
    expected = sim.defect_rows[sim.defect_rows["expected_outcome"] == "quarantined"]
    got = res.quarantine.sort_values("baris")
    assert list(got["baris"]) == list(expected["baris"])
    code_col = next((c for c in ("alasan_kode", "kode_alasan") if c in got.columns), None)
    assert code_col, f"quarantine has no reason-code column: {list(got.columns)}"
    assert list(got[code_col]) == list(expected["alasan_kode"])
    repaired = sim.defect_rows.loc[
        sim.defect_rows["expected_outcome"] == "accepted_repaired", "baris"
    ]
    notes = res.accepted.set_index("baris").loc[repaired.to_numpy(), "catatan_intake"]
    assert (notes != "").all()


def _quarterly(sim, areas):
    ev = sim.events.assign(q=pd.to_datetime(sim.events["tanggal"]).dt.to_period("Q"))
    return ev.groupby(["kec_kode", "q"]).size().unstack(fill_value=0).reindex(areas["kode"])


def test_realistic_regime_drifts_and_looks_like_a_real_register(kecamatan_pb):
    from pilkada_risk.synthetic.simulate import simulate_incidents

    flat = simulate_incidents(kecamatan_pb, seed=1)
    real = simulate_incidents(kecamatan_pb, seed=1, regime="realistic")
    assert real.params["regime"] == "realistic" and flat.params["regime"] == "stationary"
    q_flat, q_real = _quarterly(flat, kecamatan_pb).fillna(0), _quarterly(real, kecamatan_pb)
    q_real = q_real.fillna(0)
    # Real registers: ~140 incidents a year here, about half of kecamatan-quarters empty.
    assert 60 < len(real.events) / 6 < 250 < len(flat.events) / 6
    assert (q_real.to_numpy() == 0).mean() > 0.3 > (q_flat.to_numpy() == 0).mean()

    # Drift: a kecamatan's share of incidents moves between the first and the last two years.
    def shares(q, cols):
        part = q[cols].sum(axis=1)
        return part / part.sum()

    cols = list(q_real.columns)
    moved = {
        name: float((shares(q, cols[:8]) - shares(q, cols[-8:])).abs().sum())
        for name, q in (("flat", q_flat), ("real", q_real))
    }
    assert moved["real"] > moved["flat"]


def test_unknown_regime_is_refused(kecamatan_pb):
    from pilkada_risk.synthetic.simulate import simulate_incidents

    with pytest.raises(ValueError, match="regime='drift'; allowed: stationary, realistic"):
        simulate_incidents(kecamatan_pb, regime="drift")
