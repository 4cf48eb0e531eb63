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
import shapely

from pilkada_risk.config.i18n import label
from pilkada_risk.io.number_format import number
from pilkada_risk.maps._geometry import kabupaten_outline, simplify_areas
from pilkada_risk.maps._kecamatan import label_order, label_points, name_lines
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
) -> gpd.GeoSeries:
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
    _scale_bar(ax, geoms)
    ax.set_axis_off()
    ax.set_aspect("equal")
    return geoms


#: Offsets (pixels) tried around a label point, nearest first; as on the page (:mod:`._page`).
_RADII = (8, 16, 26, 38, 52, 70, 92, 118, 148)
_DIRECTIONS = 16


def _overlaps(a: Any, boxes: list[Any]) -> bool:
    return any(a.overlaps(b) for b in boxes)


def _best_offset(
    box: Any, own: int, inside: Any, owners: Any, blocked: list[Any], frame: Any
) -> tuple[float, float, bool] | None:
    """The cheapest free offset of ``box``: distance, +30 px with a leader, +14 px per sample
    point on another kecamatan (the page's rule); ``None`` when nothing is free."""
    best: tuple[float, float, float, bool] | None = None
    for r in _RADII:
        for i in range(_DIRECTIONS):
            t = 2 * math.pi * i / _DIRECTIONS
            dx = math.cos(t) * (box.width / 2 + r - 8)
            dy = math.sin(t) * (box.height / 2 + r - 8)
            dist = math.hypot(dx, dy)
            if best is not None and dist >= best[0]:
                continue
            moved = box.translated(dx, dy)
            if not frame.contains(moved.x0, moved.y0) or not frame.contains(moved.x1, moved.y1):
                continue
            if _overlaps(moved, blocked):
                continue
            cx, cy = (moved.x0 + moved.x1) / 2, (moved.y0 + moved.y1) / 2
            samples = [(x, y) for x in (moved.x0, cx, moved.x1) for y in (moved.y0, cy, moved.y1)]
            others = sum(1 for o in owners(samples) if o not in (-1, own))
            led = not inside(own, cx, cy)
            cost = dist + (30 if led else 0) + 14 * others
            if best is None or cost < best[0]:
                best = (cost, dx, dy, led)
    return None if best is None else (best[1], best[2], best[3])


def _labels(ax: Any, scores: pd.DataFrame, geoms: gpd.GeoSeries, up: Any, first: Any) -> None:
    """Every kecamatan name, none overlapping another or the legend: on its label point when
    free, else moved to the nearest free place (a leader line when it leaves its kecamatan),
    in :func:`label_order`, like the page does."""
    # lazy: matplotlib takes ~1.3 s to import; only PNG export needs it
    from matplotlib.transforms import Bbox

    renderer = ax.figure.canvas.get_renderer()
    to_px = ax.transData
    shapes = [shapely.prepared.prep(g) for g in geoms]
    blocked = [ax.get_legend().get_window_extent(renderer)] if ax.get_legend() else []
    frame = ax.get_window_extent(renderer)

    def inside(k: int, x: float, y: float) -> bool:
        return bool(shapes[k].contains(shapely.Point(*to_px.inverted().transform((x, y)))))

    def owners(points: list[tuple[float, float]]) -> list[int]:
        data = to_px.inverted().transform(points)
        return [
            next((k for k, g in enumerate(shapes) if g.contains(shapely.Point(*p))), -1)
            for p in data
        ]

    pad = (0.15 + 0.1) * 7.5 * ax.figure.dpi / 72  # boxstyle pad (in font sizes) + a margin
    points = label_points(geoms)
    by_rank = scores["peringkat"].to_numpy().argsort(kind="stable")
    for j in label_order(scores.iloc[by_rank], first):
        i = int(by_rank[j])
        point, name = points.iloc[i], "\n".join(name_lines(str(scores["nama"].iloc[i])))
        text = f"{UP_MARK} {name}" if up[i] else name
        ann = _annotate(ax, text, (point.x, point.y), (0.0, 0.0), led=False)
        box = ann.get_window_extent(renderer).padded(pad)  # the white box around the name
        free = frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)
        spot = (
            None
            if free and not _overlaps(box, blocked)
            else _best_offset(box, i, inside, owners, blocked, frame)
        )
        if spot is None:  # on its point (or, with no free place at all, kept there)
            blocked.append(box)
            continue
        dx, dy, led = spot
        ann.remove()
        _annotate(ax, text, (point.x, point.y), (dx, dy), led=led)
        blocked.append(Bbox(box.get_points() + (dx, dy)))
        if led:
            ax.plot([point.x], [point.y], "o", ms=3, color="#111111", mec="white", mew=0.6)


def _annotate(
    ax: Any, text: str, xy: tuple[float, float], offset: tuple[float, float], *, led: bool
) -> Any:
    """A kecamatan name at ``offset`` pixels from ``xy``; boxed, with a leader line when ``led``."""
    box = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "#444444" if led else "none"}
    return ax.annotate(
        text,
        xy,
        xytext=offset,
        textcoords="offset pixels",
        ha="center",
        va="center",
        fontsize=7.5,
        weight="bold",
        linespacing=0.95,
        bbox={**box, "alpha": 0.92 if led else 0.7},
        arrowprops={"arrowstyle": "-", "color": "#111111", "lw": 0.9, "shrinkA": 0, "shrinkB": 0}
        if led
        else None,
        gid="kec-label",
    )


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
    # lazy: as above (matplotlib)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    # lazy: as above (matplotlib)
    from matplotlib.figure import Figure
    # lazy: matplotlib takes ~1.3 s to import; only PNG export needs it

    up = scores["kode"].astype(str).isin(change.up if change else []).to_numpy()
    fig = Figure(figsize=(12.0, 9.0), dpi=dpi)
    ax = fig.add_axes((0.02, 0.11, 0.62, 0.76))
    provisional = scores.attrs.get("data_sufficient", True) is False
    FigureCanvasAgg(fig)  # measures text for the label placement
    geoms = _draw_map(ax, scores, scale, up, provisional=provisional)
    _legend(ax, scores, scale, change, up, lang)
    _labels(ax, scores, geoms, up, set(change.changed) if change else set())
    _table(fig, scores, scale, lang)
    _texts(fig, scores, change, lang, title, classification)
    return fig
