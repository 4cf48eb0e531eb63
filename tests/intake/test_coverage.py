"""A register of a wider area than the chosen kabupaten (issue 19): a filter, or a refusal.

The guide's rule: a province register read for one kabupaten is a filter; it is refused only
when that kabupaten holds too few rows to score (the profile's sufficiency rules), and then
the message names the kabupaten where the rows do lie; ``force=True`` (``--paksa``) reads it.
"""

from __future__ import annotations

import pandas as pd
import pytest

from pilkada_risk.intake.coverage import RegisterOutsideError
from pilkada_risk.intake.incidents import read_incidents
from tests.browser import fake_incidents


@pytest.fixture(scope="module")
def lampung_selatan():
    from pilkada_risk.geo.boundaries import load_kecamatan

    return load_kecamatan("18.01")


def _province(kecamatan_pb, lampung_selatan, n_pb: int, n_ls: int) -> pd.DataFrame:
    """A register of two kabupaten: ``n_pb`` rows in Pesisir Barat, ``n_ls`` in Lampung Selatan."""
    pb = fake_incidents(kecamatan_pb, n_pb, seed=1)
    ls = fake_incidents(lampung_selatan, n_ls, seed=2)
    both = pd.concat([pb, ls], ignore_index=True)
    both["id"] = [f"P-{i:05d}" for i in range(len(both))]
    both["lintang"], both["bujur"] = both.geometry.y, both.geometry.x
    return pd.DataFrame(both.drop(columns=["geometry", "kec_kode", "desa_kode"]))


def test_province_register_is_a_filter_that_says_what_was_left_out(
    kecamatan_pb, desa_pb, lampung_selatan
) -> None:
    register = _province(kecamatan_pb, lampung_selatan, 200, 600)
    result = read_incidents(register, areas=kecamatan_pb, desa=desa_pb)
    info = result.accepted.attrs["intake"]
    assert len(result.accepted) == 200 and len(result.quarantine) == 600
    # a few points of the kecamatan layer fall in a neighbour in the province's kabupaten layer
    by_kab = info["outside_by_kab"]
    assert 580 <= sum(by_kab.values()) <= 600 and by_kab["18.01"] >= 580  # rest: at sea
    assert list(by_kab)[0] == "18.01"  # most first
    (text,) = info["data_warnings"]
    assert text.startswith("600 dari 800 baris berada di luar 18.13 Kabupaten Pesisir Barat")
    assert f"{by_kab['18.01']} di 18.01 Kabupaten Lampung Selatan, " in text
    assert "200 baris" in text
    (text_en,) = info["data_warnings_en"]
    assert f"were left out ({by_kab['18.01']} in 18.01 Kabupaten Lampung Selatan, " in text_en


@pytest.mark.parametrize("lang", ["id", "en"])
def test_too_few_rows_inside_is_refused_naming_where_the_rows_lie(
    kecamatan_pb, desa_pb, lampung_selatan, lang
) -> None:
    register = _province(kecamatan_pb, lampung_selatan, 12, 600)
    with pytest.raises(RegisterOutsideError) as info:
        read_incidents(register, areas=kecamatan_pb, desa=desa_pb, lang=lang)
    text = str(info.value)
    where = {"id": " di 18.01 Kabupaten Lampung Selatan", "en": " in 18.01 Kabupaten Lampung"}
    assert where[lang] in text and "force=True" in text and "12" in text
    forced = read_incidents(register, areas=kecamatan_pb, desa=desa_pb, force=True, lang=lang)
    assert len(forced.accepted) == 12 and len(forced.quarantine) == 600
    assert forced.accepted.attrs["intake"]["data_warnings"]


def test_the_callers_profile_reaches_the_check(kecamatan_pb, desa_pb, lampung_selatan) -> None:
    register = _province(kecamatan_pb, lampung_selatan, 12, 600)
    lenient = {"sufficiency": {"max_outside_share": 0.99}}
    result = read_incidents(register, areas=kecamatan_pb, desa=desa_pb, profile=lenient)
    assert result.accepted.attrs["intake"]["data_warnings"] == []
    fewer = {"sufficiency": {"min_incidents": 5, "min_per_kecamatan_year": 0.5}}
    kept = read_incidents(register, areas=kecamatan_pb, desa=desa_pb, profile=fewer)
    assert len(kept.accepted) == 12  # 12 rows are enough under this profile: a filter
