"""Intake speed on a synthetic messy register (prints rows/s), the intake figures of the
shipped messy demo register ``data/demo/kejadian_sintetis_pesisir_barat.csv``, and the cost of
intake on a clean register against a hand-written ``read_csv`` + ``sjoin`` floor in the same run
(the ratio the analyst pays for checks, repairs and the quarantine; target <= 4).

National mode (``--national N``, issue 18 item 5, target ratio <= 1.5): ``N`` SYNTHETIC clean
incidents against all 7,285 kecamatan of the high-resolution reference layer
``indonesia_kecamatan_hires.parquet`` in the ``boundaries`` folder beside the upstream mirror
(``$PILKADA_RISK_MIRROR/../boundaries``, else ``../shared/data/boundaries``; read in place, never
copied),
95 % inside a kecamatan and 5 % up to 1.5 km off the coast. The floor honours the same placement
contract: ``pandas.read_csv`` + ``to_datetime`` + ``geopandas.sjoin`` "within" +
``sjoin_nearest`` within 2 km (UTM of the layer's centre) for the points not within any unit.
Floor and intake run in the same process on the same file; wall seconds, CPU seconds
(``time.process_time``: steadier than wall time on a shared machine) and peak RSS of each are
printed, then the ratios.

Run: ``.venv/bin/python -m benchmarks.bench_intake [N]
[CLEAN_N]`` (Lampung) or ``... -m benchmarks.bench_intake --national 1000000``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from pilkada_risk.geo.boundaries import load_desa, load_kecamatan
from pilkada_risk.intake.incidents import read_incidents

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "data" / "demo" / "kejadian_sintetis_pesisir_barat.csv"
# Next to the upstream mirror (``PILKADA_RISK_MIRROR`` = .../shared/data/upstream), else ../shared.
_MIRROR = os.environ.get("PILKADA_RISK_MIRROR", str(REPO.parent / "shared/data/upstream"))
_SHARED_DATA = Path(_MIRROR).parent
HIRES = _SHARED_DATA / "boundaries" / "indonesia_kecamatan_hires.parquet"


def messy_register(desa: pd.DataFrame, n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(desa), n)
    pts = desa.geometry.representative_point().to_numpy()[pick]
    lat = np.array([p.y for p in pts]) + rng.normal(0, 0.001, n)
    lon = np.array([p.x for p in pts]) + rng.normal(0, 0.001, n)
    days = pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 2190, n), unit="D")
    fmt = rng.integers(0, 3, n)
    tanggal = np.where(
        fmt == 0,
        days.strftime("%d/%m/%Y"),
        np.where(fmt == 1, days.strftime("%Y-%m-%d"), days.strftime("%d %b %Y")),
    )
    jenis = rng.choice(["Politik uang", "curas", "pencurian motor", "demo", "judi", "xyz"], n)
    lat_s = np.where(
        rng.random(n) < 0.3,
        np.char.replace(lat.round(5).astype(str), ".", ","),
        lat.round(5).astype(str),
    )
    no_coord = rng.random(n) < 0.2
    return pd.DataFrame(
        {
            "No": np.arange(1, n + 1),
            "Tanggal": tanggal,
            "Jenis Kejadian": jenis,
            "Kecamatan": desa["kec_nama"].to_numpy()[pick],
            "Pekon": desa["nama"].to_numpy()[pick],
            "Lintang": np.where(no_coord, "", lat_s),
            "Bujur": np.where(no_coord, "", lon.round(5)),
        }
    )


def clean_register(desa: pd.DataFrame, n: int, seed: int = 0) -> pd.DataFrame:
    """A clean register: unique ids, ISO dates, shipped category labels, decimal coordinates."""
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(desa), n)
    pts = desa.geometry.representative_point()
    lat = pts.y.to_numpy()[pick] + rng.normal(0, 0.0005, n)
    lon = pts.x.to_numpy()[pick] + rng.normal(0, 0.0005, n)
    return _register(rng, desa["kec_nama"].to_numpy()[pick], lat, lon)


def _register(
    rng: np.random.Generator, kecamatan: np.ndarray, lat: np.ndarray, lon: np.ndarray
) -> pd.DataFrame:
    """Ids, ISO dates, shipped category labels and rounded coordinates for the given places."""
    n = len(kecamatan)
    days = pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 2000, n), unit="D")
    jenis = rng.choice(["politik uang", "curas", "curanmor", "unjuk rasa", "perjudian"], n)
    return pd.DataFrame(
        {
            "id": [f"LP-{i:07d}" for i in range(n)],
            "tanggal": days.strftime("%Y-%m-%d"),
            "kategori": jenis,
            "kecamatan": kecamatan,
            "lat": np.round(lat, 5),
            "lon": np.round(lon, 5),
            "korban": rng.integers(0, 3, n),
        }
    )


def floor_read(path: Path, kec: gpd.GeoDataFrame, desa: gpd.GeoDataFrame) -> int:
    """What a hand-written script does: read_csv, parse dates, two spatial joins."""
    frame = pd.read_csv(path, sep=";", dtype={"id": str})
    frame["tanggal"] = pd.to_datetime(frame["tanggal"], format="%Y-%m-%d")
    points = gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=4326
    )
    joined = gpd.sjoin(points, kec[["kode", "geometry"]], how="left", predicate="within")
    joined = joined.drop(columns="index_right").rename(columns={"kode": "kec_kode"})
    joined = gpd.sjoin(joined, desa[["kode", "geometry"]], how="left", predicate="within")
    return int(joined["kec_kode"].notna().sum())


def intake_ratio(kec: gpd.GeoDataFrame, desa: gpd.GeoDataFrame, n: int) -> float:
    """Print intake vs floor seconds on a clean ``n``-row register; return the ratio."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "register_bersih.csv"
        clean_register(desa, n).to_csv(path, sep=";", index=False)
        start = time.perf_counter()
        placed = floor_read(path, kec, desa)
        floor = time.perf_counter() - start
        start = time.perf_counter()
        res = read_incidents(path, areas=kec, desa=desa, as_of="2025-01-01")
        ours = time.perf_counter() - start
    ratio = ours / floor
    print(
        f"clean register rows={n} intake_s={ours:.2f} floor_s={floor:.2f} "
        f"(read_csv + to_datetime + 2 sjoin) ratio={ratio:.2f} "
        f"accepted={len(res.accepted)} quarantined={len(res.quarantine)} floor_placed={placed}"
    )
    return ratio


