"""Charts and tables for the analyst notebooks.

Everything a notebook shows beyond one library call lives here, tested, so that notebooks stay
thin: monthly counts with election windows, breakdowns, a score explanation chart, sensitivity of
ranks to the profile, what changed since a previous date, and a checklist of an exported map.
Figures are made with :class:`matplotlib.figure.Figure` (no pyplot state), so they work headless.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from pilkada_risk.config.elections import load_elections
from pilkada_risk.config.i18n import check_lang, label
from pilkada_risk.config.profile import load_profile
from pilkada_risk.config.taxonomy import load_taxonomy
from pilkada_risk.maps.layers import esc, js
from pilkada_risk.scoring.model import RiskModel

__all__ = [
    "PRESET_VARIANTS",
    "compare_periods",
    "export_checklist",
    "plot_breakdown",
    "plot_explanation",
    "plot_monthly",
    "sensitivity",
    "sensitivity_explorer",
]

#: Profile variants for a sensitivity check without widgets: label key → RiskModel overrides.
PRESET_VARIANTS: dict[str, dict[str, Any]] = {
    "variant_default": {},
    "variant_no_election": {"election_uplift": False},
    "variant_half_life_180": {"half_lives_days": [180.0, 90.0]},
    "variant_half_life_730": {"half_lives_days": [730.0, 90.0]},
    "variant_rate_heavy": {
        "components": {
            "intensitas": 0.10,
            "kekinian": 0.25,
            "laju": 0.55,
            "limpahan": 0.05,
            "struktural": 0.05,
            "tren": 1.0,
        }
    },
}


def plot_monthly(
    incidents: pd.DataFrame, *, lang: str = "id", elections: pd.DataFrame | None = None
) -> Figure:
    """Bar chart of incidents per month with election windows shaded.

    Parameters
    ----------
    incidents
        Canonical incidents (``tanggal`` column).
    lang
        ``"id"`` or ``"en"``.
    elections
        Calendar as from :func:`pilkada_risk.config.elections.load_elections`; the shipped one by
        default.
    """
    check_lang(lang)
    cal = load_elections() if elections is None else elections
    months = pd.to_datetime(incidents["tanggal"]).dt.to_period("M")
    counts = months.value_counts().sort_index()
    if len(counts):
        full = pd.period_range(counts.index.min(), counts.index.max(), freq="M")
        counts = counts.reindex(full, fill_value=0)
    fig = Figure(figsize=(10, 3.5), layout="constrained")
    ax = fig.add_subplot()
    x = counts.index.to_timestamp()
    ax.bar(x, counts.to_numpy(), width=25, color="#4a6fa5")
    name_col = "name_id" if lang == "id" else "name_en"
    for row in cal.itertuples():
        if len(counts) and x.min() <= row.recap_end and row.campaign_start <= x.max():
            ax.axvspan(row.campaign_start, row.recap_end, color="#d7301f", alpha=0.15, lw=0)
            ax.text(
                row.vote,
                ax.get_ylim()[1] * 0.95,
                getattr(row, name_col),
                ha="center",
                va="top",
                fontsize=8,
            )
    ax.set_title(label("report.monthly_title", lang))
    ax.set_xlabel(label("report.month", lang))
    ax.set_ylabel(label("report.n_incidents", lang))
    return fig


def plot_breakdown(
    incidents: pd.DataFrame,
    by: str = "kategori",
    *,
    areas: pd.DataFrame | None = None,
    lang: str = "id",
    top: int = 20,
) -> Figure:
    """Horizontal bar chart of incidents by ``kategori``, ``kec_kode`` or ``lokasi_presisi``.

    Category codes are shown with their taxonomy labels; kecamatan codes with names from ``areas``.
    """
    check_lang(lang)
    allowed = ("kategori", "kec_kode", "lokasi_presisi")
    if by not in allowed:
        raise ValueError(f"by={by!r} is not supported; use one of {', '.join(allowed)}")
    counts = incidents[by].astype("string").fillna("?").value_counts().head(top)
    names = counts.index.to_series()
    if by == "kategori":
        frame = load_taxonomy().frame.set_index("code")
        column = f"label_{lang}"
        names = names.map(lambda c: frame[column].get(c, c))
    elif by == "kec_kode" and areas is not None:
        lookup = dict(zip(areas["kode"], areas["nama"], strict=True))
        names = names.map(lambda c: lookup.get(c, c))
    fig = Figure(figsize=(8, 0.3 * len(counts) + 1.2), layout="constrained")
    ax = fig.add_subplot()
    ax.barh(names.to_numpy()[::-1], counts.to_numpy()[::-1], color="#4a6fa5")
    ax.set_title(label(f"report.by_{by}_title", lang))
    ax.set_xlabel(label("report.n_incidents", lang))
    return fig


def plot_explanation(model: Any, kode: str, *, lang: str = "id") -> Figure:
    """Bar chart of each component's contribution to one kecamatan's score (``model.explain``)."""
    check_lang(lang)
    table = model.explain(kode)
    scores = model.score().set_index("kode")
    row = scores.loc[kode]
    kelas = row["kelas"] if lang == "id" else row.get("kelas_en", row["kelas"])
    names = table["label_id"] if lang == "id" else table.get("label_en", table["komponen"])
    fig = Figure(figsize=(7, 3), layout="constrained")
    ax = fig.add_subplot()
    ax.barh(list(names)[::-1], table["kontribusi"].to_numpy()[::-1], color="#d7301f")
    ax.set_xlabel(label("report.contribution", lang))
    ax.set_title(
        label("report.explain_title", lang, nama=row["nama"], kelas=kelas, skor=row["risk_score"])
    )
    return fig


def sensitivity(
    incidents: pd.DataFrame,
    areas: pd.DataFrame,
    *,
    variants: Mapping[str, Mapping[str, Any]] | None = None,
    as_of: Any = None,
    context: pd.DataFrame | None = None,
    profile: Any = None,
    seed: int = 0,
    lang: str = "id",
) -> pd.DataFrame:
    """Rank of every kecamatan under several profile variants.

    Parameters
    ----------
    variants
        Name → overrides passed to :class:`pilkada_risk.RiskModel` (``half_life_days=...``, a
        section dict, ...). Default: :data:`PRESET_VARIANTS`, named in ``lang``.

    Returns
    -------
    pandas.DataFrame
        Index ``kode`` with ``nama``, one rank column per variant, and ``rentang_peringkat`` (how
        many places the rank moves across variants), sorted by the first variant's rank.
    """
    check_lang(lang)
    if variants is None:
        variants = {label(f"report.{k}", lang): v for k, v in PRESET_VARIANTS.items()}
    ranks: dict[str, pd.Series] = {}
    names: pd.Series | None = None
    for name, overrides in variants.items():
        model = RiskModel(profile, seed=seed, overrides=dict(overrides))
        scores = model.fit(incidents, areas, as_of=as_of, context=context).score()
        ranks[name] = scores.set_index("kode")["peringkat"]
        names = scores.set_index("kode")["nama"]
    table = pd.DataFrame(ranks)
    table.insert(0, "nama", names)
    rank_cols = list(ranks)
    table["rentang_peringkat"] = table[rank_cols].max(axis=1) - table[rank_cols].min(axis=1)
    return table.sort_values(rank_cols[0])


def sensitivity_explorer(
    incidents: pd.DataFrame,
    areas: pd.DataFrame,
    *,
    as_of: Any = None,
    context: pd.DataFrame | None = None,
    profile: Any = None,
    seed: int = 0,
    lang: str = "id",
) -> Any:
    """A slider for the short half-life and a choice of weights that re-rank the kecamatan.

    Returns an ``ipywidgets.VBox``; it needs a widget manager (JupyterLab) to be interactive.
    Without one, the table for the default slider positions is still computed and shown once.
    The table is an ``HTML`` widget, not an ``Output`` widget: when a notebook runs headless
    (papermill, nbclient), the client mimics a frontend for ``Output`` widgets by sending comm
    messages back on the shell socket, and that intermittently left execution waiting forever
    (nbclient issue 312).
    """
    try:
        # lazy: optional dependency (the notebooks extra)
        import ipywidgets as widgets
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "sensitivity_explorer needs ipywidgets: pip install 'pilkada-risk[notebooks]'"
        ) from exc

    check_lang(lang)
    base = load_profile(profile)
    long_hl, short_hl = base.forecast.half_lives_days
    half_life = widgets.IntSlider(
        value=int(short_hl),
        min=30,
        max=int(long_hl),
        step=15,
        description=label("report.slider_half_life", lang),
        style={"description_width": "initial"},
    )
    weights = widgets.Dropdown(
        options=["learned", "profile", "count"],
        value=base.learning.weights,
        description=label("report.slider_weights", lang),
        style={"description_width": "initial"},
    )
    output = widgets.HTML()

    def update(_change: Any = None) -> None:
        chosen = {
            "forecast__half_lives_days": [long_hl, float(half_life.value)],
            "learning__weights": weights.value,
        }
        table = sensitivity(
            incidents,
            areas,
            variants={
                label("report.variant_default", lang): {},
                label("report.variant_chosen", lang): chosen,
            },
            as_of=as_of,
            context=context,
            profile=base,
            seed=seed,
            lang=lang,
        )
        output.value = table.to_html(border=0)

    half_life.observe(update, names="value")
    weights.observe(update, names="value")
    update()
    return widgets.VBox([half_life, weights, output])


def compare_periods(
    incidents: pd.DataFrame,
    areas: pd.DataFrame,
    *,
    as_of: Any,
    previous_as_of: Any,
    context: pd.DataFrame | None = None,
    profile: Any = None,
    seed: int = 0,
) -> pd.DataFrame:
    """What changed between two forecast dates, and which component drove the change.

    Returns one row per kecamatan: ``nama``, ``peringkat_lalu``, ``peringkat``, ``kelas_lalu``,
    ``kelas``, ``skor_lalu``, ``skor``, ``perubahan_skor``, ``pendorong`` (the component whose
    contribution changed most) and ``perubahan_pendorong`` (its change in points).
    """

    def fit(when: Any) -> pd.DataFrame:
        model = RiskModel(profile, seed=seed)
        return model.fit(incidents, areas, as_of=when, context=context).score().set_index("kode")

    now, before = fit(as_of), fit(previous_as_of)
    parts = [c for c in now.columns if c.startswith("komponen_")]
    delta = now[parts] - before.loc[now.index, parts]
    driver = delta.abs().idxmax(axis=1)
    out = pd.DataFrame(
        {
            "nama": now["nama"],
            "peringkat_lalu": before.loc[now.index, "peringkat"],
            "peringkat": now["peringkat"],
            "kelas_lalu": before.loc[now.index, "kelas"],
            "kelas": now["kelas"],
            "skor_lalu": before.loc[now.index, "risk_score"].round(1),
            "skor": now["risk_score"].round(1),
        }
    )
    out["perubahan_skor"] = (out["skor"] - out["skor_lalu"]).round(1)
    out["pendorong"] = driver.str.removeprefix("komponen_")
    out["perubahan_pendorong"] = [round(float(delta.loc[k, c]), 1) for k, c in driver.items()]
    return out.sort_values("peringkat")


# Resources a browser would fetch: script/img/link/... sources, CSS url() and @import.
# Plain <a href> links are not loads (Leaflet's attribution link is one).
_EXTERNAL = re.compile(
    r"""<(?:script|img|iframe|link|source|video|audio|embed|object)\b[^>]*?"""
    r"""\b(?:src|href|data)\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|url\(\s*["']?\s*(?:https?:)?//|@import\s+["']?(?:https?:)?//""",
    re.I,
)


def _embedded(value: str, page: str) -> bool:
    """Whether ``value`` occurs in ``page`` as written, HTML-escaped or as a JSON string literal."""
    forms = {value, html.escape(value), esc(value), js(value)[1:-1], js(esc(value))[1:-1]}
    return any(form and form in page for form in forms)


def export_checklist(
    path: str | Path,
    *,
    scores: pd.DataFrame | None = None,
    incidents: pd.DataFrame | None = None,
    classification: str = "TERBATAS",
    lang: str = "id",
) -> pd.DataFrame:
    """Check an exported leadership map file before it is sent.

    Returns a table (``butir``, ``hasil``, ``rincian``): no external resources; size under 2 MB;
    the classification label at top and bottom; every kecamatan named (with ``scores``); no
    incident description or LP number inside (with ``incidents``; plain, HTML-escaped or as a
    JSON string); synthetic data marked as such.
    """
    check_lang(lang)
    text = Path(path).read_text(encoding="utf-8")
    size_mb = Path(path).stat().st_size / 1e6
    rows: list[tuple[str, bool, str]] = []
    external = _EXTERNAL.findall(text)
    rows.append(("check_offline", not external, f"{len(external)}"))
    rows.append(("check_size", size_mb < 2.0, f"{size_mb:.2f} MB"))
    rows.append(("check_banner", text.count(html.escape(classification)) >= 2, classification))
    if scores is not None:
        missing = [n for n in scores["nama"] if not _embedded(str(n), text)]
        rows.append(("check_names", not missing, ", ".join(missing) or "-"))
    if incidents is not None:
        texts = set()
        if "keterangan" in incidents:
            texts |= {str(t) for t in incidents["keterangan"].dropna() if len(str(t)) >= 12}
        if "id" in incidents:
            # Short or purely numeric ids ("12") would match anything; LP numbers are long.
            ids = incidents["id"].dropna().astype(str)
            texts |= {i for i in ids if len(i) >= 6 and not i.isdigit()}
        leaked = sum(1 for t in texts if _embedded(t, text))
        rows.append(("check_no_details", leaked == 0, f"{leaked}"))
    synthetic = "sintetis" in text.lower() or "synthetic" in text.lower()
    if synthetic or "sintetis" in Path(path).name.lower():
        rows.append(("check_synthetic", "DATA SINTETIS" in text or "SYNTHETIC DATA" in text, ""))
    return pd.DataFrame(
        {
            "butir": [label(f"report.{key}", lang) for key, _, _ in rows],
            "hasil": [label("report.ok" if ok else "report.not_ok", lang) for _, ok, _ in rows],
            "rincian": [detail for _, _, detail in rows],
        }
    )
