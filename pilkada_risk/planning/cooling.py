"""Cooling system and cipta kondisi: which desa/pekon to visit before each stage, and when.

For each stage of the election (awal kampanye, masa tenang, pemungutan, rekapitulasi) the desa
with TPS are ranked by their expected risk for that stage: the sum of their TPS's
``risiko_tps`` with the desa's incident history re-weighted for the stage (election incidents
in the same phase of earlier elections count ``desa_stage_factor`` times). The capacity is
``tim x hari x kunjungan_per_hari`` visits per stage (profile ``[tps.cooling]``); the visits
fill the weeks of the ``hari_sebelum`` days before the stage starts, highest priority first.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from pilkada_risk.config.elections import election_dates
from pilkada_risk.config.i18n import label
from pilkada_risk.planning.tps_class import class_label, desa_points, history_text

__all__ = ["STAGES", "cooling_plan", "stage_dates"]

STAGES = ("kampanye", "tenang", "pemungutan", "rekapitulasi")


def stage_dates(election: str | None = None) -> dict[str, pd.Timestamp]:
    """First day of each stage of ``election`` (a key of the calendar; default: the latest).

    ``rekapitulasi`` is the start of the kab/kota recapitulation plenary where the calendar has
    it (Pilkada 2024: 29 Nov, PKPU 2/2024), else the day after the vote.

    Examples
    --------
    >>> {k: str(v.date()) for k, v in stage_dates("pilkada_2024").items()}
    {'kampanye': '2024-09-25', 'tenang': '2024-11-24', 'pemungutan': '2024-11-27', \
'rekapitulasi': '2024-11-29'}
    """
    d = election_dates(election)
    recap = d["recap_kabkota_start"]
    return {
        "kampanye": d["campaign_start"],
        "tenang": d["quiet_start"],
        "pemungutan": d["vote"],
        "rekapitulasi": recap if pd.notna(recap) else d["vote"] + pd.Timedelta(days=1),
    }


def _activity(reason_keys: set[str], stage: str, lang: str) -> str:
    if "pemilu" in reason_keys or stage == "kampanye":
        return label("plan.kegiatan_dialog", lang)
    if "keamanan" in reason_keys or stage in ("pemungutan", "rekapitulasi"):
        return label("plan.kegiatan_patroli", lang)
    return label("plan.kegiatan_sambang", lang)


def _desa_table(classified: pd.DataFrame) -> pd.DataFrame:
    agg = classified.groupby("desa_kode", sort=True).agg(
        desa_nama=("desa_nama", "first"),
        kec_kode=("kec_kode", "first"),
        base=("risiko_tps", "sum"),
        poin_desa=("poin_desa", "first"),
        n_sr=("kelas_kunci", lambda s: int((s == "sangat_rawan").sum())),
        n_r=("kelas_kunci", lambda s: int((s == "rawan").sum())),
        keamanan=("keamanan", "sum"),
    )
    return agg


def _weeks(start: pd.Timestamp, lead_days: int, n: int, lang: str) -> list[tuple[str, str, str]]:
    """Week text and first/last day for ``n`` visits spread over the lead window."""
    first = start - pd.Timedelta(days=lead_days)
    n_weeks = max(1, math.ceil(lead_days / 7))
    per_week = max(1, math.ceil(n / n_weeks))
    out = []
    for i in range(n):
        k = min(i // per_week, n_weeks - 1)
        begin = first + pd.Timedelta(days=7 * k)
        end = min(begin + pd.Timedelta(days=6), start - pd.Timedelta(days=1))
        a, b = begin.strftime("%Y-%m-%d"), end.strftime("%Y-%m-%d")
        out.append((label("plan.minggu", lang, k=k + 1, mulai=a, selesai=b), a, b))
    return out


def cooling_plan(
    classified: pd.DataFrame,
    kec_names: dict[str, str],
    tps_sec: dict[str, Any],
    *,
    incidents: pd.DataFrame | None = None,
    election: str | None = None,
    lang: str = "id",
) -> pd.DataFrame:
    """Ranked desa visits per stage within the cooling capacity (a new frame).

    ``classified`` is :func:`pilkada_risk.planning.tps_class.classify_tps` output with a
    ``keamanan`` column (security indicators flagged per TPS). Returns ``tahap``,
    ``tanggal_tahap``, ``peringkat``, ``desa_kode``, ``desa_nama``, ``kec_kode``, ``kec_nama``,
    ``skor_cooling`` (0-100, the stage's top desa = 100), ``alasan``, ``kegiatan``, ``minggu``,
    ``tanggal_mulai``, ``tanggal_selesai``.
    """
    cool = tps_sec["cooling"]
    capacity = int(cool["tim"]) * int(cool["hari"]) * int(cool["kunjungan_per_hari"])
    beta = float(tps_sec["risk_per_point"])
    table = _desa_table(classified)
    starts = stage_dates(election)
    frames = []
    for stage in [s for s in STAGES if s in cool.get("jendela", STAGES)]:
        pts, history, _ = desa_points(incidents, tps_sec, stage)
        delta = table.index.map(pts).fillna(0.0).to_numpy(dtype=float) - table["poin_desa"]
        risk = table["base"].to_numpy(float) * np.exp(beta * delta.to_numpy(float))
        order = np.argsort(-risk, kind="stable")[:capacity]
        top = float(risk[order[0]]) if len(order) else 1.0
        rows = []
        weeks = _weeks(starts[stage], int(cool["hari_sebelum"]), len(order), lang)
        for rank, (i, week) in enumerate(zip(order, weeks, strict=True), start=1):
            rec = table.iloc[i]
            code = str(table.index[i])
            reasons, keys = _reasons(rec, history.get(code, []), risk[i] / top * 100, lang)
            rows.append(
                {
                    "tahap": label(f"plan.tahap_{stage}", lang),
                    "tanggal_tahap": starts[stage].strftime("%Y-%m-%d"),
                    "peringkat": rank,
                    "desa_kode": code,
                    "desa_nama": rec["desa_nama"],
                    "kec_kode": rec["kec_kode"],
                    "kec_nama": kec_names.get(rec["kec_kode"], rec["kec_kode"]),
                    "skor_cooling": round(float(risk[i] / top * 100), 1),
                    "alasan": reasons,
                    "kegiatan": _activity(keys, stage, lang),
                    "minggu": week[0],
                    "tanggal_mulai": week[1],
                    "tanggal_selesai": week[2],
                }
            )
        frames.append(pd.DataFrame(rows))
    return pd.concat(frames, ignore_index=True)


def _reasons(rec: pd.Series, history: list[str], score: float, lang: str) -> tuple[str, set[str]]:
    parts, keys = [], set()
    if history:
        parts.append(history_text(history, lang))
        keys.add("pemilu")
    for n, key in ((rec["n_sr"], "sangat_rawan"), (rec["n_r"], "rawan")):
        if n:
            parts.append(
                label("plan.alasan_tps_kelas", lang, n=int(n), kelas=class_label(key, lang))
            )
    if rec["keamanan"]:
        keys.add("keamanan")
    parts.append(label("plan.cooling_risiko", lang, skor=score))
    return "; ".join(parts), keys
