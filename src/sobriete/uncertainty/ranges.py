"""The users' own uncertainty ranges, read from a file (CSV as French offices write it, XLSX or YAML).

One row per range::

    parametre;element;bas;valeur;haut;loi;note
    lifetime_years;laptop;4;5;7;triangulaire;hypothèse : durée de vie des portables entre 4 et 7 ans
    electricity/FR/2025/mix/gwp;;0,045;;0,065;uniforme;hypothèse : ...

``parameter`` is a catalog factor id (:meth:`~sobriete.factors.FactorCatalog.factor_ids`), whose
range then replaces the catalog's in the factor's unit, or an override kind of
:data:`~sobriete.uncertainty.USER_FIELDS` drawn on the user's own data (multipliers [1], lifetimes
[year]) for one ``item`` (equipment category, line technology, hosting kind, network, lighting
technology or ZA) or for every row. Every row becomes a :class:`~sobriete.uncertainty.UserRange` or
the file is refused in one sentence naming the file, the row and the column: a range is never
dropped silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputFormatError, InputValueError, UnknownNameError
from ..factors import FactorCatalog, load_catalog
from ..parsing import load_yaml, parse_numbers
from ..schema import alias_table, normalise_name
from .monte_carlo import DISTRIBUTIONS, USER_FIELDS, UserRange, factor_range_multipliers, unknown_factor_error

#: Columns of a ranges file: canonical name → the spellings read (French and English).
COLUMNS = {"parameter": ("parametre", "paramètre", "parameter", "factor_id", "facteur"),
           "item": ("element", "élément", "item", "categorie", "catégorie", "category", "technologie",
                    "technology", "za"),
           "low": ("bas", "min", "minimum", "low"),
           "value": ("valeur", "mode", "value"),
           "high": ("haut", "max", "maximum", "high"),
           "distribution": ("loi", "distribution"),
           "domain": ("domaine", "domain"),
           "note": ("note", "source", "commentaire", "comment", "hypothese", "hypothèse")}
#: Columns a ranges file must have.
REQUIRED = ("parameter", "low", "high")
#: Distributions a ranges file may name, with their French spellings.
DISTRIBUTION_NAMES = {"triangular": "triangular", "triangulaire": "triangular", "uniform": "uniform",
                      "uniforme": "uniform", "lognormal": "lognormal", "lognormale": "lognormal",
                      "log normale": "lognormal", "log normal": "lognormal"}
#: Domain names a ranges file may use (the registry's, and French ones).
DOMAIN_NAMES = {"equipment": "equipment", "equipements": "equipment", "traffic": "traffic", "trafic": "traffic",
                "lines": "lines", "lignes": "lines", "hosting": "hosting", "hebergement": "hosting",
                "lighting": "lighting", "eclairage": "lighting"}
#: The catalog column listing each domain's items (None: free names, such as lighting ZA).
ITEM_COLUMNS = {"equipment": "category", "traffic": "network", "lines": "technology", "hosting": "kind",
                "lighting": None}

_ALIASES = alias_table({spelling: name for name, spellings in COLUMNS.items() for spelling in spellings})
_DISTRIBUTIONS = alias_table(DISTRIBUTION_NAMES)
_DOMAINS = alias_table(DOMAIN_NAMES)
#: Override kinds a ranges file may name, with their French spellings.
FIELD_NAMES = {"lifetime_years": "lifetime_years", "durée de vie": "lifetime_years",
               "quantity_multiplier": "quantity_multiplier", "multiplicateur de quantité": "quantity_multiplier",
               "energy_multiplier": "energy_multiplier", "multiplicateur d'énergie": "energy_multiplier"}
_FIELDS = alias_table(FIELD_NAMES)


def read_ranges(path: str | Path, *, catalog: FactorCatalog | None = None) -> list[UserRange]:
    """The ranges of a CSV, XLSX or YAML file, checked against ``catalog``.

    Parameters
    ----------
    path : path
        CSV (``;`` or ``,``, decimal comma, UTF-8 with or without BOM, or cp1252), XLSX (first
        sheet) or YAML (a list of mappings, or ``ranges:`` holding one) with the columns
        ``parameter, [item], low, [value], high, [distribution], [domain], [note]`` (French
        headers ``paramètre, élément, bas, valeur, haut, loi, domaine, note`` too).
    catalog : FactorCatalog, keyword-only
        Whose factor ids and items are valid; default: the bundled catalog.

    Returns
    -------
    list of UserRange
        One per row, in the file's order. A missing ``value`` is the catalog's value for a
        factor, 1 for a multiplier whose range holds 1, else the middle of the range; a missing
        ``distribution`` is triangular; a missing ``domain`` is the one whose catalog lists the
        item (equipment when no item is given).

    Raises
    ------
    SobrieteError
        One sentence naming the file, the row and the column: a missing column, a cell that is not
        a number, ``low > high``, a value outside the range, a factor id unknown to the catalog
        (with the closest ids), a range that excludes the catalog's value, an unknown item,
        distribution or domain, a range given twice, a CSV line with more fields than the header.

    Examples
    --------
    >>> ranges = read_ranges("examples/uncertainty/ranges.csv")
    >>> ranges[0].field, ranges[0].item, ranges[0].low, ranges[0].high
    ('lifetime_years', 'laptop', 4.0, 7.0)
    """
    path = Path(path)
    catalog = catalog if catalog is not None else load_catalog()
    table, headers, decimal = _read_table(path)
    rows = _Rows(path, table, headers, decimal)
    ids = catalog.factor_ids()
    values = dict(zip(ids, catalog.factor_table()["value"].to_numpy(float)))
    known = _catalog_items(catalog)
    out: list[UserRange] = []
    seen: dict[str, int] = {}
    for position, row in enumerate(table.index):
        spec = rows.range_at(position, values, known)
        if spec.id in seen:
            raise InputValueError(f"the range of {spec.id} is given twice (rows {seen[spec.id]} and {row})",
                                  file=str(path), row=int(row), column=headers["parameter"],
                                  code="ranges_duplicate", range=spec.id, first=seen[spec.id])
        seen[spec.id] = int(row)
        out.append(spec)
    if not out:
        raise InputFormatError("the ranges file has no range", file=str(path), code="ranges_empty")
    return out


class _Rows:
    """The checks of one ranges table, each error located in the file (row as the user sees it)."""

    def __init__(self, path: Path, table: pd.DataFrame, headers: Mapping[str, str], decimal: str):
        self.path, self.table, self.headers = path, table, headers
        self.numbers = {c: self._numbers(c, decimal) for c in ("low", "value", "high") if c in table.columns}

    def where(self, i: int, column: str) -> dict[str, Any]:
        return {"file": str(self.path), "row": int(self.table.index[i]), "column": self.headers.get(column, column)}

    def _numbers(self, column: str, decimal: str) -> np.ndarray:
        parsed = parse_numbers(self.table[column].replace({"": None}), decimal=decimal)
        bad = parsed.map(lambda v: isinstance(v, str)).to_numpy(bool)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputValueError(f"{self.table[column].iloc[i]!r} is not a number", **self.where(i, column),
                                  code="ranges_not_a_number", value=self.table[column].iloc[i])
        return pd.to_numeric(parsed).to_numpy(float)

    def text(self, column: str, i: int) -> str:
        return str(self.table[column].iloc[i]).strip() if column in self.table.columns else ""

    def range_at(self, i: int, values: Mapping[str, float], known: Mapping[str, Mapping[str, str]]) -> UserRange:
        """Row ``i`` as a checked :class:`UserRange`."""
        parameter = self.text("parameter", i)
        if not parameter:
            raise InputValueError("the parameter is empty: give a factor id or one of " + ", ".join(USER_FIELDS),
                                  **self.where(i, "parameter"), code="ranges_empty_parameter",
                                  fields=list(USER_FIELDS))
        low, high = self.numbers["low"][i], self.numbers["high"][i]
        for column, number in (("low", low), ("high", high)):
            if np.isnan(number):
                raise InputValueError(f"the {column} bound is missing", **self.where(i, column),
                                      code="ranges_missing_bound")
        if low > high:
            raise InputValueError(f"low {low:g} is above high {high:g}", **self.where(i, "low"),
                                  code="ranges_low_above_high", low=low, high=high)
        mode = self.numbers["value"][i] if "value" in self.numbers else np.nan
        common = {"distribution": self._distribution(i), "note": self.text("note", i)}
        if "/" in parameter:
            return self._factor(i, parameter, low, mode, high, values, common)
        field = _FIELDS.get(normalise_name(parameter))
        if field is None:
            close = unknown_factor_error(parameter, values).params["close"]  # the choices: fields and close ids
            raise UnknownNameError("range parameter", parameter, [*USER_FIELDS, *close], **self.where(i, "parameter"),
                                   hint="or a catalog factor id", code="ranges_unknown_parameter")
        domain, item = self._item(i, known)
        if np.isnan(mode):
            mode = 1.0 if field != "lifetime_years" and low <= 1.0 <= high else (low + high) / 2
        return self._build(i, field, low, mode, high, item=item, domain=domain, **common)

    def _factor(self, i: int, parameter: str, low: float, mode: float, high: float, values: Mapping[str, float],
                common: Mapping[str, str]) -> UserRange:
        if parameter not in values:
            raise unknown_factor_error(parameter, values, **self.where(i, "parameter"))
        if self.text("item", i):
            raise InputValueError(f"a range on the factor {parameter} takes no item: its id names it",
                                  **self.where(i, "item"), code="ranges_factor_item", factor=parameter)
        # no value: the catalog's (within the range, else the check below refuses the range)
        mode = min(max(values[parameter], low), high) if np.isnan(mode) else mode
        spec = self._build(i, parameter, low, mode, high, **common)
        try:
            factor_range_multipliers(spec, values[parameter])
        except InputValueError as exc:
            raise InputValueError(exc.message, **self.where(i, "low"), code=exc.code, **exc.params) from None
        return spec

    def _build(self, i: int, *args: Any, **kwargs: Any) -> UserRange:
        """The :class:`UserRange`, its own checks (0 ≤ low ≤ value ≤ high) located in the file."""
        field, low, mode, high = args
        try:
            return UserRange(field, float(low), float(mode), float(high), **kwargs)
        except InputValueError as exc:
            column = "low" if low < 0 else "value"  # low > high and non-numbers are refused before
            raise InputValueError(exc.message, **self.where(i, column), code=exc.code, **exc.params) from None

    def _distribution(self, i: int) -> str:
        given = self.text("distribution", i)
        if not given:
            return "triangular"
        name = _DISTRIBUTIONS.get(normalise_name(given))
        if name is None:
            raise UnknownNameError("distribution", given, DISTRIBUTIONS[:3], **self.where(i, "distribution"))
        return name

    def _item(self, i: int, known: Mapping[str, Mapping[str, str]]) -> tuple[str, str | None]:
        """The domain and the item id of row ``i`` (the item as the catalog spells it)."""
        item, given = self.text("item", i), self.text("domain", i)
        domain = _DOMAINS.get(normalise_name(given)) if given else None
        if given and domain is None:
            raise UnknownNameError("domain", given, ITEM_COLUMNS, **self.where(i, "domain"))
        if not item:
            return domain or "equipment", None
        key = normalise_name(item)
        if domain is None:
            owners = [d for d, items in known.items() if key in items]
            if len(owners) != 1:
                raise UnknownNameError("range item", item, sorted({v for m in known.values() for v in m.values()}),
                                       **self.where(i, "item"), code="ranges_unknown_item",
                                       hint="give a 'domain' column for a lighting ZA or technology")
            domain = owners[0]
        if domain not in known:  # free names (lighting ZA or technology)
            return domain, item
        if key not in known[domain]:
            raise UnknownNameError("range item", item, known[domain].values(), **self.where(i, "item"),
                                   code="ranges_unknown_item")
        return domain, known[domain][key]


def _read_table(path: Path) -> tuple[pd.DataFrame, dict[str, str], str]:
    """The ranges table as text cells with canonical column names, indexed by the row a user sees
    (CSV line, sheet row, YAML entry from 1); the file's header of each canonical column; the
    decimal mark of ambiguous numbers."""
    if path.suffix.lower() in (".yaml", ".yml"):
        frame, decimal = _yaml_table(path), "."
    else:
        from ..io import read_raw

        raw = read_raw(path)
        if len(raw.bad_rows):
            bad = raw.bad_rows.iloc[0]
            raise InputFormatError(f"this line has more fields than the header ({bad['reason']}); with ',' as "
                                   "separator, write decimals with a point or separate the columns with ';'",
                                   file=str(path), row=int(bad["row"]), code="ranges_too_many_fields",
                                   detail=str(bad["value"]))
        frame, decimal = raw.frame, raw.decimal
    frame = frame.astype(object).where(frame.notna(), "").astype(str)
    headers = {}
    for column in frame.columns:
        name = _ALIASES.get(normalise_name(column))
        if name is not None and name not in headers:
            headers[name] = str(column)
    frame = frame.rename(columns={v: k for k, v in headers.items()})[list(headers)]
    missing = [c for c in REQUIRED if c not in headers]
    if missing:
        raise InputFormatError(f"the ranges file has no '{missing[0]}' column (columns: "
                               f"{', '.join(map(str, headers.values()))})", file=str(path),
                               code="ranges_missing_column", missing=missing[0], columns=list(headers.values()),
                               expected=list(COLUMNS[missing[0]]))
    return frame, headers, decimal


def _yaml_table(path: Path) -> pd.DataFrame:
    data = load_yaml(path, what="ranges file", what_fr="le fichier de plages")
    entries = data.get("ranges", data.get("plages")) if isinstance(data, Mapping) else data
    if not isinstance(entries, list) or not all(isinstance(e, Mapping) for e in entries):
        raise InputFormatError("the ranges file must be a YAML list of ranges (parameter:, low:, high: ...), or "
                               "hold one under 'ranges:'", file=str(path), code="ranges_not_a_list")
    frame = pd.DataFrame([{str(k): v for k, v in e.items()} for e in entries])
    frame.index = pd.Index(_entry_lines(path, len(entries)), name="row")
    return frame


def _entry_lines(path: Path, count: int) -> list[int]:
    """The line of the file where each of the ``count`` ranges of a YAML ranges file starts."""
    import yaml

    node = yaml.compose(path.read_text(encoding="utf-8-sig"))
    if isinstance(node, yaml.MappingNode):  # ranges: [...]
        node = next(v for k, v in node.value if k.value in ("ranges", "plages"))
    return [entry.start_mark.line + 1 for entry in node.value][:count]


def _catalog_items(catalog: FactorCatalog) -> dict[str, dict[str, str]]:
    """Each domain's item ids keyed by their normalised spelling (domains with free names left out)."""
    from ..io.domains import DOMAINS as READ

    out = {}
    for domain, column in ITEM_COLUMNS.items():
        if column is not None:
            out[domain] = {normalise_name(v): str(v) for v in dict(READ[domain].valid(catalog))[column]}
    return out
