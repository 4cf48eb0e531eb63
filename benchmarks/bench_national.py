"""National-scale benchmark: every stage on all 7,285 kecamatan of Indonesia.

Prints seconds and peak resident memory (RSS) of each stage:

1. ``simulate_incidents`` over the whole country, 2019-2024 (about 1,000,000 SYNTHETIC incidents
   with the default ``--n-per-year``, ``regime="realistic"``: drift, fading surges), then
   ``read_incidents`` on a register sample (200,000
   rows by default), which places every point with a vectorised spatial join.
2. The parts of ``RiskModel.fit`` that grow with the number of kecamatan, each on its own
   (``build_graph``, ``row_standardised``, ``local_statistics`` with 999 permutations), then
   ``RiskModel(seed=0).fit(...).score()`` with the default profile for the whole country and
   for one province (Lampung, 18: 229 kecamatan) as the middle point. Stage 2g fits on all but
   the last 90 days and prints the share of the held-out incidents caught by the top 1% and 5%
   of kecamatan, ranked by the model (its expected incidents) and by all-history counts, with
   the weights chosen and the model's own skill sentence (issue 10: target <= 20 s, and the top
   of the ranking at least as good as all-history counts).
3. ``risk_map`` + ``export_html`` for Lampung (file size), and optionally (``--national-map``)
   for the whole country.

Boundaries: the package's loader (:func:`pilkada_risk.geo.boundaries.load_kecamatan`) cannot build
the whole country offline (only Lampung's upstream files are mirrored), so this benchmark uses
the coarse national reference layer ``../shared/data/boundaries/indonesia_kecamatan.parquet``
(Cahya DSN, wilayah_boundaries, MIT; see its ``SOURCES.md``) directly as ``areas``, with
``nama_alt = ""`` added. The layer is read in place and never copied into the repository.
The simulator's own population model has one capital for the whole area, which at national
scale puts over half the incidents in Lampung; :func:`national_context` therefore passes
per-kabupaten factors (kabupaten populations from the offline upstream mirror) as ``context``
(``--simulator-context`` keeps the simulator's own).

When ``risk_map`` fails on the reference layer with a GEOS TopologyException (rounding to
1e-5 degrees makes a few polygons invalid), the failure is printed and the stage is measured
again with the vertices snapped first (``shapely.set_precision``), marked ``[snapped]``.

Peak RSS per stage: the kernel's high-water mark is reset before each stage by writing ``5`` to
``/proc/self/clear_refs`` (Linux >= 4.0) and read from ``VmHWM`` after it; where that is not
possible the process-wide ``ru_maxrss`` is printed instead (marked ``process``). Stages run
one after the other in one process, so each figure includes what earlier stages left in memory
(printed as ``start``).

Run (about 1.5 minutes on 2 cores; about 4 minutes with ``--national-map``)::

    .venv/bin/python -m benchmarks.bench_national
    .venv/bin/python -m benchmarks.bench_national --national-map --profile intake fit map
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import os
import pstats
import resource
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
NATIONAL = REPO.parent / "shared" / "data" / "boundaries" / "indonesia_kecamatan.parquet"
PROVINCE = "18"  # Lampung, 229 kecamatan
# Kabupaten populations (Kepmendagri 300.2.2-2138/2025), a pinned upstream file.
PENDUDUK = "db/wilayah_penduduk.sql"


# ------------------------------------------------------------------ measuring
def _status_mb(key: str) -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
    except OSError:
        return False
    return True


def _maxrss_mb() -> float:
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale / 1024


@contextmanager
def stage(name: str, figures: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Time a block and record its peak RSS; extra figures go into the yielded dict."""
    extra: dict[str, Any] = {}
    start_rss = _status_mb("VmRSS") or float("nan")
    resettable = _reset_peak()
    t0 = time.perf_counter()
    yield extra
    seconds = time.perf_counter() - t0
    peak = _status_mb("VmHWM") if resettable else None
    scope = "stage" if peak is not None else "process"
    peak = _maxrss_mb() if peak is None else peak
    row = {"stage": name, "seconds": seconds, "peak_mb": peak, "start_mb": start_rss, **extra}
    figures.append(row)
    notes = "  ".join(f"{k}={v}" for k, v in extra.items())
    print(
        f"{name:<46} {seconds:8.2f} s  peak RSS {peak:7.0f} MB ({scope}; start "
        f"{start_rss:5.0f} MB)  {notes}",
        flush=True,
    )


