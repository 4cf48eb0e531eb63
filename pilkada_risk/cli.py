"""The ``pilkada-risk`` command line: the edge where files are read and written.

Subcommands: ``demo``, ``boundaries``, ``intake``, ``score``, ``map``, ``backtest``. Messages are
in Bahasa Indonesia; ``--lang en`` switches them (and the map) to English.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pilkada_risk._version import __version__
from pilkada_risk.cli_output import (
    GEO_SUFFIXES,
    MAP_SUFFIXES,
    TABLE_SUFFIXES,
    LocalisedParser,
    check_dates,
    check_target,
    read_synonyms,
    sheet_option,
    write_maps,
    write_scores,
    write_table_out,
)
from pilkada_risk.config.i18n import label

__all__ = ["main"]

DEMO_KAB = "18.13"
#: The demo map shows what changed since the assessment this many days before its as_of.
DEMO_COMPARE_DAYS = 90


def _say(key: str, lang: str, **fmt: Any) -> None:
    print(label(f"cli.{key}", lang, **fmt))


def _intake(inputs: Any, args: argparse.Namespace) -> Any:
    """Read the register(s) of ``inputs`` with the CLI's options; print the counts."""
    from pilkada_risk.intake.incidents import DEFAULT_MIN_DATE, intake, make_setup
    from pilkada_risk.intake.place import DEFAULT_TOLERANCE_M

    lang = args.lang
    categories = getattr(args, "categories", None)
    setup = make_setup(
        areas=inputs.areas,
        desa=inputs.desa,
        kab_kode=None,
        categories=read_synonyms(categories, lang) if categories else None,
        tolerance_m=DEFAULT_TOLERANCE_M,
        # intake's own "future" limit; score/map keep today (their --as-of is the forecast date)
        as_of=getattr(args, "as_of", None) if args.func is _cmd_intake else None,
        min_date=getattr(args, "min_date", None) or DEFAULT_MIN_DATE,
        lang=lang,
        for_cli=True,
    )
    result = intake(inputs.register, setup, sheet=sheet_option(getattr(args, "sheet", None)))
    _say(
        "intake_summary",
        lang,
        n_read=result.n_read,
        n_accepted=len(result.accepted),
        n_quarantine=len(result.quarantine),
    )
    return result


def _write_quarantine(intake: Any, path: Path | None, lang: str) -> None:
    """Write the quarantine (when asked and not empty) after every other step succeeded."""
    if path is not None and len(intake.quarantine):
        intake.write_quarantine(path)
        _say("quarantine_written", lang, path=path)


def _inputs(args: argparse.Namespace, *, register: Any = None) -> Any:
    from pilkada_risk.geo.boundaries import load_kecamatan
    from pilkada_risk.synthetic.demo import load_inputs

    _say("loading_boundaries", args.lang, kab=args.kab)
    load_kecamatan(args.kab, lang=args.lang)  # errors about the code in the user's language
    return load_inputs(
        args.kab, register=register, context=getattr(args, "context", None), seed=args.seed
    )


def _run(args: argparse.Namespace, inputs: Any) -> dict[str, Any]:
    """Intake → model on ``inputs``; returns the intermediate objects for the caller to write."""
    from pilkada_risk.scoring.model import RiskModel

    intake = _intake(inputs, args)
    model = RiskModel(getattr(args, "profile", None), seed=args.seed)
    model.fit(
        intake.accepted, inputs.areas, as_of=getattr(args, "as_of", None), context=inputs.context
    )
    return {"inputs": inputs, "intake": intake, "model": model, "scores": model.score()}


def _previous(args: argparse.Namespace, result: dict[str, Any], *, default_days: int | None) -> Any:
    """Scores at ``--compare-as-of`` (or ``default_days`` before as_of) on the same incidents.

    ``None`` when the comparison is off (``--compare-as-of none``, or no date and no default).
    The change summary line is printed here, so a bad date fails before any map is written.
    """
    import datetime

    from pilkada_risk.maps.risk_map import change_summary
    from pilkada_risk.scoring.model import RiskModel

    value = getattr(args, "compare_as_of", None)
    if value is not None and value.strip().lower() in ("none", "tidak", "-"):
        return None
    if value is None:
        if default_days is None:
            return None
        value = result["model"].as_of_ - datetime.timedelta(days=default_days)
    _say("compare_fitting", args.lang, date=getattr(value, "date", lambda: value)())
    model = RiskModel(getattr(args, "profile", None), seed=args.seed)
    inputs = result["inputs"]
    model.fit(result["intake"].accepted, inputs.areas, as_of=value, context=inputs.context)
    previous = model.score()
    print(change_summary(result["scores"], previous, lang=args.lang))
    return previous


