"""Analyst-facing text of the risk scores: one narrative per kecamatan and the method note.

Pure functions over the score table built by :class:`pilkada_risk.scoring.model.RiskModel`; the
words
live in ``data/labels/model.toml`` (Bahasa Indonesia, English with ``lang="en"``).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from pilkada_risk.config.columns import validate_columns
from pilkada_risk.config.i18n import check_lang, label
from pilkada_risk.config.profile import COMPONENTS, RiskProfile
from pilkada_risk.io.number_format import number

__all__ = ["basis_label", "component_names", "expected_by_source", "method_note", "narratives"]

_NEEDED = (
    "nama",
    "risk_score",
    "peringkat",
    "tren",
    "score_lower",
    "score_upper",
    "peringkat_lower",
    "peringkat_upper",
    "peringkat_stabil",
    "gi_label",
    "harapan",
    *(f"komponen_{k}" for k in COMPONENTS),
)


def basis_label(basis: str, lang: str = "id") -> str:
    """Words for an exposure basis (``dpt``, ``populasi``, ``tps`` or ``unit``).

    Examples
    --------
    >>> basis_label("dpt", "en")
    '1,000 registered voters'
    """
    return label(f"model.basis_{basis}", lang)


def component_names(
    basis: str, lang: str = "id", half_lives: tuple[float, float] = (365.0, 90.0)
) -> dict[str, str]:
    """Words for each source (``model.komponen_<k>``), the long half-life filled in.

    Examples
    --------
    >>> component_names("unit", "en", (180.0, 90.0))["intensitas"]
    'time-weighted incidents (half-life 180 days)'
    """
    words = basis_label(basis, lang)
    paruh = number(float(half_lives[0]), lang, 0)
    return {k: label(f"model.komponen_{k}", lang, basis=words, paruh=paruh) for k in COMPONENTS}


def _drivers(
    values: tuple[float, ...], names: dict[str, str], point: str, top: int, lang: str
) -> str:
    """The ``top`` largest sources of one row as text (ties: name in reverse order)."""
    parts = sorted(zip(values, COMPONENTS, strict=True), reverse=True)[:top]
    return (
        ", ".join(
            point.format(label=names[k], nilai=number(v, lang, 1)) for v, k in parts if v > 0.05
        )
        or "–"
    )


def expected_by_source(table: pd.DataFrame) -> pd.DataFrame:
    """Expected incidents per source: ``komponen_<k> / risk_score * harapan`` (0 where score 0).

    The ``komponen_<k>`` points are proportional to the expected incidents of each source, so
    the sources add up to ``harapan``.
    """
    comps = table[[f"komponen_{k}" for k in COMPONENTS]].to_numpy(dtype=float)
    score = table["risk_score"].to_numpy(dtype=float)
    harapan = table["harapan"].to_numpy(dtype=float)
    scale = np.divide(harapan, score, out=np.zeros_like(score), where=score > 0)
    out = comps * scale[:, None]
    return pd.DataFrame(out, index=table.index, columns=list(COMPONENTS))


def narratives(
    table: pd.DataFrame,
    *,
    basis: str,
    lang: str = "id",
    top: int = 3,
    horizon_days: int = 90,
    half_lives: tuple[float, float] = (365.0, 90.0),
) -> list[str]:
    """One short explanation per row of a score table, in table order.

    Parameters
    ----------
    table
        Rows of kecamatan with ``nama``, ``risk_score``, ``peringkat``, the ``komponen_<k>``
        columns, ``tren``, ``score_lower``/``score_upper``, ``peringkat_lower``/
        ``peringkat_upper``, ``peringkat_stabil``, ``gi_label``, ``harapan`` (expected
        incidents) and the class: ``kelas`` (``lang="id"``) or ``kelas_en`` (``lang="en"``).
        ``n`` in "rank r of n" is its length.
    basis
        Exposure basis of the rate component (``dpt``, ``populasi``, ``tps``, ``unit``).
    lang
        ``"id"`` (Bahasa Indonesia) or ``"en"``.
    top
        How many of the largest sources of expected incidents are named.
    horizon_days
        The forecast horizon the expectations cover.
    half_lives
        Half-lives (days) of the decayed-count terms used (``intensitas`` names its own).

    Examples
    --------
    >>> row = {"nama": "Krui", "kelas": "rawan", "risk_score": 50.2, "peringkat": 1,
    ...        "tren": "menetap", "score_lower": 40.0, "score_upper": 60.0,
    ...        "peringkat_lower": 1, "peringkat_upper": 2, "peringkat_stabil": True,
    ...        "gi_label": "tidak_signifikan", "komponen_intensitas": 20.0,
    ...        "komponen_kekinian": 25.0, "komponen_laju": 5.2, "komponen_limpahan": 0.0,
    ...        "komponen_struktural": 0.0, "komponen_tren": 0.0, "harapan": 4.2}
    >>> text = narratives(pd.DataFrame([row]), basis="unit")[0]
    >>> text[:40], text[43:79]
    ('Krui: rawan (skor 50, peringkat 1 dari 1', 'Dari 4,2 kejadian yang diharapkan da')
    """
    check_lang(lang)
    kelas = "kelas" if lang == "id" else "kelas_en"
    validate_columns(table, (*_NEEDED, kelas), what="table", lang=lang, source="RiskModel.fit")
    unstable = label("model.tidak_stabil", lang)
    hotspot = label("model.hotspot", lang)
    # Templates are formatted here directly (label() would look them up once per row).
    template, point = label("model.narasi", lang), label("model.poin", lang)
    names = component_names(basis, lang, half_lives)
    trends = {t: label(f"model.tren_{t}", lang) for t in pd.unique(table["tren"])}
    comps = expected_by_source(table).itertuples(index=False, name=None)
    columns = ["nama", kelas, "risk_score", "peringkat", "tren", "score_lower", "score_upper"]
    columns += ["peringkat_lower", "peringkat_upper", "peringkat_stabil", "gi_label", "harapan"]
    n = len(table)
    return [
        template.format(
            nama=row["nama"],
            kelas=row[kelas],
            skor=row["risk_score"],
            peringkat=row["peringkat"],
            n=n,
            harapan=number(row["harapan"], lang, 1),
            hari=horizon_days,
            pendorong=_drivers(values, names, point, top, lang),
            tren=trends[row["tren"]],
            lo=row["score_lower"],
            hi=row["score_upper"],
            plo=row["peringkat_lower"],
            phi=row["peringkat_upper"],
            stabil="" if row["peringkat_stabil"] else unstable,
            hotspot=hotspot if row["gi_label"] == "hotspot" else "",
        )
        for row, values in zip(table[columns].to_dict("records"), comps, strict=True)
    ]


def method_note(
    profile: RiskProfile,
    *,
    seed: int,
    basis: str,
    as_of: pd.Timestamp,
    weights: Mapping[str, float] | None = None,
    lang: str = "id",
    half_lives: tuple[float, float] | None = None,
) -> str:
    """The method note of a score table (``scores.attrs["method_note_<lang>"]``).

    Parameters
    ----------
    profile
        The validated profile the scores were computed with.
    seed
        Seed of the bootstrap and the permutation tests.
    basis
        Exposure basis used (``dpt``, ``populasi``, ``tps``, ``unit``).
    as_of
        The cut-off date: data before it were used.
    weights
        Component weights actually used; when the structural weight was shared out (0 here but
        positive in the profile), the note says so. ``None``: the profile's weights.
    lang
        ``"id"`` or ``"en"``.
    half_lives
        Half-lives of the decayed counts used; ``None``: the profile's ``forecast`` ones.

    Examples
    --------
    >>> from pilkada_risk.config.profile import load_profile
    >>> note = method_note(load_profile(), seed=0, basis="unit",
    ...                    as_of=pd.Timestamp("2024-09-25"), lang="en")
    >>> note.endswith("Data before 2024-09-25.")
    True
    """
    check_lang(lang)
    used = profile.component_weights if weights is None else dict(weights)
    fc = profile.forecast
    text = label(
        "model.catatan_metode",
        lang,
        profil=profile.source,
        hash=profile.hash[:12],
        hari=fc.horizon_days,
        paruh="/".join(f"{float(h):g}" for h in (half_lives or fc.half_lives_days)),
        # "; " in Indonesian: its decimal comma would make "0,25, 0,20" ambiguous
        bobot=("; " if lang == "id" else ", ").join(
            f"{k} {number(v, lang, 2)}" for k, v in used.items() if v > 0
        ),
        seed=seed,
        basis=basis_label(basis, lang),
        b=profile.uncertainty.n_bootstrap,
        as_of=pd.Timestamp(as_of).date().isoformat(),
    )
    if used.get("struktural", 0.0) == 0 and profile.component_weights["struktural"] > 0:
        text += label("model.tanpa_struktural", lang)
    return text
