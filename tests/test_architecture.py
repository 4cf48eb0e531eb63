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


def test_every_map_layer_builder_is_a_row_of_the_one_layer_table() -> None:
    """Issue 18: each ``*_layer`` function of ``maps/`` is ``builder(m, inputs) -> LayerJS`` and
    a row of ``maps._layer_table.LAYERS`` (one return type, one dispatch)."""
    import typing

    import folium

    from pilkada_risk.maps._builder import LayerJS, MapInputs
    from pilkada_risk.maps._layer_table import LAYERS

    found = {
        node.name: path.stem
        for path in sorted((PACKAGE / "maps").glob("*.py"))
        for node in ast.parse(path.read_text()).body
        if isinstance(node, ast.FunctionDef) and node.name.endswith("_layer")
    }
    rows = {build.__name__: build for build in LAYERS.values()}
    assert sorted(found) == sorted(rows), "add each *_layer builder to maps/_layer_table.LAYERS"
    for name, build in rows.items():
        hints = typing.get_type_hints(build)
        assert hints == {"m": folium.Map, "inputs": MapInputs, "return": LayerJS}, (name, hints)


# --------------------------------------------------------------------------------------------
# one way per convention (issue 18)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level_imports(tree: ast.Module, modules: set[str]) -> set[str]:
    """Modules of the package a module imports when it is loaded (not inside functions)."""
    deps: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for sub in [node] if not isinstance(node, ast.If | ast.Try) else node.body:
            if isinstance(sub, ast.ImportFrom) and sub.module and sub.level == 0:
                found = [f"{sub.module}.{a.name}" for a in sub.names]
                found = [f for f in found if f in modules]
                deps.update(found)
                if len(found) < len(sub.names):
                    deps.add(sub.module)
            elif isinstance(sub, ast.Import):
                deps.update(a.name for a in sub.names)
    return {d for d in deps if d in modules}


def test_no_import_cycles() -> None:
    paths = {_module_name(p): p for p in _modules()}
    graph = {
        name: _top_level_imports(ast.parse(path.read_text()), set(paths)) - {name}
        for name, path in paths.items()
    }
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycles.append([*trail[trail.index(dep) :], dep])
            elif dep not in state:
                visit(dep, [*trail, dep])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == [], cycles


def test_root_exports_are_the_stages_public_names() -> None:
    import importlib

    import pilkada_risk

    union: set[str] = set()
    for stage in (*STAGES, "errors"):
        if stage in {"cli", "io"}:  # the command line and the I/O helpers are not library faces
            continue
        union |= set(importlib.import_module(f"pilkada_risk.{stage}").__all__)
    assert set(pilkada_risk.__all__) - {"__version__"} == union
    assert len(pilkada_risk.__all__) == len(set(pilkada_risk.__all__))
    for name in pilkada_risk.__all__:
        assert getattr(pilkada_risk, name) is not None, name


def _is_exception_class(node: ast.ClassDef) -> bool:
    names = [ast.unparse(b).rsplit(".", 1)[-1] for b in node.bases]
    return node.name.endswith(("Error", "Exception", "Warning")) or any(
        n.endswith(("Error", "Exception", "Warning")) or n == "Exception" for n in names
    )


def test_exception_classes_live_in_errors_py() -> None:
    found = [
        f"{p.relative_to(REPO)}:{node.name}"
        for p in _modules()
        for node in ast.walk(ast.parse(p.read_text()))
        if isinstance(node, ast.ClassDef) and _is_exception_class(node)
    ]
    assert found and all(f.startswith("pilkada_risk/errors.py:") for f in found), found
    import pilkada_risk.errors as errors

    for name in errors.__all__:
        assert getattr(errors, name).__doc__, f"{name} needs a docstring"


#: Where the shipped default profile may be loaded without a caller's profile: configuration
#: itself and the command line (which turns ``--profile`` into a profile). ``report.py`` is a
#: notebook face but takes ``profile=`` like the library, so it is not exempt.
DEFAULT_PROFILE_OK = ("pilkada_risk/config/", "pilkada_risk/cli/")
#: Until the [tps] tables move to the plan profile (issue 18, TPS part).
DEFAULT_PROFILE_PENDING = ("pilkada_risk/synthetic/tps.py",)


def test_no_default_profile_behind_the_caller() -> None:
    offenders = [
        f"{p.relative_to(REPO)}:{node.lineno}"
        for p in _modules()
        if not str(p.relative_to(REPO)).startswith(DEFAULT_PROFILE_OK + DEFAULT_PROFILE_PENDING)
        for node in ast.walk(ast.parse(p.read_text()))
        if isinstance(node, ast.Call)
        and ast.unparse(node.func).endswith("load_profile")
        and (
            not node.args or (isinstance(node.args[0], ast.Constant) and node.args[0].value is None)
        )
        and not node.keywords
    ]
    assert offenders == [], f"pass the caller's profile down instead: {offenders}"


def test_imports_inside_functions_say_why() -> None:
    """An import inside a function has a ``# lazy: <reason>`` comment above its group."""
    missing = []
    for p in _modules():
        lines = p.read_text().splitlines()
        for fn in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for block in ast.walk(fn):
                previous: ast.stmt | None = None
                covered = False
                stmts = [getattr(block, f, None) for f in ("body", "orelse", "finalbody")]
                for node in [n for part in stmts if isinstance(part, list) for n in part]:
                    if isinstance(node, ast.Import | ast.ImportFrom):
                        follows = isinstance(previous, ast.Import | ast.ImportFrom) and (
                            previous.end_lineno == node.lineno - 1
                        )
                        covered = (follows and covered) or "# lazy: " in lines[node.lineno - 2]
                        if not covered:
                            missing.append(f"{p.relative_to(REPO)}:{node.lineno}")
                    previous = node
    assert missing == [], f"hoist these imports or add '# lazy: <reason>' above them: {missing}"
