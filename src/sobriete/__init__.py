"""sobriete: the environmental footprint of a local authority's digital estate, and its reduction.

Quick tour::

    import sobriete as sb
    catalog = sb.load_catalog()
    fp = sb.assess_equipment(inventory, year=2025, catalog=catalog, by=["entity", "category"])
    fp.total()      # criterion × phase, with units
    fp.to_frame()   # tidy long frame
"""

from .equipment import ALLOCATIONS, INVENTORY_COLUMNS, assess_equipment, assess_equipment_years
from .errors import SobrieteError
from .factors import EMBODIED_PHASES, PHASES, FactorCatalog, load_catalog
from .footprint import DataQuality, Footprint

__version__ = "0.1.0"

__all__ = [
    "ALLOCATIONS", "EMBODIED_PHASES", "INVENTORY_COLUMNS", "PHASES", "DataQuality", "FactorCatalog",
    "Footprint", "SobrieteError", "assess_equipment", "assess_equipment_years", "load_catalog",
]
