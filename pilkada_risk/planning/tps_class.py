"""TPS classes: kecamatan risk + the desa's incident history + Bawaslu indicators → ``kelas_tps``.

The rule is data (the plan profile's ``[tps]`` section, see ``docs/rencana.md``)::

    points = kecamatan_max * risk_score / 100                  (kecamatan, from RiskModel)
           + min(desa_max, sum of incident weights in the desa) (election categories weigh most)
           + sum of the weights of the flagged indicators        (security indicators weigh most)
    kelas_saran = kurang rawan (< cutoffs[0]), rawan (< cutoffs[1]), sangat rawan, or the
                  Polda's targets by top-N (aturan_kelas = "target"); TPS khusus: khusus
    kelas_tps   = the Polda's class where the TPS list gives one, else kelas_saran
    risiko_tps = expected incidents of the kecamatan * DPT share * exp(risk_per_point * points)

``alasan_kelas`` says why in plain language ("pernah terjadi intimidasi (2020) di desa ini; sulit
dijangkau; kecamatan sangat rawan (skor 71)").
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from pilkada_risk.config.elections import election_phase
from pilkada_risk.config.i18n import label
from pilkada_risk.config.taxonomy import load_taxonomy
from pilkada_risk.planning.given_classes import cutoff_classes, target_classes

__all__ = [
    "CLASS_KEYS",
    "class_label",
    "classify_tps",
    "desa_points",
    "history_text",
    "kecamatan_expected",
]

#: Class keys (profile ``[tps.pola]``) in rising order, then TPS khusus.
CLASS_KEYS = ("kurang_rawan", "rawan", "sangat_rawan", "khusus")
#: Columns of ``scores`` that hold expected incidents per kecamatan, first found wins.
EXPECTED_COLUMNS = ("expected", "expected_count", "n_harapan", "harapan_kejadian")
_MAX_REASONS = 3


def class_label(key: str, lang: str = "id") -> str:
    """Display label of a class key (``sangat_rawan`` → ``sangat rawan``)."""
    return label(f"plan.kelas_{key}", lang)


def kecamatan_expected(scores: pd.DataFrame, expected: pd.Series | None = None) -> pd.Series:
    """Expected incidents per kecamatan code: ``expected`` if given, else a scores column
    (:data:`EXPECTED_COLUMNS`), else ``risk_score / 100`` (a relative stand-in)."""
    codes = scores["kode"].astype(str)
    if expected is not None:
        values = pd.Series(expected).rename(index=str).reindex(codes.to_numpy())
    else:
        col = next((c for c in EXPECTED_COLUMNS if c in scores.columns), None)
        values = scores[col] if col else scores["risk_score"] / 100.0
        values = pd.Series(values.to_numpy(dtype=float), index=codes.to_numpy())
    values = values.astype(float).fillna(0.0).clip(lower=0.0)
    floor = 1e-3 * max(float(values.mean()), 1e-9)  # a quiet kecamatan still ranks by its TPS
    return values + floor


def desa_points(
    incidents: pd.DataFrame | None, tps_sec: dict[str, Any], stage: str
) -> tuple[pd.Series, dict[str, list[str]], pd.Series]:
    """Incident points per desa, the election incidents per desa (category → years) and the
    number of other incidents per desa.

    Election categories (taxonomy group ``pemilu``) add ``desa_pemilu_weight`` (times
    ``desa_stage_factor`` when the incident fell in the ``stage`` phase of an earlier
    election), other categories ``desa_other_weight``; the total is capped at ``desa_max``.
    """
    empty = pd.Series(dtype=float)
    if incidents is None or not len(incidents) or "desa_kode" not in incidents:
        return empty, {}, pd.Series(dtype=int)
    inc = pd.DataFrame(incidents).loc[lambda f: f["desa_kode"].notna()]
    groups = dict(zip(load_taxonomy().frame["code"], load_taxonomy().frame["group"], strict=True))
    pemilu = inc["kategori"].astype(str).map(groups).eq("pemilu").to_numpy()
    dates = pd.to_datetime(inc["tanggal"])
    same = election_phase(dates.reset_index(drop=True)).eq(stage).to_numpy(dtype=bool)
    weight = np.where(
        pemilu,
        tps_sec["desa_pemilu_weight"] * np.where(same, tps_sec["desa_stage_factor"], 1.0),
        tps_sec["desa_other_weight"],
    )
    codes = inc["desa_kode"].astype(str).to_numpy()
    points = pd.Series(weight, index=codes).groupby(level=0).sum().clip(upper=tps_sec["desa_max"])
    history: dict[str, list[str]] = {}
    elec = inc.loc[pemilu]
    for code, cat, year in zip(
        elec["desa_kode"].astype(str),
        elec["kategori"].astype(str),
        dates[pemilu].dt.year,
        strict=True,
    ):
        history.setdefault(code, []).append(f"{cat}:{year}")
    others = pd.Series(codes[~pemilu]).value_counts()
    return points, history, others


@cache
def _category_names(lang: str) -> dict[str, str]:
    """Category labels of the shipped taxonomy (parsed once, not once per desa)."""
    frame = load_taxonomy().frame
    return dict(zip(frame["code"], frame[f"label_{lang}"], strict=True))


def history_text(items: list[str], lang: str) -> str:
    names = _category_names(lang)
    years: dict[str, set[str]] = {}
    for item in items:
        cat, _, year = item.partition(":")
        years.setdefault(cat, set()).add(year)
    parts = [
        f"{str(names.get(c, c)).lower()} ({', '.join(sorted(y))})" for c, y in sorted(years.items())
    ]
    return label("plan.alasan_riwayat_pemilu", lang, kejadian=", ".join(parts))


def _indicator_reasons(row: dict[str, Any], spec: dict[str, Any], lang: str) -> list[str]:
    flagged = sorted(
        (n for n in spec if bool(row.get(n, False))), key=lambda n: -float(spec[n]["bobot"])
    )
    texts = [str(spec[n].get(f"label_{lang}", n)) for n in flagged]
    if len(texts) > _MAX_REASONS:
        more = label("plan.alasan_lainnya", lang, n=len(texts) - _MAX_REASONS)
        texts = [*texts[:_MAX_REASONS], more]
    return texts


def classify_tps(
    tps: pd.DataFrame,
    scores: pd.DataFrame,
    tps_sec: dict[str, Any],
    *,
    incidents: pd.DataFrame | None = None,
    expected: pd.Series | None = None,
    stage: str = "pemungutan",
    lang: str = "id",
) -> pd.DataFrame:
    """Class, reason and expected risk of every TPS (a new frame; inputs are not modified).

    Returns ``tps_id``, ``kec_kode``, ``desa_kode``, ``desa_nama``, ``no_tps``, ``dpt``,
    ``kelas_kunci`` (class key deployed), ``kelas_tps`` (its label), ``kelas_sumber``
    (``polda``: given in the list, ``saran``: the tool's), ``kelas_saran_kunci``,
    ``kelas_saran`` (the tool's suggestion), ``alasan_kelas`` (the reasons of the points),
    ``poin_kecamatan``, ``poin_desa``, ``poin_indikator``, ``poin`` and ``risiko_tps``, in the
    order of ``tps``; ``attrs["catatan_kelas"]`` holds the target notes (ties).
    """
    spec = tps_sec["indikator"]
    kec = scores.set_index(scores["kode"].astype(str))
    kec_codes = tps["kec_kode"].astype(str)
    risk_score = kec_codes.map(kec["risk_score"].astype(float)).to_numpy()
    kec_pts = tps_sec["kecamatan_max"] * risk_score / 100.0
    d_pts, history, others = desa_points(incidents, tps_sec, stage)
    desa_codes = tps["desa_kode"].astype(str)
    desa_pts = desa_codes.map(d_pts).fillna(0.0).to_numpy(dtype=float)
    flags = np.column_stack(
        [tps[n].astype(bool).to_numpy() if n in tps else np.zeros(len(tps), bool) for n in spec]
    ).reshape(len(tps), len(spec))
    weights = np.array([float(spec[n]["bobot"]) for n in spec])
    ind_pts = flags.astype(float) @ weights if len(spec) else np.zeros(len(tps))
    points = kec_pts + desa_pts + ind_pts
    khusus = tps["khusus"].astype(bool).to_numpy() if "khusus" in tps else np.zeros(len(tps), bool)
    ranked = pd.DataFrame(
        {"poin": points, "poin_indikator": ind_pts, "poin_desa": desa_pts, "tps_id": tps["tps_id"]}
    ).assign(dpt=pd.to_numeric(tps["dpt"], errors="coerce").fillna(0).to_numpy(float))
    keys, suggested, given, ties, summary = _classes(tps, ranked, tps_sec, khusus, lang)
    kelas_kec = kec_codes.map(kec["kelas"].astype(str)).map(_kelas_names(scores, lang)).to_numpy()
    reasons = []
    for i, row in enumerate(tps.to_dict("records")):
        parts = [label("plan.alasan_khusus", lang)] if khusus[i] else []
        code = desa_codes.iat[i]
        if code in history:
            parts.append(history_text(history[code], lang))
        if int(others.get(code, 0)):
            parts.append(label("plan.alasan_riwayat_lain", lang, n=int(others[code])))
        parts += _indicator_reasons(row, spec, lang)
        if ties[i]:
            parts.append(ties[i])
        if not parts:
            parts.append(label("plan.alasan_tanpa", lang))
        parts.append(label("plan.alasan_kecamatan", lang, kelas=kelas_kec[i], skor=risk_score[i]))
        reasons.append("; ".join(parts))
    share = _dpt_share(tps, kec_codes)
    e_k = kec_codes.map(kecamatan_expected(scores, expected)).to_numpy(dtype=float)
    out = pd.DataFrame(
        {
            "tps_id": tps["tps_id"].astype(str).to_numpy(),
            "kec_kode": kec_codes.to_numpy(),
            "desa_kode": desa_codes.to_numpy(),
            "desa_nama": tps.get("desa_nama", desa_codes).astype(str).to_numpy(),
            "no_tps": tps["no_tps"].to_numpy() if "no_tps" in tps else np.arange(1, len(tps) + 1),
            "dpt": tps["dpt"].astype(float).to_numpy(),
            "kelas_kunci": keys,
            "kelas_tps": [class_label(k, lang) for k in keys],
            "kelas_sumber": np.where([g is not None for g in given], "polda", "saran"),
            "kelas_saran_kunci": suggested,
            "kelas_saran": [class_label(k, lang) for k in suggested],
            "alasan_kelas": reasons,
            "poin_kecamatan": kec_pts.round(3),
            "poin_desa": desa_pts.round(3),
            "poin_indikator": ind_pts.round(3),
            "poin": points.round(3),
            "risiko_tps": e_k * share * np.exp(float(tps_sec["risk_per_point"]) * points),
        }
    )
    out.attrs["catatan_kelas"] = summary
    return out


def _classes(
    tps: pd.DataFrame, ranked: pd.DataFrame, tps_sec: dict[str, Any], khusus: np.ndarray, lang: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str], list[str]]:
    """Deployed keys, suggested keys, given keys (None where not given), tie notes, summary."""
    if tps_sec.get("aturan_kelas", "poin") == "target":
        sec = {"target": {}, **tps_sec}
        suggested, ties, summary = target_classes(ranked, sec, ~khusus, lang)
    else:
        points = ranked["poin"].to_numpy(float)
        suggested, ties, summary = cutoff_classes(points, tps_sec["cutoffs"]), [""] * len(tps), []
    suggested = np.where(khusus, "khusus", suggested)
    # a Polda class is a key (str); a blank cell, NaN or pd.NA means "not given"
    raw = tps["kelas_diberikan"] if "kelas_diberikan" in tps else pd.Series(None, index=tps.index)
    gv = np.array([g if isinstance(g, str) and g else None for g in raw], dtype=object)
    keys = np.array([g if g is not None else s for g, s in zip(gv, suggested, strict=True)])
    return keys, suggested, gv, ties, summary


def _kelas_names(scores: pd.DataFrame, lang: str) -> dict[str, str]:
    """Kecamatan class label in ``lang`` (the scores' profile ``[classes]`` labels)."""
    classes = scores.attrs.get("profile", {}).get("classes", {})
    ids, names = classes.get("labels_id", []), classes.get(f"labels_{lang}", [])
    mapping = dict(zip(ids, names, strict=False))
    return {str(k): mapping.get(str(k), str(k)) for k in scores["kelas"].astype(str)}


def _dpt_share(tps: pd.DataFrame, kec_codes: pd.Series) -> np.ndarray:
    """Each TPS's share of its kecamatan's DPT (equal shares where DPT is missing)."""
    dpt = pd.to_numeric(tps["dpt"], errors="coerce").astype(float).fillna(0.0).to_numpy()
    frame = pd.DataFrame({"k": kec_codes.to_numpy(), "d": dpt})
    total = frame.groupby("k")["d"].transform("sum").to_numpy()
    count = frame.groupby("k")["d"].transform("size").to_numpy()
    return np.where(total > 0, dpt / np.where(total > 0, total, 1.0), 1.0 / count)
