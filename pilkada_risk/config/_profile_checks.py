"""Validation rules of risk profiles: what each section of a profile may hold.

Private to :mod:`pilkada_risk.config.profile`, which re-exports the constants. Every error names
the profile, the key, the value received and what is allowed, in Indonesian with the English
beside it (``labels/profile.toml``).
"""

from __future__ import annotations

import tomllib
from functools import cache
from typing import Any

from pilkada_risk.config.i18n import label
from pilkada_risk.errors import ProfileError
from pilkada_risk.io.files import package_data

COMPONENTS = ("intensitas", "kekinian", "laju", "limpahan", "struktural", "tren")
PHASES = ("kampanye", "tenang", "pemungutan", "rekapitulasi")
EXPOSURES = ("auto", "dpt", "populasi", "tps", "unit")
SCHEMES = ("relative_mean", "fixed", "quantiles", "fisher_jenks")
WEIGHT_MODES = ("learned", "profile", "count")


@cache
def taxonomy_codes() -> tuple[str, ...]:
    """Category codes of the shipped ``taxonomy.toml``."""
    with open(package_data("taxonomy.toml"), "rb") as fh:
        return tuple(tomllib.load(fh)["categories"])


_NO_VALUE = object()


def _error(
    source: str, where: str, msg: str, value: Any = _NO_VALUE, /, **fmt: Any
) -> ProfileError:
    """``profil (<source>): <where> = <value>: <Indonesian> (<English>)`` (``profile.<msg>``)."""
    head = f"profil ({source}): {where}" + ("" if value is _NO_VALUE else f" = {value!r}")
    said = label(f"profile.{msg}", "id", **fmt), label(f"profile.{msg}", "en", **fmt)
    return ProfileError(f"{head}: {said[0]} ({said[1]})")


def check_known(over: dict[str, Any], default: dict[str, Any], source: str) -> None:
    for section, body in over.items():
        if section not in default:
            raise _error(
                source, f"[{section}]", "unknown_section", section=section, known=", ".join(default)
            )
        if section in ("severity", "structural") or not isinstance(body, dict):
            continue
        unknown = sorted(set(body) - set(default[section]))
        if unknown:
            what = "component" if section == "components" else "key"
            known = ", ".join(default[section])
            raise _error(
                source,
                f"[{section}]",
                "unknown_keys",
                what=what,
                unknown=unknown,
                section=section,
                known=known,
            )


