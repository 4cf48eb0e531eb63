"""Personnel deployment per TPS under a strength limit.

Police are deployed in teams of ``polisi`` officers (the profile's ``[tps.pola.<class>]``), one
team guarding ``tps_min`` (full pattern) to ``tps_max`` (minimum) TPS of the same class in the
same kecamatan. With ``personnel`` at or above the need, every group gets its full pattern and
every kecamatan its mobile reserve (``cadangan_min_kecamatan``); what is left is the Polres
reserve. Otherwise personnel go in tiers, each finished before the next starts:

1. every *sangat rawan* TPS, 2. every TPS *khusus*, 3. the *rawan* minimum, 4. the *kurang
rawan* minimum, 5. the mobile reserve per kecamatan, 6. the rest of the full pattern (*rawan* and
*kurang rawan* together).

Inside the tier where personnel run out, :func:`allocate` (``scipy.optimize.milp``) chooses the
teams that cover the most expected risk (minimises uncovered expected risk). A group's covered
risk is its risk times ``teams / full-pattern teams`` (capped at 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

__all__ = [
    "Deployment",
    "allocate",
    "assign_tps",
    "deploy",
    "proportional_teams",
    "proportional_uncovered",
    "uncovered_risk",
]

_TIERS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("sangat_rawan",), "full"),
    (("khusus",), "full"),
    (("rawan",), "min"),
    (("kurang_rawan",), "min"),
    (("cadangan",), "min"),
    (("rawan", "kurang_rawan"), "full"),  # one optimisation over both classes
)


@dataclass
class Deployment:
    """Teams per (kecamatan, class) group, reserves and the tier reached."""

    groups: pd.DataFrame
    reserve: pd.Series
    polres_reserve: int
    status: str
    unguarded_top: int = 0
    log: list[str] = field(default_factory=list)


def allocate(
    risk: np.ndarray,
    full: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    unit: np.ndarray,
    budget: float,
) -> np.ndarray:
    """Teams per group maximising covered risk with ``sum(unit * teams) <= budget``.

    ``teams`` lie in ``[lower, upper]`` (``budget`` counts only what goes beyond ``lower``);
    covered risk of a group is ``risk * min(1, teams / full)``. Solved exactly as a mixed
    integer programme (``scipy.optimize.milp``, HiGHS).

    Examples
    --------
    >>> allocate(np.array([10.0, 1.0]), np.array([2, 2]), np.zeros(2), np.array([2, 2]),
    ...          np.array([2, 2]), 4).tolist()
    [2, 0]
    """
    n = len(risk)
    if n == 0:
        return np.zeros(0, dtype=int)
    slope = risk / np.maximum(full, 1)
    # variables: teams (integer) then covered risk (continuous); maximise covered risk
    c = np.concatenate([np.zeros(n), -np.ones(n)])
    cover = np.hstack([-np.diag(slope), np.eye(n)])  # covered - slope * teams <= 0
    spend = np.concatenate([unit, np.zeros(n)])[None, :]
    constraints = [
        LinearConstraint(cover, -np.inf, 0.0),
        LinearConstraint(spend, -np.inf, float(budget + unit @ lower)),
    ]
    bounds = Bounds(np.concatenate([lower, np.zeros(n)]), np.concatenate([upper, risk]))
    integrality = np.concatenate([np.ones(n), np.zeros(n)])
    res = milp(c, constraints=constraints, bounds=bounds, integrality=integrality)
    if res.x is None:  # cannot happen with lower bounds already paid; keep the lower bounds
        return lower.astype(int)
    return np.round(res.x[:n]).astype(int)


def _groups(tps: pd.DataFrame, pola: dict[str, Any]) -> pd.DataFrame:
    frame = tps.groupby(["kec_kode", "kelas_kunci"], sort=True).agg(
        n=("tps_id", "size"), risk=("risiko_tps", "sum")
    )
    frame = frame.reset_index()
    spec = frame["kelas_kunci"].map(pola)
    frame["unit"] = [int(s["polisi"]) for s in spec]
    frame["full"] = [
        math.ceil(n / int(s["tps_min"])) for n, s in zip(frame["n"], spec, strict=True)
    ]
    frame["min"] = [math.ceil(n / int(s["tps_max"])) for n, s in zip(frame["n"], spec, strict=True)]
    frame["teams"] = 0
    return frame


def deploy(tps: pd.DataFrame, personnel: int, tps_sec: dict[str, Any]) -> Deployment:
    """Teams per (kecamatan, class) group and reserves for ``personnel`` officers.

    ``tps`` needs ``tps_id``, ``kec_kode``, ``kelas_kunci`` and ``risiko_tps``
    (:func:`pilkada_risk.planning.tps_class.classify_tps`).
    """
    groups = _groups(tps, tps_sec["pola"])
    kecs = sorted(tps["kec_kode"].astype(str).unique())
    reserve = pd.Series(0, index=kecs, dtype=int)
    reserve_min = int(tps_sec["cadangan_min_kecamatan"])
    kec_risk = groups.groupby("kec_kode")["risk"].sum().reindex(kecs)
    budget = int(personnel)
    status = "cukup"
    for classes, level in _TIERS:
        if classes == ("cadangan",):
            want = reserve_min * len(kecs)
            if budget >= want:
                reserve[:] = reserve_min
                budget -= want
            else:  # the riskiest kecamatan first
                status = "kurang"
                for kode in kec_risk.sort_values(ascending=False, kind="stable").index:
                    give = min(reserve_min, budget)
                    reserve[kode], budget = give, budget - give
            continue
        rows = groups.index[groups["kelas_kunci"].isin(classes)]
        target = groups.loc[rows, level].to_numpy()
        have = groups.loc[rows, "teams"].to_numpy()
        extra = np.maximum(target - have, 0)
        cost = int((groups.loc[rows, "unit"].to_numpy() * extra).sum())
        if cost <= budget:
            groups.loc[rows, "teams"] = np.maximum(target, have)
            budget -= cost
            continue
        status = "tidak_layak" if classes[0] in ("sangat_rawan", "khusus") else "kurang"
        sub = groups.loc[rows]
        teams = allocate(
            sub["risk"].to_numpy(float),
            sub["full"].to_numpy(float),
            have.astype(float),
            np.maximum(target, have).astype(float),
            sub["unit"].to_numpy(float),
            budget,
        )
        groups.loc[rows, "teams"] = teams
        budget -= int((sub["unit"].to_numpy() * (teams - have)).sum())
        if status == "tidak_layak":
            break
    top = groups["kelas_kunci"].isin(["sangat_rawan", "khusus"])
    unguarded = int((groups.loc[top, "n"] - groups.loc[top, "teams"]).clip(lower=0).sum())
    return Deployment(groups, reserve, max(budget, 0), status, unguarded)


def assign_tps(tps: pd.DataFrame, dep: Deployment, pola: dict[str, Any]) -> pd.DataFrame:
    """Per TPS: ``personel_pola`` (full pattern per TPS), ``personel`` (share of its team) and
    ``regu`` (team id; TPS of one team are neighbours by desa and number)."""
    out = tps.copy()
    out["personel_pola"] = [
        int(pola[k]["polisi"]) / int(pola[k]["tps_min"]) for k in out["kelas_kunci"]
    ]
    out["personel"] = 0.0
    out["regu"] = ""
    for g in dep.groups.itertuples():
        idx = out.index[(out["kec_kode"] == g.kec_kode) & (out["kelas_kunci"] == g.kelas_kunci)]
        teams = int(g.teams)
        if teams == 0:
            continue
        cap = int(pola[g.kelas_kunci]["tps_max"])
        members = out.loc[idx]
        if teams * cap < len(idx):  # not all covered: the riskiest TPS first
            members = members.sort_values("risiko_tps", ascending=False, kind="stable")
            members = members.iloc[: teams * cap]
        members = members.sort_values(["desa_kode", "no_tps"], kind="stable")
        sizes = np.full(teams, len(members) // teams) + (np.arange(teams) < len(members) % teams)
        start = 0
        for t, size in enumerate(sizes):
            chunk = members.index[start : start + size]
            start += size
            out.loc[chunk, "personel"] = int(g.unit) / max(int(size), 1)
            out.loc[chunk, "regu"] = f"{g.kec_kode}/{g.kelas_kunci}/{t + 1:02d}"
    return out


def uncovered_risk(risk: np.ndarray, personel: np.ndarray, pola: np.ndarray) -> float:
    """Expected risk left uncovered: ``sum(risk * (1 - min(1, personel / pola)))``."""
    level = np.minimum(1.0, np.asarray(personel, float) / np.maximum(np.asarray(pola, float), 1e-9))
    return float((np.asarray(risk, float) * (1.0 - level)).sum())


def proportional_teams(groups: pd.DataFrame, budget: int) -> np.ndarray:
    """Teams of the naive plan: every group the same share of its full-pattern teams.

    The share is ``budget / need``; teams are rounded down and the officers left over go, one
    team at a time, to the groups with the largest remainders (largest-remainder rounding).
    """
    unit = groups["unit"].to_numpy(int)
    full = groups["full"].to_numpy(int)
    share = min(1.0, budget / max(int((unit * full).sum()), 1))
    exact = full * share
    teams = np.floor(exact).astype(int)
    left = budget - int((unit * teams).sum())
    for i in np.argsort(-(exact - teams), kind="stable"):
        if teams[i] < full[i] and unit[i] <= left:
            teams[i] += 1
            left -= unit[i]
    return teams


def proportional_uncovered(
    classified: pd.DataFrame, dep: Deployment, pola: dict[str, Any], budget: int
) -> float:
    """Uncovered risk of the proportional plan (:func:`proportional_teams`) with ``budget``
    officers at TPS, teams formed as in the optimised plan (:func:`assign_tps`)."""
    groups = dep.groups.copy()
    groups["teams"] = proportional_teams(groups, budget)
    naive = Deployment(groups, dep.reserve, 0, dep.status)
    out = assign_tps(classified, naive, pola)
    return uncovered_risk(out["risiko_tps"], out["personel"], out["personel_pola"])
