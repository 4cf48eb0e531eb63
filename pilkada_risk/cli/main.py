"""The ``pilkada-risk`` command line: the edge where files are read and written.

Subcommands: ``demo``, ``boundaries``, ``intake``, ``score``, ``map``, ``backtest``, ``plan``.
Messages are in Bahasa Indonesia; ``--lang en`` switches them (and the map) to English.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pilkada_risk._version import __version__
from pilkada_risk.cli.common import (
    check_profile,
    check_run_options,
    fit_and_score,
    load_run_inputs,
    previous_scores,
    print_top,
    read_register,
    say,
    write_quarantine,
)
from pilkada_risk.cli.output import (
    GEO_SUFFIXES,
    MAP_SUFFIXES,
    TABLE_SUFFIXES,
    LocalisedParser,
    check_dates,
    check_target,
    write_maps,
    write_scores,
    write_table_out,
)
from pilkada_risk.cli.plan import add_plan_parser
from pilkada_risk.cli.polda import add_polda_parser
from pilkada_risk.cli.tables import intake_table, metrics_table
from pilkada_risk.config.i18n import label
from pilkada_risk.errors import PilkadaRiskError
from pilkada_risk.io.spreadsheet import csv_style

__all__ = ["main"]

DEMO_KAB = "18.13"
#: The demo map shows what changed since the assessment this many days before its as_of.
DEMO_COMPARE_DAYS = 90


def _cmd_demo(args: argparse.Namespace) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    say("demo_synthetic", args.lang)
    inputs = load_run_inputs(args)
    result = fit_and_score(args, inputs)
    print_top(result["scores"], args.lang)
    previous = previous_scores(args, result, default_days=DEMO_COMPARE_DAYS)
    scores_csv = out / f"skor_{inputs.name}.csv"
    write_scores(result["scores"], scores_csv, lang=args.lang)
    say("scores_written", args.lang, path=scores_csv)
    write_maps(result, out / f"peta_risiko_{inputs.name}.html", args=args, previous=previous)
    write_quarantine(result["intake"], out / f"karantina_{inputs.name}.csv", args.lang)
    return 0


def _cmd_boundaries(args: argparse.Namespace) -> int:
    # lazy: start-up, --help answers without loading the stages
    from pilkada_risk.geo.boundaries import LAYER_SUFFIXES, load_desa, load_kecamatan, write_layer

    if args.prepare_offline is None and args.out is None:
        raise ValueError(label("cli.galat_boundaries_tanpa_keluaran", args.lang))
    out = check_target(args.out, tuple(LAYER_SUFFIXES), "--out", args.lang) if args.out else None
    if args.prepare_offline is not None:
        # lazy: start-up, --help answers without loading the stages
        from pilkada_risk.geo.offline import prepare_offline

        files = prepare_offline(args.kab, args.prepare_offline, lang=args.lang)
        say("offline_ready", args.lang, n=len(files), kab=args.kab, path=args.prepare_offline)
    if out is None:
        return 0
    if args.layer == "kecamatan":
        layer = load_kecamatan(args.kab, lang=args.lang)
    else:
        layer = load_desa(args.kab, lang=args.lang)
    path = write_layer(layer, out)
    say("layer_written", args.lang, layer=args.layer, kab=args.kab, n=len(layer), path=path)
    return 0


def _cmd_intake(args: argparse.Namespace) -> int:
    lang = args.lang
    quarantine = (
        check_target(args.quarantine, TABLE_SUFFIXES, "--quarantine", lang)
        if args.quarantine
        else None
    )
    accepted = (
        check_target(args.accepted, TABLE_SUFFIXES, "--accepted", lang) if args.accepted else None
    )
    check_dates(args)
    check_profile(args)
    registers = args.register if len(args.register) > 1 else args.register[0]
    intake = read_register(load_run_inputs(args, register=registers), args)
    print(intake_table(intake.summary(), lang))
    if accepted is not None:
        style = csv_style(lang) if lang == "id" else {}  # en: the register's own delimiter
        intake.write_accepted(accepted, **style)
        say("accepted_written", lang, path=accepted)
    write_quarantine(intake, quarantine, lang)
    return 0


def _cmd_score(args: argparse.Namespace) -> int:
    out, quarantine = check_run_options(args, TABLE_SUFFIXES + GEO_SUFFIXES)
    result = fit_and_score(args, load_run_inputs(args, register=args.register))
    print_top(result["scores"], args.lang)
    write_scores(result["scores"], out, lang=args.lang)
    say("scores_written", args.lang, path=out)
    write_quarantine(result["intake"], quarantine, args.lang)
    return 0


def _cmd_map(args: argparse.Namespace) -> int:
    out, quarantine = check_run_options(args, MAP_SUFFIXES)
    result = fit_and_score(args, load_run_inputs(args, register=args.register))
    print_top(result["scores"], args.lang)
    write_maps(result, out, args=args, previous=previous_scores(args, result, default_days=None))
    write_quarantine(result["intake"], quarantine, args.lang)
    return 0


def _cmd_backtest(args: argparse.Namespace) -> int:
    # lazy: start-up, --help answers without loading the stages
    from pilkada_risk.scoring.model import RiskModel
    from pilkada_risk.validation.backtest import backtest

    out, quarantine = check_run_options(args, TABLE_SUFFIXES)
    inputs = load_run_inputs(args, register=args.register)
    intake = read_register(inputs, args)
    result = backtest(
        intake.accepted,
        inputs.areas,
        horizon=args.horizon,
        model=RiskModel(args.profile, seed=args.seed),
        context=inputs.context,
        progress=True,
        seed=args.seed,
        # the verdict (first line) of the same fit as `score --as-of`; no window past it
        end=args.as_of,
        as_of=args.as_of,
        lang=args.lang,
    )
    write_table_out(result.metrics, out, lang=args.lang)
    say("metrics_written", args.lang, path=out)
    print(metrics_table(result.summary(), args.lang))
    print(result.verdict(lang=args.lang))
    write_quarantine(intake, quarantine, args.lang)
    return 0


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=("id", "en"), default="id", help="bahasa / language")
    p.add_argument("--seed", type=int, default=0, help="benih acak (bootstrap, permutasi, demo)")


def _reading(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kab", required=True, help="kode kabupaten/kota Kemendagri, mis. 18.13")
    p.add_argument("--sheet", help="hanya lembar XLSX ini (nama atau nomor; bawaan: semua)")
    p.add_argument(
        "--categories", help="sinonim kategori: TOML taksonomi atau CSV dua kolom sinonim,kode"
    )
    p.add_argument(
        "--min-date", dest="min_date", help="tanggal tertua yang diterima (bawaan 2000-01-01)"
    )
    p.add_argument("--quarantine", help="tulis baris karantina ke berkas ini (.csv/.xlsx)")
    p.add_argument(
        "--paksa",
        "--force",
        dest="paksa",
        action="store_true",
        help="tetap nilai register yang sebagian besar barisnya di luar kabupaten ini",
    )
    _common(p)


def _modelling(p: argparse.ArgumentParser) -> None:
    p.add_argument("register", help="register kejadian (CSV/XLSX/GeoJSON/GeoParquet/ACLED)")
    p.add_argument("--profile", help="profil risiko TOML (default: profil bawaan)")
    p.add_argument("--as-of", dest="as_of", help="tanggal prakiraan YYYY-MM-DD")
    p.add_argument("--context", help="tabel faktor struktural per kecamatan (CSV)")
    _reading(p)


def _mapping(p: argparse.ArgumentParser, compare_help: str) -> None:
    p.add_argument("--compare-as-of", dest="compare_as_of", metavar="DATE", help=compare_help)
    p.add_argument("--online-basemap", action="store_true", help="pakai peta dasar daring")
    p.add_argument("--classification", default="TERBATAS", help="label klasifikasi dokumen")
    p.add_argument(
        "--include-incident-details",
        action="store_true",
        help="sertakan titik dan uraian kejadian (SENSITIF; bawaan: hanya agregat)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = LocalisedParser(prog="pilkada-risk", description=label("cli.prog_description", "id"))
    parser.add_argument("--version", action="version", version=f"pilkada-risk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="jalankan demo sintetis Pesisir Barat dan tulis peta HTML")
    p.add_argument("--out", default="output/demo", help="folder keluaran (default output/demo)")
    p.add_argument("--kab", default=DEMO_KAB, help="kabupaten demo (default 18.13 Pesisir Barat)")
    _common(p)
    _mapping(
        p, "bandingkan dengan penilaian per tanggal ini (bawaan: 90 hari sebelum as_of; none: mati)"
    )
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("boundaries", help="tulis batas kecamatan/desa satu kabupaten")
    p.add_argument("--kab", required=True, help="kode kabupaten/kota, mis. 18.13")
    p.add_argument("--layer", choices=("kecamatan", "desa"), default="kecamatan")
    p.add_argument("--out", help="berkas keluaran .gpkg, .geojson atau .parquet")
    p.add_argument(
        "--siapkan-offline",
        "--prepare-offline",
        dest="prepare_offline",
        metavar="FOLDER",
        help="unduh + verifikasi semua berkas sumber kabupaten ini ke FOLDER; salin ke laptop "
        "tanpa internet dan set PILKADA_RISK_MIRROR=FOLDER",
    )
    _common(p)
    p.set_defaults(func=_cmd_boundaries)

    p = sub.add_parser("intake", help="periksa register: diterima, dikarantina, diperbaiki")
    p.add_argument(
        "register",
        nargs="+",
        help="register kejadian; beberapa berkas (mis. asli + karantina yang sudah diperbaiki) "
        "dibaca sebagai satu, dengan satu pemeriksaan ganda",
    )
    p.add_argument("--accepted", help="tulis baris diterima + catatan_intake ke berkas ini")
    p.add_argument(
        "--profile",
        help="profil risiko TOML (batas [sufficiency] max_outside_share; default: profil bawaan)",
    )
    p.add_argument(
        "--as-of",
        dest="as_of",
        help="tanggal sesudah hari ini dianggap masa depan (bawaan: hari ini)",
    )
    _reading(p)
    p.set_defaults(func=_cmd_intake)

    p = sub.add_parser("score", help="hitung skor risiko per kecamatan ke CSV")
    _modelling(p)
    p.add_argument("--out", required=True, help="berkas skor .csv, .xlsx atau .gpkg")
    p.set_defaults(func=_cmd_score)

    p = sub.add_parser("map", help="tulis peta pimpinan HTML offline")
    _modelling(p)
    _mapping(p, "tunjukkan perubahan sejak penilaian per tanggal ini YYYY-MM-DD (bawaan: tidak)")
    p.add_argument(
        "--out", required=True, help="peta .html (PNG ditulis di sampingnya) atau .png (+ .html)"
    )
    p.set_defaults(func=_cmd_map)

    p = sub.add_parser("backtest", help="uji-balik prakiraan terhadap baseline")
    _modelling(p)
    p.add_argument("--horizon", default="90D", help="cakrawala prakiraan, mis. 90D")
    p.add_argument("--out", required=True, help="berkas metrik .csv atau .xlsx")
    p.set_defaults(func=_cmd_backtest)

    add_plan_parser(sub, _modelling)
    add_polda_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    words = list(sys.argv[1:] if argv is None else argv)
    LocalisedParser.lang = "en" if "--lang=en" in words or "--lang en" in " ".join(words) else "id"
    args = _parser().parse_args(words)
    try:
        return int(args.func(args))
    except (PilkadaRiskError, ValueError, LookupError, OSError, RuntimeError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        print(label("cli.error", args.lang, message=message), file=sys.stderr)
        return 2
    except Exception as exc:  # no traceback for analysts; PILKADA_RISK_DEBUG=1 shows it
        if os.environ.get("PILKADA_RISK_DEBUG"):
            raise
        message = label("cli.error_unexpected", args.lang, jenis=type(exc).__name__)
        print(label("cli.error", args.lang, message=message), file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
