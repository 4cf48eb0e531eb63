"""Checks and shaping of the Polda plan's inputs (strength, pools, TPS lists, scores)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from pilkada_risk.config.bko import POOLS
from pilkada_risk.config.i18n import label
from pilkada_risk.scoring.classify import classify

POOL_KEYS = (*POOLS, "cadangan")


def _whole(value: Any) -> bool:
    return bool(
        not isinstance(value, bool)
        and isinstance(value, int | np.integer | float)
        and value >= 0
        and float(value) == int(value)
    )


def check_pools(pools: Mapping[str, Any], lang: str) -> dict[str, int]:
    """The four pools as whole officer counts (a missing pool is an error, not a zero)."""
    unknown = sorted(set(pools) - set(POOL_KEYS))
    missing = [k for k in POOL_KEYS if k not in pools]
    if unknown or missing:
        raise ValueError(
            label(
                "polda.galat_pool_kunci",
                lang,
                kunci=", ".join(unknown + missing),
                boleh=", ".join(POOL_KEYS),
            )
        )
    for key in POOL_KEYS:
        if not _whole(pools[key]):
            raise ValueError(label("polda.galat_pool_nilai", lang, kunci=key, nilai=pools[key]))
    return {k: int(pools[k]) for k in POOL_KEYS}


def check_strength(strength: Any, polres: pd.DataFrame, lang: str) -> dict[str, int]:
    """Own officers per Polres name; ``strength`` is a mapping or a frame ``polres``,
    ``personel`` (a ``polres_kode`` may stand for the name)."""
    if isinstance(strength, pd.DataFrame):
        need = [c for c in ("polres", "personel") if c not in strength.columns]
        if need:
            raise ValueError(label("polda.galat_kekuatan_kolom", lang, kurang=", ".join(need)))
        strength = dict(zip(strength["polres"].astype(str), strength["personel"], strict=True))
    by_code = dict(zip(polres["polres_kode"], polres["polres"], strict=True))
    names = list(dict.fromkeys(polres["polres"]))
    out: dict[str, int] = {}
    for key, value in dict(strength).items():
        name = by_code.get(str(key).strip(), str(key).strip())
        if name not in names:
            raise ValueError(
                label("polda.galat_kekuatan_polres", lang, nilai=key, ada=", ".join(names))
            )
        if not _whole(value):
            raise ValueError(label("polda.galat_kekuatan_nilai", lang, polres=name, nilai=value))
        out[name] = int(value)
    missing = [n for n in names if n not in out]
    if missing:
        raise ValueError(label("polda.galat_kekuatan_kurang", lang, polres=", ".join(missing)))
    return out


def split_tps(tps: Any, kabs: list[str], lang: str) -> dict[str, pd.DataFrame]:
    """TPS lists per kab/kota from a mapping ``{kab_kode: frame}`` or one provincial frame."""
    if isinstance(tps, pd.DataFrame):
        kab = tps["kec_kode"].astype(str).str[:5]
        outside = sorted(set(kab) - set(kabs))
        if outside:
            raise ValueError(label("polda.galat_tps_luar", lang, kode=", ".join(outside)))
        return {k: tps[kab.eq(k).to_numpy()] for k in kabs if kab.eq(k).any()}
    out = {}
    for key, frame in dict(tps).items():
        if str(key) not in kabs:
            raise ValueError(label("polda.galat_tps_luar", lang, kode=key))
        if frame is not None and len(frame):
            out[str(key)] = frame
    return out


def check_province(incidents: pd.DataFrame, areas: pd.DataFrame, province: str, lang: str) -> None:
    """Kecamatan and incidents of another province are named, not silently dropped."""
    outside = sorted({k for k in areas["kode"].astype(str) if not k.startswith(province + ".")})
    if outside:
        raise ValueError(
            label("polda.galat_wilayah_luar", lang, prov=province, kode=", ".join(outside[:5]))
        )
    if "kec_kode" in incidents:
        codes = incidents["kec_kode"].dropna().astype(str)
        bad = codes[~codes.str.startswith(province + ".")]
        if len(bad):
            raise ValueError(
                label(
                    "polda.galat_register_luar",
                    lang,
                    n=len(bad),
                    kode=", ".join(sorted(set(bad))[:5]),
                    prov=province,
                )
            )


def relative_classes(table: pd.DataFrame, prof: Any, group: pd.Series | None) -> pd.DataFrame:
    """``risk_score`` and ``kelas`` relative within each group (kab/kota) or the whole table.

    The same rule as :class:`~pilkada_risk.scoring.model.RiskModel` (the profile's
    ``[classes]``), applied to ``harapan`` (expected incidents) of the group only.
    """
    cls = prof.section("classes")
    out = pd.DataFrame(index=table.index, columns=["risk_score", "kelas", "kelas_en"])
    keys = group if group is not None else pd.Series("all", index=table.index)
    for _, idx in table.groupby(keys.to_numpy()).groups.items():
        e = table.loc[idx, "harapan"].to_numpy(float)
        top = float(e.max()) if len(e) else 0.0
        score = 100.0 * e / top if top > 0 else np.zeros_like(e)
        if cls["scheme"] == "relative_mean":
            mean = float(e.mean())
            values, kw = (
                (e / mean if mean > 0 else np.zeros_like(e)),
                {"scheme": "fixed", "cutoffs": cls["cutoffs"]},
            )
        else:
            values, kw = score, {"scheme": cls["scheme"], "cutoffs": cls.get("cutoffs", ())}
        out.loc[idx, "risk_score"] = score
        out.loc[idx, "kelas"] = classify(values, cls["labels_id"], **kw)
        out.loc[idx, "kelas_en"] = classify(values, cls["labels_en"], **kw)
    return out.astype({"risk_score": float})
