"""The steps of :meth:`pilkada_risk.scoring.model.RiskModel.fit`, as pure functions.

:func:`estimate` returns a :class:`FitState`: the fitted attributes (set on the model as they
are), the score table and what the provenance needs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from pilkada_risk.config.i18n import label
from pilkada_risk.config.profile import COMPONENTS, RiskProfile
from pilkada_risk.io.number_format import number
from pilkada_risk.scoring._inputs import FitInputs, prepare_inputs
from pilkada_risk.scoring.classify import classify
from pilkada_risk.scoring.context import (
    align_context,
    exposure_base,
    exposure_notes,
    structural_component,
)
from pilkada_risk.scoring.features import election_uplift, expert_weights, period_counts
from pilkada_risk.scoring.forecast import (
    History,
    bootstrap_sums,
    counts_before,
    gaussian_bootstrap_sums,
    make_history,
    origin_sums,
    term_matrix,
    uplift_factors,
)
from pilkada_risk.scoring.learning import (
    Selection,
    candidate_name,
    select_forecast,
    training_origins,
)
from pilkada_risk.scoring.narrative import narratives
from pilkada_risk.scoring.spatial import build_graph, local_statistics, row_standardised
from pilkada_risk.scoring.sufficiency import mask_spatial_labels
from pilkada_risk.scoring.trend import trend_labels

#: Incident x replicate draws up to which the bootstrap is exact (a kabupaten: ~1e6).
EXACT_BOOTSTRAP_BUDGET = 20_000_000


@dataclass(frozen=True)
class FitState:
    attributes: dict[str, Any]
    table: pd.DataFrame
    area: gpd.GeoDataFrame
    n_used: int
    expert: dict[str, float]
    class_note: dict[str, str]


@dataclass(frozen=True)
class _Setup:
    """What the forecast needs besides the incidents."""

    exposure: NDArray[np.float64]
    lag: Any
    structural: NDArray[np.float64] | None
    area_km2: NDArray[np.float64]
    uplift_on: str = "laju"

    def terms(self, sums: Any, horizon: float) -> NDArray[np.float64]:
        return term_matrix(
            sums,
            horizon,
            exposure=self.exposure,
            lag_weights=self.lag,
            structural=self.structural,
            uplift_on=self.uplift_on,
        )

    def decayed(self) -> _Setup:
        """The setup of a decayed count alone: the election-stage uplift on its own rate."""
        return replace(self, uplift_on="intensitas")


def _area_km2(area: gpd.GeoDataFrame) -> NDArray[np.float64]:
    if "area_km2" in area.columns:
        values = pd.to_numeric(area["area_km2"], errors="coerce").to_numpy(dtype=float)
        if np.all(np.isfinite(values) & (values > 0)):
            return values
    if area.crs is None:
        return np.ones(len(area))
    return np.asarray(area.geometry.to_crs(area.estimate_utm_crs()).area / 1e6, dtype=float)


def _context(
    inp: FitInputs, context: pd.DataFrame | None, prof: RiskProfile
) -> tuple[dict[str, Any], NDArray[np.float64], NDArray[np.float64] | None]:
    ctx = None if context is None else align_context(context, inp.area)
    structural, factors, struct_notes = structural_component(ctx, prof)
    if not prof.forecast.rate_per_exposure:
        return (
            {
                "exposure_basis_": "unit",
                "exposure_notes_": [],
                "structural_factors_": factors,
                "structural_notes_": list(struct_notes),
            },
            np.ones(len(inp.codes)),
            structural,
        )
    exposure, basis = exposure_base(ctx, prof.exposure.basis)
    if exposure.size == 0:
        exposure = np.ones(len(inp.codes))
    names = dict(zip(inp.codes, inp.area["nama"].astype(str), strict=True))
    auto = prof.exposure.basis == "auto"
    notes = exposure_notes(ctx, basis, names) if auto else []
    attrs = {
        "exposure_basis_": basis,
        "exposure_notes_": notes,
        "structural_factors_": factors,
        "structural_notes_": [*notes, *struct_notes],
    }
    return attrs, exposure, structural


def decayed_history(hist: History, half_life: float) -> History:
    """``hist`` with its long decayed-count term (``intensitas``) at ``half_life`` days."""
    return replace(hist, half_lives=(float(half_life), hist.half_lives[1]))


def _learn(
    hist: History, cut: int, horizon: int, setup: _Setup, prof: RiskProfile, mode: str
) -> tuple[Selection, dict[str, float], pd.DataFrame]:
    """Select the forecast on rolling origins; also each candidate's forecast at ``cut``."""
    learn = prof.learning
    expert = expert_weights(prof, has_structural=setup.structural is not None)
    origins = training_origins(
        cut - horizon, learn.min_train_days, learn.step_days, learn.max_origins
    )
    at = np.append(origins, cut).astype(np.int64)
    all_terms = setup.terms(origin_sums(hist, at, horizon), horizon)
    halves = list(learn.count_half_lives_days) if mode == "learned" else []
    decayed = {
        h: setup.decayed().terms(origin_sums(decayed_history(hist, h), at, horizon), horizon)
        for h in halves
    }
    terms = all_terms[:-1]
    before = counts_before(hist, origins)
    y = counts_before(hist, origins + horizon) - before
    last = before - counts_before(hist, origins - horizon)
    count = {k: (expert["tren"] if k == "tren" else float(k == "laju")) for k in COMPONENTS}
    sel = select_forecast(
        terms, {h: t[:-1] for h, t in decayed.items()}, y, (before, last),
        expert=np.array([expert[k] for k in COMPONENTS]),
        count=np.array([count[k] for k in COMPONENTS]),
        mode=mode, settings=learn, horizon=horizon, area=setup.area_km2,
    )  # fmt: skip
    if sel.skill is not None and origins.size:
        n = int(sel.skill["n_origins"])
        sel.skill["first_origin"] = str((hist.start + pd.Timedelta(days=int(origins[-n]))).date())
        sel.skill["last_origin"] = str((hist.start + pd.Timedelta(days=int(origins[-1]))).date())
        sel.skill["horizon_days"] = horizon
    at_cut = {"count": all_terms[-1] @ np.array([count[k] for k in COMPONENTS])}
    single = np.zeros(len(COMPONENTS))
    single[[COMPONENTS.index("intensitas"), COMPONENTS.index("tren")]] = [1.0, expert["tren"]]
    at_cut |= {candidate_name(h): t[-1] @ single for h, t in decayed.items()}
    if sel.learned is not None:
        at_cut["learned"] = all_terms[-1] @ np.array([sel.learned[k] for k in COMPONENTS])
    return sel, expert, pd.DataFrame(at_cut)


