"""RiskModel: explainable, smoothed, spatially aware risk scores per kecamatan.

``risk_score = 100 * sum_k w_k * c_k`` over six components (see
:mod:`pilkada_risk.scoring.features` and
docs/metode.md); ``komponen_<k> = 100 * w_k * c_k`` add up to the
score.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from pilkada_risk._version import __version__
from pilkada_risk.config.i18n import label
from pilkada_risk.config.profile import COMPONENTS, load_profile
from pilkada_risk.scoring.classify import classify
from pilkada_risk.scoring.context import (
    align_context,
    exposure_base,
    exposure_notes,
    structural_component,
)
from pilkada_risk.scoring.features import (
    components,
    day_uplift,
    effective_weights,
    election_uplift,
    incident_features,
    mean_past_uplift,
)
from pilkada_risk.scoring.narrative import method_note, narratives
from pilkada_risk.scoring.smoothing import empirical_bayes
from pilkada_risk.scoring.spatial import build_graph, local_statistics, row_standardised
from pilkada_risk.scoring.sufficiency import assess_sufficiency, mask_spatial_labels
from pilkada_risk.scoring.trend import trend_labels

__all__ = ["RiskModel"]

_REQUIRED = ("tanggal", "kategori", "kec_kode")
_COLUMNS = (
    *"kode nama risk_score kelas kelas_ikp peringkat score_lower score_upper".split(),
    *"peringkat_lower peringkat_upper peringkat_stabil n_kejadian".split(),
    *(f"komponen_{k}" for k in COMPONENTS),
    *"tren gi_z gi_p gi_label lisa_q lisa_p lisa_label narasi narasi_en".split(),
)


def _rank_width(prof: Any, n_units: int) -> float:
    """Widest rank interval still "stable": ``max(rank_width_max, rank_width_share * n)``."""
    unc = prof.section("uncertainty")
    return max(float(unc["rank_width_max"]), float(unc["rank_width_share"]) * n_units)


class RiskModel:
    """Kamtibmas risk model per kecamatan (scikit-learn conventions).

    Parameters
    ----------
    profile
        ``None`` (shipped default), a TOML path, a dict or a :class:`~pilkada_risk.RiskProfile`.
    seed
        Seed of the bootstrap and the permutation tests; same data, profile and seed give
        identical scores.
    **params
        Profile overrides, e.g. ``half_life_days=180``, ``n_bootstrap=50``, ``permutations=99``
        (validated at :meth:`fit`).

    Attributes
    ----------
    daily_rate_
        Outside-election-window daily rate per kecamatan (basis of :meth:`expected_counts`).
    election_uplift_, uplift_table_
        Learned factor per election phase (all 1 when ``[forecast] election_uplift = false``)
        and its table (:func:`pilkada_risk.scoring.features.election_uplift`).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> areas = gpd.GeoDataFrame({"kode": ["a", "b", "c"], "nama": ["A", "B", "C"]},
    ...     geometry=[box(105, -5, 105.1, -4.9), box(105.1, -5, 105.2, -4.9),
    ...               box(105.2, -5, 105.3, -4.9)], crs=4326)
    >>> inc = pd.DataFrame({"tanggal": pd.to_datetime(["2024-01-05", "2024-03-01", "2024-06-01"]),
    ...     "kategori": ["curas", "politik_uang", "curat"], "kec_kode": ["a", "a", "b"]})
    >>> scores = RiskModel(n_bootstrap=20, permutations=0).fit(inc, areas).score()
    >>> scores["kode"].tolist()
    ['a', 'b', 'c']
    """

    def __init__(self, profile: Any = None, *, seed: int = 0, **params: Any) -> None:
        self.profile = profile
        self.seed = seed
        self.params = params

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {"profile": self.profile, "seed": self.seed, **self.params}

    def set_params(self, **params: Any) -> RiskModel:
        for key in ("profile", "seed"):
            if key in params:
                setattr(self, key, params.pop(key))
        self.params = {**self.params, **params}
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
        """Validate the inputs and learn the scores; returns ``self``.

        Only incidents with ``tanggal < as_of`` are used; ``as_of`` defaults to the day after
        the last incident.
        """
        prof = load_profile(self.profile).with_overrides(**self.params)
        missing = [c for c in _REQUIRED if c not in incidents.columns]
        if missing:
            raise ValueError(
                f"incidents: kolom wajib {missing} tidak ada (missing required columns); "
                f"ada: {list(incidents.columns)}; gunakan read_incidents(...).accepted"
            )
        for col in ("kode", "nama", "geometry"):
            if col not in areas.columns:
                raise ValueError(f"areas: missing column {col!r}; use load_kecamatan(kab_kode)")
        area = areas.sort_values("kode", ignore_index=True)
        codes = area["kode"].astype(str).tolist()
        inc = pd.DataFrame(
            {
                "tanggal": pd.to_datetime(incidents["tanggal"]).dt.normalize(),
                "kategori": incidents["kategori"].astype(str),
                "kec_kode": incidents["kec_kode"].astype(str),
            }
        )
        n_nat = int(inc["tanggal"].isna().sum())
        if n_nat:
            raise ValueError(
                f"incidents: {n_nat} baris dengan tanggal kosong (NaT) dari {len(inc)} "
                f"({n_nat} rows with a missing tanggal); gunakan read_incidents(...).accepted, "
                "yang mengarantina baris tanpa tanggal (use read_incidents, which quarantines them)"
            )
        unknown = sorted(set(inc["kategori"]) - set(prof.severity))
        if unknown:
            raise ValueError(
                f"incidents: kategori {unknown} tidak dikenal profil (unknown to the profile); "
                f"dikenal: {', '.join(prof.severity)}; tambahkan bobotnya di [severity]"
            )
        outside = sorted(set(inc["kec_kode"]) - set(codes))
        if outside:
            raise ValueError(
                f"incidents: kec_kode {outside} tidak ada di areas (not in areas: "
                f"{', '.join(codes)}); periksa kabupaten atau tempatkan ulang kejadian"
            )
        if inc.empty:
            raise ValueError("incidents: tidak ada kejadian (no incidents to score)")
        first = inc["tanggal"].min()
        cutoff = inc["tanggal"].max() + pd.Timedelta(days=1) if as_of is None else as_of
        cutoff = pd.Timestamp(cutoff).normalize()
        if cutoff <= first:
            raise ValueError(
                f"as_of={cutoff.date()} tidak setelah kejadian pertama {first.date()} "
                "(must be after the first incident); pilih tanggal yang lebih akhir"
            )
        inc = inc[inc["tanggal"] < cutoff]
        ctx = None if context is None else align_context(context, area)
        unit = pd.Index(codes).get_indexer(inc["kec_kode"]).astype(np.int64)
        feats = incident_features(
            unit, inc["tanggal"], inc["kategori"], n_units=len(codes), as_of=cutoff, profile=prof
        )
        exposure, basis = exposure_base(ctx, prof.section("exposure")["basis"])
        if exposure.size == 0:
            exposure = np.ones(len(codes))
        structural, factors, struct_notes = structural_component(ctx, prof)
        names = dict(zip(codes, area["nama"].astype(str), strict=True))
        auto = prof.section("exposure")["basis"] == "auto"
        self.exposure_notes_ = exposure_notes(ctx, basis, names) if auto else []
        struct_notes = [*self.exposure_notes_, *struct_notes]
        weights = effective_weights(prof, has_structural=structural is not None)
        sp = prof.section("spatial")
        graph, note = build_graph(area, buffer_m=sp["buffer_m"], island_k=sp["island_k"])
        lag_w = row_standardised(graph)
        kwargs = {
            "exposure": exposure,
            "lag_weights": lag_w,
            "structural": structural,
            "mean_severity": feats.mean_severity,
            "profile": prof,
            "observed_periods": feats.observed_periods,
        }
        scaled, raw = components(feats.aggregates(), **kwargs)  # type: ignore[arg-type]
        w = np.array([weights[k] for k in COMPONENTS])
        contrib = 100.0 * scaled[0] * w
        score = contrib.sum(axis=1)
        lower, upper, rank_lo, rank_hi = self._bootstrap(feats, w, kwargs, prof, score)
        order = np.lexsort((np.array(codes), -score))
        rank = np.empty(len(codes), dtype=int)
        rank[order] = np.arange(1, len(codes) + 1)
        stats = local_statistics(
            raw["laju"][0],
            graph,
            permutations=sp["permutations"],
            fdr_alpha=sp["fdr_alpha"],
            seed=self.seed,
        )
        note = "; ".join(n for n in (note, stats.attrs.get("note", "")) if n)
        tr = prof.section("trend")
        tlabels, _ = trend_labels(
            feats.period_counts(int(tr["n_periods"])),
            recent_periods=int(tr["recent_periods"]),
            mk_alpha=float(tr["mk_alpha"]),
            persistent_share=float(tr["persistent_share"]),
        )
        self.profile_, self.as_of_, self.graph_, self.spatial_note_ = prof, cutoff, graph, note
        self.weights_, self.exposure_basis_, self.structural_notes_ = weights, basis, struct_notes
        self.structural_factors_ = factors
        self.components_ = pd.DataFrame(scaled[0], index=codes, columns=list(COMPONENTS))
        self.raw_ = pd.DataFrame({k: v[0] for k, v in raw.items()}, index=codes)
        decayed = feats.aggregates()["hitung_decay"][0]
        mean_uplift = self._learn_uplift(inc["tanggal"], first, cutoff, prof)
        self.daily_rate_ = pd.Series(
            empirical_bayes(decayed, exposure) * exposure / (feats.effective_days * mean_uplift),
            index=codes,
        )
        table = pd.DataFrame(
            {
                "kode": codes,
                "nama": area["nama"].astype(str).to_numpy(),
                "risk_score": score,
                "peringkat": rank,
                "score_lower": lower,
                "score_upper": upper,
                "peringkat_lower": rank_lo,
                "peringkat_upper": rank_hi,
                "n_kejadian": np.bincount(unit, minlength=len(codes)),
                **{f"komponen_{k}": contrib[:, i] for i, k in enumerate(COMPONENTS)},
                "tren": tlabels,
            }
        )
        table["peringkat_stabil"] = (rank_hi - rank_lo) <= _rank_width(prof, len(codes))
        table = table.join(stats, on="kode")
        # Data sufficiency (scoring/sufficiency.py): no Gi*/LISA label below the minimum count.
        table = mask_spatial_labels(table, len(inc), prof.section("sufficiency"))
        self._classes(table, prof)
        table["narasi"] = narratives(table, basis=basis, lang="id")
        table["narasi_en"] = narratives(table, basis=basis, lang="en")
        self.scores_ = self._frame(table, area, incidents, prof, cutoff, len(inc))
        return self

    def _learn_uplift(
        self, tanggal: pd.Series, first: pd.Timestamp, cutoff: pd.Timestamp, prof: Any
    ) -> float:
        """Set ``uplift_table_``/``election_uplift_``; return the past days' mean uplift."""
        fc = {"election_uplift": False, "uplift_prior": 2.0, **prof.data.get("forecast", {})}
        table = election_uplift(tanggal, start=first, as_of=cutoff, prior=float(fc["uplift_prior"]))
        if not fc["election_uplift"]:
            table = table.assign(faktor=1.0)
        self.uplift_table_ = table
        self.election_uplift_ = {str(k): float(v) for k, v in table["faktor"].items()}
        if not fc["election_uplift"]:
            return 1.0
        half = float(prof.section("time")["half_life_days"])
        return mean_past_uplift(first, cutoff, self.election_uplift_, half_life=half)

    def _bootstrap(
        self, feats: Any, w: np.ndarray, kwargs: dict[str, Any], prof: Any, score: np.ndarray
    ) -> tuple[np.ndarray, ...]:
        unc = prof.section("uncertainty")
        n_boot = int(unc["n_bootstrap"])
        if n_boot == 0 or feats.unit.size == 0:
            ranks = np.argsort(np.argsort(-score, kind="stable"), kind="stable") + 1
            return score.copy(), score.copy(), ranks, ranks
        rng = np.random.default_rng(self.seed)
        chunk = max(1, min(n_boot, 4_000_000 // max(feats.unit.size, 1)))
        boot = []
        for start in range(0, n_boot, chunk):
            size = min(chunk, n_boot - start)
            pw = rng.poisson(1.0, size=(size, feats.unit.size)).astype(float)
            scaled, _ = components(feats.aggregates(pw), **kwargs)
            boot.append(100.0 * (scaled * w).sum(axis=2))
        scores = np.vstack(boot)
        ranks = np.argsort(np.argsort(-scores, axis=1, kind="stable"), axis=1) + 1
        lo_q, hi_q = (float(q) for q in unc["interval"])
        lower = np.minimum(np.percentile(scores, lo_q, axis=0), score)
        upper = np.maximum(np.percentile(scores, hi_q, axis=0), score)
        rank_lo = np.floor(np.percentile(ranks, lo_q, axis=0)).astype(int)
        rank_hi = np.ceil(np.percentile(ranks, hi_q, axis=0)).astype(int)
        return lower, upper, rank_lo, rank_hi

    def _classes(self, table: pd.DataFrame, prof: Any) -> None:
        cls, ikp = prof.section("classes"), prof.section("ikp")
        y = table["risk_score"].to_numpy()
        kw = {"scheme": cls["scheme"], "cutoffs": cls.get("cutoffs", ())}
        table["kelas"] = classify(y, cls["labels_id"], **kw)
        table["kelas_en"] = classify(y, cls["labels_en"], **kw)
        table["kelas_ikp"] = classify(y, ikp["labels_id"], cutoffs=ikp["cutoffs"])
        table["kelas_ikp_en"] = classify(y, ikp["labels_en"], cutoffs=ikp["cutoffs"])

    def _frame(
        self,
        table: pd.DataFrame,
        area: gpd.GeoDataFrame,
        incidents: pd.DataFrame,
        prof: Any,
        as_of: pd.Timestamp,
        n_used: int,
    ) -> gpd.GeoDataFrame:
        geo = gpd.GeoDataFrame(
            table[list(_COLUMNS)], geometry=area.geometry.to_numpy(), crs=area.crs
        ).sort_values("peringkat", ignore_index=True)
        notes = {
            lang: method_note(
                prof,
                seed=self.seed,
                basis=self.exposure_basis_,
                as_of=as_of,
                weights=self.weights_,
                lang=lang,
            )
            for lang in ("id", "en")
        }
        if self.exposure_notes_:
            for lang in ("id", "en"):
                notes[lang] += label("model.eksposur_kosong", lang, basis=self.exposure_basis_)
        kab = area["kab_kode"].iloc[0] if "kab_kode" in area else ""
        geo.attrs = {
            "profile": prof.to_dict(),
            "profile_hash": prof.hash,
            "as_of": as_of.date().isoformat(),
            "kab_kode": str(kab),
            "kab_nama": str(area["kab_nama"].iloc[0]) if "kab_nama" in area else "",
            "source_sha256": incidents.attrs.get("source_sha256", ""),
            "source_name": incidents.attrs.get("source_name", ""),
            "synthetic": bool(incidents.attrs.get("synthetic", False)),
            "n_incidents": int(n_used),
            "software_version": __version__,
            "boundary_source": dict(area.attrs.get("source", {})),
            "spatial_note": self.spatial_note_,
            "exposure_basis": self.exposure_basis_,
            "weights_used": dict(self.weights_),
            "structural_notes": list(self.structural_notes_),
            "method_note_id": notes["id"],
            "method_note_en": notes["en"],
            "election_uplift": dict(self.election_uplift_),
        }
        # Data sufficiency (scoring/sufficiency.py): data_sufficient, data_warnings, data_basis.
        geo.attrs.update(
            assess_sufficiency(geo, incidents, as_of=as_of, settings=prof.section("sufficiency"))
        )
        return geo

    # --------------------------------------------------------------- outputs
    def _check_fitted(self) -> None:
        if not hasattr(self, "scores_"):
            raise RuntimeError("RiskModel is not fitted; call fit(incidents, areas) first")

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
        """Per component of one kecamatan: raw value, 0–1 value, weight and points.

        Columns ``komponen``, ``label_id``, ``label_en``, ``nilai_mentah``, ``nilai_normal``,
        ``bobot``, ``kontribusi``; ``kontribusi`` sums to the kecamatan's ``risk_score``.
        """
        self._check_fitted()
        if kode not in self.components_.index:
            raise KeyError(
                f"kode {kode!r} tidak dikenal (unknown); valid: {', '.join(self.components_.index)}"
            )
        basis = {lang: label(f"model.basis_{self.exposure_basis_}", lang) for lang in ("id", "en")}
        rows = []
        for k in COMPONENTS:
            norm = float(self.components_.at[kode, k])  # type: ignore[arg-type]
            rows.append(
                {
                    "komponen": k,
                    "label_id": label(f"model.komponen_{k}", "id", basis=basis["id"]),
                    "label_en": label(f"model.komponen_{k}", "en", basis=basis["en"]),
                    "nilai_mentah": float(self.raw_.at[kode, k]),  # type: ignore[arg-type]
                    "nilai_normal": norm,
                    "bobot": self.weights_[k],
                    "kontribusi": 100.0 * self.weights_[k] * norm,
                }
            )
        return pd.DataFrame(rows)

    def expected_counts(self, horizon: str | pd.Timedelta = "90D") -> pd.Series:
        """Expected incidents per kecamatan in ``[as_of, as_of + horizon)``.

        ``daily_rate_`` (the outside-window daily rate: recency-decayed counts, no severity or
        emphasis, EB-smoothed per exposure, divided by the decay's effective days
        :math:`\\int_0^T 0.5^{t/h} dt` times the recency-weighted mean uplift of the past days)
        times the sum over the horizon's days of ``election_uplift_`` of each day's phase (1
        outside election windows; a partial last day counts pro rata).
        """
        self._check_fitted()
        days = pd.Timedelta(horizon) / pd.Timedelta(days=1)
        if not days >= 0:
            raise ValueError(f"horizon={horizon!r}: must be >= 0 days, e.g. '90D'")
        whole = int(np.ceil(days))
        factors = day_uplift(self.as_of_, whole, self.election_uplift_)
        if whole:
            factors[-1] *= days - (whole - 1)
        total = float(factors.sum())
        return (self.daily_rate_ * total).rename("expected").rename_axis("kode")
