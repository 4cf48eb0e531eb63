"""Plan profiles: the analyst-editable settings of the security plan, kept as TOML data.

A plan profile (``data/profiles/plan.toml``) holds the TPS class rule, the deployment patterns
per class, the cooling-system capacity and windows and the Bawaslu TPS-rawan indicators. It is
separate from the risk profile (:mod:`pilkada_risk.config.profile`) so that editing a deployment
pattern does not change the hash stamped on risk scores; a plan records both hashes.

A risk-profile file of 0.1.0 that still holds ``[tps]`` loads: :func:`load_profile` keeps that
section apart (``RiskProfile.plan_settings``, with a note) and the plan uses it as its plan
settings when no plan profile is given; a plan profile given explicitly wins (with a note).
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pilkada_risk.config._plan_checks import (
    CLASS_RULES,
    COOLING_WINDOWS,
    TPS_CLASSES,
    check_plan,
    target_value,
)
from pilkada_risk.config._profile_checks import _error
from pilkada_risk.config.i18n import label
from pilkada_risk.config.profile import _read_toml, load_profile
from pilkada_risk.io.files import copy_package_file, package_data

__all__ = [
    "CLASS_RULES",
    "COOLING_WINDOWS",
    "TPS_CLASSES",
    "Indicator",
    "Pattern",
    "PlanProfile",
    "load_plan_profile",
    "resolve_plan_profile",
    "target_value",
    "write_default_plan_profile",
]

PLAN_FILE = "plan.toml"


@cache
def _default_doc() -> dict[str, Any]:
    with open(package_data("profiles", PLAN_FILE), "rb") as fh:
        return tomllib.load(fh)


@dataclass(frozen=True)
class Pattern:
    """Deployment pattern of one class: ``polisi`` officers guard ``tps_min``..``tps_max`` TPS."""

    polisi: int
    tps_min: int
    tps_max: int


@dataclass(frozen=True)
class Indicator:
    """One Bawaslu TPS-rawan indicator of the plan profile."""

    key: str
    bobot: float
    kelompok: str
    judul: str
    label_id: str
    label_en: str
    alias: tuple[str, ...]
    kata: tuple[str, ...]


@dataclass(frozen=True)
class PlanProfile:
    """A validated plan profile (use :func:`load_plan_profile`).

    ``data`` is the merged, validated TOML document; ``hash`` the sha256 of its canonical JSON
    dump; ``notes`` what the analyst should know about how it was loaded (e.g. an old risk
    profile's ``[tps]`` used as plan settings).

    Examples
    --------
    >>> p = load_plan_profile()
    >>> len(p.indicators), p.patterns["sangat_rawan"].polisi, p.tps["aturan_kelas"]
    (25, 2, 'poin')
    """

    data: dict[str, Any]
    source: str = "default"
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def hash(self) -> str:
        """sha256 of the canonical JSON dump of the plan profile."""
        dump = json.dumps(self.data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(dump.encode("utf-8")).hexdigest()

    @property
    def version(self) -> int:
        return int(self.data.get("version", 1))

    def to_dict(self) -> dict[str, Any]:
        """A deep copy of the profile as plain Python data."""
        return copy.deepcopy(self.data)

    @property
    def tps(self) -> dict[str, Any]:
        """A copy of the ``[tps]`` section (what the planning functions take)."""
        return copy.deepcopy(self.data["tps"])

    @property
    def patterns(self) -> dict[str, Pattern]:
        return {k: Pattern(**v) for k, v in self.data["tps"]["pola"].items()}

    @property
    def indicators(self) -> dict[str, Indicator]:
        return {
            k: Indicator(
                key=k,
                bobot=float(v["bobot"]),
                kelompok=str(v.get("kelompok", "")),
                judul=str(v.get("judul", k)),
                label_id=str(v.get("label_id", k)),
                label_en=str(v.get("label_en", k)),
                alias=tuple(v.get("alias", [k])),
                kata=tuple(v.get("kata", [])),
            )
            for k, v in self.data["tps"]["indikator"].items()
        }


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and key != "target":
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _check_known(over: dict[str, Any], default: dict[str, Any], source: str) -> None:
    """Unknown sections and keys are errors; indicators may be added, patterns not."""
    for key, value in over.items():
        if key not in default:
            known = ", ".join(default)
            raise _error(source, f"[{key}]", "unknown_section", section=key, known=known)
        if key != "tps" or not isinstance(value, dict):
            continue
        unknown = sorted(set(value) - set(default["tps"]))
        for sub in ("pola", "cooling"):
            extra = set(value.get(sub, {})) - set(default["tps"][sub])
            unknown += [f"{sub}.{k}" for k in sorted(extra)]
        if unknown:
            known = ", ".join(default["tps"])
            raise _error(
                source,
                "[tps]",
                "unknown_keys",
                what="key",
                unknown=unknown,
                section="tps",
                known=known,
            )


def load_plan_profile(
    path: str | os.PathLike[str] | Mapping[str, Any] | PlanProfile | None = None,
) -> PlanProfile:
    """Load and validate a plan profile.

    Parameters
    ----------
    path
        ``None`` for the shipped ``plan.toml``, a TOML file, a dict shaped like it (``{"tps":
        {...}}``) or a :class:`PlanProfile` (returned as is). Files and dicts are merged over
        the shipped profile, so they may hold only the keys they change. A 0.1.0 risk-profile
        file is accepted too: only its ``[tps]`` section is read (with a note).

    Returns
    -------
    PlanProfile

    Raises
    ------
    ValueError
        Unknown key; bad class rule, cut-offs, targets, patterns, cooling or indicator lists
        (the message names the key and what is allowed, in Indonesian and English).

    Examples
    --------
    >>> load_plan_profile({"tps": {"target": {"sangat_rawan": 20}}}).tps["target"]
    {'sangat_rawan': 20}
    >>> from pilkada_risk.errors import ProfileError
    >>> try:
    ...     load_plan_profile({"tps": {"pola": {"rawan": {"tps_min": 5}}}})
    ... except ProfileError as exc:
    ...     print(exc)
    profil (dict): tps.pola.rawan: tps_min harus ≤ tps_max (tps_min must be <= tps_max)
    """
    if isinstance(path, PlanProfile):
        return path
    default = _default_doc()
    if path is None:
        return PlanProfile(check_plan(copy.deepcopy(default), "plan"), "plan")
    notes: tuple[str, ...] = ()
    if isinstance(path, Mapping):
        source, over = "dict", copy.deepcopy(dict(path))
    else:
        source, over = str(path), _read_toml(path)
    if "tps" in over and ("components" in over or "severity" in over or "time" in over):
        over = {"tps": over["tps"]}  # a 0.1.0 risk profile: only its [tps] is plan settings
        notes = (f"{label('profile.legacy_tps', 'id')} ({label('profile.legacy_tps', 'en')})",)
    _check_known(over, default, source)
    return PlanProfile(check_plan(_merge(default, over), source), source, notes)


def resolve_plan_profile(risk_profile: Any, plan_profile: Any) -> PlanProfile:
    """The plan profile a caller meant: ``plan_profile`` if given, else the ``[tps]`` of a
    0.1.0 risk profile (:attr:`RiskProfile.plan_settings`), else the shipped one.

    ``notes`` say when an old ``[tps]`` was used, or ignored because a plan profile was given.
    """

    risk = load_profile(risk_profile) if risk_profile is not None else None
    legacy = risk.plan_settings if risk is not None else None
    if plan_profile is not None:
        plan = load_plan_profile(plan_profile)
        if legacy is None:
            return plan
        key = "profile.legacy_tps_ignored"
        note = f"{label(key, 'id')} ({label(key, 'en')})"
        return PlanProfile(plan.data, plan.source, (*plan.notes, note))
    if legacy is not None:
        plan = load_plan_profile({"tps": legacy})
        key = "profile.legacy_tps"
        return PlanProfile(
            plan.data, risk.source if risk else "", (f"{label(key, 'id')} ({label(key, 'en')})",)
        )
    return load_plan_profile()


def write_default_plan_profile(path: str | os.PathLike[str]) -> Path:
    """Copy the shipped plan profile (with its comments) to ``path`` for editing.

    Refuses to overwrite an existing file. Returns the written path.
    """
    return copy_package_file(("profiles", PLAN_FILE), path)
