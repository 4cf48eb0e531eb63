"""Release contracts: the version is written once, printed by the CLI, and the changelog's newest
release is that version, with its entries in Keep a Changelog form."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import pilkada_risk
from pilkada_risk._version import __version__
from pilkada_risk.cli import main

REPO = Path(__file__).resolve().parents[1]
RELEASE = re.compile(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", re.M)
SECTIONS = ("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security")


def _changelog() -> str:
    return (REPO / "CHANGELOG.md").read_text(encoding="utf-8")


def test_version_is_written_in_one_place() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "version" not in project["project"]
    assert "version" in project["project"]["dynamic"]
    attr = project["tool"]["setuptools"]["dynamic"]["version"]["attr"]
    assert attr == "pilkada_risk._version.__version__"
    assert pilkada_risk.__version__ is __version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


def test_cli_prints_the_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == "pilkada-risk 0.2.0\n"
    assert __version__ == "0.2.0"


def test_installed_command_prints_the_version() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "pilkada_risk.cli", "--version"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert run.stdout.strip() == f"pilkada-risk {__version__}"


def test_changelog_newest_release_is_this_version() -> None:
    text = _changelog()
    releases = RELEASE.findall(text)
    assert [v for v, _ in releases][:2] == [__version__, "0.1.0"]
    assert [d for _, d in releases] == sorted((d for _, d in releases), reverse=True)
    assert "## [Unreleased]" in text
    assert text.index("## [Unreleased]") < text.index(f"## [{__version__}]")


def test_changelog_entries_use_the_standard_sections() -> None:
    text = _changelog()
    headings = re.findall(r"^### (.+)$", text, re.M)
    assert headings and set(headings) <= set(SECTIONS)
    body = text[text.index(f"## [{__version__}]") :]
    body = body[: body.index("## [0.1.0]")]
    for section in ("Added", "Changed", "Fixed"):
        assert f"### {section}" in body
    assert "PILKADA_RISK_UPSTREAM_URL" in body and "--version" in body
