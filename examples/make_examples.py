"""Generate the SYNTHETIC yearly inputs in ``examples/2025/`` (seeded: the same files every run).

The files imitate what a French inter-municipal authority exports from GLPI and keeps in a
spreadsheet; the numbers describe no real authority. Run from the repository root::

    python examples/make_examples.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sobriete.synthetic import SERVICES, commune_names

OUT = Path(__file__).parent / "2025"
SEED = 2025
AGGLO_SERVICES = ("Informatique (DSI)", "Développement économique", "Ressources humaines", "Finances",
                  "Collecte des déchets", "Eau et assainissement", "Communication", "Mobilité")
SITES = ("Mairie", "École élémentaire", "École maternelle", "Médiathèque", "Centre technique", "Salle des sports")
STATUSES = ("En service", "En service", "En service", "En stock", "En réparation")
COMPUTER_TYPES = {"Ordinateur portable": 0.38, "Portable": 0.07, "Unité centrale": 0.35, "Client léger": 0.06,
                  "Tout-en-un": 0.05, "Tablette": 0.05, "Serveur": 0.02, "Station de travail": 0.02}
NETWORK_TYPES = {"Switch": 0.45, "Borne Wi-Fi": 0.3, "Routeur": 0.06, "Pare-feu": 0.04, "Box internet": 0.15}
MAKERS = {"laptop": [("Dell", "Latitude 5440"), ("HP", "ProBook 450 G9"), ("Lenovo", "ThinkPad T14")],
          "desktop": [("Dell", "OptiPlex 7010"), ("HP", "EliteDesk 800 G6"), ("Lenovo", "ThinkCentre M70q")],
          "monitor": [("Dell", "P2422H"), ("Iiyama", "ProLite XU2493HS"), ("HP", "E24 G5"), ("Samsung", "S27R650")],
          "network": [("Cisco", "Catalyst 1000"), ("HPE Aruba", "Instant On 1930"), ("Ubiquiti", "UniFi U6")],
          "phone": [("Samsung", "Galaxy A54"), ("Apple", "iPhone 13"), ("Crosscall", "Core-X5"),
                    ("Nokia", "105")]}


def entities(rng: np.random.Generator, n: int) -> np.ndarray:
    """Entité (GLPI full name): 70 % of devices in the 46 communes, 30 % in the agglomeration's services."""
    communes = np.array(commune_names())
    agglo = np.array([f"Agglomération > {s}" for s in AGGLO_SERVICES])
    in_commune = rng.random(n) < 0.7
    return np.where(in_commune, communes[rng.integers(0, len(communes), n)], agglo[rng.integers(0, len(agglo), n)])


def purchase_dates(rng: np.random.Generator, n: int, *, missing: float = 0.05) -> pd.Series:
    days = rng.integers(0, (pd.Timestamp("2025-06-30") - pd.Timestamp("2013-01-01")).days, n)
    dates = pd.Series(pd.Timestamp("2013-01-01") + pd.to_timedelta(days, unit="D"))
    return dates.mask(rng.random(n) < missing)


def pick(rng: np.random.Generator, weights: dict[str, float], n: int) -> np.ndarray:
    names = list(weights)
    p = np.asarray(list(weights.values()))
    return np.array(names)[rng.choice(len(names), size=n, p=p / p.sum())]


def computers_and_monitors(rng: np.random.Generator) -> pd.DataFrame:
    n_pc, n_mon = 1500, 1300
    kind = pick(rng, COMPUTER_TYPES, n_pc)
    family = np.where(np.isin(kind, ["Ordinateur portable", "Portable", "Tablette"]), "laptop", "desktop")
    makers = [MAKERS[f][i % len(MAKERS[f])] for f, i in zip(family, rng.integers(0, 3, n_pc))]
    pcs = pd.DataFrame({
        "Nom": [f"PC-{i:05d}" for i in range(n_pc)], "Entité": entities(rng, n_pc), "Type": kind,
        "Fabricant": [m[0] for m in makers], "Modèle": [m[1] for m in makers],
        "Numéro de série": [f"SN{rng.integers(10**8, 10**9)}" for _ in range(n_pc)],
        "Lieu": np.array(SITES)[rng.integers(0, len(SITES), n_pc)],
        "Statut": np.array(STATUSES)[rng.integers(0, len(STATUSES), n_pc)],
        "Date d'achat": purchase_dates(rng, n_pc), "Utilisateur": [f"agent{i:04d}" for i in rng.integers(0, 2000, n_pc)],
        "Taille": None, "Quantité": 1})
    sizes = rng.choice([19.5, 21.5, 23.8, 24, 27, 31.5, 34], size=n_mon, p=[.05, .1, .35, .3, .12, .05, .03])
    models = [MAKERS["monitor"][i] for i in rng.integers(0, 4, n_mon)]
    monitors = pd.DataFrame({
        "Nom": [f"ECR-{i:05d}" for i in range(n_mon)], "Entité": entities(rng, n_mon),
        "Type": np.where(rng.random(n_mon) < 0.8, "Écran", "Moniteur"),
        "Fabricant": [m[0] for m in models], "Modèle": [m[1] for m in models],
        "Numéro de série": [f"MN{rng.integers(10**8, 10**9)}" for _ in range(n_mon)],
        "Lieu": np.array(SITES)[rng.integers(0, len(SITES), n_mon)],
        "Statut": np.array(STATUSES)[rng.integers(0, len(STATUSES), n_mon)],
        "Date d'achat": purchase_dates(rng, n_mon), "Utilisateur": None, "Taille": sizes, "Quantité": 1})
    frame = pd.concat([pcs, monitors], ignore_index=True)
    # Devices no longer in the estate (excluded and reported).
    gone = rng.choice(len(frame), 40, replace=False)
    frame.loc[gone, "Statut"] = np.array(["Au rebut", "Déchet", "Volé"])[rng.integers(0, 3, 40)]
    # Deliberately bad rows: an unknown type, a negative quantity, a purchase date in the future.
    frame.loc[[17, 230, 905], "Type"] = ["Tablette graphique", "Tablette graphique", "Imprimante 3D"]
    frame.loc[412, "Quantité"] = -1
    frame.loc[1210, "Date d'achat"] = pd.Timestamp("2031-09-01")
    return frame


