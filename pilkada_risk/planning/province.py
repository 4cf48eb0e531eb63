"""The Polda view: :func:`plan_province` and :class:`ProvincePlan`.

One :class:`~pilkada_risk.scoring.model.RiskModel` is fitted on all kecamatan of the province;
classes are given relative within each kab/kota (what a Polres uses) and province-wide (what the
Polda compares). TPS are classed per Polres, the Polda's BKO pools are allocated
(:mod:`pilkada_risk.planning.bko`), then each Polres runs its own plan
(:func:`~pilkada_risk.planning.plan.plan_security`) with own + BKO strength. Method:
``docs/polda.md``.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pilkada_risk.config.bko import POOLS, load_bko
from pilkada_risk.config.i18n import check_lang
from pilkada_risk.config.plan_profile import resolve_plan_profile
from pilkada_risk.config.profile import load_profile
from pilkada_risk.geo.polres import load_polres
from pilkada_risk.planning import _province_inputs as inp
from pilkada_risk.planning import _province_tables as tables
from pilkada_risk.planning.bko import allocate_bko, marginal_unit, need_segments
from pilkada_risk.planning.plan import SecurityPlan, plan_security
from pilkada_risk.planning.province_annex import write_excel, write_html
from pilkada_risk.planning.tps_class import classify_tps
from pilkada_risk.scoring.model import RiskModel

__all__ = ["ProvincePlan", "plan_province"]


@dataclass
class ProvincePlan:
    """A Polda plan (see :func:`plan_province`).

    Attributes
    ----------
    ringkasan : pandas.DataFrame
        ``butir``, ``nilai``: totals, pools, gaps, skill, warnings, lineage.
    polres : pandas.DataFrame
        One row per Polres: own strength, BKO by kind, need, allocated, shortfall, BKO share.
    bko : pandas.DataFrame
        One row per kab/kota: ``polres``, ``kab_kode``, ``kab_nama``, ``bko_pam_tps``,
        ``bko_brimob``, ``bko_samapta``, ``kekurangan``, ``status``.
    kecamatan : pandas.DataFrame
        Every kecamatan: expected incidents, score and class within its kab/kota and
        province-wide, TPS by class and officers from the plans.
    tps : pandas.DataFrame
        Every TPS of the Polres plans with ``polres`` and ``kab_kode``.
    scores : geopandas.GeoDataFrame
        The pooled model's province scores with ``kab_kode``, ``polres``,
        ``risk_score_kab``/``kelas_kab`` and ``risk_score_prov``/``kelas_prov``.
    plans : dict
        :class:`~pilkada_risk.planning.plan.SecurityPlan` per Polres.
    skill : pandas.DataFrame
        Held-out skill for the province and per kab/kota.
    tambahan : pandas.DataFrame
        What one more platoon would buy per Polres, best first.
    peringatan : list of str
        ``PERINGATAN: ...`` lines.
    """

    ringkasan: pd.DataFrame
    polres: pd.DataFrame
    bko: pd.DataFrame
    kecamatan: pd.DataFrame
    tps: pd.DataFrame
    scores: Any
    plans: dict[str, SecurityPlan]
    skill: pd.DataFrame
    tambahan: pd.DataFrame
    peringatan: list[str] = field(default_factory=list)
    synthetic: bool = False
    lang: str = "id"

    def to_excel(self, path: str | os.PathLike[str]) -> Path:
        """Write the XLSX annex (sheets Ringkasan, Polres, BKO, Kecamatan, TPS; no formulas)."""

        return write_excel(self, path)

    def to_html(self, path: str | os.PathLike[str], *, title: str = "") -> Path:
        """Write the printable, self-contained HTML annex."""

        return write_html(self, path, title=title)


def _scores(model: Any, polres: pd.DataFrame, prof: Any) -> Any:
    """Province scores with classes relative within each kab/kota and province-wide."""
    scores = model.score()
    scores["kab_kode"] = scores["kode"].astype(str).str[:5]
    scores["polres"] = scores["kab_kode"].map(
        dict(zip(polres["kab_kode"], polres["polres"], strict=True))
    )
    scores["risk_score_prov"], scores["kelas_prov"] = scores["risk_score"], scores["kelas"]
    kab = inp.relative_classes(scores, prof, scores["kab_kode"])
    scores["risk_score_kab"], scores["kelas_kab"] = kab["risk_score"], kab["kelas"]
    scores["kelas_kab_en"] = kab["kelas_en"]
    expected = model.expected_counts(f"{int(model.horizon_days_)}D")
    scores["expected"] = scores["kode"].map(expected).astype(float)
    return scores


def _polres_scores(scores: Any, kabs: list[str]) -> pd.DataFrame:
    """What a Polres uses: its kecamatan, scored and classed within their kab/kota."""
    sub = scores[scores["kab_kode"].isin(kabs)].copy()
    sub["risk_score"], sub["kelas"] = sub["risk_score_kab"], sub["kelas_kab"]
    sub.attrs = scores.attrs
    return sub


def _brimob_rule(
    scores: Any, classified: dict[str, pd.DataFrame], settings: Any
) -> dict[str, bool]:
    cut = float(np.quantile(scores["harapan"].to_numpy(float), 1.0 - settings.brimob_top_share))
    top = set(scores.loc[scores["harapan"] >= cut, "polres"].dropna())
    return {
        name: int((frame["kelas_kunci"] == "sangat_rawan").sum())
        >= settings.brimob_min_sangat_rawan
        or name in top
        for name, frame in classified.items()
    }


def _classify(
    scores: Any,
    table: pd.DataFrame,
    lists: dict[str, pd.DataFrame],
    incidents: pd.DataFrame,
    sec: dict[str, Any],
    stage: str,
    lang: str,
) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """Per Polres with at least one TPS list: its TPS, its scores and its TPS classes."""
    names = list(dict.fromkeys(table["polres"]))
    kabs_of = {n: list(table.loc[table["polres"] == n, "kab_kode"]) for n in names}
    planned = [n for n in names if any(k in lists for k in kabs_of[n])]
    tps_of = {n: pd.concat([lists[k] for k in kabs_of[n] if k in lists]) for n in planned}
    pscores = {n: _polres_scores(scores, kabs_of[n]) for n in planned}
    classified = {
        n: classify_tps(tps_of[n], pscores[n], sec, incidents=incidents, stage=stage, lang=lang)
        for n in planned
    }
    return tps_of, pscores, classified


def _one_plan(job: tuple[Any, ...]) -> SecurityPlan:
    scores, tps, personnel, incidents, profile, plan_profile, stage, lang = job
    return plan_security(
        scores, tps, personnel=personnel, incidents=incidents, profile=profile, stage=stage,
        lang=lang, plan_profile=plan_profile,
    )  # fmt: skip


def _run_plans(
    alloc: Any,
    pscores: dict[str, pd.DataFrame],
    tps_of: dict[str, pd.DataFrame],
    incidents: pd.DataFrame,
    options: tuple[Any, Any, str, str],
    n_jobs: int,
) -> dict[str, SecurityPlan]:
    """Each Polres' own TPS plan with own + BKO strength (``n_jobs`` processes; the plans are
    independent, so the result does not depend on ``n_jobs``)."""
    names = list(alloc.table["polres"])
    jobs = [
        (pscores[n], tps_of[n], int(t), incidents, *options)
        for n, t in zip(names, alloc.table["personel_total"], strict=True)
    ]
    if n_jobs <= 1 or len(jobs) < 2:
        return dict(zip(names, map(_one_plan, jobs), strict=True))

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    with ProcessPoolExecutor(max_workers=n_jobs, mp_context=ctx) as pool:
        return dict(zip(names, pool.map(_one_plan, jobs), strict=True))


def _is_synthetic(incidents: pd.DataFrame, lists: dict[str, pd.DataFrame]) -> bool:
    frames = [incidents, *lists.values()]
    return any(bool(f.attrs.get("synthetic")) for f in frames)


def plan_province(
    incidents: pd.DataFrame,
    areas: Any,
    tps: Any,
    *,
    strength: Any,
    pools: dict[str, int],
    polres: Any = None,
    province: str = "18",
    context: pd.DataFrame | None = None,
    model: Any = None,
    profile: Any = None,
    bko: Any = None,
    plan_profile: Any = None,
    stage: str = "pemungutan",
    seed: int = 0,
    n_jobs: int = 1,
    lang: str = "id",
) -> ProvincePlan:
    """Risk, TPS plan and BKO reinforcements of a whole province in one run.

    Parameters
    ----------
    incidents
        ``read_incidents(...).accepted`` for the province (one register or several read together).
    areas
        Kecamatan of every kab/kota of the province (concatenated ``load_kecamatan``).
    tps
        ``{kab_kode: read_tps(...).accepted}`` or one provincial list; a kab/kota without a list
        is planned as "belum ada daftar TPS" and left out of the allocation, by name.
    strength
        Own officers at TPS level per Polres: ``{polres name or polres_kode: n}`` or a frame
        ``polres``, ``personel``.
    pools
        Officers in ``bko_pam_tps``, ``bko_brimob``, ``bko_samapta`` and ``cadangan`` (the
        Kapolda's reserve, never allocated).
    polres
        Polres → kab/kota table (:func:`~pilkada_risk.geo.polres.load_polres`); ``None``: the
        shipped table of ``province``.
    model, n_jobs
        A ``RiskModel`` fitted on ``areas`` (``None``: fit here); processes for the Polres plans.
    profile, bko, plan_profile
        Risk profile, BKO settings (:func:`~pilkada_risk.config.bko.load_bko`) and plan profile
        (TPS classes and patterns, :func:`~pilkada_risk.config.plan_profile.load_plan_profile`).

    Returns
    -------
    ProvincePlan
    """

    lang = check_lang(lang)
    table = load_polres(polres, province=province, lang=lang)
    settings = load_bko(bko, lang=lang)
    pools = inp.check_pools(pools, lang)
    own = inp.check_strength(strength, table, lang)
    inp.check_province(incidents, areas, province, lang)
    lists = inp.split_tps(tps, list(table["kab_kode"]), lang)
    prof = load_profile(profile)
    if model is None:
        model = RiskModel(profile, seed=seed).fit(incidents, areas, context=context)
    scores = _scores(model, table, prof)
    plan = resolve_plan_profile(profile, plan_profile)
    sec = plan.tps
    tps_of, pscores, classified = _classify(scores, table, lists, incidents, sec, stage, lang)
    planned = list(tps_of)
    needs = [need_segments(classified[n], sec) for n in planned]
    brimob = _brimob_rule(scores, classified, settings)
    alloc = allocate_bko(
        np.array([own[n] for n in planned], float), needs, {p: pools[p] for p in POOLS},
        settings, np.array([brimob[n] for n in planned]), planned,
    )  # fmt: skip
    plans = _run_plans(alloc, pscores, tps_of, incidents, (profile, plan, stage, lang), n_jobs)
    extra = marginal_unit(alloc, needs, settings.unit_tambahan)
    skill = tables.skill_table(model, incidents, areas, scores, lang)
    synthetic = _is_synthetic(incidents, lists)
    return tables.assemble(
        table=table, own=own, pools=pools, settings=settings, alloc=alloc, plans=plans,
        scores=scores, classified=classified, extra=extra, skill=skill, synthetic=synthetic,
        missing=[k for k in table["kab_kode"] if k not in lists], stage=stage, lang=lang,
    )  # fmt: skip
