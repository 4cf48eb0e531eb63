r"""Synthetic incident registers with a known truth (SINTETIS), for demos and tests.

Nothing generated here is a real incident: every row carries ``sumber = "SINTETIS"`` and a
description that says so. Place names come from the boundary layers; no person is named.
The per-kecamatan truth is built in :mod:`pilkada_risk.synthetic._latent_risk`, the events in
:mod:`pilkada_risk.synthetic._spacetime` and the register defects in
:mod:`pilkada_risk.synthetic._messy`.

Generative model, per kecamatan :math:`i` with centroid :math:`c_i` (UTM, km):

* Structural factors (``.context``): ``jarak_ibukota_km`` :math:`r_i = \lVert c_i -
  c_{cap}\rVert`; ``populasi`` :math:`P_i \propto n^{desa}_i A_i^{0.3} e^{-r_i/60}`
  (:math:`A` in km²) scaled to ``density_per_km2`` × total area; ``dpt`` = ``dpt_share`` · P;
  ``tps`` = ceil(dpt / ``voters_per_tps``);
  ``tps_rawan`` ~ Binomial(tps, clip(0.55 + 0.2 z(r_i), 0.2, 0.95));
  ``sengketa_lahan`` = known disputes for 18.13, else Bernoulli(0.25).
* Latent log-risk :math:`\eta_i = u_i + \beta_r z(r_i) + \beta_s (s_i - \bar s) + \beta_t
  z(t_i)`, with :math:`u \sim N(0, \sigma^2 e^{-d_{ij}/\rho})` (exponential covariance
  between centroids), :math:`t_i` the TPS-rawan share and :math:`z` standardisation.
  ``risk_true`` :math:`= e^{\eta_i}/\overline{e^{\eta}}` (mean 1).
* Background rate :math:`\lambda_i = N \, P_i e^{\eta_i} / \sum_j P_j e^{\eta_j}`
  incidents/year (``lambda_year``), :math:`N` = ``n_per_year`` (default ``rate_per_1000`` per
  1,000 residents).
* Time: day :math:`t` has intensity :math:`\lambda_i/365.25 \cdot s(t)\, m(t)`, with
  :math:`s(t) = (1 + a \sin(2\pi(\mathrm{doy}-105)/365.25))(1 + b\,\mathbb{1}_{Ramadan})`
  normalised to mean 1 over the period, and the election surge :math:`m(t)` = ``SURGE`` of the
  phase from :func:`~pilkada_risk.config.elections.election_phase` (campaign/quiet ×1.7, polling
  and recapitulation ×3, else 1). Surge incidents (the :math:`m-1` part) draw categories from
  ``CAMPAIGN_MIX`` / ``VOTE_MIX``; the rest from ``ROUTINE_MIX`` (all in
  ``pilkada_risk.synthetic._spacetime``).
* Space: the desa within the kecamatan is drawn ∝ area\ :sup:`0.5` · e\ :sup:`0.3 ε`, the point
  uniformly inside its polygon (kecamatan polygons when ``desa`` is None).
* Self-excitation (ETAS-like): every event has Poisson(``branching``) offspring, delayed by
  Exponential(``offspring_days``) days, displaced by N(0, ``offspring_km``\ ²) per axis (kept
  in the parent's desa when it lands outside every desa), same category with probability
  ``offspring_same_category``; offspring have offspring. Expected total ≈ (background +
  surge)/(1 − branching).
* Seeded cluster: the 15 Dec 2020 recapitulation riot in Krui (six events in Pesisir
  Tengah) when 18.13.01 is simulated and ``seeded_clusters`` is true.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from pilkada_risk.config.columns import validate_columns
from pilkada_risk.config.elections import election_phase, load_elections
from pilkada_risk.config.taxonomy import load_taxonomy
from pilkada_risk.synthetic._drift import (
    REALISTIC_PARAMS,
    STATIONARY_DRIFT,
    intensity_multiplier,
)
from pilkada_risk.synthetic._latent_risk import build_context, build_truth, choose_capital
from pilkada_risk.synthetic._messy import make_messy
from pilkada_risk.synthetic._spacetime import (
    SURGE,
    background_events,
    events_frame,
    sample_points,
    seed_clusters,
    self_excite,
)

__all__ = ["SimulationResult", "simulate_incidents"]

REGISTER_COLUMNS = (
    "id", "tanggal", "kategori", "kecamatan", "desa",
    "lintang", "bujur", "korban", "sumber", "keterangan",
)  # fmt: skip
SOURCE_LABEL = "SINTETIS"
DEFAULT_PARAMS: dict[str, float] = {
    "field_sd": 0.45,  # sd of the latent Gaussian field (log scale)
    "field_range_km": 15.0,  # range of the exponential covariance
    "beta_remote": 0.25,  # per sd of jarak_ibukota_km
    "beta_sengketa": 0.4,  # land-dispute flag
    "beta_tps": 0.2,  # per sd of the share of TPS rawan
    "desa_sd": 0.3,  # sd of the desa-level log weight
    "rate_per_1000": 1.8,  # background incidents per 1,000 residents per year
    "density_per_km2": 60.0,  # synthetic population density (Pesisir Barat ~ 60/km2)
    "dpt_share": 0.68,  # voters / population (Pesisir Barat 2024: 121,267 / 177,430)
    "voters_per_tps": 414.0,  # Pesisir Barat 2024: 121,267 voters, 293 TPS
    "season_amplitude": 0.15,  # yearly sinusoid, peak in the dry season (July)
    "ramadan_bump": 0.25,
    "branching": 0.25,  # mean offspring per event
    "offspring_days": 10.0,  # mean of the exponential time kernel
    "offspring_km": 1.5,  # sd of the Gaussian spatial kernel
    "offspring_same_category": 0.7,
}


@dataclass(frozen=True)
class SimulationResult:
    """What :func:`simulate_incidents` returns.

    Attributes
    ----------
    incidents
        The register (canonical columns, or messy Indonesian headers with ``messy=True``).
    truth
        One row per kecamatan ``kode``: ``risk_true`` (relative risk, mean 1), ``lambda_year``,
        ``exposure``, ``field`` (latent Gaussian field), ``log_risk`` and the structural factors.
    context
        Structural factors per kecamatan as an analyst would supply them (``kode``, ``nama``,
        ``n_desa``, ``populasi``, ``dpt``, ``tps``, ``tps_rawan``, ``sengketa_lahan``,
        ``jarak_ibukota_km``, ``area_km2``).
    events
        The clean events with their latent labels (``kec_kode``, ``desa_kode``, ``asal``:
        ``latar`` background, ``pemilu`` election surge, ``turunan`` offspring, ``klaster``
        seeded cluster; ``generasi``; ``fase`` election phase).
    defects
        Defect name -> number of register rows it affects (empty when ``messy=False``).
    defect_rows
        ``posisi`` (0-based row in ``incidents``), ``baris`` (row in the CSV file), ``id``,
        ``defect``, ``expected_outcome`` (``accepted``, ``accepted_repaired`` or
        ``quarantined``) and ``alasan_kode`` (quarantine reason code or ``""``).
    params
        Every parameter used, for lineage.
    """

    incidents: pd.DataFrame
    truth: pd.DataFrame
    context: pd.DataFrame
    events: pd.DataFrame
    defects: dict[str, int] = field(default_factory=dict)
    defect_rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    params: dict[str, Any] = field(default_factory=dict)


def simulate_incidents(
    areas: gpd.GeoDataFrame,
    *,
    desa: gpd.GeoDataFrame | None = None,
    start: str = "2019-01-01",
    end: str = "2024-12-31",
    seed: int = 0,
    messy: bool = False,
    n_per_year: float | None = None,
    context: pd.DataFrame | None = None,
    capital_kode: str | None = None,
    elections: pd.DataFrame | None = None,
    seeded_clusters: bool = True,
    params: Mapping[str, float] | None = None,
    defect_rates: Mapping[str, float] | None = None,
    regime: str = "stationary",
) -> SimulationResult:
    r"""Simulate a SYNTHETIC incident register with a known latent risk.

    The generative model is described in the module docstring (SINTETIS data only).

    Parameters
    ----------
    areas
        Kecamatan polygons with ``kode`` and ``nama`` (as from ``load_kecamatan``).
    desa
        Desa polygons with ``kode``, ``nama``, ``kec_kode``; ``None`` places points in kecamatan.
    start, end, seed
        Inclusive period (ISO dates); seed of ``numpy.random.default_rng`` (same seed, same output).
    messy
        Messy headers and known defects (``pilkada_risk.synthetic._messy``).
    n_per_year
        Total background incidents per year (before surges and offspring).
    context
        Analyst factors by ``kode`` overriding the synthetic ones (same columns as ``.context``).
    capital_kode
        Kecamatan of the kabupaten capital; default a known one (18.13 → Pesisir Tengah,
        18.01 → Kalianda) or the kecamatan nearest the centre of the kabupaten.
    elections, seeded_clusters
        Election calendar (``load_elections()`` by default); add the documented cluster(s).
    params
        Overrides of ``DEFAULT_PARAMS`` (and of the regime's parameters).
    defect_rates
        Overrides of ``pilkada_risk.synthetic._messy.DEFECT_RATES`` (share of rows per defect).
    regime
        ``"stationary"`` (default; the 0.1.0 simulator, bit for bit: fixed risk per kecamatan)
        or ``"realistic"``: the shape of real registers, with ``REALISTIC_PARAMS`` of
        ``pilkada_risk.synthetic._drift`` (heavier concentration, mean-reverting drift of each
        kecamatan's log-risk, surges that fade within months, ~12% of kecamatan almost never
        with an incident).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> areas = gpd.GeoDataFrame({"kode": ["99.01.01", "99.01.02"], "nama": ["Alfa", "Beta"]},
    ...     geometry=[box(104.0, -5.2, 104.1, -5.1), box(104.1, -5.2, 104.2, -5.1)], crs=4326)
    >>> sim = simulate_incidents(areas, start="2024-01-01", end="2024-12-31", n_per_year=50)
    >>> sorted(sim.incidents["sumber"].unique())
    ['SINTETIS']
    >>> round(float(sim.truth["risk_true"].mean()), 6)
    1.0
    """
    p = _check_params(params, regime)
    areas_utm, units, t0, t1 = _prepare(areas, desa, start, end, seed)
    cal = load_elections() if elections is None else elections
    sim, rng_messy = _simulate(
        areas_utm, units, (t0, t1), seed, p, context, capital_kode, cal, n_per_year,
        seeded_clusters=seeded_clusters, regime=regime,
    )  # fmt: skip
    if not messy:
        return sim
    incidents, defect_rows, defects = make_messy(
        sim.incidents, units=units, areas=areas_utm, rng=rng_messy, rates=defect_rates
    )
    used = {**sim.params, "messy": True}
    return SimulationResult(
        incidents, sim.truth, sim.context, sim.events, defects, defect_rows, used
    )


def _simulate(
    areas_utm: gpd.GeoDataFrame,
    units: gpd.GeoDataFrame,
    period: tuple[pd.Timestamp, pd.Timestamp],
    seed: int,
    p: dict[str, float],
    context: pd.DataFrame | None,
    capital_kode: str | None,
    cal: pd.DataFrame,
    n_per_year: float | None,
    *,
    seeded_clusters: bool,
    regime: str,
) -> tuple[SimulationResult, np.random.Generator]:
    """The clean register and its truth; the second generator is for the register defects."""
    t0, t1 = period
    rng_model, rng_messy = np.random.default_rng(seed).spawn(2)
    capital = choose_capital(areas_utm, capital_kode)
    ctx = build_context(areas_utm, units, capital, rng_model, p, context)
    truth = build_truth(areas_utm, ctx, rng_model, p, n_per_year)
    days = pd.date_range(t0, t1, freq="D")
    phase = election_phase(pd.Series(days), cal).to_numpy(dtype=object)
    lam = truth["lambda_year"].to_numpy()
    # Drawn only in the realistic regime, so the stationary stream stays identical to 0.1.0.
    mult = intensity_multiplier(len(lam), days, rng_model, p) if regime == "realistic" else None
    ev = background_events(lam, days, phase, units, rng_model, p, mult)
    if seeded_clusters:
        ev = seed_clusters(ev, units, days)
    xy = sample_points(units.geometry, ev["unit"], rng_model)
    ev = self_excite({**ev, "x": xy[0], "y": xy[1]}, units, len(days), rng_model, p)
    events = events_frame(ev, units, days, phase, areas_utm.crs, rng_model)
    used = {
        **p,
        "seed": seed,
        "start": str(t0.date()),
        "end": str(t1.date()),
        "capital_kode": capital,
        "n_per_year": float(truth["lambda_year"].sum()),
        "messy": False,
        "seeded_clusters": seeded_clusters,
        "regime": regime,
        "surge": dict(SURGE),
        "crs_utm": str(areas_utm.crs),
    }
    result = SimulationResult(_register(events), truth, ctx, events, {}, _no_defects(), used)
    return result, rng_messy


def _check_params(params: Mapping[str, float] | None, regime: str) -> dict[str, float]:
    if regime not in ("stationary", "realistic"):
        raise ValueError(f"regime={regime!r}; allowed: stationary, realistic")
    extra = REALISTIC_PARAMS if regime == "realistic" else STATIONARY_DRIFT
    p = {**DEFAULT_PARAMS, **extra}
    for key, value in (params or {}).items():
        if key not in p:
            raise ValueError(f"params: unknown key {key!r}; allowed: {', '.join(sorted(p))}")
        p[key] = float(value)
    if not 0 <= p["branching"] < 1:
        raise ValueError(f"params['branching']={p['branching']} must be in [0, 1)")
    return p


def _prepare(
    areas: gpd.GeoDataFrame, desa: gpd.GeoDataFrame | None, start: str, end: str, seed: int
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.Timestamp, pd.Timestamp]:
    if not isinstance(seed, int | np.integer) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed={seed!r}: give a non-negative integer (None is not reproducible)")
    needs = (("areas", areas, ("kode", "nama")), ("desa", desa, ("kode", "nama", "kec_kode")))
    for name, frame, cols in needs:
        if frame is None:
            continue
        validate_columns(frame, cols, what=name, source="load_kecamatan/load_desa")
        if not isinstance(frame, gpd.GeoDataFrame) or frame.crs is None or not len(frame):
            raise ValueError(
                f"{name}: need a non-empty GeoDataFrame with a CRS and columns {list(cols)}. "
                "Use pilkada_risk.geo.boundaries.load_kecamatan/load_desa."
            )
    t0, t1 = pd.Timestamp(start), pd.Timestamp(end)
    if t1 < t0:
        raise ValueError(f"end={end!r} is before start={start!r}; swap them")
    areas_utm = areas[["kode", "nama", "geometry"]].reset_index(drop=True)
    areas_utm = areas_utm.to_crs(areas_utm.estimate_utm_crs())
    areas_utm["area_km2"] = areas_utm.geometry.area / 1e6
    if desa is None:
        units = areas_utm.assign(kec_kode=areas_utm["kode"], desa_nama="")
    else:
        unknown = sorted(set(desa["kec_kode"]) - set(areas_utm["kode"]))
        if unknown:
            raise ValueError(
                f"desa: kec_kode {unknown[:5]} not among areas['kode']; pass matching layers"
            )
        units = desa[["kode", "nama", "kec_kode", "geometry"]].to_crs(areas_utm.crs)
        units = units.sort_values("kode", ignore_index=True).assign(desa_nama=lambda d: d["nama"])
    kec_index = {k: i for i, k in enumerate(areas_utm["kode"])}
    units["kec_idx"] = units["kec_kode"].map(kec_index).astype(int)
    units["kec_nama"] = areas_utm["nama"].to_numpy()[units["kec_idx"].to_numpy()]
    units["area_km2"] = units.geometry.area / 1e6
    return areas_utm, units.reset_index(drop=True), t0, t1


def _category_labels() -> dict[str, str]:
    frame = load_taxonomy().frame
    return dict(zip(frame["code"].astype(str), frame["label_id"].astype(str), strict=True))


def _register(events: pd.DataFrame) -> pd.DataFrame:
    labels = _category_labels()
    year = events["tanggal"].dt.year
    seq = events.groupby(year).cumcount() + 1
    ids = "SINT/" + year.astype(str) + "/" + seq.map("{:04d}".format)
    place = np.where(
        events["desa"] != "",
        "Pekon/Kel. " + events["desa"] + ", Kec. " + events["kecamatan"],
        "Kec. " + events["kecamatan"],
    )
    text = [
        f"Kejadian sintetis #{i + 1}: {labels[c].split(' (')[0].lower()} di {pl}. "
        "Data latihan, bukan kejadian nyata."
        for i, (c, pl) in enumerate(zip(events["kategori"], place, strict=True))
    ]
    return pd.DataFrame(
        {
            "id": ids,
            "tanggal": events["tanggal"].dt.strftime("%Y-%m-%d"),
            "kategori": events["kategori"],
            "kecamatan": events["kecamatan"],
            "desa": events["desa"],
            "lintang": events["lintang"],
            "bujur": events["bujur"],
            "korban": events["korban"],
            "sumber": SOURCE_LABEL,
            "keterangan": text,
        }
    )[list(REGISTER_COLUMNS)]


def _no_defects() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "posisi": pd.Series(dtype=int),
            "baris": pd.Series(dtype=int),
            "id": pd.Series(dtype=str),
            "defect": pd.Series(dtype=str),
            "expected_outcome": pd.Series(dtype=str),
            "alasan_kode": pd.Series(dtype=str),
        }
    )
