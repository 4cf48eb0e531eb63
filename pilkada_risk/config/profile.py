"""Risk profiles: the analyst-editable configuration of the risk score, kept as TOML data.

A profile holds category severity weights, component weights, the recency half-life, election
emphasis, the election uplift of expected counts, exposure, spatial, structural, trend, class and
uncertainty settings. The shipped ``data/profiles/default.toml`` documents every choice; an
analyst's copy is merged over it, so a copy may hold only the keys it changes.
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

from pilkada_risk.config import sections
from pilkada_risk.config._plan_checks import TPS_CLASSES
from pilkada_risk.config._profile_checks import (
    COMPONENTS,
    EXPOSURES,
    PHASES,
    SCHEMES,
    WEIGHT_MODES,
    _error,
    check_known,
    taxonomy_codes,
    validate,
)
from pilkada_risk.config.i18n import label
from pilkada_risk.io.files import copy_package_file, package_data

__all__ = [
    "COMPONENTS",
    "EXPOSURES",
    "PHASES",
    "SCHEMES",
    "TPS_CLASSES",
    "WEIGHT_MODES",
    "RiskProfile",
    "load_profile",
    "taxonomy_codes",
    "write_default_profile",
]


@cache
def _default_doc() -> dict[str, Any]:
    with open(package_data("profiles", "default.toml"), "rb") as fh:
        return tomllib.load(fh)


@dataclass(frozen=True)
class RiskProfile:
    """A validated risk profile.

    Use :func:`load_profile` to build one. ``data`` is the merged, validated TOML document;
    ``hash`` is the sha256 of its canonical JSON dump (sorted keys), so two profiles with the
    same content have the same hash whatever their key order or comments.

    Examples
    --------
    >>> p = load_profile()
    >>> round(sum(v for k, v in p.component_weights.items() if k != "tren"), 6)
    1.0
    >>> p.severity["pembunuhan"]
    4.0
    """

    data: dict[str, Any]
    source: str = field(default="default")
    #: ``[tps]`` of a 0.1.0 profile file (plan settings, kept out of ``data`` and the hash).
    plan_settings: dict[str, Any] | None = field(default=None, compare=False)
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def hash(self) -> str:
        """sha256 of the canonical JSON dump of the profile."""
        dump = json.dumps(self.data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(dump.encode("utf-8")).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        """Return a deep copy of the profile as plain Python data."""
        return copy.deepcopy(self.data)

    @property
    def component_weights(self) -> dict[str, float]:
        return {k: float(self.data["components"][k]) for k in COMPONENTS}

    @property
    def severity(self) -> dict[str, float]:
        return {k: float(v) for k, v in self.data["severity"].items()}

    def section(self, name: str) -> dict[str, Any]:
        """Return a copy of one section (``time``, ``spatial``, ``trend``, ...).

        Code reads the risk-profile sections through the typed views below
        (``profile.forecast.horizon_days``); ``section`` stays for plain-dict access.
        """
        return copy.deepcopy(self.data[name])

    # typed views of the sections (config/sections.py), built on first access
    learning = sections.SectionView(sections.Learning)
    forecast = sections.SectionView(sections.Forecast)
    exposure = sections.SectionView(sections.Exposure)
    spatial = sections.SectionView(sections.Spatial)
    structural = sections.SectionView(sections.Structural)
    trend = sections.SectionView(sections.Trend)
    classes = sections.SectionView(sections.ClassRule)
    ikp = sections.SectionView(sections.Classes)
    uncertainty = sections.SectionView(sections.Uncertainty)
    sufficiency = sections.SectionView(sections.Sufficiency)

    def with_overrides(self, **params: Any) -> RiskProfile:
        """Return a new profile with ``params`` applied, validated.

        A parameter is either a section name with a dict (merged into that section), a
        ``section__key`` path, or a key name that occurs in exactly one section
        (``half_life_days=180``, ``n_bootstrap=50``, ``permutations=99``).
        """
        if not params:
            return self
        data = self.to_dict()
        leaves = _leaf_index(data)
        for name, value in params.items():
            if name in data and isinstance(data[name], dict):
                if not isinstance(value, Mapping):
                    raise _error(self.source, f"parameter {name}", "param_section_dict", value)
                data[name] = _merge(data[name], dict(value))
            elif "__" in name:
                section, _, key = name.partition("__")
                if section not in data or key not in data.get(section, {}):
                    where = f"parameter {name!r}"
                    raise _error(self.source, where, "param_no_key", key=key, section=section)
                data[section][key] = value
            elif len(leaves.get(name, [])) == 1:
                data[leaves[name][0]][name] = value
            elif name in leaves:
                paths = ", ".join(f"{s}__{name}" for s in leaves[name])
                raise _error(self.source, f"parameter {name!r}", "param_ambiguous", paths=paths)
            else:
                raise _error(
                    self.source,
                    f"parameter {name!r}",
                    "param_unknown",
                    sections=", ".join(data),
                    known=", ".join(sorted(leaves)),
                )
        return RiskProfile(validate(data, self.source), self.source, self.plan_settings, self.notes)


def _leaf_index(data: dict[str, Any]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for section, body in data.items():
        if isinstance(body, dict) and section not in ("severity", "components", "structural"):
            for key in body:
                index.setdefault(key, []).append(section)
    return index


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def load_profile(
    path: str | os.PathLike[str] | Mapping[str, Any] | RiskProfile | None = None,
) -> RiskProfile:
    """Load and validate a risk profile.

    Parameters
    ----------
    path
        ``None`` for the shipped default, a TOML file path, a dict shaped like the TOML
        document, or a :class:`RiskProfile` (returned as is). Files and dicts are merged over
        the default, so they may hold only the keys they change.

    Returns
    -------
    RiskProfile

    Notes
    -----
    A 0.1.0 profile file may still hold the plan's ``[tps]`` tables: they are kept apart in
    ``plan_settings`` (not in ``data``, so not in the hash) with a note in ``notes``, and
    :func:`pilkada_risk.plan_security` uses them as plan settings when no plan profile is given
    (:func:`pilkada_risk.config.plan_profile.load_plan_profile`).

    Raises
    ------
    ProfileError
        (a ``ValueError``) Unknown section, key, category or component (the message lists the
        known names); negative or non-numeric weights; component weights not summing to 1; bad
        class cut-offs.

    Examples
    --------
    >>> load_profile({"time": {"half_life_days": 180}}).section("time")["half_life_days"]
    180
    >>> load_profile({"components": {"laju": -1}})
    Traceback (most recent call last):
    ...
    pilkada_risk.errors.ProfileError: profil (dict): components.laju = -1: harus ≥ 0 (must be >= 0)
    """
    if isinstance(path, RiskProfile):
        return path
    default = _default_doc()
    if path is None:
        return RiskProfile(validate(copy.deepcopy(default), "default"), "default")
    if isinstance(path, Mapping):
        source, over = "dict", copy.deepcopy(dict(path))
    else:
        source, over = str(path), _read_toml(path)
    legacy, notes = over.pop("tps", None), tuple[str, ...]()
    if legacy is not None:
        notes = (f"{label('profile.legacy_tps', 'id')} ({label('profile.legacy_tps', 'en')})",)
    check_known(over, default, source)
    return RiskProfile(validate(_merge(default, over), source), source, legacy, notes)


def _read_toml(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The analyst's profile file; a missing or malformed file is a plain-words error."""
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise _error(str(path), "berkas", "file_missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise _error(str(path), "berkas", "file_not_toml", why=str(exc)) from None


def write_default_profile(path: str | os.PathLike[str]) -> Path:
    """Copy the shipped default profile (with its comments) to ``path`` for editing.

    Refuses to overwrite an existing file. Returns the written path.
    """
    return copy_package_file(("profiles", "default.toml"), path)
