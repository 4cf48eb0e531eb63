"""RiskModel: expected incidents per kecamatan, and the risk score, classes and text built on them.

Forecast first (``docs/metode.md``): the expected incidents of each kecamatan over the horizon
are a weighted sum of simple estimators (:mod:`pilkada_risk.scoring.forecast`). The forecast is
chosen on the register's own past among the all-history count, decayed counts and learned
weights (:mod:`pilkada_risk.scoring.learning`); the verdict sentence says which and how it did
(:mod:`pilkada_risk.scoring.skill`). ``risk_score = 100 * expected / max(expected)`` and
``komponen_<k> = 100 * w_k * term_k / max(expected)`` add up to it exactly.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from pilkada_risk._version import __version__
from pilkada_risk.config.i18n import label
from pilkada_risk.config.profile import COMPONENTS, RiskProfile, load_profile
from pilkada_risk.errors import NotFittedError
from pilkada_risk.io.number_format import number
from pilkada_risk.scoring import _fit
from pilkada_risk.scoring.features import day_uplift
from pilkada_risk.scoring.learning import Selection
from pilkada_risk.scoring.narrative import component_names, method_note
from pilkada_risk.scoring.provenance import Provenance
from pilkada_risk.scoring.skill import ranking_basis, skill_record
from pilkada_risk.scoring.sufficiency import assess_sufficiency

__all__ = ["RiskModel"]

_COLUMNS = (
    *"kode nama risk_score harapan kelas kelas_ikp peringkat score_lower score_upper".split(),
    *"peringkat_lower peringkat_upper peringkat_stabil n_kejadian".split(),
    *(f"komponen_{k}" for k in COMPONENTS),
    *"tren gi_z gi_p gi_label lisa_q lisa_p lisa_label narasi narasi_en".split(),
)


class RiskModel:
    """Kamtibmas risk model per kecamatan (scikit-learn conventions; ``clone`` works).

    Parameters
    ----------
    profile
        ``None`` (shipped default), a TOML path, a dict or a :class:`~pilkada_risk.RiskProfile`.
    weights
        ``"learned"``, ``"profile"`` (the expert weights) or ``"count"`` (long-run rate only);
        ``None``: the profile's ``learning.weights`` (default ``"learned"``: choose on held-out
        origins among the all-history count, decayed counts at ``learning.count_half_lives_days``
        and learned weights, keeping the all-history count unless another beats it by more than
        ``learning.tie_margin``, and when the history is too short to test them; see
        :mod:`pilkada_risk.scoring.learning`).
    seed
        Seed of the bootstrap and the permutation tests; same data, profile and seed give
        identical scores.
    overrides
        Profile overrides, e.g. ``{"n_bootstrap": 50, "permutations": 99}`` (validated at
        :meth:`fit`; see :meth:`RiskProfile.with_overrides`).

    Attributes
    ----------
    profile_ : RiskProfile
        The validated profile (with overrides).
    as_of_ : pandas.Timestamp
        Cut-off: incidents before it were used.
    horizon_days_ : int
        Horizon of ``risk_score`` and ``harapan``.
    terms_ : pandas.DataFrame
        Per kecamatan (index ``kode``) and term (:data:`COMPONENTS`): expected incidents of that
        estimator alone over the horizon (weight 1).
    contributions_ : pandas.DataFrame
        ``terms_`` times ``weights_``: expected incidents by source; rows sum to ``expected_``.
    expected_ : pandas.Series
        Expected incidents over the horizon (the ranking quantity).
    daily_rate_ : pandas.Series
        Expected incidents per day outside election windows (the count terms, weighted).
    weights_ : dict
        Weights used per term; ``weights_mode_`` (``learned``, ``count``, ``decayed_count``,
        ``profile``) and ``selection_`` (:class:`~pilkada_risk.scoring.learning.Selection`:
        choice, reason, learned weights, checks) say how they were chosen. With a decayed count
        the ``intensitas`` term is that count (half-life ``half_lives_[0]``) and carries the
        election-stage uplift (``uplift_on_``).
    skill_ : dict
        The choice, its runner-up, every candidate's held-out metrics and the verdict sentence
        (also ``scores.attrs["skill"]``; :func:`pilkada_risk.scoring.skill.skill_record`).
    candidate_forecasts_ : pandas.DataFrame
        Expected incidents per kecamatan (index ``kode``) of every candidate forecast at
        ``as_of`` (columns ``count``, ``count_h<days>``, ``learned``).
    election_uplift_, uplift_table_
        Factor per election phase learned before ``as_of`` and its table
        (:func:`pilkada_risk.scoring.features.election_uplift`).
    graph_, spatial_note_
        Neighbour graph and the note on island links.
    exposure_basis_, exposure_notes_, structural_factors_, structural_notes_
        Exposure used by the long-run rate, and the structural factors found in ``context``.
    provenance_ : Provenance
        Lineage of the table; ``scores.attrs`` is ``provenance_.as_attrs()``.
    scores_ : geopandas.GeoDataFrame
        The score table returned (as a copy) by :meth:`score`.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> areas = gpd.GeoDataFrame({"kode": ["a", "b", "c"], "nama": ["A", "B", "C"]},
    ...     geometry=[box(105, -5, 105.1, -4.9), box(105.1, -5, 105.2, -4.9),
    ...               box(105.2, -5, 105.3, -4.9)], crs=4326)
    >>> inc = pd.DataFrame({"tanggal": pd.to_datetime(["2024-01-05", "2024-03-01", "2024-06-01"]),
    ...     "kategori": ["curas", "politik_uang", "curat"], "kec_kode": ["a", "a", "b"]})
    >>> fast = {"n_bootstrap": 20, "permutations": 0}
    >>> scores = RiskModel(overrides=fast).fit(inc, areas).score()
    >>> scores["kode"].tolist()
    ['a', 'b', 'c']
    >>> scores.attrs["weights_mode"], scores.attrs["weights_reason"]
    ('count', 'short_history')
    >>> scores.attrs["verdict_en"][:68]
    'This ranking = the count of all past incidents (no time weighting); '
    """

    profile_: RiskProfile
    as_of_: pd.Timestamp
    horizon_days_: int
    terms_: pd.DataFrame
    contributions_: pd.DataFrame
    expected_: pd.Series
    daily_rate_: pd.Series
    weights_: dict[str, float]
    weights_mode_: str
    selection_: Selection
    skill_: dict[str, Any]
    candidate_forecasts_: pd.DataFrame
    half_lives_: tuple[float, float]
    uplift_on_: str
    election_uplift_: dict[str, float]
    uplift_table_: pd.DataFrame
    graph_: Any
    spatial_note_: str
    exposure_basis_: str
    exposure_notes_: list[str]
    structural_factors_: pd.DataFrame
    structural_notes_: list[str]
    provenance_: Provenance
    scores_: gpd.GeoDataFrame

    def __init__(
        self,
        profile: Any = None,
        *,
        weights: str | None = None,
        seed: int = 0,
        overrides: dict[str, Any] | None = None,
    ) -> None:
        self.profile = profile
        self.weights = weights
        self.seed = seed
        self.overrides = overrides

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Constructor parameters (scikit-learn API)."""
        return {
            "profile": self.profile,
            "weights": self.weights,
            "seed": self.seed,
            "overrides": self.overrides,
        }

    def set_params(self, **params: Any) -> RiskModel:
        """Set constructor parameters; unknown names are profile overrides."""
        for key in ("profile", "weights", "seed", "overrides"):
            if key in params:
                setattr(self, key, params.pop(key))
        if params:
            self.overrides = {**(self.overrides or {}), **params}
        return self

    # ------------------------------------------------------------------ fit
    def fit(
        self,
        incidents: pd.DataFrame,
        areas: gpd.GeoDataFrame,
        *,
        as_of: Any = None,
        context: pd.DataFrame | None = None,
    ) -> RiskModel:
        """Validate the inputs, learn the forecast and build the score table; returns ``self``.

        Only incidents with ``tanggal < as_of`` are used; ``as_of`` defaults to the day after
        the last incident.
        """
        prof = load_profile(self.profile).with_overrides(**(self.overrides or {}))
        mode = self.weights or prof.learning.weights
        if mode not in ("learned", "profile", "count"):
            raise ValueError(f"weights={mode!r}; allowed: learned, profile, count")
        state = _fit.estimate(incidents, areas, as_of, context, prof, mode=mode, seed=self.seed)
        for name, value in state.attributes.items():
            setattr(self, name, value)
        self.profile_ = prof
        table = state.table
        self.provenance_ = self._provenance(state, areas, incidents, prof)
        self.scores_ = self._frame(table, state.area)
        # Data sufficiency (scoring/sufficiency.py): data_sufficient, data_warnings, data_basis.
        self.provenance_.extra.update(
            assess_sufficiency(
                self.scores_, incidents, as_of=self.as_of_, settings=prof.sufficiency
            )
        )
        self.scores_.attrs = self.provenance_.as_attrs()
        return self

    def _provenance(
        self, state: Any, areas: gpd.GeoDataFrame, incidents: pd.DataFrame, prof: Any
    ) -> Provenance:
        basis, sel, horizon = self.exposure_basis_, self.selection_, self.horizon_days_
        self.skill_ = skill_record(sel, tie_margin=prof.learning.tie_margin)
        verdict = {lang: self.skill_[f"verdict_{lang}"] for lang in ("id", "en")}
        notes = {
            lang: method_note(
                prof, seed=self.seed, basis=basis, as_of=self.as_of_, weights=self.weights_,
                lang=lang, half_lives=self.half_lives_,
            )
            + " " + verdict[lang] + state.class_note[lang]
            for lang in ("id", "en")
        }  # fmt: skip
        if self.exposure_notes_:
            for lang in ("id", "en"):
                notes[lang] += label("model.eksposur_kosong", lang, basis=basis)
        area = state.area
        return Provenance(
            profile=prof.to_dict(),
            profile_hash=prof.hash,
            as_of=self.as_of_.date().isoformat(),
            kab_kode=str(area["kab_kode"].iloc[0]) if "kab_kode" in area else "",
            kab_nama=str(area["kab_nama"].iloc[0]) if "kab_nama" in area else "",
            source_sha256=incidents.attrs.get("source_sha256", ""),
            source_name=incidents.attrs.get("source_name", ""),
            synthetic=bool(incidents.attrs.get("synthetic", False)),
            n_incidents=int(state.n_used),
            software_version=__version__,
            boundary_source=dict(areas.attrs.get("source", {})),
            spatial_note=self.spatial_note_,
            exposure_basis=basis,
            horizon_days=horizon,
            weights_used=dict(self.weights_),
            weights_mode=sel.mode,
            weights_reason=sel.reason,
            weights_learned=None if sel.learned is None else dict(sel.learned),
            weights_profile=dict(state.expert),
            forecast_choice=sel.choice,
            skill=self.skill_,
            verdict_id=verdict["id"],
            verdict_en=verdict["en"],
            skill_note_id=verdict["id"],
            skill_note_en=verdict["en"],
            class_rule=state.class_note["en"].strip(),
            structural_notes=list(self.structural_notes_),
            method_note_id=notes["id"],
            method_note_en=notes["en"],
            election_uplift=dict(self.election_uplift_),
        )

    def _frame(self, table: pd.DataFrame, area: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        geo = gpd.GeoDataFrame(
            table[list(_COLUMNS)], geometry=area.geometry.to_numpy(), crs=area.crs
        ).sort_values("peringkat", ignore_index=True)
        geo.attrs = self.provenance_.as_attrs()
        return geo

    # --------------------------------------------------------------- outputs
    def _check_fitted(self) -> None:
        if not hasattr(self, "scores_"):
            raise NotFittedError("RiskModel is not fitted; call fit(incidents, areas) first")

    def score(self) -> gpd.GeoDataFrame:
        """Return the scores (a new GeoDataFrame per call), sorted by ``peringkat``."""
        self._check_fitted()
        out = self.scores_.copy()
        out.attrs = {
            k: (v.copy() if isinstance(v, dict | list) else v)
            for k, v in self.scores_.attrs.items()
        }
        return out

    def explain(self, kode: str) -> pd.DataFrame:
        """Per source of one kecamatan: expected incidents, weight and score points.

        Columns ``komponen``, ``label_id``, ``label_en``, ``nilai_mentah`` (expected incidents
        of that estimator alone), ``bobot`` (weight), ``harapan`` (expected incidents from this
        source; they sum to the kecamatan's expectation) and ``kontribusi`` (score points; they
        sum to its ``risk_score``). ``attrs["kalimat_id"]``/``["kalimat_en"]``: the sentence
        "of 4.2 expected incidents: 2.1 from the long-run rate, ..."; ``attrs["dasar_id"]``/
        ``["dasar_en"]``: what the ranking is ("Peringkat ini = hitungan kejadian dengan bobot
        waktu paruh 180 hari").
        """
        self._check_fitted()
        if kode not in self.terms_.index:
            raise KeyError(
                f"kode {kode!r} tidak dikenal (unknown); valid: {', '.join(self.terms_.index)}"
            )
        names = {
            lang: component_names(self.exposure_basis_, lang, self.half_lives_)
            for lang in ("id", "en")
        }
        top = float(self.expected_.max())
        rows = [
            {
                "komponen": k,
                "label_id": names["id"][k],
                "label_en": names["en"][k],
                "nilai_mentah": float(self.terms_.at[kode, k]),  # type: ignore[arg-type]
                "bobot": self.weights_[k],
                "harapan": float(self.contributions_.at[kode, k]),  # type: ignore[arg-type]
            }
            for k in COMPONENTS
        ]
        out = pd.DataFrame(rows)
        out["kontribusi"] = 100.0 * out["harapan"] / top if top > 0 else 0.0
        total = float(self.expected_[kode])
        for lang in ("id", "en"):
            parts = ", ".join(
                label("model.poin", lang, nilai=number(h, lang, 1), label=name)
                for h, name in zip(out["harapan"], out[f"label_{lang}"], strict=True)
                if h > 0.005
            )
            head = (
                "dari {t} kejadian yang diharapkan" if lang == "id" else "of {t} expected incidents"
            )
            out.attrs[f"kalimat_{lang}"] = f"{head.format(t=number(total, lang, 1))}: {parts}"
            out.attrs[f"dasar_{lang}"] = ranking_basis(self.skill_, lang)
        return out

    def expected_counts(self, horizon: str | pd.Timedelta = "90D") -> pd.Series:
        """Expected incidents per kecamatan in ``[as_of, as_of + horizon)``.

        The count terms' daily rates times the horizon's days, plus the election-stage term:
        the long-run rate times the excess of the horizon's election-phase factors over 1
        (``election_uplift_``; a partial last day counts pro rata), each with its weight. The
        uplift applies to the rate of ``uplift_on_`` (the decayed count when it is the forecast).
        """
        self._check_fitted()
        days = pd.Timedelta(horizon) / pd.Timedelta(days=1)
        if not days >= 0:
            raise ValueError(f"horizon={horizon!r}: must be >= 0 days, e.g. '90D'")
        whole = int(np.ceil(days))
        factors = day_uplift(self.as_of_, whole, self.election_uplift_)
        if whole:
            factors[-1] *= days - (whole - 1)
        excess = max(float(factors.sum()) - days, 0.0)
        base = self.terms_[self.uplift_on_] / self.horizon_days_
        out = self.daily_rate_ * days + self.weights_["tren"] * base * excess
        return out.rename("expected").rename_axis("kode")
