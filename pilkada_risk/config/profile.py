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
import shutil
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pilkada_risk.config.paths import package_data

__all__ = ["COMPONENTS", "RiskProfile", "load_profile", "write_default_profile"]

COMPONENTS = ("intensitas", "kekinian", "laju", "limpahan", "struktural", "tren")
PHASES = ("kampanye", "tenang", "pemungutan", "rekapitulasi")
EXPOSURES = ("auto", "dpt", "populasi", "tps", "unit")
SCHEMES = ("relative_mean", "fixed", "quantiles", "fisher_jenks")
WEIGHT_MODES = ("learned", "profile", "count")


@cache
def _default_doc() -> dict[str, Any]:
    with open(package_data("profiles", "default.toml"), "rb") as fh:
        return tomllib.load(fh)


@cache
def taxonomy_codes() -> tuple[str, ...]:
    """Category codes of the shipped ``taxonomy.toml``."""
    with open(package_data("taxonomy.toml"), "rb") as fh:
        return tuple(tomllib.load(fh)["categories"])


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
        """Return a copy of one section (``time``, ``spatial``, ``trend``, ...)."""
        return copy.deepcopy(self.data[name])

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
                    raise ValueError(f"parameter {name}={value!r}: a section needs a dict")
                data[name] = _merge(data[name], dict(value))
            elif "__" in name:
                section, _, key = name.partition("__")
                if section not in data or key not in data.get(section, {}):
                    raise ValueError(f"parameter {name!r}: no key {key!r} in section {section!r}")
                data[section][key] = value
            elif len(leaves.get(name, [])) == 1:
                data[leaves[name][0]][name] = value
            elif name in leaves:
                paths = ", ".join(f"{s}__{name}" for s in leaves[name])
                raise ValueError(f"parameter {name!r} is ambiguous; use one of {paths}")
            else:
                known = ", ".join(sorted(leaves))
                raise ValueError(
                    f"unknown parameter {name!r}; use a section ({', '.join(data)}), "
                    f"section__key, or one of: {known}"
                )
        return RiskProfile(_validate(data, self.source), self.source)


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

    Raises
    ------
    ValueError
        Unknown section, key, category or component (the message lists the known names);
        negative or non-numeric weights; component weights not summing to 1; bad class cut-offs.

    Examples
    --------
    >>> load_profile({"time": {"half_life_days": 180}}).section("time")["half_life_days"]
    180
    >>> load_profile({"components": {"laju": -1}})
    Traceback (most recent call last):
    ...
    ValueError: profile (dict): components.laju = -1: must be >= 0
    """
    if isinstance(path, RiskProfile):
        return path
    default = _default_doc()
    if path is None:
        return RiskProfile(_validate(copy.deepcopy(default), "default"), "default")
    if isinstance(path, Mapping):
        source, over = "dict", copy.deepcopy(dict(path))
    else:
        source = str(path)
        with open(path, "rb") as fh:
            over = tomllib.load(fh)
    _check_known(over, default, source)
    return RiskProfile(_validate(_merge(default, over), source), source)


def write_default_profile(path: str | os.PathLike[str]) -> Path:
    """Copy the shipped default profile (with its comments) to ``path`` for editing.

    Refuses to overwrite an existing file. Returns the written path.
    """
    target = Path(path)
    if target.exists():
        raise FileExistsError(
            f"{target} sudah ada (already exists); pilih nama lain / choose another"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(package_data("profiles", "default.toml"), target)
    return target


def _check_known(over: dict[str, Any], default: dict[str, Any], source: str) -> None:
    for section, body in over.items():
        if section not in default:
            raise ValueError(
                f"profile ({source}): unknown section [{section}]; known: {', '.join(default)}"
            )
        if section in ("severity", "structural") or not isinstance(body, dict):
            continue
        unknown = sorted(set(body) - set(default[section]))
        if unknown:
            what = "component" if section == "components" else "key"
            raise ValueError(
                f"profile ({source}): unknown {what}(s) {unknown} in [{section}]; "
                f"known: {', '.join(default[section])}"
            )


def _number(value: Any, where: str, source: str, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"profile ({source}): {where} = {value!r}: must be a number")
    if value < 0 or (positive and value == 0):
        need = "> 0" if positive else ">= 0"
        raise ValueError(f"profile ({source}): {where} = {value!r}: must be {need}")
    return float(value)


def _validate(data: dict[str, Any], source: str) -> dict[str, Any]:
    comps = data["components"]
    unknown = sorted(set(comps) - set(COMPONENTS))
    if unknown:
        raise ValueError(
            f"profile ({source}): unknown component(s) {unknown}; known: {', '.join(COMPONENTS)}"
        )
    total = sum(_number(comps[k], f"components.{k}", source) for k in COMPONENTS if k != "tren")
    _number(comps["tren"], "components.tren", source)
    if abs(total - 1.0) > 1e-6:
        raise ValueError(
            f"profile ({source}): component weights (all but tren) sum to {total:.4f}; must be 1"
        )
    _check_learning(data["learning"], data["forecast"], source)
    codes = taxonomy_codes()
    unknown = sorted(set(data["severity"]) - set(codes))
    if unknown:
        raise ValueError(
            f"profile ({source}): unknown category(ies) {unknown} in [severity]; "
            f"known: {', '.join(codes)}"
        )
    for code, value in data["severity"].items():
        _number(value, f"severity.{code}", source)
    for phase, value in data["election_emphasis"].items():
        _number(value, f"election_emphasis.{phase}", source)
    _number(data["time"]["half_life_days"], "time.half_life_days", source, positive=True)
    _number(data["time"]["intensity_window_days"], "time.intensity_window_days", source)
    if data["exposure"]["basis"] not in EXPOSURES:
        raise ValueError(
            f"profile ({source}): exposure.basis = {data['exposure']['basis']!r}; "
            f"allowed: {', '.join(EXPOSURES)}"
        )
    _number(data["exposure"]["per"], "exposure.per", source, positive=True)
    fc = data["forecast"]
    if not isinstance(fc["election_uplift"], bool):
        raise ValueError(
            f"profile ({source}): forecast.election_uplift = {fc['election_uplift']!r}; "
            "allowed: true or false"
        )
    _number(fc["uplift_prior"], "forecast.uplift_prior", source, positive=True)
    sp = data["spatial"]
    _number(sp["buffer_m"], "spatial.buffer_m", source)
    for key in ("island_k", "permutations"):
        if not isinstance(sp[key], int) or sp[key] < (1 if key == "island_k" else 0):
            raise ValueError(f"profile ({source}): spatial.{key} = {sp[key]!r}: need an integer")
    for name, fac in data["structural"].get("factors", {}).items():
        _number(fac.get("weight"), f"structural.factors.{name}.weight", source)
        if fac.get("direction") not in (1, -1):
            raise ValueError(
                f"profile ({source}): structural.factors.{name}.direction = "
                f"{fac.get('direction')!r}; allowed: 1 or -1"
            )
    tr = data["trend"]
    for key in ("period_days", "n_periods", "recent_periods"):
        _number(tr[key], f"trend.{key}", source, positive=True)
    if tr["recent_periods"] >= tr["n_periods"]:
        raise ValueError(f"profile ({source}): trend.recent_periods must be < trend.n_periods")
    _check_classes(data["classes"], "classes", source, scheme=True)
    _check_classes(data["ikp"], "ikp", source, scheme=False)
    unc = data["uncertainty"]
    if not isinstance(unc["n_bootstrap"], int) or unc["n_bootstrap"] < 0:
        raise ValueError(f"profile ({source}): uncertainty.n_bootstrap must be an integer >= 0")
    lo, hi = (float(v) for v in unc["interval"])
    if not 0 <= lo < hi <= 100:
        raise ValueError(f"profile ({source}): uncertainty.interval = {unc['interval']!r}")
    if not _number(unc["rank_width_max"], "uncertainty.rank_width_max", source).is_integer():
        raise ValueError(
            f"profile ({source}): uncertainty.rank_width_max = {unc['rank_width_max']!r}: "
            "need a whole number of ranks >= 0, e.g. 2"
        )
    share = _number(unc["rank_width_share"], "uncertainty.rank_width_share", source)
    if share > 1:
        raise ValueError(
            f"profile ({source}): uncertainty.rank_width_share = {share!r}: need a share of "
            "the kecamatan count on 0..1, e.g. 0.01 (1 %)"
        )
    return data


def _check_learning(learn: dict[str, Any], fc: dict[str, Any], source: str) -> None:
    if learn["weights"] not in WEIGHT_MODES:
        raise ValueError(
            f"profile ({source}): learning.weights = {learn['weights']!r}; "
            f"allowed: {', '.join(WEIGHT_MODES)}"
        )
    for key in ("step_days", "max_origins", "min_origins", "validation_origins", "min_train_days"):
        if not isinstance(learn[key], int) or learn[key] < 1:
            raise ValueError(
                f"profile ({source}): learning.{key} = {learn[key]!r}: need an integer >= 1"
            )
    _number(learn["prior_incidents"], "learning.prior_incidents", source, positive=True)
    if not isinstance(fc["horizon_days"], int) or fc["horizon_days"] < 1:
        raise ValueError(
            f"profile ({source}): forecast.horizon_days = {fc['horizon_days']!r}: need an "
            "integer >= 1, e.g. 90"
        )
    if not isinstance(fc["rate_per_exposure"], bool):
        raise ValueError(
            f"profile ({source}): forecast.rate_per_exposure = {fc['rate_per_exposure']!r}; "
            "allowed: true or false"
        )
    halves = list(fc["half_lives_days"])
    if len(halves) != 2 or any(_number(h, "forecast.half_lives_days", source) < 7 for h in halves):
        raise ValueError(
            f"profile ({source}): forecast.half_lives_days = {halves!r}: need two values >= 7 "
            "days (long, short), e.g. [365, 90]"
        )


def _check_classes(sec: dict[str, Any], name: str, source: str, *, scheme: bool) -> None:
    labels_id, labels_en = list(sec["labels_id"]), list(sec["labels_en"])
    if len(labels_id) != len(labels_en) or len(labels_id) < 2:
        raise ValueError(
            f"profile ({source}): {name}.labels_id/labels_en need the same length >= 2"
        )
    if scheme and sec["scheme"] not in SCHEMES:
        raise ValueError(
            f"profile ({source}): {name}.scheme = {sec['scheme']!r}; allowed: {', '.join(SCHEMES)}"
        )
    if scheme and sec["scheme"] == "relative_mean":
        cuts = [_number(c, f"{name}.cutoffs", source, positive=True) for c in sec["cutoffs"]]
        if len(cuts) != len(labels_id) - 1 or cuts != sorted(cuts):
            raise ValueError(
                f"profile ({source}): {name}.cutoffs = {sec['cutoffs']!r}: need "
                f"{len(labels_id) - 1} increasing ratios > 0 to the mean, e.g. [0.67, 1.5]"
            )
    elif not scheme or sec["scheme"] == "fixed":
        cuts = [_number(c, f"{name}.cutoffs", source) for c in sec["cutoffs"]]
        if len(cuts) != len(labels_id) - 1 or cuts != sorted(cuts) or cuts[-1] > 100:
            raise ValueError(
                f"profile ({source}): {name}.cutoffs = {sec['cutoffs']!r}: need "
                f"{len(labels_id) - 1} increasing values on 0..100 (one less than the labels)"
            )
