"""Read KPU Sirekap per-TPS JSON files already on disk (a folder or a zip): no network.

Sirekap publishes one JSON document per TPS; the TPS code (13 digits: Kemendagri desa code
without dots + TPS number) is the file name (``1813011005001.json``), or a ``kode``/``kode_tps``
key when present. Voters are ``pemilih_dpt_j`` (total), ``pemilih_dpt_l`` and ``pemilih_dpt_p``
under ``administrasi`` (Pemilu) or ``tungsura.administrasi`` (Pilkada); ``psu`` marks a re-vote.
The files become one table (a row per file, numbered in file-name order) read by
:func:`pilkada_risk.intake.tps.read_tps`, so the same rules apply: every file is accepted or
quarantined, and a file that is not JSON is quarantined naming the file and the parser's reason.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd

from pilkada_risk.config.i18n import check_lang, label
from pilkada_risk.intake.result import IntakeResult
from pilkada_risk.intake.tps import read_tps

__all__ = ["read_sirekap", "sirekap_table"]

_FIELDS = ("pemilih_dpt_j", "pemilih_dpt_l", "pemilih_dpt_p")


def _documents(source: str | os.PathLike[str]) -> list[tuple[str, bytes]]:
    """``(file name, bytes)`` of every ``.json`` in a folder (recursively) or a zip, sorted."""
    path = Path(source)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.json") if p.is_file())
        return [(str(p.relative_to(path)), p.read_bytes()) for p in files]
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = sorted(n for n in archive.namelist() if n.lower().endswith(".json"))
            return [(n, archive.read(n)) for n in names]
    if not path.exists():
        raise FileNotFoundError(path)
    raise ValueError(label("tps.galat_sirekap_sumber", "id", path=str(path)))


def _administration(doc: dict[str, Any]) -> dict[str, Any]:
    tungsura = doc.get("tungsura")
    if isinstance(tungsura, dict) and isinstance(tungsura.get("administrasi"), dict):
        return tungsura["administrasi"]
    admin = doc.get("administrasi")
    return admin if isinstance(admin, dict) else {}


def sirekap_table(source: str | os.PathLike[str]) -> pd.DataFrame:
    """One row per JSON file: ``berkas``, ``kode_tps``, ``pemilih_dpt_j``/``_l``/``_p``,
    ``psu`` and ``galat_json`` (the parser's message for a file that is not JSON, else "")."""
    rows = []
    for name, data in _documents(source):
        stem = Path(name).stem
        try:
            doc = json.loads(data.decode("utf-8-sig"))
            error = "" if isinstance(doc, dict) else "bukan objek JSON (not a JSON object)"
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            doc, error = {}, str(exc)
        doc = doc if isinstance(doc, dict) else {}
        admin = _administration(doc)
        code = doc.get("kode_tps", doc.get("kode", stem))
        rows.append(
            {
                "berkas": name,
                "kode_tps": "" if error else str(code),
                **{f: admin.get(f) for f in _FIELDS},
                "psu": doc.get("psu"),
                "galat_json": error,
            }
        )
    columns = ["berkas", "kode_tps", *_FIELDS, "psu", "galat_json"]
    return pd.DataFrame(rows, columns=columns)


def read_sirekap(
    source: str | os.PathLike[str], *, lang: str = "id", **kwargs: Any
) -> IntakeResult:
    """Read Sirekap per-TPS JSON files (a folder or a zip) as a TPS list.

    Parameters
    ----------
    source
        A folder holding ``<kode_tps>.json`` files (searched recursively) or a zip of them.
    lang
        ``"id"`` or ``"en"``.
    **kwargs
        Passed to :func:`pilkada_risk.intake.tps.read_tps` (``kab_kode`` or ``areas`` and
        ``desa``, ``plan_profile``, ...).

    Returns
    -------
    IntakeResult
        As :func:`~pilkada_risk.intake.tps.read_tps`; ``baris`` is the file's number in name
        order and the quarantine's ``berkas`` column names the file. Sirekap files carry no
        Bawaslu indicators, so ``warnings`` says they are not yet available.
    """

    check_lang(lang)
    table = sirekap_table(source)
    table.attrs["source_name"] = Path(source).name
    result = read_tps(table, lang=lang, **kwargs)
    broken = dict(zip(table.index + 1, table["galat_json"], strict=True))
    q = result.quarantine
    for i in q.index:
        why = broken.get(int(q.at[i, "baris"]), "")
        if why:
            reason = label("tps.json_rusak", lang, berkas=q.at[i, "berkas"], galat=why)
            q.loc[i, ["kolom", "nilai", "alasan", "kode_alasan"]] = [
                "berkas",
                str(q.at[i, "berkas"]),
                reason,
                "json_rusak",
            ]
    return result
