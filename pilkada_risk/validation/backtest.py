"""Rolling-origin backtest of a risk model against simple baselines.

For each origin the model is fitted on the incidents strictly before it, and its ranking and
expected counts are compared with the incidents in ``[origin, origin + horizon)``. The model only
ever receives the training slice, so a later incident cannot leak into an earlier forecast.

Baselines (each gives a score and expected counts for the horizon):

- ``last_period``: counts in ``[origin - horizon, origin)`` (what an analyst does by hand);
- ``all_history``: all counts before the origin, scaled by horizon / training span;
- ``uniform``: the same score everywhere, the kabupaten mean count; with every score tied its
  top-k metrics are the random-order expectation (hit rate k / n, PAI 1; see
  :mod:`pilkada_risk.validation.metrics`), not an arbitrary choice of the lowest codes;
- ``eb_rate``: the empirical-Bayes rate per *exposure* over all history (Marshall 1991, with
  :func:`pilkada_risk.scoring.smoothing.empirical_bayes`), scored by the smoothed rate; expected
  counts
  are rate × exposure × horizon / training span. The exposure is the model's own: with
  ``context``, the profile's ``exposure.basis`` (``auto``: the first of ``dpt``, ``populasi``,
  ``tps`` with every value > 0, picked by :func:`pilkada_risk.scoring.context.exposure_base`);
  without
  it, 1 per kecamatan. With exposure 1 the smoothing shrinks every count by the same factor, so
  ``eb_rate`` then ranks exactly like ``all_history`` and differs only in its expected counts.

The result type, :class:`BacktestResult`, lives in :mod:`pilkada_risk.validation.result`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.base import clone

from pilkada_risk.config.columns import validate_columns
from pilkada_risk.config.elections import load_elections
from pilkada_risk.config.i18n import label
from pilkada_risk.scoring.model import RiskModel
from pilkada_risk.validation._origins import _plan
from pilkada_risk.validation._progress import progress_bar
from pilkada_risk.validation.baselines import _baseline, _counts, _eb_exposure
from pilkada_risk.validation.metrics import capture_curve, poisson_deviance, spearman, topk_table
from pilkada_risk.validation.result import BASELINES, MODEL, BacktestResult

__all__ = ["BASELINES", "BacktestResult", "backtest", "default_origins"]

_K_METRICS = ("hit_rate", "pai", "pei_count", "pei_area")


def _require(frame: pd.DataFrame, param: str, need: Sequence[str], source: str) -> None:
    validate_columns(frame, need, what=param, source=source)


def default_origins(
    incidents: pd.DataFrame,
    *,
    horizon: str | pd.Timedelta = "90D",
    min_train: str | pd.Timedelta = "365D",
    end: Any = None,
    elections: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Monthly origins plus past election-campaign starts, all with a fully observed horizon.

    Origins run from the first month start at least ``min_train`` after the first incident to
    the last origin whose horizon ends by ``end`` (exclusive; default the day after the last
    incident). Campaign starts of the elections in
    :func:`pilkada_risk.config.elections.load_elections`
    inside that range are added with their key as ``origin_kind``.

    Returns
    -------
    pandas.DataFrame
        ``origin`` (Timestamp), ``origin_kind`` (``monthly`` or an election key), sorted.
    """
    _require(incidents, "incidents", ["tanggal"], "pilkada_risk.intake.incidents.read_incidents")
    dates = pd.to_datetime(incidents["tanggal"]).dropna()
    h, train = pd.Timedelta(horizon), pd.Timedelta(min_train)
    if dates.empty:
        raise ValueError("incidents: no dated incident (column tanggal is empty)")
    first = dates.min().normalize()
    stop = dates.max().normalize() + pd.Timedelta(days=1) if end is None else pd.Timestamp(end)
    lo, hi = first + train, stop - h
    monthly = pd.date_range(lo, hi, freq="MS") if lo <= hi else pd.DatetimeIndex([])
    rows = [(t, "monthly") for t in monthly]
    cal = load_elections() if elections is None else elections
    for key, start in zip(cal["key"], pd.to_datetime(cal["campaign_start"]), strict=True):
        if lo <= start <= hi:
            rows = [(t, k) for t, k in rows if t != start] + [(start, str(key))]
    if not rows:
        raise ValueError(
            label(
                "backtest.no_origins",
                "id",
                start=first.date(),
                end=stop.date(),
                min_train=min_train,
                horizon=horizon,
            )
        )
    out = pd.DataFrame(rows, columns=["origin", "origin_kind"])
    out["origin_kind"] = out["origin_kind"].astype("string")
    return out.sort_values("origin", ignore_index=True)


def _fresh_model(model: Any, seed: int) -> Any:
    if model is None:
        return RiskModel(seed=seed)
    if hasattr(model, "get_params"):
        try:
            return clone(model)
        except (RuntimeError, TypeError):
            pass
    return copy.deepcopy(model)


