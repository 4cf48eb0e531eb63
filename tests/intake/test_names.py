"""Tests of pilkada_risk.intake.names: normalisation, alias tables and name matching."""

from __future__ import annotations

import string

import geopandas as gpd
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilkada_risk.intake.names import (
    AMBIGUITY_MARGIN,
    DEFAULT_CUTOFF,
    MatchResult,
    NameIndex,
    alias_table,
    kecamatan_aliases,
    match_name,
    normalize_name,
)

# Latin script as registers use it: ASCII plus accented letters, punctuation and odd spaces.
NAME_CHARS = string.ascii_letters + string.digits + " .,'-/()_\t\u00a0" + "éèêëáàâäíïóöúüçñÉÁÓ’"
names = st.text(alphabet=NAME_CHARS, max_size=40)
words = st.sampled_from(
    ["Suka", "Negara", "Sumber", "Rejo", "Wai", "Way", "V", "Lima", "Kec.", "Pekon", "Desa",
     "Kel.", "Cahya", "Cahaya", "Krui", "Pesisir", "Tengah", "II", "Pulau", "Pisang", "Sido"]
)  # fmt: skip
phrases = st.lists(words, min_size=1, max_size=5).map(" ".join)


@given(st.one_of(names, phrases))
def test_normalize_is_idempotent(s: str) -> None:
    once = normalize_name(s)
    assert normalize_name(once) == once


@given(st.one_of(names, phrases))
def test_normalize_ignores_case(s: str) -> None:
    assert normalize_name(s.upper()) == normalize_name(s.lower()) == normalize_name(s)


@given(st.one_of(names, phrases))
def test_normalize_output_alphabet(s: str) -> None:
    out = normalize_name(s)
    assert set(out) <= set(string.ascii_lowercase + string.digits + " ")
    assert out == out.strip() and "  " not in out


@given(phrases, st.sampled_from([" ", "  ", " - ", ". ", "\t"]))
def test_normalize_ignores_spacing_and_punctuation(s: str, sep: str) -> None:
    assert normalize_name(sep.join(s.split(" "))) == normalize_name(s)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Wai Krui", "Way Krui"),
        ("Suka Negara", "Sukanegara"),
        ("Sumber Rejo", "Sumberejo"),
        ("Pekon Sumberrejo", "SUMBER REJO"),
        ("Way V", "Way Lima"),
        ("Cahya Negeri", "Cahaya Negeri"),
        ("Kec. Pesisir Tengah", "Pesisir Tengah"),
        ("Kecamatan Pulau Pisang", "pulau  pisang"),
        ("Kel. Pasar Krui", "Pasar Krui"),
        ("Desa Kampung Jawa", "Kampung Jawa"),
        ("Pasi Kuala Ba'u", "Pasi Kuala Bau"),
        ("Négeri Ratu", "Negeri Ratu"),
        ("Tanjung Setia II", "Tanjung Setia 2"),
    ],
)
def test_known_variants_normalise_equal(a: str, b: str) -> None:
    assert normalize_name(a) == normalize_name(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Ngaras", "Bangkunat"), ("Bengkunat", "Bangkunat"), ("Kampung Jawa", "Kota Jawa")],
)
def test_distinct_names_stay_distinct(a: str, b: str) -> None:
    assert normalize_name(a) != normalize_name(b)


def test_normalize_keeps_a_bare_prefix_word_and_handles_missing() -> None:
    assert normalize_name("Pekon") == "pekon"
    assert normalize_name("Desa Pekon Balak") == "balak"
    assert normalize_name(None) == normalize_name(float("nan")) == normalize_name(pd.NA) == ""


# ------------------------------------------------------------------ alias tables and matching


@pytest.fixture(scope="module")
def kec_table(kecamatan_pb: gpd.GeoDataFrame) -> pd.DataFrame:
    return alias_table(kecamatan_pb)


@pytest.fixture(scope="module")
def desa_table(desa_pb: gpd.GeoDataFrame) -> pd.DataFrame:
    return alias_table(desa_pb)


