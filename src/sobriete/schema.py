"""Schemas of the inputs: each domain's canonical columns, units and aliases, and the one name
normaliser.

This is the bottom layer: it imports nothing of sobriete, so the readers (:mod:`sobriete.io`) and
every engine module (equipment, network, hosting, lighting) take their column names, spellings
and unit suffixes from here, and none of them has to import another to know a schema.

Names typed by people ("FIBRE DEDIÉE", "Salle  serveur", "Iodures métalliques") are matched
through :func:`normalise_name` (case, accents, spaces, punctuation folded), everywhere the same.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import numpy as np
import pandas as pd

#: Electricity grid zone used when a row names none.
DEFAULT_ZONE = "FR"
#: Schedule id of the lighting's default schedule (dusk to dawn).
DEFAULT_SCHEDULE_ID = "default"

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00a0": " ", "\u202f": " "})
_SEPARATORS = re.compile(r"[\s_\-]+")


def normalise_name(text: object) -> str:
    """Key under which a name typed by a person is matched: accents removed, casefolded,
    typographic quotes made straight, and runs of spaces, underscores and hyphens folded to one
    space.

    Parameters
    ----------
    text : object
        A header, category, technology, kind... (anything; ``str()`` is applied).

    Returns
    -------
    str

    Examples
    --------
    >>> normalise_name("  FIBRE DEDIÉE ")
    'fibre dediee'
    >>> normalise_name("Salle  serveur") == normalise_name("salle_serveur")
    True
    >>> normalise_name("Date d\u2019achat")
    "date d'achat"
    """
    decomposed = unicodedata.normalize("NFKD", str(text).translate(_QUOTES))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", stripped).strip().casefold()


def normalise_names(values: pd.Series) -> pd.Series:
    """:func:`normalise_name` of each value of a column, computed once per distinct value;
    missing values stay missing.

    Examples
    --------
    >>> normalise_names(pd.Series(["LED", "led ", None, "Sodium-Haute Pression"])).tolist()
    ['led', 'led', None, 'sodium haute pression']
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    keys = np.array([normalise_name(u) for u in uniques] + [None], dtype=object)
    return pd.Series(keys[codes], index=values.index, dtype=object)


def alias_table(aliases: Mapping[str, str]) -> dict[str, str]:
    """An alias table keyed by :func:`normalise_name` of each spelling (ids map to themselves).

    Examples
    --------
    >>> alias_table({"Fibre dédiée": "fibre_pro"})
    {'fibre dediee': 'fibre_pro', 'fibre pro': 'fibre_pro'}
    """
    table = {normalise_name(k): v for k, v in aliases.items()}
    for target in set(aliases.values()):
        table.setdefault(normalise_name(target), target)
    return table


# --------------------------------------------------------------------------- equipment
#: Canonical inventory columns and their meaning [unit].
INVENTORY_COLUMNS = {
    "category": "catalog equipment category id (required)",
    "quantity": "number of devices [1], default 1",
    "purchase_year": "year of purchase or commissioning",
    "purchase_date": "date of purchase (wins over purchase_year where both are given)",
    "lifetime_years": "lifetime override [year]",
    "energy_kwh_per_year": "measured annual electricity [kWh/year], overrides the profile",
    "power_w": "average power when on [W] (with hours_per_year, overrides the profile)",
    "hours_per_year": "hours on per year [h/year]",
    "condition": "'new' (default) or 'refurbished'",
    "zone": "electricity grid zone, default 'FR'",
    "status": "'in_service' (default), 'in_stock' (not powered: no use phase) or 'in_repair' (counted in service)",
}
CONDITIONS = ("new", "refurbished")
#: Values of the inventory's ``status`` column (missing: in service).
STATUSES = ("in_service", "in_stock", "in_repair")
#: Spellings of the statuses (GLPI's French defaults among them), matched through normalise_name.
STATUS_ALIASES = {"en service": "in_service", "service": "in_service", "actif": "in_service",
                  "in service": "in_service", "en stock": "in_stock", "stock": "in_stock", "in stock": "in_stock",
                  "en réparation": "in_repair", "réparation": "in_repair", "en maintenance": "in_repair",
                  "in repair": "in_repair"}
#: Unit of ``power_<unit>`` and ``energy_<unit>_per_year`` column suffixes.
POWER_ENERGY_SUFFIX_UNITS = {"w": "W", "kw": "kW", "mw": "MW", "wh": "Wh", "kwh": "kWh", "mwh": "MWh", "gwh": "GWh"}


# --------------------------------------------------------------------------- network
#: Canonical traffic columns and their meaning [unit].
TRAFFIC_COLUMNS = {
    "network": "'fixed' or 'mobile' ('wifi' counts as fixed: it goes through the box) (required)",
    "volume_gb": "data volume [GB = 10⁹ bytes]; or 'volume' with a 'unit' column (MB, GB, TB, Mo, Go, To), "
                 "or a 'volume_<unit>' column such as 'volume_to'",
    "zone": "network zone, default 'FR' (per-GB factors exist for FR and EU27)",
}
#: Canonical line columns and their meaning [unit].
LINE_COLUMNS = {
    "technology": "access technology: ftth, fibre_pro, adsl, vdsl, sdsl, cable, mobile_4g, mobile_5g (required)",
    "count": "number of lines or subscriptions [1], default 1",
    "zone": "electricity grid zone, default 'FR'",
}
#: Spellings found in operator invoices, mapped to catalog ids (matched lower-case).
NETWORK_ALIASES = {"fixe": "fixed", "wifi": "fixed", "wi-fi": "fixed", "internet fixe": "fixed",
                   "cellulaire": "mobile", "internet mobile": "mobile", "4g": "mobile", "5g": "mobile"}
