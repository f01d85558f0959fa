"""Units: one pint registry for the package, used where data enters.

Values are parsed and converted to canonical units when they are read (catalog rows, user
columns such as ``power_w`` vs ``power_kw``); the calculation code only sees float64 arrays
in canonical units. The domain units (``CO2e``, ``Sbeq``, French ``Go``...) are defined once,
in ``units.txt`` beside this module.
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources

import numpy as np
import pint

from .errors import UnitError

#: Days per year used by ADEME to turn a daily use profile into an annual energy
#: (publicodes-commun ``jours par an`` = 365, src/commun.publicodes line 38).
DAYS_PER_YEAR = 365

#: Canonical units of the quantities the engine works with.
CANONICAL = {
    "energy": "kWh",
    "power": "W",
    "duration": "hour",
    "lifetime": "year",
    "data": "GB",
}


@cache
def registry() -> pint.UnitRegistry:
    """The package's pint registry (created on first use, with ``units.txt`` loaded)."""
    ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    with resources.as_file(resources.files("sobriete") / "units.txt") as path:
        ureg.load_definitions(str(path))
    return ureg


_ALIASES = {
    "kgco2e": "kgCO2e", "kgco2eq": "kgCO2e", "kg co2e": "kgCO2e", "kg co2 eq": "kgCO2e",
    "kgeqco2": "kgCO2e", "kg eq co2": "kgCO2e", "kgsbeq": "kgSbeq", "kg sb eq": "kgSbeq",
    "an": "year", "ans": "year", "année": "year", "années": "year", "annee": "year",
    "jour": "day", "jours": "day", "j": "day", "heure": "hour", "heures": "hour",
    "": "dimensionless", "-": "dimensionless", "%": "percent", "ratio": "dimensionless",
}


def parse_unit(text: object, *, expected: str | None = None, file: str | None = None,
               row: int | None = None, column: str | None = None) -> pint.Unit:
    """Parse a unit string, optionally checking it has the dimension of ``expected``.

    Parameters
    ----------
    text : str
        The unit as written by a source or a user (``"kgCO2e"``, ``"kWh/an"``, ``"Go"``).
    expected : str, optional
        A unit whose dimensionality the parsed unit must share (``"kWh"``).

    Returns
    -------
    pint.Unit

    Raises
    ------
    UnitError
        If the text does not parse or has the wrong dimension.

    Examples
    --------
    >>> str(parse_unit("Go"))
    'gigabyte'
    >>> parse_unit("kW", expected="W").dimensionality == parse_unit("W").dimensionality
    True
    """
    ureg = registry()
    raw = _unit_text(text)
    normalised = _ALIASES.get(raw.lower(), raw)
    normalised = normalised.replace("/an", "/year").replace("/jour", "/day").replace("/j", "/day")
    try:
        unit = ureg.Unit(normalised)
    except Exception as exc:  # noqa: BLE001 - pint's parser raises anything ("01/01/0001": ZeroDivisionError)
        raise UnitError(raw, expected, file=file, row=row, column=column) from exc
    if expected is not None:
        target = ureg.Unit(expected)
        if unit.dimensionality != target.dimensionality:
            raise UnitError(raw, f"{expected} ({target.dimensionality})", file=file, row=row,
                            column=column)
    return unit


def conversion_factor(from_unit: object, to_unit: str, **where) -> float:
    """Multiplicative factor from ``from_unit`` to ``to_unit`` (same dimension required).

    Each pair of units is parsed once (a catalog converts hundreds of rows of a few units).

    Examples
    --------
    >>> conversion_factor("kW", "W")
    1000.0
    >>> conversion_factor("gCO2e/kWh", "kgCO2e/kWh")
    0.001
    >>> conversion_factor("To", "GB")
    1000.0
    """
    try:
        return _factor(_unit_text(from_unit), to_unit)
    except UnitError:
        parse_unit(from_unit, expected=to_unit, **where)  # the same error, with where it happened
        raise


def _unit_text(text: object) -> str:
    return "" if text is None or (isinstance(text, float) and np.isnan(text)) else str(text).strip()


@lru_cache(maxsize=4096)
def _factor(from_unit: str, to_unit: str) -> float:
    source = parse_unit(from_unit, expected=to_unit)
    ureg = registry()
    factor = ureg.Quantity(1.0, source).to(ureg.Unit(to_unit)).magnitude
    return float(f"{factor:.15g}")  # drop binary noise: 1000.0000000000001 -> 1000.0


def to_canonical(values, unit: object, canonical: str, **where):
    """Convert numbers (scalar, ndarray or Series) from ``unit`` to ``canonical``.

    The input's type and index are kept.

    Examples
    --------
    >>> to_canonical(1.5, "kW", "W")
    1500.0
    """
    return values * conversion_factor(unit, canonical, **where)