def _bootstrap(
    hist: History, cut: int, point: Any, setup: _Setup, w: NDArray[np.float64], top: float,
    prof: RiskProfile, seed: int, horizon: int, score: NDArray[np.float64],
) -> tuple[NDArray[Any], ...]:  # fmt: skip
    """Poisson bootstrap over incidents (weights fixed): score and rank percentiles.

    Exact (a Poisson(1) weight per incident) up to :data:`EXACT_BOOTSTRAP_BUDGET` incident x
    replicate draws; beyond, units with many incidents draw their sums from the matching normal
    (:func:`pilkada_risk.scoring.forecast.gaussian_bootstrap_sums`).
    """
    n_boot = prof.uncertainty.n_bootstrap
    if n_boot == 0 or hist.day.size == 0 or top <= 0:
        ranks = np.argsort(np.argsort(-score, kind="stable"), kind="stable") + 1
        return score.copy(), score.copy(), ranks, ranks
    rng = np.random.default_rng(seed)
    if hist.day.size * n_boot > EXACT_BOOTSTRAP_BUDGET:
        sums = gaussian_bootstrap_sums(hist, cut, point, rng, n_boot)
        boot = [100.0 * (setup.terms(sums, horizon) @ w) / top]
    else:
        chunk = max(1, min(n_boot, 4_000_000 // max(hist.day.size, 1)))
        boot = []
        for start in range(0, n_boot, chunk):
            size = min(chunk, n_boot - start)
            pw = rng.poisson(1.0, size=(size, hist.day.size)).astype(float)
            terms = setup.terms(bootstrap_sums(hist, cut, point, pw), horizon)
            boot.append(100.0 * (terms @ w) / top)
    scores = np.vstack(boot)
    ranks = np.argsort(np.argsort(-scores, axis=1, kind="stable"), axis=1) + 1
    lo_q, hi_q = prof.uncertainty.interval
    # Replicates are scaled by the point estimate's maximum; the interval is capped at 0..100.
    lower = np.clip(np.minimum(np.percentile(scores, lo_q, axis=0), score), 0.0, 100.0)
    upper = np.clip(np.maximum(np.percentile(scores, hi_q, axis=0), score), 0.0, 100.0)
    rank_lo = np.floor(np.percentile(ranks, lo_q, axis=0)).astype(int)
    rank_hi = np.ceil(np.percentile(ranks, hi_q, axis=0)).astype(int)
    return lower, upper, rank_lo, rank_hi


def _classes(table: pd.DataFrame, prof: RiskProfile) -> dict[str, str]:
    """Add kelas/kelas_en (profile rule) and kelas_ikp/kelas_ikp_en; return the rule's note."""
    cls, ikp = prof.classes, prof.ikp
    y = table["risk_score"].to_numpy()
    expected = table["harapan"].to_numpy(dtype=float)
    notes = {"id": "", "en": ""}
    if cls.scheme == "relative_mean":
        mean = float(expected.mean())
        ratio = expected / mean if mean > 0 else np.zeros_like(expected)
        kw: dict[str, Any] = {"scheme": "fixed", "cutoffs": cls.cutoffs}
        values = ratio
        cuts = "/".join(f"{float(c):g}" for c in cls.cutoffs)
        for lang in notes:
            notes[lang] = label(
                "model.kelas_aturan",
                lang,
                batas=cuts if lang == "en" else cuts.replace(".", ","),  # 0,67/1,5
                lo=number(expected.min(), lang, 1),
                hi=number(expected.max(), lang, 1),
            )
    else:
        kw, values = {"scheme": cls.scheme, "cutoffs": cls.cutoffs}, y
    table["kelas"] = classify(values, cls.labels_id, **kw)
    table["kelas_en"] = classify(values, cls.labels_en, **kw)
    table["kelas_ikp"] = classify(y, ikp.labels_id, cutoffs=ikp.cutoffs)
    table["kelas_ikp_en"] = classify(y, ikp.labels_en, cutoffs=ikp.cutoffs)
    return notes


def _labels(
    table: pd.DataFrame, hist: History, cut: int, graph: Any, rate: NDArray[np.float64],
    prof: RiskProfile, seed: int,
) -> tuple[pd.DataFrame, str]:  # fmt: skip
    """Trend labels and local statistics (Gi*, Local Moran on the long-run rate)."""
    sp, tr = prof.spatial, prof.trend
    stats = local_statistics(
        rate, graph, permutations=sp.permutations, fdr_alpha=sp.fdr_alpha, seed=seed
    )
    counts = period_counts(
        hist.unit, cut - hist.day, n_units=hist.n_units,
        period_days=tr.period_days, n_periods=tr.n_periods,
    )  # fmt: skip
    table["tren"], _ = trend_labels(
        counts,
        recent_periods=tr.recent_periods,
        mk_alpha=tr.mk_alpha,
        persistent_share=tr.persistent_share,
    )
    return table.join(stats, on="kode"), str(stats.attrs.get("note", ""))


def _table(
    inp: FitInputs, contrib: NDArray[np.float64], bounds: tuple[NDArray[Any], ...],
    prof: RiskProfile,
) -> pd.DataFrame:  # fmt: skip
    expected = contrib.sum(axis=1)
    top = float(expected.max())
    scale = 100.0 / top if top > 0 else 0.0
    score = expected * scale
    order = np.lexsort((np.array(inp.codes), -score))
    rank = np.empty(len(inp.codes), dtype=int)
    rank[order] = np.arange(1, len(inp.codes) + 1)
    lower, upper, rank_lo, rank_hi = bounds
    unc = prof.uncertainty
    width = max(unc.rank_width_max, unc.rank_width_share * len(inp.codes))
    return pd.DataFrame(
        {
            "kode": inp.codes,
            "nama": inp.area["nama"].astype(str).to_numpy(),
            "risk_score": score,
            "harapan": expected,
            "peringkat": rank,
            "score_lower": lower,
            "score_upper": upper,
            "peringkat_lower": rank_lo,
            "peringkat_upper": rank_hi,
            "peringkat_stabil": (rank_hi - rank_lo) <= width,
            "n_kejadian": np.bincount(inp.unit, minlength=len(inp.codes)),
            **{f"komponen_{k}": contrib[:, i] * scale for i, k in enumerate(COMPONENTS)},
        }
    )


def estimate(
    incidents: pd.DataFrame, areas: gpd.GeoDataFrame, as_of: Any,
    context: pd.DataFrame | None, prof: RiskProfile, *, mode: str, seed: int,
) -> FitState:  # fmt: skip
    """Validate, forecast, select the weights and build the score table."""
    inp = prepare_inputs(incidents, areas, as_of, prof)
    attrs, exposure, structural = _context(inp, context, prof)
    sp, fc = prof.spatial, prof.forecast
    graph, note = build_graph(inp.area, buffer_m=sp.buffer_m, island_k=sp.island_k)
    setup = _Setup(exposure, row_standardised(graph), structural, _area_km2(inp.area))
    horizon = fc.horizon_days
    hist = make_history(
        inp.unit, inp.incidents["tanggal"], n_units=len(inp.codes),
        end=inp.as_of + pd.Timedelta(days=horizon), half_lives=fc.half_lives_days,
        prior=fc.uplift_prior, uplift=fc.election_uplift,
    )  # fmt: skip
    cut = int((inp.as_of - hist.start).days)
    sel, expert, candidates = _learn(hist, cut, horizon, setup, prof, mode)
    if sel.half_life is not None:  # a decayed count alone: its terms, its uplift
        hist, setup = decayed_history(hist, sel.half_life), setup.decayed()
    w = np.array([sel.weights[k] for k in COMPONENTS])
    point = origin_sums(hist, np.array([cut]), horizon)
    terms = setup.terms(point, horizon)[0]
    contrib = terms * w
    expected = contrib.sum(axis=1)
    top = float(expected.max())
    score = expected * (100.0 / top if top > 0 else 0.0)
    bounds = _bootstrap(hist, cut, point, setup, w, top, prof, seed, horizon, score)
    table = _table(inp, contrib, bounds, prof)
    table, stats_note = _labels(
        table, hist, cut, graph, terms[:, COMPONENTS.index("laju")] / horizon, prof, seed
    )
    # Data sufficiency (scoring/sufficiency.py): no Gi*/LISA label below the minimum count.
    table = mask_spatial_labels(table, len(inp.incidents), prof.sufficiency)
    class_note = _classes(table, prof)
    basis = attrs["exposure_basis_"]
    for col, lang in (("narasi", "id"), ("narasi_en", "en")):
        table[col] = narratives(
            table, basis=basis, lang=lang, horizon_days=horizon, half_lives=hist.half_lives
        )
    attrs |= _fitted(inp, hist, sel, terms, contrib, horizon, graph, note, stats_note, prof)
    attrs["candidate_forecasts_"] = candidates.set_axis(pd.Index(inp.codes, name="kode"))
    attrs["uplift_on_"] = setup.uplift_on
    return FitState(attrs, table, inp.area, len(inp.incidents), expert, class_note)


def _fitted(
    inp: FitInputs, hist: History, sel: Selection, terms: NDArray[np.float64],
    contrib: NDArray[np.float64], horizon: int, graph: Any, note: str, stats_note: str,
    prof: RiskProfile,
) -> dict[str, Any]:  # fmt: skip
    codes = pd.Index(inp.codes, name="kode")
    cut = int((inp.as_of - hist.start).days)
    u = uplift_factors(hist, np.array([cut]))[0]
    table = election_uplift(
        inp.incidents["tanggal"], start=hist.start, as_of=inp.as_of,
        prior=prof.forecast.uplift_prior,
    )  # fmt: skip
    if not hist.uplift:
        table = table.assign(faktor=1.0)
    count_idx = [i for i, k in enumerate(COMPONENTS) if k != "tren"]
    return {
        "as_of_": inp.as_of,
        "horizon_days_": horizon,
        "graph_": graph,
        "spatial_note_": "; ".join(n for n in (note, stats_note) if n),
        "selection_": sel,
        "weights_": dict(sel.weights),
        "weights_mode_": sel.mode,
        "skill_": sel.skill,
        "half_lives_": hist.half_lives,
        "terms_": pd.DataFrame(terms, index=codes, columns=list(COMPONENTS)),
        "contributions_": pd.DataFrame(contrib, index=codes, columns=list(COMPONENTS)),
        "expected_": pd.Series(contrib.sum(axis=1), index=codes, name="expected"),
        "daily_rate_": pd.Series(contrib[:, count_idx].sum(axis=1) / horizon, index=codes),
        "election_uplift_": {p: float(f) for p, f in zip(table.index, u[1:], strict=True)},
        "uplift_table_": table,
    }
