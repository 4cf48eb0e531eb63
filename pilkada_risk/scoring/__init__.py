"""Stage 3, scoring: the one learned model, :class:`RiskModel`, and the pure functions it composes.

Features, smoothing, spatial weights and local statistics, trends, classes and narratives.
"""

from pilkada_risk.scoring.model import RiskModel

__all__ = ["RiskModel"]