LINE_TECHNOLOGY_ALIASES = {
    "fibre": "ftth", "fibre optique": "ftth", "ftth": "ftth", "ftto": "fibre_pro", "fibre pro": "fibre_pro",
    "fibre dédiée": "fibre_pro", "fibre dediee": "fibre_pro", "adsl2+": "adsl", "adsl 2+": "adsl",
    "vdsl2": "vdsl", "câble": "cable", "coaxial": "cable", "4g": "mobile_4g", "mobile 4g": "mobile_4g",
    "forfait 4g": "mobile_4g", "5g": "mobile_5g", "mobile 5g": "mobile_5g", "forfait 5g": "mobile_5g",
}
#: Unit of ``volume_<unit>`` column suffixes.
VOLUME_SUFFIX_UNITS = {"kb": "kB", "mb": "MB", "gb": "GB", "tb": "TB", "pb": "PB",
                       "ko": "ko", "mo": "Mo", "go": "Go", "to": "To", "gib": "GiB", "tib": "TiB"}


# --------------------------------------------------------------------------- hosting
#: Canonical hosting columns and their meaning [unit].
HOSTING_COLUMNS = {
    "kind": "on_premises, colocation or cloud (required)",
    "it_energy_kwh": "measured IT electricity [kWh/year]",
    "servers": "number of servers [1] (embodied impacts; IT energy with power_w or the catalog profile)",
    "power_w": "average power per server, or per cloud instance [W]",
    "hours_per_year": "hours on per year [h/year], default 8760",
    "instance_hours": "cloud instance-hours in the year [h] (with power_w per instance)",
    "contracted_kw": "colocation contracted IT power [kW] (× hours: an upper bound)",
    "pue": "power usage effectiveness [1], ≥ 1; default: the catalog's value for the kind",
    "cooling_kwh": "measured cooling and other overhead electricity [kWh/year] (replaces the PUE)",
    "server_category": "equipment category of the servers, default 'server_rack'",
    "purchase_year": "servers' purchase year (embodied allocation); none: steady state",
    "spend_eur": "cloud or hosting spend [EUR/year], last resort, needs a spend factor in the catalog",
    "zone": "electricity grid zone, default 'FR'",
}
KIND_ALIASES = {"sur site": "on_premises", "salle serveur": "on_premises", "salle informatique": "on_premises",
                "on-premises": "on_premises", "on premises": "on_premises", "interne": "on_premises",
                "hébergement": "colocation", "hebergement": "colocation", "datacenter": "colocation",
                "colocation": "colocation", "cloud": "cloud", "nuage": "cloud"}


# --------------------------------------------------------------------------- lighting
#: Canonical columns of a luminaire inventory [unit].
LUMINAIRE_COLUMNS = {
    "za": "business park (zone d'activité) name",
    "luminaire_id": "luminaire identifier (optional)",
    "count": "number of identical luminaires on the row [1], default 1",
    "technology": "led, hps, metal_halide, fluorescent, mercury (French names accepted)",
    "lamp_power_w": "lamp (or LED luminaire) power [W]",
    "gear_loss": "control-gear losses not included in lamp_power_w [share, 0.15 = 15 %], "
                 "default per technology",
    "installation_year": "year the luminaire was installed",
    "latitude": "site latitude [deg] (default: the ZA's)",
    "longitude": "site longitude [deg] (default: the ZA's)",
    "schedule": f"schedule id (default '{DEFAULT_SCHEDULE_ID}': dusk to dawn)",
    "zone": f"electricity grid zone, default '{DEFAULT_ZONE}'",
}
#: Inventory spellings of each technology (accents, case and separators ignored).
LIGHTING_TECHNOLOGY_ALIASES = {
    "led": "led", "del": "led",
    "hps": "hps", "shp": "hps", "son": "hps", "sodium": "hps", "sodium haute pression": "hps",
    "high pressure sodium": "hps", "vapeur de sodium haute pression": "hps",
    "metal halide": "metal_halide", "mh": "metal_halide", "iodures metalliques": "metal_halide",
    "iodure metallique": "metal_halide", "halogenures metalliques": "metal_halide", "im": "metal_halide",
    "cosmopolis": "metal_halide",
    "mercury": "mercury", "mercure": "mercury", "ballon fluo": "mercury", "ballon fluorescent": "mercury",
    "vapeur de mercure": "mercury", "hg": "mercury", "mbf": "mercury",
    "fluorescent": "fluorescent", "fluo": "fluorescent", "fluocompacte": "fluorescent",
    "fluorescente": "fluorescent", "tube fluorescent": "fluorescent",
}