def _print_top(scores: Any, lang: str, n: int = 5) -> None:
    _say("top_header", lang, as_of=scores.attrs.get("as_of", "?"))
    classes = scores.attrs.get("profile", {}).get("classes", {})
    names = dict(zip(classes.get("labels_id", []), classes.get(f"labels_{lang}", []), strict=False))
    for row in scores.head(n).to_dict("records"):
        row["kelas"] = names.get(row["kelas"], row["kelas"])
        print(label("cli.top_row", lang, **row))


def _cmd_demo(args: argparse.Namespace) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    _say("demo_synthetic", args.lang)
    inputs = _inputs(args)
    result = _run(args, inputs)
    _print_top(result["scores"], args.lang)
    previous = _previous(args, result, default_days=DEMO_COMPARE_DAYS)
    scores_csv = out / f"skor_{inputs.name}.csv"
    write_scores(result["scores"], scores_csv)
    _say("scores_written", args.lang, path=scores_csv)
    write_maps(result, out / f"peta_risiko_{inputs.name}.html", args=args, previous=previous)
    _write_quarantine(result["intake"], out / f"karantina_{inputs.name}.csv", args.lang)
    return 0


def _cmd_boundaries(args: argparse.Namespace) -> int:
    from pilkada_risk.geo.boundaries import LAYER_SUFFIXES, load_desa, load_kecamatan, write_layer

    if args.prepare_offline is None and args.out is None:
        raise ValueError(label("cli.galat_boundaries_tanpa_keluaran", args.lang))
    out = check_target(args.out, tuple(LAYER_SUFFIXES), "--out", args.lang) if args.out else None
    if args.prepare_offline is not None:
        from pilkada_risk.geo.offline import prepare_offline

        files = prepare_offline(args.kab, args.prepare_offline, lang=args.lang)
        _say("offline_ready", args.lang, n=len(files), kab=args.kab, path=args.prepare_offline)
    if out is None:
        return 0
    if args.layer == "kecamatan":
        layer = load_kecamatan(args.kab, lang=args.lang)
    else:
        layer = load_desa(args.kab, lang=args.lang)
    path = write_layer(layer, out)
    _say("layer_written", args.lang, layer=args.layer, kab=args.kab, n=len(layer), path=path)
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
    registers = args.register if len(args.register) > 1 else args.register[0]
    intake = _intake(_inputs(args, register=registers), args)
    print(intake.summary().to_string())
    if accepted is not None:
        intake.write_accepted(accepted)
        _say("accepted_written", lang, path=accepted)
    _write_quarantine(intake, quarantine, lang)
    return 0


def _quarantine_option(args: argparse.Namespace) -> Path | None:
    value = getattr(args, "quarantine", None)
    return check_target(value, TABLE_SUFFIXES, "--quarantine", args.lang) if value else None


def _cmd_score(args: argparse.Namespace) -> int:
    out = check_target(args.out, TABLE_SUFFIXES + GEO_SUFFIXES, "--out", args.lang)
    quarantine = _quarantine_option(args)
    check_dates(args)
    result = _run(args, _inputs(args, register=args.register))
    _print_top(result["scores"], args.lang)
    write_scores(result["scores"], out)
    _say("scores_written", args.lang, path=out)
    _write_quarantine(result["intake"], quarantine, args.lang)
    return 0


def _cmd_map(args: argparse.Namespace) -> int:
    out = check_target(args.out, MAP_SUFFIXES, "--out", args.lang)
    quarantine = _quarantine_option(args)
    check_dates(args)
    result = _run(args, _inputs(args, register=args.register))
    _print_top(result["scores"], args.lang)
    write_maps(result, out, args=args, previous=_previous(args, result, default_days=None))
    _write_quarantine(result["intake"], quarantine, args.lang)
    return 0


def _cmd_backtest(args: argparse.Namespace) -> int:
    from pilkada_risk.scoring.model import RiskModel
    from pilkada_risk.validation.backtest import backtest

    out = check_target(args.out, TABLE_SUFFIXES, "--out", args.lang)
    quarantine = _quarantine_option(args)
    check_dates(args)
    inputs = _inputs(args, register=args.register)
    intake = _intake(inputs, args)
    result = backtest(
        intake.accepted,
        inputs.areas,
        horizon=args.horizon,
        model=RiskModel(args.profile, seed=args.seed),
        context=inputs.context,
        progress=True,
        seed=args.seed,
    )
    write_table_out(result.metrics, out)
    _say("metrics_written", args.lang, path=out)
    print(result.summary().to_string())
    print(result.verdict(lang=args.lang))
    _write_quarantine(intake, quarantine, args.lang)
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    words = list(sys.argv[1:] if argv is None else argv)
    LocalisedParser.lang = "en" if "--lang=en" in words or "--lang en" in " ".join(words) else "id"
    args = _parser().parse_args(words)
    try:
        return int(args.func(args))
    except (ValueError, LookupError, OSError, RuntimeError) as exc:
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
