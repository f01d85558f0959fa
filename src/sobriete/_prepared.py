"""Helpers of the prepared network and hosting domains: names, scenario overrides, group keys.

Names typed by people are matched to item ids through :func:`sobriete.schema.normalise_name`
and an alias table (:class:`NameColumn`), once per distinct name.

:class:`~sobriete.protocol.Overrides` gives a value per item (mapping), per input row (array) or
for every row (scalar); the prepared domains turn it here into a dense vector over their item
codes and, only when an array is given, a per-row vector. Factor ids
(``"<table>/<key 1>/<key 2>/..."``, see :mod:`sobriete.protocol`) are parsed once per
evaluation into ``{key tuple: multiplier}`` for the table a domain reads. The electricity factors
of the assessed year are overridden (``grid_factor``) and multiplied (``electricity/...`` ids)
the same way for every domain. :class:`PresentGroups` keeps the group keys computed once at preparation, for
:func:`~sobriete.kernel.build_footprint`; :class:`RowCells` keeps each input row's cell and weight
for per-row overrides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .kernel import RowChecker, _CodeColumn, _NumberColumn, prepared_grid
from .errors import InputValueError, UnknownNameError
from .factors import FactorCatalog
from .footprint import DataQuality
from .protocol import Overrides
from .schema import alias_table, normalise_name, normalise_names

#: No override.
NO_OVERRIDES = Overrides()


class NameColumn(_CodeColumn):
    """A column of names matched to ``valid`` ids through :func:`~sobriete.schema.normalise_name`
    (case, accents, spaces, punctuation folded) and ``aliases``: -1 unknown, -2 missing.

    Examples
    --------
    >>> column = NameColumn(pd.Series(["FIBRE DEDIÉE", "Fibre_Pro", None, "pigeon"]),
    ...                     pd.Index(["ftth", "fibre_pro"]), {"fibre dédiée": "fibre_pro"})
    >>> column.chunk(slice(0, 4)).tolist()
    [1, 1, -2, -1]
    """

    def __init__(self, series: pd.Series, valid: pd.Index, aliases: Mapping[str, str] | None = None):
        self.series, self.valid = series, valid
        if isinstance(series.dtype, pd.CategoricalDtype):
            self.codes, names = series.cat.codes.to_numpy(), pd.Series(series.cat.categories, dtype=object)
        else:
            self.codes, names = pd.factorize(series)
            names = pd.Series(names, dtype=object)
        table = {**{normalise_name(v): v for v in valid}, **alias_table(aliases or {})}
        ids = [table.get(key, key) for key in normalise_names(names)]
        self.mapping = np.append(valid.get_indexer(ids), -2)  # code -1 (missing) takes the appended -2
        # small codes (categorical) index a mapping of the same small type: a third of the time
        self._small = self.mapping.astype(np.int8 if len(valid) < 127 else np.int32) \
            if self.codes.dtype.itemsize < 4 else None

    def chunk(self, sl: slice) -> np.ndarray:
        if self._small is None:
            return self.mapping[self.codes[sl]]
        return np.take(self._small, self.codes[sl])  # small signed codes: widen before multiplying


def _bad(name: str, detail: str, value: object) -> InputValueError:
    return InputValueError(f"override '{name}': {detail}, got {value!r}", code="bad_override", override=name,
                           detail=detail, value=repr(value))


def _checked(values: np.ndarray, name: str, minimum: float, strict: bool) -> np.ndarray:
    bad = ~np.isfinite(values) | ((values <= minimum) if strict else (values < minimum))
    if bad.any():
        sign = ">" if strict else "≥"
        raise _bad(name, f"every value must be finite and {sign} {minimum:g}", values[np.flatnonzero(bad)[0]])
    return values


def resolve(value, items: pd.Index, n_rows: int, name: str, *, default: float | np.ndarray = 1.0,
            minimum: float = 0.0, strict: bool = False) -> tuple[np.ndarray, np.ndarray | None]:
    """An override as a vector over item codes and, for a per-row array, a vector over rows.

    Parameters
    ----------
    value : None, float, mapping or ndarray
        ``None``: ``default`` for every item; a scalar for every item; ``{item id: value}``
        (other items keep ``default``); an array of one value per prepared input row.
    items : pandas.Index
        The domain's item ids (position = item code).
    n_rows : int
        Rows of the frame given to ``prepare`` (rejected rows included).
    name : str
        The override's name, for errors.
    default : float or ndarray, keyword-only
        Value of the items not overridden (a scalar or one per item).
    minimum, strict : keyword-only
        Values must be ``≥ minimum`` (``> minimum`` when ``strict``).

    Returns
    -------
    per_item : ndarray, shape (len(items),)
    per_row : ndarray of shape (n_rows,) or None
        Given only for an array (``per_item`` is then ``default``).

    Raises
    ------
    UnknownNameError
        A mapping key that is not an item id.
    InputValueError
        A value out of range, or an array of the wrong length.

    Examples
    --------
    >>> items = pd.Index(["adsl", "ftth"])
    >>> resolve({"adsl": 2.0}, items, 3, "quantity_multiplier")[0].tolist()
    [2.0, 1.0]
    >>> resolve(0.5, items, 3, "quantity_multiplier")[0].tolist()
    [0.5, 0.5]
    >>> resolve(np.array([1.0, 0.0, 2.0]), items, 3, "quantity_multiplier")[1].tolist()
    [1.0, 0.0, 2.0]
    """
    per_item = np.broadcast_to(np.asarray(default, dtype=float), (len(items),)).copy()
    if value is None:
        return per_item, None
    if isinstance(value, Mapping):
        for key, v in value.items():
            code = items.get_indexer([key])[0]
            if code < 0:
                raise UnknownNameError(f"item of the override '{name}'", key, items)
            per_item[code] = _checked(np.array([float(v)]), name, minimum, strict)[0]
        return per_item, None
    array = _checked(np.atleast_1d(np.asarray(value, dtype=float)), name, minimum, strict)
    if np.ndim(value) == 0:
        per_item[:] = array[0]
        return per_item, None
    if array.shape != (n_rows,):
        raise _bad(name, f"an array needs one value per input row ({n_rows})", f"shape {array.shape}")
    return per_item, array


def factor_keys(overrides: Overrides, table: str) -> dict[tuple[str, ...], float]:
    """``{key tuple: multiplier}`` of the factor ids of ``table`` in ``overrides``.

    Examples
    --------
    >>> factor_keys(Overrides(factor_multipliers={"hosting/cloud/pue": 1.1, "electricity/FR/2024/mix/gwp": 2}),
    ...             "hosting")
    {('cloud', 'pue'): 1.1}
    """
    out = {}
    prefix = table + "/"
    for factor_id, multiplier in overrides.factor_multipliers.items():
        if factor_id.startswith(prefix):
            multiplier = float(multiplier)
            if not np.isfinite(multiplier) or multiplier < 0:
                raise _bad("factor_multipliers", f"the multiplier of {factor_id} must be finite and ≥ 0", multiplier)
            out[tuple(factor_id[len(prefix):].split("/"))] = multiplier
    return out


def split_keys(keys: dict[tuple[str, ...], float], length: int, table: str):
    """``(key, multiplier)`` pairs of ``keys``, each key checked to have ``length`` parts."""
    for key, multiplier in keys.items():
        if len(key) != length:
            raise UnknownNameError("factor id", f"{table}/{'/'.join(key)}", None,
                                   hint="a factor id is '<table>/<key 1>/<key 2>/...' in the order of the "
                                        "table's key columns")
        yield key, multiplier


def multiply(array: np.ndarray, keys: dict[tuple[str, ...], float], axes: tuple[pd.Index, ...],
             table: str) -> np.ndarray:
    """``array`` (a copy) with ``array[i, j, ...] *= m`` for each ``(key_i, key_j, ...): m`` of
    ``keys``; a key naming no entry of ``axes`` is an error (a misspelt id is never ignored)."""
    if not keys:
        return array
    out = np.array(array, dtype=float)
    for key, multiplier in split_keys(keys, len(axes), table):
        codes = tuple(axis.get_indexer([part])[0] for axis, part in zip(axes, key))
        if min(codes) < 0:
            raise UnknownNameError("factor id", f"{table}/{'/'.join(key)}", None)
        out[codes] *= multiplier
    return out


@dataclass(frozen=True)
class Grid:
    """Electricity factors of one year after overrides [criterion unit/kWh]: ``values[zone, criterion]``
    (NaN → 0), ``missing`` (1.0 where no factor) and the notices of the factors' years."""

    values: np.ndarray
    missing: np.ndarray
    grid: object


