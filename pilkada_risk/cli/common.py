"""Shared steps of the subcommands: read the inputs, run intake and the model, print summaries."""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path
from typing import Any

from pilkada_risk.cli.output import (
    TABLE_SUFFIXES,
    check_dates,
    check_target,
    read_synonyms,
    sheet_option,
)
from pilkada_risk.config.i18n import label
from pilkada_risk.io.number_format import number


def say(key: str, lang: str, **fmt: Any) -> None:
    print(label(f"cli.{key}", lang, **fmt))


def read_register(inputs: Any, args: argparse.Namespace) -> Any:
    """Read the register(s) of ``inputs`` with the CLI's options; print the counts."""
    # lazy: start-up, --help answers without loading the stages
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
        as_of=getattr(args, "as_of", None) if args.command == "intake" else None,
        min_date=getattr(args, "min_date", None) or DEFAULT_MIN_DATE,
        lang=lang,
        for_cli=True,
        profile=getattr(args, "profile", None),
        force=bool(getattr(args, "paksa", False)),
    )
    result = intake(inputs.register, setup, sheet=sheet_option(getattr(args, "sheet", None)))
    say(
        "intake_summary",
        lang,
        n_read=result.n_read,
        n_accepted=len(result.accepted),
        n_quarantine=len(result.quarantine),
    )
    warn(result.accepted.attrs.get("intake", {}), lang)
    return result


def warn(attrs: Any, lang: str, printed: Any = None) -> None:
    """Print each data warning as ``PERINGATAN: ...`` (``WARNING:``), not those ``printed``."""
    # lazy: start-up, --help answers without loading the stages
    from pilkada_risk.scoring.sufficiency import warning_lines

    done = set(warning_lines(printed, lang)) if printed else set()
    for line in warning_lines(attrs, lang):
        if line not in done:
            print(line)


def write_quarantine(intake: Any, path: Path | None, lang: str) -> None:
    """Write the quarantine (when asked and not empty) after every other step succeeded."""
    # lazy: start-up, --help answers without loading the stages
    from pilkada_risk.io.spreadsheet import csv_style

    if path is not None and len(intake.quarantine):
        # --lang id: ";" for Excel in Indonesian settings; en: the register's own delimiter
        intake.write_quarantine(path, **(csv_style(lang) if lang == "id" else {}))
        say("quarantine_written", lang, path=path)


def load_run_inputs(args: argparse.Namespace, *, register: Any = None) -> Any:
    # lazy: start-up, --help answers without loading the stages
    from pilkada_risk.geo.boundaries import load_kecamatan
    from pilkada_risk.synthetic.demo import load_inputs

    say("loading_boundaries", args.lang, kab=args.kab)
    load_kecamatan(args.kab, lang=args.lang)  # errors about the code in the user's language
    return load_inputs(
        args.kab, register=register, context=getattr(args, "context", None), seed=args.seed
    )


def fit_and_score(
    args: argparse.Namespace, inputs: Any, *, choose_as_of: Any = None
) -> dict[str, Any]:
    """Intake → model on ``inputs``; returns the intermediate objects for the caller to write.

    ``choose_as_of``, when given, maps the accepted incidents to the forecast date (``plan``
    picks one before its stage instead of the end of the data).
    """
    # lazy: start-up, --help answers without loading the stages
    from pilkada_risk.scoring.model import RiskModel

    intake = read_register(inputs, args)
    as_of = getattr(args, "as_of", None)
    if choose_as_of is not None:
        as_of = choose_as_of(intake.accepted)
    model = RiskModel(getattr(args, "profile", None), seed=args.seed)
    model.fit(intake.accepted, inputs.areas, as_of=as_of, context=inputs.context)
    scores = model.score()
    warn(scores.attrs, args.lang, printed=intake.accepted.attrs.get("intake", {}))
    return {"inputs": inputs, "intake": intake, "model": model, "scores": scores}


def previous_scores(
    args: argparse.Namespace, result: dict[str, Any], *, default_days: int | None
) -> Any:
    """Scores at ``--compare-as-of`` (or ``default_days`` before as_of) on the same incidents.

    ``None`` when the comparison is off (``--compare-as-of none``, or no date and no default).
    The change summary line is printed here, so a bad date fails before any map is written.
    """
    # lazy: start-up, --help answers without loading the stages
    from pilkada_risk.maps.risk_map import change_summary
    from pilkada_risk.scoring.model import RiskModel

    value = getattr(args, "compare_as_of", None)
    if value is not None and value.strip().lower() in ("none", "tidak", "-"):
        return None
    if value is None:
        if default_days is None:
            return None
        value = result["model"].as_of_ - datetime.timedelta(days=default_days)
    say("compare_fitting", args.lang, date=getattr(value, "date", lambda: value)())
    model = RiskModel(getattr(args, "profile", None), seed=args.seed)
    inputs = result["inputs"]
    model.fit(result["intake"].accepted, inputs.areas, as_of=value, context=inputs.context)
    previous = model.score()
    print(change_summary(result["scores"], previous, lang=args.lang))
    return previous


def print_top(scores: Any, lang: str, n: int = 5) -> None:
    """Print the ``n`` highest kecamatan and the verdict sentence on the forecast."""
    say("top_header", lang, as_of=scores.attrs.get("as_of", "?"))
    classes = scores.attrs.get("profile", {}).get("classes", {})
    names = dict(zip(classes.get("labels_id", []), classes.get(f"labels_{lang}", []), strict=False))
    for row in scores.head(n).to_dict("records"):
        row["kelas"] = names.get(row["kelas"], row["kelas"])
        row["skor"] = number(row["risk_score"], lang, 1)  # 80,1 in Indonesian
        print(label("cli.top_row", lang, **row))
    print_verdict(scores, lang)


def print_verdict(scores: Any, lang: str) -> None:
    """The one verdict sentence (``scores.attrs["verdict_<lang>"]``), as every command shows it.

    Issue 19: ``score``, ``map``, ``demo``, ``plan`` and ``backtest`` print the same sentence.
    """
    note = scores.attrs.get(f"verdict_{lang}")
    if note:
        print(note)


def quarantine_option(args: argparse.Namespace) -> Path | None:
    value = getattr(args, "quarantine", None)
    return check_target(value, TABLE_SUFFIXES, "--quarantine", args.lang) if value else None


def check_run_options(
    args: argparse.Namespace, suffixes: tuple[str, ...]
) -> tuple[Path, Path | None]:
    """Check ``--out`` (one of ``suffixes``), ``--quarantine`` and the dates before any work.

    Returns the output and quarantine paths; a wrong option fails before boundaries are read.
    """
    out = check_target(args.out, suffixes, "--out", args.lang)
    quarantine = quarantine_option(args)
    check_dates(args)
    check_profile(args)
    return out, quarantine


def check_profile(args: argparse.Namespace) -> None:
    """Validate ``--profile`` before boundaries and register are read (its errors name the key)."""
    if getattr(args, "profile", None):
        # lazy: start-up, --help answers without loading the stages
        from pilkada_risk.config.profile import load_profile

        load_profile(args.profile)
