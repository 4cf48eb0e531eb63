"""Security planning: TPS classes, personnel deployment under a strength limit, cooling system.

Public names: :func:`plan_security` and :class:`SecurityPlan` (also re-exported by
:mod:`pilkada_risk`). See ``docs/rencana.md``.
"""

from __future__ import annotations

from pilkada_risk.planning.plan import SecurityPlan, plan_security

__all__ = ["SecurityPlan", "plan_security"]
