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


def test_polda_negative_strength_named_before_any_work(tmp_path, capsys) -> None:
    table = tmp_path / "kekuatan.csv"
    table.write_text("polres,personel\nPolres Pesisir Barat,-4\n", encoding="utf-8")
    code = main(["polda", "--demo", "--out", str(tmp_path / "p.xlsx"), "--kekuatan", str(table)])
    err = capsys.readouterr().err
    assert code != 0 and "Polres Pesisir Barat" in err and "-4" in err
    assert "Traceback" not in err and not (tmp_path / "p.xlsx").exists()


def test_polda_bad_pool_named(tmp_path, capsys) -> None:
    code = main(["polda", "--demo", "--out", str(tmp_path / "p.xlsx"), "--pool", "bko_brimob=-30"])
    err = capsys.readouterr().err
    assert code != 0 and "bko_brimob" in err and "Traceback" not in err
    code = main(["polda", "--demo", "--out", str(tmp_path / "p.xlsx"), "--pool", "brimob"])
    assert code != 0 and "--pool" in capsys.readouterr().err