def _number(value: Any, where: str, source: str, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _error(source, where, "not_a_number", value)
    if value < 0 or (positive and value == 0):
        raise _error(source, where, "not_positive" if positive else "not_negative", value)
    return float(value)


def validate(data: dict[str, Any], source: str) -> dict[str, Any]:
    comps = data["components"]
    unknown = sorted(set(comps) - set(COMPONENTS))
    if unknown:
        known = ", ".join(COMPONENTS)
        raise _error(source, "[components]", "unknown_components", unknown=unknown, known=known)
    total = sum(_number(comps[k], f"components.{k}", source) for k in COMPONENTS if k != "tren")
    _number(comps["tren"], "components.tren", source)
    if abs(total - 1.0) > 1e-6:
        raise _error(source, "[components]", "weights_sum", total=f"{total:.4f}")
    _check_learning(data["learning"], data["forecast"], source)
    codes = taxonomy_codes()
    unknown = sorted(set(data["severity"]) - set(codes))
    if unknown:
        raise _error(
            source, "[severity]", "unknown_categories", unknown=unknown, known=", ".join(codes)
        )
    for code, value in data["severity"].items():
        _number(value, f"severity.{code}", source)
    for phase, value in data["election_emphasis"].items():
        _number(value, f"election_emphasis.{phase}", source)
    _number(data["time"]["half_life_days"], "time.half_life_days", source, positive=True)
    _number(data["time"]["intensity_window_days"], "time.intensity_window_days", source)
    if data["exposure"]["basis"] not in EXPOSURES:
        basis = data["exposure"]["basis"]
        raise _error(source, "exposure.basis", "allowed", basis, allowed=", ".join(EXPOSURES))
    _number(data["exposure"]["per"], "exposure.per", source, positive=True)
    fc = data["forecast"]
    if not isinstance(fc["election_uplift"], bool):
        raise _error(
            source,
            "forecast.election_uplift",
            "allowed",
            fc["election_uplift"],
            allowed="true, false",
        )
    _number(fc["uplift_prior"], "forecast.uplift_prior", source, positive=True)
    sp = data["spatial"]
    _number(sp["buffer_m"], "spatial.buffer_m", source)
    for key in ("island_k", "permutations"):
        if not isinstance(sp[key], int) or sp[key] < (1 if key == "island_k" else 0):
            least = 1 if key == "island_k" else 0
            raise _error(source, f"spatial.{key}", "integer_min", sp[key], min=least)
    for name, fac in data["structural"].get("factors", {}).items():
        _number(fac.get("weight"), f"structural.factors.{name}.weight", source)
        if fac.get("direction") not in (1, -1):
            where = f"structural.factors.{name}.direction"
            raise _error(source, where, "allowed", fac.get("direction"), allowed="1, -1")
    tr = data["trend"]
    for key in ("period_days", "n_periods", "recent_periods"):
        _number(tr[key], f"trend.{key}", source, positive=True)
    if tr["recent_periods"] >= tr["n_periods"]:
        raise _error(source, "[trend]", "recent_periods")
    _check_classes(data["classes"], "classes", source, scheme=True)
    _check_classes(data["ikp"], "ikp", source, scheme=False)
    unc = data["uncertainty"]
    if not isinstance(unc["n_bootstrap"], int) or unc["n_bootstrap"] < 0:
        where = "uncertainty.n_bootstrap"
        raise _error(source, where, "integer_min", unc["n_bootstrap"], min=0)
    lo, hi = (float(v) for v in unc["interval"])
    if not 0 <= lo < hi <= 100:
        raise _error(source, "uncertainty.interval", "interval", unc["interval"])
    if not _number(unc["rank_width_max"], "uncertainty.rank_width_max", source).is_integer():
        raise _error(
            source,
            "uncertainty.rank_width_max",
            "whole_count",
            unc["rank_width_max"],
            what_id="peringkat",
            what_en="ranks",
            example=2,
        )
    share = _number(unc["rank_width_share"], "uncertainty.rank_width_share", source)
    if share > 1:
        raise _error(source, "uncertainty.rank_width_share", "rank_share", share)
    _check_sufficiency(data["sufficiency"], source)
    return data


def _check_sufficiency(suf: dict[str, Any], source: str) -> None:
    """``[sufficiency]``: counts are whole numbers >= 0, shares lie on 0..1."""
    for key in ("min_incidents", "min_incidents_spatial"):
        if not _number(suf[key], f"sufficiency.{key}", source).is_integer():
            raise _error(
                source,
                f"sufficiency.{key}",
                "whole_count",
                suf[key],
                what_id="kejadian",
                what_en="incidents",
                example=30,
            )
    _number(suf["min_per_kecamatan_year"], "sufficiency.min_per_kecamatan_year", source)
    shares = ("min_kecamatan_share", "max_quarantine_share", "min_stable_share")
    for key in (*shares, "max_outside_share"):
        if _number(suf[key], f"sufficiency.{key}", source) > 1:
            raise _error(source, f"sufficiency.{key}", "share", suf[key], example=0.5)


def _check_learning(learn: dict[str, Any], fc: dict[str, Any], source: str) -> None:
    if learn["weights"] not in WEIGHT_MODES:
        allowed = ", ".join(WEIGHT_MODES)
        raise _error(source, "learning.weights", "allowed", learn["weights"], allowed=allowed)
    for key in ("step_days", "max_origins", "min_origins", "validation_origins", "min_train_days"):
        if not isinstance(learn[key], int) or learn[key] < 1:
            raise _error(source, f"learning.{key}", "integer_min", learn[key], min=1)
    _number(learn["prior_incidents"], "learning.prior_incidents", source, positive=True)
    grid = learn["count_half_lives_days"]
    if not isinstance(grid, list) or any(
        _number(h, "learning.count_half_lives_days", source) < 7 for h in grid
    ):
        raise _error(source, "learning.count_half_lives_days", "half_life_grid", grid)
    _number(learn["tie_margin"], "learning.tie_margin", source)
    if not isinstance(fc["horizon_days"], int) or fc["horizon_days"] < 1:
        raise _error(source, "forecast.horizon_days", "integer_min", fc["horizon_days"], min=1)
    if not isinstance(fc["rate_per_exposure"], bool):
        raise _error(
            source,
            "forecast.rate_per_exposure",
            "allowed",
            fc["rate_per_exposure"],
            allowed="true, false",
        )
    halves = list(fc["half_lives_days"])
    if len(halves) != 2 or any(_number(h, "forecast.half_lives_days", source) < 7 for h in halves):
        raise _error(source, "forecast.half_lives_days", "half_lives", halves)


def _check_classes(sec: dict[str, Any], name: str, source: str, *, scheme: bool) -> None:
    labels_id, labels_en = list(sec["labels_id"]), list(sec["labels_en"])
    if len(labels_id) != len(labels_en) or len(labels_id) < 2:
        raise _error(source, f"[{name}]", "labels_length")
    if scheme and sec["scheme"] not in SCHEMES:
        raise _error(source, f"{name}.scheme", "allowed", sec["scheme"], allowed=", ".join(SCHEMES))
    if scheme and sec["scheme"] == "relative_mean":
        cuts = [_number(c, f"{name}.cutoffs", source, positive=True) for c in sec["cutoffs"]]
        if len(cuts) != len(labels_id) - 1 or cuts != sorted(cuts):
            n = len(labels_id) - 1
            raise _error(source, f"{name}.cutoffs", "ratio_cutoffs", sec["cutoffs"], n=n)
    elif not scheme or sec["scheme"] == "fixed":
        cuts = [_number(c, f"{name}.cutoffs", source) for c in sec["cutoffs"]]
        if len(cuts) != len(labels_id) - 1 or cuts != sorted(cuts) or cuts[-1] > 100:
            n = len(labels_id) - 1
            raise _error(source, f"{name}.cutoffs", "score_cutoffs", sec["cutoffs"], n=n)
