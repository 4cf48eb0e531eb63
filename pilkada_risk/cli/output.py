"""Output files of the command line: formats chosen by suffix, checked before any work.

Every target is checked first (:func:`check_target`), so a wrong suffix fails before boundaries
are loaded; files are written only once every step they depend on has succeeded. Tables go
through :func:`pilkada_risk.io.spreadsheet.write_table` (neutralised CSV/XLSX).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from pilkada_risk.config.i18n import label

__all__ = [
    "GEO_SUFFIXES",
    "LocalisedParser",
    "MAP_SUFFIXES",
    "TABLE_SUFFIXES",
    "check_dates",
    "check_target",
    "map_targets",
    "write_maps",
    "read_synonyms",
    "sheet_option",
    "write_scores",
    "write_table_out",
]

TABLE_SUFFIXES = (".csv", ".xlsx")
GEO_SUFFIXES = (".gpkg", ".geojson", ".parquet")
MAP_SUFFIXES = (".html", ".png")


def check_target(path: str | Path, allowed: tuple[str, ...], option: str, lang: str) -> Path:
    """Return ``path`` when its suffix is one of ``allowed``; else a clear error (no I/O)."""
    target = Path(path)
    if target.suffix.lower() not in allowed:
        raise ValueError(
            label(
                "cli.galat_akhiran_keluaran",
                lang,
                opsi=option,
                nama=str(target),
                daftar=", ".join(allowed),
            )
        )
    if target.is_dir():
        raise ValueError(label("cli.galat_keluaran_folder", lang, opsi=option, nama=str(target)))
    return target


def map_targets(out: Path) -> tuple[Path, Path]:
    """``(html, png)`` of ``map --out``: the named file and its twin beside it, never the same."""
    if out.suffix.lower() == ".png":
        return out.with_suffix(".html"), out
    return out, out.with_suffix(".png")


def write_table_out(frame: pd.DataFrame, path: Path, *, lang: str = "id") -> Path:
    """Write a table (CSV/XLSX by suffix), neutralised; a CSV for Excel in the user's regional
    settings (``--lang id``: ``;`` and decimal comma; ``en``: ``,`` and decimal point)."""
    # lazy: start-up, --help answers without loading the stages
    from pilkada_risk.io.spreadsheet import csv_style, write_table

    return write_table(frame, path, **csv_style(lang))


def write_scores(scores: Any, path: Path, *, lang: str = "id") -> Path:
    """Scores as a table (``.csv``/``.xlsx``) or a layer with geometry (``.gpkg`` ...)."""
    if path.suffix.lower() in GEO_SUFFIXES:
        # lazy: start-up, --help answers without loading the stages
        from pilkada_risk.geo.boundaries import write_layer
        from pilkada_risk.io.spreadsheet import neutralise_cells

        safe = neutralise_cells(scores.drop(columns="geometry"))
        layer = gpd.GeoDataFrame(safe, geometry=scores.geometry.to_numpy(), crs=scores.crs)
        return write_layer(layer, path)
    return write_table_out(scores.drop(columns="geometry"), path, lang=lang)


def read_synonyms(path: str | Path, lang: str) -> Any:
    """``--categories FILE``: a TOML taxonomy, or a two-column CSV ``label,code`` of synonyms.

    Returns what ``read_incidents(categories=...)`` takes (a path or a ``{label: code}`` dict).
    """
    # lazy: start-up, --help answers without loading the stages
    from pilkada_risk.config.taxonomy import load_taxonomy
    from pilkada_risk.intake.readers import decode_csv

    file = Path(path)
    if file.suffix.lower() == ".toml":
        if not file.is_file():
            raise ValueError(label("cli.galat_kategori_berkas", lang, nama=str(file)))
        return file
    if file.suffix.lower() != ".csv" or not file.is_file():
        raise ValueError(label("cli.galat_kategori_berkas", lang, nama=str(file)))
    text, sep = decode_csv(file)
    frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, header=None)
    if frame.shape[1] < 2 or frame.empty:
        raise ValueError(label("cli.galat_kategori_berkas", lang, nama=str(file)))
    codes = set(load_taxonomy().codes)
    pairs = {str(a).strip(): str(b).strip() for a, b in frame.iloc[:, :2].itertuples(index=False)}
    first_code = next(iter(pairs.values())).lower()
    if first_code in ("kode", "code", "kategori", "category", "kode_kategori"):  # a header row
        pairs.pop(next(iter(pairs)))
    unknown = sorted({c for c in pairs.values() if c not in codes})
    if unknown:
        raise ValueError(
            label(
                "cli.galat_kategori_kode",
                lang,
                nama=str(file),
                kode=", ".join(unknown),
                daftar=", ".join(sorted(codes)),
            )
        )
    return {k: v for k, v in pairs.items() if k}


def write_maps(
    result: dict[str, Any], out: Path, *, args: argparse.Namespace, previous: Any = None
) -> None:
    """The HTML map and its PNG twin beside it (``x.html`` + ``x.png``, whichever was named)."""
    # lazy: start-up, --help answers without loading the stages
    from pilkada_risk.maps.export import export_html, export_png
    from pilkada_risk.maps.risk_map import risk_map

    lang = args.lang
    out_html, out_png = map_targets(out)
    details = getattr(args, "include_incident_details", False)
    m = risk_map(
        result["scores"],
        previous=previous,
        incidents=result["intake"].accepted,
        desa=result["inputs"].desa,
        lang=lang,
        online_basemap=args.online_basemap,
        include_incident_details=details,
    )
    path = export_html(
        m, out_html, classification=args.classification, include_incident_details=details
    )
    print(label("cli.map_written", lang, path=path))
    png = export_png(
        result["scores"], out_png, previous=previous, lang=lang, classification=args.classification
    )
    print(label("cli.png_written", lang, path=png))


def sheet_option(value: str | None) -> str | int | None:
    """``--sheet`` by name, or by 1-based number as Excel shows the tabs."""
    if value is None or not value.strip().isdigit():
        return value
    return int(value) - 1


def check_dates(args: argparse.Namespace) -> None:
    """Fail on an impossible --as-of/--compare-as-of/--min-date before any work."""
    # lazy: start-up, --help answers without loading the stages
    from pilkada_risk.intake.incidents import parse_day

    for option, value in (
        ("--as-of", getattr(args, "as_of", None)),
        ("--compare-as-of", getattr(args, "compare_as_of", None)),
        ("--min-date", getattr(args, "min_date", None)),
    ):
        if value is not None and value.strip().lower() not in ("none", "tidak", "-"):
            parse_day(value, option, args.lang)


_ARGPARSE = (
    (re.compile(r"the following arguments are required: (?P<x>.+)"), "argparse_required"),
    (re.compile(r"unrecognized arguments: (?P<x>.+)"), "argparse_unknown"),
    (
        re.compile(r"argument (?P<x>\S+): invalid choice: (?P<y>.+?) \(choose from (?P<z>.+)\)"),
        "argparse_choice",
    ),
    (re.compile(r"argument (?P<x>\S+): expected one argument"), "argparse_value"),
    (re.compile(r"argument (?P<x>\S+): invalid int value: (?P<y>.+)"), "argparse_type"),
)


class LocalisedParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line in the analyst's language (exit 2).

    ``lang`` is set from the command line before parsing (``--lang en``); messages argparse
    itself words are translated, the rest is shown after the usage line.
    """

    lang = "id"

    def error(self, message: str) -> Any:  # argparse's hook; never returns
        for pattern, key in _ARGPARSE:
            if found := pattern.fullmatch(message.strip()):
                message = label(f"cli.{key}", self.lang, **found.groupdict())
                break
        self.print_usage(sys.stderr)
        self.exit(2, label("cli.error", self.lang, message=message) + "\n")
