"""Build the SYNTHETIC compliance example from ``../eclairage_za.csv`` (seeded: same files every run).

Writes, next to this script:

- ``eclairage_za_conformite.csv``: the 343 luminaires of ``../eclairage_za.csv`` with the data of
  art. 5 of the arrêté of 27 December 2018 (ULR, CIE flux code n° 3, colour temperature, maximum
  power, nominal flux) and the installation kind (``Usage``: voirie / parking); a few cells left
  blank on purpose (those rules are then "unknown"), some luminaires non-compliant on purpose
  (4,000 K LEDs, LEDs with a 2 % ULR, globes emitting 55 % upwards, car parks lit all night).
- ``za_sites.csv``: per business park its activity hours and days, default installation kind,
  built-up or not, protected or not, lit surface.

The values are invented for the example; they describe no real luminaire.

    python examples/2025/conformite/make_conformite.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
#: Luminous efficacy used to invent a nominal flux [lm/W] (example values, not sourced).
EFFICACY = {"LED": 130.0, "SHP": 100.0, "iodures métalliques": 85.0, "ballon fluo": 50.0}


def main() -> None:
    rng = np.random.default_rng(2018)
    lum = pd.read_csv(HERE.parent / "eclairage_za.csv", sep=";", decimal=",", dtype={"Identifiant": str})
    tech = lum["Type de source"]
    za = lum["Zone d'activité"]
    n = len(lum)
    draw = rng.random(n)
    usage = np.full(n, "", dtype=object)
    for name, parking in (("Parc d'activités de l'Escaut", 20), ("ZA des Tilleuls", 10)):
        rows = np.flatnonzero(za == name)
        usage[rows] = "voirie"
        usage[rows[:parking]] = "parking"
    ulr = np.select([tech == "LED", tech == "SHP", tech == "iodures métalliques", tech == "ballon fluo"],
                    [np.where(draw < 0.1, 2.0, np.where(draw < 0.3, 0.5, 0.0)), 2.5, 4.0, 55.0])
    cie = np.select([tech == "LED", tech == "SHP", tech == "iodures métalliques", tech == "ballon fluo"],
                    [np.where(draw > 0.88, 94.0, 98.0), 88.0, 85.0, 40.0])
    cct = np.select([tech == "LED", tech == "SHP", tech == "iodures métalliques", tech == "ballon fluo"],
                    [np.where(draw > 0.85, 4000.0, np.where(draw > 0.6, 2700.0, 3000.0)), 2000.0, 4200.0, 4000.0])
    power = lum["Puissance (W)"].to_numpy(float)
    flux = power * tech.map(EFFICACY).to_numpy(float)
    blank = rng.random((4, n))
    out = lum.copy()
    out["Usage"] = usage
    out["ULR (%)"] = np.where(blank[0] < 0.08, np.nan, ulr)
    out["Code flux CIE n°3 (%)"] = np.where(blank[1] < 0.08, np.nan, cie)
    out["Température de couleur (K)"] = np.where(blank[2] < 0.04, np.nan, cct)
    out["Puissance maximale (W)"] = np.where(blank[3] < 0.15, np.nan, power)
    out["Flux nominal (lm)"] = np.where((za == "ZA du Moulin") & (blank[3] > 0.95), np.nan, np.round(flux, -1))
    out.to_csv(HERE / "eclairage_za_conformite.csv", sep=";", decimal=",", index=False, float_format="%.10g",
               encoding="utf-8")
    sites = pd.DataFrame({
        "Zone d'activité": ["ZA du Moulin", "ZA des Tilleuls", "ZA du Chemin Vert", "Parc d'activités de l'Escaut"],
        "Identifiant du site": ["SYNTH-ZA-001", "SYNTH-ZA-002", "SYNTH-ZA-003", "SYNTH-ZA-004"],
        "Début d'activité": ["06:00", "05:00", "07:00", "08:00"],
        "Fin d'activité": ["21:00", "23:30", "20:00", "18:00"],
        "Jours d'activité": ["lun-ven", "lun-dim", "lun-ven", "lun-sam"],
        "Usage": ["voirie", "voirie", "voirie", "voirie"],
        "En agglomération": ["oui", "oui", "non", "oui"],
        "Site protégé": ["non", "non", "oui", "non"],
        "Surface éclairée (m²)": pd.array([52000, 38000, 61000, None], dtype="Int64"),
    })
    sites.to_csv(HERE / "za_sites.csv", sep=";", index=False, encoding="utf-8")


if __name__ == "__main__":
    main()
