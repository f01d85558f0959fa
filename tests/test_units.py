import numpy as np
import pandas as pd
import pytest

from sobriete.errors import SobrieteError, UnitError
from sobriete.units import conversion_factor, parse_unit, to_canonical


@pytest.mark.parametrize("unit, target, factor", [
    ("kW", "W", 1000.0), ("MWh", "kWh", 1000.0), ("gCO2e", "kgCO2e", 1e-3), ("tCO2e", "kgCO2e", 1000.0),
    ("kg CO2e", "kgCO2e", 1.0), ("gCO2e/kWh", "kgCO2e/kWh", 1e-3), ("Go", "GB", 1.0), ("To", "GB", 1000.0),
    ("Mo", "GB", 1e-3), ("TB", "GB", 1000.0), ("GiB", "GB", 2**30 / 1e9), ("kWh/an", "kWh/year", 1.0),
    ("%", "dimensionless", 0.01), ("m**3", "L", 1000.0), ("gSbeq", "kgSbeq", 1e-3),
])
def test_conversion_factors(unit, target, factor):
    assert conversion_factor(unit, target) == pytest.approx(factor)


@pytest.mark.parametrize("unit, target", [("kgCO2e", "kgSbeq"), ("kWh", "W"), ("MJ", "kgCO2e")])
def test_wrong_dimension_is_a_unit_error(unit, target):
    with pytest.raises(UnitError, match="expected a unit of"):
        conversion_factor(unit, target)


def test_unparsable_unit_names_value_and_place():
    with pytest.raises(UnitError) as info:
        parse_unit("kgCO2ee", file="f.csv", row=3, column="unit")
    message = str(info.value)
    assert "'kgCO2ee'" in message and "f.csv" in message and "row 3" in message and "'unit'" in message
    assert isinstance(info.value, ValueError) and isinstance(info.value, SobrieteError)


def test_to_canonical_keeps_type_and_index():
    series = pd.Series([1.0, 2.5], index=["a", "b"])
    out = to_canonical(series, "kW", "W")
    assert list(out.index) == ["a", "b"] and out.tolist() == [1000.0, 2500.0]
    np.testing.assert_allclose(to_canonical(np.array([3.0]), "MWh", "kWh"), [3000.0])
