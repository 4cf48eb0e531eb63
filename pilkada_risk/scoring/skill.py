"""The one verdict sentence on the forecast: what the ranking is and how it did on held-out data.

Every output that qualifies a ranking (``score``, ``map``, ``demo``, ``plan``, ``backtest``,
the notebooks and the map's title panel) prints :func:`verdict_sentence` of the skill record
that :class:`pilkada_risk.scoring.model.RiskModel` stores in ``scores.attrs["skill"]``; the
sentence itself is kept in ``scores.attrs["verdict_id"]`` / ``["verdict_en"]``. There is no
second conclusion: the rolling-origin backtest adds detail below it
(:meth:`pilkada_risk.validation.result.BacktestResult.verdict`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from pilkada_risk.config.i18n import check_lang, label
from pilkada_risk.io.number_format import number

__all__ = ["ranking_basis", "skill_record", "verdict_sentence"]


def ranking_basis(skill: Mapping[str, Any], lang: str = "id") -> str:
    """What the ranking is, in one clause ("Peringkat ini = hitungan kejadian ...").

    Examples
    --------
    >>> ranking_basis({"choice": "count_h180", "half_life_days": 180.0})
    'Peringkat ini = hitungan kejadian dengan bobot waktu paruh 180 hari'
    """
    check_lang(lang)
    choice = str(skill.get("choice", "count"))
    if choice.startswith("count_h"):
        half = number(float(skill["half_life_days"]), lang, 0)
        return label("model.putusan_dasar_decayed", lang, paruh=half)
    key = choice if choice in ("count", "learned", "profile") else "count"
    return label(f"model.putusan_dasar_{key}", lang)


def verdict_sentence(skill: Mapping[str, Any] | None, lang: str = "id") -> str:
    """The verdict: the ranking's basis, why it was chosen, and its held-out hit rate.

    ``skill`` is ``scores.attrs["skill"]`` (``None``, from a table of 0.1.x, reads as the
    all-history count on a short history).

    Examples
    --------
    >>> sk = {"choice": "count_h180", "half_life_days": 180.0, "reason": "selected",
    ...       "n_origins": 12, "k": 3, "horizon_days": 90,
    ...       "hit_rate": {"model": 0.45, "all_history": 0.41, "last_period": 0.38},
    ...       "spearman": {"model": 0.72, "all_history": 0.69, "last_period": 0.7}}
    >>> print(verdict_sentence(sk, "en"))  # doctest: +NORMALIZE_WHITESPACE
    This ranking = the incident count with a time-weight half-life of 180 days, chosen as the
    best on this register's last 12 test periods: its top 3 kecamatan caught 45% of the
    incidents of the next 90 days (all-history count 41%, last period 38%; rank correlation
    0.72 vs 0.69 and 0.70).
    """
    check_lang(lang)
    skill = dict(skill or {"choice": "count", "reason": "short_history"})
    choice, reason = str(skill.get("choice", "count")), str(skill.get("reason", "selected"))
    text = ranking_basis(skill, lang)
    n = int(skill.get("n_origins") or 0)
    if reason == "short_history" or not n:
        return text + label("model.putusan_pendek", lang) + "."
    hit, rho = dict(skill.get("hit_rate") or {}), dict(skill.get("spearman") or {})
    if not np.isfinite(float(hit.get("model", float("nan")))):
        # no incident in the test windows (e.g. a forecast date far past the data): nothing to say
        return text + label("model.putusan_tanpa_bukti", lang, n=n) + "."
    if reason == "requested":
        text += label("model.putusan_diminta", lang)
    elif choice == "count":
        text += label("model.putusan_count_tetap", lang, n=n)
    else:
        text += label("model.putusan_terpilih", lang, n=n)
    nan = float("nan")
    fmt = {
        "k": skill.get("k", "?"),
        "hari": skill.get("horizon_days", "?"),
        "model": number(hit.get("model", nan), lang, 0, percent=True),
        "semua": number(hit.get("all_history", nan), lang, 0, percent=True),
        "akhir": number(hit.get("last_period", nan), lang, 0, percent=True),
        "rho_model": number(rho.get("model", nan), lang, 2),
        "rho_semua": number(rho.get("all_history", nan), lang, 2),
        "rho_akhir": number(rho.get("last_period", nan), lang, 2),
    }
    key = "putusan_bukti_count" if choice == "count" else "putusan_bukti"
    return text + label(f"model.{key}", lang, **fmt) + "."


def skill_record(sel: Any, *, tie_margin: float) -> dict[str, Any]:
    """``scores.attrs["skill"]`` of a :class:`~pilkada_risk.scoring.learning.Selection`.

    The held-out comparison (``n_origins``, ``k``, ``hit_rate``/``pai``/``spearman`` of the
    chosen forecast as ``model``, ``all_history``, ``last_period``; ``first_origin``,
    ``last_origin``, ``horizon_days``) when there is one, plus ``choice``, ``runner_up``,
    ``reason``, ``half_life_days``, ``tie_margin``, ``candidates`` (each candidate's held-out
    metric means and gain over the all-history count) and ``verdict_id`` / ``verdict_en``.
    """
    out: dict[str, Any] = dict(sel.skill or {"n_origins": 0})
    out |= {
        "choice": sel.choice,
        "runner_up": sel.runner_up,
        "reason": sel.reason,
        "half_life_days": sel.half_life,
        "tie_margin": float(tie_margin),
        "candidates": {
            name: {k: (None if not np.isfinite(v) else float(v)) for k, v in m.items()}
            for name, m in sel.checks.items()
        },
    }
    for lang in ("id", "en"):
        out[f"verdict_{lang}"] = verdict_sentence(out, lang)
    return out
