"""Private: the static PNG twin of the risk map (matplotlib, Agg backend).

Same content as the HTML map where paper allows: class colours (pale and hatched when the data
are insufficient), kecamatan names at the same label points (:func:`label_points`, split over two
lines like on the page), the data warning, a metric scale bar and a small ranked table (rank,
kecamatan, class, score) so rank 3 and rank 10 of one class can be told apart.
"""

from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
import pandas as pd

from pilkada_risk.config.i18n import label
from pilkada_risk.io.number_format import number
from pilkada_risk.maps._geometry import kabupaten_outline, simplify_areas
from pilkada_risk.maps._kecamatan import label_points, name_lines
from pilkada_risk.maps._panels import data_warnings, is_synthetic, lineage_text, synthetic_title
from pilkada_risk.maps.change import UP_MARK, Change, summary_text
from pilkada_risk.maps.classes import ClassScale

__all__ = ["png_figure"]

#: Rows of the ranked table; more kecamatan end in "… n kecamatan lain".
TABLE_ROWS = 15


def _scale_bar(ax: Any, geoms: gpd.GeoSeries) -> None:
    """A metric scale bar (1, 2 or 5 x 10^k km, about a fifth of the map) at the lower right."""
    west, south, east, north = geoms.total_bounds
    lat = math.radians((south + north) / 2)
    km_per_deg = 111.32 * math.cos(lat)
    width_km = (east - west) * km_per_deg
    target = width_km / 5
    step = 10 ** math.floor(math.log10(target)) if target > 0 else 1
    km = max((m * step for m in (1, 2, 5) if m * step <= target), default=step)
    x1 = east - (east - west) * 0.04
    x0 = x1 - km / km_per_deg
    y = south + (north - south) * 0.03
    ax.plot([x0, x1], [y, y], color="black", linewidth=3, solid_capstyle="butt")
    text = f"{number(km, 'en', 0 if km >= 1 else 1)} km"
    ax.text((x0 + x1) / 2, y, text, ha="center", va="bottom", fontsize=8, weight="bold")


def _draw_map(
    ax: Any, scores: gpd.GeoDataFrame, scale: ClassScale, up: Any, *, provisional: bool
) -> None:
    geoms = simplify_areas(scores, 0)
    colours = [scale.colour(k) for k in scores["kelas"]]
    frame = gpd.GeoDataFrame({"c": colours}, geometry=geoms.to_numpy(), crs=4326)
    frame.plot(
        ax=ax,
        color=frame["c"],
        edgecolor="#333333" if provisional else "white",
        linewidth=0.8,
        alpha=0.5 if provisional else 1.0,
        hatch="///" if provisional else None,
    )
    outline = gpd.GeoSeries([kabupaten_outline(geoms)], crs=4326)  # without gap specks
    outline.boundary.plot(ax=ax, color="#1a1a1a", linewidth=1.5)
    for colour, width in (("#000000", 4.0), ("#ffffff", 1.2)) if up.any() else ():
        frame[up].boundary.plot(ax=ax, color=colour, linewidth=width)
    for point, name, moved_up in zip(label_points(geoms), scores["nama"], up, strict=True):
        text = "\n".join(name_lines(str(name)))
        ax.annotate(
            f"{UP_MARK} {text}" if moved_up else text,
            (point.x, point.y),
            ha="center",
            va="center",
            fontsize=7.5,
            weight="bold",
            linespacing=0.95,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
        )
    _scale_bar(ax, geoms)
    ax.set_axis_off()
    ax.set_aspect("equal")


def _legend(
    ax: Any, scores: pd.DataFrame, scale: ClassScale, change: Change | None, up: Any, lang: str
) -> None:
    # lazy: matplotlib takes ~1.3 s to import; only PNG export needs it
    from matplotlib.patches import Patch

    provisional = scores.attrs.get("data_sufficient", True) is False
    handles = [
        Patch(
            facecolor=c,
            edgecolor="#555",
            label=text,
            alpha=0.5 if provisional else 1.0,
            hatch="///" if provisional else None,
        )
        for c, text in scale.legend_rows(lang, scores["kelas"])
    ]
    if change is not None and up.any():
        text = label("map.change_up_legend", lang, date=change.as_of)
        handles.append(Patch(facecolor="white", edgecolor="black", linewidth=2.5, label=text))
    ax.legend(handles=handles, title=label("map.legend_title", lang), loc="lower left", fontsize=8)


