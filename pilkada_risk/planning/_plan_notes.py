"""What a plan says about its own settings: which plan profile, how classes were set.

Private to :mod:`pilkada_risk.planning.plan`: the plan profile chosen (an explicit one, the
``[tps]`` of a 0.1.0 risk profile, or the shipped one) and the ``ringkasan`` rows on the class
rule, the Polda's classes, the Bawaslu indicators' state and the BKO movement day.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pilkada_risk.config.elections import election_dates
from pilkada_risk.config.i18n import label
from pilkada_risk.config.plan_profile import PlanProfile, resolve_plan_profile
from pilkada_risk.config.profile import load_profile

__all__ = ["class_rows", "plan_settings"]


def plan_settings(
    scores: pd.DataFrame, profile: Any, plan_profile: Any, model: Any = None
) -> tuple[str, PlanProfile]:
    """The risk profile's hash and the plan profile to use (see
    :func:`pilkada_risk.config.plan_profile.resolve_plan_profile`). Without ``profile``, a
    fitted ``model``'s own profile counts: a 0.1.0 profile it was fitted with still brings its
    ``[tps]`` (with a note) instead of being dropped silently."""
    if profile is None and getattr(model, "profile_", None) is not None:
        profile = model.profile_
    if profile is None:
        own = scores.attrs.get("profile_hash") or load_profile(scores.attrs.get("profile")).hash
        return str(own), resolve_plan_profile(None, plan_profile)
    return load_profile(profile).hash, resolve_plan_profile(profile, plan_profile)


def class_rows(
    table: pd.DataFrame,
    classified: pd.DataFrame,
    sec: dict[str, Any],
    tps: pd.DataFrame,
    calendar: tuple[str | None, pd.DataFrame | None],
    lang: str,
) -> pd.DataFrame:
    """How the classes were set (rule, Polda vs suggestion), the indicators' state, BKO day."""

    if sec.get("aturan_kelas", "poin") == "target":
        rule = "; ".join(classified.attrs.get("catatan_kelas", [])) or "target"
    else:
        low, high = (float(c) for c in sec["cutoffs"])
        rule = label("plan.aturan_poin", lang, rendah=low, tinggi=high)
    polda = int(classified["kelas_sumber"].eq("polda").sum())
    beda = int(
        (
            classified["kelas_sumber"].eq("polda")
            & classified["kelas_kunci"].ne(classified["kelas_saran_kunci"])
        ).sum()
    )
    rows: list[tuple[str, Any]] = [("aturan_kelas", rule)]
    if polda:
        sumber = label(
            "plan.ringkas_sumber_kelas", lang, polda=polda, saran=len(classified) - polda, beda=beda
        )
        rows.append(("sumber_kelas", sumber))
    election, counts = calendar
    dates = election_dates(election)
    found = tps.attrs.get("indikator", {}).get("found")
    total = len(sec["indikator"])
    if found is not None and not found:
        rilis = dates["rilis_bawaslu"].strftime("%Y-%m-%d")
        rows.append(
            (
                "indikator_bawaslu",
                label("plan.indikator_belum", lang, rilis=rilis, h=dates["h_bawaslu"]),
            )
        )
    elif found is not None:
        rows.append(
            ("indikator_bawaslu", label("plan.indikator_ada", lang, n=len(found), total=total))
        )
    if counts is not None:
        rows.append(("indikator_bawaslu_jumlah", str(counts.attrs.get("catatan", ""))))
    bko = dates["bko"].strftime("%Y-%m-%d")
    rows.append(("gerakan_bko", label("plan.bko_hari", lang, tanggal=bko, h=dates["h_bko"])))
    extra = pd.DataFrame(rows, columns=["butir", "nilai"]).astype({"nilai": object})
    return pd.concat([table, extra], ignore_index=True)