def _profiled(func: Callable[[], Any], enabled: bool, top: int = 25) -> Any:
    if not enabled:
        return func()
    prof = cProfile.Profile()
    result = prof.runcall(func)
    pstats.Stats(prof, stream=sys.stdout).sort_stats("cumulative").print_stats(top)
    return result


# ------------------------------------------------------------------ inputs
def national_areas() -> gpd.GeoDataFrame:
    areas = gpd.read_parquet(NATIONAL)
    keep = ["kode", "nama", "kab_kode", "kab_nama", "prov_kode", "area_km2", "geometry"]
    return areas[keep].assign(nama_alt="").sort_values("kode", ignore_index=True)


def national_context(areas: gpd.GeoDataFrame, seed: int = 0) -> pd.DataFrame:
    """Structural factors per kecamatan built per kabupaten (simulator formulas, real totals).

    ``simulate_incidents`` puts one capital in the whole area and makes population decay as
    ``exp(-km / 60)`` from it, which at national scale crowds the synthetic population into
    Lampung. Here each kabupaten gets its own capital (the kecamatan nearest its centre) and its
    population total from ``wilayah_penduduk.sql``; inside it the simulator's weights are used:
    ``populasi`` proportional to ``area_km2**0.3 * exp(-jarak_ibukota_km / 60)``, ``dpt = 0.68
    populasi``, ``tps = ceil(dpt / 414)``, ``tps_rawan ~ Binomial(tps, clip(0.55 + 0.2 z, 0.2,
    0.95))`` (z: distance standardised within the kabupaten), ``sengketa_lahan ~
    Bernoulli(0.25)``.
    """
    import re

    from pilkada_risk.geo.upstream import WILAYAH, fetch_upstream

    text = fetch_upstream(*WILAYAH, PENDUDUK).read_text(encoding="utf-8")
    pairs = re.findall(r"^\('(\d{2}\.\d{2})','[^']*','\d+','\d+','(\d+)'\)", text, flags=re.M)
    kab_pop = pd.Series({k: float(v) for k, v in pairs})
    rng = np.random.default_rng(seed)
    cen = areas.geometry.to_crs(6933).centroid  # equal-area metres, ~1% off near the equator
    xy = pd.DataFrame({"x": cen.x.to_numpy(), "y": cen.y.to_numpy(), "kab": areas["kab_kode"]})
    mid = xy.groupby("kab")[["x", "y"]].transform("mean")
    off = np.hypot(xy["x"] - mid["x"], xy["y"] - mid["y"])
    cap = off.groupby(xy["kab"]).transform("idxmin").to_numpy()
    jarak = np.hypot(xy["x"] - xy["x"].to_numpy()[cap], xy["y"] - xy["y"].to_numpy()[cap]) / 1e3
    w = areas["area_km2"].to_numpy() ** 0.3 * np.exp(-jarak.to_numpy() / 60.0)
    share = w / pd.Series(w).groupby(xy["kab"]).transform("sum").to_numpy()
    populasi = np.maximum(1, np.round(share * areas["kab_kode"].map(kab_pop).to_numpy()))
    dpt = np.maximum(1, np.round(0.68 * populasi))
    tps = np.maximum(1, np.ceil(dpt / 414.0))
    grp = jarak.groupby(xy["kab"])
    z = ((jarak - grp.transform("mean")) / grp.transform("std").replace(0, 1)).fillna(0)
    tps_rawan = rng.binomial(tps.astype(int), np.clip(0.55 + 0.2 * z.to_numpy(), 0.2, 0.95))
    return pd.DataFrame(
        {
            "kode": areas["kode"].astype(str),
            "populasi": populasi.astype(int),
            "dpt": dpt.astype(int),
            "tps": tps.astype(int),
            "tps_rawan": tps_rawan,
            "sengketa_lahan": (rng.random(len(areas)) < 0.25).astype(int),
            "jarak_ibukota_km": np.round(jarak.to_numpy(), 3),
        }
    )


def _register_sample(register: pd.DataFrame, n_rows: int, seed: int = 0) -> pd.DataFrame:
    if n_rows >= len(register):
        return register
    rng = np.random.default_rng(seed)
    pick = np.sort(rng.choice(len(register), size=n_rows, replace=False))
    return register.iloc[pick].reset_index(drop=True)