def demo_figures(kec: pd.DataFrame, desa: pd.DataFrame) -> None:
    """Print read / accepted / quarantined by reason / precision / repairs for the demo."""
    start = time.perf_counter()
    res = read_incidents(DEMO, areas=kec, desa=desa, as_of="2025-01-01")
    elapsed = time.perf_counter() - start
    print(f"demo register {DEMO.name}: seconds={elapsed:.2f}")
    print(res.summary().to_string())


def main(n: int = 10_000, clean_n: int = 100_000) -> None:
    """Lampung figures: the demo register, the clean-register ratio and the messy rows/s."""
    kec, desa = load_kecamatan("18.13"), load_desa("18.13")
    demo_figures(kec, desa)
    intake_ratio(kec, desa, clean_n)
    frame = messy_register(desa, n)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "register.csv"
        frame.to_csv(path, sep=";", index=False)
        read_incidents(path, areas=kec, desa=desa)  # warm caches
        start = time.perf_counter()
        res = read_incidents(path, areas=kec, desa=desa)
        elapsed = time.perf_counter() - start
    print(f"rows={n} seconds={elapsed:.2f} rows_per_s={n / elapsed:,.0f}")
    print(res.summary().to_string())


# ------------------------------------------------------------------ national (issue 18, item 5)
def national_areas() -> gpd.GeoDataFrame:
    """The 7,285 kecamatan of the high-resolution reference layer, as intake's ``areas``."""
    areas = gpd.read_parquet(HIRES)
    keep = ["kode", "nama", "kab_kode", "kab_nama", "prov_kode", "area_km2", "geometry"]
    return areas[keep].assign(nama_alt="").sort_values("kode", ignore_index=True)


