"""Private: what changed since an earlier assessment (``risk_map(previous=...)``, ``export_png``).

:func:`compare` validates ``previous`` (scores of the same kecamatan at an earlier ``as_of``) and
returns a :class:`Change`; the other helpers turn it into escaped HTML for the tooltip, popup,
title panel and legend, the JavaScript of the "moved up a class" outline, and the plain-text
summary line shared by the PNG and the command line. Nothing here runs without ``previous``, so
maps without it stay byte-identical.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import folium
import pandas as pd

from pilkada_risk.config.columns import validate_columns
from pilkada_risk.config.i18n import check_lang, label
from pilkada_risk.io.number_format import number
from pilkada_risk.maps._builder import NO_LAYER, LayerJS, MapInputs
from pilkada_risk.maps.classes import class_scale
from pilkada_risk.maps.layers import esc, js

__all__ = [
    "CHANGE_CSS",
    "UP_MARK",
    "Change",
    "change_summary",
    "compare",
    "legend_row",
    "panel_texts",
    "popup",
    "summary_text",
    "tooltip_line",
    "up_layer",
    "up_name",
]

UP_MARK = "▲"
_DOWN_MARK = "▼"
_PREV_REQUIRED = ("kode", "nama", "risk_score", "kelas", "peringkat")
#: Only with ``previous``: the plain map's page CSS must not change.
CHANGE_CSS = (
    ".pr-change-sum{font-weight:600;margin-top:2px}"
    ".pr-change{border-top:1px solid #ccc;padding-top:3px}"
    ".pr-up{background:#fff;border:4px double #000;width:12px;height:8px;"
    "font:9px/8px system-ui,sans-serif;text-align:center}"
    ".pr-up-mark{font-size:12px}"
)


@dataclass(frozen=True)
class Change:
    """Per-kecamatan change since ``as_of`` (the earlier assessment).

    ``table`` is indexed by ``kode`` with ``nama`` (now), ``nama_lalu``, ``peringkat_lalu``,
    ``kelas_lalu``, ``skor_lalu``, ``naik_peringkat`` (previous rank minus current rank:
    positive means nearer rank 1, i.e. riskier) and ``arah`` (``naik``, ``turun``, ``tetap``, or
    ``berubah`` when a class is not in the profile's class order). ``kelas_names`` maps each
    Indonesian class label to its name in the map's language (from both profiles).
    """

    as_of: str
    table: pd.DataFrame
    kelas_names: Mapping[str, str] = field(default_factory=dict)

    def count(self, arah: str) -> int:
        """Number of kecamatan whose class change is ``arah``."""
        return int((self.table["arah"] == arah).sum())

    @property
    def up(self) -> list[str]:
        """Codes of the kecamatan that moved up a class."""
        return [str(k) for k in self.table.index[self.table["arah"] == "naik"]]

    @property
    def changed(self) -> list[str]:
        """Codes of the kecamatan whose class changed (up, down or to another class)."""
        return [str(k) for k in self.table.index[self.table["arah"] != "tetap"]]


def _as_of(frame: pd.DataFrame, name: str, lang: str) -> pd.Timestamp:
    value = frame.attrs.get("as_of")
    try:
        stamp = pd.Timestamp(value) if value else None
    except (TypeError, ValueError):
        stamp = None
    if stamp is None or pd.isna(stamp):
        raise ValueError(label("map.err_prev_as_of_missing", lang, which=name, value=repr(value)))
    return stamp.normalize()


def _class_order(scores: pd.DataFrame) -> list[str]:
    return list(class_scale(scores).labels_id)


def _direction(before: str, now: str, order: list[str]) -> str:
    if before == now:
        return "tetap"
    if before in order and now in order:
        return "naik" if order.index(now) > order.index(before) else "turun"
    return "berubah"


def compare(scores: pd.DataFrame, previous: Any, lang: str) -> Change:
    """Validate ``previous`` against ``scores`` and return the change between them.

    Raises ``TypeError``/``ValueError`` (in ``lang``) naming missing columns, missing or extra
    ``kode`` values, duplicate codes, and an ``as_of`` that is not earlier than the scores'.
    """
    if not isinstance(previous, pd.DataFrame):
        raise TypeError(label("map.err_prev_type", lang, got=type(previous).__name__))
    validate_columns(
        previous, _PREV_REQUIRED, what="previous", lang=lang, source="RiskModel.score()"
    )
    codes = previous["kode"].astype(str)
    dups = sorted(set(codes[codes.duplicated()]))
    if dups:
        raise ValueError(label("map.err_prev_duplicate", lang, codes=dups[:10]))
    now_codes = set(scores["kode"].astype(str))
    absent, extra = sorted(now_codes - set(codes)), sorted(set(codes) - now_codes)
    if absent or extra:
        raise ValueError(
            label(
                "map.err_prev_codes",
                lang,
                missing=absent[:10] or "-",
                extra=extra[:10] or "-",
                n_missing=len(absent),
                n_extra=len(extra),
            )
        )
    before, now = _as_of(previous, "previous", lang), _as_of(scores, "scores", lang)
    if before >= now:
        raise ValueError(
            label(
                "map.err_prev_as_of_order",
                lang,
                before=before.date().isoformat(),
                now=now.date().isoformat(),
            )
        )
    numbers = {}
    for col in ("risk_score", "peringkat"):
        values = pd.to_numeric(previous[col], errors="coerce")
        if values.isna().any():
            bad = previous.loc[values.isna(), col].iloc[0]
            raise ValueError(label("map.err_prev_number", lang, column=col, value=repr(bad)))
        numbers[col] = values.to_numpy()
    prev = pd.DataFrame(
        {
            "nama_lalu": previous["nama"].astype(str).to_numpy(),
            "peringkat_lalu": numbers["peringkat"].astype(int),
            "kelas_lalu": previous["kelas"].astype(str).to_numpy(),
            "skor_lalu": numbers["risk_score"].astype(float),
        },
        index=pd.Index(codes.to_numpy(), name="kode"),
    )
    cur = pd.DataFrame(
        {
            "nama": scores["nama"].astype(str).to_numpy(),
            "peringkat": scores["peringkat"].astype(int).to_numpy(),
            "kelas": scores["kelas"].to_numpy(),
        },
        index=pd.Index(scores["kode"].astype(str).to_numpy(), name="kode"),
    )
    prev = prev.reindex(cur.index)
    prev.insert(0, "nama", cur["nama"])
    order = _class_order(scores)
    prev["naik_peringkat"] = prev["peringkat_lalu"] - cur["peringkat"]
    prev["arah"] = [
        _direction(b, str(n), order) for b, n in zip(prev["kelas_lalu"], cur["kelas"], strict=True)
    ]
    names = {**class_scale(previous).names(lang), **class_scale(scores).names(lang)}
    return Change(as_of=before.date().isoformat(), table=prev, kelas_names=names)


#: Up to this many kecamatan changing class in one direction are named in the summary line.
NAMED_CHANGES = 3


def summary_text(change: Change, lang: str) -> str:
    """One plain-text line, e.g. ``Sejak 2024-06-25: 2 kecamatan naik kelas, 1 turun kelas``."""
    parts: list[str] = []
    for arah in ("naik", "turun", "berubah"):
        if n := change.count(arah):
            unit = "" if parts else " " + label("map.change_unit", lang, s="" if n == 1 else "s")
            part = label(f"map.change_n_{arah}", lang, n=n, unit=unit)
            if n <= NAMED_CHANGES:  # a few changes: name them, leadership asks "which?"
                names = change.table.loc[change.table["arah"] == arah, "nama"]
                part += f" ({', '.join(names)})"
            parts.append(part)
    body = ", ".join(parts) if parts else label("map.change_none", lang)
    return label("map.change_since", lang, date=change.as_of, text=body)


def change_summary(scores: pd.DataFrame, previous: pd.DataFrame, *, lang: str = "id") -> str:
    """One line saying how many kecamatan changed class since the ``previous`` assessment.

    ``previous`` is validated as in :func:`~pilkada_risk.risk_map` (same ``kode``, earlier
    ``as_of``). The line is the one in the map's title panel, the PNG and the command line.

    Examples
    --------
    >>> now = pd.DataFrame({"kode": ["a", "b"], "nama": ["A", "B"], "risk_score": [70.0, 20.0],
    ...                     "kelas": ["sangat rawan", "kurang rawan"], "peringkat": [1, 2]})
    >>> now.attrs["as_of"] = "2024-12-01"
    >>> before = now.assign(kelas=["rawan", "kurang rawan"])
    >>> before.attrs["as_of"] = "2024-09-02"
    >>> change_summary(now, before)
    'Sejak 2024-09-02: 1 kecamatan naik kelas (A)'
    >>> same = now.copy()
    >>> same.attrs["as_of"] = "2024-09-02"
    >>> change_summary(now, same, lang="en")
    'Since 2024-09-02: no class changes'
    """
    lang = check_lang(lang)
    return summary_text(compare(scores, previous, lang), lang)


def _rank_mark(delta: int) -> str:
    if delta > 0:
        return f"{UP_MARK}{delta}"
    return f"{_DOWN_MARK}{-delta}" if delta < 0 else "="


def tooltip_line(change: Change, kode: str, lang: str) -> str:
    """Escaped tooltip line: ``Sejak 2024-06-25: peringkat ▲2 · naik kelas``."""
    row = change.table.loc[kode]
    text = label(
        "map.change_tooltip",
        lang,
        date=change.as_of,
        mark=_rank_mark(int(row["naik_peringkat"])),
        kelas=label(f"map.change_{row['arah']}", lang),
    )
    return f"<br>{esc(text)}"


def popup(change: Change | None, now: Mapping[str, Any], lang: str) -> str:
    """Escaped popup paragraph: previous rank, class and score → now, and the class change.

    Empty without ``change``.
    """
    if change is None:
        return ""
    row = change.table.loc[str(now["kode"])]

    def state(rank: Any, kelas: Any, score: Any) -> str:
        name = change.kelas_names.get(str(kelas), str(kelas))
        return esc(label("map.change_state", lang, rank=int(rank), kelas=name, score=score))

    before = state(row["peringkat_lalu"], row["kelas_lalu"], number(row["skor_lalu"], lang, 1))
    after = state(now["peringkat"], now["kelas"], number(now["risk_score"], lang, 1))
    renamed = ""
    if row["nama_lalu"] != str(now["nama"]):
        renamed = f" ({esc(label('map.change_renamed', lang, name=row['nama_lalu']))})"
    word = esc(label(f"map.change_{row['arah']}", lang))
    return (
        f'<p class="pr-change"><b>{esc(label("map.change_before", lang, date=change.as_of))}:'
        f"</b> {before}{renamed} → <b>{esc(label('map.change_now', lang))}:</b> {after} · "
        f"<b>{word}</b></p>"
    )


def up_name(name_html: str) -> str:
    """The name label of a kecamatan that moved up a class, with the ▲ mark in front."""
    return f'<span class="pr-up-mark">{UP_MARK}</span> {name_html}'


def legend_row(change: Change, lang: str) -> str:
    """Legend row explaining the moved-up marker (empty when no kecamatan moved up)."""
    if not change.up:
        return ""
    text = esc(label("map.change_up_legend", lang, date=change.as_of))
    return f'<div><span class="pr-swatch pr-up">{UP_MARK}</span>{text}</div>'


def panel_texts(change: Change | None, lang: str) -> dict[str, str]:
    """Keyword arguments of :func:`~pilkada_risk.maps._panels.panels` for the change (or none)."""
    if change is None:
        return {}
    return {"change_line": summary_text(change, lang), "legend_extra": legend_row(change, lang)}


def up_layer(m: folium.Map, inputs: MapInputs) -> LayerJS:
    """The "moved up a class" layer (with ``previous``, when a kecamatan moved up).

    A black line with a white core (a cased outline, readable without colour vision) around the
    kecamatan that moved up, drawn from the kecamatan layer ``KEC`` already on the page.
    """
    change = inputs.change
    if change is None or not change.up:
        return NO_LAYER
    fg = folium.FeatureGroup(name=label("map.layer_change_up", inputs.lang, date=change.as_of))
    layer = fg.add_to(m).get_name()
    return LayerJS(
        f"(function(){{var u={js(change.up)};[['#000',6],['#fff',2]].forEach(function(s){{"
        "L.geoJSON(KEC.toGeoJSON(),{interactive:false,filter:function(f){"
        "return u.indexOf(f.properties.kode)>=0;},style:{fill:false,color:s[0],weight:s[1]}})"
        f".addTo({layer});}});}})();",
        layer,
    )