def _method_frames(
    method: str,
    score: pd.Series,
    expected: pd.Series,
    future: pd.Series,
    area: pd.Series,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    table = topk_table(score, future, area)
    parts = [
        pd.DataFrame({"metric": m, "k": table["k"], "value": table[m].to_numpy(dtype=float)})
        for m in _K_METRICS
    ]
    deviance = poisson_deviance(expected, future) if expected.notna().all() else float("nan")
    extra = pd.DataFrame(
        {
            "metric": ["spearman", "poisson_deviance"],
            "k": [pd.NA, pd.NA],
            "value": [spearman(score, future), deviance],
        }
    )
    metrics = pd.concat([*parts, extra], ignore_index=True)
    metrics.insert(0, "method", method)
    curve = capture_curve(score, future, area)
    curve.insert(0, "method", method)
    return metrics, curve


def _run_origin(
    areas: Any,
    origin: pd.Timestamp,
    kind: str,
    train: pd.DataFrame,
    future: pd.DataFrame,
    area: pd.Series,
    exposure: pd.Series,
    model: Any,
    baselines: Sequence[str],
    horizon: str,
    context: Any,
    seed: int,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    h = pd.Timedelta(horizon)
    observed = _counts(future, area.index)
    forecasts: dict[str, tuple[pd.Series, pd.Series]] = {}
    mode = ""
    if model is not False:
        est = _fresh_model(model, seed)
        est.fit(train, areas, as_of=origin, context=context)
        scored = est.score()
        score = pd.Series(
            scored["risk_score"].to_numpy(dtype=float),
            index=pd.Index(scored["kode"].astype(str)),
        ).reindex(area.index)
        if hasattr(est, "expected_counts"):
            exp = est.expected_counts(horizon=horizon)
            exp.index = exp.index.astype(str)
            expected = exp.astype(float).reindex(area.index)
        else:
            expected = pd.Series(np.nan, index=area.index)
        forecasts[MODEL] = (score, expected)
        mode = str(scored.attrs.get("weights_mode", ""))
    for name in baselines:
        forecasts[name] = _baseline(name, train, origin, h, exposure)
    metric_parts, curve_parts, score_parts = [], [], []
    for method, (score, expected) in forecasts.items():
        m, c = _method_frames(method, score, expected, observed, area)
        metric_parts.append(m)
        curve_parts.append(c)
        score_parts.append(
            pd.DataFrame(
                {
                    "method": method,
                    "kode": area.index,
                    "score": score.to_numpy(),
                    "expected": expected.to_numpy(),
                    "observed": observed.to_numpy(),
                    "weights_mode": mode if method == MODEL else "",
                }
            )
        )
    out = []
    for parts in (metric_parts, curve_parts, score_parts):
        frame = pd.concat(parts, ignore_index=True)
        frame.insert(0, "origin_kind", kind)
        frame.insert(0, "origin", origin)
        out.append(frame)
    return out[0], out[1], out[2]


def backtest(
    incidents: pd.DataFrame,
    areas: pd.DataFrame,
    *,
    origins: Iterable[Any] | None = None,
    horizon: str = "90D",
    model: Any = None,
    baselines: Sequence[str] = BASELINES,
    context: Any = None,
    progress: bool = True,
    n_jobs: int = 1,
    seed: int = 0,
    min_train: str = "365D",
    end: Any = None,
    as_of: Any = None,
    lang: str = "id",
) -> BacktestResult:
    """Rolling-origin backtest of ``model`` and the baselines.

    Parameters
    ----------
    incidents
        Canonical incidents (needs ``tanggal`` and ``kec_kode``), e.g.
        ``read_incidents(...).accepted``. Incidents outside ``areas`` or undated are ignored.
    areas
        Kecamatan with ``kode`` and ``area_km2``
        (:func:`pilkada_risk.geo.boundaries.load_kecamatan`).
    origins
        Forecast origins (dates). ``None``: :func:`default_origins` (monthly + election-campaign
        starts, after ``min_train`` of history, horizon fully observed). Given origins are
        normalised to midnight (a time of day is dropped, so the model and the baselines train
        on the same days), and an origin whose horizon ends after ``end`` is refused with an
        error: its last days would count as "no incident" only because they are not recorded.
    horizon
        Forecast horizon as a pandas offset, e.g. ``"90D"``.
    model
        An unfitted estimator with ``fit(incidents, areas, *, as_of, context)``, ``score()`` and
        ``expected_counts(horizon)``; cloned for each origin. ``None``: ``RiskModel(seed=seed)``.
        ``False``: baselines only.
    baselines
        Any of ``last_period``, ``all_history``, ``uniform``, ``eb_rate``.
    context
        Structural factors per kecamatan (``kode`` or a name column), passed to ``model.fit``;
        its ``dpt`` / ``populasi`` / ``tps`` also give the ``eb_rate`` baseline its exposure
        (the model's rule, see the module docstring; without context: 1 per kecamatan).
    progress, n_jobs, seed, min_train, lang
        Progress (a tqdm bar on a terminal, one line per window in a log, in ``lang``); joblib
        workers (``-1``: all cores); seed of the default model; history before the first origin.
    end, as_of
        End (exclusive) of the period the register covers (``None``: the day after the last
        incident); every window ends by it. A ``RiskModel`` is also fitted at ``as_of`` (``None``:
        ``end``); its ``scores.attrs["skill"]`` is :attr:`BacktestResult.skill`.

    Returns
    -------
    BacktestResult
    """
    _check_args(incidents, areas, baselines)
    h, kodes = pd.Timedelta(horizon), pd.Index(areas["kode"].astype(str))
    area = pd.Series(areas["area_km2"].to_numpy(dtype=float), index=kodes)
    data = _inside(incidents, area.index)
    exposure, basis = (
        _eb_exposure(areas, context, model)
        if "eb_rate" in baselines
        else (pd.Series(1.0, index=area.index), "unit")
    )
    plan = _plan(data, origins, horizon, min_train, end, default_origins)
    fixed = (area, exposure, model, tuple(baselines), horizon, context, seed)
    jobs = [
        (t, str(kind), data[data["tanggal"] < t],
         data[(data["tanggal"] >= t) & (data["tanggal"] < t + h)], *fixed)
        for t, kind in zip(plan["origin"], plan["origin_kind"], strict=True)
    ]  # fmt: skip
    results = _execute(jobs, areas, progress=progress, n_jobs=n_jobs, lang=lang)
    out = _assemble(results, horizon=str(horizon), n_units=len(area), basis=basis)
    if not _records_skill(model):
        return out
    when = as_of if as_of is not None else end  # None: the model's default, as in score
    return replace(out, skill=_verdict_skill(model, incidents, areas, when, context, seed))


def _inside(incidents: pd.DataFrame, kodes: pd.Index) -> pd.DataFrame:
    """Dated incidents inside the kecamatan ``kodes`` (``tanggal`` as datetime)."""
    data = incidents.copy()
    data["tanggal"] = pd.to_datetime(data["tanggal"])
    data["kec_kode"] = data["kec_kode"].astype("string")
    return data[data["tanggal"].notna() & data["kec_kode"].isin(kodes)]


def _records_skill(model: Any) -> bool:
    """Whether ``model`` is a :class:`~pilkada_risk.scoring.model.RiskModel` (or the default)."""

    return model is None or isinstance(model, RiskModel)


def _verdict_skill(
    model: Any, incidents: pd.DataFrame, areas: Any, as_of: Any, context: Any, seed: int
) -> dict[str, Any] | None:
    """``scores.attrs["skill"]`` of the model fitted at ``as_of`` (as ``score`` fits it)."""
    fitted = _fresh_model(model, seed).fit(incidents, areas, as_of=as_of, context=context)
    skill = fitted.score().attrs.get("skill") if hasattr(fitted, "score") else None
    return copy.deepcopy(skill) if isinstance(skill, dict) else None


def _check_args(incidents: pd.DataFrame, areas: pd.DataFrame, baselines: Sequence[str]) -> None:
    source = "pilkada_risk.intake.incidents.read_incidents"
    _require(incidents, "incidents", ["tanggal", "kec_kode"], source)
    _require(areas, "areas", ["kode", "area_km2"], "pilkada_risk.geo.boundaries.load_kecamatan")
    bad = [b for b in baselines if b not in BASELINES]
    if bad:
        raise ValueError(label("backtest.unknown_baseline", "id", bad=bad[0], allowed=BASELINES))


def _assemble(results: list[Any], *, horizon: str, n_units: int, basis: str) -> BacktestResult:
    metrics, capture, scores = (pd.concat(r, ignore_index=True) for r in zip(*results, strict=True))
    metrics["k"] = metrics["k"].astype("Int64")
    for frame in (metrics, capture, scores):
        for col in [c for c in ("origin_kind", "method", "metric") if c in frame.columns]:
            frame[col] = frame[col].astype("string")
    return BacktestResult(
        metrics=metrics[["origin", "origin_kind", "method", "metric", "k", "value"]],
        capture=capture,
        scores=scores,
        horizon=horizon,
        n_units=n_units,
        exposure_basis=basis,
    )


def _execute(
    jobs: list[tuple[Any, ...]], areas: Any, *, progress: bool, n_jobs: int, lang: str = "id"
) -> list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
    bar = progress_bar(len(jobs), label("backtest.progress", lang), enabled=progress)
    out: list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]] = []
    try:
        if n_jobs == 1:
            for job in jobs:
                out.append(_run_origin(areas, *job))
                bar.update()
        else:
            runner: Callable[..., Any] = delayed(_run_origin)
            parallel = Parallel(n_jobs=n_jobs, return_as="generator")
            for res in parallel(runner(areas, *job) for job in jobs):
                out.append(res)
                bar.update()
    finally:
        bar.close()
    return out
