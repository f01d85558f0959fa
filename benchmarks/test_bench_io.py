"""Reading and mapping inputs (issue #3): a French GLPI-style CSV and a Parquet file.

Target on the 2-core machine: 10^6 rows read + mapped well under the 8 s (CSV) and 3 s
(Parquet) end-to-end budgets of ``sobriete assess``, which leave room for the engine.
Run: ``python -m pytest benchmarks/test_bench_io.py --benchmark-only``
(``SOBRIETE_BENCH_SIZES=1000`` for a quick run).
"""

import numpy as np
import pandas as pd
import pytest

from sobriete.io import read_table
from sobriete.synthetic import make_inventory

from .conftest import bench_sizes

SIZES = bench_sizes("1000,1000000")
TYPES = np.array(["Ordinateur portable", "Portable", "Unité centrale", "Écran", "Smartphone", "Switch",
                  "Client léger", "Borne Wi-Fi", "Tablette", "Téléphone IP"])


def french_glpi_frame(n_rows: int, seed: int = 7) -> pd.DataFrame:
    """A GLPI-style export as text cells, French conventions (seeded)."""
    rng = np.random.default_rng(seed)
    days = rng.integers(0, 4000, n_rows)
    dates = (pd.Timestamp("2014-01-01") + pd.to_timedelta(days, unit="D")).strftime("%d/%m/%Y")
    power = pd.Series(rng.integers(1, 2000, n_rows) / 10).astype(str).str.replace(".", ",", regex=False)
    return pd.DataFrame({
        "Nom": pd.Series(np.arange(n_rows)).astype(str).radd("PC-"),
        "Entité": pd.Series(rng.integers(1, 47, n_rows)).map("Commune {:02d}".format),
        "Type": TYPES[rng.integers(0, len(TYPES), n_rows)],
        "Modèle": np.array(["Latitude 5440", "EliteDesk 800", "P2422H"])[rng.integers(0, 3, n_rows)],
        "Fabricant": np.array(["Dell", "HP", "Lenovo"])[rng.integers(0, 3, n_rows)],
        "Lieu": np.array(["Mairie", "École", "Médiathèque "])[rng.integers(0, 3, n_rows)],
        "Statut": np.where(rng.random(n_rows) < 0.01, "Au rebut", "En service"),
        "Date d'achat": np.where(rng.random(n_rows) < 0.05, "", dates),
        "Numéro de série": pd.Series(np.arange(n_rows)).astype(str).radd("SN"),
        "Puissance (W)": np.where(rng.random(n_rows) < 0.1, power, ""),
        "Quantité": "1",
    })


@pytest.fixture(scope="module", params=SIZES, ids=lambda n: f"{n}rows")
def french_csv(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("io") / f"glpi_{request.param}.csv"
    french_glpi_frame(request.param).to_csv(path, sep=";", index=False, encoding="cp1252")
    return path, request.param


@pytest.fixture(scope="module", params=SIZES, ids=lambda n: f"{n}rows")
def parquet_file(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("io") / f"inventory_{request.param}.parquet"
    make_inventory(request.param, seed=3).to_parquet(path)
    return path, request.param


def test_read_french_glpi_csv(benchmark, french_csv, catalog):
    path, n_rows = french_csv
    result = benchmark.pedantic(read_table, args=(path,), kwargs={"profile": "glpi", "catalog": catalog},
                                rounds=3, iterations=1)
    assert result.rows_read == n_rows
    assert result.rows_read == len(result.frame) + len(result.rejected)


def test_read_parquet(benchmark, parquet_file, catalog):
    path, n_rows = parquet_file
    result = benchmark.pedantic(read_table, args=(path,), kwargs={"catalog": catalog}, rounds=3, iterations=1)
    assert len(result.frame) == result.rows_read == n_rows
