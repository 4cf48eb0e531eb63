"""Stage 0, configuration: the versioned data files inside the package and their loaders.

Risk profile (weights, classes, thresholds), plan profile (TPS classes, patterns, cooling),
incident taxonomy, election calendar and the label catalogue (id/en). Every later stage reads its
settings from here; file, spreadsheet and number helpers live in :mod:`pilkada_risk.io`.
"""

from pilkada_risk.config.elections import load_elections
from pilkada_risk.config.plan_profile import (
    PlanProfile,
    load_plan_profile,
    write_default_plan_profile,
)
from pilkada_risk.config.profile import RiskProfile, load_profile, write_default_profile
from pilkada_risk.config.taxonomy import Taxonomy, load_taxonomy

__all__ = [
    "PlanProfile",
    "RiskProfile",
    "Taxonomy",
    "load_elections",
    "load_plan_profile",
    "load_profile",
    "load_taxonomy",
    "write_default_plan_profile",
    "write_default_profile",
]
