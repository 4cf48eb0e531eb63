"""BKO settings of a Polda plan (``data/profiles/plan.toml``): unit sizes, Brimob rule, warning.

A small typed loader: the shipped file is the default, an analyst's TOML file or a dict is merged
over it, and every value is checked (positive whole unit sizes, shares in (0, 1], no unknown key),
each error naming the key, the value and the fix in Bahasa Indonesia or English.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from pilkada_risk.config.i18n import check_lang, label
from pilkada_risk.io.files import package_data

__all__ = ["POOLS", "BkoSettings", "load_bko"]

#: Polda pools that can be moved to a Polres (the reserve ``cadangan`` never is).
POOLS = ("bko_pam_tps", "bko_brimob", "bko_samapta")
_INTS = ("unit_bko_pam_tps", "unit_bko_brimob", "unit_bko_samapta", "unit_tambahan")
_COUNTS = ("brimob_min_sangat_rawan",)
_SHARES = ("brimob_top_share", "peringatan_porsi_bko")


@dataclass(frozen=True)
class BkoSettings:
    """Validated ``[bko]`` settings.

    Attributes
    ----------
    units : dict
        Officers per unit of each pool (:data:`POOLS`), e.g. ``{"bko_brimob": 30, ...}``.
    brimob_min_sangat_rawan : int
        Brimob only to a Polres with at least this many TPS sangat rawan ...
    brimob_top_share : float
        ... or with a kecamatan in this top share of the province's expected incidents.
    peringatan_porsi_bko : float
        Warn when BKO exceed this share of a Polres' police at TPS.
    unit_tambahan : int
        Officers in the "one more platoon" of the marginal-value report.
    """

    units: dict[str, int]
    brimob_min_sangat_rawan: int
    brimob_top_share: float
    peringatan_porsi_bko: float
    unit_tambahan: int

    def to_dict(self) -> dict[str, Any]:
        """The ``[bko]`` table as a plain dict (round-trips through :func:`load_bko`)."""
        out: dict[str, Any] = {f"unit_{k}": v for k, v in self.units.items()}
        out |= {
            "brimob_min_sangat_rawan": self.brimob_min_sangat_rawan,
            "brimob_top_share": self.brimob_top_share,
            "peringatan_porsi_bko": self.peringatan_porsi_bko,
            "unit_tambahan": self.unit_tambahan,
        }
        return out


@cache
def _default() -> dict[str, Any]:
    with open(package_data("profiles", "plan.toml"), "rb") as fh:
        return dict(tomllib.load(fh)["bko"])


def _read(source: Any, lang: str) -> dict[str, Any]:
    if source is None:
        return {}
    if isinstance(source, BkoSettings):
        return source.to_dict()
    if isinstance(source, Mapping):
        doc = dict(source)
    else:
        try:
            with open(os.fspath(source), "rb") as fh:
                doc = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ValueError(label("polda.galat_bko_berkas", lang, path=source, err=exc)) from None
    return dict(doc.get("bko", doc))


def _check(merged: dict[str, Any], lang: str) -> None:
    unknown = sorted(set(merged) - set(_default()))
    if unknown:
        raise ValueError(
            label(
                "polda.galat_bko_kunci", lang, kunci=", ".join(unknown), boleh=", ".join(_default())
            )
        )
    for key in (*_INTS, *_COUNTS):
        value = merged[key]
        low = 1 if key in _INTS else 0
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ValueError(label("polda.galat_bko_bulat", lang, kunci=key, nilai=value, min=low))
    for key in _SHARES:
        value = merged[key]
        ok = isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= 1
        if not ok:
            raise ValueError(label("polda.galat_bko_porsi", lang, kunci=key, nilai=value))


def load_bko(source: Any = None, *, lang: str = "id") -> BkoSettings:
    """Load and validate the BKO settings.

    Parameters
    ----------
    source
        ``None`` (the ``[bko]`` table of the shipped plan profile ``plan.toml``), a TOML path
        (a plan profile with a ``[bko]`` table, or the keys at top
        level), a dict of keys to change, or a :class:`BkoSettings`.
    lang
        Language of error messages.

    Examples
    --------
    >>> s = load_bko()
    >>> s.units["bko_brimob"], s.units["bko_pam_tps"], s.peringatan_porsi_bko
    (30, 2, 0.4)
    >>> load_bko({"unit_bko_samapta": 25}).units["bko_samapta"]
    25
    """
    lang = check_lang(lang)
    merged = {**_default(), **_read(source, lang)}
    _check(merged, lang)
    return BkoSettings(
        units={pool: int(merged[f"unit_{pool}"]) for pool in POOLS},
        brimob_min_sangat_rawan=int(merged["brimob_min_sangat_rawan"]),
        brimob_top_share=float(merged["brimob_top_share"]),
        peringatan_porsi_bko=float(merged["peringatan_porsi_bko"]),
        unit_tambahan=int(merged["unit_tambahan"]),
    )
