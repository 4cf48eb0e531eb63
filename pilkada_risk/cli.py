"""The ``pilkada-risk`` command line: the edge where files are read and written.

Subcommands: ``demo``, ``boundaries``, ``intake``, ``score``, ``map``, ``backtest``. Messages are
in Bahasa Indonesia; ``--lang en`` switches them (and the map) to English.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pilkada_risk._version import __version__
from pilkada_risk.config.i18n import label

__all__ = ["main"]

DEMO_KAB = "18.13"
#: The demo map shows what changed since the assessment this many days before its as_of.
DEMO_COMPARE_DAYS = 90


def _say(key: str, lang: str, **fmt: Any) -> None:
    print(label(f"cli.{key}", lang, **fmt))


def _intake(inputs: Any, *, lang: str, quarantine_out: Path | None) -> Any:
    from pilkada_risk.intake.incidents import read_incidents

    intake = read_incidents(inputs.register, areas=inputs.areas, desa=inputs.desa, lang=lang)
    _say(
        "intake_summary",
        lang,
        n_read=intake.n_read,
        n_accepted=len(intake.accepted),
        n_quarantine=len(intake.quarantine),
    )
    if quarantine_out is not None and len(intake.quarantine):
        intake.to_csv(quarantine_out)
        _say("quarantine_written", lang, path=quarantine_out)
    return intake


def _inputs(args: argparse.Namespace, *, register: Any = None) -> Any:
    from pilkada_risk.synthetic.demo import load_inputs

    _say("loading_boundaries", args.lang, kab=args.kab)
    return load_inputs(
        args.kab, register=register, context=getattr(args, "context", None), seed=args.seed
    )


def _run(args: argparse.Namespace, inputs: Any, *, quarantine_out: Path | None) -> dict[str, Any]:
    """Intake → model on ``inputs``; returns the intermediate objects for the caller to write."""
    from pilkada_risk.scoring.model import RiskModel

    intake = _intake(inputs, lang=args.lang, quarantine_out=quarantine_out)
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


def _write_maps(
    result: dict[str, Any], out_html: Path, *, args: argparse.Namespace, previous: Any = None
) -> None:
    from pilkada_risk.maps.export import export_html, export_png
    from pilkada_risk.maps.risk_map import risk_map

    lang = args.lang
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
    _say("map_written", lang, path=path)
    png = export_png(
        result["scores"],
        out_html.with_suffix(".png"),
        previous=previous,
        lang=lang,
        classification=args.classification,
    )
    _say("png_written", lang, path=png)


def _write_scores(scores: Any, path: Path) -> None:
    from pilkada_risk.config.paths import atomic_path

    with atomic_path(path) as tmp:
        scores.drop(columns="geometry").to_csv(tmp, index=False)


def _cmd_demo(args: argparse.Namespace) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    _say("demo_synthetic", args.lang)
    inputs = _inputs(args)
    result = _run(args, inputs, quarantine_out=out / f"karantina_{inputs.name}.csv")
    scores_csv = out / f"skor_{inputs.name}.csv"
    _write_scores(result["scores"], scores_csv)
    _say("scores_written", args.lang, path=scores_csv)
    _print_top(result["scores"], args.lang)
    previous = _previous(args, result, default_days=DEMO_COMPARE_DAYS)
    _write_maps(result, out / f"peta_risiko_{inputs.name}.html", args=args, previous=previous)
    return 0


def _cmd_boundaries(args: argparse.Namespace) -> int:
    from pilkada_risk.geo.boundaries import load_desa, load_kecamatan, write_layer

    if args.layer == "kecamatan":
        layer = load_kecamatan(args.kab, lang=args.lang)
    else:
        layer = load_desa(args.kab, lang=args.lang)
    path = write_layer(layer, args.out)
    _say("layer_written", args.lang, layer=args.layer, kab=args.kab, n=len(layer), path=path)
    return 0


def _quarantine_next_to(out: Path) -> Path:
    return out.with_name(out.stem + "_karantina.csv")


def _cmd_intake(args: argparse.Namespace) -> int:
    out = Path(args.quarantine) if args.quarantine else None
    intake = _intake(_inputs(args, register=args.register), lang=args.lang, quarantine_out=out)
    print(intake.summary().to_string())
    return 0


def _cmd_score(args: argparse.Namespace) -> int:
    out = Path(args.out)
    result = _run(
        args, _inputs(args, register=args.register), quarantine_out=_quarantine_next_to(out)
    )
    _write_scores(result["scores"], out)
    _say("scores_written", args.lang, path=out)
    _print_top(result["scores"], args.lang)
    # The register's own skill against counting (issue 10): one plain-words line.
    print(result["scores"].attrs.get(f"skill_note_{args.lang}", ""))
    return 0


def _cmd_map(args: argparse.Namespace) -> int:
    out = Path(args.out)
    result = _run(
        args, _inputs(args, register=args.register), quarantine_out=_quarantine_next_to(out)
    )
    _print_top(result["scores"], args.lang)
    _write_maps(result, out, args=args, previous=_previous(args, result, default_days=None))
    return 0


def _cmd_backtest(args: argparse.Namespace) -> int:
    from pilkada_risk.config.paths import atomic_path
    from pilkada_risk.scoring.model import RiskModel
    from pilkada_risk.validation.backtest import backtest

    out = Path(args.out)
    inputs = _inputs(args, register=args.register)
    intake = _intake(inputs, lang=args.lang, quarantine_out=_quarantine_next_to(out))
    result = backtest(
        intake.accepted,
        inputs.areas,
        horizon=args.horizon,
        model=RiskModel(args.profile, seed=args.seed),
        context=inputs.context,
        progress=True,
        seed=args.seed,
    )
    with atomic_path(out) as tmp:
        result.metrics.to_csv(tmp, index=False)
    _say("metrics_written", args.lang, path=out)
    print(result.summary().to_string())
    print(result.verdict(lang=args.lang))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pilkada-risk", description=label("cli.prog_description", "id")
    )
    parser.add_argument("--version", action="version", version=f"pilkada-risk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--lang", choices=("id", "en"), default="id", help="bahasa / language")
        p.add_argument(
            "--seed", type=int, default=0, help="benih acak (bootstrap, permutasi, demo)"
        )

    def modelling(p: argparse.ArgumentParser) -> None:
        p.add_argument("register", help="register kejadian (CSV/XLSX/GeoJSON/GeoParquet/ACLED)")
        p.add_argument("--kab", required=True, help="kode kabupaten/kota Kemendagri, mis. 18.13")
        p.add_argument("--profile", help="profil risiko TOML (default: profil bawaan)")
        p.add_argument("--as-of", dest="as_of", help="tanggal prakiraan YYYY-MM-DD")
        p.add_argument("--context", help="tabel faktor struktural per kecamatan (CSV)")
        common(p)

    def mapping(p: argparse.ArgumentParser, compare_help: str) -> None:
        p.add_argument("--compare-as-of", dest="compare_as_of", metavar="DATE", help=compare_help)
        p.add_argument("--online-basemap", action="store_true", help="pakai peta dasar daring")
        p.add_argument("--classification", default="TERBATAS", help="label klasifikasi dokumen")
        p.add_argument(
            "--include-incident-details",
            action="store_true",
            help="sertakan titik dan uraian kejadian (SENSITIF; bawaan: hanya agregat)",
        )

    p = sub.add_parser("demo", help="jalankan demo sintetis Pesisir Barat dan tulis peta HTML")
    p.add_argument("--out", default="output/demo", help="folder keluaran (default output/demo)")
    p.add_argument("--kab", default=DEMO_KAB, help="kabupaten demo (default 18.13 Pesisir Barat)")
    common(p)
    mapping(
        p, "bandingkan dengan penilaian per tanggal ini (bawaan: 90 hari sebelum as_of; none: mati)"
    )
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("boundaries", help="tulis batas kecamatan/desa satu kabupaten")
    p.add_argument("--kab", required=True, help="kode kabupaten/kota, mis. 18.13")
    p.add_argument("--layer", choices=("kecamatan", "desa"), default="kecamatan")
    p.add_argument("--out", required=True, help="berkas keluaran .gpkg, .geojson atau .parquet")
    common(p)
    p.set_defaults(func=_cmd_boundaries)

    p = sub.add_parser("intake", help="periksa register: diterima, dikarantina, diperbaiki")
    p.add_argument("register", help="register kejadian (CSV/XLSX/GeoJSON/GeoParquet/ACLED)")
    p.add_argument("--kab", required=True, help="kode kabupaten/kota Kemendagri, mis. 18.13")
    p.add_argument("--quarantine", help="tulis baris karantina ke CSV ini")
    common(p)
    p.set_defaults(func=_cmd_intake)

    p = sub.add_parser("score", help="hitung skor risiko per kecamatan ke CSV")
    modelling(p)
    p.add_argument("--out", required=True, help="berkas CSV skor")
    p.set_defaults(func=_cmd_score)

    p = sub.add_parser("map", help="tulis peta pimpinan HTML offline")
    modelling(p)
    mapping(p, "tunjukkan perubahan sejak penilaian per tanggal ini YYYY-MM-DD (bawaan: tidak)")
    p.add_argument("--out", required=True, help="berkas HTML keluaran")
    p.set_defaults(func=_cmd_map)

    p = sub.add_parser("backtest", help="uji-balik prakiraan terhadap baseline")
    modelling(p)
    p.add_argument("--horizon", default="90D", help="cakrawala prakiraan, mis. 90D")
    p.add_argument("--out", required=True, help="berkas CSV metrik")
    p.set_defaults(func=_cmd_backtest)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    args = _parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (ValueError, LookupError, OSError, RuntimeError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        print(label("cli.error", args.lang, message=message), file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
