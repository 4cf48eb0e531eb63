"""The outcome of intake: a per-row ledger of problems and notes, and :class:`IntakeResult`.

:class:`RowLog` collects, for every source row, the problems that reject it and the notes of
what was repaired. :func:`build_result` splits the rows by that ledger into the canonical
``accepted`` GeoDataFrame (columns as in ``docs/DESIGN.md``) and the ``quarantine`` frame, so
every row ends in exactly one of them.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from pilkada_risk.config.i18n import label
from pilkada_risk.intake.parsing import is_missing
from pilkada_risk.io.spreadsheet import write_table

__all__ = [
    "CANONICAL",
    "QUARANTINE_META",
    "IntakeResult",
    "RowLists",
    "RowLog",
    "build_result",
]

#: Leading columns of the quarantine (a re-read quarantine file is recognised by them).
QUARANTINE_META = ["baris", "kolom", "nilai", "alasan", "kode_alasan"]
#: Leading columns of ``IntakeResult.accepted``.
CANONICAL = [
    "id",
    "tanggal",
    "kategori",
    "kec_kode",
    "desa_kode",
    "korban",
    "sumber",
    "keterangan",
    "geometry",
    "lokasi_presisi",
    "catatan_intake",
    "baris",
]
_DTYPES = {
    "id": str,
    "kategori": str,
    "kec_kode": str,
    "sumber": str,
    "keterangan": str,
    "lokasi_presisi": str,
    "catatan_intake": str,
    "korban": "Int64",
    "baris": "Int64",
    "desa_kode": "string",
    "tanggal": "datetime64[ns]",
}

Note = tuple[str, dict[str, Any]]


class RowLists(Sequence[list[Any]]):
    """One list per row, allocated only for the rows that get an entry.

    Indexing (``lists[i].append(...)``) creates row ``i``'s list; :meth:`get` reads without
    creating. A national register of a million clean rows then holds no million empty lists.
    """

    def __init__(self, n: int) -> None:
        self._n = n
        self._lists: dict[int, list[Any]] = {}

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self.get(j) for j in range(self._n)[i]]
        i = int(i)
        found = self._lists.get(i)
        if found is None:
            if not 0 <= i < self._n:
                raise IndexError(i)
            found = self._lists[i] = []
        return found

    def get(self, i: int) -> list[Any]:
        """Row ``i``'s entries (a fresh empty list when it has none; not stored)."""
        return self._lists.get(i) or []

    def column(self) -> list[Any]:
        """One entry per row for a DataFrame column: the row's list, or a shared ``()``."""
        lists = self._lists
        return [lists.get(i, ()) for i in range(self._n)]

    def filled(self) -> list[int]:
        """Rows with at least one entry, in order."""
        return sorted(i for i, entries in self._lists.items() if entries)

    @classmethod
    def stacked(cls, parts: Sequence[RowLists]) -> RowLists:
        """The lists of several sources one after the other."""
        out = cls(sum(len(p) for p in parts))
        offset = 0
        for part in parts:
            out._lists.update({offset + i: v for i, v in part._lists.items()})
            offset += len(part)
        return out


class RowLog:
    """Problems (rejecting) and notes (repairs) per row, rendered in the analyst's language.

    A problem is ``(code, column, value, text)``; a note is ``(key, params)``, rendered with
    the ``intake`` labels when the result is built.
    """

    def __init__(self, n: int, lang: str, notes: RowLists | None = None) -> None:
        self.lang = lang
        self.problems: RowLists = RowLists(n)
        self.notes: RowLists = RowLists(n) if notes is None else notes

    def problem(self, i: int, code: str, kolom: str, value: Any, /, **params: Any) -> None:
        """Reject row ``i`` with reason ``code`` (an ``intake`` label key)."""
        text = label(f"intake.{code}", self.lang, **params)
        self.problems[i].append((code, kolom, "" if is_missing(value) else str(value), text))

    def note(self, i: int, key: str, **params: Any) -> None:
        """Record a repair on row ``i`` (an ``intake`` label key)."""
        self.notes[i].append((key, params))

    def has(self, i: int, code: str) -> bool:
        """True when row ``i`` already has problem ``code``."""
        return any(p[0] == code for p in self.problems.get(i))

    def rejected(self) -> np.ndarray:
        """Boolean mask of the rows with at least one problem."""
        mask = np.zeros(len(self.problems), dtype=bool)
        mask[self.problems.filled()] = True
        return mask