def test_alias_table_covers_names_and_alternatives(kec_table: pd.DataFrame) -> None:
    assert list(kec_table.columns) == ["alias_norm", "kode", "kind"]
    by_alias = kec_table.groupby("alias_norm")["kode"].apply(sorted).to_dict()
    assert by_alias["pulaupisang"] == ["18.13.06"]
    assert by_alias["bengkunat belimbing"] == ["18.13.11"]
    assert (kec_table["kind"] == "nama").sum() == 11
    assert not kec_table.duplicated(["alias_norm", "kode"]).any()


def test_alias_table_needs_code_and_name_columns() -> None:
    with pytest.raises(ValueError, match=r"areas: tidak ada kolom untuk nama;.*code_col="):
        alias_table(pd.DataFrame({"kode": ["1"], "name": ["x"]}))
    custom = alias_table(pd.DataFrame({"id": ["1"], "name": ["Way Krui"]}), code_col="id",
                         name_col="name")  # fmt: skip
    assert custom["alias_norm"].tolist() == ["way krui"]


@pytest.mark.parametrize(
    ("raw", "kode"),
    [
        ("Kec. Ngaras", "18.13.10"),
        ("BENGKUNAT BELIMBING", "18.13.11"),
        ("Pulaupisang", "18.13.06"),
        ("Wai Krui", "18.13.07"),
        ("Pesisir Tenga", "18.13.01"),
        ("Krui Selatn", "18.13.08"),
        ("Karya Pengawa", "18.13.05"),
    ],
)
def test_match_kecamatan(kec_table: pd.DataFrame, raw: str, kode: str) -> None:
    result = match_name(raw, kec_table)
    assert result.kode == kode
    assert result.candidates[0] == kode
    assert result.score >= DEFAULT_CUTOFF


def test_bare_bengkunat_is_ambiguous(kec_table: pd.DataFrame) -> None:
    # BPS 2018 name of Ngaras, and what the news writes for today's Bangkunat (DOMAIN.md).
    result = match_name("Bengkunat", kec_table)
    assert result.kode is None and result.ambiguous
    assert result.candidates == ("18.13.10", "18.13.11")


def test_unknown_and_empty_names(kec_table: pd.DataFrame) -> None:
    assert match_name("Jakarta Pusat", kec_table) == MatchResult(None, (), 0.0, "none")
    assert match_name("", kec_table).candidates == ()
    assert match_name(None, kec_table).kode is None


def test_repeated_desa_names_return_every_code(desa_table: pd.DataFrame) -> None:
    for name in ["Tanjung Jati", "Pagar Dalam", "Walur", "Sukarame", "Suka Negara"]:
        result = match_name(name, desa_table)
        assert result.kode is None, name
        assert len(result.candidates) >= 2, name
        assert result.method == "exact"
    assert (
        match_name("Sukanegara", desa_table).candidates
        == match_name("Suka Negara", desa_table).candidates
    )


def test_unique_desa_and_spelling_variants(desa_table: pd.DataFrame) -> None:
    assert match_name("Pekon Wai Haru", desa_table).kode == "18.13.11.2007"
    assert match_name("Kel. Pasar Krui", desa_table).kode == "18.13.01.1005"
    assert match_name("sumber rejo", desa_table).kode == "18.13.11.2010"


def test_compact_and_fuzzy_methods() -> None:
    table = alias_table(pd.DataFrame({"kode": ["A", "B"], "nama": ["Negeri Ratu", "Tanjung Jati"]}))
    assert match_name("NegeriRatu", table).method == "compact"
    fuzzy = match_name("Tanjung Jatti Baru", table, cutoff=70)
    assert (fuzzy.kode, fuzzy.method) == ("B", "fuzzy")
    assert 70 <= fuzzy.score < 100
    assert match_name("Tanjung Jatti Baru", table).kode is None


def test_fuzzy_ties_are_ambiguous() -> None:
    table = alias_table(pd.DataFrame({"kode": ["A", "B"], "nama": ["Sukadana", "Sukadani"]}))
    result = match_name("Sukadan", table)
    assert result.ambiguous and set(result.candidates) == {"A", "B"}


