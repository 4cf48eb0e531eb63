"""Stage 0, configuration: the versioned data files inside the package and their loaders.

Risk profile (weights, classes, thresholds), plan profile (TPS classes, patterns, cooling),
incident taxonomy, election calendar, the label catalogue (id/en) and filesystem locations.
Every later stage reads its settings from here.
"""

from pilkada_risk.config.elections import election_phase, load_elections
from pilkada_risk.config.i18n import LANGS, check_lang, label
from pilkada_risk.config.plan_profile import (
    PlanProfile,
    load_plan_profile,
    write_default_plan_profile,
)
from pilkada_risk.config.profile import RiskProfile, load_profile, write_default_profile
from pilkada_risk.config.taxonomy import Taxonomy, load_taxonomy

__all__ = [
    "LANGS",
    "PlanProfile",
    "RiskProfile",
    "Taxonomy",
    "check_lang",
    "election_phase",
    "label",
    "load_elections",
    "load_plan_profile",
    "load_profile",
    "load_taxonomy",
    "write_default_plan_profile",
    "write_default_profile",
]
