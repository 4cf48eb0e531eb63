"""Private: the kecamatan popup and tooltip of the risk map (escaped HTML, numbers in the
format of the map's language)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from pilkada_risk.config.i18n import label
from pilkada_risk.config.profile import COMPONENTS
from pilkada_risk.io.number_format import number
from pilkada_risk.maps.classes import ClassScale, default_scale, scores_profile
from pilkada_risk.maps.layers import category_label, esc

__all__ = ["component_caps", "popup_html", "tooltip_html", "top_categories"]


def component_caps(scores: pd.DataFrame) -> dict[str, float]:
    """Largest possible points of each component: 100 x its weight (as used, else the profile's)."""
    weights = scores.attrs.get("weights_used")
    if not isinstance(weights, Mapping) or not weights:
        weights = scores_profile(scores).component_weights
    return {c: 100.0 * float(weights.get(c, 0.0)) for c in COMPONENTS}


def top_categories(incidents: pd.DataFrame | None, lang: str, n: int = 3) -> dict[str, str]:
    """Per kecamatan code: its ``n`` most frequent incident categories with counts (escaped)."""
    if incidents is None or not len(incidents) or "kategori" not in incidents:
        return {}
    counts = incidents.groupby(
        [incidents["kec_kode"].astype(str), incidents["kategori"].astype(str)]
    ).size()
    out = {}
    for kode, group in counts.groupby(level=0, sort=False):
        top = group.droplevel(0).sort_values(ascending=False, kind="stable").head(n)
        out[str(kode)] = ", ".join(
            f"{esc(category_label(c, lang))} ({int(k)})" for c, k in top.items()
        )
    return out


def _components(row: Mapping[str, Any], caps: Mapping[str, float], lang: str) -> str:
    """One bar per source: expected incidents out of the kecamatan's total when the scores
    carry ``harapan`` (forecast-first model), else points out of the component's maximum."""
    total, score = float(row.get("harapan", float("nan"))), float(row["risk_score"])
    expected = total == total and total >= 0  # not NaN
    out = []
    for c in COMPONENTS:
        points = max(float(row[f"komponen_{c}"]), 0.0)
        if expected:
            value, cap = (points / score * total if score > 0 else 0.0), total
            key, fmt = "map.expected_of", {"total": number(total, lang, 1)}
            if value < 0.05:
                continue  # a source that adds nothing worth reading
        else:
            value, cap = points, caps.get(c, 0.0)
            key, fmt = "map.component_of", {"max": number(cap, lang, 0)}
            if cap <= 0 and value <= 0:
                continue  # a component without weight (e.g. structural without context)
        width = min(value / cap * 100, 100) if cap > 0 else 0
        text = label(key, lang, value=number(value, lang, 1), **fmt)
        out.append(
            f'<tr><td>{esc(label("map.komponen_" + c, lang))}</td><td class="pr-bar"><span '
            f'style="width:{width:.0f}%"></span></td><td>{esc(text)}</td></tr>'
        )
    return "".join(out)


def popup_html(
    row: Mapping[str, Any],
    n_areas: int,
    lang: str,
    change: str = "",
    scale: ClassScale | None = None,
    *,
    caps: Mapping[str, float] | None = None,
    categories: str = "",
) -> str:
    """Escaped popup of one kecamatan, its name the most prominent line.

    Class (coloured and named in ``lang`` by ``scale``), rank and score always (so rank 3 and
    rank 10 of one class differ), then why: the most frequent incident categories
    (``categories``, trusted HTML from :func:`top_categories`), the trend and the change
    (``change``), the expected incidents by source ("2,1 dari 4,2 kejadian"; without ``harapan``:
    points out of each maximum ``caps``), the score range
    and the narrative. Numbers in the format of ``lang``.
    """
    scale = scale or default_scale()
    caps = caps if caps is not None else {c: 100.0 for c in COMPONENTS}
    kelas = str(row["kelas"])
    stable = label(
        "map.stable" if bool(row.get("peringkat_stabil", True)) else "map.unstable", lang
    )
    tren = str(row["tren"])
    try:
        tren_text = label(f"map.tren_{tren}", lang)
    except KeyError:
        tren_text = tren
    narasi = row["narasi_en" if lang == "en" else "narasi"]
    rank = label("map.rank_of", lang, rank=int(row["peringkat"]), n=n_areas)
    why = f"<b>{esc(label('map.top_categories', lang))}:</b> {categories} · " if categories else ""
    return (
        f'<div class="pr-popup" data-kode="{esc(row["kode"])}"><h4>{esc(row["nama"])}</h4>'
        f'<p class="pr-rank"><span class="pr-swatch" style="background:{scale.colour(kelas)}">'
        f"</span><b>{esc(scale.name(kelas, lang))}</b> · {esc(label('map.rank', lang))} "
        f"<b>{esc(rank)}</b> ({esc(stable)}) · {esc(label('map.score', lang))} "
        f"<b>{number(row['risk_score'], lang, 1)}</b></p>{change}"
        f"<p><b>{esc(label('map.why', lang))}:</b> {why}"
        f"<b>{esc(label('map.trend', lang))}:</b> {esc(tren_text)} · "
        f"<b>{esc(label('map.incidents', lang))}:</b> {number(row['n_kejadian'], lang, 0)}</p>"
        f'<table class="pr-comp">{_components(row, caps, lang)}</table>'
        f"<p><b>{esc(label('map.interval', lang))}:</b> {number(row['score_lower'], lang, 1)}–"
        f"{number(row['score_upper'], lang, 1)}</p>"
        f'<p class="pr-narasi">{esc(narasi)}</p></div>'
    )


def tooltip_html(
    row: Mapping[str, Any], n_areas: int, lang: str, scale: ClassScale | None = None
) -> str:
    """Escaped tooltip of one kecamatan: name, class (in ``lang``, by ``scale``), score, rank."""
    kelas = (scale or default_scale()).name(row["kelas"], lang)
    rank = label("map.rank_of", lang, rank=int(row["peringkat"]), n=n_areas)
    return (
        f"<b>{esc(row['nama'])}</b><br>{esc(label('map.class', lang))}: {esc(kelas)}<br>"
        f"{esc(label('map.score', lang))}: {number(row['risk_score'], lang, 1)} · "
        f"{esc(label('map.rank', lang))}: {esc(rank)}"
    )
