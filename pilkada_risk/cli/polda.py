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
    from pilkada_risk.intake.incidents import read_incidents
    from pilkada_risk.maps.export import export_html
    from pilkada_risk.maps.polda_map import polda_map
    from pilkada_risk.planning.province import plan_province
    from pilkada_risk.synthetic.province import load_province_demo

    lang = args.lang
    out = check_target(args.out, (".xlsx",), "--out", lang)
    if not args.demo:
        raise ValueError(label("polda.cli_tanpa_demo", lang))
    print(label("polda.cli_sintetis", lang))
    demo = load_province_demo(seed=args.seed)
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
        strength=demo.strength,
        pools=demo.pools,
        polres=demo.polres,
        context=demo.context,
        seed=args.seed,
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


def _print(plan: Any) -> None:
    for warning in plan.peringatan:
        print(warning)
    cols = [
        "polres",
        "personel_sendiri",
        "bko_pam_tps",
        "bko_brimob",
        "bko_samapta",
        "porsi_bko",
        "kekurangan",
    ]
    print(plan.polres[cols].to_string(index=False))
    extra = plan.ringkasan.set_index("butir")["nilai"].get("peleton_tambahan")
    if extra:
        print(extra)


def add_polda_parser(sub: Any) -> None:
    """Register ``polda`` on the subparsers ``sub``."""
    p = sub.add_parser("polda", help="rencana Polda: risiko provinsi, TPS dan BKO")
    p.add_argument("--demo", action="store_true", help="demo SINTETIS Polda Lampung")
    p.add_argument("--out", required=True, help="berkas XLSX lampiran (HTML ditulis di sebelahnya)")
    p.add_argument("--seed", type=int, default=0, help="seed generator demo")
    p.add_argument("--lang", choices=("id", "en"), default="id", help="bahasa / language")
    p.set_defaults(func=cmd_polda)
