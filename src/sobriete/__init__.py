"""sobriete: the environmental footprint of a local authority's digital estate, and its reduction.

Quick tour::

    import sobriete as sb
    result = sb.assess(["examples/2025/"], year=2025, by="entity")   # every domain, from files
    result.footprint.total()                                          # criterion × phase, with units
    catalog = sb.load_catalog()
    fp = sb.assess_equipment(inventory, year=2025, catalog=catalog, by=["entity", "category"])
    fp.to_frame()   # tidy long frame

Prepare once, evaluate many (years, scenarios, Monte Carlo draws)::

    prepared = sb.prepare_equipment(inventory, catalog, by=["entity"])
    fp_2030 = prepared.evaluate(2030, overrides=sb.Overrides(lifetime_years={"laptop": 7}))
    sb.DOMAINS        # every domain's prepare: equipment, traffic, lines, hosting, lighting

Names are imported when first used (module ``__getattr__``, PEP 562), so ``import sobriete``
and the command line start without loading pandas, pint or the factor catalog.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# --------------------------------------------------------------------------- lazy public API
#: Public name → module (relative to this package) that defines it, imported on first access.
#: Everything the command line does is reachable from here.
_LAZY: dict[str, str] = {
    # engine (equipment) and factors
    "ALLOCATIONS": ".equipment", "INVENTORY_COLUMNS": ".equipment", "assess_equipment": ".equipment",
    "assess_equipment_years": ".equipment", "prepare_equipment": ".equipment", "PreparedEquipment": ".equipment",
    # the domain protocol: prepare once, evaluate many
    "DOMAINS": ".domains", "Overrides": ".protocol", "Prepared": ".protocol",
    "EMBODIED_PHASES": ".factors", "PHASES": ".factors", "FactorCatalog": ".factors", "load_catalog": ".factors",
    "DataQuality": ".footprint", "Footprint": ".footprint",
    "SobrieteError": ".errors",
    # yearly assessment of every domain from files (``sobriete assess``) and its history
    "assess": ".assessment", "assess_inputs": ".assessment", "Assessment": ".assessment",
    "History": ".history", "compare_assessments": ".history",
    # network (``sobriete network``): traffic, lines, copper switch-off
    "assess_traffic": ".network", "assess_lines": ".network", "copper_switch_off": ".network",
    "prepare_traffic": ".network", "prepare_lines": ".network",
    "NETWORK_MODELS": ".network",
    # hosting
    "assess_hosting": ".hosting", "prepare_hosting": ".hosting",
    # public lighting (``sobriete lighting``): burning hours, luminaires, retrofit scenarios
    "burning_hours": ".lighting", "assess_lighting": ".lighting", "prepare_lighting": ".lighting", "load_schedules": ".schedule", "load_scenario": ".retrofit",
    "assess_scenario": ".retrofit",
    "Comparison": ".comparison",
    # readers and reports
    "read_inputs": ".io", "report": ".report",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    """Import the module defining ``name`` on first access (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sobriete' has no attribute {name!r}")
    value = importlib.import_module(module, __name__)
    if name != module.lstrip("."):
        value = getattr(value, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
