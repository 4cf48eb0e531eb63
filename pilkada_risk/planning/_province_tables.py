"""Tables of the Polda plan: skill per kab/kota, Polres, BKO, Kecamatan, TPS and Ringkasan."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from pilkada_risk._version import __version__
from pilkada_risk.config.bko import POOLS
from pilkada_risk.config.i18n import label
from pilkada_risk.scoring.model import RiskModel

#: Fast settings of the held-out refit (its scores' intervals are not used).
_HOLDOUT = {"n_bootstrap": 20, "permutations": 0}


def _rank_skill(pred: np.ndarray, base: np.ndarray, y: np.ndarray) -> dict[str, float]:

    k = max(1, round(0.25 * len(y)))
    out: dict[str, float] = {}
    for name, score in (("model", pred), ("hitung", base)):
        order = np.argsort(-score, kind="stable")[:k]
        out[f"tangkap_{name}"] = float(y[order].sum() / y.sum()) if y.sum() > 0 else np.nan
        rho = spearmanr(score, y).statistic if np.ptp(y) > 0 and np.ptp(score) > 0 else np.nan
        out[f"spearman_{name}"] = float(rho)
    return out


def skill_table(
    model: Any, incidents: pd.DataFrame, areas: Any, scores: Any, lang: str
) -> pd.DataFrame:
    """Held-out skill for the province and per kab/kota.

    The pooled model is refitted with data before ``as_of - horizon`` and its expected incidents
    for the following ``horizon`` days are compared with what happened, against the plain count
    of past incidents: share of incidents caught in the top 25 % of kecamatan (``tangkap_*``)
    and Spearman rank correlation (``spearman_*``).
    """

    h = int(model.horizon_days_)
    cut = model.as_of_ - pd.Timedelta(days=h)
    params = {**model.get_params(), "overrides": {**(model.overrides or {}), **_HOLDOUT}}
    past = RiskModel(**params).fit(incidents, areas, as_of=cut)
    pred = past.expected_counts(f"{h}D")
    dates = pd.to_datetime(incidents["tanggal"])
    codes = incidents["kec_kode"].astype(str)
    window = (dates >= cut) & (dates < model.as_of_)
    actual = codes[window].value_counts().reindex(pred.index, fill_value=0).to_numpy(float)
    before = codes[dates < cut].value_counts().reindex(pred.index, fill_value=0).to_numpy(float)
    kab = pred.index.astype(str).str[:5]
    names = dict(zip(scores["kab_kode"], scores["polres"], strict=False))
    rows = [
        {
            "wilayah": label("polda.provinsi", lang),
            "kab_kode": "",
            "kecamatan": len(pred),
            "kejadian_uji": int(actual.sum()),
            **_rank_skill(pred.to_numpy(float), before, actual),
        }
    ]
    for code in sorted(set(kab)):
        m = np.asarray(kab == code)
        rows.append(
            {
                "wilayah": names.get(code, code),
                "kab_kode": code,
                "kecamatan": int(m.sum()),
                "kejadian_uji": int(actual[m].sum()),
                **_rank_skill(pred.to_numpy(float)[m], before[m], actual[m]),
            }
        )
    out = pd.DataFrame(rows)
    out.attrs["as_of_uji"] = cut.date().isoformat()
    return out.round(3)


def _bko_rows(
    table: pd.DataFrame, alloc: Any, plans: dict[str, Any], missing: list[str], lang: str
) -> pd.DataFrame:
    """One row per kab/kota; a Polres' BKO split over its kab/kota by planned police at TPS."""
    by = alloc.table.set_index("polres")
    rows = []
    for rec in table.to_dict("records"):
        name, kab = rec["polres"], rec["kab_kode"]
        if kab in missing or name not in plans:
            rows.append(
                {
                    **rec,
                    **dict.fromkeys(POOLS, 0),
                    "kekurangan": 0,
                    "status": label("polda.status_tanpa_tps", lang),
                }
            )
            continue
        kec = plans[name].kecamatan
        mine = kec["kode"].astype(str).str.startswith(kab + ".")
        share = kec.loc[mine, "personel_tps"].sum() / max(kec["personel_tps"].sum(), 1)
        one = len(table[table["polres"] == name]) == 1
        bko = {p: int(by.at[name, p]) if one else int(round(by.at[name, p] * share)) for p in POOLS}
        rows.append(
            {
                **rec,
                **bko,
                "kekurangan": int(kec.loc[mine, "kekurangan"].sum()),
                "status": label("polda.status_direncanakan", lang),
            }
        )
    cols = ["polres", "kab_kode", "kab_nama", *POOLS, "kekurangan", "status"]
    return pd.DataFrame(rows)[cols]


