"""From risk map to security plan: :func:`plan_security` and :class:`SecurityPlan`.

Flow: kecamatan scores (``RiskModel``) + TPS list (``read_tps``) + incidents → TPS classes
(:mod:`~pilkada_risk.planning.tps_class`) → deployment under the strength limit
(:mod:`~pilkada_risk.planning.deploy`) → cooling-system priorities
(:mod:`~pilkada_risk.planning.cooling`) → annex (:mod:`~pilkada_risk.planning.annex`).
Method and defaults: ``docs/rencana.md``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pilkada_risk._version import __version__
from pilkada_risk.config.columns import validate_columns
from pilkada_risk.config.i18n import check_lang, label
from pilkada_risk.config.plan_profile import PlanProfile
from pilkada_risk.config.profile import PHASES
from pilkada_risk.planning import annex
from pilkada_risk.planning._plan_notes import class_rows, plan_settings
from pilkada_risk.planning.cooling import cooling_plan
from pilkada_risk.planning.deploy import (
    Deployment,
    assign_tps,
    deploy,
    proportional_uncovered,
    uncovered_risk,
)
from pilkada_risk.planning.given_classes import class_comparison
from pilkada_risk.planning.tps_class import classify_tps

__all__ = ["SecurityPlan", "plan_security"]

TPS_COLUMNS = [
    "tps_id",
    "kec_kode",
    "desa_kode",
    "kelas_tps",
    "kelas_sumber",
    "kelas_saran",
    "alasan_kelas",
    "personel_pola",
    "personel",
]
KEC_COLUMNS = [
    "kode",
    "nama",
    "tps_kurang_rawan",
    "tps_rawan",
    "tps_sangat_rawan",
    "tps_khusus",
    "personel_kebutuhan",
    "personel_dialokasikan",
    "kekurangan",
]


@dataclass
class SecurityPlan:
    """A security plan for one stage (see :func:`plan_security`).

    Attributes
    ----------
    tps : pandas.DataFrame
        One row per TPS: ``tps_id``, ``kec_kode``, ``desa_kode``, ``kelas_tps``,
        ``alasan_kelas``, ``personel_pola`` (police per TPS at the full pattern), ``personel``
        (police per TPS as planned: a team's officers divided by its TPS), then ``kelas_kunci``
        (class key: ``kurang_rawan``, ``rawan``, ``sangat_rawan``, ``khusus``), ``desa_nama``,
        ``no_tps``, ``dpt``, ``regu`` (team id), ``poin*``, ``risiko_tps``, ``lintang``/``bujur``.
    kecamatan : pandas.DataFrame
        ``kode``, ``nama``, ``tps_kurang_rawan``, ``tps_rawan``, ``tps_sangat_rawan``,
        ``tps_khusus``, ``personel_kebutuhan``, ``personel_dialokasikan``, ``kekurangan``, then
        ``personel_tps``, ``cadangan``, ``linmas``, ``tni``, ``risiko_tidak_tercakup``.
    ringkasan : pandas.DataFrame
        ``butir``, ``nilai``: totals, status, warnings, lineage (profile hash, sources).
    cooling : pandas.DataFrame
        Desa visits per stage (:func:`pilkada_risk.planning.cooling.cooling_plan`).
    peringatan : list of str
        Warnings (``PERINGATAN: ...``) for the reader of the plan, including those of the TPS
        list (missing indicators, DPT above the KPU cap).
    kelas_banding : pandas.DataFrame
        Where the TPS list gave the Polda's classes: ``kelas_polda``, ``kelas_saran``,
        ``jumlah_tps`` (empty otherwise).
    kelas_beda : pandas.DataFrame
        The TPS whose Polda class differs from the tool's suggestion: ``tps_id``,
        ``desa_nama``, ``kelas_polda``, ``kelas_saran``, ``poin``, ``alasan_kelas``.
    """

    tps: pd.DataFrame
    kecamatan: pd.DataFrame
    ringkasan: pd.DataFrame
    cooling: pd.DataFrame
    peringatan: list[str] = field(default_factory=list)
    stage: str = "pemungutan"
    synthetic: bool = False
    lang: str = "id"
    kelas_banding: pd.DataFrame = field(default_factory=pd.DataFrame)
    kelas_beda: pd.DataFrame = field(default_factory=pd.DataFrame)

    def to_excel(self, path: str | os.PathLike[str]) -> Path:
        """Write the XLSX annex with sheets ``Ringkasan``, ``Kecamatan``, ``TPS``,
        ``Cooling System`` under headers people read, and ``Kamus`` (machine names and
        meanings) for analysts; text cells neutralised against formula injection."""
        return annex.write_excel(self, path)

    def to_html(self, path: str | os.PathLike[str], *, title: str = "") -> Path:
        """Write the self-contained HTML annex (readable on a 390 px phone, printable)."""
        return annex.write_html(self, path, title=title)

    def total(self, key: str) -> Any:
        """One value of :attr:`ringkasan` by its ``butir`` key."""
        return self.ringkasan.set_index("butir").loc[key, "nilai"]


def _check(scores: pd.DataFrame, tps: pd.DataFrame, personnel: Any, stage: str, lang: str) -> None:
    need = ("kode", "nama", "risk_score", "kelas")
    validate_columns(scores, need, what="scores", lang=lang, source="RiskModel.score()")
    need = ("tps_id", "kec_kode", "desa_kode", "dpt")
    validate_columns(tps, need, what="tps", lang=lang, source="read_tps(...).accepted")
    if isinstance(personnel, bool) or not isinstance(personnel, int | np.integer) or personnel < 0:
        raise ValueError(label("plan.galat_personel", lang, nilai=personnel))
    if stage not in PHASES:
        raise ValueError(label("plan.galat_tahap", lang, nilai=stage, boleh=", ".join(PHASES)))
    unknown = sorted(set(tps["kec_kode"].astype(str)) - set(scores["kode"].astype(str)))
    if unknown:
        n = int(tps["kec_kode"].astype(str).isin(unknown).sum())
        raise ValueError(label("plan.galat_kec_tps", lang, n=n, kode=", ".join(unknown)))


def _resolve_scores(scores: Any) -> tuple[pd.DataFrame, pd.Series | None]:
    """Scores frame and expected counts: a fitted RiskModel gives both (90-day horizon)."""
    if hasattr(scores, "score") and hasattr(scores, "expected_counts"):
        return scores.score(), scores.expected_counts("90D")
    return scores, None


def plan_security(
    scores: Any,
    tps: pd.DataFrame,
    *,
    personnel: int,
    incidents: pd.DataFrame | None = None,
    profile: Any = None,
    stage: str = "pemungutan",
    election: str | None = None,
    lang: str = "id",
    plan_profile: Any = None,
    bawaslu_counts: pd.DataFrame | None = None,
) -> SecurityPlan:
    """Turn kecamatan scores, a TPS list and the available strength into a security plan.

    Parameters
    ----------
    scores
        ``RiskModel.score()`` output (``kode``, ``nama``, ``risk_score``, ``kelas``; ``expected``
        used when present) or a fitted ``RiskModel`` (its 90-day ``expected_counts``).
    tps
        ``read_tps(...).accepted``.
    personnel
        Police available for the stage (Linmas and TNI reported separately).
    incidents
        ``read_incidents(...).accepted``: the desa history of each TPS (optional).
    profile
        Risk profile (``None``: the scores' own); a 0.1.0 file's ``[tps]`` is used, with a note.
    stage
        ``kampanye``, ``tenang``, ``pemungutan`` or ``rekapitulasi`` (weights same-stage history).
    election
        Calendar key of the election the cooling weeks refer to (default: the latest).
    lang
        ``"id"`` or ``"en"`` for classes, reasons and warnings.
    plan_profile
        Plan profile (:func:`pilkada_risk.load_plan_profile`: path, dict or ``PlanProfile``):
        class rule, patterns, cooling, indicators; ``None``: the shipped ``plan.toml``.
    bawaslu_counts
        :func:`pilkada_risk.read_bawaslu_counts`: shown per kecamatan, never as TPS classes.

    Returns
    -------
    SecurityPlan

    Examples
    --------
    >>> plan_security(scores, hasil_tps.accepted, personnel=300).kecamatan  # doctest: +SKIP
    """
    lang = check_lang(lang)
    model, (scores, expected) = scores, _resolve_scores(scores)
    _check(scores, tps, personnel, stage, lang)
    risk_hash, plan_prof = plan_settings(scores, profile, plan_profile, model)
    sec = plan_prof.tps
    classified = classify_tps(
        tps, scores, sec, incidents=incidents, expected=expected, stage=stage, lang=lang
    )
    classified["keamanan"] = _security_flags(tps, sec)
    dep = deploy(classified, int(personnel), sec)
    planned = assign_tps(classified, dep, sec["pola"])
    planned = _with_points(planned, tps)
    kec_names = dict(zip(scores["kode"].astype(str), scores["nama"].astype(str), strict=True))
    kecamatan = _kecamatan_table(planned, dep, sec, kec_names)
    warnings = _warnings(dep, planned, kecamatan, int(personnel), lang)
    warnings = [*tps.attrs.get("peringatan", []), *warnings]  # the TPS list's own first
    cooling = cooling_plan(
        classified, kec_names, sec, incidents=incidents, election=election, lang=lang
    )
    synthetic = bool(tps.attrs.get("synthetic", False) or _says_synthetic(scores))
    at_tps = int(kecamatan["personel_tps"].sum())
    naive = proportional_uncovered(classified, dep, sec["pola"], at_tps)
    ringkasan = _summary(planned, kecamatan, dep, int(personnel), naive, warnings, lang)
    ringkasan = class_rows(ringkasan, classified, sec, tps, (election, bawaslu_counts), lang)
    kecamatan = _with_counts(kecamatan, bawaslu_counts)
    ringkasan = _lineage(ringkasan, (risk_hash, plan_prof), stage, synthetic, tps, scores)
    columns = TPS_COLUMNS + [c for c in planned.columns if c not in TPS_COLUMNS]
    tps_out = planned[columns].drop(columns=["keamanan"])
    compared = class_comparison(tps_out, lang)
    return SecurityPlan(
        tps_out, kecamatan, ringkasan, cooling, warnings, stage, synthetic, lang, *compared
    )


def _with_counts(kecamatan: pd.DataFrame, counts: pd.DataFrame | None) -> pd.DataFrame:
    """Bawaslu's published counts per kecamatan (``tps_rawan_bawaslu``), when given."""
    if counts is None:
        return kecamatan
    factor = counts.set_index("kode")["tps_rawan_bawaslu"]
    return kecamatan.assign(tps_rawan_bawaslu=kecamatan["kode"].map(factor).fillna(0.0))


def _security_flags(tps: pd.DataFrame, sec: dict[str, Any]) -> list[int]:
    """Security indicators (Bawaslu variable ``keamanan``) flagged per TPS."""
    security = [n for n, s in sec["indikator"].items() if s.get("kelompok") == "keamanan"]
    return [int(sum(bool(r.get(n, False)) for n in security)) for r in tps.to_dict("records")]


def _says_synthetic(scores: pd.DataFrame) -> bool:
    name = str(scores.attrs.get("source_name", "")).lower()
    return bool(scores.attrs.get("synthetic")) or "sintetis" in name or "synthetic" in name


def _with_points(planned: pd.DataFrame, tps: pd.DataFrame) -> pd.DataFrame:
    """``lintang``/``bujur`` of each TPS point (NaN where the list has none)."""
    out = planned.copy()
    geom = tps.geometry if hasattr(tps, "geometry") and "geometry" in tps else None
    if geom is None:
        out["lintang"], out["bujur"] = np.nan, np.nan
        return out
    has = geom.notna().to_numpy() & ~geom.is_empty.to_numpy()
    out["lintang"] = np.where(has, geom.y.where(has), np.nan).round(6)
    out["bujur"] = np.where(has, geom.x.where(has), np.nan).round(6)
    return out


def _kecamatan_table(
    planned: pd.DataFrame, dep: Deployment, sec: dict[str, Any], names: dict[str, str]
) -> pd.DataFrame:
    groups = dep.groups
    kecs = sorted(planned["kec_kode"].astype(str).unique())
    counts = pd.crosstab(planned["kec_kode"], planned["kelas_kunci"]).reindex(
        index=kecs, columns=["kurang_rawan", "rawan", "sangat_rawan", "khusus"], fill_value=0
    )
    need = (groups["unit"] * groups["full"]).groupby(groups["kec_kode"]).sum().reindex(kecs)
    given = (groups["unit"] * groups["teams"]).groupby(groups["kec_kode"]).sum().reindex(kecs)
    reserve_min = int(sec["cadangan_min_kecamatan"])
    need = need.fillna(0).astype(int) + reserve_min
    allocated = given.fillna(0).astype(int) + dep.reserve.reindex(kecs).fillna(0).astype(int)
    n_tps = planned.groupby("kec_kode").size().reindex(kecs)
    lost = [
        uncovered_risk(g["risiko_tps"], g["personel"], g["personel_pola"])
        for _, g in planned.groupby("kec_kode", sort=True)
    ]
    return pd.DataFrame(
        {
            "kode": kecs,
            "nama": [names.get(k, k) for k in kecs],
            "tps_kurang_rawan": counts["kurang_rawan"].to_numpy(),
            "tps_rawan": counts["rawan"].to_numpy(),
            "tps_sangat_rawan": counts["sangat_rawan"].to_numpy(),
            "tps_khusus": counts["khusus"].to_numpy(),
            "personel_kebutuhan": need.to_numpy(),
            "personel_dialokasikan": allocated.to_numpy(),
            "kekurangan": (need - allocated).clip(lower=0).to_numpy(),
            "personel_tps": given.fillna(0).astype(int).to_numpy(),
            "cadangan": dep.reserve.reindex(kecs).fillna(0).astype(int).to_numpy(),
            "linmas": (n_tps * int(sec["linmas_per_tps"])).to_numpy(),
            "tni": (n_tps * float(sec["tni_per_tps"])).round().astype(int).to_numpy(),
            "risiko_tidak_tercakup": np.round(lost, 4),
        }
    )


def _warnings(
    dep: Deployment, planned: pd.DataFrame, kec: pd.DataFrame, personnel: int, lang: str
) -> list[str]:
    need = int(kec["personel_kebutuhan"].sum())
    if dep.status == "tidak_layak":
        top = planned["kelas_kunci"].isin(["sangat_rawan", "khusus"])
        perlu = int((planned.loc[top, "personel_pola"]).sum())
        return [
            label(
                "plan.peringatan_tidak_layak",
                lang,
                personel=personnel,
                perlu=perlu,
                tidak=dep.unguarded_top,
            )
        ]
    if personnel < need:
        return [
            label(
                "plan.peringatan_kurang",
                lang,
                personel=personnel,
                perlu=need,
                kurang=need - personnel,
            )
        ]
    return []


def _summary(
    planned: pd.DataFrame,
    kec: pd.DataFrame,
    dep: Deployment,
    personnel: int,
    naive: float,
    warnings: list[str],
    lang: str,
) -> pd.DataFrame:
    counts = planned["kelas_kunci"].value_counts()
    risk, pola = planned["risiko_tps"].to_numpy(), planned["personel_pola"].to_numpy()
    rows: list[tuple[str, Any]] = [
        ("status", label(f"plan.status_{dep.status}", lang)),
        ("personel_tersedia", personnel),
        ("personel_kebutuhan", int(kec["personel_kebutuhan"].sum())),
        ("personel_dialokasikan", int(kec["personel_dialokasikan"].sum())),
        ("personel_tps", int(kec["personel_tps"].sum())),
        ("cadangan_kecamatan", int(kec["cadangan"].sum())),
        ("cadangan_polres", int(dep.polres_reserve)),
        ("kekurangan", int(kec["kekurangan"].sum())),
        ("jumlah_tps", len(planned)),
        *((f"tps_{k}", int(counts.get(k, 0))) for k in ("kurang_rawan", "rawan", "sangat_rawan")),
        ("tps_khusus", int(counts.get("khusus", 0))),
        ("linmas", int(kec["linmas"].sum())),
        ("tni", int(kec["tni"].sum())),
        ("risiko_harapan_total", round(float(risk.sum()), 4)),
        ("risiko_tidak_tercakup", round(uncovered_risk(risk, planned["personel"], pola), 4)),
        # the same officers at TPS, every (kecamatan, class) group the same share of its teams
        ("risiko_tidak_tercakup_proporsional", round(naive, 4)),
        *(("peringatan", w) for w in warnings),
    ]
    return pd.DataFrame(rows, columns=["butir", "nilai"]).astype({"nilai": object})


def _lineage(
    table: pd.DataFrame,
    profiles: tuple[str, PlanProfile],
    stage: str,
    synthetic: bool,
    tps: pd.DataFrame,
    scores: pd.DataFrame,
) -> pd.DataFrame:
    rows = [
        ("tahap", stage),
        ("data_sintetis", "ya" if synthetic else "tidak"),
        ("sumber_tps", str(tps.attrs.get("source_name", ""))),
        ("sha256_tps", str(tps.attrs.get("source_sha256", ""))),
        ("sumber_kejadian", str(scores.attrs.get("source_name", ""))),
        ("as_of_skor", str(scores.attrs.get("as_of", ""))),
        ("profil_sha256", profiles[0]),
        ("profil_rencana", profiles[1].source),
        ("profil_rencana_sha256", profiles[1].hash),
        *(("catatan", note) for note in profiles[1].notes),
        ("versi_perangkat_lunak", __version__),
    ]
    extra = pd.DataFrame(rows, columns=["butir", "nilai"]).astype({"nilai": object})
    return pd.concat([table, extra], ignore_index=True)
