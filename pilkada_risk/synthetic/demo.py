"""Inputs of a run: the analyst's own register, or the built-in synthetic demo.

For Pesisir Barat (18.13, seed 0) a source checkout ships the generated demo files in
``data/demo/``; elsewhere (another kabupaten, another seed, or an installed wheel without
``data/demo``) the same generator makes them in memory. Demo data are **synthetic** and say so:
``Inputs.synthetic`` is True and ``Inputs.name`` starts with ``sintetis_``.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pilkada_risk.geo.boundaries import load_desa, load_kecamatan, normalise_kab_kode
from pilkada_risk.intake.readers import decode_csv
from pilkada_risk.synthetic.simulate import simulate_incidents

__all__ = ["DEMO_DIR", "DEMO_REGIME", "Inputs", "load_demo", "load_inputs", "read_context"]

DEMO_DIR = Path(__file__).resolve().parents[2] / "data" / "demo"
#: Simulator regime of every demo register (shipped or generated): drifting risk, fading surges,
#: zero-inflation and concentration like real registers (``docs/data-sintetis.md``), so the demo
#: does not reward methods that assume risk stands still.
DEMO_REGIME = "realistic"
_SHIPPED = {
    ("18.13", 0): ("kejadian_sintetis_pesisir_barat.csv", "konteks_sintetis_pesisir_barat.csv"),
}


@dataclass(frozen=True)
class Inputs:
    """What a run needs: a register, optional context, and the boundaries.

    Attributes
    ----------
    kab_kode
        Kemendagri code of the kabupaten/kota.
    register
        A path (CSV/XLSX/GeoJSON/GeoParquet) or a DataFrame, for :func:`read_incidents`.
    context
        Per-kecamatan structural factors, or None.
    areas, desa
        Kecamatan and desa boundaries (real, from :mod:`pilkada_risk.geo.boundaries`).
    name
        A file-name stem for outputs: ``sintetis_<kabupaten>`` for demo data, else ``<kabupaten>``.
    synthetic
        True for the generated demo.
    """

    kab_kode: str
    register: Any
    context: pd.DataFrame | None
    areas: Any
    desa: Any
    name: str
    synthetic: bool


def _slug(text: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in text.lower()).split()
    return "_".join(w for w in words if w not in {"kabupaten", "kota", "kab"}) or "wilayah"


def read_context(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a per-kecamatan context table (CSV) keeping ``kode`` as text.

    Encoding and separator are detected as for registers (UTF-8/Windows-1252; ``,``, ``;``,
    tab or ``|``); text columns whose every value is a number with a decimal comma
    (``"0,5"``, Excel in Indonesian) become numbers.
    """
    text, sep = decode_csv(path)
    frame = pd.read_csv(io.StringIO(text), sep=sep, dtype={"kode": "string"})
    for col in frame.columns:
        if col == "kode" or pd.api.types.is_numeric_dtype(frame[col]):
            continue
        try:
            frame[col] = pd.to_numeric(frame[col].astype("string").str.replace(",", "."))
        except (ValueError, TypeError):
            continue
    return frame


def _boundaries(kab_kode: str) -> tuple[Any, Any, str]:
    areas = load_kecamatan(kab_kode)
    kab_nama = str(areas["kab_nama"].iloc[0]) if "kab_nama" in areas else kab_kode
    return areas, load_desa(kab_kode), _slug(kab_nama)


def load_demo(kab_kode: str = "18.13", *, seed: int = 0, messy: bool = True) -> Inputs:
    """Return the synthetic demo register, context and boundaries for ``kab_kode``.

    Parameters
    ----------
    kab_kode
        Kabupaten/kota code, e.g. ``"18.13"`` (Pesisir Barat) or ``"18.01"`` (Lampung Selatan).
    seed
        Seed of the generator (:func:`pilkada_risk.synthetic.simulate.simulate_incidents`).
    messy
        With the defects of real registers (the default, so that intake is exercised).

    Examples
    --------
    >>> demo = load_demo("18.13")
    >>> demo.name, demo.synthetic
    ('sintetis_pesisir_barat', True)
    """
    kab_kode = normalise_kab_kode(kab_kode)  # papermill passes -p kab_kode 18.01 as a float
    areas, desa, slug = _boundaries(kab_kode)
    name = f"sintetis_{slug}"
    shipped = _SHIPPED.get((kab_kode, seed)) if messy else None
    if shipped and (DEMO_DIR / shipped[0]).exists():
        context = read_context(DEMO_DIR / shipped[1])
        return Inputs(kab_kode, DEMO_DIR / shipped[0], context, areas, desa, name, True)

    sim = simulate_incidents(areas, desa=desa, seed=seed, messy=messy, regime=DEMO_REGIME)
    register = sim.incidents.copy()
    register.attrs["source_name"] = f"kejadian_{name} (generator, seed {seed})"  # map titles
    return Inputs(kab_kode, register, sim.context, areas, desa, name, True)


def load_inputs(
    kab_kode: str = "18.13",
    *,
    register: Any = None,
    context: Any = None,
    seed: int = 0,
) -> Inputs:
    """Inputs for a notebook or CLI run: the analyst's register, or the demo when none is given.

    Parameters
    ----------
    kab_kode
        Kabupaten/kota code.
    register
        Path or DataFrame of the analyst's register; ``None`` → the synthetic demo of ``kab_kode``.
    context
        Path (CSV) or DataFrame of structural factors; with the demo, ``None`` → its synthetic
        context.
    seed
        Demo generator seed (ignored with an analyst register).
    """
    kab_kode = normalise_kab_kode(kab_kode)
    own = read_context(context) if isinstance(context, str | os.PathLike) else context
    if register is None:
        demo = load_demo(kab_kode, seed=seed)
        if own is None:
            return demo
        return Inputs(kab_kode, demo.register, own, demo.areas, demo.desa, demo.name, True)
    areas, desa, slug = _boundaries(kab_kode)
    return Inputs(kab_kode, register, own, areas, desa, slug, False)
