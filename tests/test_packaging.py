"""Packaging contracts: environment.yml and pyproject.toml agree; public API names resolve."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
_REQ = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$")


def _split(spec: str) -> tuple[str, str]:
    match = _REQ.match(spec)
    assert match, spec
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def _pyproject_requirements() -> dict[str, str]:
    doc = tomllib.loads((REPO / "pyproject.toml").read_text())
    project = doc["project"]
    specs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        specs.extend(extra)
    return dict(_split(s) for s in specs)


def _environment_requirements() -> dict[str, str]:
    specs: list[str] = []
    lines = (REPO / "environment.yml").read_text().splitlines()
    start = lines.index("dependencies:")
    for line in lines[start + 1 :]:
        stripped = line.split("#", 1)[0].strip()
        if stripped.startswith("- ") and not stripped.endswith(":"):
            specs.append(stripped[2:].strip())
    found = dict(_split(s) for s in specs)
    for name in ("python", "pip"):
        found.pop(name, None)
    return found


def test_environment_yml_matches_pyproject() -> None:
    assert _environment_requirements() == _pyproject_requirements()


def test_requires_python_311() -> None:
    doc = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert doc["project"]["requires-python"] == ">=3.11"


@pytest.mark.parametrize("name", __import__("pilkada_risk").__all__)
def test_public_names_resolve(name: str) -> None:
    import pilkada_risk

    assert getattr(pilkada_risk, name) is not None


def test_unknown_attribute_is_a_clear_error() -> None:
    import pilkada_risk

    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        pilkada_risk.nope  # noqa: B018


def test_ci_runs_the_readme_test_command() -> None:
    readme = (REPO / "README.md").read_text()
    ci = (REPO / ".ci" / "run").read_text()
    assert "make test" in readme
    assert ci.strip().splitlines()[-1] == "make test"
