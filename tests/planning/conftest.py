"""Fixtures of the planning tests: the Pesisir Barat demo scored once per session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def demo_inputs():
    """Demo incidents (accepted), a fitted RiskModel and the synthetic 293-TPS list."""
    import pilkada_risk as pr
    from pilkada_risk.synthetic.tps import load_demo_tps

    demo = pr.load_demo("18.13")
    incidents = pr.read_incidents(demo.register, areas=demo.areas, desa=demo.desa).accepted
    model = pr.RiskModel(overrides={"n_bootstrap": 20, "permutations": 0}).fit(
        incidents, demo.areas, context=demo.context
    )
    tps = pr.read_tps(load_demo_tps("18.13"), areas=demo.areas, desa=demo.desa).accepted
    return {"demo": demo, "incidents": incidents, "model": model, "tps": tps}


@pytest.fixture(scope="session")
def full_need(demo_inputs) -> int:
    """Personnel the demo needs for every TPS's full pattern plus the mobile reserves."""
    import pilkada_risk as pr

    d = demo_inputs
    plan = pr.plan_security(d["model"], d["tps"], personnel=0, incidents=d["incidents"])
    return int(plan.kecamatan["personel_kebutuhan"].sum())