def grid(catalog: FactorCatalog, year: int, overrides: Overrides) -> Grid:
    """The electricity factors of ``year`` with ``grid_factor`` replacing values and
    ``electricity/<zone>/<year>/<usage>/<criterion>`` ids multiplying them (the id's year is the
    year of the factor used, which can be earlier than ``year``).

    Examples
    --------
    >>> from sobriete import load_catalog
    >>> catalog = load_catalog()
    >>> g = grid(catalog, 2025, Overrides(grid_factor={"gwp": 0.1}))
    >>> float(g.values[catalog.zones.get_loc("FR"), catalog.criteria.index("gwp")])
    0.1
    """
    prepared = prepared_grid(catalog, int(year))
    keys = factor_keys(overrides, "electricity")
    if overrides.grid_factor is None and not keys:
        return Grid(prepared.values, prepared.missing, prepared.grid)
    values, missing = prepared.values.copy(), prepared.missing.copy()
    criteria, zones = pd.Index(catalog.criteria), catalog.zones
    for key, value in (overrides.grid_factor or {}).items():
        zone, criterion = key if isinstance(key, tuple) else (None, key)
        c = criteria.get_indexer([criterion])[0]
        z = slice(None) if zone is None else zones.get_indexer([zone])[0]
        if c < 0 or (zone is not None and z < 0):
            raise UnknownNameError("grid_factor key", key, [*criteria, *((z, c) for z in zones for c in criteria)])
        value = float(value)
        if not np.isfinite(value) or value < 0:
            raise _bad("grid_factor", "values must be finite and ≥ 0", value)
        values[z, c], missing[z, c] = value, 0.0
    source = prepared.grid.source_year
    for (zone, year_text, usage, criterion), multiplier in split_keys(keys, 4, "electricity"):
        z, c = zones.get_indexer([zone])[0], criteria.get_indexer([criterion])[0]
        if z < 0 or c < 0:
            raise UnknownNameError("factor id", f"electricity/{zone}/{year_text}/{usage}/{criterion}", None)
        if usage == prepared.grid.usage and str(source[z, c]) == year_text:
            values[z, c] *= multiplier
    return Grid(values, missing, prepared.grid)


