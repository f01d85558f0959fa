"""Layers of the package, read from the source (ast), function-level imports included: the readers
and the bottom layer import nothing above them, and no import cycle goes through ``sobriete.io``.

Layer order (issue #9): schema/errors/notices/units/parsing → factors → footprint/kernel →
readers (io) → domains → assessment/history → report → cli.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1] / "src" / "sobriete"
BOTTOM = ("sobriete.schema", "sobriete.errors", "sobriete.notices", "sobriete.units", "sobriete.parsing")
LAYERS = {
    **dict.fromkeys(BOTTOM, 0),
    "sobriete.factors": 1,
    **dict.fromkeys(("sobriete.footprint", "sobriete._engine", "sobriete.kernel", "sobriete.protocol",
                     "sobriete.comparison"), 2),
    "sobriete.io": 2.5,
    **dict.fromkeys(("sobriete.equipment", "sobriete.network", "sobriete.hosting", "sobriete.lighting",
                     "sobriete.schedule", "sobriete.sun", "sobriete.retrofit"), 3),
    **dict.fromkeys(("sobriete.assessment", "sobriete.history"), 4),
    "sobriete.report": 5,
    "sobriete.cli": 6,
}


def modules() -> dict[str, Path]:
    found = {}
    for file in ROOT.rglob("*.py"):
        parts = list(file.relative_to(ROOT.parent).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = file
    return found


def imports_of(name: str, file: Path, known: dict[str, Path]) -> set[str]:
    """Modules of the package ``name`` imports anywhere in its source (functions included)."""
    package = name if file.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                out.add(candidate if candidate in known else target)
        elif isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
    return {o for o in out if o in known and o != name}


def layer(name: str, layers: dict[str, float] | None = None) -> float | None:
    """Layer of module ``name``: the rank of its longest dotted prefix in ``layers`` (default :data:`LAYERS`)."""
    layers = LAYERS if layers is None else layers
    parts = name.split(".")
    for end in range(len(parts), 1, -1):
        rank = layers.get(".".join(parts[:end]))
        if rank is not None:
            return rank
    return None


GRAPH = {name: imports_of(name, file, modules()) for name, file in modules().items()}
CHECKED = sorted(n for n in GRAPH if n == "sobriete.io" or n.startswith("sobriete.io.") or n in BOTTOM)


def test_the_import_parser_sees_function_level_imports():
    source = "def f():\n    from .io import read_table\n    from . import schema\n"
    tree_file = ROOT / "lighting.py"
    known = modules()
    assert "sobriete.io" in imports_of("sobriete.lighting", tree_file, known)
    path = Path(__file__).parent / "_probe_module.py"
    try:
        path.write_text(source, encoding="utf-8")
        assert imports_of("sobriete.probe", path, known) == {"sobriete.io", "sobriete.schema"}
    finally:
        path.unlink()


@pytest.mark.parametrize("name", CHECKED)
def test_readers_and_bottom_layer_import_nothing_above_them(name):
    own = layer(name)
    upward = sorted(m for m in GRAPH[name] if layer(m) is None or layer(m) > own)
    assert not upward, f"{name} (layer {own}) imports {upward}"


def test_readers_import_no_engine_module():
    engine = {"sobriete.equipment", "sobriete.network", "sobriete.hosting", "sobriete.lighting",
              "sobriete.assessment", "sobriete.schedule"}
    used = {m for n in CHECKED for m in GRAPH[n]}
    assert not used & engine


def test_no_import_cycle_goes_through_io():
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in GRAPH[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(component)

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    through_io = [sorted(c) for c in cycles if any(m.startswith("sobriete.io") or m in BOTTOM for m in c)]
    assert not through_io
