"""Checks and canonical form of the inputs of :meth:`pilkada_risk.scoring.model.RiskModel.fit`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from pilkada_risk.config.columns import validate_columns
from pilkada_risk.config.profile import RiskProfile

_REQUIRED = ("tanggal", "kategori", "kec_kode")


@dataclass(frozen=True)
class FitInputs:
    """Areas sorted by ``kode``, incidents before ``as_of`` and their unit index."""

    area: gpd.GeoDataFrame
    codes: list[str]
    incidents: pd.DataFrame
    unit: NDArray[np.int64]
    as_of: pd.Timestamp


def _check_columns(incidents: pd.DataFrame, areas: gpd.GeoDataFrame) -> None:
    validate_columns(incidents, _REQUIRED, what="incidents", source="read_incidents(...).accepted")
    validate_columns(
        areas, ("kode", "nama", "geometry"), what="areas", source="load_kecamatan(kab_kode)"
    )


def _check_values(inc: pd.DataFrame, codes: list[str], profile: RiskProfile) -> None:
    n_nat = int(inc["tanggal"].isna().sum())
    if n_nat:
        raise ValueError(
            f"incidents: {n_nat} baris dengan tanggal kosong (NaT) dari {len(inc)} "
            f"({n_nat} rows with a missing tanggal); gunakan read_incidents(...).accepted, "
            "yang mengarantina baris tanpa tanggal (use read_incidents, which quarantines them)"
        )
    unknown = sorted(set(inc["kategori"].unique()) - set(profile.severity))
    if unknown:
        raise ValueError(
            f"incidents: kategori {unknown} tidak dikenal profil (unknown to the profile); "
            f"dikenal: {', '.join(profile.severity)}; tambahkan bobotnya di [severity]"
        )
    outside = sorted(set(inc["kec_kode"].unique()) - set(codes))
    if outside:
        raise ValueError(
            f"incidents: kec_kode {outside} tidak ada di areas (not in areas: "
            f"{', '.join(codes[:20])}); periksa kabupaten atau tempatkan ulang kejadian"
        )
    if inc.empty:
        raise ValueError("incidents: tidak ada kejadian (no incidents to score)")


def prepare_inputs(
    incidents: pd.DataFrame, areas: gpd.GeoDataFrame, as_of: Any, profile: RiskProfile
) -> FitInputs:
    """Validate (errors name the column, value and fix) and keep incidents before ``as_of``.

    ``as_of`` defaults to the day after the last incident and must be after the first one.
    """
    _check_columns(incidents, areas)
    area = areas.sort_values("kode", ignore_index=True)
    codes = area["kode"].astype(str).tolist()
    inc = pd.DataFrame(
        {
            "tanggal": pd.to_datetime(incidents["tanggal"]).dt.normalize(),
            "kategori": incidents["kategori"].astype(str),
            "kec_kode": incidents["kec_kode"].astype(str),
        }
    )
    _check_values(inc, codes, profile)
    first = inc["tanggal"].min()
    cutoff = inc["tanggal"].max() + pd.Timedelta(days=1) if as_of is None else as_of
    cutoff = pd.Timestamp(cutoff).normalize()
    if cutoff <= first:
        raise ValueError(
            f"as_of={cutoff.date()} tidak setelah kejadian pertama {first.date()} "
            "(must be after the first incident); pilih tanggal yang lebih akhir"
        )
    inc = inc[inc["tanggal"] < cutoff].reset_index(drop=True)
    unit = pd.Index(codes).get_indexer(inc["kec_kode"]).astype(np.int64)
    return FitInputs(area=area, codes=codes, incidents=inc, unit=unit, as_of=cutoff)