def _polres_rows(
    alloc: Any, plans: dict[str, Any], extra: pd.DataFrame, settings: Any
) -> pd.DataFrame:
    t = alloc.table.copy()
    t["personel_kebutuhan"] = [int(plans[n].total("personel_kebutuhan")) for n in t["polres"]]
    t["personel_tps"] = [int(plans[n].total("personel_tps")) for n in t["polres"]]
    t["kekurangan"] = [int(plans[n].total("kekurangan")) for n in t["polres"]]
    for key in ("sangat_rawan", "khusus", "rawan", "kurang_rawan"):
        t[f"tps_{key}"] = [int(plans[n].total(f"tps_{key}")) for n in t["polres"]]
    t["status"] = [str(plans[n].total("status")) for n in t["polres"]]
    t["porsi_bko_lebih"] = t["porsi_bko"] > settings.peringatan_porsi_bko
    gain = extra.set_index("polres")["risiko_turun"]
    t["nilai_peleton_tambahan"] = t["polres"].map(gain).to_numpy()
    return t


def _warnings(
    alloc: Any,
    polres: pd.DataFrame,
    missing: list[str],
    settings: Any,
    lang: str,
    table: pd.DataFrame,
) -> list[str]:
    out = []
    if alloc.gap_top > 0:
        out.append(
            label(
                "polda.peringatan_top",
                lang,
                kurang=int(round(alloc.gap_top)),
                tps=int(polres["tps_sangat_rawan"].sum() + polres["tps_khusus"].sum()),
            )
        )
    if alloc.gap_rawan > 0:
        out.append(label("polda.peringatan_rawan", lang, kurang=int(round(alloc.gap_rawan))))
    for rec in polres[polres["porsi_bko_lebih"]].to_dict("records"):
        out.append(
            label(
                "polda.peringatan_porsi",
                lang,
                polres=rec["polres"],
                porsi=round(100 * rec["porsi_bko"]),
                batas=round(100 * settings.peringatan_porsi_bko),
            )
        )
    for kab in missing:
        name = table.loc[table["kab_kode"] == kab, "kab_nama"].iloc[0]
        out.append(label("polda.peringatan_tanpa_tps", lang, kab=f"{name} ({kab})"))
    return out


