"""Build the SYNTHETIC data of the roadmap example (seeded: the same files every run).

Nothing here describes a real authority. Run from the repository root::

    python examples/roadmap/make_example.py

It writes ``registre_materiels.csv`` (an asset register 2012-2025: purchases, retirements,
disposals and their destination) and ``historique.sqlite`` (the assessments of the example
inputs ``examples/2025/`` for 2023, 2024 and 2025, grouped by business park: the same synthetic
inventory assessed in three years, so the footprint moves with amortisation and the grid).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
SEED = 11
#: category: (share of devices, price excl. VAT [EUR], mean lifetime [year])  -- synthetic
CATEGORIES = {"Ordinateur portable": (0.40, 950.0, 6.0), "Unité centrale": (0.25, 750.0, 6.5),
              "Écran": (0.25, 180.0, 8.0), "Smartphone": (0.10, 350.0, 3.5)}


def register(n: int = 1200) -> pd.DataFrame:
    rng = np.random.default_rng(SEED)
    names = list(CATEGORIES)
    category = np.array(names)[rng.choice(len(names), n, p=[CATEGORIES[c][0] for c in names])]
    start, end = pd.Timestamp("2012-01-01"), pd.Timestamp("2025-12-31")
    purchase = start + pd.to_timedelta(rng.integers(0, (end - start).days, n), unit="D")
    year = purchase.year.to_numpy()
    refurbished = rng.random(n) < np.clip(0.03 * (year - 2019), 0, 0.25)  # refurbished purchases grow from 2020
    price = np.array([CATEGORIES[c][1] for c in category]) * np.where(refurbished, 0.55, 1.0)
    price = np.round(price * rng.uniform(0.85, 1.15, n), 2)
    life = np.array([CATEGORIES[c][2] for c in category]) + rng.normal(0, 1.5, n)
    retired = purchase + pd.to_timedelta(np.round(np.clip(life, 1, 14) * 365.25), unit="D")
    retired = pd.Series(retired).where(retired <= end)
    disposal = retired + pd.to_timedelta(rng.integers(30, 540, n), unit="D")
    disposal = disposal.where(disposal <= end)
    age = (retired - pd.Series(purchase)).dt.days / 365.25
    reuse_p = np.clip(0.15 + 0.12 * (disposal.dt.year.fillna(2020).to_numpy() - 2022), 0.1, 0.7)
    reused = (rng.random(n) < reuse_p) & ~(age > 10).to_numpy()
    destination = np.where(disposal.isna(), "", np.where(reused, np.array(["Réemploi", "Don", "Cession"])[
        rng.integers(0, 3, n)], np.where(rng.random(n) < 0.9, "Recyclage", "Destruction")))
    fr_date = lambda s: pd.Series(s).dt.strftime("%d/%m/%Y").fillna("")  # noqa: E731
    return pd.DataFrame({
        "Identifiant": [f"INV-{i:05d}" for i in range(n)], "Catégorie": category,
        "Date d'achat": fr_date(purchase), "Prix d'achat HT": [f"{p:.2f}".replace(".", ",") for p in price],
        "État": np.where(refurbished, "Reconditionné", "Neuf"), "Date de réforme": fr_date(retired),
        "Date de sortie": fr_date(disposal), "Destination": destination,
        "Exclusion sécurité": np.where(rng.random(n) < 0.03, "oui", "")})


def history(path: Path) -> None:
    from sobriete.assessment import assess
    from sobriete.history import History

    path.unlink(missing_ok=True)
    with History(path) as store:
        for year in (2023, 2024, 2025):
            store.save(assess([HERE.parent / "2025"], year=year, by="za"))


if __name__ == "__main__":
    register().to_csv(HERE / "registre_materiels.csv", sep=";", index=False, encoding="utf-8")
    history(HERE / "historique.sqlite")
