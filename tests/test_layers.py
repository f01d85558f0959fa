"""Layers of the whole package (issue #9), read from the source with ``ast``, function-level imports
included: no module imports a module of a higher layer.

No import cycle remains anywhere in the package, function-level imports and literal
``importlib.import_module("...")`` calls included (a cycle inside one layer is still a cycle).

Layer order: bottom (schema, errors, notices, units, parsing) → factors → footprint, kernel,
protocol, comparison → readers (io) → domains (equipment, network, hosting, lighting and their
helpers, compliance, CEE) → the registry (``sobriete.domains``) → orchestration (assessment,
history, uncertainty, projects, roadmap, the distributed path) → report → cli.
"""

import ast
import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("_io_layers", Path(__file__).with_name("test_io_imports.py"))
_io = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_io)

DOMAIN = ("equipment", "equipment_rows", "network", "network_factors", "hosting", "lighting", "lighting_factors",
          "_prepared", "schedule", "sun", "retrofit", "compliance", "compliance_rules", "switch_off", "cee")
ORCHESTRATION = ("assessment", "history", "uncertainty", "project", "roadmap", "distributed", "synthetic")
LAYERS = {**_io.LAYERS, **{f"sobriete.{m}": 3 for m in DOMAIN}, "sobriete.domains": 3.5,
          **{f"sobriete.{m}": 4 for m in ORCHESTRATION}}


def layer(name: str) -> float | None:
    return _io.layer(name, LAYERS)


def test_every_module_has_a_layer():
    assert sorted(n for n in _io.GRAPH if n != "sobriete" and n != "sobriete.__main__" and layer(n) is None) == []


@pytest.mark.parametrize("name", sorted(n for n in _io.GRAPH if layer(n) is not None))
def test_no_module_imports_a_higher_layer(name):
    own = layer(name)
    upward = sorted(m for m in _io.GRAPH[name] if (layer(m) or 0) > own)
    assert not upward, f"{name} (layer {own}) imports {upward}"


def dynamic_imports(name: str, file: Path, known: set[str]) -> set[str]:
    """Modules of the package ``name`` loads with ``import_module("<literal>"[, __name__])``."""
    package = name if file.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            target = node.args[0].value
            if target.startswith("."):
                level = len(target) - len(target.lstrip("."))
                target = ".".join(package.split(".")[:len(package.split(".")) - level + 1] + [target.lstrip(".")])
            out.add(target.rstrip("."))
    return {o for o in out if o in known and o != name}


#: The package's import graph: every ``import`` statement anywhere in a module, and its literal
#: ``import_module`` calls.
FULL_GRAPH = {name: _io.GRAPH[name] | dynamic_imports(name, file, set(_io.GRAPH))
              for name, file in _io.modules().items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of ``graph`` as a path that ends where it starts, or [] if there is none
    (depth-first search: an edge back to a module still on the path closes a cycle)."""
    done: set[str] = set()
    for root in sorted(graph):
        if root in done:
            continue
        path, pending = [root], [iter(sorted(graph[root]))]
        while pending:
            nxt = next(pending[-1], None)
            if nxt is None:  # every import of the module on top explored: it is in no cycle
                done.add(path.pop())
                pending.pop()
            elif nxt in path:
                return path[path.index(nxt):] + [nxt]
            elif nxt not in done:
                path.append(nxt)
                pending.append(iter(sorted(graph.get(nxt, ()))))
    return []


def test_find_cycle_finds_a_cycle_and_only_a_cycle():
    dag = {"a": {"b", "c"}, "b": {"c"}, "c": set(), "d": {"a"}}
    assert find_cycle(dag) == []
    assert find_cycle({**dag, "c": {"d"}}) == ["a", "b", "c", "d", "a"]
    assert find_cycle({"x": {"x"}}) == ["x", "x"]


def test_dynamic_imports_are_seen(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("import importlib\ndef f():\n    importlib.import_module('.schema', __name__)\n"
                     "    from importlib import import_module\n    import_module('sobriete.io')\n", encoding="utf-8")
    assert dynamic_imports("sobriete.probe", probe, set(_io.GRAPH)) == {"sobriete.schema", "sobriete.io"}
    assert "sobriete.assessment" in FULL_GRAPH["sobriete.uncertainty.monte_carlo"]


def test_no_import_cycle_in_the_package():
    cycle = find_cycle(FULL_GRAPH)
    assert not cycle, "import cycle: " + " -> ".join(cycle)
