"""The folder tree is the pipeline: import direction, module and function sizes, no path hacks."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "pilkada_risk"

#: Level of each top-level part of the package; a module may import only from its own part or from a
#: part of a lower level (parts of the same level do not import each other).
LEVELS = {
    "_version": 0,
    "errors": 0,
    "io": 0,
    "config": 1,
    "geo": 2,
    "intake": 3,
    "scoring": 4,
    "validation": 5,
    "synthetic": 5,
    "planning": 5,
    "maps": 6,
    "report": 7,
    "cli": 7,
    "__init__": 8,
}
STAGES = (
    "config",
    "io",
    "geo",
    "intake",
    "scoring",
    "validation",
    "synthetic",
    "planning",
    "maps",
    "cli",
)
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _part(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imported_parts(tree: ast.AST) -> set[str]:
    parts: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            bits = name.split(".")
            if bits[0] == "pilkada_risk" and len(bits) > 1 and bits[1] in LEVELS:
                parts.add(bits[1])
    return parts


def test_every_stage_is_a_subpackage() -> None:
    for stage in STAGES:
        assert (PACKAGE / stage / "__init__.py").is_file(), stage
    flat = {p.stem for p in PACKAGE.glob("*.py")}
    assert flat <= {"__init__", "_version", "errors", "report"}, sorted(flat)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_flow_one_way(path: Path) -> None:
    part = _part(path)
    assert part in LEVELS, f"{path}: add its folder to LEVELS (and to docs/DESIGN.md)"
    upward = {
        other
        for other in _imported_parts(ast.parse(path.read_text()))
        if other != part and LEVELS[other] >= LEVELS[part]
    }
    assert not upward, f"{path.relative_to(REPO)} imports from a later stage: {sorted(upward)}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_and_functions_stay_readable(path: Path) -> None:
    text = path.read_text()
    assert len(text.splitlines()) <= MAX_MODULE_LINES, f"{path.name}: split the module"
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, f"{path.name}: functions over {MAX_FUNCTION_LINES} lines: {long}"


def test_no_sys_path_edits_in_tests_benchmarks_or_scripts() -> None:
    offenders = [
        str(p.relative_to(REPO))
        for folder in ("tests", "benchmarks", "scripts")
        for p in (REPO / folder).rglob("*.py")
        if "sys.path" in p.read_text() and p.name != "test_architecture.py"
    ]
    assert offenders == []


def test_one_utm_helper() -> None:
    defs = [
        str(p.relative_to(REPO))
        for p in _modules()
        for node in ast.walk(ast.parse(p.read_text()))
        if isinstance(node, ast.FunctionDef) and node.name == "utm_crs"
    ]
    assert defs == ["pilkada_risk/geo/geometry.py"]


def test_readme_is_the_front_door() -> None:
    readme = REPO / "README.md"
    assert readme.stat().st_size <= 15_000
    for page in ("register", "batas-wilayah", "metode", "peta", "validasi", "data-sintetis"):
        assert (REPO / "docs" / f"{page}.md").is_file()
        assert f"docs/{page}.md" in readme.read_text()
