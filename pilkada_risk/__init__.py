"""pilkada-risk: Kamtibmas risk per kecamatan for Pilkada security planning.

The flow is intake → place → features → model → map → export. The public names are exactly the
stage packages' ``__all__`` (``config``, ``geo``, ``intake``, ``scoring``, ``validation``,
``synthetic``, ``planning``, ``maps``) and :mod:`pilkada_risk.errors`, re-exported here and
imported lazily, so ``import pilkada_risk`` stays cheap and a notebook pays only for what it uses.

Examples
--------
>>> import pilkada_risk as pr
>>> "load_kecamatan" in pr.__all__
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pilkada_risk._version import __version__

_EXPORTS: dict[str, str] = {
    # boundaries
    "load_kecamatan": "pilkada_risk.geo.boundaries",
    "load_desa": "pilkada_risk.geo.boundaries",
    "BOUNDARY_SOURCE": "pilkada_risk.geo.boundaries",
    # configuration
    "load_taxonomy": "pilkada_risk.config.taxonomy",
    "load_elections": "pilkada_risk.config.elections",
    "load_profile": "pilkada_risk.config.profile",
    "write_default_profile": "pilkada_risk.config.profile",
    "RiskProfile": "pilkada_risk.config.profile",
    "load_plan_profile": "pilkada_risk.config.plan_profile",
    "write_default_plan_profile": "pilkada_risk.config.plan_profile",
    "PlanProfile": "pilkada_risk.config.plan_profile",
    "Taxonomy": "pilkada_risk.config.taxonomy",
    # intake
    "read_incidents": "pilkada_risk.intake.incidents",
    "IntakeResult": "pilkada_risk.intake.result",
    "read_tps": "pilkada_risk.intake.tps",
    "read_sirekap": "pilkada_risk.intake.sirekap",
    "read_bawaslu_counts": "pilkada_risk.intake.bawaslu_counts",
    # demo data and run inputs
    "load_demo": "pilkada_risk.synthetic.demo",
    "load_inputs": "pilkada_risk.synthetic.demo",
    "simulate_incidents": "pilkada_risk.synthetic.simulate",
    "SimulationResult": "pilkada_risk.synthetic.simulate",
    # model
    "RiskModel": "pilkada_risk.scoring.model",
    # validation
    "backtest": "pilkada_risk.validation.backtest",
    "BacktestResult": "pilkada_risk.validation.result",
    # maps and export
    "risk_map": "pilkada_risk.maps.risk_map",
    "change_summary": "pilkada_risk.maps.change",
    "export_html": "pilkada_risk.maps.export",
    "export_png": "pilkada_risk.maps.export",
    # security planning
    "plan_security": "pilkada_risk.planning.plan",
    "SecurityPlan": "pilkada_risk.planning.plan",
    # the Polda view
    "plan_province": "pilkada_risk.planning.province",
    "ProvincePlan": "pilkada_risk.planning.province",
    "load_polres": "pilkada_risk.geo.polres",
    "load_province_demo": "pilkada_risk.synthetic.province",
    "polda_map": "pilkada_risk.maps.polda_map",
    # errors
    "ChecksumMismatchError": "pilkada_risk.errors",
    "DownloadError": "pilkada_risk.errors",
    "MissingColumnsError": "pilkada_risk.errors",
    "NotFittedError": "pilkada_risk.errors",
    "PilkadaRiskError": "pilkada_risk.errors",
    "ProfileError": "pilkada_risk.errors",
    "SourceError": "pilkada_risk.errors",
    "RegisterOutsideError": "pilkada_risk.errors",
    "UnknownAreaError": "pilkada_risk.errors",
    "UpstreamError": "pilkada_risk.errors",
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
    from pilkada_risk.config.elections import load_elections
    from pilkada_risk.config.plan_profile import (
        PlanProfile,
        load_plan_profile,
        write_default_plan_profile,
    )
    from pilkada_risk.config.profile import (
        RiskProfile,
        load_profile,
        write_default_profile,
    )
    from pilkada_risk.config.taxonomy import Taxonomy, load_taxonomy
    from pilkada_risk.errors import (
        ChecksumMismatchError,
        DownloadError,
        MissingColumnsError,
        NotFittedError,
        PilkadaRiskError,
        ProfileError,
        RegisterOutsideError,
        SourceError,
        UnknownAreaError,
        UpstreamError,
    )
    from pilkada_risk.geo.boundaries import (
        BOUNDARY_SOURCE,
        load_desa,
        load_kecamatan,
    )
    from pilkada_risk.geo.polres import load_polres
    from pilkada_risk.intake.bawaslu_counts import read_bawaslu_counts
    from pilkada_risk.intake.incidents import read_incidents
    from pilkada_risk.intake.result import IntakeResult
    from pilkada_risk.intake.sirekap import read_sirekap
    from pilkada_risk.intake.tps import read_tps
    from pilkada_risk.maps.change import change_summary
    from pilkada_risk.maps.export import export_html, export_png
    from pilkada_risk.maps.polda_map import polda_map
    from pilkada_risk.maps.risk_map import risk_map
    from pilkada_risk.planning.plan import SecurityPlan, plan_security
    from pilkada_risk.planning.province import ProvincePlan, plan_province
    from pilkada_risk.scoring.model import RiskModel
    from pilkada_risk.synthetic.demo import load_demo, load_inputs
    from pilkada_risk.synthetic.province import load_province_demo
    from pilkada_risk.synthetic.simulate import (
        SimulationResult,
        simulate_incidents,
    )
    from pilkada_risk.validation.backtest import backtest
    from pilkada_risk.validation.result import BacktestResult