@dataclass(frozen=True, eq=False)
class PreparedBase:
    """What every prepared network and hosting input holds: its catalog, the protocol's
    ``quality`` and ``by``, and the groups with assessed rows."""

    catalog: FactorCatalog
    quality: DataQuality
    by: tuple[str, ...]
    groups: PresentGroups


class PresentGroups:
    """The groups that have assessed rows, their keys computed once (a stand-in for the engine's
    groups in :func:`~sobriete.kernel.build_footprint`: group ``i`` here is the ``i``-th present)."""

    def __init__(self, grouping, rows_per_group: np.ndarray):
        self.present = np.flatnonzero(rows_per_group)
        self.by = list(grouping.by)
        self.n = len(self.present)
        self._keys = grouping.keys(self.present)

    def keys(self, present: np.ndarray) -> pd.DataFrame:
        return self._keys if len(present) == self.n else self._keys.iloc[present].reset_index(drop=True)


def nonnegative_numbers(check: RowChecker, values: _NumberColumn, column: str, *, what: str, sl: slice,
             required: bool = False) -> np.ndarray:
    """:meth:`RowChecker.number` (≥ 0) of a chunk, checked in one pass where the column is numeric:
    a minimum ≥ 0 means no negative and no missing value (NaN fails the comparison)."""
    if values.fast:
        chunk = values.array[sl].astype(float, copy=False)
        if chunk.size and chunk.min() >= 0:
            return chunk
    return check.number(values, column, what=what, required=required, sl=sl)


