"""Incident taxonomy: category codes, groups and synonyms kept as data (``data/taxonomy.toml``).

Matching is on normalised text (lower case, accents and punctuation removed, spaces collapsed):
first the code itself, its labels and its synonyms exactly, then fuzzy (rapidfuzz ``ratio``) at
or above a cut-off, reported as a repair by the caller.
"""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pandas as pd
from rapidfuzz import fuzz, process

from pilkada_risk.io.files import package_data

__all__ = ["CategoryMatch", "Taxonomy", "load_taxonomy", "normalize_label"]

DEFAULT_CUTOFF = 85.0


def normalize_label(text: object) -> str:
    """Normalise a category label for matching.

    Examples
    --------
    >>> normalize_label("  Pencurian-Dengan  Kekerasan (CURAS) ")
    'pencurian dengan kekerasan curas'
    """
    decomposed = unicodedata.normalize("NFKD", str(text))
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text).split())


class CategoryMatch(NamedTuple):
    """Result of :meth:`Taxonomy.resolve`: ``code`` (None when unknown), the synonym matched,
    the similarity score (100 for exact) and whether the match was exact."""

    code: str | None
    synonym: str | None
    score: float
    exact: bool


@dataclass(frozen=True)
class Taxonomy:
    """Category codes with their group, labels and synonyms.

    Build it with :func:`load_taxonomy`. ``frame`` has one row per category.
    """

    frame: pd.DataFrame
    groups: dict[str, dict[str, str]]
    _lookup: dict[str, str] = field(repr=False)

    @property
    def codes(self) -> list[str]:
        """Category codes in file order."""
        return list(self.frame["code"])

    def match(self, text: object) -> str | None:
        """Return the code whose code, label or synonym equals ``text`` once normalised.

        Examples
        --------
        >>> load_taxonomy().match("Money Politics")
        'politik_uang'
        """
        return self._lookup.get(normalize_label(text))

    def resolve(self, text: object, *, cutoff: float = DEFAULT_CUTOFF) -> CategoryMatch:
        """Match exactly, else fuzzily (score >= ``cutoff``, 0-100); ``code`` is None if neither.

        Examples
        --------
        >>> load_taxonomy().resolve("politk uang").code
        'politik_uang'
        """
        key = normalize_label(text)
        if key in self._lookup:
            return CategoryMatch(self._lookup[key], key, 100.0, True)
        stripped = normalize_label(re.sub(r"\(.*?\)", " ", str(text)))
        if stripped in self._lookup:
            return CategoryMatch(self._lookup[stripped], stripped, 100.0, True)
        if not key:
            return CategoryMatch(None, None, 0.0, False)
        best = process.extractOne(key, list(self._lookup), scorer=fuzz.ratio, score_cutoff=cutoff)
        if best is None:
            return CategoryMatch(None, None, 0.0, False)
        return CategoryMatch(self._lookup[best[0]], best[0], float(best[1]), False)

    def suggest(self, text: object, n: int = 3) -> list[str]:
        """Return the ``n`` codes closest to ``text`` (best first), for quarantine messages.

        Examples
        --------
        >>> load_taxonomy().suggest("pencurian ternak", n=2)[0]
        'curat'
        """
        key = normalize_label(text)
        scored: dict[str, float] = {}
        for synonym, score, _ in process.extract(
            key, list(self._lookup), scorer=fuzz.WRatio, limit=None
        ):
            code = self._lookup[synonym]
            scored[code] = max(scored.get(code, 0.0), float(score))
        order = {code: pos for pos, code in enumerate(self.frame["code"])}
        return sorted(scored, key=lambda c: (-scored[c], order[c]))[:n]

    def with_synonyms(self, extra: Mapping[str, str]) -> Taxonomy:
        """Return a copy with extra ``{label: code}`` synonyms (codes must exist)."""
        unknown = sorted({code for code in extra.values() if code not in set(self.codes)})
        if unknown:
            raise ValueError(
                f"categories: codes {unknown} are not in the taxonomy; use one of "
                f"{', '.join(self.codes)} or add the category in a TOML file"
            )
        frame = self.frame.copy()
        synonyms: list[list[str]] = [list(s) for s in frame["sinonim"]]
        codes = list(frame["code"])
        for label, code in extra.items():
            synonyms[codes.index(code)].append(label)
        frame["sinonim"] = pd.Series(synonyms, index=frame.index, dtype=object)
        return _from_frame(frame, self.groups)


def _from_frame(frame: pd.DataFrame, groups: dict[str, dict[str, str]]) -> Taxonomy:
    lookup: dict[str, str] = {}
    # Later categories never steal an earlier synonym; duplicates are reported at load time.
    columns = [frame[c].tolist() for c in ("code", "label_id", "label_en", "sinonim")]
    for code, label_id, label_en, synonyms in zip(*columns, strict=True):
        for text in [code, label_id, label_en, *synonyms]:
            lookup.setdefault(normalize_label(text), str(code))
    lookup.pop("", None)
    return Taxonomy(frame=frame.reset_index(drop=True), groups=groups, _lookup=lookup)


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = {**base, "groups": {**base.get("groups", {}), **extra.get("groups", {})}}
    categories = {code: dict(spec) for code, spec in base.get("categories", {}).items()}
    for code, spec in extra.get("categories", {}).items():
        current = categories.get(code, {})
        synonyms = [*current.get("sinonim", []), *spec.get("sinonim", [])]
        categories[code] = {**current, **spec, "sinonim": synonyms}
    merged["categories"] = categories
    return merged


def load_taxonomy(path: str | os.PathLike[str] | None = None) -> Taxonomy:
    """Load the shipped taxonomy, optionally merged with an analyst's TOML of the same shape.

    Parameters
    ----------
    path
        A TOML file with ``[categories.<code>]`` tables (``group``, ``label_id``, ``label_en``,
        ``sinonim`` ...). New codes are added; for existing codes the fields given replace the
        shipped ones and ``sinonim`` lists are concatenated. ``None``: the shipped file only.

    Examples
    --------
    >>> tax = load_taxonomy()
    >>> tax.match("Perusakan APK"), "pemilu" in tax.groups
    ('perusakan_apk', True)
    """
    with open(package_data("taxonomy.toml"), "rb") as fh:
        doc = tomllib.load(fh)
    if path is not None:
        with open(path, "rb") as fh:
            doc = _merge(doc, tomllib.load(fh))
    groups = doc.get("groups", {})
    rows = []
    for code, spec in doc.get("categories", {}).items():
        group = spec.get("group")
        if group not in groups:
            raise ValueError(
                f"{path or 'taxonomy.toml'}: category {code!r} has group {group!r}; "
                f"allowed groups are {', '.join(groups)} (or add a [groups] entry)"
            )
        rows.append(
            {
                "code": code,
                "group": group,
                "label_id": spec.get("label_id", code),
                "label_en": spec.get("label_en", code),
                "ancaman_maks_tahun": spec.get("ancaman_maks_tahun", 0),
                "dasar": spec.get("dasar", ""),
                "sinonim": list(spec.get("sinonim", [])),
            }
        )
    return _from_frame(pd.DataFrame(rows), groups)
