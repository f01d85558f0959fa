"""Layers of the whole package (issue #9), read from the source with ``ast``, function-level imports
included: no module imports a module of a higher layer.

Layer order: bottom (schema, errors, notices, units, parsing) → factors → footprint, kernel,
protocol, comparison → readers (io) → domains (equipment, network, hosting, lighting and their
helpers, compliance, CEE) → the registry (``sobriete.domains``) → orchestration (assessment,
history, uncertainty, projects, roadmap, the distributed path) → report → cli.
"""

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
