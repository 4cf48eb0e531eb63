"""Validation rules of plan profiles (``data/profiles/plan.toml``): what ``[tps]`` may hold.

Private to :mod:`pilkada_risk.config.plan_profile`. Errors name the profile, the key, the value
received and what is allowed, in Indonesian with the English beside it (``labels/profile.toml``).
"""

from __future__ import annotations

import re
from typing import Any

from pilkada_risk.config._profile_checks import _error, _number

#: Class keys of the plan (``[tps.pola]``) in rising order, then TPS khusus.
TPS_CLASSES = ("kurang_rawan", "rawan", "sangat_rawan", "khusus")
#: Class rules (``tps.aturan_kelas``).
CLASS_RULES = ("poin", "target")
#: Stages a cooling-system window may precede (``tps.cooling.jendela``).
COOLING_WINDOWS = ("kampanye", "tenang", "pemungutan", "rekapitulasi")
_SHARE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*%\s*$")


def target_value(value: Any) -> tuple[str, float]:
    """``("n", 20.0)`` for a TPS count, ``("share", 0.1)`` for ``"10%"``; ``ValueError`` else.

    Examples
    --------
    >>> target_value(20), target_value("10 %")
    (('n', 20.0), ('share', 0.1))
    """
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return "n", float(value)
    match = _SHARE.match(str(value)) if isinstance(value, str) else None
    if match and float(match.group(1).replace(",", ".")) <= 100:
        return "share", float(match.group(1).replace(",", ".")) / 100.0
    raise ValueError(value)


def _whole(value: Any, where: str, source: str, least: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise _error(source, where, "integer_min", value, min=least)


def check_plan(data: dict[str, Any], source: str) -> dict[str, Any]:
    """Validate a merged plan profile document; return it."""
    sec = data["tps"]
    if sec["aturan_kelas"] not in CLASS_RULES:
        raise _error(
            source,
            "tps.aturan_kelas",
            "allowed",
            sec["aturan_kelas"],
            allowed=", ".join(CLASS_RULES),
        )
    for key in ("kecamatan_max", "desa_pemilu_weight", "desa_other_weight", "desa_max"):
        _number(sec[key], f"tps.{key}", source)
    for key in ("desa_stage_factor", "risk_per_point", "linmas_per_tps", "tni_per_tps"):
        _number(sec[key], f"tps.{key}", source)
    cuts = [_number(c, "tps.cutoffs", source) for c in sec["cutoffs"]]
    if len(cuts) != 2 or cuts[0] >= cuts[1]:
        raise _error(source, "tps.cutoffs", "tps_cutoffs", sec["cutoffs"])
    _whole(sec["dpt_batas_kpu"], "tps.dpt_batas_kpu", source, 1)
    _whole(sec["dpt_maks"], "tps.dpt_maks", source, sec["dpt_batas_kpu"])
    for name, value in sec["target"].items():
        if name not in ("rawan", "sangat_rawan"):
            raise _error(source, f"tps.target.{name}", "target_class")
        try:
            target_value(value)
        except ValueError:
            raise _error(source, f"tps.target.{name}", "target_value", value) from None
    reserve = sec["cadangan_min_kecamatan"]
    if isinstance(reserve, bool) or not isinstance(reserve, int) or reserve < 0:
        raise _error(
            source,
            "tps.cadangan_min_kecamatan",
            "whole_count",
            reserve,
            what_id="personel",
            what_en="officers",
            example=2,
        )
    _check_patterns(sec["pola"], source)
    for key in ("tim", "hari", "kunjungan_per_hari", "hari_sebelum"):
        _whole(sec["cooling"][key], f"tps.cooling.{key}", source, 1)
    windows = sec["cooling"]["jendela"]
    if not isinstance(windows, list) or not windows or set(windows) - set(COOLING_WINDOWS):
        allowed = ", ".join(COOLING_WINDOWS)
        raise _error(source, "tps.cooling.jendela", "allowed", windows, allowed=allowed)
    _check_indicators(sec["indikator"], source)
    return data


def _check_patterns(pola: dict[str, Any], source: str) -> None:
    missing = [k for k in TPS_CLASSES if k not in pola]
    if missing:
        raise _error(source, "[tps.pola]", "pola_missing", missing=missing)
    for name, spec in pola.items():
        where = f"tps.pola.{name}"
        values = [spec.get(k) for k in ("polisi", "tps_min", "tps_max")]
        if any(isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in values):
            raise _error(source, where, "pola_values", spec)
        if values[1] > values[2]:
            raise _error(source, where, "tps_min_max")


def _check_indicators(spec: dict[str, Any], source: str) -> None:
    for name, ind in spec.items():
        _number(ind.get("bobot"), f"tps.indikator.{name}.bobot", source)
        for key in ("alias", "kata"):
            words = ind.get(key, [])
            if not isinstance(words, list) or not all(isinstance(a, str) for a in words):
                raise _error(source, f"tps.indikator.{name}.{key}", "alias_list", words)
