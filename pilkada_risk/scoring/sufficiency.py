"""Data sufficiency: do the incidents carry enough information for the scores to be acted on?

A pure rule on the score table, the incidents and the intake counts, configured in the
profile's ``[sufficiency]`` section (see ``docs/peta.md``). The scores are *sufficient* when all
of these hold (defaults in brackets):

* at least ``min_incidents`` incidents were used [30];
* at least ``min_per_kecamatan_year`` incidents per kecamatan per year of data [1.0] (the
  period runs from the first incident to ``as_of`` and counts as at least one year);
* at least ``min_kecamatan_share`` of the kecamatan have an incident [0.5];
* at most ``max_quarantine_share`` of the register's rows were quarantined at intake [0.5]
  (only when the intake counts are known, see :func:`pilkada_risk.intake.coverage.note_coverage`);
* at least ``min_stable_share`` of the kecamatan have a stable rank [0.1].

Gi* and LISA labels are given only from ``min_incidents_spatial`` incidents on [30]
(:func:`mask_spatial_labels`); below it they read ``tidak_dihitung``.

Each failing rule yields one plain-language sentence in Bahasa Indonesia
(``attrs.data_warnings``) and English (``attrs.data_warnings_en``); intake warnings such as
a register of another kabupaten (``incidents.attrs.intake["data_warnings"]``) come first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from pilkada_risk.config.i18n import label
from pilkada_risk.config.sections import Sufficiency
from pilkada_risk.io.number_format import number

__all__ = ["NOT_COMPUTED", "assess_sufficiency", "mask_spatial_labels", "warning_lines"]

#: ``gi_label``/``lisa_label`` below ``[sufficiency] min_incidents_spatial`` incidents.
NOT_COMPUTED = "tidak_dihitung"
_LANGS = ("id", "en")
_WARN_KEYS = {"id": "data_warnings", "en": "data_warnings_en"}


def mask_spatial_labels(
    table: pd.DataFrame, n_incidents: int, settings: Sufficiency
) -> pd.DataFrame:
    """``table`` with ``gi_label``/``lisa_label`` :data:`NOT_COMPUTED` when too few incidents.

    A copy; unchanged when ``n_incidents >= settings.min_incidents_spatial``.

    >>> t = pd.DataFrame({"gi_label": ["hotspot"], "lisa_label": ["HH"]})
    >>> from pilkada_risk.config.profile import load_profile
    >>> mask_spatial_labels(t, 3, load_profile().sufficiency)["gi_label"].tolist()
    ['tidak_dihitung']
    """
    out = table.copy()
    if n_incidents < settings.min_incidents_spatial:
        for col in ("gi_label", "lisa_label"):
            if col in out.columns:
                out[col] = NOT_COMPUTED
    return out


def _years(incidents: pd.DataFrame, as_of: Any) -> tuple[float, str]:
    dates = pd.to_datetime(incidents.tanggal, errors="coerce").dropna()
    end = pd.Timestamp(as_of).normalize()
    dates = dates[dates < end]
    if dates.empty:
        return 1.0, ""
    first = dates.min().normalize()
    return max((end - first).days / 365.25, 1.0), first.date().isoformat()


def _placement(incidents: pd.DataFrame) -> dict[str, int]:
    if "lokasi_presisi" not in incidents.columns:
        return {}
    presisi = incidents.lokasi_presisi.astype(str)
    return {"n_point": int((presisi == "point").sum()), "n_name": int((presisi != "point").sum())}


def _check(key: str, failed: bool, fmt: dict[str, Any], out: dict[str, list[str]]) -> None:
    if failed:
        for lang in _LANGS:
            params = {k: v(lang) if callable(v) else v for k, v in fmt.items()}
            out[lang].append(label(f"sufficiency.{key}", lang, **params))


def _share(
    key: str,
    n: int,
    total: int,
    limit: float,
    out: dict[str, list[str]],
    *,
    at_most: bool = False,
) -> None:
    """Rule ``key``: the share ``n / total`` is at least (or ``at_most``) ``limit``."""
    share = n / total if total else 0.0
    failed = share > limit if at_most else share < limit
    fmt: dict[str, Any] = {
        "n": lambda lg: number(n, lg, 0),
        "total": lambda lg: number(total, lg, 0),
        "share": lambda lg: number(share, lg, 0, percent=True),
        "max" if at_most else "min": lambda lg: number(limit, lg, 0, percent=True),
    }
    _check(key, failed, fmt, out)


def assess_sufficiency(
    scores: pd.DataFrame,
    incidents: pd.DataFrame,
    *,
    as_of: Any,
    settings: Sufficiency,
) -> dict[str, Any]:
    """Decide whether ``scores`` rest on enough data; return the attrs to add to the scores.

    Parameters
    ----------
    scores : DataFrame
        One row per kecamatan with ``n_kejadian`` and ``peringkat_stabil`` (``gi_label``
        optional: :data:`NOT_COMPUTED` there adds the "no hotspots" warning).
    incidents : DataFrame
        The incidents given to the model (``tanggal``; ``lokasi_presisi`` and
        ``attrs.intake`` from :func:`~pilkada_risk.intake.incidents.read_incidents` if known).
    as_of : date-like
        The scores' ``as_of`` (end of the data period).
    settings : Sufficiency
        The profile's ``[sufficiency]`` section (``profile.sufficiency``).

    Returns
    -------
    dict
        ``data_sufficient`` (bool), ``data_warnings`` (list of str, Bahasa Indonesia),
        ``data_warnings_en`` (list of str) and ``data_basis`` (what the scores rest on:
        ``n_incidents``, ``period_start``, ``as_of``, ``n_read``, ``n_quarantine``,
        ``n_point``, ``n_name``, ``spatial_computed``).
    """
    n_units = max(len(scores), 1)
    n_used = int(pd.to_numeric(scores.n_kejadian).sum())
    years, start = _years(incidents, as_of)
    intake = dict(incidents.attrs.get("intake") or {})
    warn: dict[str, list[str]] = {
        lang: [str(w) for w in intake.get(_WARN_KEYS[lang], [])] for lang in _LANGS
    }
    s = settings
    rate = n_used / n_units / years
    _check("few_incidents", n_used < s.min_incidents, {"n": n_used, "min": s.min_incidents}, warn)
    _check(
        "per_kec_year",
        rate < s.min_per_kecamatan_year,
        {
            "rate": lambda lg: number(rate, lg, 2),
            "min": lambda lg: number(s.min_per_kecamatan_year, lg, 1),
        },
        warn,
    )
    with_any = int((pd.to_numeric(scores.n_kejadian) > 0).sum())
    _share("kec_share", with_any, n_units, s.min_kecamatan_share, warn)
    n_read, n_quar = int(intake.get("n_read", 0)), int(intake.get("n_quarantine", 0))
    if n_read:
        limit = s.max_quarantine_share
        _share("quarantine_share", n_quar, n_read, limit, warn, at_most=True)
    stable = (
        int(scores.peringkat_stabil.astype(bool).sum()) if "peringkat_stabil" in scores else n_units
    )
    _share("stable_share", stable, n_units, s.min_stable_share, warn)
    sufficient = not warn["id"]  # intake warnings (another kabupaten) count as failures
    spatial = n_used >= s.min_incidents_spatial
    _check("no_spatial", not spatial, {"min": s.min_incidents_spatial}, warn)
    basis = {"n_incidents": n_used, "period_start": start}
    basis |= {"as_of": pd.Timestamp(as_of).date().isoformat(), "n_read": n_read}
    basis |= {"n_quarantine": n_quar, **_placement(incidents), "spatial_computed": spatial}
    return {
        "data_sufficient": bool(sufficient),
        "data_warnings": warn["id"],
        "data_warnings_en": warn["en"],
        "data_basis": basis,
    }


def warning_lines(attrs: Mapping[str, Any], lang: str) -> list[str]:
    """Lines ``"PERINGATAN: <warning>"`` (``"WARNING: ..."`` for ``lang="en"``) for the CLI.

    ``attrs`` holds ``data_warnings``/``data_warnings_en`` (scores attrs, or an intake's
    ``accepted.attrs.intake``); warnings in ``skip`` (already printed) are left out.

    >>> warning_lines({"data_warnings_en": ["Only 3 incidents."]}, "en")
    ['WARNING: Only 3 incidents.']
    """
    prefix = label("sufficiency.prefix", lang)
    texts = attrs.get(_WARN_KEYS["en" if lang == "en" else "id"]) or []
    return [f"{prefix}: {t}" for t in texts]
