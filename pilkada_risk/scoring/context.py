"""Per-kecamatan context: alignment with the areas, exposure and the structural component.

``context`` is a table of structural factors per kecamatan (``kode`` or a name column);
:func:`align_context` puts it in area order, :func:`exposure_base` picks the exposure the laju
rate is divided by (``dpt``, ``populasi``, ``tps`` or 1 per kecamatan), :func:`exposure_notes`
names the kecamatan that forced a fallback, and :func:`structural_component` turns the
profile's factors into the struktural score component. Re-exported by
:mod:`pilkada_risk.scoring.features`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from pilkada_risk.config.profile import RiskProfile

__all__ = ["align_context", "exposure_base", "exposure_notes", "structural_component"]


def _norm(text: Any) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


def align_context(context: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Return ``context`` with one row per area (area order), matched by kode or by name.

    Names match ``nama``/``nama_alt`` ignoring case and punctuation; the last duplicate wins.
    """
    if "kode" in context.columns:
        keys, lookup = context["kode"].astype(str), {k: k for k in areas["kode"]}
        column = "kode"
    else:
        found = [c for c in ("nama", "kecamatan", "nama_kecamatan") if c in context.columns]
        if not found:
            raise ValueError(
                "context: need a 'kode' column or a name column (nama, kecamatan); got "
                f"{list(context.columns)}"
            )
        column = found[0]
        lookup = {}
        alt_col = areas["nama_alt"] if "nama_alt" in areas.columns else pd.Series("", areas.index)
        for kode, nama, alt in zip(areas["kode"], areas["nama"], alt_col, strict=True):
            alts = str(alt if isinstance(alt, str) else "").split(";")
            for name in (str(nama), *alts):
                if _norm(name):
                    lookup.setdefault(_norm(name.split("(")[0]), str(kode))
        keys = context[column].map(lambda s: _norm(str(s)))
    codes = keys.map(lookup)
    unknown = context.loc[codes.isna(), column].astype(str).tolist()
    if unknown:
        raise ValueError(
            f"context: {column} {unknown} tidak cocok dengan kecamatan mana pun (match no "
            f"kecamatan); valid: {', '.join(areas['kode'] + ' ' + areas['nama'])}"
        )
    out = context.assign(kode=codes.to_numpy()).drop_duplicates("kode", keep="last")
    return areas[["kode"]].merge(out, on="kode", how="left")


def exposure_base(context: pd.DataFrame | None, basis: str) -> tuple[NDArray[np.float64], str]:
    """Return the exposure per unit (aligned with ``context``) and the basis used.

    ``auto`` takes the first of ``dpt``, ``populasi``, ``tps`` present in ``context`` with
    all values > 0, else ``unit`` (1 per kecamatan).
    """
    if basis == "unit" or context is None:
        n = 0 if context is None else len(context)
        return np.ones(n), "unit"
    order = ("dpt", "populasi", "tps") if basis == "auto" else (basis,)
    for col in order:
        if col in context.columns:
            values = pd.to_numeric(context[col], errors="coerce").to_numpy(dtype=float)
            if np.all(np.isfinite(values)) and np.all(values > 0):
                return values, col
        if basis != "auto":
            raise ValueError(
                f"exposure.basis = {basis!r} but context lacks column {col!r} or has values "
                "that are missing or <= 0; supply it or use basis = 'auto'"
            )
    return np.ones(len(context)), "unit"


def exposure_notes(
    context: pd.DataFrame | None, used: str, names: Mapping[str, str] | None = None
) -> list[str]:
    """Notes (Bahasa Indonesia, then English) naming kecamatan that forced an exposure fallback.

    ``auto`` skips a column of ``context`` (rows aligned with the areas, with ``kode``) when any
    value is missing or <= 0; for each such column preferred over ``used`` the note names the
    kecamatan with a missing exposure. ``[]`` when nothing was skipped.

    Examples
    --------
    >>> ctx = pd.DataFrame({"kode": ["a", "b"], "dpt": [100.0, None]})
    >>> exposure_notes(ctx, "unit", {"b": "B"})[0][:40]
    'eksposur dpt kosong atau <= 0 untuk B (b'
    """
    if context is None:
        return []
    order = ("dpt", "populasi", "tps")
    skipped = order[: order.index(used)] if used in order else order
    kode = context["kode"].astype(str) if "kode" in context else context.index.astype(str)
    notes = []
    for col in skipped:
        if col not in context.columns:
            continue
        values = pd.to_numeric(context[col], errors="coerce").to_numpy(dtype=float)
        bad = ~(np.isfinite(values) & (values > 0))
        if not bad.any():
            continue
        where = ", ".join(
            f"{(names or {}).get(k, k)} ({k})" if names and k in names else k
            for k in kode[bad].tolist()
        )
        notes.append(
            f"eksposur {col} kosong atau <= 0 untuk {where}: laju memakai basis {used!r}; "
            f"lengkapi {col} di konteks (exposure {col} missing or <= 0 for {where}: the rate "
            f"uses basis {used!r}; complete {col} in the context)"
        )
    return notes


def structural_component(
    context: pd.DataFrame | None, profile: RiskProfile
) -> tuple[NDArray[np.float64] | None, pd.DataFrame, list[str]]:
    """Structural component per unit from ``context`` (rows aligned with the areas).

    Each profile factor found in ``context`` (by name or alias) is min-max scaled across the
    kecamatan (a constant factor scales to 0.5), flipped when ``direction = -1``, and the
    factors are averaged with their weights. A missing value takes the neutral 0.5. Returns
    ``(values or None when no factor is available, scaled factors, notes)``.
    """
    factors = profile.structural.factors
    if context is None:
        return None, pd.DataFrame(), []
    scaled: dict[str, NDArray[np.float64]] = {}
    weights: dict[str, float] = {}
    notes: list[str] = []
    for name, spec in factors.items():
        col = next((c for c in (name, *spec.get("aliases", [])) if c in context.columns), None)
        if col is None or float(spec["weight"]) == 0:
            continue
        raw = pd.to_numeric(context[col], errors="coerce").to_numpy(dtype=float)
        missing = ~np.isfinite(raw)
        finite = raw[~missing]
        lo, hi = (finite.min(), finite.max()) if finite.size else (0.0, 0.0)
        unit = (raw - lo) / (hi - lo) if hi > lo else np.full_like(raw, 0.5)
        if spec["direction"] == -1:
            unit = 1.0 - unit
        if missing.any():
            notes.append(f"{name}: {int(missing.sum())} nilai kosong -> netral 0,5")
        scaled[name] = np.where(missing, 0.5, unit)
        weights[name] = float(spec["weight"])
    if not scaled:
        return None, pd.DataFrame(), notes
    total = sum(weights.values())
    value = sum(weights[k] * scaled[k] for k in scaled) / total
    return np.asarray(value, dtype=float), pd.DataFrame(scaled), notes
