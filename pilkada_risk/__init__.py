"""pilkada-risk: Kamtibmas risk per kecamatan for Pilkada security planning.

The flow is intake → place → features → model → map → export. Public names are re-exported here
and imported lazily, so ``import pilkada_risk`` stays cheap and a notebook pays only for what it
uses.

Examples
--------
>>> import pilkada_risk as pr
>>> "load_kecamatan" in pr.__all__
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # boundaries
    "load_kecamatan": "pilkada_risk.boundaries",
    "load_desa": "pilkada_risk.boundaries",
    "BOUNDARY_SOURCE": "pilkada_risk.boundaries",
    # configuration
    "load_taxonomy": "pilkada_risk.taxonomy",
    "load_elections": "pilkada_risk.elections",
    "load_profile": "pilkada_risk.profile",
    "write_default_profile": "pilkada_risk.profile",
    "RiskProfile": "pilkada_risk.profile",
    # intake
    "read_incidents": "pilkada_risk.intake",
    "IntakeResult": "pilkada_risk.intake",
    # demo data and run inputs
    "load_demo": "pilkada_risk.demo",
    "load_inputs": "pilkada_risk.demo",
    "simulate_incidents": "pilkada_risk.simulate",
    "SimulationResult": "pilkada_risk.simulate",
    # model
    "RiskModel": "pilkada_risk.model",
    # validation
    "backtest": "pilkada_risk.backtest",
    "BacktestResult": "pilkada_risk.backtest",
    # maps and export
    "risk_map": "pilkada_risk.mapping",
    "change_summary": "pilkada_risk.mapping",
    "export_html": "pilkada_risk.export",
    "export_png": "pilkada_risk.export",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pilkada_risk' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from pilkada_risk.backtest import BacktestResult, backtest
    from pilkada_risk.boundaries import (
        BOUNDARY_SOURCE,
        load_desa,
        load_kecamatan,
    )
    from pilkada_risk.demo import load_demo, load_inputs
    from pilkada_risk.elections import load_elections
    from pilkada_risk.export import export_html, export_png
    from pilkada_risk.intake import IntakeResult, read_incidents
    from pilkada_risk.mapping import change_summary, risk_map
    from pilkada_risk.model import RiskModel
    from pilkada_risk.profile import (
        RiskProfile,
        load_profile,
        write_default_profile,
    )
    from pilkada_risk.simulate import (
        SimulationResult,
        simulate_incidents,
    )
    from pilkada_risk.taxonomy import load_taxonomy
