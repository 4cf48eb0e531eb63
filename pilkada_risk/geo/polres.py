"""The Polda's Polres → kab/kota table: versioned data, read and checked.

A Polda plans per Polres, and a Polres is not always one kab/kota (a Polresta, a Polres covering
two kabupaten), so the table is data: ``data/polres/<province>.csv`` with columns ``polres_kode``,
``polres``, ``kab_kode``, ``kab_nama``; one row per kab/kota. Lampung's 15 Polres are shipped. An
analyst's table (CSV path or DataFrame) is checked the same way: every kab/kota code must exist
(Kemendagri), belong to the province, and appear under one Polres only.
"""

from __future__ import annotations

import os
import re
from typing import Any

import pandas as pd

from pilkada_risk.config.i18n import check_lang, label
from pilkada_risk.geo.upstream import wilayah_names
from pilkada_risk.io.files import package_data

__all__ = ["POLRES_COLUMNS", "SHIPPED_POLRES", "load_polres"]

POLRES_COLUMNS = ("polres_kode", "polres", "kab_kode", "kab_nama")
#: Shipped tables by province code.
SHIPPED_POLRES = {"18": "lampung.csv"}
_KAB = re.compile(r"^\d{2}\.\d{2}$")


def _read(source: Any, province: str, lang: str) -> tuple[pd.DataFrame, str]:
    if isinstance(source, pd.DataFrame):
        return source.copy(), str(source.attrs.get("source_name", "DataFrame"))
    if source is None:
        if province not in SHIPPED_POLRES:
            raise ValueError(
                label(
                    "polda.galat_polres_tidak_ada",
                    lang,
                    prov=province,
                    ada=", ".join(SHIPPED_POLRES),
                )
            )
        source = package_data("polres", SHIPPED_POLRES[province])
    try:
        frame = pd.read_csv(os.fspath(source), dtype=str, keep_default_na=False)
    except (OSError, ValueError) as exc:
        raise ValueError(label("polda.galat_polres_berkas", lang, path=source, err=exc)) from None
    return frame, os.path.basename(os.fspath(source))


def _check_codes(frame: pd.DataFrame, province: str, lang: str) -> None:

    names = wilayah_names()
    for i, (kab, polres) in enumerate(zip(frame["kab_kode"], frame["polres"], strict=True)):
        row = i + 2  # the header is line 1 of the file
        if not polres:
            raise ValueError(label("polda.galat_polres_kosong", lang, baris=row, kab=kab))
        if not _KAB.match(kab) or kab not in names.index:
            hint = ", ".join(
                c for c in names.index if _KAB.match(c) and c.startswith(province + ".")
            )
            raise ValueError(
                label(
                    "polda.galat_polres_kode", lang, baris=row, nilai=kab, polres=polres, ada=hint
                )
            )
        if not kab.startswith(province + "."):
            raise ValueError(
                label("polda.galat_polres_provinsi", lang, baris=row, nilai=kab, prov=province)
            )
    twice = frame[frame.duplicated("kab_kode", keep=False)]
    if len(twice):
        kab = str(twice["kab_kode"].iloc[0])
        owners = sorted(set(twice.loc[twice["kab_kode"] == kab, "polres"]))
        raise ValueError(
            label("polda.galat_polres_ganda", lang, kab=kab, polres=" dan ".join(owners))
        )


def load_polres(
    source: str | os.PathLike[str] | pd.DataFrame | None = None,
    *,
    province: str = "18",
    lang: str = "id",
) -> pd.DataFrame:
    """Read and check a Polres → kab/kota table.

    Parameters
    ----------
    source
        ``None`` (the shipped table of ``province``), a CSV path or a DataFrame with
        :data:`POLRES_COLUMNS` (``kab_nama`` may be missing: it is taken from Kemendagri).
    province
        Two-digit province code (``"18"`` = Lampung).
    lang
        Language of error messages.

    Returns
    -------
    pandas.DataFrame
        One row per kab/kota; ``attrs["kab_tanpa_polres"]`` lists the province's kab/kota that
        no Polres covers (stated, never guessed).

    Examples
    --------
    >>> t = load_polres()
    >>> len(t), t["polres"].nunique(), t.loc[t["kab_kode"] == "18.13", "polres"].item()
    (15, 15, 'Polres Pesisir Barat')
    """

    lang = check_lang(lang)
    province = str(province).strip()
    frame, name = _read(source, province, lang)
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in POLRES_COLUMNS[:3] if c not in frame.columns]
    if missing:
        raise ValueError(
            label(
                "polda.galat_polres_kolom", lang, kurang=", ".join(missing), ada=list(frame.columns)
            )
        )
    for col in frame.columns:
        frame[col] = frame[col].astype(str).str.strip()
    _check_codes(frame, province, lang)
    names = wilayah_names()
    if "kab_nama" not in frame.columns:
        frame["kab_nama"] = [str(names[k]) for k in frame["kab_kode"]]
    out = frame[list(POLRES_COLUMNS)].reset_index(drop=True)
    kabs = [c for c in names.index if _KAB.match(c) and c.startswith(province + ".")]
    out.attrs["kab_tanpa_polres"] = sorted(set(kabs) - set(out["kab_kode"]))
    out.attrs["source_name"] = name
    return out
