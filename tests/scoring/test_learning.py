from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from pilkada_risk.config.profile import COMPONENTS
from pilkada_risk.config.sections import Learning
from pilkada_risk.scoring.learning import (
    choose_candidate,
    fit_weights,
    hit_rate,
    select_forecast,
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
    count_half_lives_days=(730.0, 365.0, 180.0, 90.0),
    tie_margin=0.01,
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


def _select(x, y, baselines, decayed=None, mode="learned", **settings):
    return select_forecast(
        x, decayed or {}, y, baselines, expert=EXPERT, count=COUNT, mode=mode,
        settings=dataclasses.replace(SETTINGS, **settings), horizon=90, area=np.ones(x.shape[1]),
    )  # fmt: skip


@pytest.mark.parametrize("signal", [True, False])
def test_learned_weights_replace_the_count_only_when_they_gain_beyond_the_margin(signal):
    x, y, baselines = _origins(signal)
    sel = _select(x, y, baselines)
    assert sel.learned is not None and set(sel.checks) == {"count", "learned"}
    if signal:
        assert (sel.mode, sel.reason, sel.choice) == ("learned", "selected", "learned")
        assert sel.weights["kekinian"] > 0.5 and sel.runner_up == "count"
        assert sel.checks["learned"]["gain"] >= SETTINGS.tie_margin
        assert sel.skill is not None and sel.skill["beats_counting"]
    else:
        assert (sel.mode, sel.reason, sel.choice) == ("count", "selected", "count")
        assert sel.weights == dict(zip(COMPONENTS, COUNT.tolist(), strict=True))


def test_a_decayed_count_that_tracks_the_drift_is_chosen_over_the_learned_weights():
    """Recency carries the signal: the decayed count (simpler) wins when it is as good."""
    x, y, baselines = _origins(True)
    decayed = {365.0: np.zeros_like(x), 90.0: np.zeros_like(x)}
    decayed[365.0][..., 0] = x[..., 2]  # a long half-life ranks like the all-history count
    decayed[90.0][..., 0] = x[..., 2] + x[..., 1]  # the short one follows the drift exactly
    sel = _select(x, y, baselines, decayed)
    assert list(sel.checks) == ["count", "count_h365", "count_h90", "learned"]
    assert (sel.mode, sel.choice, sel.half_life) == ("decayed_count", "count_h90", 90.0)
    assert sel.weights["intensitas"] == 1.0 and sel.weights["laju"] == 0.0
    assert sel.checks["count_h365"]["gain"] == pytest.approx(0.0)


def test_the_margin_keeps_the_all_history_count_when_gains_are_noise():
    x, y, baselines = _origins(True)
    sel = _select(x, y, baselines, tie_margin=1.0)  # no gain can clear it
    assert (sel.choice, sel.runner_up) == ("count", "learned")


def test_choose_candidate_never_takes_one_that_is_clearly_worse_on_a_metric():
    checks = {
        "count": {"hit": 0.5, "rho": 0.6},
        "count_h90": {"hit": 0.7, "rho": 0.55},  # big gain on hit, clearly worse on rho
    }
    assert choose_candidate(checks, ["count", "count_h90"], 0.01)[0] == "count"
    assert choose_candidate(checks, ["count", "count_h90"], 0.06)[0] == "count_h90"


def test_short_history_uses_the_count():
    x, y, baselines = _origins(True, m=8)
    sel = _select(x, y, baselines)
    assert (sel.mode, sel.reason, sel.choice) == ("count", "short_history", "count")
    assert sel.skill is not None and sel.skill["n_origins"] == 4


def test_skill_table_compares_with_both_counts():
    y = np.array([[5.0, 1.0, 0.0, 0.0]])
    sk = skill_table(y, y * 0 + [[0, 0, 1, 2]], y * 0 + [[1, 5, 0, 0]], y, np.ones(4))
    assert sk["k"] == 1 and sk["hit_rate"]["model"] == pytest.approx(5 / 6)
    assert sk["hit_rate"]["all_history"] == 0.0 and sk["beats_counting"]


def test_a_tie_with_the_count_goes_to_the_count():
    """Learned weights that rank exactly like the count gain nothing: the simpler count stays."""
    x, y, baselines = _origins(False)
    x[..., 0] = x[..., 1] = 0.0  # only laju: every weight set ranks like the count
    sel = _select(x, y, baselines)
    assert (sel.mode, sel.choice) == ("count", "count")
    assert sel.checks["learned"]["gain"] == pytest.approx(0.0)


def test_held_out_origins_without_incidents_keep_the_count():
    """Nothing to compare on the held-out origins: no candidate is taken on trust."""
    x, y, baselines = _origins(True)
    y[-12:] = 0.0
    sel = _select(x, y, baselines)
    assert (sel.mode, sel.choice) == ("count", "count")
