"""``pilkada-risk plan``: scores + TPS list + strength → the security-plan annex (XLSX and HTML)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pilkada_risk.cli.common import (
    check_profile,
    fit_and_score,
    load_run_inputs,
    print_verdict,
    quarantine_option,
    write_quarantine,
)
from pilkada_risk.cli.output import check_dates, check_target
from pilkada_risk.cli.tables import people_text
from pilkada_risk.config.i18n import label
from pilkada_risk.io.spreadsheet import csv_style

__all__ = ["STAGES", "add_plan_parser", "cmd_plan"]

STAGES = ("kampanye", "tenang", "pemungutan", "rekapitulasi")


def _print_plan(plan: Any, stage: str, lang: str) -> None:
    # lazy: start-up, --help answers without loading the stages
    from pilkada_risk.planning.annex import column_header

    # lazy: start-up, --help answers without loading the stages
    from pilkada_risk.planning.as_of import stage_word

    for warning in plan.peringatan:
        print(warning)
    t = plan.total
    print(
        label(
            "plan.cli_ringkasan",
            lang,
            tahap=stage_word(stage, lang),
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
    table = plan.kecamatan.iloc[:, :9]
    print(
        people_text(table.set_axis([column_header(c, lang) for c in table.columns], axis=1), lang)
    )
    first = plan.cooling[plan.cooling["tahap"] == plan.cooling["tahap"].iloc[0]].head(5)
    print(label("plan.cli_cooling", lang, tahap=first["tahap"].iloc[0]))
    for rec in first.to_dict("records"):
        where = f"{rec['desa_nama']} ({rec['kec_nama']})"
        print(f"  {rec['peringkat']:>2}. {where}, {rec['minggu']}: {rec['alasan']}")


def _as_of(accepted: Any, args: argparse.Namespace, warnings: list[str]) -> Any:
    """The plan's forecast date (:func:`~pilkada_risk.planning.as_of.plan_as_of`), said aloud."""
    # lazy: start-up, --help answers without loading the stages
    import pandas as pd

    # lazy: start-up, --help answers without loading the stages
    from pilkada_risk.config.profile import load_profile

    # lazy: start-up, --help answers without loading the stages
    from pilkada_risk.planning.as_of import plan_as_of

    dates = pd.to_datetime(accepted["tanggal"], errors="coerce").dropna()
    horizon = int(load_profile(args.profile).section("forecast")["horizon_days"])
    chosen = plan_as_of(
        dates.max() if len(dates) else None, args.stage, as_of=args.as_of, horizon_days=horizon
    )
    if args.lang in chosen.note:
        print(chosen.note[args.lang])
    if args.lang in chosen.warning:
        warnings.append(chosen.warning[args.lang])
    return chosen.as_of


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
    plan_profile = _plan_profile(args)
    inputs = load_run_inputs(args, register=args.register)
    said: list[str] = []
    result = fit_and_score(args, inputs, choose_as_of=lambda acc: _as_of(acc, args, said))
    print_verdict(result["scores"], lang)
    tps = read_tps(
        args.tps, areas=inputs.areas, desa=inputs.desa, plan_profile=plan_profile, lang=lang
    )
    counts = None
    if args.bawaslu_jumlah:
        # lazy: start-up, --help answers without loading the stages
        from pilkada_risk.intake.bawaslu_counts import read_bawaslu_counts

        counts = read_bawaslu_counts(args.bawaslu_jumlah, areas=inputs.areas, lang=lang)
        print(counts.attrs["catatan"])
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
        plan_profile=args.plan_profile,
        bawaslu_counts=counts,
    )
    plan.peringatan[:0] = said  # the as-of warning also heads the annex
    _print_plan(plan, args.stage, lang)
    xlsx, html = plan.to_excel(out), plan.to_html(out.with_suffix(".html"))
    print(label("plan.cli_written", lang, xlsx=xlsx, html=html))
    if n_q:  # the TPS list's own ledger: every TPS row accounted for
        target = Path(out).with_name(Path(out).stem + "_karantina_tps.csv")
        path = tps.write_quarantine(target, **(csv_style(lang) if lang == "id" else {}))
        print(label("plan.cli_tps_karantina", lang, path=path))
    write_quarantine(result["intake"], quarantine, lang)
    return 0


def _plan_profile(args: argparse.Namespace) -> Any:
    """The plan profile (``--plan-profile``, else a 0.1.0 ``--profile``'s ``[tps]``, else the
    shipped one), checked before boundaries and register are read; its notes are printed."""
    # lazy: start-up, --help answers without loading the stages
    from pilkada_risk.config.plan_profile import resolve_plan_profile

    plan = resolve_plan_profile(args.profile or None, args.plan_profile)
    for note in plan.notes:
        print(note)
    return plan


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
    p.add_argument(
        "--plan-profile",
        default=None,
        help="profil rencana TOML (kelas TPS, pola, cooling; bawaan: plan.toml bawaan paket)",
    )
    p.add_argument(
        "--bawaslu-jumlah",
        default=None,
        help="jumlah TPS per indikator (rilis Bawaslu, CSV/XLSX): faktor struktural, bukan kelas",
    )
    p.add_argument("--out", required=True, help="berkas XLSX lampiran (HTML ditulis di sebelahnya)")
    p.set_defaults(func=cmd_plan)
