"""Progress only as a bar on a terminal; a log gets one plain line per step (issue 19)."""

from __future__ import annotations

import io

from pilkada_risk.validation._progress import LineProgress, progress_bar


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_log_gets_one_line_per_step_and_no_bar() -> None:
    log = io.StringIO()
    bar = progress_bar(3, "Uji-balik", enabled=True, stream=log)
    assert isinstance(bar, LineProgress)
    for _ in range(3):
        bar.update()
    bar.close()
    assert log.getvalue().splitlines() == ["Uji-balik 1/3", "Uji-balik 2/3", "Uji-balik 3/3"]
    assert "\r" not in log.getvalue()


def test_a_terminal_gets_the_bar_and_disabled_progress_prints_nothing() -> None:
    term = _Terminal()
    bar = progress_bar(2, "Backtest", enabled=True, stream=term)
    bar.update(2)
    bar.close()
    assert "\r" in term.getvalue() and "2/2" in term.getvalue()
    quiet = io.StringIO()
    silent = progress_bar(2, "Backtest", enabled=False, stream=quiet)
    silent.update()
    silent.close()
    assert quiet.getvalue() == ""
