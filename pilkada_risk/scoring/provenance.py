"""Lineage of a score table: what was scored, how, and how well (``scores.attrs`` is a copy)."""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Provenance"]


@dataclass(frozen=True)
class Provenance:
    """Everything a score table needs to be reproduced and judged.

    :meth:`as_attrs` gives the dict stored in ``scores.attrs`` (a deep copy, same keys as the
    fields). ``weights_mode`` is ``learned``, ``count``, ``decayed_count`` or ``profile``,
    ``weights_reason`` says why and ``forecast_choice`` names the candidate chosen
    (:class:`pilkada_risk.scoring.learning.Selection`); ``skill`` is the choice and the
    register's own held-out evidence (:func:`pilkada_risk.scoring.skill.skill_record`);
    ``verdict_id`` / ``verdict_en`` is the one verdict sentence every output shows
    (``skill_note_<lang>`` is the same sentence, the 0.1.x name).
    """

    profile: dict[str, Any]
    profile_hash: str
    as_of: str
    kab_kode: str
    kab_nama: str
    source_sha256: str
    source_name: str
    synthetic: bool
    n_incidents: int
    software_version: str
    boundary_source: dict[str, Any]
    spatial_note: str
    exposure_basis: str
    horizon_days: int
    weights_used: dict[str, float]
    weights_mode: str
    weights_reason: str
    weights_learned: dict[str, float] | None
    weights_profile: dict[str, float]
    forecast_choice: str
    skill: dict[str, Any] | None
    verdict_id: str
    verdict_en: str
    skill_note_id: str
    skill_note_en: str
    class_rule: str
    structural_notes: list[str]
    method_note_id: str
    method_note_en: str
    election_uplift: dict[str, float]
    extra: dict[str, Any] = field(default_factory=dict)

    def as_attrs(self) -> dict[str, Any]:
        """A deep copy as a plain dict (``extra`` merged in at the top level)."""
        out = copy.deepcopy(asdict(self))
        return {**out.pop("extra"), **out}
