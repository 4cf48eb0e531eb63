"""Read one or several registers into one raw frame, so checks (duplicates) span all of them.

Each source is read by :func:`pilkada_risk.intake.readers.read_source`; its geometry becomes
coordinate columns; a corrected quarantine file loses its explanation columns and keeps its old
row number as ``baris_karantina``. Several sources are stacked with a ``berkas`` column naming
the file of every row; row numbers restart in each file (and each sheet).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from pilkada_risk.intake._headers import is_acled, map_headers
from pilkada_risk.intake.readers import FILE_COLUMN, SHEET_COLUMN, geometry_to_columns, read_source
from pilkada_risk.intake.result import QUARANTINE_META, RowLists
from pilkada_risk.io.files import sha256_bytes

__all__ = ["BOOKKEEPING", "Loaded", "Source", "load_sources"]

Source: TypeAlias = str | os.PathLike[str] | pd.DataFrame
#: Columns that say where a row came from; they never make two rows different.
BOOKKEEPING = (FILE_COLUMN, SHEET_COLUMN, "baris_karantina")


@dataclass(frozen=True)
class Loaded:
    """The stacked raw rows of every source, with row numbers and per-row notes."""

    raw: pd.DataFrame
    numbers: np.ndarray
    notes: RowLists
    name: str
    sha256: str
    sep: str | None


def _one(source: Source, sheet: str | int | None, lang: str) -> tuple[Any, pd.DataFrame, RowLists]:
    read = read_source(source, sheet, lang)
    notes = RowLists(len(read.frame))
    raw = geometry_to_columns(read.frame, notes)
    if [str(c) for c in raw.columns[:5]] == QUARANTINE_META:  # a corrected quarantine file
        raw = raw.drop(columns=QUARANTINE_META[1:]).rename(columns={"baris": "baris_karantina"})
    return read, raw, notes


def _fields(columns: pd.Index) -> dict[str, Any]:
    return map_headers(columns, acled=is_acled(columns))


def _align_headers(raw: pd.DataFrame, first: dict[str, Any]) -> pd.DataFrame:
    """A copy of ``raw`` whose columns holding a field are named as in the first file.

    Files stacked into one register may name a field differently ("tanggal" in one, "Tgl
    Kejadian" in the next): stacking by raw header would leave the second file's dates empty.
    """
    own = _fields(raw.columns)
    rename = {
        col: first[field]
        for field, col in own.items()
        if field in first and first[field] != col and first[field] not in raw.columns
    }
    return raw.rename(columns=rename)


def load_sources(sources: Source | Sequence[Source], sheet: str | int | None, lang: str) -> Loaded:
    """Read ``sources`` (one, or a list/tuple of paths and DataFrames) into one :class:`Loaded`."""
    items: list[Source] = list(sources) if isinstance(sources, list | tuple) else [sources]
    if not items:
        raise ValueError("source: no register given; pass a file path or a DataFrame")
    parts = [_one(s, sheet, lang) for s in items]
    if len(parts) == 1:
        read, raw, notes = parts[0]
        return Loaded(raw, read.numbers(), notes, read.name, read.sha256, read.sep)
    frames = []
    first = _fields(parts[0][1].columns)
    for read, raw, _ in parts:
        frame = _align_headers(raw, first)
        frame[FILE_COLUMN] = read.name
        frames.append(frame)
    raw = pd.concat(frames, ignore_index=True, sort=False)
    numbers = np.concatenate([read.numbers() for read, _, _ in parts])
    notes = RowLists.stacked([part_notes for _, _, part_notes in parts])
    name = " + ".join(read.name for read, _, _ in parts)
    digest = sha256_bytes("\n".join(read.sha256 for read, _, _ in parts).encode())
    seps = [read.sep for read, _, _ in parts]
    return Loaded(raw, numbers, notes, name, digest, seps[0])