def _inside_points(geoms: np.ndarray, pick: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One uniform random point inside ``geoms[pick[i]]`` for every ``i`` (rejection sampling)."""
    bounds = shapely.bounds(geoms)
    shapely.prepare(geoms)
    xy = np.full((len(pick), 2), np.nan)
    todo = np.arange(len(pick))
    for _ in range(200):
        b = bounds[pick[todo]]
        x = rng.uniform(b[:, 0], b[:, 2])
        y = rng.uniform(b[:, 1], b[:, 3])
        hit = shapely.contains_xy(geoms[pick[todo]], x, y)
        xy[todo[hit]] = np.column_stack([x[hit], y[hit]])
        todo = todo[~hit]
        if not len(todo):
            break
    rep = shapely.point_on_surface(geoms[pick[todo]])  # very thin units: a point inside
    xy[todo] = shapely.get_coordinates(rep)
    return xy


def _offshore_points(
    geoms: np.ndarray, n: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points 100-1500 m from a boundary vertex and inside no unit (just off the coast,
    or in a lake), with the unit each came from."""
    parts, part_owner = shapely.get_parts(geoms, return_index=True)
    rings = shapely.get_exterior_ring(parts)
    coords, ring_idx = shapely.get_coordinates(rings, return_index=True)
    owner = part_owner[ring_idx]
    tree = shapely.STRtree(geoms)
    out_xy, out_owner = [], []
    got = 0
    while got < n:
        k = rng.integers(0, len(coords), 4 * n)
        dist = rng.uniform(100.0, 1500.0, len(k))
        angle = rng.uniform(0, 2 * np.pi, len(k))
        lat = coords[k, 1]
        x = coords[k, 0] + dist * np.cos(angle) / (111_320.0 * np.cos(np.radians(lat)))
        y = lat + dist * np.sin(angle) / 110_574.0
        hit = np.zeros(len(k), dtype=bool)
        hit[tree.query(shapely.points(x, y), predicate="intersects")[0]] = True
        keep = np.flatnonzero(~hit)[: n - got]
        out_xy.append(np.column_stack([x[keep], y[keep]]))
        out_owner.append(owner[k[keep]])
        got += len(keep)
    return np.concatenate(out_xy), np.concatenate(out_owner)


def national_register(areas: gpd.GeoDataFrame, n: int, seed: int = 0) -> pd.DataFrame:
    """A clean SYNTHETIC national register: 95 % of points inside, 5 % just off the coast."""
    rng = np.random.default_rng(seed)
    geoms = areas.geometry.to_numpy()
    n_off = round(0.05 * n)
    pick = rng.integers(0, len(areas), n - n_off)
    inside = _inside_points(geoms, pick, rng)
    off, off_owner = _offshore_points(geoms, n_off, rng)
    order = rng.permutation(n)
    xy = np.concatenate([inside, off])[order]
    owner = np.concatenate([pick, off_owner])[order]
    return _register(rng, areas["nama"].to_numpy()[owner], xy[:, 1], xy[:, 0])


def national_floor(path: Path, areas: gpd.GeoDataFrame, tolerance_m: float = 2000.0) -> int:
    """The placement contract written by hand: read_csv, to_datetime, sjoin "within", then
    sjoin_nearest within ``tolerance_m`` (UTM of the layer's centre) for the points left."""
    from pilkada_risk.geo.geometry import utm_crs

    frame = pd.read_csv(path, sep=";", dtype={"id": str})
    frame["tanggal"] = pd.to_datetime(frame["tanggal"], format="%Y-%m-%d")
    points = gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=4326
    )
    units = areas[["kode", "geometry"]]
    inside = gpd.sjoin(points, units, how="left", predicate="within")
    inside = inside[~inside.index.duplicated(keep="first")]
    rest = inside["kode"].isna().to_numpy()
    utm = utm_crs(units)
    near = gpd.sjoin_nearest(
        points.loc[rest, ["geometry"]].to_crs(utm),
        units.to_crs(utm),
        how="left",
        max_distance=tolerance_m,
    )
    near = near[~near.index.duplicated(keep="first")]
    kode = inside["kode"].astype(object)
    kode.loc[near.index] = near["kode"].astype(object)
    return int(kode.notna().sum())


def main_national(n: int) -> float:
    """Floor and intake on one ``n``-row national register in this run; print and return the
    ratio (target <= 1.5)."""
    from benchmarks.bench_national import stage

    if not HIRES.exists():
        sys.exit(f"reference layer not found: {HIRES}")
    figures: list[dict[str, object]] = []
    with stage("read hires national layer", figures) as x:
        areas = national_areas()
        x["kecamatan"] = len(areas)
        x["vertices"] = int(shapely.get_num_coordinates(areas.geometry.to_numpy()).sum())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "register_nasional_sintetis.csv"
        with stage(f"make SYNTHETIC register ({n:,} rows)", figures):
            # fixed decimals: a float such as 1e-05 written by to_csv is no register value
            national_register(areas, n).to_csv(path, sep=";", index=False, float_format="%.5f")
        with stage("floor (read_csv + sjoin within + nearest)", figures) as x:
            cpu = time.process_time()
            x["placed"] = national_floor(path, areas)
            x["cpu_s"] = round(time.process_time() - cpu, 2)
        with stage("read_incidents", figures) as x:
            cpu = time.process_time()
            res = read_incidents(path, areas=areas, as_of="2025-01-01")
            x["cpu_s"] = round(time.process_time() - cpu, 2)
            x["accepted"] = len(res.accepted)
            x["quarantined"] = len(res.quarantine)
    floor, ours = figures[-2], figures[-1]
    ratio = float(ours["seconds"]) / float(floor["seconds"])  # type: ignore[arg-type]
    cpu_ratio = float(ours["cpu_s"]) / float(floor["cpu_s"])  # type: ignore[arg-type]
    print(f"national rows={n} floor_s={floor['seconds']:.2f} intake_s={ours['seconds']:.2f} "
          f"ratio={ratio:.2f} (target <= 1.5; CPU seconds {floor['cpu_s']} / {ours['cpu_s']}, "
          f"ratio {cpu_ratio:.2f}) floor_peak_mb={floor['peak_mb']:.0f} "
          f"intake_peak_mb={ours['peak_mb']:.0f}")  # fmt: skip
    print(res.summary().to_string())
    return ratio


if __name__ == "__main__":
    if "--national" in sys.argv:
        at = sys.argv.index("--national")
        main_national(int(sys.argv[at + 1]) if len(sys.argv) > at + 1 else 1_000_000)
    else:
        main(*[int(a) for a in sys.argv[1:3]])
