"""sobriete: the environmental footprint of a local authority's digital estate, and its reduction.

Quick tour::

    import sobriete as sb
    catalog = sb.load_catalog()
    fp = sb.assess_equipment(inventory, year=2025, catalog=catalog, by=["entity", "category"])
    fp.total()      # criterion × phase, with units
    fp.to_frame()   # tidy long frame

Prepare once, evaluate many (years, scenarios, Monte Carlo draws)::

    prepared = sb.prepare_equipment(inventory, catalog, by=["entity"])
    fp_2030 = prepared.evaluate(2030, overrides=sb.Overrides(lifetime_years={"laptop": 7}))
"""

from .equipment import (ALLOCATIONS, INVENTORY_COLUMNS, PreparedEquipment, assess_equipment, assess_equipment_years,
                        prepare_equipment)
from .errors import SobrieteError
from .factors import EMBODIED_PHASES, PHASES, FactorCatalog, load_catalog
from .footprint import DataQuality, Footprint
from .protocol import DOMAINS, Overrides, Prepared

__version__ = "0.1.0"

__all__ = [
    "ALLOCATIONS", "DOMAINS", "EMBODIED_PHASES", "INVENTORY_COLUMNS", "PHASES", "DataQuality", "FactorCatalog",
    "Footprint", "Overrides", "Prepared", "PreparedEquipment", "SobrieteError", "assess_equipment",
    "assess_equipment_years", "load_catalog", "prepare_equipment",
]
