"""Factor catalog: load, validate and index the sourced emission factors of ``factors/``.

Factors are data, never code. The bundled files (``factors/`` at the repository root, shipped
inside the wheel as ``sobriete/factors``) are read once by :func:`load_catalog`, validated
row by row (pydantic), converted to canonical units (pint) and exposed as dense float64
arrays indexed by integer codes for the engine. A user's files of the same schema override
rows with the same key or add new rows. Every catalog carries a version and a content hash
that every result repeats.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from types import MappingProxyType
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import (CatalogError, DuplicateFactorError, UnitError, UnknownNameError, UnknownZoneYearError,
                     validation_detail, validation_params)
from .units import DAYS_PER_YEAR, conversion_factor
from .notices import Notice

#: Life-cycle phases (ADEME / Arcep PCR names), in report order.
PHASES = ("manufacturing", "distribution", "use", "end_of_life")
#: Phases whose impacts are embodied in the device (everything but use).
EMBODIED_PHASES = ("manufacturing", "distribution", "end_of_life")
#: Electricity usages: the average consumption mix, and specific uses ADEME publishes.
DEFAULT_USAGE = "mix"
#: Equipment parameters and their canonical units.
EQUIPMENT_PARAMETERS = {
    "lifetime": "year",
    "annual_energy": "kWh/year",
    "active_power": "W",
    "daily_use": "hour/day",
}
STATUSES = ("sourced", "derived", "assumption")


# --------------------------------------------------------------------------- row models
class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SourceRow(_Row):
    source_id: str = Field(min_length=1)
    organisation: str = Field(min_length=1)
    document: str = Field(min_length=1)
    year: int = Field(ge=1950, le=2100)
    licence: str = ""
    url: str = ""
    location: str = ""
    notes: str = ""


class CriterionRow(_Row):
    criterion: str = Field(min_length=1, pattern=r"^[a-z][a-z0-9_]*$")
    unit: str = Field(min_length=1)
    label_fr: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    description: str = ""
    source_id: str = ""


class ZoneRow(_Row):
    zone: str = Field(min_length=1)
    label_fr: str = Field(min_length=1)
    label_en: str = Field(min_length=1)


class CaveatRow(_Row):
    """A caveat a source states about its own factors for one criterion and phase."""

    criterion: str = Field(min_length=1)
    phase: Literal["manufacturing", "distribution", "use", "end_of_life"]
    message_en: str = Field(min_length=10)
    message_fr: str = Field(min_length=10)
    source_id: str = Field(min_length=1)


class CategoryRow(_Row):
    category: str = Field(min_length=1, pattern=r"^[a-z][a-z0-9_]*$")
    label_fr: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    family: str = ""
    description: str = ""


class FactorRow(_Row):
    """Columns shared by every factor table."""

    value: float
    unit: str = Field(min_length=1)
    low: float | None = None
    high: float | None = None
    source_id: str = Field(min_length=1)
    status: Literal["sourced", "derived", "assumption"] = "sourced"
    note: str = ""

    @field_validator("low", "high", mode="before")
    @classmethod
    def _empty_is_none(cls, value):
        return None if value in ("", None) else value

    @model_validator(mode="after")
    def _range_contains_value(self):
        if self.low is not None and self.low > self.value:
            raise ValueError(f"low ({self.low}) is above value ({self.value})")
        if self.high is not None and self.high < self.value:
            raise ValueError(f"high ({self.high}) is below value ({self.value})")
        return self

    @model_validator(mode="after")
    def _assumption_needs_reasoning(self):
        if self.status == "assumption" and not self.note:
            raise ValueError("an assumption needs its reasoning in 'note'")
        return self


class EquipmentImpactRow(FactorRow):
    category: str = Field(min_length=1)
    criterion: str = Field(min_length=1)
    phase: Literal["manufacturing", "distribution", "end_of_life"]


class EquipmentParameterRow(FactorRow):
    category: str = Field(min_length=1)
    parameter: Literal["lifetime", "annual_energy", "active_power", "daily_use"]

    @model_validator(mode="after")
    def _positive(self):
        if self.value < 0 or (self.parameter == "lifetime" and self.value == 0):
            raise ValueError(f"{self.parameter} must be positive, got {self.value}")
        return self


class RefurbishedRow(EquipmentImpactRow):
    """Same key as an equipment impact; ``value`` is the share kept [dimensionless]."""


class ElectricityRow(FactorRow):
    zone: str = Field(min_length=1)
    year: int = Field(ge=1990, le=2100)
    usage: str = Field(default=DEFAULT_USAGE, min_length=1)
    criterion: str = Field(min_length=1)



# network and hosting rows (issue #4)
NETWORKS = ("fixed", "mobile")
#: Per-GB factor bases: ``total`` = the whole network's life cycle allocated to data volume
#: (per-GB-only model); ``marginal`` = the volume-dependent part only (combined model).
TRAFFIC_BASES = ("total", "marginal")
#: Per-line parameters and their canonical units.
NETWORK_LINE_PARAMETERS = {"access_energy": "kWh/year", "boxes": "dimensionless"}
HOSTING_KINDS = ("on_premises", "colocation", "cloud")
HOSTING_PARAMETERS = {"pue": "dimensionless"}


class NetworkTechnologyRow(_Row):
    technology: str = Field(min_length=1, pattern=r"^[a-z][a-z0-9_]*$")
    network: Literal["fixed", "mobile"]
    label_fr: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    description: str = ""


class NetworkTrafficRow(FactorRow):
    zone: str = Field(min_length=1)
    network: Literal["fixed", "mobile"]
    basis: Literal["total", "marginal"]
    year: int = Field(ge=1990, le=2100)
    criterion: str = Field(min_length=1)


class NetworkLineRow(FactorRow):
    technology: str = Field(min_length=1)
    criterion: str = Field(min_length=1)
    phase: Literal["manufacturing", "distribution", "use", "end_of_life"]


class NetworkLineParameterRow(FactorRow):
    technology: str = Field(min_length=1)
    parameter: Literal["access_energy", "boxes"]

    @model_validator(mode="after")
    def _not_negative(self):
        if self.value < 0:
            raise ValueError(f"{self.parameter} must be ≥ 0, got {self.value}")
        return self


class HostingParameterRow(FactorRow):
    kind: Literal["on_premises", "colocation", "cloud"]
    parameter: Literal["pue"]

    @model_validator(mode="after")
    def _pue_at_least_one(self):
        if self.value < 1:
            raise ValueError(f"a PUE is ≥ 1 (total facility energy / IT energy), got {self.value}")
        return self


class HostingSpendRow(FactorRow):
    kind: Literal["on_premises", "colocation", "cloud"]
    criterion: str = Field(min_length=1)


class LightingTechnologyRow(FactorRow):
    """Per lighting technology: control-gear losses [share of lamp power] or lifetime [year]."""

    technology: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    parameter: Literal["gear_loss", "lifetime"]


class LightingImpactRow(FactorRow):
    """Embodied impact per luminaire (none is bundled: no public source)."""

    technology: str = Field(min_length=1)
    criterion: str = Field(min_length=1)
    phase: Literal["manufacturing", "distribution", "end_of_life"]


class LightingParameterRow(FactorRow):
    """Lighting-wide parameters (default energy price [EUR/kWh])."""

    parameter: Literal["energy_price"]


# --------------------------------------------------------------------------- table specs
UnitRule = Callable[[Mapping[str, object], Mapping[str, str]], str]


@dataclass(frozen=True)
class TableSpec:
    """How one factor table is read and checked.

    ``canonical_unit(row, criterion_units)`` gives the unit a row's value is converted to;
    ``references`` maps a column to the table whose key it must name.
    """

    name: str
    model: type[_Row]
    key: tuple[str, ...]
    canonical_unit: UnitRule | None = None
    references: Mapping[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.model.model_fields)


def _criterion_unit(row, units):
    return units[row["criterion"]]


def _per_kwh(row, units):
    return f"({units[row['criterion']]}) / kWh"


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec("sources", SourceRow, ("source_id",)),
        TableSpec("criteria", CriterionRow, ("criterion",)),
        TableSpec("zones", ZoneRow, ("zone",)),
        TableSpec("caveats", CaveatRow, ("criterion", "phase"), references={"criterion": "criteria"}),
        TableSpec("equipment_categories", CategoryRow, ("category",)),
        TableSpec("equipment_impacts", EquipmentImpactRow, ("category", "criterion", "phase"),
                  _criterion_unit, {"category": "equipment_categories", "criterion": "criteria"}),
        TableSpec("equipment_parameters", EquipmentParameterRow, ("category", "parameter"),
                  lambda row, units: EQUIPMENT_PARAMETERS[row["parameter"]],
                  {"category": "equipment_categories"}),
        TableSpec("refurbished", RefurbishedRow, ("category", "criterion", "phase"),
                  lambda row, units: "dimensionless", {"criterion": "criteria"}),
        TableSpec("electricity", ElectricityRow, ("zone", "year", "usage", "criterion"),
                  _per_kwh, {"zone": "zones", "criterion": "criteria"}),
        # --- network and hosting tables (issue #4) go here ---
        TableSpec("network_technologies", NetworkTechnologyRow, ("technology",)),
        TableSpec("network_traffic", NetworkTrafficRow, ("zone", "network", "basis", "year", "criterion"),
                  lambda row, units: f"({units[row['criterion']]}) / GB", {"zone": "zones", "criterion": "criteria"}),
        TableSpec("network_lines", NetworkLineRow, ("technology", "criterion", "phase"),
                  lambda row, units: f"({units[row['criterion']]}) / year",
                  {"technology": "network_technologies", "criterion": "criteria"}),
        TableSpec("network_line_parameters", NetworkLineParameterRow, ("technology", "parameter"),
                  lambda row, units: NETWORK_LINE_PARAMETERS[row["parameter"]],
                  {"technology": "network_technologies"}),
        TableSpec("hosting", HostingParameterRow, ("kind", "parameter"),
                  lambda row, units: HOSTING_PARAMETERS[row["parameter"]]),
        TableSpec("hosting_spend", HostingSpendRow, ("kind", "criterion"),
                  lambda row, units: f"({units[row['criterion']]}) / EUR", {"criterion": "criteria"}),

        # --- public lighting tables (issue #5) go here ---
        # lighting_technologies: per technology, control-gear losses [share of lamp power] and
        # luminaire lifetime [year]; lighting_impacts: embodied impacts per luminaire (none is
        # bundled: no public source, see factors/README.md); lighting_parameters: energy price.
        TableSpec("lighting_technologies", LightingTechnologyRow, ("technology", "parameter"),
                  lambda row, units: {"gear_loss": "dimensionless", "lifetime": "year"}[row["parameter"]]),
        TableSpec("lighting_impacts", LightingImpactRow, ("technology", "criterion", "phase"), _criterion_unit,
                  {"technology": "lighting_technologies", "criterion": "criteria"}),
        TableSpec("lighting_parameters", LightingParameterRow, ("parameter",),
                  lambda row, units: {"energy_price": "EUR/kWh"}[row["parameter"]]),

    )
}
# Order matters: criteria are needed to convert the units of the factor tables.
_LOAD_ORDER = tuple(TABLES)


def bundled_factors_dir() -> Path:
    """Folder of the bundled factor files (inside the wheel, or the repository's ``factors/``)."""
    packaged = resources.files("sobriete") / "factors"
    if packaged.is_dir():
        return Path(str(packaged))
    repository = Path(__file__).resolve().parents[2] / "factors"
    if repository.is_dir():
        return repository
    raise CatalogError("the bundled factor files are missing from this installation; reinstall sobriete",
                       code="bundled_factors_missing")


# --------------------------------------------------------------------------- reading
def _read_table_file(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                            skip_blank_lines=True)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise CatalogError(f"cannot read factor file: {exc}", file=str(path),
                           code="factor_file_unreadable", detail=str(exc)) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _detect_table(path: Path, columns: Iterable[str]) -> TableSpec:
    if path.stem in TABLES:
        return TABLES[path.stem]
    found = set(columns)
    for spec in TABLES.values():
        required = {n for n, f in spec.model.model_fields.items() if f.is_required()}
        if required <= found <= set(spec.columns):
            return spec
    raise CatalogError(
        "cannot tell which factor table this file belongs to: name it after a table "
        f"({', '.join(TABLES)}) or use that table's columns (see factors/README.md)",
        file=str(path), code="unknown_factor_table", tables=list(TABLES))


def _validate_rows(spec: TableSpec, frame: pd.DataFrame, path: str) -> pd.DataFrame:
    unknown = [c for c in frame.columns if c not in spec.columns]
    if unknown:
        raise CatalogError(f"unknown column '{unknown[0]}' in table {spec.name}; expected "
                           f"columns: {', '.join(spec.columns)}", file=path, column=unknown[0],
                           code="unknown_factor_column", name=unknown[0], table=spec.name, columns=list(spec.columns))
    records = []
    for position, raw in enumerate(frame.to_dict("records")):
        line = position + 2  # header is line 1
        cleaned = {k: v for k, v in raw.items() if not (v == "" and not spec.model.model_fields[k].is_required())}
        try:
            records.append(spec.model.model_validate(cleaned).model_dump())
        except ValidationError as exc:
            error = exc.errors()[0]
            column = str(error["loc"][0]) if error["loc"] else None
            raise CatalogError(f"invalid {spec.name} row: {validation_detail(error)}",
                               file=path, row=line, column=column,
                               code="invalid_factor_row", table=spec.name, **validation_params(error)) from None
    table = pd.DataFrame.from_records(records, columns=list(spec.columns))
    table["_file"] = path
    table["_line"] = np.arange(2, len(table) + 2)
    duplicated = table.duplicated(list(spec.key), keep=False)
    if duplicated.any():
        rows = table.loc[duplicated, "_line"].tolist()
        key = table.loc[duplicated, list(spec.key)].iloc[0].tolist()
        raise DuplicateFactorError(spec.name, tuple(key), rows[:2], file=path, row=rows[1])
    return table


def _merge(base: pd.DataFrame | None, extra: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    if base is None or base.empty:
        return extra.reset_index(drop=True)
    keys = list(spec.key)
    kept = base.merge(extra[keys], on=keys, how="left", indicator=True)
    kept = base.loc[(kept["_merge"] == "left_only").to_numpy()]
    if kept.empty:
        return extra.reset_index(drop=True)
    return pd.concat([kept, extra.astype(kept.dtypes.to_dict(), errors="ignore")], ignore_index=True)


def _convert_units(spec: TableSpec, table: pd.DataFrame, units: Mapping[str, str]) -> pd.DataFrame:
    if spec.canonical_unit is None or table.empty:
        return table
    table = table.copy()
    canonical, factors = [], []
    for row in table.to_dict("records"):
        try:
            target = spec.canonical_unit(row, units)
        except KeyError as exc:
            raise UnknownNameError("criterion", exc.args[0], units, file=row["_file"], row=row["_line"],
                                   column="criterion") from None
        try:
            factors.append(conversion_factor(row["unit"], target, file=row["_file"], row=row["_line"],
                                             column="unit"))
        except UnitError:
            raise
        canonical.append(target)
    factor = np.asarray(factors)
    table["unit_source"] = table["unit"]
    table["unit"] = canonical
    for column in ("value", "low", "high"):
        table[column] = table[column].astype(float) * factor
    return table


def _check_references(tables: Mapping[str, pd.DataFrame]) -> None:
    sources = set(tables["sources"]["source_id"])
    for spec in TABLES.values():
        table = tables[spec.name]
        if "source_id" in table.columns and spec.name != "sources":
            bad = table[(table["source_id"] != "") & ~table["source_id"].isin(sources)]
            if not bad.empty:
                row = bad.iloc[0]
                raise UnknownNameError("source_id", row["source_id"], sources, file=row["_file"],
                                       row=int(row["_line"]), column="source_id",
                                       hint="add the source to sources.csv")
        for column, target in spec.references.items():
            valid = set(tables[target][TABLES[target].key[0]])
            allowed = valid | ({"*"} if spec.name == "refurbished" and column == "category" else set())
            bad = table[~table[column].isin(allowed)]
            if not bad.empty:
                row = bad.iloc[0]
                raise UnknownNameError(column, row[column], valid, file=row["_file"], row=int(row["_line"]),
                                       column=column, hint="it must be defined in {table}.csv", table=target)


def _check_equipment_profiles(tables: Mapping[str, pd.DataFrame]) -> None:
    params = tables["equipment_parameters"]
    for category in tables["equipment_categories"]["category"]:
        have = set(params.loc[params["category"] == category, "parameter"])
        if "lifetime" not in have:
            raise CatalogError(f"equipment category '{category}' has no lifetime in equipment_parameters",
                               code="no_lifetime", category=category)
        if "annual_energy" not in have and not {"active_power", "daily_use"} <= have:
            raise CatalogError(f"equipment category '{category}' has neither annual_energy nor "
                               "active_power with daily_use in equipment_parameters",
                               code="no_energy", category=category)


def _content_hash(tables: Mapping[str, pd.DataFrame]) -> str:
    digest = hashlib.sha256()
    for name in sorted(tables):
        spec = TABLES[name]
        table = tables[name][list(spec.columns)].sort_values(list(spec.key)).reset_index(drop=True)
        buffer = io.StringIO()
        table.to_csv(buffer, index=False, float_format="%.12g")
        digest.update(name.encode())
        digest.update(buffer.getvalue().encode())
    return digest.hexdigest()


# --------------------------------------------------------------------------- the catalog
@dataclass(frozen=True)
class EquipmentFactors:
    """Equipment factors as dense arrays indexed by category code.

    Attributes
    ----------
    categories : pandas.Index
        Category ids; position = category code.
    embodied : ndarray, shape (n_categories, n_criteria, 3)
        Impact per new device [criterion unit] for ``EMBODIED_PHASES``; NaN where no factor.
    refurbished_ratio : ndarray, same shape
        Share of the new device's impact carried by a refurbished one; 1 (counted as new, a
        conservative default) where ``refurbished.csv`` documents no reduction.
    lifetime_years : ndarray, shape (n_categories,)
        Default lifetime [year].
    energy_kwh_per_year : ndarray, shape (n_categories,)
        Default annual electricity use [kWh/year].
    hours_per_year : ndarray, shape (n_categories,)
        Hours on per year of the default use profile [h/year] (daily use × 365); NaN where the
        catalog gives an annual energy only.
    """

    categories: pd.Index
    embodied: np.ndarray
    refurbished_ratio: np.ndarray
    lifetime_years: np.ndarray
    energy_kwh_per_year: np.ndarray
    hours_per_year: np.ndarray


@dataclass(frozen=True)
class GridFactors:
    """Electricity factors for one year and usage, by zone code.

    ``values[zone, criterion]`` is the impact per kWh [criterion unit / kWh], NaN where the
    catalog has none; ``source_year[zone, criterion]`` is the year of the factor used (-1 when
    none), which differs from the assessed year when the latest published factor is older.
    """

    zones: pd.Index
    year: int
    usage: str
    values: np.ndarray
    source_year: np.ndarray
    criteria: tuple[str, ...] = ()

    def warnings(self, used_zones: Iterable[str] | None = None) -> list[str]:
        """One notice per used zone and older year used, naming the criteria concerned."""
        used = set(self.zones) if used_zones is None else set(used_zones)
        out = []
        for zone, years in zip(self.zones, self.source_year):
            if zone not in used:
                continue
            for older in sorted({int(y) for y in years if y not in (-1, self.year)}):
                names = [c for c, y in zip(self.criteria, years) if y == older] or ["?"]
                listed = ", ".join(names)
                out.append(Notice("grid_latest_year", f"electricity {zone} ({self.usage}): no {listed} factor for "
                                  f"{self.year}, the latest published one ({older}) is used", zone=zone,
                                  usage=self.usage, year=self.year, used=str(older), criteria=listed))
        return out


class FactorCatalog:
    """The validated factor tables, with their version and content hash.

    Build it with :func:`load_catalog`. Tables are tidy frames in canonical units
    (``catalog.table("equipment_impacts")``); the engine uses the dense views
    (:attr:`equipment`, :meth:`grid`).
    """

    def __init__(self, tables: Mapping[str, pd.DataFrame], *, version: str, overrides: tuple[str, ...] = ()):
        self._tables = dict(tables)
        self._prepared: dict[tuple, object] = {}
        self.overrides = overrides
        self.version = version if not overrides else f"{version}+user.{self.hash[:8]}"

    @cached_property
    def hash(self) -> str:
        """SHA-256 of the tables' content (every result repeats it)."""
        return _content_hash(self._tables)

    def with_multipliers(self, multipliers: Mapping[str, float]) -> FactorCatalog:
        """A copy of the catalog whose factors ``{factor id: multiplier}`` are multiplied
        (value, low and high), for sensitivity analyses and Monte Carlo draws.

        Raises
        ------
        UnknownNameError
            If an id is not one of :meth:`factor_ids`.

        Examples
        --------
        >>> catalog = load_catalog(directory="tests/data/tiny_factors")
        >>> doubled = catalog.with_multipliers({"equipment_parameters/laptop/lifetime": 2})
        >>> float(doubled.equipment.lifetime_years[0]), float(catalog.equipment.lifetime_years[0])
        (10.0, 5.0)

        The last copy made is kept: the same multipliers again (one Monte Carlo probe evaluated in
        several years) give it back without rebuilding it.
        """
        asked = tuple(sorted((str(k), float(v)) for k, v in multipliers.items()))
        last = self.__dict__.get("_last_multiplied")
        if last is not None and last[0] == asked:
            return last[1]
        cache = self.__dict__.setdefault("_ids_cache", {})  # the catalog does not change once loaded
        if "known" not in cache:
            cache["known"] = frozenset(self._factor_table["factor_id"])
        unknown = [k for k in multipliers if k not in cache["known"]]
        if unknown:
            raise UnknownNameError("factor id", unknown[0], self._factor_table["factor_id"])
        tables = dict(self._tables)
        for name in {k.split("/", 1)[0] for k in multipliers}:
            table = tables[name].copy()
            if name not in cache:  # each row's factor id
                parts = table[list(TABLES[name].key)].astype(str)
                key = name + "/" + parts.iloc[:, 0]
                for column in parts.columns[1:]:  # "/".join per row, by column (a row-wise agg is slow)
                    key = key + "/" + parts[column]
                cache[name] = key.tolist()
            factor = np.array([multipliers.get(k, 1.0) for k in cache[name]], dtype=float)
            for column in ("value", "low", "high"):
                table[column] = pd.to_numeric(table[column], errors="coerce") * factor
            tables[name] = table
        out = FactorCatalog(tables, version=self.version)
        self._last_multiplied = (asked, out)
        return out

    def __getstate__(self) -> dict:
        """Pickled without the read-only views cached on it (a ``mappingproxy`` does not pickle)."""
        state = dict(self.__dict__)
        state.pop("criterion_units", None)
        state.pop("_last_multiplied", None)
        state.pop("_ids_cache", None)
        return state

    def __repr__(self) -> str:
        return (f"FactorCatalog(version={self.version!r}, hash={self.hash[:12]}…, "
                f"criteria={list(self.criteria)}, categories={len(self.equipment.categories)})")

    def prepared(self, builder: Callable[..., object], *args) -> object:
        """``builder(self, *args)``, computed once per catalog (a catalog does not change once
        loaded): the engines keep their dense factor arrays here instead of in module state."""
        key = (builder, *args)
        if key not in self._prepared:
            self._prepared[key] = builder(self, *args)
        return self._prepared[key]

    def caveats(self, footprint) -> list[str]:
        """Notices for the caveats (``caveats.csv``) that apply to a footprint: a source's own
        warning about a criterion and phase that is not zero in it, with its share of the total."""
        table = self._tables["caveats"]
        if table.empty:
            return []
        total = footprint.total()
        out = []
        for row in table.to_dict("records"):
            criterion, phase = row["criterion"], row["phase"]
            if criterion not in total.index or not total.loc[criterion, phase]:
                continue
            whole, part = total.loc[criterion, "total"], total.loc[criterion, phase]
            if not (np.isfinite(whole) and np.isfinite(part)):  # never a crash on a non-finite total
                continue
            share = round(100 * part / whole) if whole else 100
            out.append(Notice("caveat", f"{criterion}/{phase}: {row['message_en']} ({share} % of the {criterion} "
                              "total)", criterion=criterion, phase=phase, share=share, message=row["message_fr"],
                              message_en=row["message_en"]))
        return out

    def table(self, name: str) -> pd.DataFrame:
        """One validated table (a copy), without the bookkeeping columns."""
        if name not in self._tables:
            raise UnknownNameError("factor table", name, self._tables)
        frame = self._tables[name]
        return frame.drop(columns=[c for c in frame.columns if c.startswith("_")]).copy()

    @property
    def table_names(self) -> tuple[str, ...]:
        return tuple(self._tables)

    @cached_property
    def criteria(self) -> tuple[str, ...]:
        """Criterion ids, in the order of ``criteria.csv``."""
        return tuple(self._tables["criteria"]["criterion"])

    @cached_property
    def criterion_units(self) -> Mapping[str, str]:
        """Canonical unit of each criterion (read-only: a catalog is shared by the cache)."""
        frame = self._tables["criteria"]
        return MappingProxyType(dict(zip(frame["criterion"], frame["unit"])))

    def factor_table(self) -> pd.DataFrame:
        """Every numeric factor of the catalog, one row each, for sensitivity and uncertainty.

        Returns
        -------
        DataFrame
            Columns ``factor_id, table, value, low, high, unit, source_id, status`` in
            canonical units; ``factor_id`` is ``"<table>/<key 1>/<key 2>/..."`` with the table's
            key columns in order (see :mod:`sobriete.protocol`), ``low``/``high`` NaN where the
            source gives no range. A copy: changing it changes nothing in the catalog.

        Examples
        --------
        >>> catalog = load_catalog(directory="tests/data/tiny_factors")
        >>> table = catalog.factor_table().set_index("factor_id")
        >>> float(table.loc["equipment_impacts/laptop/gwp/manufacturing", "value"])
        100.0
        >>> table.loc["equipment_parameters/laptop/lifetime", "unit"]
        'year'
        """
        return self._factor_table.copy()

    def factor_ids(self) -> tuple[str, ...]:
        """Ids of every numeric factor (see :meth:`factor_table`), in catalog order."""
        return tuple(self._factor_table["factor_id"])

    @cached_property
    def _factor_table(self) -> pd.DataFrame:
        parts = []
        for name, spec in TABLES.items():
            frame = self._tables[name]
            if "value" not in spec.columns or frame.empty:
                continue
            ids = frame[list(spec.key)].astype(str).agg("/".join, axis=1)
            parts.append(pd.DataFrame({
                "factor_id": name + "/" + ids, "table": name, "value": frame["value"].astype(float),
                "low": pd.to_numeric(frame["low"], errors="coerce"), "high": pd.to_numeric(frame["high"], errors="coerce"),
                "unit": frame["unit"], "source_id": frame["source_id"], "status": frame["status"]}))
        return pd.concat(parts, ignore_index=True)

    def criterion_label(self, criterion: str, lang: str = "fr") -> str:
        frame = self._tables["criteria"].set_index("criterion")
        return str(frame.loc[criterion, f"label_{lang}"])

    @cached_property
    def zones(self) -> pd.Index:
        return pd.Index(self._tables["zones"]["zone"], name="zone")

    @cached_property
    def equipment(self) -> EquipmentFactors:
        categories = pd.Index(self._tables["equipment_categories"]["category"], name="category")
        n_cat, n_crit = len(categories), len(self.criteria)
        crit_index = pd.Index(self.criteria)
        phase_index = pd.Index(EMBODIED_PHASES)

        def dense(table: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
            out = np.full((n_cat, n_crit, len(EMBODIED_PHASES)), np.nan)
            out[rows, crit_index.get_indexer(table["criterion"]), phase_index.get_indexer(table["phase"])] = \
                table["value"].to_numpy(float)
            return out

        impacts = self._tables["equipment_impacts"]
        embodied = dense(impacts, categories.get_indexer(impacts["category"]))

        refurb = self._tables["refurbished"]
        ratio = np.full_like(embodied, np.nan)
        generic = refurb[refurb["category"] == "*"]
        if not generic.empty:
            ratio[:] = dense(generic, np.zeros(len(generic), dtype=int))[0]
        specific = refurb[refurb["category"] != "*"]
        if not specific.empty:
            values = dense(specific, categories.get_indexer(specific["category"]))
            ratio = np.where(np.isnan(values), ratio, values)
        # No documented reduction: a refurbished device counts as a new one (conservative).
        ratio = np.where(np.isnan(ratio), 1.0, ratio)

        params = self._tables["equipment_parameters"].pivot(index="category", columns="parameter",
                                                            values="value").reindex(categories)
        lifetime = params["lifetime"].to_numpy(float)
        energy = params["annual_energy"].to_numpy(float) if "annual_energy" in params else np.full(n_cat, np.nan)
        daily = params["daily_use"].to_numpy(float) if "daily_use" in params else np.full(n_cat, np.nan)
        hours = daily * DAYS_PER_YEAR
        if {"active_power", "daily_use"} <= set(params.columns):
            # ADEME: annual energy [kWh/year] = active power [W] x daily use [h/day] x 365 [day/year].
            profile = (params["active_power"].to_numpy(float) * params["daily_use"].to_numpy(float)
                       * DAYS_PER_YEAR * conversion_factor("W*h", "kWh"))
            energy = np.where(np.isnan(energy), profile, energy)
        for array in (embodied, ratio, lifetime, energy, hours):  # shared by the catalog cache
            array.setflags(write=False)
        return EquipmentFactors(categories, embodied, ratio, lifetime, energy, hours)

    def grid(self, year: int, *, usage: str = DEFAULT_USAGE) -> GridFactors:
        """Electricity factors for ``year``: per zone, the latest factor published for a year
        up to ``year`` (ADEME publishes a year's factor after the year ends).

        Raises
        ------
        UnknownNameError
            If no zone has any factor for this usage.
        """
        table = self._tables["electricity"]
        table = table[(table["usage"] == usage) & (table["year"] <= year)]
        usages = set(self._tables["electricity"]["usage"])
        if usage not in usages:
            raise UnknownNameError("electricity usage", usage, usages)
        values = np.full((len(self.zones), len(self.criteria)), np.nan)
        source_year = np.full((len(self.zones), len(self.criteria)), -1, dtype=np.int64)
        if not table.empty:
            # latest year per zone and criterion (criteria may be published for different years)
            latest = table.groupby(["zone", "criterion"])["year"].transform("max")
            table = table[table["year"] == latest]
            z = self.zones.get_indexer(table["zone"])
            c = pd.Index(self.criteria).get_indexer(table["criterion"])
            values[z, c] = table["value"].to_numpy(float)
            source_year[z, c] = table["year"].to_numpy(np.int64)
        return GridFactors(self.zones, int(year), usage, values, source_year, self.criteria)

    def require_grid(self, grid: GridFactors, zones: Iterable[str]) -> None:
        """Raise a clear error if one of ``zones`` has no electricity factor at all for the year."""
        for zone in zones:
            code = self.zones.get_loc(zone)
            if (grid.source_year[code] == -1).all():
                available = self._tables["electricity"]
                years = sorted(set(available.loc[(available["zone"] == zone) & (available["usage"] == grid.usage),
                                                 "year"]))
                raise UnknownZoneYearError(zone, grid.year, [f"{zone} {y}" for y in years])


def _read_version(folder: Path) -> str:
    version_file = folder / "VERSION"
    return version_file.read_text(encoding="utf-8").strip() if version_file.is_file() else "unversioned"


def load_catalog(*extra_files: str | Path, directory: str | Path | None = None) -> FactorCatalog:
    """Load the factor catalog: the bundled files, then the user's files as overrides.

    Parameters
    ----------
    *extra_files : path
        CSV files with the schema of one table (see ``factors/README.md``), named after the
        table (``equipment_impacts.csv``) or recognised by their columns. A row whose key is
        already in the catalog replaces it; a new key adds a row.
    directory : path, optional
        Folder of the base files, instead of the bundled ones.

    Returns
    -------
    FactorCatalog
        Cached per set of files and their modification times and sizes: loading the same
        files again returns the same (immutable) catalog in microseconds; editing a file
        reloads it.

    Raises
    ------
    CatalogError, DuplicateFactorError, UnitError, UnknownNameError
        On any invalid row, with the file, line and column.

    Examples
    --------
    >>> catalog = load_catalog()
    >>> "gwp" in catalog.criteria
    True
    >>> catalog.criterion_units["gwp"]
    'kgCO2e'
    """
    base = Path(directory) if directory is not None else bundled_factors_dir()
    extras = tuple(Path(extra) for extra in extra_files)
    for path in extras:
        if not path.is_file():
            raise CatalogError("factor file not found", file=str(path), code="factor_file_not_found")
    files = [base / f"{name}.csv" for name in _LOAD_ORDER] + [base / "VERSION", *extras]
    return _load_catalog_cached(str(base), tuple(str(p) for p in extras), tuple(_file_stamp(p) for p in files))


def _file_stamp(path: Path) -> tuple[int, int] | None:
    """(modification time [ns], size [byte]) of a file, None when it does not exist."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=16)
def _load_catalog_cached(base: str, extra_files: tuple[str, ...], stamps: tuple) -> FactorCatalog:
    """The catalog of ``base`` and ``extra_files``; ``stamps`` (their modification times and
    sizes) only make the cache key, so that an edited file is read again."""
    return _load_catalog(Path(base), [Path(p) for p in extra_files])


def _load_catalog(base: Path, extra_files: list[Path]) -> FactorCatalog:
    raw: dict[str, pd.DataFrame | None] = {name: None for name in TABLES}
    for name in _LOAD_ORDER:
        path = base / f"{name}.csv"
        if path.is_file():
            raw[name] = _validate_rows(TABLES[name], _read_table_file(path), str(path))
    overrides = []
    for path in extra_files:
        frame = _read_table_file(path)
        spec = _detect_table(path, frame.columns)
        raw[spec.name] = _merge(raw[spec.name], _validate_rows(spec, frame, str(path)), spec)
        overrides.append(str(path))
    tables: dict[str, pd.DataFrame] = {}
    for name, spec in TABLES.items():
        frame = raw[name]
        if frame is None:
            frame = pd.DataFrame(columns=[*spec.columns, "_file", "_line"])
        tables[name] = frame
    units = dict(zip(tables["criteria"]["criterion"], tables["criteria"]["unit"]))
    for name, spec in TABLES.items():
        tables[name] = _convert_units(spec, tables[name], units)
    _check_references(tables)
    _check_equipment_profiles(tables)
    return FactorCatalog(tables, version=_read_version(base), overrides=tuple(overrides))
