"""Recognise the columns of an incident register from their headers.

Headers are compared as keys: lower-case, every run of spaces or punctuation written ``_``
(``"Desa/Pekon"`` → ``desa_pekon``, ``"No. LP"`` → ``no_lp``). A key matches a field when it is
one of the field's aliases in :data:`HEADER_ALIASES`, or when every ``_``-separated part of it
is a one-word alias of that same field (``pekon_kelurahan``, ``jenis_kasus``), so combined
headers need not be listed one by one. The report date (``tgl_lapor``) is deliberately not an
alias of ``tanggal``: intake wants the incident date. Generic row numbers (``No``, ``Nomor``,
:data:`WEAK_ID_KEYS`) are weak ids: intake ignores them as ids when their values repeat.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from typing import Any

__all__ = [
    "ACLED_HEADERS",
    "HEADER_ALIASES",
    "WEAK_ID_KEYS",
    "describe_aliases",
    "header_key",
    "is_acled",
    "map_headers",
]

#: Recognised headers per field (as keys, see :func:`header_key`), most specific first.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "id": (
        "id",
        "no_lp",
        "nomor_lp",
        "no_laporan",
        "nomor_laporan",
        "no_laporan_polisi",
        "nomor_laporan_polisi",
        "lp",
        "id_kejadian",
        "no_kejadian",
        "nomor_kejadian",
        "kode_kejadian",
        "event_id_cnty",
        "nomor",
        "no",
        "no_urut",
        "nomor_urut",
    ),
    "tanggal": (
        "tanggal",
        "tgl",
        "tanggal_kejadian",
        "tgl_kejadian",
        "tgl_kej",
        "tanggal_peristiwa",
        "tgl_peristiwa",
        "hari_tanggal",
        "hari_tgl",
        "hari_tanggal_kejadian",
        "waktu_kejadian",
        "date",
        "event_date",
        "incident_date",
        "waktu",
    ),
    "kategori": (
        "kategori",
        "jenis",
        "jenis_kejadian",
        "kejadian",
        "kategori_kejadian",
        "jenis_kasus",
        "kasus",
        "jenis_perkara",
        "perkara",
        "jenis_tindak_pidana",
        "tindak_pidana",
        "jenis_kejahatan",
        "kejahatan",
        "jenis_gangguan",
        "gangguan",
        "category",
        "type",
        "incident_type",
        "sub_event_type",
    ),
    "lat": ("lat", "lintang", "latitude", "y"),
    "lon": ("lon", "bujur", "lng", "long", "longitude", "x"),
    "koordinat": (
        "koordinat",
        "titik_koordinat",
        "koordinat_tkp",
        "lat_lon",
        "lat_long",
        "latlon",
        "latlong",
        "coordinates",
        "coordinate",
    ),
    "kecamatan": (
        "kecamatan",
        "kec",
        "nama_kecamatan",
        "nama_kec",
        "kecamatan_tkp",
        "district",
        "sub_district",
        "subdistrict",
        "admin3",
    ),
    "desa": (
        "desa",
        "pekon",
        "kelurahan",
        "kel",
        "kampung",
        "gampong",
        "nagari",
        "desa_kelurahan",
        "desa_pekon",
        "pekon_desa",
        "desa_kel",
        "kelurahan_desa",
        "pekon_kelurahan",
        "desa_kelurahan_pekon",
        "nama_desa",
        "nama_pekon",
        "nama_kelurahan",
        "nama_kampung",
        "desa_tkp",
        "village",
    ),
    "korban": ("korban", "jumlah_korban", "jml_korban", "korban_jiwa", "fatalities", "casualties"),
    "sumber": ("sumber", "sumber_data", "sumber_informasi", "sumber_info", "source"),
    "keterangan": (
        "keterangan",
        "ket",
        "uraian",
        "uraian_singkat",
        "uraian_kejadian",
        "keterangan_kejadian",
        "deskripsi",
        "kronologi",
        "kronologis",
        "kronologi_kejadian",
        "catatan",
        "notes",
        "description",
    ),
}
#: Generic row-number headers: used as ids only while their values do not repeat (a running
#: "No" that restarts per month or sheet is not an id). ``no_lp`` and the like stay strict ids.
WEAK_ID_KEYS = frozenset({"no", "nomor", "no_urut", "nomor_urut"})
#: Headers that together mark an ACLED export.
ACLED_HEADERS = frozenset({"event_date", "event_type", "latitude", "longitude"})
_SEPARATORS = re.compile(r"[^a-z0-9]+")
_WORDS = {
    field: frozenset(a for a in aliases if "_" not in a)
    for field, aliases in HEADER_ALIASES.items()
}


def header_key(name: object) -> str:
    """Return the comparison key of a header.

    Examples
    --------
    >>> header_key("Desa/Pekon"), header_key("No. LP"), header_key("\\ufeffTgl Kejadian ")
    ('desa_pekon', 'no_lp', 'tgl_kejadian')
    """
    return _SEPARATORS.sub("_", str(name).strip().lstrip("\ufeff").lower()).strip("_")


def _compound_field(key: str) -> str | None:
    """The field of which every part of ``key`` is a one-word alias, if exactly one."""
    parts = key.split("_")
    if len(parts) < 2:
        return None
    fields = [f for f, words in _WORDS.items() if all(p in words for p in parts)]
    return fields[0] if len(fields) == 1 else None


def is_acled(columns: Iterable[object]) -> bool:
    """True when the headers include those of an ACLED export."""
    return ACLED_HEADERS <= {header_key(c) for c in columns}


def map_headers(columns: Iterable[Hashable], *, acled: bool = False) -> dict[str, Any]:
    """Map each recognised field to the source column that holds it.

    Listed aliases win over combined ones, earlier aliases over later ones, and the leftmost
    column over a later one with the same key; no column serves two fields. In an ACLED export
    ``source`` names the news outlet, so ``sumber`` is left unmapped (intake writes ``ACLED``).

    Examples
    --------
    >>> map_headers(["No. LP", "Tgl Kejadian", "Jenis Kejadian", "Desa/Pekon", "Kec."])
    {'id': 'No. LP', 'tanggal': 'Tgl Kejadian', 'kategori': 'Jenis Kejadian', \
'kecamatan': 'Kec.', 'desa': 'Desa/Pekon'}
    """
    keys: dict[str, Any] = {}
    for col in columns:
        keys.setdefault(header_key(col), col)
    mapping: dict[str, Any] = {}
    used: set[Any] = set()
    for field, aliases in HEADER_ALIASES.items():
        if acled and field == "sumber":
            continue
        found = next((keys[a] for a in aliases if a in keys and keys[a] not in used), None)
        if found is not None:
            mapping[field] = found
            used.add(found)
    for key, col in keys.items():
        combined = _compound_field(key)
        if combined is None or combined in mapping or col in used:
            continue
        if not (acled and combined == "sumber"):
            mapping[combined] = col
            used.add(col)
    return {name: mapping[name] for name in HEADER_ALIASES if name in mapping}


def describe_aliases() -> str:
    """All recognised headers, ``field: alias, ...; ...`` (for error messages)."""
    return "; ".join(f"{k}: {', '.join(v)}" for k, v in HEADER_ALIASES.items())
