from __future__ import annotations

import numpy as np
import pandas as pd

from pilkada_risk.planning.deploy import allocate, proportional_teams, uncovered_risk


def test_allocate_prefers_risk_per_officer_and_respects_budget():
    risk = np.array([10.0, 6.0, 1.0])
    full = np.array([1, 2, 1])
    teams = allocate(risk, full, np.zeros(3), full.astype(float), np.array([2, 2, 2]), 4)
    assert teams.tolist() == [1, 1, 0]
    assert (teams * 2).sum() <= 4


def test_allocate_keeps_lower_bounds():
    teams = allocate(
        np.array([1.0, 9.0]),
        np.array([4, 4]),
        np.array([2.0, 0.0]),
        np.array([4.0, 4.0]),
        np.array([2.0, 2.0]),
        2,
    )
    assert teams.tolist() == [2, 1]


def test_uncovered_risk_and_proportional_baseline():
    risk, pola = np.array([4.0, 1.0]), np.array([2.0, 0.5])
    assert uncovered_risk(risk, np.array([2.0, 0.0]), pola) == 1.0
    groups = pd.DataFrame({"unit": [2, 2, 2], "full": [4, 2, 1]})
    assert proportional_teams(groups, 8).tolist() == [2, 1, 1]
    assert proportional_teams(groups, 100).tolist() == [4, 2, 1]
