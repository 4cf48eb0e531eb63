"""Small per-kecamatan helpers of the model: period counts, expert weights, election uplift.

The forecast terms themselves live in :mod:`pilkada_risk.scoring.forecast`; context alignment,
exposure and the structural index in :mod:`pilkada_risk.scoring.context`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from pilkada_risk.config.elections import election_phase
from pilkada_risk.config.profile import PHASES, RiskProfile

__all__ = [
    "day_uplift",
    "election_uplift",
    "expert_weights",
    "mean_past_uplift",
    "period_counts",
]


def period_counts(
    unit: NDArray[np.int64],
    age: NDArray[np.int64],
    *,
    n_units: int,
    period_days: int,
    n_periods: int,
) -> NDArray[np.float64]:
    """Counts per unit and period (``age // period_days``, newest period last), observed ones only.

    ``age`` is each incident's age in days at ``as_of`` (>= 1). Only the newest
    ``min(n_periods, max(age) // period_days)`` periods are returned (shape ``(units, that
    number)``): a period that starts before the first incident is not observed (a register that
    starts later is not a rise from zero).

    Examples
    --------
    >>> period_counts(np.array([0, 0, 1]), np.array([1, 15, 25]), n_units=2, period_days=10,
    ...               n_periods=5).tolist()
    [[1.0, 1.0], [0.0, 0.0]]
    """
    age = np.asarray(age)
    n_obs = int(min(n_periods, age.max() // period_days)) if age.size else 0
    period = age // period_days
    out = np.zeros((n_units, n_obs))
    keep = period < n_obs
    np.add.at(out, (unit[keep], n_obs - 1 - period[keep]), 1.0)
    return out


def expert_weights(profile: RiskProfile, *, has_structural: bool) -> dict[str, float]:
    """The profile's weights; without structural data its weight goes to the other count terms.

    The count terms (all but ``tren``) keep summing to 1.
    """
    w = profile.component_weights
    if has_structural or w["struktural"] == 0:
        return w
    rest = 1.0 - w["struktural"]
    if rest <= 0:
        raise ValueError(
            "components.struktural = 1 but no structural factor is available in context; "
            "pass context with the profile's factors or lower its weight"
        )
    return {k: (0.0 if k == "struktural" else v if k == "tren" else v / rest) for k, v in w.items()}


def day_uplift(
    start: Any, n_days: int, uplift: Mapping[str, float], elections: pd.DataFrame | None = None
) -> NDArray[np.float64]:
    """Uplift factor of each of the ``n_days`` days from ``start`` (1 outside election windows).

    Examples
    --------
    >>> day_uplift("2024-11-26", 3, {"tenang": 1.5, "pemungutan": 3.0}).tolist()
    [1.5, 3.0, 1.0]
    """
    days = pd.Series(pd.date_range(pd.Timestamp(start).normalize(), periods=n_days, freq="D"))
    phase = election_phase(days, elections).astype(object)
    factors = {"": 1.0, **{k: float(v) for k, v in uplift.items()}}
    return np.array(phase.map(factors).fillna(1.0), dtype=float)


def election_uplift(
    tanggal: pd.Series,
    *,
    start: Any,
    as_of: Any,
    prior: float,
    elections: pd.DataFrame | None = None,
) -> pd.DataFrame:
    r"""Kabupaten-wide incident uplift per election phase, shrunk toward 1.

    Over the days of ``[start, as_of)``, with :math:`n_p` incidents on :math:`D_p` days of
    phase :math:`p` and :math:`n_0, D_0` outside every window, the baseline daily rate is
    :math:`r_0 = n_0/D_0`, the count expected without uplift :math:`E_p = r_0 D_p`, and

    .. math:: u_p = (n_p + a) / (E_p + a),

    the posterior mean of :math:`u_p` under :math:`n_p \sim \mathrm{Poisson}(u_p E_p)` with a
    Gamma(:math:`a`, :math:`a`) prior (mean 1, sd :math:`1/\sqrt a`), ``a = prior``. A phase
    with few expected incidents stays near 1; with :math:`E_p \gg a` it is the raw ratio
    :math:`n_p/E_p`. Without outside-window days or incidents (no baseline) every factor is 1.

    Parameters
    ----------
    tanggal, start, as_of
        Incident dates; those in ``[start, as_of)`` (the history) are used.
    prior
        Prior strength :math:`a` (> 0), in expected incidents.
    elections
        Calendar (:func:`pilkada_risk.config.elections.load_elections` by default).

    Returns
    -------
    pandas.DataFrame
        Index ``fase`` (:data:`pilkada_risk.config.profile.PHASES`), columns ``hari`` (days),
        ``kejadian`` (incidents), ``harapan`` (:math:`E_p`), ``rasio_mentah``
        (:math:`n_p/E_p`, NaN when :math:`E_p = 0`) and ``faktor`` (:math:`u_p`).

    Examples
    --------
    >>> dates = pd.Series(pd.to_datetime(["2024-05-01", "2024-10-01", "2024-10-02"]))
    >>> t = election_uplift(dates, start="2024-04-01", as_of="2025-01-01", prior=2.0)
    >>> t.loc["kampanye", ["hari", "kejadian"]].tolist()
    [60.0, 2.0]
    """
    if not np.isfinite(prior) or prior <= 0:
        raise ValueError(f"prior = {prior!r}: must be > 0 (forecast.uplift_prior)")
    t0, t1 = pd.Timestamp(start).normalize(), pd.Timestamp(as_of).normalize()
    days = pd.Series(pd.date_range(t0, t1 - pd.Timedelta(days=1), freq="D"))
    day_phase = election_phase(days, elections).astype(object)
    inc = pd.to_datetime(tanggal).dt.normalize()
    inc_phase = election_phase(inc[(inc >= t0) & (inc < t1)], elections).astype(object)
    n_days = day_phase.value_counts().reindex(["", *PHASES], fill_value=0).astype(float)
    n_inc = inc_phase.value_counts().reindex(["", *PHASES], fill_value=0).astype(float)
    base = n_inc[""] / n_days[""] if n_days[""] > 0 and n_inc[""] > 0 else np.nan
    table = pd.DataFrame({"hari": n_days[list(PHASES)], "kejadian": n_inc[list(PHASES)]})
    table["harapan"] = table["hari"] * base
    table["rasio_mentah"] = (table["kejadian"] / table["harapan"]).where(table["harapan"] > 0)
    shrunk = (table["kejadian"] + prior) / (table["harapan"] + prior)
    table["faktor"] = shrunk if np.isfinite(base) else 1.0
    return table.rename_axis("fase")


def mean_past_uplift(
    start: Any,
    as_of: Any,
    uplift: Mapping[str, float],
    *,
    half_life: float,
    elections: pd.DataFrame | None = None,
) -> float:
    r"""Recency-weighted mean uplift of the days in ``[start, as_of)``.

    :math:`\bar u = \sum_d 0.5^{a_d/h} u_d / \sum_d 0.5^{a_d/h}` with :math:`a_d` the age of
    day :math:`d` at ``as_of``. Decayed counts divided by (effective days × :math:`\bar u`)
    estimate the *outside-window* daily rate. 1.0 when the period is empty.

    Examples
    --------
    >>> mean_past_uplift("2024-11-27", "2024-11-28", {"pemungutan": 3.0}, half_life=365)
    3.0
    """
    t0, t1 = pd.Timestamp(start).normalize(), pd.Timestamp(as_of).normalize()
    n_days = max((t1 - t0).days, 0)
    if n_days == 0:
        return 1.0
    factors = day_uplift(t0, n_days, uplift, elections)
    weights = 0.5 ** (np.arange(n_days, 0, -1) / float(half_life))
    return float(weights @ factors / weights.sum())
