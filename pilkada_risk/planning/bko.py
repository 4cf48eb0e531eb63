"""BKO allocation: the Polda's pools to its Polres, in whole units (``scipy.optimize.milp``).

Each Polres needs officers in the order its own plan (:func:`~pilkada_risk.planning.deploy.deploy`)
spends them, as five segments: ``top`` (every TPS *sangat rawan* and *khusus* at its full
pattern), ``rawan`` (the *rawan* minimum), ``kurang`` (the *kurang rawan* minimum), ``cadangan``
(the mobile reserve per kecamatan) and ``sisa`` (the rest of the full pattern). A segment covers
its expected risk in proportion to the officers it gets, and is filled only once the segments
before it are full (binary order variables), so the optimiser sees what the Polres' own plan
will do with the officers. Own strength stays with its Polres; BKO comes in whole units of
each pool (``[bko]`` settings: Pam TPS teams of 2, Brimob and Samapta platoons of 30), never
beyond a pool; Brimob only to eligible Polres. The objective is lexicographic, solved as a
sequence of MILPs, each fixing the optimum of the one before:

1. most officers at *sangat rawan* and *khusus* TPS (province-wide), 2. most officers at the
*rawan* minimums, 3. least uncovered expected risk, 4. fewest officers moved (what no Polres
needs stays in the pool).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from pilkada_risk.config.bko import POOLS, BkoSettings

__all__ = ["SEGMENTS", "BkoAllocation", "allocate_bko", "need_segments", "segment_fill"]

SEGMENTS = ("top", "rawan", "kurang", "cadangan", "sisa")
_TOL = 1e-6


@dataclass
class BkoAllocation:
    """Result of :func:`allocate_bko`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per Polres (input order): ``polres``, ``personel_sendiri``, ``brimob_boleh``,
        ``bko_pam_tps``, ``bko_brimob``, ``bko_samapta`` (officers), ``bko_total``,
        ``personel_total``, the need per segment ``perlu_<segment>`` and
        ``terisi_<segment>`` (officers the plan puts there), ``risiko`` and
        ``risiko_tidak_tercakup`` (expected incidents), ``porsi_bko``.
    pools : pandas.DataFrame
        Per pool: ``pool``, ``tersedia`` (officers), ``unit``, ``dialokasikan``, ``sisa``.
    gap_top : float
        Officers still missing at TPS *sangat rawan*/*khusus* province-wide (0 when covered).
    gap_rawan : float
        Officers still missing at the *rawan* minimums.
    """

    table: pd.DataFrame
    pools: pd.DataFrame
    gap_top: float
    gap_rawan: float
    log: list[str] = field(default_factory=list)


def need_segments(classified: pd.DataFrame, tps_sec: dict[str, Any]) -> pd.DataFrame:
    """Officers and expected risk of each segment (:data:`SEGMENTS`) for one Polres.

    ``classified`` is :func:`~pilkada_risk.planning.tps_class.classify_tps` output (``kec_kode``,
    ``kelas_kunci``, ``risiko_tps``). Returns columns ``segment``, ``perlu``, ``risiko``, ``tps``.
    """
    pola = tps_sec["pola"]
    g = classified.groupby(["kec_kode", "kelas_kunci"]).agg(
        n=("risiko_tps", "size"), risk=("risiko_tps", "sum")
    )
    g = g.reset_index()
    unit = g["kelas_kunci"].map(lambda k: int(pola[k]["polisi"])).to_numpy(float)
    full = np.array(
        [
            math.ceil(n / int(pola[k]["tps_min"]))
            for n, k in zip(g["n"], g["kelas_kunci"], strict=True)
        ]
    )
    low = np.array(
        [
            math.ceil(n / int(pola[k]["tps_max"]))
            for n, k in zip(g["n"], g["kelas_kunci"], strict=True)
        ]
    )
    risk = g["risk"].to_numpy(float)
    share = low / np.maximum(full, 1)
    key = g["kelas_kunci"].to_numpy()
    top = np.isin(key, ["sangat_rawan", "khusus"])
    rows = [
        ("top", (unit * full)[top].sum(), risk[top].sum(), int(g["n"][top].sum())),
        (
            "rawan",
            (unit * low)[key == "rawan"].sum(),
            (risk * share)[key == "rawan"].sum(),
            int(g["n"][key == "rawan"].sum()),
        ),
        (
            "kurang",
            (unit * low)[key == "kurang_rawan"].sum(),
            (risk * share)[key == "kurang_rawan"].sum(),
            int(g["n"][key == "kurang_rawan"].sum()),
        ),
        ("cadangan", int(tps_sec["cadangan_min_kecamatan"]) * g["kec_kode"].nunique(), 0.0, 0),
        ("sisa", (unit * (full - low))[~top].sum(), (risk * (1 - share))[~top].sum(), 0),
    ]
    return pd.DataFrame(rows, columns=["segment", "perlu", "risiko", "tps"])


def segment_fill(need: np.ndarray, officers: float) -> np.ndarray:
    """Officers per segment when ``officers`` fill the segments in order."""
    cum = np.concatenate([[0.0], np.cumsum(need)])
    return np.clip(officers - cum[:-1], 0.0, need)


def _lexicographic(
    c_list: list[np.ndarray], a_ub: np.ndarray, b_ub: np.ndarray, bounds: Any, integrality: Any
) -> np.ndarray:
    """Minimise each objective of ``c_list`` in turn, keeping the optima of the ones before."""

    rows, rhs = [a_ub], [b_ub]
    x = None
    for c in c_list:
        cons = LinearConstraint(np.vstack(rows), -np.inf, np.concatenate(rhs))
        res = milp(c, constraints=cons, bounds=bounds, integrality=integrality)
        if res.x is None:  # numerical trouble: keep the previous stage's plan
            break
        x = res.x
        slack = max(abs(res.fun) * 1e-7, _TOL)
        rows.append(c[None, :])
        rhs.append(np.array([res.fun + slack]))
    if x is None:
        raise RuntimeError("BKO allocation: the MILP solver found no plan")
    return x


def allocate_bko(
    own: np.ndarray,
    needs: list[pd.DataFrame],
    pools: dict[str, int],
    settings: BkoSettings,
    brimob_ok: np.ndarray,
    names: list[str],
) -> BkoAllocation:
    """Allocate the pools to the Polres (module docstring).

    Parameters
    ----------
    own
        Own officers available at TPS level per Polres.
    needs
        :func:`need_segments` per Polres, same order.
    pools
        Officers in ``bko_pam_tps``, ``bko_brimob``, ``bko_samapta`` (``cadangan`` is never
        allocated and may be present).
    settings
        :func:`~pilkada_risk.config.bko.load_bko`.
    brimob_ok
        Per Polres: may receive Brimob.
    names
        Polres names (for the table).
    """

    n, s, k = len(own), len(SEGMENTS), len(POOLS)
    need = np.array([nd["perlu"].to_numpy(float) for nd in needs]).reshape(n, s)
    risk = np.array([nd["risiko"].to_numpy(float) for nd in needs]).reshape(n, s)
    size = np.array([settings.units[p] for p in POOLS], float)
    n_units = np.array([int(pools.get(p, 0)) // settings.units[p] for p in POOLS], float)
    xi, ci, zi, a_ub, b_ub = _constraints(own, need, size, n_units)
    nv = a_ub.shape[1]
    pool_cap = np.where(
        brimob_ok[:, None] | (np.arange(k) != POOLS.index("bko_brimob"))[None, :],
        n_units[None, :],
        0.0,
    )
    upper = np.concatenate([pool_cap.ravel(), need.ravel(), np.ones(zi.size)])
    bounds = Bounds(np.zeros(nv), upper)
    integrality = np.concatenate([np.ones(xi.size), np.zeros(ci.size), np.ones(zi.size)])
    objectives = []
    for q in (0, 1):  # officers at the top segment, then at the rawan minimums
        c = np.zeros(nv)
        c[ci[:, q]] = -1.0
        objectives.append(c)
    c = np.zeros(nv)  # covered expected risk
    c[ci.ravel()] = -(risk / np.maximum(need, _TOL)).ravel()
    objectives.append(c)
    c = np.zeros(nv)  # officers moved
    c[xi] = size[None, :]
    objectives.append(c)
    x = _lexicographic(objectives, a_ub, b_ub, bounds, integrality)
    units = np.round(x[xi]).astype(int)
    return _result(own, need, risk, units, size, n_units, pools, settings, brimob_ok, names)


def _constraints(
    own: np.ndarray, need: np.ndarray, size: np.ndarray, n_units: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Variable indices and ``A x <= b``: pools, strength, segment order.

    Variables: ``x`` (units per Polres and pool, integer) | ``c`` (officers per Polres and
    segment) | ``z`` (segment full, binary).
    """
    (n, s), k = need.shape, len(size)
    nx, nc, nz = n * k, n * s, n * (s - 1)
    nv = nx + nc + nz
    xi = np.arange(nx).reshape(n, k)
    ci = nx + np.arange(nc).reshape(n, s)
    zi = nx + nc + np.arange(nz).reshape(n, s - 1)
    rows: list[np.ndarray] = []
    rhs: list[float] = []

    def row(coef: dict[int, float], b: float) -> None:
        r = np.zeros(nv)
        for i, v in coef.items():
            r[i] += v
        rows.append(r)
        rhs.append(b)

    for j in range(k):  # never beyond a pool
        row({int(i): 1.0 for i in xi[:, j]}, float(n_units[j]))
    for p in range(n):
        used = {int(ci[p, q]): 1.0 for q in range(s)}
        row({**used, **{int(xi[p, j]): -float(size[j]) for j in range(k)}}, float(own[p]))
        for q in range(s - 1):  # segment q+1 only once segment q is full
            row({int(ci[p, q]): -1.0, int(zi[p, q]): float(need[p, q])}, 0.0)
            row({int(ci[p, q + 1]): 1.0, int(zi[p, q]): -float(need[p, q + 1])}, 0.0)
    return xi, ci, zi, np.array(rows), np.array(rhs)


def _result(
    own: np.ndarray,
    need: np.ndarray,
    risk: np.ndarray,
    units: np.ndarray,
    size: np.ndarray,
    n_units: np.ndarray,
    pools: dict[str, int],
    settings: BkoSettings,
    brimob_ok: np.ndarray,
    names: list[str],
) -> BkoAllocation:
    officers = units * size[None, :].astype(int)
    total = own + officers.sum(axis=1)
    fill = np.array([segment_fill(need[p], total[p]) for p in range(len(own))]).reshape(need.shape)
    covered = (risk * fill / np.maximum(need, _TOL)).sum(axis=1)
    table = pd.DataFrame(
        {"polres": names, "personel_sendiri": own.astype(int), "brimob_boleh": brimob_ok}
    )
    for j, pool in enumerate(POOLS):
        table[pool] = officers[:, j]
    table["bko_total"] = officers.sum(axis=1)
    table["personel_total"] = total.astype(int)
    for q, seg in enumerate(SEGMENTS):
        table[f"perlu_{seg}"] = need[:, q].astype(int)
        table[f"terisi_{seg}"] = np.round(fill[:, q]).astype(int)
    table["risiko"] = risk.sum(axis=1).round(4)
    table["risiko_tidak_tercakup"] = (risk.sum(axis=1) - covered).round(4)
    table["porsi_bko"] = (table["bko_total"] / table["personel_total"].clip(lower=1)).round(4)
    pool_rows = [
        (
            pool,
            int(pools.get(pool, 0)),
            settings.units[pool],
            int(officers[:, j].sum()),
            int(pools.get(pool, 0)) - int(officers[:, j].sum()),
        )
        for j, pool in enumerate(POOLS)
    ]
    pool_table = pd.DataFrame(
        pool_rows, columns=["pool", "tersedia", "unit", "dialokasikan", "sisa"]
    )
    gap_top = float((need[:, 0] - fill[:, 0]).sum())
    gap_rawan = float((need[:, 1] - fill[:, 1]).sum())
    return BkoAllocation(table, pool_table, gap_top, gap_rawan)


def marginal_unit(alloc: BkoAllocation, needs: list[pd.DataFrame], extra: int) -> pd.DataFrame:
    """What ``extra`` more officers would buy at each Polres, given the allocation.

    Columns ``polres``, ``tambah_top`` (officers more at *sangat rawan*/*khusus* TPS),
    ``tambah_rawan``, ``risiko_turun`` (uncovered expected risk removed), sorted best first
    (lexicographic, like the allocation).
    """
    rows = []
    for rec, nd in zip(alloc.table.to_dict("records"), needs, strict=True):
        need, risk = nd["perlu"].to_numpy(float), nd["risiko"].to_numpy(float)
        before = segment_fill(need, rec["personel_total"])
        after = segment_fill(need, rec["personel_total"] + extra)
        gain = (after - before) * risk / np.maximum(need, _TOL)
        rows.append((rec["polres"], after[0] - before[0], after[1] - before[1], gain.sum()))
    out = pd.DataFrame(rows, columns=["polres", "tambah_top", "tambah_rawan", "risiko_turun"])
    out = out.round({"tambah_top": 0, "tambah_rawan": 0, "risiko_turun": 4})
    return out.sort_values(
        ["tambah_top", "tambah_rawan", "risiko_turun"], ascending=False, kind="stable"
    ).reset_index(drop=True)
