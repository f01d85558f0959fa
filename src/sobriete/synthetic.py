"""Seeded synthetic inventories of any size, for examples, tests and benchmarks.

The data are SYNTHETIC: the category mix, ages and counts only look like an inter-municipal
authority's estate (46 communes, a few services); they describe no real authority.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Share of each category in a typical local-authority estate (ASSUMPTION for synthetic data
#: only: a plausible office mix — one screen per workstation, more laptops than desktops...).
CATEGORY_MIX = {
    "laptop": 0.20, "desktop": 0.12, "monitor": 0.22, "monitor_large": 0.03, "thin_client": 0.02,
    "all_in_one": 0.02, "smartphone": 0.12, "mobile_phone": 0.03, "tablet": 0.04, "ip_phone": 0.08,
    "printer_multifunction": 0.03, "printer_laser": 0.02, "video_projector": 0.01, "display_screen": 0.01,
    "network_switch": 0.015, "wifi_access_point": 0.015, "router": 0.003, "firewall": 0.002,
    "server_rack": 0.004, "storage_nas": 0.002, "ups": 0.004, "internet_box": 0.01,
}
SERVICES = ("Administration générale", "Écoles", "Médiathèque", "Services techniques", "Police municipale",
            "Action sociale", "Sports", "Culture")


def commune_names(n: int = 46) -> list[str]:
    """Synthetic commune names ``Commune 01`` … ``Commune 46``."""
    return [f"Commune {i:02d}" for i in range(1, n + 1)]


def make_inventory(n_rows: int, *, seed: int = 0, categories: list[str] | None = None, communes: int = 46,
                   first_year: int = 2010, last_year: int = 2025, measured_share: float = 0.05,
                   refurbished_share: float = 0.03) -> pd.DataFrame:
    """A synthetic canonical inventory of ``n_rows`` rows (seeded, reproducible).

    Columns: ``category``, ``quantity``, ``purchase_year``, ``entity`` (commune), ``service``,
    ``condition``, ``energy_kwh_per_year`` (measured for ``measured_share`` of rows, else NaN).
    Text columns are categoricals, as a Parquet file with dictionary encoding reads.

    Examples
    --------
    >>> inv = make_inventory(1000, seed=1)
    >>> len(inv), inv["purchase_year"].between(2010, 2025).all()
    (1000, np.True_)
    """
    rng = np.random.default_rng(seed)
    mix = {c: w for c, w in CATEGORY_MIX.items() if categories is None or c in categories}
    names = list(mix)
    weights = np.asarray(list(mix.values()))
    category = pd.Categorical.from_codes(rng.choice(len(names), size=n_rows, p=weights / weights.sum()), names)
    quantity = np.where(rng.random(n_rows) < 0.9, 1, rng.integers(2, 20, n_rows)).astype(np.int32)
    ages = np.minimum(rng.geometric(0.18, n_rows) - 1, last_year - first_year)
    purchase_year = (last_year - ages).astype(np.int16)
    entity = pd.Categorical.from_codes(rng.integers(0, communes, n_rows), commune_names(communes))
    service = pd.Categorical.from_codes(rng.integers(0, len(SERVICES), n_rows), list(SERVICES))
    condition = pd.Categorical.from_codes((rng.random(n_rows) < refurbished_share).astype(np.int8),
                                          ["new", "refurbished"])
    energy = np.where(rng.random(n_rows) < measured_share, rng.gamma(2.0, 30.0, n_rows), np.nan)
    return pd.DataFrame({"category": category, "quantity": quantity, "purchase_year": purchase_year,
                         "entity": entity, "service": service, "condition": condition,
                         "energy_kwh_per_year": energy})