def _summary(
    pools: dict[str, int],
    alloc: Any,
    polres: pd.DataFrame,
    extra: pd.DataFrame,
    skill: pd.DataFrame,
    warnings: list[str],
    settings: Any,
    lang: str,
) -> list[tuple[str, Any]]:
    own, bko = int(polres["personel_sendiri"].sum()), int(polres["bko_total"].sum())
    rows: list[tuple[str, Any]] = [
        ("jumlah_polres", len(polres)),
        (
            "jumlah_tps",
            int(
                sum(
                    polres[f"tps_{k}"].sum()
                    for k in ("kurang_rawan", "rawan", "sangat_rawan", "khusus")
                )
            ),
        ),
        *(
            (f"tps_{k}", int(polres[f"tps_{k}"].sum()))
            for k in ("kurang_rawan", "rawan", "sangat_rawan", "khusus")
        ),
        ("personel_sendiri", own),
        ("personel_bko", bko),
        ("personel_tps_total", own + bko),
        ("porsi_bko", round(bko / max(own + bko, 1), 4)),
        *((f"pool_{r['pool']}", r["tersedia"]) for r in alloc.pools.to_dict("records")),
        *((f"dialokasikan_{r['pool']}", r["dialokasikan"]) for r in alloc.pools.to_dict("records")),
        *((f"sisa_{r['pool']}", r["sisa"]) for r in alloc.pools.to_dict("records")),
        ("cadangan_kapolda", pools["cadangan"]),
        ("kekurangan_sangat_rawan_khusus", int(round(alloc.gap_top))),
        ("kekurangan_rawan_minimum", int(round(alloc.gap_rawan))),
        ("kekurangan_total", int(polres["kekurangan"].sum())),
        ("risiko_tidak_tercakup", round(float(polres["risiko_tidak_tercakup"].sum()), 4)),
    ]
    best = extra.iloc[0] if len(extra) else None
    if best is not None:
        rows.append(
            (
                "peleton_tambahan",
                label(
                    "polda.peleton_tambahan",
                    lang,
                    n=settings.unit_tambahan,
                    polres=best["polres"],
                    top=int(best["tambah_top"]),
                    rawan=int(best["tambah_rawan"]),
                    risiko=f"{best['risiko_turun']:.2f}",
                ),
            )
        )
    prov = skill.iloc[0]
    rows += [
        ("skill_tangkap_model", prov["tangkap_model"]),
        ("skill_tangkap_hitung", prov["tangkap_hitung"]),
        ("skill_spearman_model", prov["spearman_model"]),
        ("skill_spearman_hitung", prov["spearman_hitung"]),
    ]
    rows += [("peringatan", w) for w in warnings]
    return rows


def assemble(
    *,
    table: pd.DataFrame,
    own: dict[str, int],
    pools: dict[str, int],
    settings: Any,
    alloc: Any,
    plans: dict[str, Any],
    scores: Any,
    classified: dict[str, pd.DataFrame],
    extra: pd.DataFrame,
    skill: pd.DataFrame,
    missing: list[str],
    synthetic: bool,
    stage: str,
    lang: str,
) -> Any:
    """Build the :class:`~pilkada_risk.planning.province.ProvincePlan` from its parts."""
    # lazy: province.py imports this module to build its plan (an import cycle otherwise)
    from pilkada_risk.planning.province import ProvincePlan

    polres = _polres_rows(alloc, plans, extra, settings)
    bko = _bko_rows(table, alloc, plans, missing, lang)
    warnings = _warnings(alloc, polres, missing, settings, lang, table)
    rows = _summary(pools, alloc, polres, extra, skill, warnings, settings, lang)
    rows += [
        ("tahap", stage),
        ("data_sintetis", "ya" if synthetic else "tidak"),
        ("as_of_skor", str(scores.attrs.get("as_of", ""))),
        ("profil_sha256", str(scores.attrs.get("profile_hash", ""))),
        ("pengaturan_bko", str(settings.to_dict())),
        ("versi_perangkat_lunak", __version__),
    ]
    ringkasan = pd.DataFrame(rows, columns=["butir", "nilai"]).astype({"nilai": object})
    kec_parts, tps_parts = [], []
    for name, plan in plans.items():
        kec_parts.append(plan.kecamatan.assign(polres=name))
        tps_parts.append(
            plan.tps.assign(polres=name, kab_kode=plan.tps["kec_kode"].astype(str).str[:5])
        )
    keep = [
        "kode",
        "kab_kode",
        "polres",
        "harapan",
        "risk_score_kab",
        "kelas_kab",
        "risk_score_prov",
        "kelas_prov",
    ]
    kec = pd.DataFrame(scores[keep + ["nama"]]).merge(
        pd.concat(kec_parts, ignore_index=True).drop(columns=["nama", "polres"]),
        on="kode",
        how="left",
    )
    kec = kec[["kode", "nama", *keep[1:], *[c for c in kec.columns if c not in keep + ["nama"]]]]
    kec = kec.sort_values("kode", ignore_index=True)
    tps = pd.concat(tps_parts, ignore_index=True)
    return ProvincePlan(
        ringkasan, polres, bko, kec, tps, scores, plans, skill, extra, warnings, synthetic, lang
    )