@dataclass
class IntakeResult:
    """Outcome of :func:`pilkada_risk.intake.incidents.read_incidents`.

    Attributes
    ----------
    accepted : geopandas.GeoDataFrame
        Canonical incidents (EPSG:4326), columns as in ``docs/DESIGN.md``.
    quarantine : pandas.DataFrame
        One row per rejected source row: ``baris``, ``kolom``, ``nilai``, ``alasan``,
        ``kode_alasan`` and then the raw source columns under their original headers.
    n_read : int
        Rows read from the source (``len(accepted) + len(quarantine) == n_read``).
    source_name, source_sha256 : str
        File name (or ``"DataFrame"``) and sha256 of the file (or of the frame's CSV).
    repairs : dict
        Number of accepted rows per repair kind (the keys of ``catatan_intake`` notes).
    source_sep : str or None
        Delimiter of the CSV register (``None`` for other formats); the quarantine and accepted
        CSV files are written with it, so Excel under Indonesian settings (``;``) opens them in
        columns.
    """

    accepted: gpd.GeoDataFrame
    quarantine: pd.DataFrame
    n_read: int
    source_name: str
    source_sha256: str
    repairs: dict[str, int] = field(default_factory=dict)
    source_sep: str | None = None
    #: TPS lists only: the plan profile's indicators ``{"found": [...], "missing": [...]}``.
    indicators: dict[str, list[str]] | None = None
    #: ``PERINGATAN`` lines for the analyst (TPS lists: missing indicators, DPT above the cap).
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> pd.Series:
        """Counts indexed by (``kelompok``, ``kode``).

        Groups: ``jumlah`` (``dibaca``/``diterima``/``dikarantina``), ``alasan`` (quarantined
        rows per reason code; a row with two reasons counts under both), ``presisi`` (accepted
        rows per ``lokasi_presisi``) and ``perbaikan`` (accepted rows per repair kind).
        """
        counts: dict[tuple[str, str], int] = {
            ("jumlah", "dibaca"): self.n_read,
            ("jumlah", "diterima"): len(self.accepted),
            ("jumlah", "dikarantina"): len(self.quarantine),
        }
        reasons = Counter(
            code for codes in self.quarantine["kode_alasan"] for code in str(codes).split("; ")
        )
        counts |= {("alasan", k): v for k, v in sorted(reasons.items())}
        presisi = self.accepted["lokasi_presisi"].value_counts()
        counts |= {("presisi", str(k)): int(v) for k, v in presisi.items()}
        counts |= {("perbaikan", k): v for k, v in sorted(self.repairs.items())}
        index = pd.MultiIndex.from_tuples(list(counts), names=["kelompok", "kode"])
        return pd.Series(list(counts.values()), index=index, name="jumlah", dtype="int64")

    def to_csv(
        self, path: str | os.PathLike[str], *, sep: str | None = None, decimal: str = "."
    ) -> Path:
        """Write the quarantine as UTF-8 CSV with BOM (opens cleanly in Excel).

        The delimiter is ``sep``, else the register's own (``;`` stays ``;``), else ``,``.
        Cells a spreadsheet would evaluate (``=...``, ``@...``) are neutralised
        (:func:`pilkada_risk.io.spreadsheet.neutralise_cells`; intake takes the quote off
        again). Missing parent folders are created and the file is written atomically. Fix the
        rows and read the file again with
        :func:`pilkada_risk.intake.incidents.read_incidents` (alone, or together with the
        original register for one duplicate check): the columns ``baris`` ... ``kode_alasan``
        are recognised and ignored, and the old row number is kept as ``baris_karantina``.
        Returns the path written.
        """
        return write_table(
            self.quarantine, path, sep=sep or self.source_sep or ",", kind="csv", decimal=decimal
        )

    def write_quarantine(
        self, path: str | os.PathLike[str], *, sep: str | None = None, decimal: str = "."
    ) -> Path:
        """Write the quarantine to ``.csv`` (see :meth:`to_csv`) or ``.xlsx``, by suffix."""
        return write_table(
            self.quarantine, path, sep=sep or self.source_sep or ",", decimal=decimal
        )

    def accepted_table(self) -> pd.DataFrame:
        """The accepted rows as a plain table: ``geometry`` as WKT text, ``catatan_intake`` kept."""
        table = pd.DataFrame(self.accepted.drop(columns="geometry"))
        wkt = [None if g is None or g.is_empty else g.wkt for g in self.accepted.geometry]
        table.insert(table.columns.get_loc("lokasi_presisi"), "geometry", wkt)
        return table

    def write_accepted(
        self, path: str | os.PathLike[str], *, sep: str | None = None, decimal: str = "."
    ) -> Path:
        """Write the accepted rows with their ``catatan_intake`` to ``.csv`` or ``.xlsx``.

        The repairs intake made can then be reviewed in Excel; the file reads back with
        :func:`pilkada_risk.intake.incidents.read_incidents` (also as ``sep=";"``,
        ``decimal=","``, what Excel in Indonesian settings expects).
        """
        table = self.accepted_table()
        return write_table(table, path, sep=sep or self.source_sep or ",", decimal=decimal)


@dataclass(frozen=True)
class Fields:
    """Parsed values per source row (aligned with the raw frame) handed to :func:`build_result`."""

    baris: pd.Series
    ids: list[str]
    tanggal: pd.Series
    kategori: list[str | None]
    location: pd.DataFrame
    korban: pd.Series
    sumber: pd.Series
    keterangan: pd.Series
    used_columns: set[Any]
    kategori_column: Any


