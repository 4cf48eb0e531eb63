"""``pilkada-risk plan``: scores + TPS list + strength → the security-plan annex (XLSX and HTML)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pilkada_risk.cli.common import (
    check_profile,
    fit_and_score,
    load_run_inputs,
    quarantine_option,
    write_quarantine,
)
from pilkada_risk.cli.output import check_dates, check_target
from pilkada_risk.config.i18n import label

__all__ = ["STAGES", "add_plan_parser", "cmd_plan"]

STAGES = ("kampanye", "tenang", "pemungutan", "rekapitulasi")


def _print_plan(plan: Any, stage: str, lang: str) -> None:
    for warning in plan.peringatan:
        print(warning)
    t = plan.total
    print(
        label(
            "plan.cli_ringkasan",
            lang,
            tahap=stage,
            kr=t("tps_kurang_rawan"),
            r=t("tps_rawan"),
            sr=t("tps_sangat_rawan"),
            k=t("tps_khusus"),
            perlu=t("personel_kebutuhan"),
            ada=t("personel_tersedia"),
            alokasi=t("personel_dialokasikan"),
            kurang=t("kekurangan"),
            linmas=t("linmas"),
        )
    )
    print(plan.kecamatan.iloc[:, :9].to_string(index=False))
    first = plan.cooling[plan.cooling["tahap"] == plan.cooling["tahap"].iloc[0]].head(5)
    print(label("plan.cli_cooling", lang, tahap=first["tahap"].iloc[0]))
    for rec in first.to_dict("records"):
        where = f"{rec['desa_nama']} ({rec['kec_nama']})"
        print(f"  {rec['peringkat']:>2}. {where}, {rec['minggu']}: {rec['alasan']}")


def cmd_plan(args: argparse.Namespace) -> int:
    """Run the plan subcommand; files are written only after every step succeeded."""
    # lazy: start-up, --help answers without loading the stages
    from pilkada_risk.intake.tps import read_tps
    from pilkada_risk.planning import plan_security

    lang = args.lang
    out = check_target(args.out, (".xlsx",), "--out", lang)
    quarantine = quarantine_option(args)
    if args.personel < 0:  # fail before the model is fitted
        raise ValueError(label("plan.galat_personel", lang, nilai=args.personel))
    check_dates(args)
    check_profile(args)
    inputs = load_run_inputs(args, register=args.register)
    result = fit_and_score(args, inputs)
    tps = read_tps(args.tps, areas=inputs.areas, desa=inputs.desa, profile=args.profile, lang=lang)
    n_q = len(tps.quarantine)
    print(
        label(
            "plan.cli_tps", lang, n_read=tps.n_read, n_accepted=len(tps.accepted), n_quarantine=n_q
        )
    )
    plan = plan_security(
        result["model"],
        tps.accepted,
        personnel=args.personel,
        incidents=result["intake"].accepted,
        profile=args.profile,
        stage=args.stage,
        lang=lang,
    )
    _print_plan(plan, args.stage, lang)
    xlsx, html = plan.to_excel(out), plan.to_html(out.with_suffix(".html"))
    print(label("plan.cli_written", lang, xlsx=xlsx, html=html))
    if n_q:  # the TPS list's own ledger: every TPS row accounted for
        path = tps.write_quarantine(Path(out).with_name(Path(out).stem + "_karantina_tps.csv"))
        print(label("plan.cli_tps_karantina", lang, path=path))
    write_quarantine(result["intake"], quarantine, lang)
    return 0


def add_plan_parser(sub: Any, modelling: Any) -> None:
    """Register ``plan`` on the subparsers ``sub`` (``modelling`` adds the shared options)."""
    p = sub.add_parser("plan", help="rencana pengamanan: kelas TPS, personel, cooling system")
    modelling(p)
    p.add_argument("--tps", required=True, help="daftar TPS KPU/Bawaslu (CSV/XLSX)")
    p.add_argument("--personel", type=int, required=True, help="jumlah personel Polri tersedia")
    p.add_argument(
        "--stage",
        choices=STAGES,
        default="pemungutan",
        help="tahap yang direncanakan (bawaan: pemungutan)",
    )
    p.add_argument("--out", required=True, help="berkas XLSX lampiran (HTML ditulis di sebelahnya)")
    p.set_defaults(func=cmd_plan)
