"""Which source column holds which TPS field and which Bawaslu indicator.

Private to :mod:`pilkada_risk.intake.tps`. Headers are compared as keys
(:func:`~pilkada_risk.intake._headers.header_key`). Fields are matched by alias first; the
indicators of the plan profile by their ``alias`` list, then by their ``kata`` word sets, which
recognise Bawaslu's long wording ("Terdapat riwayat kekerasan di TPS"): a header matches a word
set when its words include every word of the set. A header that two indicators' word sets match
equally well is left unassigned (never guessed).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pilkada_risk.intake._headers import HEADER_ALIASES, header_key

#: Headers of the TPS-specific fields (as header keys), most specific first.
TPS_ALIASES: dict[str, tuple[str, ...]] = {
    "kode_tps": ("kode_tps", "tps_kode", "tpsid", "tps_id", "id_tps", "kode_tps_kpu", "kd_tps"),
    "tps": ("no_tps", "nomor_tps", "tps", "tps_no", "nama_tps", "tps_ke"),
    "dpt": (
        "dpt",
        "jumlah_dpt",
        "jml_dpt",
        "dpt_total",
        "total_dpt",
        "dpt_j",
        "pemilih_dpt_j",
        "dpt_jumlah",
        "jumlah_pemilih",
        "pemilih",
        "jml_pemilih",
        "voters",
    ),
    "dpt_l": ("pemilih_dpt_l", "dpt_l", "dpt_laki_laki", "dpt_lk", "laki_laki", "lk", "l"),
    "dpt_p": ("pemilih_dpt_p", "dpt_p", "dpt_perempuan", "dpt_pr", "perempuan", "pr", "p"),
    "khusus": (
        "tps_khusus",
        "khusus",
        "loksus",
        "tps_loksus",
        "jenis_tps",
        "tipe_tps",
        "special",
    ),
    "kelas": (
        "kelas_tps",
        "kerawanan",
        "kategori",
        "kelas",
        "kategori_tps",
        "kategori_kerawanan",
        "tingkat_kerawanan",
        "kelas_kerawanan",
        "klasifikasi",
        "tps_class",
    ),
    "kode_desa": (
        "kode_desa",
        "kelurahan_desa_kode",
        "desa_kode",
        "kode_kelurahan",
        "kode_kel",
        "kode_pekon",
        "kd_desa",
    ),
    "kode_kec": ("kode_kecamatan", "kecamatan_kode", "kode_kec", "kec_kode", "kd_kec"),
}
PLACE_ALIASES = {"kecamatan": HEADER_ALIASES["kecamatan"], "desa": HEADER_ALIASES["desa"]}
POINT_ALIASES = {k: HEADER_ALIASES[k] for k in ("lat", "lon", "koordinat")}


def map_columns(
    columns: pd.Index, indicators: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Source column per field and per indicator (each column used once, leftmost first)."""
    keys: dict[str, Any] = {}
    for col in columns:
        keys.setdefault(header_key(col), col)
    used: set[Any] = set()

    def pick(aliases: tuple[str, ...] | list[str]) -> Any:
        found = next((keys[a] for a in aliases if a in keys and keys[a] not in used), None)
        if found is not None:
            used.add(found)
        return found

    fields = {f: pick(a) for f, a in {**TPS_ALIASES, **PLACE_ALIASES, **POINT_ALIASES}.items()}
    found = {name: pick(spec.get("alias", [name])) for name, spec in indicators.items()}
    for name, col in _by_words(keys, used, indicators, found).items():
        found[name] = col
    return {k: v for k, v in fields.items() if v is not None}, {
        k: v for k, v in found.items() if v is not None
    }


def _by_words(
    keys: dict[str, Any], used: set[Any], indicators: dict[str, Any], found: dict[str, Any]
) -> dict[str, Any]:
    """Indicators still missing, matched through their ``kata`` word sets (long headers)."""
    out: dict[str, Any] = {}
    for key, col in keys.items():
        if col in used:
            continue
        words = set(key.split("_"))
        best: list[tuple[int, str]] = []
        for name, spec in indicators.items():
            if found.get(name) is not None or name in out:
                continue
            sizes = [len(s.split()) for s in spec.get("kata", []) if set(s.split()) <= words]
            if sizes:
                best.append((max(sizes), name))
        best.sort(reverse=True)
        if best and (len(best) == 1 or best[0][0] > best[1][0]):
            out[best[0][1]] = col
            used.add(col)
    return out
