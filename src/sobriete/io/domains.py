"""Input domains: the canonical columns of each kind of input file and how they are checked.

Each domain (:data:`DOMAINS`) names its canonical columns (from the engine module that assesses
it), the unit numeric columns are converted to (pint notation), the columns read as numbers or
dates, the columns whose values must be known ids (with the engine's usual spellings as
aliases), and the columns a file must have to be of that domain (used to recognise a file's
profile, :mod:`sobriete.io.detect`).

============  ===================================  ======================================
domain        engine                               required columns
============  ===================================  ======================================
equipment     :func:`sobriete.assess_equipment`    ``category``
traffic       :func:`sobriete.network.assess_traffic`  ``network`` and ``volume_gb`` or ``volume``
lines         :func:`sobriete.network.assess_lines`    ``technology``
hosting       :func:`sobriete.hosting.assess_hosting`  ``kind``
lighting      :func:`sobriete.lighting.assess_lighting`  ``technology`` and ``lamp_power_w``
============  ===================================  ======================================
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from ..factors import HOSTING_KINDS, NETWORKS, FactorCatalog
from ..schema import (CONDITIONS, HOSTING_COLUMNS, INVENTORY_COLUMNS, KIND_ALIASES, LIGHTING_TECHNOLOGY_ALIASES,
                      LINE_COLUMNS, LINE_TECHNOLOGY_ALIASES, LUMINAIRE_COLUMNS, NETWORK_ALIASES,
                      STATUSES, TRAFFIC_COLUMNS)

Valid = Callable[[FactorCatalog], Mapping[str, pd.Index]]


@dataclass(frozen=True)
class InputDomain:
    """How the files of one input domain are read.

    Attributes
    ----------
    name : str
    columns : dict
        Canonical columns and their meaning [unit].
    units : dict
        Unit each numeric column is converted to (a profile may give a source column's unit).
    numeric, dates : frozenset
        Columns read as numbers (French decimal comma allowed) or dates.
    checked : frozenset
        Columns whose values must end up in a known set (``valid``); other values are rejected
        as ``unmapped_value`` with a suggestion.
    aliases : dict
        ``{column: {spelling: id}}`` accepted for checked columns besides the profile's values.
    required : tuple of tuple of str
        Each inner tuple: at least one of these columns must be present.
    valid : callable
        ``valid(catalog) → {column: Index of known ids}``.
    """

    name: str
    columns: Mapping[str, str]
    units: Mapping[str, str] = field(default_factory=dict)
    numeric: frozenset[str] = frozenset()
    dates: frozenset[str] = frozenset()
    checked: frozenset[str] = frozenset()
    aliases: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    required: tuple[tuple[str, ...], ...] = ()
    valid: Valid = lambda catalog: {}

    def missing(self, columns) -> list[tuple[str, ...]]:
        """Required column groups none of whose columns is in ``columns``."""
        present = set(columns)
        return [group for group in self.required if not present & set(group)]


def _catalog_ids(catalog: FactorCatalog, table: str, column: str) -> pd.Index:
    try:
        return pd.Index(sorted(set(catalog.table(table)[column].astype(str))))
    except (KeyError, ValueError):  # a catalog without that table
        return pd.Index([])


def _categories(catalog: FactorCatalog) -> pd.Index:
    try:
        return pd.Index(catalog.equipment.categories)
    except (KeyError, ValueError, IndexError):  # a catalog without equipment tables
        return pd.Index([])


_EQUIPMENT_UNITS = {"power_w": "W", "energy_kwh_per_year": "kWh/year", "hours_per_year": "hour/year",
                    "lifetime_years": "year", "size_in": "inch"}
_HOSTING_UNITS = {"it_energy_kwh": "kWh", "cooling_kwh": "kWh", "contracted_kw": "kW", "power_w": "W",
                  "hours_per_year": "hour/year", "instance_hours": "hour"}

#: Input domains by name.
DOMAINS: dict[str, InputDomain] = {
    "equipment": InputDomain(
        "equipment", INVENTORY_COLUMNS, _EQUIPMENT_UNITS,
        numeric=frozenset({"quantity", "purchase_year", *_EQUIPMENT_UNITS}), dates=frozenset({"purchase_date"}),
        checked=frozenset({"category", "condition", "zone", "status"}), required=(("category",),),
        valid=lambda c: {"category": _categories(c), "condition": pd.Index(CONDITIONS), "zone": c.zones,
                         "status": pd.Index(STATUSES)}),
    "traffic": InputDomain(
        "traffic", {**TRAFFIC_COLUMNS, "volume": "data volume in the unit of the 'unit' column",
                    "unit": "unit of 'volume' (MB, GB, TB, Mo, Go, To), converted with pint by the engine"},
        {"volume_gb": "GB"}, numeric=frozenset({"volume_gb", "volume"}), checked=frozenset({"network", "zone"}),
        aliases={"network": NETWORK_ALIASES}, required=(("network",), ("volume_gb", "volume")),
        valid=lambda c: {"network": pd.Index(NETWORKS), "zone": c.zones}),
    "lines": InputDomain(
        "lines", LINE_COLUMNS, numeric=frozenset({"count"}), checked=frozenset({"technology", "zone"}),
        aliases={"technology": LINE_TECHNOLOGY_ALIASES}, required=(("technology",),),
        valid=lambda c: {"technology": _catalog_ids(c, "network_technologies", "technology"), "zone": c.zones}),
    "hosting": InputDomain(
        "hosting", HOSTING_COLUMNS, _HOSTING_UNITS,
        numeric=frozenset({"servers", "pue", "purchase_year", "spend_eur", *_HOSTING_UNITS}),
        checked=frozenset({"kind", "server_category", "zone"}), aliases={"kind": KIND_ALIASES},
        required=(("kind",),),
        valid=lambda c: {"kind": pd.Index(HOSTING_KINDS), "server_category": _categories(c), "zone": c.zones}),
    "lighting": InputDomain(
        "lighting", LUMINAIRE_COLUMNS, {"lamp_power_w": "W"},
        numeric=frozenset({"count", "lamp_power_w", "gear_loss", "installation_year", "latitude", "longitude"}),
        checked=frozenset({"technology", "zone"}), aliases={"technology": LIGHTING_TECHNOLOGY_ALIASES},
        required=(("technology",), ("lamp_power_w",)),
        valid=lambda c: {"technology": _catalog_ids(c, "lighting_technologies", "technology"), "zone": c.zones}),
}

#: Canonical columns of each input domain.
DOMAIN_COLUMNS: dict[str, Mapping[str, str]] = {name: d.columns for name, d in DOMAINS.items()}
