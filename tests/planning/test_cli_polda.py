"""``pilkada-risk polda``: bad options are clear messages, never a traceback."""

from __future__ import annotations

from pilkada_risk.cli.main import main


def test_polda_without_demo_says_what_to_do(tmp_path, capsys) -> None:
    code = main(["polda", "--out", str(tmp_path / "polda.xlsx")])
    err = capsys.readouterr().err
    assert code != 0 and "--demo" in err and "Traceback" not in err


def test_polda_wrong_suffix_named(tmp_path, capsys) -> None:
    code = main(["polda", "--demo", "--out", str(tmp_path / "polda.csv"), "--lang", "en"])
    err = capsys.readouterr().err
    assert code != 0 and ".xlsx" in err and "Traceback" not in err
