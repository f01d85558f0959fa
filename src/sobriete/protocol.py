"""The domain protocol: prepare once, evaluate many.

Every domain (equipment, traffic, lines, hosting, lighting) turns its canonical frame into a
*prepared* object once — validation, mapping of names to integer codes, joins with the catalog,
group codes — and that object is then evaluated for any year and any scenario without re-reading
or re-validating its input::

    prepared = DOMAINS["equipment"].prepare(frame, catalog, by=["entity"])
    fp_2025 = prepared.evaluate(2025)
    fp_long = prepared.evaluate(2025, overrides=Overrides(lifetime_years={"laptop": 7}))

Projects, the roadmap, uncertainty and the distributed path use only this protocol, never a
domain's internals. :class:`Overrides` is the one vocabulary of what a scenario changes.

Factor ids
----------
A catalog factor is named ``"<table>/<key 1>/<key 2>/..."`` with the key columns of its table in
the catalog's order, e.g. ``"equipment_impacts/laptop/gwp/manufacturing"`` or
``"electricity/FR/2025/mix/gwp"``. :attr:`Overrides.factor_multipliers` uses these ids.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from .errors import InputValueError, UnknownNameError

if TYPE_CHECKING:  # pragma: no cover - typing only
    import numpy as np
    import pandas as pd

    from .factors import FactorCatalog
    from .footprint import DataQuality, Footprint

#: A value given per category (mapping), per row (array aligned with the prepared frame's rows),
#: or for every row (scalar).
PerRowOrCategory = "float | Mapping[str, float] | np.ndarray"


@dataclass(frozen=True)
class Overrides:
    """What a scenario changes, applied at evaluation time.

    Every field is optional; ``None`` keeps the prepared input as it is. A mapping is keyed by the
    domain's item id (equipment category, line technology, hosting kind, lighting technology or
    ZA); an array gives one value per prepared input row (in the order of the frame given to
    ``prepare``); a scalar applies to every row.

    Attributes
    ----------
    lifetime_years : float, mapping or ndarray
        Lifetime [year] replacing the row's or the catalog's.
    quantity_multiplier : float, mapping or ndarray
        Multiplies each row's quantity (devices, lines, servers, luminaires, GB) [1]; 0 removes.
    condition : str, mapping or ndarray
        ``'new'`` or ``'refurbished'`` (equipment).
    energy_multiplier : float, mapping or ndarray
        Multiplies the use-phase electricity [1] (measured or from the profile).
    grid_factor : mapping
        ``{criterion: value}`` or ``{(zone, criterion): value}`` replacing the electricity factor of
        the assessed year [criterion unit / kWh].
    factor_multipliers : mapping
        ``{factor id: multiplier}`` for any catalog factor (see the module docstring), for
        sensitivity and Monte Carlo.
    extra : mapping
        Domain-specific settings (e.g. lighting ``schedule``, hosting ``pue``), documented by the
        domain.
    """

    lifetime_years: Any = None
    quantity_multiplier: Any = None
    condition: Any = None
    energy_multiplier: Any = None
    grid_factor: Mapping[Any, float] | None = None
    factor_multipliers: Mapping[str, float] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)

    def is_empty(self) -> bool:
        """True when nothing is overridden.

        Examples
        --------
        >>> Overrides().is_empty(), Overrides(lifetime_years=7).is_empty()
        (True, False)
        """
        return (self.lifetime_years is None and self.quantity_multiplier is None and self.condition is None
                and self.energy_multiplier is None and self.grid_factor is None and not self.factor_multipliers
                and not self.extra)


@runtime_checkable
class Prepared(Protocol):
    """A domain's input, validated and mapped once.

    Attributes
    ----------
    domain : str
        The domain's name in :data:`DOMAINS`.
    quality : DataQuality
        Rows read = assessed + rejected (rejections found at preparation), warnings.
    by : tuple of str
        The grouping keys.
    """

    domain: str
    quality: DataQuality
    by: tuple[str, ...]

    def evaluate(self, year: int, *, overrides: Overrides | None = None, allocation: str = "amortised",
                 **options: Any) -> Footprint:
        """The footprint of the prepared input in ``year`` under ``overrides``."""
        ...


@dataclass(frozen=True)
class DomainSpec:
    """One entry of the registry of domains.

    Attributes
    ----------
    name : str
    prepare : callable
        ``prepare(frame, catalog, *, by=None, **options) -> Prepared``.
    item_key : str
        The column naming the domain's items (category, technology, kind, za), for the top
        contributors and for per-item overrides.
    """

    name: str
    prepare: Callable[..., Prepared]
    item_key: str


#: The registry of domains, filled by each domain module (``register``) in a fixed order.
DOMAINS: dict[str, DomainSpec] = {}


def register(spec: DomainSpec) -> DomainSpec:
    """Add a domain to :data:`DOMAINS` (one entry per name)."""
    DOMAINS[spec.name] = spec
    return spec


# --------------------------------------------------------------------------- resolving overrides
def values_per_entry(value: Any, *, name: str, items: pd.Index, item_code: np.ndarray,
                     position: np.ndarray | None, n_input: int,
                     convert: Callable[[Any], float] = float) -> np.ndarray | None:
    """One override value per prepared entry (row or cell), NaN where the entry keeps its own.

    Parameters
    ----------
    value : None, scalar, mapping or array
        As in :class:`Overrides`: a scalar for every entry, a mapping ``{item id: value}``
        (other items keep theirs), or an array of one value per input row (NaN keeps).
    name : str
        The override's name, for error messages.
    items : pandas.Index
        The domain's item ids (equipment categories...).
    item_code : ndarray of int
        Each entry's position in ``items``.
    position : ndarray of int or None
        Each entry's input row (None when entries are cells of several rows: a per-row array is
        then an error; the caller evaluates on rows instead).
    n_input : int
        Rows of the frame given to ``prepare``.
    convert : callable
        Turns a given value into a float (e.g. ``'refurbished'`` → 1.0).

    Returns
    -------
    ndarray of float or None
        None when ``value`` is None.

    Raises
    ------
    UnknownNameError
        A mapping key that is not an item id.
    InputValueError
        An array whose length is not ``n_input``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> items = pd.Index(["laptop", "monitor"])
    >>> values_per_entry({"monitor": 8}, name="lifetime_years", items=items, item_code=np.array([0, 1, 1]),
    ...                  position=np.arange(3), n_input=3).tolist()
    [nan, 8.0, 8.0]
    """
    import numpy as np
    import pandas as pd


    if value is None:
        return None
    if isinstance(value, Mapping):
        per_item = np.full(len(items), np.nan)
        where = {item: code for code, item in enumerate(items)}
        for key, item_value in value.items():
            if key not in where:
                raise UnknownNameError("override item", key, items, override=name)
            per_item[where[key]] = convert(item_value)
        return per_item[item_code]
    if np.ndim(value) == 0:
        return np.full(len(item_code), convert(value))
    array = pd.Series(np.asarray(value, dtype=object)).map(
        lambda v: np.nan if v is None or (isinstance(v, float) and np.isnan(v)) else convert(v)).to_numpy(float)
    if len(array) != n_input:
        raise InputValueError(f"the '{name}' override has {len(array)} values for {n_input} input rows",
                              code="override_length", override=name, given=len(array), rows=n_input)
    if position is None:
        raise InputValueError(f"the '{name}' override per row needs the prepared rows", code="override_per_row",
                              override=name)
    return array[position]


def is_per_row(overrides: Overrides) -> bool:
    """True when an override gives one value per input row (an array)."""
    import numpy as np

    return any(v is not None and not isinstance(v, (Mapping, str)) and np.ndim(v) > 0
               for v in (overrides.lifetime_years, overrides.quantity_multiplier, overrides.condition,
                         overrides.energy_multiplier))


def grid_override(grid_factor: Mapping[Any, float] | None, values: np.ndarray, *, zones: pd.Index,
                  criteria: tuple[str, ...]) -> np.ndarray:
    """Electricity factors ``values[zone, criterion]`` with :attr:`Overrides.grid_factor` applied
    (``{criterion: value}`` for every zone or ``{(zone, criterion): value}``) [unit/kWh].

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> grid_override({"gwp": 0.2, ("DE", "gwp"): 0.5}, np.zeros((2, 1)), zones=pd.Index(["FR", "DE"]),
    ...               criteria=("gwp",)).tolist()
    [[0.2], [0.5]]
    """

    if not grid_factor:
        return values
    out = values.copy()
    for key, value in sorted(grid_factor.items(), key=lambda kv: isinstance(kv[0], tuple)):  # zone-specific last
        zone, criterion = key if isinstance(key, tuple) else (None, key)
        if criterion not in criteria:
            raise UnknownNameError("criterion", criterion, criteria)
        if zone is not None and zone not in zones:
            raise UnknownNameError("zone", zone, zones)
        rows = slice(None) if zone is None else zones.get_loc(zone)
        out[rows, criteria.index(criterion)] = float(value)
    return out
