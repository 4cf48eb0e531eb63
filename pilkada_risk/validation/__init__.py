"""Stage 4, validation: rolling-origin backtests of the model against simple baselines."""

from pilkada_risk.validation.backtest import backtest
from pilkada_risk.validation.result import BacktestResult

__all__ = ["BacktestResult", "backtest"]