def _snapped(scores: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Scores with vertices snapped to the map's 1e-5 degree grid, keeping polygons valid."""
    import shapely

    out = scores.set_geometry(shapely.set_precision(scores.geometry.to_numpy(), 1e-5))
    out.attrs = scores.attrs
    return out


def _build_map(scores: gpd.GeoDataFrame, incidents: gpd.GeoDataFrame, path: Path) -> Path:
    from pilkada_risk.maps.export import export_html
    from pilkada_risk.maps.risk_map import risk_map

    return export_html(risk_map(scores, incidents=incidents), path)


def _map_stage(
    name: str,
    scores: gpd.GeoDataFrame,
    incidents: gpd.GeoDataFrame,
    tmp: str,
    figures: list[dict[str, Any]],
    profile: bool = False,
) -> None:
    """``risk_map`` + ``export_html``; when the map cannot be built from the layer as it is
    (GEOS error), say so and measure again with the geometries snapped (``_snapped``)."""
    import shapely

    for snap in (False, True):
        label = name + (" [snapped]" if snap else "")
        try:
            with stage(label, figures) as x:
                frame = _snapped(scores) if snap else scores
                build = functools.partial(_build_map, frame, incidents, Path(tmp) / "peta.html")
                path = _profiled(build, profile and snap)
                x["incidents"] = len(incidents)
                x["html_mb"] = round(path.stat().st_size / 2**20, 2)
            return
        except shapely.errors.GEOSException as exc:
            print(f"{label:<46} FAILED: GEOSException: {exc}", flush=True)


# ------------------------------------------------------------------ stages
def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    from pilkada_risk.intake.incidents import read_incidents
    from pilkada_risk.scoring.model import RiskModel
    from pilkada_risk.scoring.spatial import build_graph, local_statistics, row_standardised
    from pilkada_risk.synthetic.simulate import simulate_incidents

    figures: list[dict[str, Any]] = []
    with stage("read national layer (GeoParquet)", figures) as x:
        areas = national_areas()
        x["kecamatan"] = len(areas)
    prov = areas[areas["prov_kode"] == PROVINCE].reset_index(drop=True)

    # 1. simulate + intake -------------------------------------------------------------
    context_in = None if args.simulator_context else national_context(areas)
    with stage("1a simulate_incidents (national, 2019-2024)", figures) as x:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sim = simulate_incidents(
                areas, desa=None, seed=0, n_per_year=args.n_per_year, context=context_in,
                regime=args.regime,
            )  # fmt: skip
        x["incidents"] = len(sim.incidents)
        x["in_prov_18"] = f"{sim.events['kec_kode'].str.startswith(PROVINCE + '.').mean():.1%}"
        x["kec_without"] = int(len(areas) - sim.events["kec_kode"].nunique())
    incidents = pd.DataFrame(
        {
            "tanggal": pd.to_datetime(sim.events["tanggal"]),
            "kategori": sim.events["kategori"].astype(str),
            "kec_kode": sim.events["kec_kode"].astype(str),
        }
    )
    context = sim.context
    register = _register_sample(sim.incidents, args.intake_rows)
    del sim
    with stage(f"1b read_incidents ({len(register):,} rows)", figures) as x:
        read = functools.partial(read_incidents, register, areas=areas)
        res = _profiled(read, "intake" in args.profile)
        x["accepted"] = len(res.accepted)
        x["quarantined"] = len(res.quarantine)
    figures[-1]["rows_per_s"] = round(len(register) / figures[-1]["seconds"])
    print(f"{'':<46} rows/s = {figures[-1]['rows_per_s']:,}")
    accepted = res.accepted
    if len(res.quarantine):
        print(res.quarantine["kode_alasan"].value_counts().to_string())
    del res, register

    # 2. model parts, then the full model ------------------------------------------------
    with stage("2a build_graph (fuzzy contiguity + islands)", figures) as x:
        graph, note = build_graph(areas, buffer_m=100.0, island_k=2)
        x["links"] = int(graph.n_edges)
        x["islands_attached"] = note.count("tanpa tetangga darat")
        x["components"] = int(graph.n_components)
    with stage("2b row_standardised (sparse CSR)", figures) as x:
        lag_w = row_standardised(graph)
        parts = (lag_w.data, lag_w.indices, lag_w.indptr)
        x["matrix_mb"] = round(sum(a.nbytes for a in parts) / 2**20, 2)
    del lag_w
    y = np.random.default_rng(0).gamma(0.5, 2.0, len(areas))
    with stage("2c local_statistics (Gi* + LISA, 999 perm.)", figures):
        local_statistics(y, graph, permutations=999, seed=0)
    del graph

    def fit_national() -> Any:
        return RiskModel(seed=0).fit(incidents, areas, context=context).score()

    with stage("2d RiskModel fit+score (national, default)", figures) as x:
        scores = _profiled(fit_national, "fit" in args.profile)
        x["hotspots"] = int((scores["gi_label"] == "hotspot").sum())
        x["stable_ranks"] = int(scores["peringkat_stabil"].sum())
    with stage("2e RiskModel fit+score (national, B=0)", figures):
        RiskModel(seed=0, overrides={"n_bootstrap": 0}).fit(
            incidents, areas, context=context
        ).score()

    _holdout_stage(incidents, areas, context, figures)

    in_prov = incidents["kec_kode"].str.startswith(PROVINCE + ".")
    prov_inc = incidents[in_prov].reset_index(drop=True)
    prov_ctx = context[context["kode"].str.startswith(PROVINCE + ".")].reset_index(drop=True)
    with stage(f"2f RiskModel fit+score (prov {PROVINCE}, {len(prov)} kec)", figures) as x:
        prov_scores = RiskModel(seed=0).fit(prov_inc, prov, context=prov_ctx).score()
        x["incidents"] = len(prov_inc)

    # 3. map + export -------------------------------------------------------------------
    prov_acc = accepted[accepted["kec_kode"].astype(str).str.startswith(PROVINCE + ".")]
    with tempfile.TemporaryDirectory() as tmp:
        _map_stage(
            f"3a risk_map + export_html (prov {PROVINCE})", prov_scores, prov_acc, tmp, figures
        )
        if args.national_map:
            _map_stage(
                "3b risk_map + export_html (national)",
                scores,
                accepted,
                tmp,
                figures,
                profile="map" in args.profile,
            )
    top = max(figures, key=lambda f: f["peak_mb"])
    print(f"highest stage peak RSS: {top['peak_mb']:.0f} MB ({top['stage']})")
    return figures


def _holdout_stage(
    incidents: pd.DataFrame, areas: gpd.GeoDataFrame, context: pd.DataFrame, figures: list[Any]
) -> None:
    """Top of the national ranking on the last 90 days, fitted on what came before.

    Share of the held-out incidents caught by the top 1% and 5% of kecamatan, ranked by the
    model's expected incidents (= its risk_score order) and by all-history counts.
    """
    from pilkada_risk.scoring.learning import hit_rate
    from pilkada_risk.scoring.model import RiskModel

    end = incidents["tanggal"].max().normalize() + pd.Timedelta(days=1)
    as_of = end - pd.Timedelta(days=90)
    train = incidents[incidents["tanggal"] < as_of]
    future = incidents[incidents["tanggal"] >= as_of]
    codes = sorted(areas["kode"].astype(str))
    with stage("2g fit+score at end-90d, hold out last 90 d", figures) as x:
        model = RiskModel(seed=0).fit(train, areas, as_of=as_of, context=context)
        scores = model.score().set_index("kode")["risk_score"].reindex(codes)
        x["weights"] = model.weights_mode_
    counts = train["kec_kode"].value_counts().reindex(codes, fill_value=0).to_numpy(float)
    y = future["kec_kode"].value_counts().reindex(codes, fill_value=0).to_numpy(float)
    for share in (0.01, 0.05):
        k = max(1, round(share * len(codes)))
        mine = hit_rate(scores.to_numpy(float)[None], y[None], k)[0]
        base = hit_rate(counts[None], y[None], k)[0]
        print(
            f"{'':<46} hit rate top {share:.0%} ({k} kec): model {mine:.3f}, all-history {base:.3f}"
        )
        figures[-1][f"hit_{share:.0%}"] = (round(mine, 3), round(base, 3))
    print(f"{'':<46} weights {model.weights_mode_} ({model.selection_.reason}): {model.weights_}")
    print(f"{'':<46} skill: {model.score().attrs['skill_note_en']}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n-per-year", type=float, default=110_000.0, help="background/yr")
    parser.add_argument("--regime", default="realistic", choices=["realistic", "stationary"])
    parser.add_argument("--intake-rows", type=int, default=200_000)
    parser.add_argument(
        "--simulator-context",
        action="store_true",
        help="keep simulate_incidents' own one-capital population (crowds Lampung)",
    )
    parser.add_argument("--national-map", action="store_true", help="also map all 7,285")
    parser.add_argument(
        "--profile",
        nargs="*",
        default=[],
        choices=["intake", "fit", "map"],
        help="print a cProfile table of these national stages",
    )
    args = parser.parse_args(argv)
    if not NATIONAL.exists():
        sys.exit(f"reference layer not found: {NATIONAL}")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, layer {NATIONAL.name}")
    run(args)


if __name__ == "__main__":
    main()