def build_result(
    raw: pd.DataFrame,
    fields: Fields,
    rows: RowLog,
    source_name: str,
    digest: str,
    *,
    sep: str | None = None,
) -> IntakeResult:
    """Split the rows of ``raw`` into accepted incidents and the quarantine (``sep``: the
    register's CSV delimiter, reused by the writers)."""
    bad = rows.rejected()
    good = ~bad
    kept = np.flatnonzero(good)
    noted = set(rows.notes.filled())
    notes = [
        "; ".join(label(f"intake.{key}", rows.lang, **params) for key, params in rows.notes[i])
        if i in noted
        else ""
        for i in kept.tolist()
    ]
    repairs = Counter(key for i in sorted(noted) if good[i] for key, _ in rows.notes[i])
    loc = fields.location[good]
    x, y = loc["lon"].to_numpy(dtype=float), loc["lat"].to_numpy(dtype=float)
    geometry = np.asarray(shapely.points(x, y), dtype=object)
    geometry[np.isnan(x) | np.isnan(y)] = None
    accepted = pd.DataFrame(
        {
            "id": pd.Series(fields.ids, dtype=str)[good].to_numpy(),
            "tanggal": fields.tanggal[good].to_numpy(),
            "kategori": pd.Series(fields.kategori, dtype=object)[good].astype(str).to_numpy(),
            "kec_kode": loc["kec_kode"].astype(str).to_numpy(),
            "desa_kode": loc["desa_kode"].astype("string").to_numpy(),
            "korban": fields.korban[good].to_numpy(),
            "sumber": fields.sumber[good].to_numpy(),
            "keterangan": fields.keterangan[good].to_numpy(),
            "geometry": geometry,
            "lokasi_presisi": loc["lokasi_presisi"].astype(str).to_numpy(),
            "catatan_intake": pd.Series(notes, dtype=str).to_numpy(),
            "baris": fields.baris[good].to_numpy(),
        }
    ).astype(_DTYPES)
    others = raw.loc[good, [c for c in raw.columns if c not in fields.used_columns]]
    others = others.reset_index(drop=True)
    others.columns = _source_names(list(others.columns), fields.kategori_column)
    accepted = gpd.GeoDataFrame(
        pd.concat([accepted, others], axis=1), geometry="geometry", crs="EPSG:4326"
    )
    accepted.attrs.update(
        source_sha256=digest,
        source_name=source_name,
        synthetic=_says_synthetic(source_name, accepted["sumber"]),
    )
    quarantine = _quarantine(raw, bad, fields.baris, rows)
    return IntakeResult(
        accepted, quarantine, len(raw), source_name, digest, dict(repairs), source_sep=sep
    )


def _source_names(columns: list[Any], kategori_column: Any) -> list[Any]:
    """Names of the kept source columns: the category column becomes ``kategori_sumber`` and a
    canonical name gets ``_sumber``; a name already taken gets ``_2``, ``_3`` ... (re-reading
    intake's own output brings its ``kategori_sumber`` along).

    Examples
    --------
    >>> _source_names(["kategori", "kategori_sumber", "baris"], "kategori")
    ['kategori_sumber_2', 'kategori_sumber', 'baris_sumber']
    """
    wanted = [
        "kategori_sumber" if c == kategori_column else f"{c}_sumber" if c in CANONICAL else c
        for c in columns
    ]
    taken = set(CANONICAL) | {w for w, c in zip(wanted, columns, strict=True) if w == c}
    out: list[Any] = []
    for name, col in zip(wanted, columns, strict=True):
        if name != col:
            base, k = name, 2
            while name in taken:
                name, k = f"{base}_{k}", k + 1
        taken.add(name)
        out.append(name)
    return out


def _says_synthetic(source_name: str, sumber: pd.Series) -> bool:
    """Synthetic when the file name says so, or every row's ``sumber`` is SINTETIS/SYNTHETIC."""
    if "sintetis" in source_name.lower() or "synthetic" in source_name.lower():
        return True
    values = set(pd.unique(sumber.dropna().astype(str)).tolist())  # each distinct value once
    values = {v.strip().upper() for v in values}
    return bool(values) and values <= {"SINTETIS", "SYNTHETIC"}


def _quarantine(raw: pd.DataFrame, bad: np.ndarray, baris: pd.Series, rows: RowLog) -> pd.DataFrame:
    idx = np.flatnonzero(bad)
    problems = [rows.problems[i] for i in idx]
    meta = pd.DataFrame(
        {
            "baris": baris.iloc[idx].to_numpy(),
            "kolom": ["; ".join(dict.fromkeys(p[1] for p in ps if p[1])) for ps in problems],
            "nilai": ["; ".join(p[2] for p in ps if p[2]) for ps in problems],
            "alasan": ["; ".join(p[3] for p in ps) for ps in problems],
            "kode_alasan": ["; ".join(dict.fromkeys(p[0] for p in ps)) for ps in problems],
        }
    ).astype({"baris": "Int64", "kolom": str, "nilai": str, "alasan": str, "kode_alasan": str})
    body = raw.iloc[idx].reset_index(drop=True)
    body = body.rename(columns={c: f"{c}_sumber" for c in body.columns if c in QUARANTINE_META})
    return pd.concat([meta, body], axis=1)
