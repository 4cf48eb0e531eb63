"""Place-name normalisation and matching for kecamatan and desa names.

Registers spell places in many ways ("Kec. Pesisir Tengah", "Wai Krui", "Sukanegara",
"Pekon Sumber Rejo"). :func:`normalize_name` reduces a name to a canonical key, :func:`alias_table`
lists every key of a set of areas (official names and alternative names), and :func:`match_name`
finds the code(s) for a raw name: exact key first, then the key without spaces, then fuzzy
matching (rapidfuzz ``fuzz.ratio``, 0–100) at or above ``cutoff`` (default
:data:`DEFAULT_CUTOFF` = 85). A name shared by several areas (desa names repeat across kecamatan)
returns every matching code and no single ``kode``. To match many names against one table (e.g.
every desa of Indonesia), build its :class:`NameIndex` once and pass that to :func:`match_name`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
from rapidfuzz import fuzz, process

from pilkada_risk.config.columns import validate_columns
from pilkada_risk.config.i18n import label

__all__ = [
    "DEFAULT_CUTOFF",
    "MatchResult",
    "NameIndex",
    "alias_table",
    "kecamatan_aliases",
    "match_name",
    "normalize_name",
]

#: Minimum rapidfuzz ``fuzz.ratio`` (0–100) for a fuzzy match. Chosen so that one or two typing
#: errors in a 10-letter name still match ("Pesisir Tenga" → 96, "Krui Selatn" → 96) while
#: distinct short names do not ("Lemong" vs "Lemang" → 83).
DEFAULT_CUTOFF = 85.0
#: Fuzzy candidates within this many points of the best score make the match ambiguous.
AMBIGUITY_MARGIN = 3.0

_PREFIXES = frozenset({"kecamatan", "kec", "desa", "pekon", "kelurahan", "kel", "kabupaten", "kab"})
# Compound-name heads written both joined and apart ("Suka Negara"/"Sukanegara").
_JOIN_HEADS = frozenset(
    {"suka", "sumber", "sido", "karang", "mekar", "marga", "margo", "purwa", "purwo", "banjar"}
)
_ROMAN = {
    "i": "satu",
    "ii": "dua",
    "iii": "tiga",
    "iv": "empat",
    "v": "lima",
    "vi": "enam",
    "vii": "tujuh",
    "viii": "delapan",
    "ix": "sembilan",
    "x": "sepuluh",
}
_DIGITS = {str(n): word for n, word in enumerate(_ROMAN.values(), start=1)}
_WORDS = {"wai": "way", "cahya": "cahaya", **_ROMAN, **_DIGITS}
_APOSTROPHES = re.compile(r"['\u2019\u2018`\u00b4]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DOUBLE = re.compile(r"([a-z])\1+")


def _once(text: str) -> str:
    text = _APOSTROPHES.sub("", text)
    tokens = _NON_ALNUM.sub(" ", text).split()
    while len(tokens) > 1 and tokens[0] in _PREFIXES:
        tokens = tokens[1:]
    # Roman numerals first ("ii" is two, not a doubled "i"), then doubled letters.
    tokens = [
        _WORDS.get(t) or _WORDS.get(_DOUBLE.sub(r"\1", t), _DOUBLE.sub(r"\1", t)) for t in tokens
    ]
    joined: list[str] = []
    for tok in tokens:
        if joined and joined[-1] in _JOIN_HEADS:
            joined[-1] = _DOUBLE.sub(r"\1", joined[-1] + tok)
        else:
            joined.append(tok)
    return " ".join(joined)


def normalize_name(s: object) -> str:
    """Return the matching key of a place name.

    Lower-cases (``casefold``), strips accents and punctuation, collapses spaces and doubled
    letters, drops leading ``Kec.``/``Kecamatan``/``Desa``/``Pekon``/``Kel.``/``Kelurahan``/
    ``Kab.`` words, writes ``Wai`` as ``way``, ``Cahya`` as ``cahaya``, Roman numerals and digits
    1–10 as Indonesian words (``V`` → ``lima``) and joins compound heads such as ``Suka``,
    ``Sumber`` and ``Sido`` to the next word. Idempotent; ``None``/NaN give ``""``.

    Examples
    --------
    >>> normalize_name("Kec. Wai Krui")
    'way krui'
    >>> normalize_name("Pekon Sumber Rejo") == normalize_name("Sumberejo")
    True
    >>> normalize_name("Suka Negara") == normalize_name("SUKANEGARA")
    True
    >>> normalize_name("Way V") == normalize_name("way lima")
    True
    """
    if s is None or (isinstance(s, float) and s != s) or s is pd.NA:
        return ""
    return _normalize_text(str(s))


@lru_cache(maxsize=1 << 16)
def _normalize_text(raw: str) -> str:
    """:func:`normalize_name` of a text (cached: a national register repeats its names)."""
    text = unicodedata.normalize("NFKD", raw.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.encode("ascii", "ignore").decode("ascii")
    for _ in range(8):  # iterate to a fixed point so the function is idempotent
        new = _once(text)
        if new == text:
            break
        text = new
    return text


def alias_table(
    areas: pd.DataFrame,
    *,
    code_col: str = "kode",
    name_col: str = "nama",
    alt_col: str = "nama_alt",
) -> pd.DataFrame:
    """List every normalised name of a set of areas.

    Parameters
    ----------
    areas : DataFrame
        One row per area with a code column, a name column and optionally ``nama_alt``
        (``"; "``-joined alternative names), e.g. ``load_kecamatan()`` or ``load_desa()``.
    code_col, name_col, alt_col : str
        Column names.

    Returns
    -------
    DataFrame
        ``alias_norm``, ``kode``, ``kind`` (``"nama"`` or ``"nama_alt"``), one row per distinct
        (``alias_norm``, ``kode``); the official name wins over an alternative with the same key.

    Examples
    --------
    >>> areas = pd.DataFrame({"kode": ["18.13.10"], "nama": ["Ngaras"], "nama_alt": ["Bengkunat"]})
    >>> alias_table(areas)["alias_norm"].tolist()
    ['ngaras', 'bengkunat']
    """
    validate_columns(
        areas, (code_col, name_col), what="areas", fix=label("columns.saran_code_name_col", "id")
    )
    codes = areas[code_col].astype(str).tolist()
    rows = [(normalize_name(n), k, "nama") for k, n in zip(codes, areas[name_col], strict=True)]
    if alt_col in areas.columns:
        for kode, alts in zip(codes, areas[alt_col].fillna(""), strict=True):
            rows += [(normalize_name(a), str(kode), "nama_alt") for a in str(alts).split(";")]
    table = pd.DataFrame(rows, columns=["alias_norm", "kode", "kind"])
    table = table[table["alias_norm"] != ""]
    return table.drop_duplicates(["alias_norm", "kode"], ignore_index=True)


def kecamatan_aliases(areas: pd.DataFrame) -> dict[str, str]:
    """Return ``{alias_norm: kode}`` for the names that point to exactly one area.

    Examples
    --------
    >>> kecamatan_aliases(pd.DataFrame({"kode": ["18.13.06"], "nama": ["Pulau Pisang"]}))
    {'pulau pisang': '18.13.06'}
    """
    table = alias_table(areas)
    unique = table.drop_duplicates("alias_norm", keep=False)
    return dict(zip(unique["alias_norm"], unique["kode"], strict=True))


@dataclass(frozen=True)
class MatchResult:
    """Outcome of :func:`match_name`.

    Attributes
    ----------
    kode : str or None
        The single matching code; ``None`` when nothing matched or the name is ambiguous.
    candidates : tuple of str
        Every matching code, best first (several when ambiguous).
    score : float
        100 for an exact key match, else the best rapidfuzz ratio (0 when nothing matched).
    method : str
        ``"exact"``, ``"compact"`` (equal once spaces are removed), ``"fuzzy"`` or ``"none"``.
    """

    kode: str | None
    candidates: tuple[str, ...]
    score: float
    method: str = "none"

    @property
    def ambiguous(self) -> bool:
        """True when several codes match equally well."""
        return self.kode is None and len(self.candidates) > 1


def _check_table(table: pd.DataFrame) -> None:
    validate_columns(table, ("alias_norm", "kode"), what="table", source="alias_table(areas)")


def _grouped(keys: list[str], codes: list[str]) -> dict[str, tuple[str, ...]]:
    """``{key: distinct codes in table order}``."""
    out: dict[str, dict[str, None]] = {}
    for key, code in zip(keys, codes, strict=True):
        out.setdefault(key, {})[code] = None
    return {key: tuple(found) for key, found in out.items()}


@dataclass(frozen=True, eq=False)
class NameIndex:
    """Lookup dicts of an alias table, built once, for :func:`match_name`.

    Matching against a DataFrame compares the key with every row on each call; an index makes
    the exact and compact (spaces removed) steps dict look-ups, with the same results.

    Attributes
    ----------
    table : DataFrame
        The alias table (``alias_norm``, ``kode``; from :func:`alias_table`).
    exact, compact : mapping of str to tuple of str
        Codes per key and per key without spaces, each in table order.
    choices : tuple of str
        The distinct keys in table order (the candidates of fuzzy matching).

    Examples
    --------
    >>> index = NameIndex.from_table(alias_table(pd.DataFrame(
    ...     {"kode": ["18.13.10"], "nama": ["Ngaras"], "nama_alt": ["Bengkunat"]})))
    >>> index.exact["bengkunat"], match_name("Kec. Bengkunat", index).kode
    (('18.13.10',), '18.13.10')
    """

    table: pd.DataFrame
    exact: Mapping[str, tuple[str, ...]]
    compact: Mapping[str, tuple[str, ...]]
    choices: tuple[str, ...]

    @classmethod
    def from_table(cls, table: pd.DataFrame) -> NameIndex:
        """Index an alias table (``alias_norm`` and ``kode`` columns)."""
        _check_table(table)
        aliases = [str(a) for a in table["alias_norm"].tolist()]
        codes = [str(c) for c in table["kode"].tolist()]
        exact = _grouped(aliases, codes)
        compact = _grouped([a.replace(" ", "") for a in aliases], codes)
        return cls(table, exact, compact, tuple(exact))


def match_name(
    name: object,
    table: pd.DataFrame | NameIndex,
    *,
    cutoff: float = DEFAULT_CUTOFF,
    margin: float = AMBIGUITY_MARGIN,
) -> MatchResult:
    """Find the code(s) of a raw place name in an alias table.

    Parameters
    ----------
    name : str
        The name as written in the source (any case, prefixes, spelling variants).
    table : DataFrame or NameIndex
        ``alias_norm`` and ``kode`` columns, as returned by :func:`alias_table`, or its
        :class:`NameIndex` (build it once when matching many names against one table; a
        DataFrame is indexed anew on every call).
    cutoff : float, default :data:`DEFAULT_CUTOFF`
        Minimum rapidfuzz ``fuzz.ratio`` (0–100) for a fuzzy match.
    margin : float, default :data:`AMBIGUITY_MARGIN`
        Fuzzy matches scoring within ``margin`` of the best are all returned as candidates.

    Returns
    -------
    MatchResult

    Examples
    --------
    >>> t = alias_table(pd.DataFrame({"kode": ["18.13.01.2006", "18.13.02.2010"],
    ...                               "nama": ["Suka Negara", "Sukanegara"]}))
    >>> match_name("Pekon Sukanegara", t).candidates
    ('18.13.01.2006', '18.13.02.2010')
    >>> match_name("Pesisir Tenga", alias_table(pd.DataFrame(
    ...     {"kode": ["18.13.01"], "nama": ["Pesisir Tengah"]}))).kode
    '18.13.01'
    """
    if not isinstance(table, NameIndex):
        _check_table(table)
    if not 0 <= cutoff <= 100:
        raise ValueError(f"cutoff={cutoff!r} must lie between 0 and 100 (rapidfuzz ratio).")
    key = normalize_name(name)
    if not key:
        return MatchResult(None, (), 0.0, "none")
    index = table if isinstance(table, NameIndex) else NameIndex.from_table(table)
    for method, lookup, wanted in (
        ("exact", index.exact, key),
        ("compact", index.compact, key.replace(" ", "")),
    ):
        codes = lookup.get(wanted, ())
        if codes:
            return MatchResult(codes[0] if len(codes) == 1 else None, codes, 100.0, method)
    hits = process.extract(key, index.choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)
    if not hits:
        return MatchResult(None, (), 0.0, "none")
    best = max(score for _, score, _ in hits)
    close = [
        alias for alias, score, _ in sorted(hits, key=lambda h: -h[1]) if score >= best - margin
    ]
    codes = tuple(dict.fromkeys(code for alias in close for code in index.exact[alias]))
    return MatchResult(codes[0] if len(codes) == 1 else None, codes, float(best), "fuzzy")
