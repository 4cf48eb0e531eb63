"""BKO allocation rules: pools, whole units, order of cover, reserve untouched, infeasible pools."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pilkada_risk.config.bko import POOLS, load_bko
from pilkada_risk.planning.bko import SEGMENTS, allocate_bko, marginal_unit, segment_fill

SETTINGS = load_bko()


def _need(
    top: int, rawan: int, kurang: int, cad: int, sisa: int, risk: list[float]
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "segment": SEGMENTS,
            "perlu": [top, rawan, kurang, cad, sisa],
            "risiko": risk,
            "tps": [top // 2, rawan, 0, 0, 0],
        }
    )


def _run(own, needs, pools, brimob=None):
    brimob = np.ones(len(own), bool) if brimob is None else np.asarray(brimob)
    names = [f"P{i}" for i in range(len(own))]
    return allocate_bko(np.asarray(own, float), needs, pools, SETTINGS, brimob, names)


NEEDS = [
    _need(40, 20, 100, 20, 200, [5, 1, 3, 0, 2]),
    _need(4, 0, 50, 10, 100, [1, 0, 2, 0, 1]),
    _need(0, 10, 300, 30, 300, [0, 1, 5, 0, 5]),
]
POOLS_OK = {"bko_pam_tps": 20, "bko_brimob": 66, "bko_samapta": 30}


def test_within_pools_and_whole_units() -> None:
    a = _run([10, 60, 400], NEEDS, POOLS_OK)
    for pool in POOLS:
        assert a.table[pool].sum() <= POOLS_OK[pool]
        assert (a.table[pool] % SETTINGS.units[pool] == 0).all()
    # 66 Brimob = two platoons; the 6 left over stay in the pool
    assert a.pools.set_index("pool").at["bko_brimob", "sisa"] >= 6


def test_top_tier_first() -> None:
    # P0 cannot cover its sangat rawan/khusus TPS alone: every BKO unit that helps goes there
    a = _run([10, 60, 400], NEEDS, POOLS_OK)
    assert a.gap_top == 0
    assert a.table.at[0, "terisi_top"] == 40
    assert a.table.at[0, "bko_total"] >= 30


def test_rawan_minimum_before_risk() -> None:
    needs = [_need(0, 60, 0, 0, 0, [0, 1, 0, 0, 0]), _need(0, 0, 0, 0, 500, [0, 0, 0, 0, 100])]
    a = _run([0, 0], needs, {"bko_pam_tps": 60, "bko_brimob": 0, "bko_samapta": 0})
    assert a.table.at[0, "bko_total"] == 60  # the rawan minimum, although P1 has more risk
    assert a.gap_rawan == 0


def test_brimob_only_to_eligible() -> None:
    a = _run(
        [0, 0, 0],
        NEEDS,
        {"bko_pam_tps": 0, "bko_brimob": 300, "bko_samapta": 0},
        brimob=[False, True, False],
    )
    assert a.table.loc[[0, 2], "bko_brimob"].sum() == 0
    assert a.table.at[1, "bko_brimob"] > 0


def test_infeasible_pools_give_best_partial_plan_and_gap() -> None:
    needs = [_need(100, 0, 0, 0, 0, [10, 0, 0, 0, 0]), _need(60, 0, 0, 0, 0, [6, 0, 0, 0, 0])]
    a = _run([0, 0], needs, {"bko_pam_tps": 40, "bko_brimob": 60, "bko_samapta": 0})
    assert a.table["bko_total"].sum() == 100  # everything is used
    assert a.gap_top == pytest.approx(60)


def test_reserve_is_never_allocated() -> None:
    pools = {**POOLS_OK, "cadangan": 200}
    a = _run([0, 0, 0], NEEDS, pools)
    assert "cadangan" not in a.table.columns
    assert a.table[list(POOLS)].to_numpy().sum() <= sum(POOLS_OK.values())


def test_no_unit_moved_without_need() -> None:
    a = _run([10_000, 10_000, 10_000], NEEDS, POOLS_OK)
    assert a.table["bko_total"].sum() == 0


def test_segment_fill_in_order_and_marginal_unit() -> None:
    assert segment_fill(np.array([2.0, 4.0, 4.0]), 5).tolist() == [2.0, 3.0, 0.0]
    a = _run([10, 60, 400], NEEDS, POOLS_OK)
    extra = marginal_unit(a, NEEDS, 30)
    assert list(extra.columns) == ["polres", "tambah_top", "tambah_rawan", "risiko_turun"]
    assert extra["risiko_turun"].is_monotonic_decreasing or extra["tambah_top"].iloc[0] > 0
