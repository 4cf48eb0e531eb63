"""The ``pilkada-risk`` command line: the edge where files are read and written.

Subcommands: ``demo``, ``boundaries``, ``score``, ``map``, ``backtest``. Messages are in Bahasa
Indonesia; ``--lang en`` switches them (and the map) to English.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pilkada_risk import __version__
from pilkada_risk.i18n import label

__all__ = ["main"]

DEMO_KAB = "18.13"
DEMO_REGISTER = "kejadian_sintetis_pesisir_barat.csv"
DEMO_CONTEXT = "konteks_sintetis_pesisir_barat.csv"


def _say(key: str, lang: str, **fmt: Any) -> None:
    print(label(f"cli.{key}", lang, **fmt))


def _demo_dir() -> Path:
    """``data/demo`` of a source checkout (the package regenerates it when absent)."""
    return Path(__file__).resolve().parents[1] / "data" / "demo"


def _read_context(path: str | None) -> Any:
    if path is None:
        return None
    import pandas as pd

    return pd.read_csv(path, dtype={"kode": "string"})


def _pipeline(
    register: Any,
    *,
    kab: str,
    lang: str,
    profile: str | None = None,
    as_of: str | None = None,
    context: Any = None,
    quarantine_out: Path | None = None,
) -> dict[str, Any]:
    """Boundaries → intake → model; returns the intermediate objects for the caller to write."""
    from pilkada_risk.boundaries import load_desa, load_kecamatan
    from pilkada_risk.intake import read_incidents
    from pilkada_risk.model import RiskModel

    _say("loading_boundaries", lang, kab=kab)
    areas = load_kecamatan(kab)
    desa = load_desa(kab)
    intake = read_incidents(register, areas=areas, desa=desa, lang=lang)
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
    model = RiskModel(profile).fit(intake.accepted, areas, as_of=as_of, context=context)
    scores = model.score()
    return {"areas": areas, "desa": desa, "intake": intake, "model": model, "scores": scores}


def _print_top(scores: Any, lang: str, n: int = 5) -> None:
    _say("top_header", lang, as_of=scores.attrs.get("as_of", "?"))
    for row in scores.head(n).to_dict("records"):
        print(label("cli.top_row", lang, **row))


def _write_maps(result: dict[str, Any], out_html: Path, *, lang: str, args: Any) -> None:
    from pilkada_risk.export import export_html, export_png
    from pilkada_risk.mapping import risk_map

    m = risk_map(
        result["scores"],
        incidents=result["intake"].accepted,
        desa=result["desa"],
        lang=lang,
        online_basemap=getattr(args, "online_basemap", False),
    )
    path = export_html(m, out_html, classification=args.classification)
    _say("map_written", lang, path=path)
    png = export_png(result["scores"], out_html.with_suffix(".png"), lang=lang)
    _say("png_written", lang, path=png)


def _cmd_demo(args: argparse.Namespace) -> int:
    lang = args.lang
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    _say("demo_synthetic", lang)
    demo = _demo_dir()
    register: Any = demo / DEMO_REGISTER
    context: Any = (
        _read_context(str(demo / DEMO_CONTEXT)) if (demo / DEMO_CONTEXT).exists() else None
    )
    if not Path(register).exists():
        # An installed wheel has no data/demo: regenerate it (the generator is bit-for-bit stable).
        from pilkada_risk.boundaries import load_desa, load_kecamatan
        from pilkada_risk.simulate import simulate_incidents

        sim = simulate_incidents(load_kecamatan(DEMO_KAB), desa=load_desa(DEMO_KAB), messy=True)
        register, context = sim.incidents, sim.context
    result = _pipeline(
        register,
        kab=DEMO_KAB,
        lang=lang,
        context=context,
        quarantine_out=out / "karantina_sintetis_pesisir_barat.csv",
    )
    scores = result["scores"]
    scores_csv = out / "skor_sintetis_pesisir_barat.csv"
    _write_scores(scores, scores_csv)
    _say("scores_written", lang, path=scores_csv)
    _print_top(scores, lang)
    _write_maps(result, out / "peta_risiko_sintetis_pesisir_barat.html", lang=lang, args=args)
    return 0


def _write_scores(scores: Any, path: Path) -> None:
    from pilkada_risk._paths import atomic_path

    table = scores.drop(columns="geometry")
    with atomic_path(path) as tmp:
        table.to_csv(tmp, index=False)


def _cmd_boundaries(args: argparse.Namespace) -> int:
    from pilkada_risk.boundaries import load_desa, load_kecamatan, write_layer

    layer = load_kecamatan(args.kab) if args.layer == "kecamatan" else load_desa(args.kab)
    path = write_layer(layer, args.out)
    _say("layer_written", args.lang, layer=args.layer, kab=args.kab, n=len(layer), path=path)
    return 0


def _cmd_score(args: argparse.Namespace) -> int:
    out = Path(args.out)
    result = _pipeline(
        args.register,
        kab=args.kab,
        lang=args.lang,
        profile=args.profile,
        as_of=args.as_of,
        context=_read_context(args.context),
        quarantine_out=out.with_name(out.stem + "_karantina.csv"),
    )
    _write_scores(result["scores"], out)
    _say("scores_written", args.lang, path=out)
    _print_top(result["scores"], args.lang)
    return 0


def _cmd_map(args: argparse.Namespace) -> int:
    out = Path(args.out)
    result = _pipeline(
        args.register,
        kab=args.kab,
        lang=args.lang,
        profile=args.profile,
        as_of=args.as_of,
        context=_read_context(args.context),
        quarantine_out=out.with_name(out.stem + "_karantina.csv"),
    )
    _print_top(result["scores"], args.lang)
    _write_maps(result, out, lang=args.lang, args=args)
    return 0


def _cmd_backtest(args: argparse.Namespace) -> int:
    from pilkada_risk.backtest import backtest
    from pilkada_risk.boundaries import load_desa, load_kecamatan
    from pilkada_risk.intake import read_incidents
    from pilkada_risk.model import RiskModel

    lang = args.lang
    _say("loading_boundaries", lang, kab=args.kab)
    areas = load_kecamatan(args.kab)
    intake = read_incidents(args.register, areas=areas, desa=load_desa(args.kab), lang=lang)
    _say(
        "intake_summary",
        lang,
        n_read=intake.n_read,
        n_accepted=len(intake.accepted),
        n_quarantine=len(intake.quarantine),
    )
    result = backtest(
        intake.accepted,
        areas,
        horizon=args.horizon,
        model=RiskModel(args.profile),
        context=_read_context(args.context),
        progress=True,
    )
    out = Path(args.out)
    from pilkada_risk._paths import atomic_path

    with atomic_path(out) as tmp:
        result.metrics.to_csv(tmp, index=False)
    _say("metrics_written", lang, path=out)
    print(result.summary().to_string())
    print(result.verdict(lang=lang))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pilkada-risk", description=label("cli.prog_description", "id")
    )
    parser.add_argument("--version", action="version", version=f"pilkada-risk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--lang", choices=("id", "en"), default="id", help="bahasa keluaran / language"
        )

    def modelling(p: argparse.ArgumentParser) -> None:
        p.add_argument("register", help="register kejadian (CSV/XLSX/GeoJSON/GeoParquet/ACLED)")
        p.add_argument("--kab", required=True, help="kode kabupaten/kota Kemendagri, mis. 18.13")
        p.add_argument("--profile", help="profil risiko TOML (default: profil bawaan)")
        p.add_argument("--as-of", dest="as_of", help="tanggal prakiraan YYYY-MM-DD")
        p.add_argument("--context", help="tabel faktor struktural per kecamatan (CSV)")
        common(p)

    def mapping(p: argparse.ArgumentParser) -> None:
        p.add_argument("--online-basemap", action="store_true", help="pakai peta dasar daring")
        p.add_argument("--classification", default="TERBATAS", help="label klasifikasi dokumen")

    p = sub.add_parser("demo", help="jalankan demo sintetis Pesisir Barat dan tulis peta HTML")
    p.add_argument("--out", default="output/demo", help="folder keluaran (default output/demo)")
    common(p)
    mapping(p)
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("boundaries", help="tulis batas kecamatan/desa satu kabupaten")
    p.add_argument("--kab", required=True, help="kode kabupaten/kota, mis. 18.13")
    p.add_argument("--layer", choices=("kecamatan", "desa"), default="kecamatan")
    p.add_argument("--out", required=True, help="berkas keluaran .gpkg, .geojson atau .parquet")
    common(p)
    p.set_defaults(func=_cmd_boundaries)

    p = sub.add_parser("score", help="hitung skor risiko per kecamatan ke CSV")
    modelling(p)
    p.add_argument("--out", required=True, help="berkas CSV skor")
    p.set_defaults(func=_cmd_score)

    p = sub.add_parser("map", help="tulis peta pimpinan HTML offline")
    modelling(p)
    mapping(p)
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
    except (ValueError, KeyError, FileNotFoundError, LookupError, OSError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        print(label("cli.error", args.lang, message=message), file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
