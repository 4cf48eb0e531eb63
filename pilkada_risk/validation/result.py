"""The result of :func:`pilkada_risk.validation.backtest.backtest`: tidy metrics, summary,
verdict, plot.

Private module; import :class:`BacktestResult` from :mod:`pilkada_risk.validation.backtest` (or
the package).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import binomtest

from pilkada_risk.config.i18n import check_lang, label
from pilkada_risk.validation.metrics import summarize_metrics

__all__ = ["BASELINES", "MODEL", "BacktestResult", "independent_origins"]

BASELINES = ("last_period", "all_history", "uniform", "eb_rate")
MODEL = "model"
_TIE_TOL = 1e-9


def _outcome(diff: float, wins: int, losses: int) -> str:
    """better/worse only when the mean moves that way and a two-sided sign test agrees (5%)."""
    if wins + losses == 0:
        return "par"
    p = binomtest(wins, wins + losses, 0.5).pvalue
    if p < 0.05 and wins > losses and diff > 0:
        return "better"
    if p < 0.05 and losses > wins and diff < 0:
        return "worse"
    return "par"


def independent_origins(windows: pd.DataFrame, horizon: str | pd.Timedelta) -> pd.DatetimeIndex:
    """Origins whose forecast windows ``[origin, origin + horizon)`` do not overlap.

    Deterministic: election-campaign origins first (earliest first, skipping any that overlap an
    election origin already kept), then the other origins earliest first, each kept when it is at
    least ``horizon`` away from every origin already kept. Monthly origins with a 90-day horizon
    thus give about every third month.

    Examples
    --------
    >>> w = pd.DataFrame({"origin": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-04-01"]),
    ...                   "origin_kind": ["monthly", "monthly", "monthly"]})
    >>> [str(t.date()) for t in independent_origins(w, "60D")]
    ['2024-01-01', '2024-04-01']
    """
    h = pd.Timedelta(horizon)
    w = windows.drop_duplicates("origin").sort_values("origin")
    is_election = ~w["origin_kind"].isin(["monthly", "custom"]).to_numpy()
    kept: list[pd.Timestamp] = []
    for group in (w["origin"][is_election], w["origin"][~is_election]):
        for t in group:
            if all(abs(t - c) >= h for c in kept):
                kept.append(pd.Timestamp(t))
    return pd.DatetimeIndex(sorted(kept))


def _method_label(method: str, lang: str, exposure: str = "unit") -> str:
    if method == "eb_rate":
        per = label(f"backtest.exposure_{exposure}", lang)
        return label("backtest.method_eb_rate", lang, exposure=per)
    try:
        return label(f"backtest.method_{method}", lang)
    except KeyError:
        return method


@dataclass(frozen=True, repr=False)
class BacktestResult:
    """What :func:`pilkada_risk.validation.backtest.backtest` found.

    Attributes
    ----------
    metrics
        Tidy: ``origin``, ``origin_kind`` (``monthly``, an election key or ``custom``),
        ``method``, ``metric`` (``hit_rate``, ``pai``, ``pei_count``, ``pei_area`` for each
        ``k``; ``spearman``, ``poisson_deviance`` with ``k`` = <NA>), ``k``, ``value``.
    capture
        Capture curves: ``origin``, ``origin_kind``, ``method``, ``k``, ``kode``,
        ``share_units``, ``share_area``, ``share_incidents``.
    scores
        Every forecast: ``origin``, ``origin_kind``, ``method``, ``kode``, ``score``,
        ``expected``, ``observed``, ``weights_mode`` (the model's weight set at that origin:
        ``learned``, ``count`` or ``profile``; ``""`` for baselines).
    horizon, n_units
        The horizon and the number of kecamatan.
    exposure_basis
        The exposure of the ``eb_rate`` baseline: ``dpt``, ``populasi``, ``tps`` (from
        ``context``) or ``unit`` (1 per kecamatan).
    skill
        ``scores.attrs["skill"]`` of the model fitted at the verdict date (``as_of`` of
        :func:`~pilkada_risk.validation.backtest.backtest`): its ``verdict_<lang>`` is the first
        line of :meth:`verdict`, the same sentence ``score`` and the map show. ``None`` without
        a model that records one.
    """

    metrics: pd.DataFrame
    capture: pd.DataFrame
    scores: pd.DataFrame
    horizon: str
    n_units: int
    exposure_basis: str = "unit"
    skill: dict[str, Any] | None = None

    def __repr__(self) -> str:
        n = self.metrics["origin"].nunique()
        return f"BacktestResult({n} origins, {self.n_units} units, horizon={self.horizon})"

    @property
    def report_k(self) -> list[int]:
        """The k reported by :meth:`summary`: 1, 2, 3 and about 25% of the units."""
        n = self.n_units
        return sorted({k for k in (1, 2, 3, max(1, round(0.25 * n))) if k <= n})

    def summary(self, origin_kind: str | None = None) -> pd.DataFrame:
        """Mean, spread and the model's win/tie/loss count against each method, per metric.

        Parameters
        ----------
        origin_kind
            Restrict to ``monthly``, ``election`` (every election-campaign origin) or one
            election key; ``None`` for all windows.

        Returns
        -------
        pandas.DataFrame
            ``method``, ``metric``, ``k``, ``mean``, ``std``, ``median``, ``n`` (windows), and
            ``model_wins``, ``ties``, ``model_losses`` (the model's record against that method
            window by window; <NA> on the model's own rows). Higher is better for every metric
            except ``poisson_deviance``.
        """
        m = self.metrics
        if origin_kind == "election":
            m = m[~m["origin_kind"].isin(["monthly", "custom"])]
        elif origin_kind is not None:
            m = m[m["origin_kind"] == origin_kind]
        return summarize_metrics(m, ks=self.report_k, reference=MODEL)

    def verdict(self, lang: str = "id") -> str:
        """The verdict sentence, then the backtest's detail below it.

        The first line is ``skill["verdict_<lang>"]``: the one verdict of the forecast chosen at
        the verdict date (:func:`pilkada_risk.scoring.skill.verdict_sentence`), word for word
        what ``score``, ``map``, ``plan`` and the map's title panel say. The lines below it are
        detail, never a second conclusion: per baseline, the model (as selected at each origin)
        is called better (worse) when its mean hit rate at ~25% of units over all windows is
        higher (lower) and, on the **non-overlapping** windows only
        (:func:`independent_origins`: overlapping windows share incidents, so they are not
        independent trials), it wins (loses) more windows than it loses (wins), significantly
        by a two-sided sign test at 5% (ties dropped); otherwise on par. Then how often each
        forecast was chosen.
        """
        check_lang(lang)
        s = self.summary()
        k = max(1, round(0.25 * self.n_units))
        head = [str(self.skill[f"verdict_{lang}"])] if self.skill else []
        if MODEL not in set(s["method"]):
            return "\n".join([*head, label("backtest.verdict_no_model", lang)])

        def get(method: str, metric: str, kk: int | None) -> pd.Series:
            sel = (s["method"] == method) & (s["metric"] == metric)
            sel &= s["k"].isna() if kk is None else s["k"] == kk
            return s[sel].iloc[0]

        windows = self.metrics[["origin", "origin_kind"]].drop_duplicates()
        n_election = int((~windows["origin_kind"].isin(["monthly", "custom"])).sum())
        indep = independent_origins(windows, self.horizon)
        hits = self.metrics[
            (self.metrics["metric"] == "hit_rate")
            & (self.metrics["k"] == k)
            & self.metrics["origin"].isin(indep)
        ]
        wide = hits.pivot_table(index="origin", columns="method", values="value", aggfunc="first")
        lines = [
            *head,
            label(
                "backtest.verdict_head",
                lang,
                n_windows=len(windows),
                horizon=self.horizon,
                n_units=self.n_units,
                n_election=n_election,
                k=k,
                n_indep=len(indep),
            ),
        ]
        mine, dev_mine = get(MODEL, "hit_rate", k), get(MODEL, "poisson_deviance", None)
        for other in [b for b in BASELINES if b in set(s["method"])]:
            row, dev = get(other, "hit_rate", k), get(other, "poisson_deviance", None)
            d = (wide[MODEL] - wide[other]).dropna() if other in wide else pd.Series(dtype=float)
            lines.append(self._verdict_line(other, lang, mine, row, dev_mine, dev, d)[0])
        return "\n".join(lines + self._fallback_line(lang))

    def _fallback_line(self, lang: str) -> list[str]:
        """How often the model used learned weights and how often it fell back to counting."""
        if "weights_mode" not in self.scores.columns:
            return []
        modes = self.scores[self.scores["method"] == MODEL].drop_duplicates("origin")
        counts = modes["weights_mode"].value_counts()
        if counts.empty or counts.index.isin([""]).all():
            return []
        return [
            label(
                "backtest.verdict_weights",
                lang,
                n=len(modes),
                learned=int(counts.get("learned", 0)),
                decayed=int(counts.get("decayed_count", 0)),
                count=int(counts.get("count", 0)),
                profile=int(counts.get("profile", 0)),
            )
        ]

    def _verdict_line(
        self,
        other: str,
        lang: str,
        mine: pd.Series,
        row: pd.Series,
        dev_mine: pd.Series,
        dev: pd.Series,
        d: pd.Series,
    ) -> tuple[str, str]:
        """One baseline's line of :meth:`verdict` and its outcome (better, par, worse)."""
        i_wins, i_losses = int((d > _TIE_TOL).sum()), int((d < -_TIE_TOL).sum())
        outcome = _outcome(mine["mean"] - row["mean"], i_wins, i_losses)
        line = label(
            "backtest.verdict_line",
            lang,
            baseline=_method_label(other, lang, self.exposure_basis),
            outcome=label(f"backtest.outcome_{outcome}", lang),
            model=mine["mean"],
            base=row["mean"],
            wins=int(row["model_wins"]),
            ties=int(row["ties"]),
            losses=int(row["model_losses"]),
            i_wins=i_wins,
            i_ties=len(d) - i_wins - i_losses,
            i_losses=i_losses,
            dev_model=dev_mine["mean"],
            dev_base=dev["mean"],
        )
        return line, outcome

    def plot_capture(self, ax: Sequence[Any] | None = None, *, lang: str = "id") -> Any:
        """Mean capture curves by number of units flagged and by area share (two panels).

        Windows without incidents are left out. Returns a ``matplotlib.figure.Figure``; built
        without pyplot, so it works under any backend (Agg included).
        """
        check_lang(lang)
        # lazy: matplotlib takes ~1.3 s to import; only the plot needs it
        from matplotlib.figure import Figure

        if ax is None:
            fig = Figure(figsize=(10, 4), layout="constrained")
            axes = list(fig.subplots(1, 2))
        else:
            axes = list(ax)
            if len(axes) != 2:
                raise ValueError(f"ax: need two Axes (units, area), got {len(axes)}")
            fig = axes[0].figure
        cap = self.capture[self.capture["share_incidents"].notna()]
        grid = np.linspace(0.0, 1.0, 101)
        for method, g in cap.groupby("method", sort=False):
            name = _method_label(str(method), lang, self.exposure_basis)
            by_k = g.groupby("k")["share_incidents"].mean()
            axes[0].plot(by_k.index, by_k.to_numpy(), marker="o", ms=3, label=name)
            curves = [
                np.interp(grid, o["share_area"].to_numpy(), o["share_incidents"].to_numpy())
                for _, o in g.groupby("origin")
            ]
            axes[1].plot(grid, np.mean(curves, axis=0), label=name)
        axes[1].plot([0, 1], [0, 1], ls=":", color="grey")
        for a, xkey in zip(axes, ("plot_units", "plot_area"), strict=True):
            a.set_xlabel(label(f"backtest.{xkey}", lang))
            a.set_ylabel(label("backtest.plot_share", lang))
            a.set_ylim(0, 1.02)
            a.grid(alpha=0.3)
        axes[0].legend(fontsize="small")
        n = cap["origin"].nunique()
        fig.suptitle(label("backtest.plot_title", lang, n=n, horizon=self.horizon))
        return fig
