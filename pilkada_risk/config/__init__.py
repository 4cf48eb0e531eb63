"""Stage 0, configuration: the versioned data files inside the package and their loaders.

Profile (weights, classes, thresholds), incident taxonomy, election calendar and the label catalogue
(id/en). Every later stage reads its settings from here; file, spreadsheet and number helpers
live in :mod:`pilkada_risk.io`.
"""

from pilkada_risk.config.elections import load_elections
from pilkada_risk.config.profile import RiskProfile, load_profile, write_default_profile
from pilkada_risk.config.taxonomy import Taxonomy, load_taxonomy

__all__ = [
    "RiskProfile",
    "Taxonomy",
    "load_elections",
    "load_profile",
    "load_taxonomy",
    "write_default_profile",
]
