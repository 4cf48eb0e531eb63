"""Place codes of TPS lists: KPU's 13-digit TPS code, Kemendagri and BPS desa/kecamatan codes.

Private to :mod:`pilkada_risk.intake.tps`. KPU (Sirekap) writes a TPS as 13 digits: the 10-digit
Kemendagri desa code without dots and a 3-digit TPS number (``1813011005001`` = desa
18.13.01.1005, TPS 001). BPS codes also circulate: 7-digit kecamatan (``1813060``) and 10-digit
desa (kecamatan + 3 digits). They are not Kemendagri codes (BPS 1813100 "Bengkunat" is today's
18.13.10 Ngaras, not Bangkunat); :func:`load_bps_crosswalk` maps them (shipped:
``data/bps_kemendagri.csv``, Pesisir Barat's 11 kecamatan from DOMAIN.md; an analyst may add rows,
including 10-digit desa rows, with ``bps_crosswalk=``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from pilkada_risk.intake.parsing import is_missing
from pilkada_risk.io.files import package_data

__all__ = ["CodeInfo", "load_bps_crosswalk", "parse_place_code", "parse_tps_code"]

_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class CodeInfo:
    """A place code read: Kemendagri ``desa``/``kec`` code, ``system`` and the ``problem``.

    ``system`` is ``kemendagri``, ``bps`` or ``""``; ``problem`` is ``""`` (read),
    ``kode_tidak_dikenal`` (a code of no known system or place) or ``kode_tidak_terbaca``.
    """

    desa: str | None = None
    kec: str | None = None
    system: str = ""
    problem: str = ""


def _digits(value: Any) -> str:
    """The digits of a code cell (``18.13.01.1005`` → ``1813011005``; ``1.8e12`` floats kept)."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        return str(int(value))
    return "".join(_DIGITS.findall(str(value)))


def parse_tps_code(value: Any) -> tuple[str | None, int | None]:
    """Split a KPU TPS code into 10 desa digits and the TPS number; ``(None, None)`` if not one.

    Accepts ``1813011005001``, ``18.13.01.1005.001`` and this tool's own ``tps_id``
    (``18.13.01.1005-001``).

    Examples
    --------
    >>> parse_tps_code("1813011005001"), parse_tps_code("18.13.01.1005-012")
    (('1813011005', 1), ('1813011005', 12))
    >>> parse_tps_code("001")
    (None, None)
    """
    if is_missing(value):
        return None, None
    digits = _digits(value)
    if len(digits) != 13 or int(digits[10:]) < 1:
        return None, None
    return digits[:10], int(digits[10:])


def load_bps_crosswalk(
    extra: str | os.PathLike[str] | pd.DataFrame | None = None,
) -> dict[str, str]:
    """BPS code (7 or 10 digits) → Kemendagri code: the shipped table plus ``extra`` rows
    (columns ``kode`` and ``kode_bps``; an extra row replaces a shipped one)."""
    table = pd.read_csv(package_data("bps_kemendagri.csv"), dtype=str)
    if extra is not None:
        more = extra if isinstance(extra, pd.DataFrame) else pd.read_csv(extra, dtype=str)
        missing = {"kode", "kode_bps"} - set(more.columns)
        if missing:
            raise ValueError(
                f"bps_crosswalk: kolom {sorted(missing)} tidak ada (missing); "
                "perlu kolom kode, kode_bps (need columns kode, kode_bps)"
            )
        table = pd.concat([table, more[["kode", "kode_bps"]].astype(str)], ignore_index=True)
    pairs = zip(table["kode_bps"].map(_digits), table["kode"].astype(str).str.strip(), strict=True)
    return dict(pairs)


def _kemendagri_desa(digits: str) -> str:
    return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:10]}"


def parse_place_code(
    value: Any, desa_codes: set[str], kec_codes: set[str], bps: dict[str, str]
) -> CodeInfo:
    """Read a desa or kecamatan code in Kemendagri or BPS form (10 or 6-7 digits, dots or not).

    A BPS desa code without a desa row in the crosswalk gives its kecamatan only (the desa is
    then found by name within it).

    Examples
    --------
    >>> bps = {"1813100": "18.13.10"}
    >>> parse_place_code("1813011005", {"18.13.01.1005"}, {"18.13.01"}, bps).desa
    '18.13.01.1005'
    >>> parse_place_code("1813100004", set(), {"18.13.10"}, bps)
    CodeInfo(desa=None, kec='18.13.10', system='bps', problem='')
    """
    if is_missing(value):
        return CodeInfo()
    digits = _digits(value)
    if len(digits) == 10:
        code = _kemendagri_desa(digits)
        if code in desa_codes:
            return CodeInfo(code, code[:8], "kemendagri")
        if digits in bps:
            return CodeInfo(bps[digits], bps[digits][:8], "bps")
        if digits[:7] in bps:
            return CodeInfo(None, bps[digits[:7]], "bps")
        return CodeInfo(problem="kode_tidak_dikenal")
    if len(digits) == 6:
        code = f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}"
        return (
            CodeInfo(None, code, "kemendagri")
            if code in kec_codes
            else CodeInfo(problem="kode_tidak_dikenal")
        )
    if len(digits) == 7 and digits in bps:
        return CodeInfo(None, bps[digits], "bps")
    return CodeInfo(problem="kode_tidak_dikenal" if digits else "kode_tidak_terbaca")
