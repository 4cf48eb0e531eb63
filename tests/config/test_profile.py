from __future__ import annotations

import tomllib

import pytest

from pilkada_risk.config.profile import COMPONENTS, load_profile, write_default_profile
from pilkada_risk.errors import PilkadaRiskError, ProfileError
from pilkada_risk.io.files import package_data


def _rule(years: float, group: str, code: str) -> int:
    base = 1 if years < 2 else 2 if years < 7 else 3 if years < 12 else 4
    mass = {"konflik_sosial", "kerusuhan", "bentrok_massa", "unjuk_rasa_anarkis"}
    return min(4, base + int(group == "pemilu" or code in mass))


def test_default_severity_follows_documented_rule():
    with open(package_data("taxonomy.toml"), "rb") as fh:
        cats = tomllib.load(fh)["categories"]
    sev = load_profile().severity
    assert set(sev) == set(cats)
    for code, spec in cats.items():
        assert sev[code] == _rule(spec["ancaman_maks_tahun"], spec["group"], code), code


def test_weights_sum_to_one_and_hash_is_stable():
    p = load_profile()
    assert sum(v for k, v in p.component_weights.items() if k != "tren") == pytest.approx(1.0)
    assert set(p.component_weights) == set(COMPONENTS)
    assert p.hash == load_profile().hash
    assert load_profile({"time": {"half_life_days": 180}}).hash != p.hash


def test_to_dict_is_a_copy():
    p = load_profile()
    d = p.to_dict()
    d["time"]["half_life_days"] = 1
    assert p.section("time")["half_life_days"] == 365


@pytest.mark.parametrize(
    ("doc", "match"),
    [
        ({"severity": {"copet": 2}}, r"unknown category.*copet.*known: curas"),
        ({"components": {"cuaca": 0.1}}, r"unknown component.*cuaca.*known: intensitas"),
        ({"components": {"laju": -0.25, "kekinian": 0.75}}, r"components.laju = -0.25"),
        (
            {"severity": {"curas": "tinggi"}},
            r"severity.curas = 'tinggi': harus berupa angka \(must be a number\)",
        ),
        ({"components": {"laju": 0.75}}, r"sum to 1.2500; must be 1"),
        ({"classes": {"cutoffs": [70, 30]}}, r"classes.cutoffs"),
        (
            {"classes": {"scheme": "natural_breaks"}},
            r"allowed: relative_mean, fixed, quantiles, fisher_jenks",
        ),
        ({"cuaca": {}}, r"unknown section \[cuaca\]"),
        (
            {"forecast": {"election_uplift": "ya"}},
            r"election_uplift = 'ya': pilihan: true, false \(allowed: true, false\)",
        ),
        ({"forecast": {"election_uplift": 1}}, r"forecast.election_uplift = 1: pilihan"),
        (
            {"forecast": {"uplift_prior": 0}},
            r"forecast.uplift_prior = 0: harus > 0 \(must be > 0\)",
        ),
        ({"forecast": {"uplift": 2}}, r"unknown key\(s\) \['uplift'\] in \[forecast\]"),
        (
            {"uncertainty": {"rank_width_max": 2.5}},
            r"rank_width_max = 2.5: harus bilangan bulat peringkat.*need a whole",
        ),
        (
            {"uncertainty": {"rank_width_max": -1}},
            r"rank_width_max = -1: harus ≥ 0 \(must be >= 0\)",
        ),
        (
            {"uncertainty": {"rank_width_share": 1.5}},
            r"rank_width_share = 1.5: harus bagian.*need a share",
        ),
        (
            {"uncertainty": {"rank_width_share": "1%"}},
            r"rank_width_share = '1%': harus berupa angka",
        ),
    ],
)
def test_bad_profiles_are_rejected(doc, match):
    with pytest.raises(ValueError, match=match):
        load_profile(doc)


def test_overrides_by_leaf_path_and_section():
    p = load_profile()
    q = p.with_overrides(half_life_days=180, n_bootstrap=10, classes__scheme="quantiles")
    assert q.section("time")["half_life_days"] == 180
    assert q.section("uncertainty")["n_bootstrap"] == 10
    assert q.section("classes")["scheme"] == "quantiles"
    with pytest.raises(ValueError, match="ambiguous; use one of classes__cutoffs, ikp__cutoffs"):
        p.with_overrides(cutoffs=[1, 2])
    with pytest.raises(
        ValueError, match="parameter 'paruh': parameter tidak dikenal.*unknown param"
    ):
        p.with_overrides(paruh=3)


def test_write_default_profile_round_trips(tmp_path):
    path = write_default_profile(tmp_path / "profil.toml")
    assert load_profile(path).hash == load_profile().hash
    with pytest.raises(FileExistsError, match="sudah ada"):
        write_default_profile(path)
    partial = tmp_path / "sebagian.toml"
    partial.write_text("[time]\nhalf_life_days = 90\n", encoding="utf-8")
    assert load_profile(partial).section("time")["half_life_days"] == 90


def test_forecast_switch_defaults_and_override():
    fc = load_profile().section("forecast")
    assert {k: fc[k] for k in ("election_uplift", "uplift_prior")} == {
        "election_uplift": True,
        "uplift_prior": 2.0,
    }
    off = load_profile().with_overrides(election_uplift=False)
    assert off.section("forecast")["election_uplift"] is False
    assert off.hash != load_profile().hash


def test_rank_width_share_default_keeps_small_kabupaten_absolute():
    unc = load_profile().section("uncertainty")
    assert unc["rank_width_max"] == 2 and unc["rank_width_share"] == 0.01
    # max(2, 0.01 n) is 2 up to n = 200 kecamatan (Pesisir Barat 11, Lampung Selatan 17).
    assert max(unc["rank_width_max"], unc["rank_width_share"] * 200) == 2
    assert (
        load_profile({"uncertainty": {"rank_width_share": 0}}).section("uncertainty")[
            "rank_width_share"
        ]
        == 0
    )


def test_missing_or_malformed_profile_file_is_a_plain_error(tmp_path) -> None:
    with pytest.raises(ValueError, match=r"profil \(.*tidak_ada.toml\): berkas: tidak ditemukan"):
        load_profile(tmp_path / "tidak_ada.toml")
    broken = tmp_path / "rusak.toml"
    broken.write_text("[components\nlaju = 0.5\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bukan TOML yang sah: .*line 1.*\(not valid TOML"):
        load_profile(broken)


def test_profile_errors_are_named_and_still_value_errors() -> None:
    with pytest.raises(ProfileError) as info:
        load_profile({"components": {"laju": -1}})
    assert isinstance(info.value, ValueError) and isinstance(info.value, PilkadaRiskError)
