from __future__ import annotations

import numpy as np
import pytest

from pilkada_risk.config.profile import COMPONENTS
from pilkada_risk.config.sections import Learning
from pilkada_risk.scoring.learning import (
    fit_weights,
    hit_rate,
    select_weights,
    skill_table,
    training_origins,
)

SETTINGS = Learning(
    weights="learned",
    step_days=30,
    max_origins=36,
    min_origins=12,
    validation_origins=12,
    min_train_days=365,
    prior_incidents=200.0,
)
EXPERT = np.array([0.25, 0.10, 0.50, 0.10, 0.05, 1.0])
COUNT = np.array([0, 0, 1.0, 0, 0, 1.0])


def test_training_origins_step_back_from_the_last():
    assert training_origins(400, 365, 30, 36).tolist() == [370, 400]
    assert training_origins(300, 365, 30, 36).size == 0
    assert training_origins(2000, 0, 30, 5).tolist() == [1880, 1910, 1940, 1970, 2000]


def test_hit_rate_counts_ties_at_their_expectation():
    score = np.array([[3.0, 1.0, 1.0, 0.0]])
    y = np.array([[2.0, 2.0, 0.0, 0.0]])
    assert hit_rate(score, y, 2).tolist() == [0.75]  # 2 + half of the (2, 0) tie group


def test_fit_weights_recovers_a_known_mix_and_stays_at_the_prior_without_data():
    rng = np.random.default_rng(0)
    x = rng.gamma(2.0, 1.0, size=(40, 50, 6))
    x[..., 4:] = 0.0  # struktural and tren carry no information here
    true = np.array([0.2, 0.1, 0.7, 0.0, 0.0, 0.0])
    y = rng.poisson(x @ true * 20) / 20
    w = fit_weights(x, y, EXPERT, strength=1e-6)
    np.testing.assert_allclose(w[:3], true[:3], atol=0.05)
    assert w[4:].tolist() == pytest.approx([0.05, 1.0])  # untouched terms keep the prior
    assert (w >= 0).all()
    strong = fit_weights(x, y, EXPERT, strength=1e9)
    np.testing.assert_allclose(strong, EXPERT, atol=1e-3)


def _origins(signal: bool, m: int = 30, n: int = 40):
    rng = np.random.default_rng(3)
    base = rng.gamma(1.0, 3.0, size=n)
    recent = rng.gamma(1.0, 3.0, size=(m, n))
    x = np.zeros((m, n, 6))
    x[..., 2] = base  # laju
    x[..., 1] = recent  # kekinian
    x[..., 0] = base
    mean = base + (recent if signal else 0.0 * recent)
    y = rng.poisson(mean).astype(float)
    return x, y, (x[..., 2], y * 0)


@pytest.mark.parametrize("signal", [True, False])
def test_learned_weights_are_used_unless_they_lose_to_the_count(signal):
    x, y, baselines = _origins(signal)
    sel = select_weights(
        x, y, baselines, expert=EXPERT, count=COUNT, mode="learned", settings=SETTINGS,
        horizon=90, area=np.ones(x.shape[1]),
    )  # fmt: skip
    if signal:
        assert sel.mode == "learned" and sel.reason == "not_worse_than_count"
        assert sel.weights["kekinian"] > 0.5
        assert sel.skill is not None and sel.skill["beats_counting"]
    else:
        assert sel.mode == "count" and sel.reason == "worse_than_count"
        assert sel.weights == dict(zip(COMPONENTS, COUNT.tolist(), strict=True))
    assert sel.learned is not None and set(sel.checks) == {"learned", "count", "origins"}


def test_short_history_uses_the_count():
    x, y, baselines = _origins(True, m=8)
    sel = select_weights(
        x, y, baselines, expert=EXPERT, count=COUNT, mode="learned", settings=SETTINGS,
        horizon=90, area=np.ones(x.shape[1]),
    )  # fmt: skip
    assert (sel.mode, sel.reason) == ("count", "short_history")
    assert sel.skill is not None and sel.skill["n_origins"] == 4


def test_skill_table_compares_with_both_counts():
    y = np.array([[5.0, 1.0, 0.0, 0.0]])
    sk = skill_table(y, y * 0 + [[0, 0, 1, 2]], y * 0 + [[1, 5, 0, 0]], y, np.ones(4))
    assert sk["k"] == 1 and sk["hit_rate"]["model"] == pytest.approx(5 / 6)
    assert sk["hit_rate"]["all_history"] == 0.0 and sk["beats_counting"]


def test_a_tie_with_the_count_goes_to_the_learned_weights():
    """Learned weights that rank exactly like the count do not lose to it: they are used."""
    x, y, baselines = _origins(False)
    x[..., 0] = x[..., 1] = 0.0  # only laju: every weight set ranks like the count
    sel = select_weights(
        x, y, baselines, expert=EXPERT, count=COUNT, mode="learned", settings=SETTINGS,
        horizon=90, area=np.ones(x.shape[1]),
    )  # fmt: skip
    assert (sel.mode, sel.reason) == ("learned", "not_worse_than_count")
    assert sel.checks["learned"] == pytest.approx(sel.checks["count"])


def test_held_out_origins_without_incidents_keep_the_count():
    """Nothing to compare on the held-out origins: the learned weights are not taken on trust."""
    x, y, baselines = _origins(True)
    y[-12:] = 0.0
    sel = select_weights(
        x, y, baselines, expert=EXPERT, count=COUNT, mode="learned", settings=SETTINGS,
        horizon=90, area=np.ones(x.shape[1]),
    )  # fmt: skip
    assert (sel.mode, sel.reason) == ("count", "worse_than_count")
