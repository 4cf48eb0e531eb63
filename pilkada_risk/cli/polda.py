"""``pilkada-risk polda``: a province's risk, TPS plan and BKO reinforcements in one run.

``--demo`` runs the SYNTHETIC Polda Lampung demo (15 kab/kota, 13,282 TPS, pools 364/466/350,
reserve 200). ``--out DIR/polda.xlsx`` writes the annex and, beside it, the printable HTML.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pilkada_risk.cli.output import check_target
from pilkada_risk.config.i18n import label

__all__ = ["add_polda_parser", "cmd_polda"]


def cmd_polda(args: argparse.Namespace) -> int:
    """Run the Polda demo plan; files are written only after every step succeeded."""
    # lazy: start-up, --help answers without loading the stages
    from pilkada_risk.geo.polres import load_polres

    # lazy: start-up, --help answers without loading the stages
    from pilkada_risk.intake.incidents import read_incidents

    # lazy: start-up, --help answers without loading the stages
    from pilkada_risk.maps.export import export_html

    # lazy: start-up, --help answers without loading the stages
    from pilkada_risk.maps.polda_map import polda_map

    # lazy: start-up, --help answers without loading the stages
    from pilkada_risk.planning._province_inputs import check_pools, check_strength

    # lazy: start-up, --help answers without loading the stages
    from pilkada_risk.planning.province import plan_province

    # lazy: start-up, --help answers without loading the stages
    from pilkada_risk.synthetic.province import LAMPUNG_POOLS, load_province_demo

    lang = args.lang
    out = check_target(args.out, (".xlsx",), "--out", lang)
    if not args.demo:
        raise ValueError(label("polda.cli_tanpa_demo", lang))
    pools = {**LAMPUNG_POOLS, **_pools(args.pool, lang)}
    strength = _strength(args.kekuatan, lang)
    check_pools(pools, lang)  # before the demo is built and the model fitted
    if strength is not None:
        check_strength(strength, load_polres(province="18", lang=lang), lang)
    print(label("polda.cli_sintetis", lang))
    demo = load_province_demo(seed=args.seed)
    strength = strength if strength is not None else demo.strength
    intake = read_incidents(demo.registers, areas=demo.areas, desa=demo.desa, lang=lang)
    incidents = intake.accepted
    incidents.attrs["synthetic"] = True
    print(
        label(
            "polda.cli_register",
            lang,
            n=len(demo.registers),
            diterima=len(incidents),
            karantina=len(intake.quarantine),
        )
    )
    plan = plan_province(
        incidents,
        demo.areas,
        demo.tps,
        strength=strength,
        pools=pools,
        polres=demo.polres,
        context=demo.context,
        seed=args.seed,
        n_jobs=args.jobs,
        lang=lang,
    )
    _print(plan)
    xlsx = plan.to_excel(out)
    page = plan.to_html(out.with_name(out.stem + "_lampiran.html"))
    peta = export_html(polda_map(plan, lang=lang), out.with_name(out.stem + "_peta.html"))
    print(label("polda.cli_ditulis", lang, xlsx=xlsx, html=f"{page}, {peta}"))
    if len(intake.quarantine):
        q = Path(out).with_name(out.stem + "_karantina.csv")
        intake.quarantine.to_csv(q, index=False)
        print(label("polda.cli_karantina", lang, path=q))
    return 0


def _pools(items: list[str] | None, lang: str) -> dict[str, int]:
    """``--pool bko_brimob=300`` options as a dict (checked again by plan_province)."""
    out: dict[str, int] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        try:
            out[key.strip()] = int(value)
        except ValueError:
            raise ValueError(label("polda.galat_cli_pool", lang, nilai=item)) from None
        if not sep:
            raise ValueError(label("polda.galat_cli_pool", lang, nilai=item))
    return out


def _strength(path: str | None, lang: str) -> Any:
    """``--kekuatan FILE.csv`` (columns ``polres``, ``personel``) or None for the demo's."""
    if path is None:
        return None
    # lazy: start-up, --help answers without loading the stages
    import pandas as pd

    try:
        frame = pd.read_csv(path, dtype={"polres": str})
    except (OSError, ValueError) as exc:
        raise ValueError(label("polda.galat_cli_kekuatan", lang, path=path, err=exc)) from None
    frame["personel"] = pd.to_numeric(frame.get("personel"), errors="coerce")
    return frame


def _print(plan: Any) -> None:
    for warning in plan.peringatan:
        print(warning)
    # lazy: start-up, --help answers without loading the stages
    from pilkada_risk.cli.tables import people_text

    # lazy: start-up, --help answers without loading the stages
    from pilkada_risk.planning.province_annex import HEADERS, POLRES_COLUMNS

    cols = [c for c in POLRES_COLUMNS if not c.startswith("tps_") and c != "status"]
    table = plan.polres[cols]
    print(people_text(table.set_axis([HEADERS.get(c, c) for c in cols], axis=1), plan.lang))
    extra = plan.ringkasan.set_index("butir")["nilai"].get("peleton_tambahan")
    if extra:
        print(extra)


def add_polda_parser(sub: Any) -> None:
    """Register ``polda`` on the subparsers ``sub``."""
    p = sub.add_parser("polda", help="rencana Polda: risiko provinsi, TPS dan BKO")
    p.add_argument("--demo", action="store_true", help="demo SINTETIS Polda Lampung")
    p.add_argument("--out", required=True, help="berkas XLSX lampiran (HTML ditulis di sebelahnya)")
    p.add_argument("--seed", type=int, default=0, help="seed generator demo")
    p.add_argument(
        "--pool",
        action="append",
        metavar="NAMA=JUMLAH",
        help="ganti pool demo, mis. --pool bko_brimob=300 (bko_pam_tps, bko_brimob, bko_samapta, "
        "cadangan)",
    )
    p.add_argument("--jobs", type=int, default=2, help="proses untuk rencana Polres (bawaan 2)")
    p.add_argument("--kekuatan", help="CSV kekuatan sendiri per Polres (kolom polres, personel)")
    p.add_argument("--lang", choices=("id", "en"), default="id", help="bahasa / language")
    p.set_defaults(func=cmd_polda)