def float_view(values: _NumberColumn) -> np.ndarray | None:
    """The column's float64 array (a view, no copy), or None when it must be converted."""
    array = values.array if values.fast else None
    return array if array is not None and array.dtype == np.float64 else None


class RowCells:
    """Each input row's cell and weight, kept for per-row overrides: the cell in a compact
    integer type (rejected rows in an extra last cell), the weight a view of the input column
    where it already is the weight (float64, no conversion), else a copy."""

    def __init__(self, n_rows: int, n_cells: int, view: np.ndarray | None):
        self.n_cells = n_cells
        self.cell = np.empty(n_rows, dtype=np.min_scalar_type(n_cells))
        self.weight = view if view is not None else np.empty(n_rows)
        self._copy = view is None

    def add(self, sl: slice, cell: np.ndarray, weight: np.ndarray, ok: np.ndarray | None) -> None:
        self.cell[sl] = cell if ok is None else np.where(ok, cell, self.n_cells)
        if not self._copy and not np.may_share_memory(weight, self.weight):  # the chunk's weights were changed
            self.weight, self._copy = np.array(self.weight), True
        if self._copy:
            self.weight[sl] = weight

    def sums(self, multiplier: np.ndarray) -> np.ndarray:
        """Σ weight × multiplier per cell (multiplier: one value per input row)."""
        weight = np.where(self.cell == self.n_cells, 0.0, self.weight * multiplier)
        return np.bincount(self.cell, weight, minlength=self.n_cells + 1)[:-1]


def profile_headers(raw: pd.DataFrame, profile: str) -> dict[str, str]:
    """{canonical column: the file's header} through the column profile ``profile`` (the one
    the reader used), for messages that point at the cell as the user sees it.

    Examples
    --------
    >>> profile_headers(pd.DataFrame(columns=["Technologie", "Nombre de lignes", "Autre"]), "operateur")
    {'technology': 'Technologie', 'count': 'Nombre de lignes'}
    """
    from .io import load_profile  # the readers sit above the engine modules
    from .io.mapping import resolve_headers

    found, _ = resolve_headers(raw.columns, load_profile(profile))
    return {column: sources[0][0] for column, sources in found.items()}


def as_written(quality: DataQuality, raw: pd.DataFrame, headers: Mapping[str, str]) -> DataQuality:
    """``quality`` with each rejected cell named as in the file: the user's header instead of
    the canonical column (``Puissance (W)``, not ``lamp_power_w``) and the value as typed
    (``-70``, not ``-70.0``), so that the message points at the cell to fix.

    Examples
    --------
    >>> raw = pd.DataFrame({"Puissance (W)": ["-70"]}, index=pd.Index([3], name="row"))
    >>> bad = pd.DataFrame({"file": ["a.csv"], "row": [3], "column": ["lamp_power_w"], "value": [-70.0],
    ...                     "reason_code": ["out_of_range"], "reason": ["lamp_power_w must be >= 0"]})
    >>> q = DataQuality(rows_read=1, rows_assessed=0, rows_rejected=1, rejected=bad)
    >>> as_written(q, raw, {"lamp_power_w": "Puissance (W)"}).rejected[["column", "value"]].values.tolist()
    [['Puissance (W)', '-70']]
    """
    rejected = quality.rejected
    if rejected.empty:
        return quality
    columns = rejected["column"].map(lambda c: headers.get(c, c))
    known = columns.isin(raw.columns).to_numpy() & rejected["row"].isin(raw.index).to_numpy()
    values = rejected["value"].to_numpy(dtype=object).copy()
    if known.any():
        rows = raw.index.get_indexer(rejected["row"][known])
        cols = raw.columns.get_indexer(columns[known])
        values[known] = raw.to_numpy(dtype=object)[rows, cols]
    return replace(quality, rejected=rejected.assign(column=columns.to_numpy(), value=values))
