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