def _table(fig: Any, scores: pd.DataFrame, scale: ClassScale, lang: str) -> None:
    """The ranked table (rank, kecamatan, class, score) on the right of the map."""
    ordered = scores.sort_values("peringkat", kind="stable")
    shown = ordered.head(TABLE_ROWS)
    cells = [
        [
            str(int(r.peringkat)),
            str(r.nama),
            scale.name(r.kelas, lang),
            number(r.risk_score, lang, 1),
        ]
        for r in shown.itertuples()
    ]
    ax = fig.add_axes((0.665, 0.14, 0.32, 0.72))
    ax.set_axis_off()
    ax.set_title(label("map.png_table_title", lang), fontsize=10, weight="bold", loc="left")
    heads = ["#", label("common.kecamatan", lang).split(" (")[0], label("map.class", lang)]
    table = ax.table(
        cellText=cells,
        colLabels=[*heads, label("map.score", lang)],
        colWidths=[0.09, 0.42, 0.32, 0.17],
        loc="upper left",
        cellLoc="left",
    )
    table.auto_set_font_size(False)
    table.set_fontsize(7.5)
    for i, r in enumerate(shown.itertuples(), start=1):
        table[i, 2].set_facecolor(scale.colour(r.kelas))
    for (row, _), cell in table.get_celld().items():
        cell.set_height(0.045)
        cell.set_edgecolor("#bbbbbb")
        if row == 0:
            cell.set_text_props(weight="bold")
    if len(ordered) > len(shown):
        more = label("map.png_more_rows", lang, n=len(ordered) - len(shown))
        ax.text(0.0, 1 - 0.045 * (len(shown) + 1) - 0.03, more, fontsize=7.5, va="top")


def _texts(
    fig: Any,
    scores: pd.DataFrame,
    change: Change | None,
    lang: str,
    title: str | None,
    classification: str,
) -> None:
    attrs = scores.attrs
    head = title or label("map.title", lang)
    if is_synthetic(scores, title=head):
        head = synthetic_title(head, lang)
    unknown = label("map.unknown", lang)
    sub = (
        f"{label('map.area', lang)}: {attrs.get('kab_nama', unknown)} · "
        f"{label('map.as_of', lang)}: {attrs.get('as_of', unknown)}"
    )
    fig.text(0.5, 0.935, head, ha="center", fontsize=13, weight="bold")
    fig.text(0.5, 0.912, sub, ha="center", fontsize=9)
    y = 0.893
    if change is not None:
        fig.text(0.5, y, summary_text(change, lang), ha="center", fontsize=9, weight="bold")
        y -= 0.02
    if attrs.get("data_sufficient", True) is False:
        banner = label("sufficiency.banner", lang)
        fig.text(
            0.5,
            y,
            banner,
            ha="center",
            fontsize=10,
            weight="bold",
            color="white",
            bbox={"boxstyle": "square,pad=0.25", "fc": "#8b0000", "ec": "none"},
        )
        warnings = data_warnings(scores, lang)[:3]
        fig.text(
            0.02,
            0.095,
            "\n".join(f"• {w}" for w in warnings),
            fontsize=7,
            color="#5a0000",
            va="top",
            wrap=True,
        )
    fig.text(0.5, 0.04, lineage_text(scores, lang), ha="center", fontsize=6.5, wrap=True)
    if classification:
        for y in (0.975, 0.008):
            fig.text(
                0.5,
                y,
                classification,
                ha="center",
                fontsize=11,
                weight="bold",
                color="white",
                bbox={"boxstyle": "square,pad=0.3", "fc": "#8b0000", "ec": "none"},
            )


def png_figure(
    scores: gpd.GeoDataFrame,
    change: Change | None,
    scale: ClassScale,
    *,
    lang: str,
    title: str | None,
    dpi: int,
    classification: str,
) -> Any:
    """The PNG twin as a matplotlib :class:`~matplotlib.figure.Figure` (not yet saved)."""
    # lazy: matplotlib takes ~1.3 s to import; only PNG export needs it
    import matplotlib

    matplotlib.use("Agg", force=False)
    # lazy: matplotlib takes ~1.3 s to import; only PNG export needs it
    from matplotlib.figure import Figure

    up = scores["kode"].astype(str).isin(change.up if change else []).to_numpy()
    fig = Figure(figsize=(12.0, 9.0), dpi=dpi)
    ax = fig.add_axes((0.02, 0.11, 0.62, 0.76))
    provisional = scores.attrs.get("data_sufficient", True) is False
    _draw_map(ax, scores, scale, up, provisional=provisional)
    _legend(ax, scores, scale, change, up, lang)
    _table(fig, scores, scale, lang)
    _texts(fig, scores, change, lang, title, classification)
    return fig
