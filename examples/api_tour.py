"""A short tour of the sobriete Python API on the shipped synthetic inventory.

Run: python examples/api_tour.py
"""

from pathlib import Path

import pandas as pd

import sobriete as sb

HERE = Path(__file__).parent

catalog = sb.load_catalog()  # bundled ADEME-sourced factors
print(catalog)

inventory = pd.read_csv(HERE / "inventaire_synthetique.csv")  # SYNTHETIC data, 46 communes
fp = sb.assess_equipment(inventory, year=2025, catalog=catalog, by=["entity", "category"],
                         allocation="amortised")
print(fp.total().round(3))  # one line per criterion: each phase, total, unit

by_category = fp.by("category").table("gwp").sort_values("total", ascending=False)
print(by_category.head(8).round(1))  # biggest contributors, kgCO2e

# The same inventory with a user override file: the laptop factor changes, nothing else.
mine = sb.load_catalog(HERE / "mes_facteurs.csv")
with_override = sb.assess_equipment(inventory, 2025, catalog=mine)
print(f"catalog {mine.version}: gwp {with_override.total().loc['gwp', 'total']:.0f} kgCO2e "
      f"instead of {fp.total().loc['gwp', 'total']:.0f}")

# Flux view (GHG Protocol capital goods) instead of amortised
flux = sb.assess_equipment(inventory, 2025, catalog=catalog, allocation="at_purchase")
print(f"at purchase: {flux.total().loc['gwp', 'total']:.0f} kgCO2e")

# Tidy long frame, and the row accounting
print(fp.to_frame().head())
q = fp.quality
print(f"rows read {q.rows_read} = assessed {q.rows_assessed} + rejected {q.rows_rejected}; {q.counts}")
