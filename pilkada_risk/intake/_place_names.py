"""Place rows by kecamatan and desa (pekon/kelurahan) name.

The desa name is looked up within the stated kecamatan, else the kecamatan name alone places
the row, else the desa name is looked up across the kabupaten: a name found in one kecamatan
places the row at desa precision (the kecamatan follows from the desa code); a name found in
several (e.g. "Sukarame" in Pesisir Barat) is ambiguous and its candidates are named. Names are
matched with :mod:`pilkada_risk.intake.names` (normalised; alternative names from ``nama_alt``
such as
BPS 2018 "Bengkunat" = 18.13.10 Ngaras; then fuzzy at or above ``cutoff``).

Functions return codes and machine-readable notes ``(key, params)``; intake turns notes into
analyst text with :func:`pilkada_risk.config.i18n.label`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pilkada_risk.geo.boundaries import load_aliases
from pilkada_risk.intake.names import NameIndex, alias_table, match_name, normalize_name
from pilkada_risk.intake.parsing import is_missing

__all__ = ["DEFAULT_NAME_CUTOFF", "Note", "place_names"]

#: Fuzzy-match threshold for place names (rapidfuzz ``ratio``, 0-100).
DEFAULT_NAME_CUTOFF = 85.0

Note = tuple[str, dict[str, Any]]


def _former_names() -> dict[str, set[str]]:
    """Codes per normalised former official name (aliases of kind ``bps2018``)."""
    table = load_aliases()
    rows = table[table["kind"] == "bps2018"]
    found: dict[str, set[str]] = {}
    for kode, alias in zip(rows["kode"], rows["alias"], strict=True):
        found.setdefault(normalize_name(alias), set()).add(str(kode))
    return found


def _preferred_alias(
    key: str, candidates: tuple[str, ...], former: dict[str, set[str]]
) -> str | None:
    """The one candidate for which ``key`` is a former official name (kind ``bps2018``);
    ``former`` is :func:`_former_names`."""
    hits = former.get(key, set()) & set(candidates)
    return hits.pop() if len(hits) == 1 else None


def _kecamatan(
    name: str,
    table: NameIndex,
    official: dict[str, str],
    names: dict[str, str],
    cutoff: float,
) -> tuple[str | None, list[Note], tuple[str, ...]]:
    hit = match_name(name, table, cutoff=cutoff)
    if hit.kode is None:
        return None, [], hit.candidates
    params = {"nilai": name, "nama": names[hit.kode], "kode": hit.kode}
    if hit.method == "fuzzy":
        return hit.kode, [("mirip_kec", {**params, "skor": round(hit.score)})], hit.candidates
    key = normalize_name(name)
    if key.replace(" ", "") == official[hit.kode].replace(" ", ""):
        return hit.kode, [], hit.candidates
    return hit.kode, [("alias_kec", params)], hit.candidates


def place_names(
    kecamatan: pd.Series,
    desa_names: pd.Series,
    areas: pd.DataFrame,
    desa: pd.DataFrame | None = None,
    *,
    cutoff: float = DEFAULT_NAME_CUTOFF,
) -> pd.DataFrame:
    """Place rows by kecamatan and/or desa name.

    Parameters
    ----------
    kecamatan, desa_names
        Names as written (missing allowed), aligned with each other.
    areas, desa
        The kecamatan layer (``kode``, ``nama``, optional ``nama_alt``) and optionally the desa
        layer (``kode``, ``nama``, ``kec_kode``).
    cutoff
        Fuzzy-match threshold (0-100, rapidfuzz ``ratio`` on normalised names, see
        :func:`pilkada_risk.intake.names.match_name`).

    Returns
    -------
    pandas.DataFrame
        Index of the input; ``kec_kode``, ``desa_kode`` (None when not found), ``masalah``
        (None, ``"lokasi_tidak_ditemukan"`` or ``"nama_ambigu"``), ``kandidat`` (text naming
        the candidates of an ambiguous pekon) and ``catatan`` (list of ``(key, params)``).
    """
    ctx = _Context(areas, desa, cutoff)
    rows = []
    cache: dict[tuple[str | None, str | None], dict[str, Any]] = {}
    for kec_value, desa_value in zip(kecamatan.tolist(), desa_names.tolist(), strict=True):
        key = (
            None if is_missing(kec_value) else str(kec_value).strip(),
            None if is_missing(desa_value) else str(desa_value).strip(),
        )
        if key not in cache:
            cache[key] = ctx.place(*key)
        rows.append({**cache[key], "catatan": list(cache[key]["catatan"])})
    columns = ["kec_kode", "desa_kode", "masalah", "kandidat", "catatan"]
    return pd.DataFrame(rows, index=kecamatan.index, columns=columns, dtype=object)


class _Context:
    """Alias tables built once per call of :func:`place_names`."""

    def __init__(self, areas: pd.DataFrame, desa: pd.DataFrame | None, cutoff: float) -> None:
        self.cutoff = cutoff
        self._former: dict[str, set[str]] | None = None  # read on the first ambiguous alias
        self.kec_table = NameIndex.from_table(alias_table(areas))
        self.kec_names = dict(
            zip(areas["kode"].astype(str), areas["nama"].astype(str), strict=True)
        )
        self.official = {k: normalize_name(n) for k, n in self.kec_names.items()}
        self.desa_table = None if desa is None else NameIndex.from_table(alias_table(desa))
        self.desa_names: dict[str, str] = {}
        self.by_kec: dict[str, NameIndex] = {}
        if desa is not None and self.desa_table is not None:
            self.desa_names = dict(
                zip(desa["kode"].astype(str), desa["nama"].astype(str), strict=True)
            )
            parent = self.desa_table.table["kode"].str.slice(0, 8)
            groups = self.desa_table.table.groupby(parent)
            self.by_kec = {str(k): NameIndex.from_table(t) for k, t in groups}

    def place(self, kec_value: str | None, desa_value: str | None) -> dict[str, Any]:
        notes: list[Note] = []
        kec_kode = None
        if kec_value is not None:
            kec_kode, notes, candidates = _kecamatan(
                kec_value, self.kec_table, self.official, self.kec_names, self.cutoff
            )
            if kec_kode is None and len(candidates) > 1:
                kec_kode, notes = self._disambiguate(kec_value, desa_value, candidates)
                if kec_kode is None:
                    return {
                        "kec_kode": None,
                        "desa_kode": None,
                        "masalah": "nama_ambigu",
                        "kandidat": "; ".join(f"{self.kec_names[c]} ({c})" for c in candidates),
                        "catatan": [],
                    }
        out: dict[str, Any] = {
            "kec_kode": kec_kode,
            "desa_kode": None,
            "masalah": None,
            "kandidat": "",
            "catatan": notes,
        }
        if desa_value is None or self.desa_table is None:
            if kec_kode is None:
                out["masalah"] = "lokasi_tidak_ditemukan"
            return out
        if kec_kode is not None:
            table = self.by_kec.get(kec_kode)
            hit = None if table is None else match_name(desa_value, table, cutoff=self.cutoff)
            if hit is not None and hit.kode is not None:
                out["desa_kode"] = hit.kode
                self._fuzzy_note(notes, desa_value, hit.kode, hit.method, hit.score)
            else:
                notes.append(
                    ("desa_tidak_di_kec", {"nilai": desa_value, "kec": self.kec_names[kec_kode]})
                )
            return out
        hit = match_name(desa_value, self.desa_table, cutoff=self.cutoff)
        if hit.ambiguous:
            out["masalah"] = "nama_ambigu"
            out["kandidat"] = "; ".join(
                f"{self.desa_names[c]} ({self.kec_names.get(c[:8], c[:8])}, {c})"
                for c in hit.candidates
            )
        elif hit.kode is None:
            out["masalah"] = "lokasi_tidak_ditemukan"
        else:
            out["desa_kode"], out["kec_kode"] = hit.kode, hit.kode[:8]
            self._fuzzy_note(notes, desa_value, hit.kode, hit.method, hit.score)
            if kec_value is not None:
                kec = self.kec_names.get(hit.kode[:8], hit.kode[:8])
                notes.append(("kec_tidak_dikenal", {"nilai": kec_value, "kec": kec}))
        return out

    def _disambiguate(
        self, kec_value: str, desa_value: str | None, candidates: tuple[str, ...]
    ) -> tuple[str | None, list[Note]]:
        """A kecamatan alias shared by several units: the desa name decides, else the unit
        for which the alias is a former official (BPS 2018) name."""

        def others(chosen: str) -> str:
            return ", ".join(f"{self.kec_names[c]} ({c})" for c in candidates if c != chosen)

        if desa_value is not None and self.desa_table is not None:
            found = [
                c
                for c in candidates
                if c in self.by_kec
                and match_name(desa_value, self.by_kec[c], cutoff=self.cutoff).kode is not None
            ]
            if len(found) == 1:
                params = {
                    "nilai": kec_value,
                    "nama": self.kec_names[found[0]],
                    "kode": found[0],
                    "kandidat": others(found[0]),
                    "desa": desa_value,
                }
                return found[0], [("alias_kec_desa", params)]
        if self._former is None:
            self._former = _former_names()
        kode = _preferred_alias(normalize_name(kec_value), candidates, self._former)
        if kode is None:
            return None, []
        params = {
            "nilai": kec_value,
            "nama": self.kec_names[kode],
            "kode": kode,
            "kandidat": others(kode),
        }
        return kode, [("alias_kec_rancu", params)]

    def _fuzzy_note(
        self, notes: list[Note], value: str, kode: str, method: str, score: float
    ) -> None:
        if method == "fuzzy":
            notes.append(
                (
                    "mirip_desa",
                    {"nilai": value, "nama": self.desa_names[kode], "skor": round(score)},
                )
            )
