"""The package's folders are its layers: each imports only the layers below it, and nothing imports in a cycle.

Read from the source (every import, at module level or in a function), so a
shortcut through a lazy import counts too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Where each installed package lives in the repository (pyproject.toml's package-dir).
FOLDERS = {
    "openfisca_sp": ROOT / "openfisca_sp",
    "openfisca_sp.api": ROOT / "api",
    "openfisca_sp.reforms": ROOT / "reforms",
    "openfisca_sp.variables": ROOT / "variables",
    "openfisca_sp.parameters": ROOT / "parameters",
}
# Layers, lowest first. A module may import its own layer and the layers below it only.
LAYERS = (
    ("openfisca_sp.rules", "openfisca_sp"),  # the rules core, and the package's facade over it
    ("openfisca_sp.variables", "openfisca_sp.decisions", "openfisca_sp.synthetic"),
    ("openfisca_sp.reforms",),
    ("openfisca_sp.population",),
    ("openfisca_sp.analysis",),
    ("openfisca_sp.calibration", "openfisca_sp.projection"),  # official figures; projections over the years
    ("openfisca_sp.report", "openfisca_sp.distributed", "openfisca_sp.drafting"),
    ("openfisca_sp.explorer",),
    ("openfisca_sp.compliance",),
    ("openfisca_sp.api",),
    ("openfisca_sp.cli",),
)
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for package, folder in FOLDERS.items():
        for path in folder.rglob("*.py"):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if package == "openfisca_sp" and parts[0] in ("api", "reforms", "variables", "parameters"):
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join([package, *parts])] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                yield full if full in MODULES else node.module


def _layer(module: str) -> tuple[int, str]:
    """The layer of a module and the package that places it there (the longest matching prefix)."""
    best = (-1, "")
    for rank, packages in enumerate(LAYERS):
        for package in packages:
            if (module == package or module.startswith(package + ".")) and len(package) > len(best[1]):
                best = (rank, package)
    return best


GRAPH = {
    module: {name for name in _imports(path) if name in MODULES and name != module} for module, path in MODULES.items()
}


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_a_module_imports_only_its_own_layer_and_those_below(module: str) -> None:
    rank, package = _layer(module)
    assert rank >= 0, f"{module} is in no layer: add its package to LAYERS"
    for imported in GRAPH[module]:
        imported_rank, imported_package = _layer(imported)
        same_package = imported_package == package
        assert imported_rank < rank or same_package or (imported_rank == 0 and rank == 0), (
            f"{module} (layer {package}) imports {imported} (layer {imported_package})"
        )


def test_nothing_imports_in_a_cycle() -> None:
    visiting, done, cycles = set(), set(), []

    def visit(module: str, path: tuple[str, ...]) -> None:
        if module in done:
            return
        if module in visiting:
            cycles.append((*path[path.index(module) :], module))
            return
        visiting.add(module)
        for imported in sorted(GRAPH[module]):
            visit(imported, (*path, module))
        visiting.discard(module)
        done.add(module)

    for module in sorted(GRAPH):
        visit(module, ())
    assert not cycles, f"import cycles: {cycles}"


def test_the_situation_reader_is_a_library_under_the_api_not_a_route() -> None:
    for module in GRAPH:
        if module.startswith("openfisca_sp.api.situations"):
            outside = [name for name in GRAPH[module] if name.startswith("openfisca_sp.api.")]
            assert all(name.startswith("openfisca_sp.api.situations") for name in outside), (module, outside)


def test_the_rules_core_carries_no_web_code() -> None:
    for module, path in MODULES.items():
        if _layer(module)[1] == "openfisca_sp.rules":
            text = path.read_text(encoding="utf-8")
            assert "fastapi" not in text and "starlette" not in text and "status_code" not in text, module


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_over_400_lines(module: str) -> None:
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{MODULES[module].relative_to(ROOT)} has {lines} lines: split it by concern"


def test_the_command_line_starts_without_loading_what_its_commands_use() -> None:
    """``openfisca-sp --help``, or ``serve`` refusing a bad setting, took 2.4 s: the command line imported pandas,
    matplotlib (through the report) and the web app at start. Each command now imports what it uses."""
    import subprocess
    import sys

    heavy = ("pandas", "matplotlib", "fastapi", "openfisca_sp.api.app", "openfisca_sp.population.engine")
    probe = f"import sys, openfisca_sp.cli; print([name for name in {heavy!r} if name in sys.modules])"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    assert loaded.stdout.strip() == "[]"


def test_a_server_worker_does_not_load_the_test_framework() -> None:
    """openfisca-core's YAML test runner imports pytest; the explorer's law cases need it only when they are read."""
    import subprocess
    import sys

    probe = (
        "import sys, openfisca_sp.api.app; print([name for name in ('pytest', 'hypothesis') if name in sys.modules])"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    assert loaded.stdout.strip() == "[]"
