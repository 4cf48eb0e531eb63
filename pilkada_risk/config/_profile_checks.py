"""Validation rules of risk profiles: what each section of a profile may hold.

Private to :mod:`pilkada_risk.config.profile`, which re-exports the constants. Every error names
the profile, the key, the value received and what is allowed.
"""

from __future__ import annotations

import tomllib
from functools import cache
from typing import Any

from pilkada_risk.config.paths import package_data

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


def check_known(over: dict[str, Any], default: dict[str, Any], source: str) -> None:
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


def validate(data: dict[str, Any], source: str) -> dict[str, Any]:
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
    _check_tps(data["tps"], source)
    _check_sufficiency(data["sufficiency"], source)
    return data


def _check_sufficiency(suf: dict[str, Any], source: str) -> None:
    """``[sufficiency]``: counts are whole numbers >= 0, shares lie on 0..1."""
    for key in ("min_incidents", "min_incidents_spatial"):
        if not _number(suf[key], f"sufficiency.{key}", source).is_integer():
            raise ValueError(
                f"profile ({source}): sufficiency.{key} = {suf[key]!r}: need a whole number "
                "of incidents >= 0, e.g. 30"
            )
    _number(suf["min_per_kecamatan_year"], "sufficiency.min_per_kecamatan_year", source)
    shares = ("min_kecamatan_share", "max_quarantine_share", "min_stable_share")
    for key in (*shares, "max_outside_share"):
        if _number(suf[key], f"sufficiency.{key}", source) > 1:
            raise ValueError(
                f"profile ({source}): sufficiency.{key} = {suf[key]!r}: need a share on 0..1, "
                "e.g. 0.5"
            )


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


# --- [tps]: TPS classes, deployment patterns, cooling system (pilkada_risk.planning) -------------
TPS_CLASSES = ("kurang_rawan", "rawan", "sangat_rawan", "khusus")


def _check_tps(sec: dict[str, Any], source: str) -> None:
    """Validate the ``[tps]`` section (see the comments in ``default.toml``)."""
    for key in ("kecamatan_max", "desa_pemilu_weight", "desa_other_weight", "desa_max"):
        _number(sec[key], f"tps.{key}", source)
    for key in ("desa_stage_factor", "risk_per_point", "linmas_per_tps", "tni_per_tps"):
        _number(sec[key], f"tps.{key}", source)
    cuts = [_number(c, "tps.cutoffs", source) for c in sec["cutoffs"]]
    if len(cuts) != 2 or cuts[0] >= cuts[1]:
        raise ValueError(
            f"profile ({source}): tps.cutoffs = {sec['cutoffs']!r}: need two increasing point "
            "values, e.g. [4.5, 5.9] (rawan from the first, sangat rawan from the second)"
        )
    reserve = sec["cadangan_min_kecamatan"]
    if isinstance(reserve, bool) or not isinstance(reserve, int) or reserve < 0:
        raise ValueError(
            f"profile ({source}): tps.cadangan_min_kecamatan = {reserve!r}: need a whole number "
            "of officers >= 0, e.g. 2"
        )
    missing = [k for k in TPS_CLASSES if k not in sec["pola"]]
    if missing:
        raise ValueError(f"profile ({source}): [tps.pola] lacks class(es) {missing}")
    for name, pola in sec["pola"].items():
        where = f"tps.pola.{name}"
        values = [pola.get(k) for k in ("polisi", "tps_min", "tps_max")]
        if any(isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in values):
            raise ValueError(
                f"profile ({source}): {where} = {pola!r}: polisi, tps_min and tps_max must be "
                "whole numbers >= 1, e.g. {{polisi = 2, tps_min = 2, tps_max = 4}}"
            )
        if values[1] > values[2]:
            raise ValueError(f"profile ({source}): {where}: tps_min must be <= tps_max")
    for key in ("tim", "hari", "kunjungan_per_hari", "hari_sebelum"):
        value = sec["cooling"][key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(
                f"profile ({source}): tps.cooling.{key} = {value!r}: need a whole number >= 1"
            )
    for name, ind in sec["indikator"].items():
        _number(ind.get("bobot"), f"tps.indikator.{name}.bobot", source)
        aliases = ind.get("alias", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ValueError(
                f"profile ({source}): tps.indikator.{name}.alias = {aliases!r}: need a list of "
                "header names"
            )
