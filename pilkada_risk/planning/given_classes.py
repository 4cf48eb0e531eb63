"""Class rule variants: the Polda's given classes, kept; the Polda's targets, by top-N.

The Polda (Biro Ops, Ditintelkam), not the Polres analyst, fixes TPS classes. When the TPS list
carries them (``kelas_diberikan`` from :func:`pilkada_risk.read_tps`), they are deployed as given
and the tool's own suggestion stands beside them (``kelas_saran``), with a given-vs-suggested table:
the tool never silently overrides the Polda.

Where no class is given, the plan profile's rule applies: cut-offs in points
(``aturan_kelas = "poin"``), or the Polda's targets (``aturan_kelas = "target"``,
``[tps.target] sangat_rawan = 20``, ``rawan = "10%"``): the TPS with the most points take the
class; ties are broken by indicator points, then desa points, then DPT (larger first), then TPS
code, and a tie across a target's boundary is said in the reasons of the TPS concerned.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pilkada_risk.config.i18n import label
from pilkada_risk.config.plan_profile import target_value

__all__ = ["class_comparison", "cutoff_classes", "target_classes"]


def cutoff_classes(points: np.ndarray, cutoffs: list[float]) -> np.ndarray:
    """``kurang_rawan`` / ``rawan`` / ``sangat_rawan`` by the two point cut-offs."""
    low, high = (float(c) for c in cutoffs)
    return np.where(
        points >= high, "sangat_rawan", np.where(points >= low, "rawan", "kurang_rawan")
    )


def _target_n(value: Any, n: int) -> int:
    kind, number = target_value(value)
    return min(n, int(number) if kind == "n" else int(round(number * n)))


def target_classes(
    frame: pd.DataFrame, sec: dict[str, Any], eligible: np.ndarray, lang: str
) -> tuple[np.ndarray, list[str], list[str]]:
    """Classes by the Polda's targets; per-TPS tie notes; summary notes.

    ``frame`` needs ``poin``, ``poin_indikator``, ``poin_desa``, ``dpt``, ``tps_id``;
    ``eligible`` masks the TPS that may take a class (not khusus). A share target counts the
    eligible TPS; a class without a target keeps the cut-off rule.

    Examples
    --------
    >>> f = pd.DataFrame({"poin": [5.0, 4.0, 4.0, 1.0], "poin_indikator": [3.0, 3.0, 0.0, 0.0],
    ...                   "poin_desa": 0.0, "dpt": 300, "tps_id": list("abcd")})
    >>> sec = {"cutoffs": [3.0, 6.0], "target": {"sangat_rawan": 2, "rawan": "25%"}}
    >>> keys, notes, _ = target_classes(f, sec, np.ones(4, bool), "en")
    >>> keys.tolist()
    ['sangat_rawan', 'sangat_rawan', 'rawan', 'kurang_rawan']
    >>> notes[2][:30]
    'tie at the highly vulnerable t'
    """
    points = frame["poin"].to_numpy(float)
    keys = cutoff_classes(points, sec["cutoffs"])
    notes = [""] * len(frame)
    summary: list[str] = []
    order = np.lexsort(
        (
            frame["tps_id"].astype(str).to_numpy(),
            -frame["dpt"].astype(float).to_numpy(),
            -frame["poin_desa"].to_numpy(float),
            -frame["poin_indikator"].to_numpy(float),
            -points,
        )
    )
    order = order[eligible[order]]
    low = float(sec["cutoffs"][0])
    rest, chosen = order, {}
    for cls in ("sangat_rawan", "rawan"):
        if cls not in sec["target"]:
            keep = keys[rest] == cls if cls == "sangat_rawan" else points[rest] >= low
            chosen[cls], rest = rest[keep], rest[~keep]
            continue
        n = min(_target_n(sec["target"][cls], len(order)), len(rest))
        chosen[cls] = rest[:n]
        name = label(f"plan.kelas_{cls}", lang)
        summary.append(label("plan.target_ringkas", lang, kelas=name, n=n))
        if 0 < n < len(rest) and points[rest[n - 1]] == points[rest[n]]:
            tied = rest[points[rest] == points[rest[n - 1]]]
            masuk = int(np.isin(tied, rest[:n]).sum())
            text = label(
                "plan.target_seri",
                lang,
                poin=points[rest[n - 1]],
                k=len(tied),
                masuk=masuk,
                kelas=name,
            )
            for i in tied:
                notes[i] = text
            summary.append(text)
        rest = rest[n:]
    keys[order] = "kurang_rawan"
    keys[chosen["rawan"]] = "rawan"
    keys[chosen["sangat_rawan"]] = "sangat_rawan"
    return keys, notes, summary


def class_comparison(tps: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Given-vs-suggested counts and the TPS whose given class differs from the suggestion.

    Returns ``(counts, differ)``: ``counts`` has ``kelas_polda``, ``kelas_saran``, ``jumlah_tps``
    (TPS with a given class only); ``differ`` has ``tps_id``, ``desa_nama``, ``kelas_polda``,
    ``kelas_saran``, ``poin``, ``alasan_kelas``.
    """
    given = tps["kelas_sumber"].eq("polda")
    sub = tps.loc[given]
    counts = (
        sub.groupby(["kelas_tps", "kelas_saran"], sort=False)
        .size()
        .rename("jumlah_tps")
        .reset_index()
        .rename(columns={"kelas_tps": "kelas_polda"})
    )
    differ = sub.loc[sub["kelas_kunci"] != sub["kelas_saran_kunci"]]
    differ = differ[["tps_id", "desa_nama", "kelas_tps", "kelas_saran", "poin", "alasan_kelas"]]
    return counts, differ.rename(columns={"kelas_tps": "kelas_polda"}).reset_index(drop=True)
