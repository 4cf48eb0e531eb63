"""Security planning: TPS classes, personnel deployment under a strength limit, cooling system.

Public names: :func:`plan_security` and :class:`SecurityPlan`, :func:`plan_province` and
:class:`ProvincePlan` (also re-exported by :mod:`pilkada_risk`). See ``docs/rencana.md`` and
``docs/polda.md``.
"""

from __future__ import annotations

from pilkada_risk.planning.plan import SecurityPlan, plan_security
from pilkada_risk.planning.province import ProvincePlan, plan_province

__all__ = ["ProvincePlan", "SecurityPlan", "plan_province", "plan_security"]
