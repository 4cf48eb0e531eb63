from __future__ import annotations

import numpy as np
import pytest

from pilkada_risk.scoring.classify import class_breaks, classify

IKP = ["rendah", "sedang", "tinggi"]


def test_ikp_fixed_cutoffs_include_the_lower_bound():
    got = classify([0, 13.46, 13.47, 49.32, 49.33, 100], IKP, cutoffs=[13.47, 49.33])
    assert got == ["rendah", "rendah", "sedang", "sedang", "tinggi", "tinggi"]


def test_fisher_jenks_is_deterministic_and_exact():
    y = [1, 2, 3, 40, 41, 42, 90, 95]
    a = class_breaks(y, scheme="fisher_jenks", k=3)
    assert a.tolist() == [3.0, 42.0]
    assert classify(y, IKP, scheme="fisher_jenks") == classify(y, IKP, scheme="fisher_jenks")
    assert classify(y, IKP, scheme="fisher_jenks")[3] == "sedang"


def test_quantiles_and_fallback_with_few_distinct_values():
    y = np.array([5.0, 5.0, 5.0, 20.0])
    assert len(class_breaks(y, scheme="fisher_jenks", k=3)) == 2
    assert classify(np.arange(9.0), IKP, scheme="quantiles").count("sedang") == 3


def test_bad_scheme_and_cutoffs():
    with pytest.raises(ValueError, match="allowed: fixed, quantiles, fisher_jenks"):
        classify([1.0], IKP, scheme="natural_breaks")
    with pytest.raises(ValueError, match="need 2 values"):
        classify([1.0], IKP, cutoffs=[10])