def test_match_name_validates_arguments(kec_table: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match=r"cutoff=120 must lie between 0 and 100"):
        match_name("Ngaras", kec_table, cutoff=120)
    with pytest.raises(ValueError, match=r"table: tidak ada kolom untuk alias_norm;.*alias_table"):
        match_name("Ngaras", pd.DataFrame({"kode": ["1"]}))


def test_kecamatan_aliases_drops_ambiguous_keys(kecamatan_pb: gpd.GeoDataFrame) -> None:
    table = kecamatan_aliases(kecamatan_pb)
    assert table["ngaras"] == "18.13.10"
    assert table["pulaupisang"] == "18.13.06"
    assert "bengkunat" not in table


# ------------------------------------------------------------------ NameIndex


def _row_scan(name: object, table: pd.DataFrame, cutoff: float = DEFAULT_CUTOFF) -> MatchResult:
    """Reference: the former match_name, comparing the key with every row of the table."""
    from rapidfuzz import fuzz, process

    def unique(codes: pd.Series) -> tuple[str, ...]:
        return tuple(dict.fromkeys(str(c) for c in codes))

    key = normalize_name(name)
    if not key:
        return MatchResult(None, (), 0.0, "none")
    aliases = table["alias_norm"].astype(str)
    for method, left, right in (
        ("exact", aliases, key),
        ("compact", aliases.str.replace(" ", "", regex=False), key.replace(" ", "")),
    ):
        codes = unique(table.loc[(left == right).to_numpy(), "kode"])
        if codes:
            return MatchResult(codes[0] if len(codes) == 1 else None, codes, 100.0, method)
    choices = list(dict.fromkeys(aliases))
    hits = process.extract(key, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)
    if not hits:
        return MatchResult(None, (), 0.0, "none")
    best = max(score for _, score, _ in hits)
    close = [a for a, sc, _ in sorted(hits, key=lambda h: -h[1]) if sc >= best - AMBIGUITY_MARGIN]
    rows = table[aliases.isin(close).to_numpy()]
    rank = rows["alias_norm"].map(pd.Series(range(len(close)), index=close))
    codes = unique(rows.assign(_rank=rank).sort_values("_rank", kind="stable")["kode"])
    return MatchResult(codes[0] if len(codes) == 1 else None, codes, float(best), "fuzzy")


@pytest.fixture(scope="module")
def desa_index(desa_table: pd.DataFrame) -> NameIndex:
    return NameIndex.from_table(desa_table)


def test_name_index_holds_codes_in_table_order(desa_index: NameIndex) -> None:
    table = desa_index.table
    assert desa_index.exact["sukarame"] == tuple(
        table.loc[table["alias_norm"] == "sukarame", "kode"]
    )
    assert len(desa_index.exact["sukarame"]) >= 2
    assert desa_index.compact["pasarkrui"] == ("18.13.01.1005",)
    assert desa_index.choices == tuple(dict.fromkeys(table["alias_norm"]))
    with pytest.raises(ValueError, match=r"table: tidak ada kolom untuk kode;"):
        NameIndex.from_table(pd.DataFrame({"alias_norm": ["a"]}))


typo_ops = st.lists(
    st.tuples(st.sampled_from(["del", "ins", "sub", "space"]), st.integers(0, 30),
              st.sampled_from("aeiknrsu")),
    max_size=3,
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 10_000), typo_ops, st.sampled_from([DEFAULT_CUTOFF, 70.0]))
def test_name_index_matches_like_a_row_scan(
    desa_table: pd.DataFrame, desa_index: NameIndex, pick: int, ops: list, cutoff: float
) -> None:
    name = list(desa_table["alias_norm"].iloc[pick % len(desa_table)])
    for op, at, ch in ops:
        i = at % (len(name) + 1)
        if op == "del" and i < len(name):
            del name[i]
        elif op == "sub" and i < len(name):
            name[i] = ch
        else:
            name.insert(i, " " if op == "space" else ch)
    raw = "".join(name)
    expected = _row_scan(raw, desa_table, cutoff)
    assert match_name(raw, desa_index, cutoff=cutoff) == expected
    assert match_name(raw, desa_table, cutoff=cutoff) == expected
