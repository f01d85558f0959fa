"""Shared fixtures: a tiny hand-made catalog whose numbers make hand computation easy."""

from pathlib import Path

import pytest

import sobriete as sb

TINY = Path(__file__).parent / "data" / "tiny_factors"


@pytest.fixture(scope="session")
def tiny_catalog():
    """gwp+adpe, laptop (100/10/5 kg, 5 years, 20 kWh/yr) and monitor (50/2/3 kg, 4 years,
    50 W x 4 h/day); FR 2024 0.05, FR 2025 0.1 kgCO2e/kWh; DE 2020 0.4 kgCO2e/kWh."""
    return sb.load_catalog(directory=TINY)


@pytest.fixture(scope="session")
def catalog():
    """The bundled catalog."""
    return sb.load_catalog()