def write_glpi_csv(frame: pd.DataFrame, path: Path, *, encoding: str) -> None:
    """Write as a French GLPI export: ';', decimal comma, dd/mm/yyyy, padded headers and cells, a blank line."""
    out = frame.copy()
    out["Date d'achat"] = out["Date d'achat"].dt.strftime("%d/%m/%Y")
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            out[column] = out[column].map(lambda v: "" if pd.isna(v) else f"{v:g}".replace(".", ","))
    out = out.rename(columns={"Entité": "Entité ", "Type": " Type", "Date d'achat": "Date d'achat  "})
    out["Lieu"] = out["Lieu"] + "  "  # trailing spaces in cells
    text = out.to_csv(sep=";", index=False, lineterminator="\r\n")
    lines = text.split("\r\n")
    lines.insert(len(lines) // 2, "")  # a stray blank line in the middle
    path.write_bytes("\r\n".join(lines).encode(encoding))


def network_devices(rng: np.random.Generator) -> pd.DataFrame:
    n = 320
    kind = pick(rng, NETWORK_TYPES, n)
    models = [MAKERS["network"][i] for i in rng.integers(0, 3, n)]
    power_kw = np.where(kind == "Switch", rng.choice([0.015, 0.035, 0.12], n), np.nan)
    return pd.DataFrame({
        "Nom": [f"NET-{i:04d}" for i in range(n)], "Entité": entities(rng, n), "Type": kind,
        "Fabricant": [m[0] for m in models], "Modèle": [m[1] for m in models],
        "Numéro de série": [f"NS{rng.integers(10**8, 10**9)}" for _ in range(n)],
        "Lieu": np.array(SITES)[rng.integers(0, len(SITES), n)], "Statut": "En service",
        "Date d'achat": purchase_dates(rng, n), "Puissance (kW)": power_kw,
        "Heures d'utilisation par an": np.where(np.isnan(power_kw), np.nan, 8760.0)})


def mobile_phones(rng: np.random.Generator) -> pd.DataFrame:
    n = 760
    smart = rng.random(n) < 0.82
    models = [MAKERS["phone"][i if s else 3] for s, i in zip(smart, rng.integers(0, 3, n))]
    quantity = np.where(rng.random(n) < 0.95, 1, rng.integers(2, 6, n))
    frame = pd.DataFrame({
        "Entité": entities(rng, n), "Service": np.array(SERVICES)[rng.integers(0, len(SERVICES), n)],
        "Type": np.where(smart, "Smartphone", "Téléphone mobile"),
        "Fabricant": [m[0] for m in models], "Modèle": [m[1] for m in models],
        "Numéro de ligne": [f"06 {rng.integers(10, 99)} {rng.integers(10, 99)} {rng.integers(10, 99)} "
                            f"{rng.integers(10, 99)}" for _ in range(n)],
        "Date d'achat": purchase_dates(rng, n, missing=0.02).dt.to_pydatetime(),
        "Quantité": quantity, "État à l'achat": np.where(rng.random(n) < 0.12, "Reconditionné", "Neuf")})
    frame.loc[55, "Quantité"] = -2  # a negative quantity
    return frame


def main() -> None:
    rng = np.random.default_rng(SEED)
    OUT.mkdir(exist_ok=True)
    write_glpi_csv(computers_and_monitors(rng), OUT / "glpi_ordinateurs_ecrans.csv", encoding="cp1252")
    write_glpi_csv(network_devices(rng), OUT / "glpi_materiels_reseau.csv", encoding="utf-8-sig")
    with pd.ExcelWriter(OUT / "telephones_mobiles.xlsx", engine="openpyxl") as writer:
        mobile_phones(rng).to_excel(writer, sheet_name="Flotte mobile", index=False)


if __name__ == "__main__":
    main()
