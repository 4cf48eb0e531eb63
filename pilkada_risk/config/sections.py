"""Typed sections of a risk profile: ``profile.forecast.horizon_days`` instead of string lookups.

Each risk-profile section the code reads (not the plan tables ``[tps]``) is a frozen dataclass
built from the validated TOML document (:func:`pilkada_risk.config._profile_checks.validate`
checks the values; :func:`build` converts them to the field types and refuses a missing key), so a
misspelt setting is an ``AttributeError`` when the code is written instead of a ``KeyError`` at
run time. ``RiskProfile.data``, ``.to_dict()`` and ``.hash`` are unchanged: the sections are views.

Examples
--------
>>> build(Forecast, {"election_uplift": True, "uplift_prior": 2, "horizon_days": 90.0,
...                  "half_lives_days": [365, 90], "rate_per_exposure": False}).half_lives_days
(365.0, 90.0)
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any, Generic, TypeVar, overload

__all__ = [
    "ClassRule",
    "Classes",
    "Exposure",
    "Forecast",
    "Learning",
    "Spatial",
    "Structural",
    "Sufficiency",
    "Trend",
    "SectionView",
    "Uncertainty",
    "build",
]

T = TypeVar("T")

_CONVERT: dict[str, Callable[[Any], Any]] = {
    "int": int,
    "float": float,
    "bool": bool,
    "str": str,
    "tuple[float, ...]": lambda v: tuple(float(x) for x in v),
    "tuple[float, float]": lambda v: (float(v[0]), float(v[1])),
    "tuple[str, ...]": lambda v: tuple(str(x) for x in v),
    "dict[str, Any]": copy.deepcopy,
}


def build(cls: type[T], section: Mapping[str, Any]) -> T:
    """Instance of the section dataclass ``cls`` from one validated profile section."""
    return cls(**{f.name: _CONVERT[str(f.type)](section[f.name]) for f in fields(cls)})  # type: ignore[arg-type]


class SectionView(Generic[T]):
    """Class attribute of ``RiskProfile``: the section of the same name, typed, built once.

    A non-data descriptor: the first access stores the view in the instance ``__dict__``
    (allowed on a frozen dataclass), later accesses read it from there.
    """

    def __init__(self, cls: type[T]) -> None:
        self.cls = cls
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type) -> SectionView[T]: ...
    @overload
    def __get__(self, obj: object, owner: type) -> T: ...
    def __get__(self, obj: Any, owner: type) -> Any:
        if obj is None:
            return self
        view = build(self.cls, obj.data[self.name])
        obj.__dict__[self.name] = view
        return view


@dataclass(frozen=True)
class Learning:
    """``[learning]``: how the component weights are learned and checked against counting."""

    weights: str
    step_days: int
    max_origins: int
    min_origins: int
    validation_origins: int
    min_train_days: int
    prior_incidents: float
    count_half_lives_days: tuple[float, ...]
    tie_margin: float


@dataclass(frozen=True)
class Forecast:
    """``[forecast]``: horizon, half-lives of the decayed counts, election uplift."""

    election_uplift: bool
    uplift_prior: float
    horizon_days: int
    half_lives_days: tuple[float, float]
    rate_per_exposure: bool


@dataclass(frozen=True)
class Exposure:
    """``[exposure]``: what rates are per (``auto``, ``dpt``, ``populasi``, ``tps``, ``unit``)."""

    basis: str
    per: float


@dataclass(frozen=True)
class Spatial:
    """``[spatial]``: neighbour graph and local statistics."""

    buffer_m: float
    island_k: int
    permutations: int
    fdr_alpha: float


@dataclass(frozen=True)
class Structural:
    """``[structural]``: structural factors (weight, direction, aliases per factor)."""

    factors: dict[str, Any]


@dataclass(frozen=True)
class Trend:
    """``[trend]``: periods of the Mann–Kendall trend labels."""

    period_days: int
    n_periods: int
    recent_periods: int
    mk_alpha: float
    persistent_share: float


@dataclass(frozen=True)
class Classes:
    """``[ikp]``: score bands (cut-offs on ``risk_score``) and their labels."""

    cutoffs: tuple[float, ...]
    labels_id: tuple[str, ...]
    labels_en: tuple[str, ...]


@dataclass(frozen=True)
class ClassRule(Classes):
    """``[classes]``: the Polri classes of ``kelas`` and the rule that assigns them."""

    scheme: str


@dataclass(frozen=True)
class Uncertainty:
    """``[uncertainty]``: bootstrap draws, interval and rank-stability width."""

    n_bootstrap: int
    interval: tuple[float, ...]
    rank_width_max: float
    rank_width_share: float


@dataclass(frozen=True)
class Sufficiency:
    """``[sufficiency]``: when the data are too thin to trust the scores (docs/peta.md)."""

    min_incidents: int
    min_per_kecamatan_year: float
    min_kecamatan_share: float
    max_quarantine_share: float
    min_stable_share: float
    min_incidents_spatial: int
    max_outside_share: float
