from __future__ import annotations

from pathlib import Path

import pytest

from pilkada_risk.config.taxonomy import load_taxonomy, normalize_label


def test_shipped_taxonomy_has_election_codes() -> None:
    tax = load_taxonomy()
    assert {"politik_uang", "perusakan_apk", "netralitas", "curas"} <= set(tax.codes)
    assert set(tax.frame["group"]) <= set(tax.groups)


def test_match_exact_fuzzy_and_suggest() -> None:
    tax = load_taxonomy()
    assert tax.match("Pencurian dengan Kekerasan") == "curas"
    assert tax.match("peaceful protest") == "unjuk_rasa"
    fuzzy = tax.resolve("pencurian dgn kekerasan")
    assert fuzzy.code == "curas" and not fuzzy.exact
    assert tax.resolve("xyzzy").code is None
    assert len(tax.suggest("xyzzy")) == 3


def test_extra_synonyms_and_toml(tmp_path: Path) -> None:
    tax = load_taxonomy().with_synonyms({"Money Pol": "politik_uang"})
    assert tax.match("money pol") == "politik_uang"
    with pytest.raises(ValueError, match="not in the taxonomy"):
        load_taxonomy().with_synonyms({"x": "nope"})
    extra = tmp_path / "extra.toml"
    extra.write_text(
        '[categories.curat]\nsinonim = ["maling ternak"]\n'
        '[categories.sengketa_adat]\ngroup = "kontinjensi"\nsinonim = ["sengketa adat"]\n'
    )
    merged = load_taxonomy(extra)
    assert merged.match("Maling ternak") == "curat" and merged.match("pencurian") == "curat"
    assert merged.match("sengketa adat") == "sengketa_adat"


def test_normalize_label() -> None:
    assert normalize_label("Huru-Hara!") == "huru hara"
