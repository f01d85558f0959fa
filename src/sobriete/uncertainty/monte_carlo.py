"""Monte Carlo over the factor ranges and the users' own ranges, on the domain protocol.

Each draw sets every catalog factor that has a range once (the same multiplier for every row that
uses it: fully correlated within a factor, independent between factors) and every range the user
gives (quantities, use, lifetimes, through :class:`~sobriete.protocol.Overrides`), then evaluates
the prepared domains. Only the protocol is used (``DOMAINS[name].prepare``, ``evaluate(year,
overrides=...)``), so every registered domain is covered.

Speed comes from three reductions, each checked rather than assumed:

* the **collapsed design**: rows equal in every column but the domain's additive quantity column
  (:data:`ADDITIVE_COLUMNS`) are merged, their quantities summed, before ``prepare``; impacts are
  linear in that quantity, so the deterministic result is the same, and :func:`prepare_design`
  compares both and keeps the full frame if they differ;
* the **response model**: impacts are affine in each factor multiplier (a factor multiplies a
  quantity, an energy, another factor). The footprint is probed once per factor (``F(1 + e_f)``)
  and once per pair of factors whose effects touch the same cells, which gives it exactly as
  ``F0 + Σ a_f δ_f + Σ a_fg δ_f δ_g``; the model is then checked against exact evaluations at
  random draws (a polynomial that is not zero is not zero at a random point: Schwartz-Zippel).
  A domain that fails the check, or that draws a lifetime (amortisation is not affine in it), is
  evaluated exactly at every draw;
* **one model for many evaluations**: a project's delta sums one domain's footprints over pieces
  and years; :func:`monte_carlo_combined` probes them together, each probe's catalog built once.

References
----------
JCGM 101:2008, Evaluation of measurement data - Supplement 1 to the GUM: propagation of
distributions using a Monte Carlo method (coverage intervals from the draws' quantiles).
Saltelli A. et al., Global Sensitivity Analysis: The Primer, Wiley, 2008, section 1.2.5:
standardised regression coefficients; their squares sum to R² and equal first-order
variance-based indices for a linear model with independent inputs.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
import fnmatch
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputFormatError, InputValueError, UnknownNameError
from ..factors import PHASES, FactorCatalog
from ..footprint import Footprint
from ..protocol import DOMAINS, Overrides, Prepared
from ..schema import HOSTING_COLUMNS, INVENTORY_COLUMNS, LINE_COLUMNS, LUMINAIRE_COLUMNS, TRAFFIC_COLUMNS

#: Distributions a factor or a user range may follow.
DISTRIBUTIONS = ("triangular", "uniform", "lognormal", "fixed")
#: Additive quantity column of each domain (impacts are linear in it) and the value a missing one
#: takes (:mod:`sobriete.schema`: "default 1"; None: required), for the collapsed design. A domain
#: missing here is not collapsed (hosting: several additive columns describe one arrangement).
ADDITIVE_COLUMNS = {"equipment": ("quantity", 1.0), "traffic": ("volume_gb", None), "lines": ("count", 1.0),
                    "lighting": ("count", 1.0)}
#: Overrides fields a user range may draw.
USER_FIELDS = ("quantity_multiplier", "energy_multiplier", "lifetime_years")
#: Bounds of the interval reported [share of draws].
INTERVAL = (0.05, 0.95)
#: Relative tolerance of the response model's check against exact evaluations.
MODEL_RTOL = 1e-9
#: Number of keys above which a group of inputs that changes the footprint is halved before its
#: keys are probed one by one, in :func:`monte_carlo_combined` (a project's rows touch few items
#: of each table; a yearly inventory touches most, and halving would add probes there).
HALVING = 4

#: Distribution of catalog rows whose source says more than low/value/high (first match wins;
#: every other row with low < high is triangular on low/value/high). Reasons in factors/README.md.
DISTRIBUTION_RULES: tuple[tuple[str, str, str], ...] = (
    ("equipment_parameters/thin_client/annual_energy", "uniform",
     "the value is the midpoint of ADEME's range '45 à 65 kWh/an': only the range is known"),
    ("lighting_technologies/fluorescent/gear_loss", "uniform",
     "the ballast class is unknown: any of CELMA classes B1-C (12-30 %) is as likely as B2"),
)


# --------------------------------------------------------------------------- distributions
def factor_distributions(catalog: FactorCatalog, *,
                         rules: Sequence[tuple[str, str, str]] = DISTRIBUTION_RULES) -> pd.DataFrame:
    """The distribution of every numeric catalog factor.

    Parameters
    ----------
    catalog : FactorCatalog
    rules : sequence of (pattern, distribution, reason), keyword-only
        ``fnmatch`` patterns on factor ids that choose another distribution than the default.

    Returns
    -------
    DataFrame
        ``factor_id, value, low, high, unit, source_id, distribution, drawn, reason``. A row is
        drawn when it has ``low < high`` and a non-zero value; triangular on (low, value, high) by
        default; a one-sided range (only ``low`` or ``high``) is not drawn (no bound on the other
        side is published: drawing would invent one) and says so.

    Examples
    --------
    >>> from sobriete import load_catalog
    >>> table = factor_distributions(load_catalog()).set_index("factor_id")
    >>> str(table.loc["electricity/FR/2025/mix/gwp", "distribution"])
    'triangular'
    >>> bool(table.loc["lighting_technologies/hps/gear_loss", "drawn"])  # low only: not drawn
    False
    """
    table = catalog.factor_table()
    low, high, value = table["low"].to_numpy(float), table["high"].to_numpy(float), table["value"].to_numpy(float)
    both = ~np.isnan(low) & ~np.isnan(high)
    distribution = np.where(both & (low < high) & (value != 0), "triangular", "fixed").astype(object)
    reason = np.where(distribution == "triangular", "default: triangular on low, value, high",
                      "no range").astype(object)
    one_sided = np.isnan(low) != np.isnan(high)
    reason[one_sided] = "one-sided range: the other bound is not published, not drawn (see the note)"
    reason[both & (low == high)] = "zero-width range"
    for pattern, name, why in rules:
        if name not in DISTRIBUTIONS:
            raise UnknownNameError("distribution", name, DISTRIBUTIONS)
        hit = table["factor_id"].map(lambda f, p=pattern: fnmatch.fnmatchcase(f, p)).to_numpy(bool) & (
            distribution != "fixed")
        distribution[hit], reason[hit] = name, why
    out = table[["factor_id", "value", "low", "high", "unit", "source_id"]].copy()
    out["distribution"], out["drawn"], out["reason"] = distribution, distribution != "fixed", reason
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class UserRange:
    """A range the user gives on their own data, drawn like a factor.

    Attributes
    ----------
    field : str
        The :class:`~sobriete.protocol.Overrides` field drawn (one of :data:`USER_FIELDS`), or a
        catalog factor id (``electricity/FR/2025/mix/gwp``): the user's range then replaces the
        catalog's for that factor, in the factor's unit (see :func:`factor_range_multipliers`).
    low, mode, high : float
        The range; multipliers [1] (e.g. 0.9, 1, 1.2: quantities estimated within -10 %/+20 %),
        lifetimes [year], a factor's unit.
    item : str or None
        The domain's item (category, technology, kind...) it applies to; None: every row (and
        always None for a factor id, which names its item).
    domain : str
        A domain of :data:`~sobriete.protocol.DOMAINS` (unused for a factor id).
    distribution : {'triangular', 'uniform', 'lognormal'}
        Lognormal: ``low``/``high`` are the 2.5 % and 97.5 % quantiles.
    note : str
        Where the range comes from (source or labelled assumption), for the report.

    Examples
    --------
    >>> UserRange("quantity_multiplier", 0.9, 1.0, 1.1, item="laptop").id
    'user/equipment/quantity_multiplier/laptop'
    >>> UserRange("electricity/FR/2025/mix/gwp", 0.03, 0.05, 0.08).id
    'electricity/FR/2025/mix/gwp'
    """

    field: str
    low: float
    mode: float
    high: float
    item: str | None = None
    domain: str = "equipment"
    distribution: str = "triangular"
    note: str = field(default="", compare=False)

    def __post_init__(self):
        if self.field not in USER_FIELDS and not self.is_factor:
            raise UnknownNameError("uncertain field", self.field, USER_FIELDS)
        if self.distribution not in DISTRIBUTIONS[:3]:
            raise UnknownNameError("distribution", self.distribution, DISTRIBUTIONS[:3])
        if not (np.isfinite([self.low, self.mode, self.high]).all() and self.low <= self.mode <= self.high
                and self.low >= 0):
            raise InputValueError(f"the range of {self.id} must satisfy 0 ≤ low ≤ mode ≤ high, got "
                                  f"{self.low}, {self.mode}, {self.high}", code="bad_user_range", range=self.id,
                                  low=self.low, mode=self.mode, high=self.high)

    @property
    def is_factor(self) -> bool:
        """True when the range is on a catalog factor (its ``field`` is a factor id)."""
        return "/" in self.field

    @property
    def id(self) -> str:
        return self.field if self.is_factor else f"user/{self.domain}/{self.field}/{self.item or '*'}"

    def overrides(self, value: float) -> Overrides:
        """The overrides that set this range to ``value``."""
        given = float(value) if self.item is None else {self.item: float(value)}
        return Overrides(**{self.field: given})


def factor_range_multipliers(spec: UserRange, value: float) -> tuple[float, float, float]:
    """The multipliers ``(low, mode, high)`` [1] of the catalog factor of value ``value`` that a
    user's range ``spec`` on it gives.

    The deterministic result keeps the catalog's value (change it with a factor file): the range
    must contain it, and a factor of value 0 has no multiplier.

    Raises
    ------
    InputValueError
        ``code='range_excludes_value'`` or ``'range_on_zero_factor'``.

    Examples
    --------
    >>> factor_range_multipliers(UserRange("electricity/FR/2025/mix/gwp", 0.03, 0.06, 0.09), 0.06)
    (0.5, 1.0, 1.5)
    """
    value = float(value)
    if value == 0:
        raise InputValueError(f"the catalog value of {spec.field} is 0: a range cannot be drawn as a multiple of it",
                              code="range_on_zero_factor", factor=spec.field)
    if not spec.low <= value <= spec.high:
        raise InputValueError(f"the range {spec.low}-{spec.high} of {spec.field} does not contain the catalog value "
                              f"{value} that the assessment uses; change the value with --factors FILE",
                              code="range_excludes_value", factor=spec.field, low=spec.low, high=spec.high,
                              value=value)
    return spec.low / value, spec.mode / value, spec.high / value


def unknown_factor_error(value: str, ids: Iterable[str], **where: Any) -> UnknownNameError:
    """The error of a range on a factor id the catalog lacks, naming the closest ids (at most 3).

    Examples
    --------
    >>> str(unknown_factor_error("electricity/FR/2052/mix/gwp", ["electricity/FR/2025/mix/gwp", "network/x"]))
    "unknown factor id 'electricity/FR/2052/mix/gwp'; close ids: electricity/FR/2025/mix/gwp"
    """
    import difflib

    close = difflib.get_close_matches(str(value), [str(i) for i in ids], n=3, cutoff=0.6)
    hint = ("close ids: " + ", ".join(close)) if close else "see the ids with `sobriete factors show NAME`"
    return UnknownNameError("factor id", value, hint=hint, code="unknown_range_factor" if close else
                            "unknown_range_factor_far", close=close, **where)


def _stream(seed: int, name: str) -> np.random.Generator:
    """The random stream of one factor: the same for a given seed whatever else is drawn, so two
    runs with the same seed share their draws factor by factor (common random numbers)."""
    digest = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "little")
    return np.random.default_rng([int(seed), digest])


def draw(distribution: str, low: float, mode: float, high: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` values of one distribution.

    Examples
    --------
    >>> values = draw("triangular", 1.0, 2.0, 3.0, 10_000, np.random.default_rng(0))
    >>> bool(1.0 <= values.min() and values.max() <= 3.0), round(float(values.mean()), 1)
    (True, 2.0)
    """
    if distribution == "fixed" or low == high:
        return np.full(n, float(mode))
    if distribution == "triangular":
        return rng.triangular(low, mode, high, n)
    if distribution == "uniform":
        return rng.uniform(low, high, n)
    if distribution == "lognormal":  # low/high: 2.5 % and 97.5 % quantiles
        if low <= 0:
            raise InputValueError("a lognormal range needs low > 0", code="bad_user_range", range="lognormal",
                                  low=low, mode=mode, high=high)
        return np.exp(rng.normal(np.log(np.sqrt(low * high)), np.log(high / low) / (2 * 1.959963984540054), n))
    raise UnknownNameError("distribution", distribution, DISTRIBUTIONS)


@dataclass(frozen=True)
class Inputs:
    """What is drawn: one column per uncertain input.

    Attributes
    ----------
    ids : tuple of str
        Catalog factor ids, then user range ids.
    values : ndarray, shape (n_draws, n_inputs)
        Multipliers of the catalog factors [1]; the user ranges' own values.
    nominal : ndarray, shape (n_inputs,)
        The deterministic value of each column (1 for factors, the mode for user ranges).
    """

    ids: tuple[str, ...]
    values: np.ndarray
    nominal: np.ndarray
    user: tuple[UserRange, ...] = ()


def sample(distributions: pd.DataFrame, draws: int, *, seed: int = 0,
           user_ranges: Iterable[UserRange] = ()) -> Inputs:
    """Draw every drawn factor of ``distributions`` and every user range ``draws`` times.

    Parameters
    ----------
    distributions : DataFrame
        From :func:`factor_distributions`.
    draws : int
        Number of draws (≥ 2).
    seed : int, keyword-only
        Seed of the random streams (one per input, see :func:`_stream`).
    user_ranges : iterable of UserRange, keyword-only

    Returns
    -------
    Inputs
    """
    if int(draws) < 2:
        raise InputValueError(f"at least 2 draws are needed, got {draws}", code="bad_draws", draws=draws)
    if int(seed) < 0:
        raise InputValueError(f"the seed must be a whole number ≥ 0, got {seed}", code="bad_seed", seed=seed)
    user = tuple(user_ranges)
    factors = {spec.field: spec for spec in user if spec.is_factor}  # the user's range replaces the catalog's
    unknown = sorted(set(factors) - set(distributions["factor_id"]))
    if unknown:
        raise unknown_factor_error(unknown[0], distributions["factor_id"])
    rows = distributions[distributions["drawn"] | distributions["factor_id"].isin(list(factors))]
    ids, columns, nominal = [], [], []
    for factor_id, value, low, high, name in zip(rows["factor_id"], rows["value"], rows["low"], rows["high"],
                                                 rows["distribution"]):
        ids.append(factor_id)
        spec = factors.get(factor_id)
        name, low, mode, high = (name, low / value, 1.0, high / value) if spec is None else (
            spec.distribution, *factor_range_multipliers(spec, value))
        columns.append(draw(name, low, mode, high, int(draws), _stream(seed, factor_id)))
        nominal.append(1.0)
    for spec in user:
        if spec.is_factor:
            continue
        ids.append(spec.id)
        columns.append(draw(spec.distribution, spec.low, spec.mode, spec.high, int(draws), _stream(seed, spec.id)))
        nominal.append(spec.mode)
    values = np.column_stack(columns) if columns else np.empty((int(draws), 0))
    return Inputs(tuple(ids), values, np.asarray(nominal, dtype=float), user)


# --------------------------------------------------------------------------- the collapsed design
def collapse(frame: pd.DataFrame, domain: str, by: Iterable[str] | str | None = None) -> pd.DataFrame:
    """Rows equal in every column but the domain's additive quantity column, merged (quantities
    summed). Columns the domain does not read (neither in its schema nor in ``by``: free text,
    identifiers) are left out first. Rows whose quantity is given but not a number ≥ 0 are kept
    as they are (the domain rejects them with their reason).

    Examples
    --------
    >>> inv = pd.DataFrame({"category": ["laptop", "laptop", "monitor"], "quantity": [2, 3, 1]})
    >>> collapse(inv, "equipment").sort_values("category")["quantity"].astype(float).tolist()
    [5.0, 1.0]
    """
    column, default = ADDITIVE_COLUMNS.get(domain, (None, None))
    if column is None or len(frame) < 2 or (column not in frame.columns and default is None):
        return frame
    frame = frame[_design_columns(frame, domain, by)]
    if column not in frame.columns:
        frame = frame.assign(**{column: default})
    given = frame[column].notna()
    quantity = pd.to_numeric(frame[column], errors="coerce")  # "abc" → NaN: rejected by the domain
    if default is not None:
        quantity = quantity.where(given, default)
    missing = ~given & (default is None)
    ok = (np.isfinite(quantity) & (quantity >= 0)) | missing
    others = [c for c in frame.columns if c != column]
    if not others:
        return frame
    good = frame.loc[ok, others].copy()
    good[column] = quantity[ok].where(~missing[ok], np.nan)
    good["__given"] = (~missing[ok]).to_numpy()
    key = [*others, "__given"]  # a missing quantity takes the domain's default: never summed with given ones
    merged = good.groupby(key, dropna=False, sort=False, observed=True)[column].sum(min_count=1).reset_index()
    merged = merged.drop(columns="__given")
    for c in others:  # keep the input's dtypes (categoricals) so prepare sees the same values
        merged[c] = merged[c].astype(frame[c].dtype) if isinstance(frame[c].dtype, pd.CategoricalDtype) else merged[c]
    return pd.concat([merged, frame.loc[~ok]], ignore_index=True)[list(frame.columns)]


def _design_columns(frame: pd.DataFrame, domain: str, by: Iterable[str] | str | None) -> list[str]:
    """The columns that can change a domain's result: its schema's, unit-suffixed variants of them
    and the grouping keys (anything else only names or describes rows)."""
    schema = _SCHEMAS.get(domain)
    if schema is None:
        return list(frame.columns)
    keys = {by} if isinstance(by, str) else set(by or ())
    wanted = (set(schema) - _IDENTIFIERS) | keys
    return [c for c in frame.columns if c in wanted or str(c).startswith(_UNIT_VARIANTS)]


_SCHEMAS = {"equipment": INVENTORY_COLUMNS, "traffic": TRAFFIC_COLUMNS, "lines": LINE_COLUMNS,
            "hosting": HOSTING_COLUMNS, "lighting": LUMINAIRE_COLUMNS}
#: Schema columns that only name a row.
_IDENTIFIERS = frozenset({"luminaire_id"})
#: Prefixes of the unit-suffixed columns the domains convert (``volume_to``, ``lamp_power_kw``...).
_UNIT_VARIANTS = ("volume", "unit", "lamp_power_", "power_", "energy_")


@dataclass(frozen=True)
class Design:
    """A domain prepared twice: the full input (deterministic result and row accounting) and the
    collapsed design the draws use.

    Attributes
    ----------
    domain : str
    full : Prepared
    draws : Prepared
        The collapsed design, or ``full`` when collapsing changed the result.
    rows, design_rows : int
        Rows of the input and of the design.
    collapsed : bool
    """

    domain: str
    full: Prepared
    draws: Prepared
    rows: int
    design_rows: int
    collapsed: bool


def prepare_design(frame: pd.DataFrame, domain: str, catalog: FactorCatalog, *, year: int,
                   by: Iterable[str] | str | None = None, **options: Any) -> Design:
    """Prepare ``frame`` and its collapsed design; keep the collapsed one only if it gives the same
    footprint in ``year`` (relative 1e-9).

    The design is grouped by ``by`` plus the domain's item key (category, technology...) when the
    frame has it: the draws are summed back to ``by``, and finer cells let the response model see
    which factors can interact (two factors of different items never do).

    Returns
    -------
    Design
    """
    if domain not in DOMAINS:  # the registry fills as domain modules are imported
        import_module("sobriete.assessment")
    if domain not in DOMAINS:
        raise UnknownNameError("domain", domain, list(DOMAINS))
    prepare = DOMAINS[domain].prepare
    keys = [by] if isinstance(by, str) else list(by or ())
    full = prepare(frame, catalog, by=keys, **options)
    item = DOMAINS[domain].item_key
    fine = keys + [item] if item in frame.columns and item not in keys else keys
    small = collapse(frame, domain, fine)
    design = prepare(small, catalog, by=fine, **options)
    reference = full.evaluate(year)
    same = _same(reference, _regrouped(design.evaluate(year), keys))
    if not same:
        design = prepare(frame, catalog, by=fine, **options)
        same = _same(reference, _regrouped(design.evaluate(year), keys))
    if not same:
        return Design(domain, full, full, len(frame), len(frame), False)
    return Design(domain, full, design, len(frame), len(small), len(small) < len(frame))


def _regrouped(fp: Footprint, keys: Sequence[str]) -> Footprint:
    return fp.by(*keys) if tuple(keys) != fp.by_keys else fp


def _group_codes(fine: pd.DataFrame, keys: pd.DataFrame) -> np.ndarray:
    """Row of ``keys`` of each row of ``fine`` (matched on ``keys``' columns)."""
    if len(keys.columns) == 0:
        return np.zeros(len(fine), dtype=np.int64)
    index = pd.MultiIndex.from_frame(keys.astype(object)) if len(keys.columns) > 1 else pd.Index(
        keys.iloc[:, 0].astype(object))
    probe = pd.MultiIndex.from_frame(fine[list(keys.columns)].astype(object)) if len(keys.columns) > 1 else pd.Index(
        fine[keys.columns[0]].astype(object))
    codes = index.get_indexer(probe)
    if (codes < 0).any():
        raise InputValueError("the draws' design has a group the deterministic result lacks",
                              code="design_groups", group=str(probe[int(np.flatnonzero(codes < 0)[0])]))
    return codes


def _same(a: Footprint, b: Footprint) -> bool:
    if a.values.shape != b.values.shape or not a.keys.reset_index(drop=True).equals(b.keys.reset_index(drop=True)):
        return False
    scale = max(float(np.abs(a.values).max(initial=0.0)), 1e-300)
    # uncovered counts rows (fewer once merged): only where it is non-zero must agree
    return bool(np.allclose(a.values, b.values, rtol=MODEL_RTOL, atol=MODEL_RTOL * scale)
                and np.allclose(a.energy_kwh, b.energy_kwh, rtol=MODEL_RTOL, atol=MODEL_RTOL * scale)
                and np.array_equal(a.uncovered > 0, b.uncovered > 0))


# --------------------------------------------------------------------------- the response of one domain
def _overrides(ids: Sequence[str], values: np.ndarray, user: Mapping[str, UserRange],
               base: Overrides | None = None) -> Overrides:
    """The overrides of one draw: factor multipliers and user ranges."""
    multipliers = dict(base.factor_multipliers) if base is not None else {}
    fields: dict[str, Any] = {}
    for factor_id, value in zip(ids, values):
        spec = user.get(factor_id)
        if spec is None:
            multipliers[factor_id] = multipliers.get(factor_id, 1.0) * float(value)
        elif spec.item is None:
            fields[spec.field] = float(value)
        else:
            current = fields.setdefault(spec.field, {})
            if isinstance(current, dict):
                current[spec.item] = float(value)
    if base is not None:
        for name in USER_FIELDS:
            if name in fields and getattr(base, name) is not None:  # never drop the scenario's value silently
                raise InputValueError(f"a user range on '{name}' cannot be drawn under a scenario that sets "
                                      f"'{name}' too; give the range on the scenario's value instead",
                                      code="range_and_scenario", override=name)
        return Overrides(factor_multipliers=multipliers, condition=base.condition, grid_factor=base.grid_factor,
                         extra=base.extra, **{k: fields.get(k, getattr(base, k)) for k in USER_FIELDS})
    return Overrides(factor_multipliers=multipliers, **fields)


@dataclass
class _Response:
    """``F(x) = F0 + Σ a_f δ_f + Σ a_fg δ_f δ_g`` over the inputs a domain responds to."""

    used: list[int]
    first: dict[int, np.ndarray]
    second: dict[tuple[int, int], np.ndarray]


class _Evaluator:
    """Evaluations of prepared inputs of one domain, each in its year (``terms``), under the same
    draw, with the inputs the domain does not accept left out. Its arrays are the terms' footprint
    arrays (``values`` then ``energy_kwh``) end to end, so one response model covers every term:
    each probe of the catalog is built once and evaluated in every term's year."""

    def __init__(self, terms: Sequence[tuple[Prepared, int]], inputs: Inputs, options: Mapping[str, Any],
                 base: Overrides | None, *, halving: int | None = None):
        domains = {prepared.domain for prepared, _ in terms}
        if len(domains) != 1:
            names = ", ".join(sorted(domains))
            raise InputValueError(f"a Monte Carlo response model covers one domain, got: {names}",
                                  code="mixed_domains", domains=names)
        self.terms = [(prepared, int(year)) for prepared, year in terms]
        self.inputs, self.options, self.base, self.halving = inputs, options, base, halving
        self.user = {u.id: u for u in inputs.user if u.domain == next(iter(domains)) and not u.is_factor}
        self.evaluations = 0
        self.nominals = self.footprints([], np.empty(0))
        self.nominal = self.nominals[0]
        self.f0 = self._flat(self.nominals)

    def footprints(self, columns: Sequence[int], values: np.ndarray) -> list[Footprint]:
        ids = [self.inputs.ids[c] for c in columns]
        keep = [(i, v) for i, v in zip(ids, values) if not i.startswith("user/") or i in self.user]
        overrides = _overrides([i for i, _ in keep], np.array([v for _, v in keep]), self.user, self.base)
        self.evaluations += len(self.terms)
        return [prepared.evaluate(year, overrides=overrides, **self.options) for prepared, year in self.terms]

    def array(self, columns: Sequence[int], values: np.ndarray) -> np.ndarray:
        return self._flat(self.footprints(columns, values))

    @staticmethod
    def _flat(footprints: Sequence[Footprint]) -> np.ndarray:
        return np.concatenate([a for fp in footprints for a in (fp.values.reshape(-1), fp.energy_kwh)])

    def change(self, columns: Sequence[int], f0: np.ndarray, step: float) -> tuple[np.ndarray, np.ndarray] | None:
        """The footprint's change when ``columns`` are raised by ``step`` (relative to their nominal
        value, at least ``step``) and the raises; None when the domain does not take one of them
        (a factor of a table it does not read is an unknown id there)."""
        nominal = self.inputs.nominal[list(columns)]
        raise_by = step * np.maximum(np.abs(nominal), 1.0)
        try:
            return self.array(columns, nominal + raise_by) - f0, raise_by
        except UnknownNameError:
            return None


def _first_order(ev: _Evaluator, columns: list[int], step: float, level: int = 0,
                 probed: tuple[np.ndarray, np.ndarray] | None | bool = False) -> dict[int, np.ndarray]:
    """``{input: ∂F/∂x}`` of the inputs of ``columns`` that change the footprint, by group testing
    along the ids' hierarchy (table, then each key): a group whose joint raise changes nothing is
    dropped whole; a group that changes (or that the domain refuses) is split at its next key.
    Of 17 ranged electricity factors one year is read: about 8 evaluations instead of 17."""
    if probed is False:
        probed = ev.change(columns, ev.f0, step)
    if probed is not None and not np.any(probed[0] != 0):
        return {}
    if len(columns) == 1:
        return {} if probed is None else {columns[0]: probed[0] / probed[1][0]}
    depth = max(len(ev.inputs.ids[c].split("/")) for c in columns)
    parts: dict[str, list[int]] = {}
    while level < depth:
        parts = {}
        for c in columns:
            parts.setdefault((ev.inputs.ids[c].split("/") + [""] * depth)[level], []).append(c)
        if len(parts) > 1:
            break
        level += 1  # every input shares this key: split deeper, nothing new to evaluate
    groups = list(parts.values()) if len(parts) > 1 else [[c] for c in columns]
    out: dict[int, np.ndarray] = {}
    if ev.halving and len(groups) > ev.halving:  # many keys, few that matter: test each half first
        half = len(groups) // 2
        for keys in (groups[:half], groups[half:]):
            out.update(_first_order(ev, [c for g in keys for c in g], step, level))
        return out
    for group in groups:
        out.update(_first_order(ev, group, step, level + 1))
    return out


def _relevant(ev: _Evaluator, step: float = 0.5) -> dict[int, np.ndarray]:
    """``{input: ∂F/∂x}`` of every input the domain responds to (see :func:`_first_order`)."""
    return _first_order(ev, list(range(len(ev.inputs.ids))), step) if ev.inputs.ids else {}


def _response(ev: _Evaluator, step: float = 0.5) -> tuple[_Response, np.ndarray]:
    """Probe the domain per table of inputs, per input, and per pair of inputs touching the same
    cells (a pair whose effects share no cell has no cross term)."""
    f0 = ev.f0
    first = _relevant(ev, step)
    used = sorted(first)
    second: dict[tuple[int, int], np.ndarray] = {}
    for a, b in combinations(used, 2):
        if not np.any((first[a] != 0) & (first[b] != 0)):
            continue
        both, (ha, hb) = ev.change([a, b], f0, step)
        cross = (both - first[a] * ha - first[b] * hb) / (ha * hb)
        if np.any(np.abs(cross) > MODEL_RTOL * (np.abs(f0) + np.abs(both))):
            second[(a, b)] = cross
    return _Response(used, first, second), f0


def _predict(model: _Response, f0: np.ndarray, delta: np.ndarray) -> np.ndarray:
    """Footprint arrays of each draw from the response model (``delta``: draws × inputs)."""
    out = np.broadcast_to(f0, (len(delta), len(f0))).copy()
    if model.used:
        out += delta[:, model.used] @ np.vstack([model.first[c] for c in model.used])
    for (a, b), cross in model.second.items():
        out += np.outer(delta[:, a] * delta[:, b], cross)
    return out


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class DomainDraws:
    """The draws of one domain.

    Attributes
    ----------
    deterministic : Footprint
        The footprint without uncertainty (the full input).
    values : ndarray, shape (n_draws, n_groups, n_criteria, n_phases)
        Impacts of each draw, in the deterministic footprint's groups and units.
    energy_kwh : ndarray, shape (n_draws, n_groups)
    method : {'model', 'exact'}
        Response model (checked) or exact evaluation at every draw.
    evaluations : int
        Domain evaluations made.
    inputs : tuple of str
        The uncertain inputs the domain responds to.
    design_rows : int
        Rows of the design the draws evaluated.
    """

    deterministic: Footprint
    values: np.ndarray
    energy_kwh: np.ndarray
    method: str
    evaluations: int
    inputs: tuple[str, ...]
    design_rows: int


@dataclass(frozen=True)
class MonteCarlo:
    """Draws of every domain for one year, with the inputs drawn.

    Attributes
    ----------
    year : int
    draws : int
    seed : int
    inputs : Inputs
    domains : dict of str to DomainDraws
    distributions : DataFrame
        From :func:`factor_distributions`.
    """

    year: int
    draws: int
    seed: int
    inputs: Inputs
    domains: Mapping[str, DomainDraws]
    distributions: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)

    @property
    def criteria(self) -> tuple[str, ...]:
        return next(iter(self.domains.values())).deterministic.criteria

    @property
    def units(self) -> tuple[str, ...]:
        return next(iter(self.domains.values())).deterministic.units

    def totals(self) -> np.ndarray:
        """Draws of the grand total per criterion, all domains and phases: ``(n_draws, n_criteria)``."""
        return sum(d.values.sum(axis=(1, 3)) for d in self.domains.values())

    def summary(self, *, by_group: bool = False, by_phase: bool = False) -> pd.DataFrame:
        """Mean, median, 5 % and 95 % quantiles per domain (and ``all``), criterion and, on request,
        phase and group: ``domain, [group keys...], criterion, [phase], deterministic, mean, median,
        p05, p95, unit, complete`` (``complete`` False: some rows had no factor, a lower bound)."""
        parts = []
        for name, d in self.domains.items():
            parts.append(_summary(d, name, by_group, by_phase))
        if not by_group:
            parts.append(_summary_arrays("all", self.totals_by_phase() if by_phase else self.totals(),
                                         self._deterministic_total(by_phase), self.criteria, self.units,
                                         by_phase, self._complete()))
        return pd.concat(parts, ignore_index=True)

    def totals_by_phase(self) -> np.ndarray:
        return sum(d.values.sum(axis=1) for d in self.domains.values())

    def _deterministic_total(self, by_phase: bool) -> np.ndarray:
        total = sum(d.deterministic.values.sum(axis=0) for d in self.domains.values())
        return total if by_phase else total.sum(axis=1)

    def _complete(self) -> np.ndarray:
        return sum(d.deterministic.uncovered.sum(axis=(0, 2)) for d in self.domains.values()) == 0


def _summary(d: DomainDraws, name: str, by_group: bool, by_phase: bool) -> pd.DataFrame:
    fp = d.deterministic
    complete = fp.uncovered.sum(axis=(0, 2)) == 0
    if not by_group:
        values = d.values.sum(axis=1)
        det = fp.values.sum(axis=0)
        return _summary_arrays(name, values if by_phase else values.sum(axis=2), det if by_phase else det.sum(axis=1),
                               fp.criteria, fp.units, by_phase, complete)
    frames = []
    for g in range(len(fp.keys)):
        values, det = d.values[:, g], fp.values[g]
        part = _summary_arrays(name, values if by_phase else values.sum(axis=2), det if by_phase else det.sum(axis=1),
                               fp.criteria, fp.units, by_phase, fp.uncovered[g].sum(axis=1) == 0)
        for key in fp.keys.columns:
            part.insert(1, key, fp.keys.iloc[g][key])
        frames.append(part)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _summary_arrays(name, values, deterministic, criteria, units, by_phase, complete) -> pd.DataFrame:
    """``values``: (n_draws, n_criteria[, n_phases]) → one tidy row per criterion [and phase]."""
    n_draws = values.shape[0]
    flat = values.reshape(n_draws, -1)
    low, median, high = np.quantile(flat, [INTERVAL[0], 0.5, INTERVAL[1]], axis=0)
    n_phase = len(PHASES) if by_phase else 1
    frame = pd.DataFrame({"domain": name, "criterion": np.repeat(np.asarray(criteria, dtype=object), n_phase)})
    if by_phase:
        frame["phase"] = np.tile(np.asarray(PHASES, dtype=object), len(criteria))
    frame["deterministic"] = np.asarray(deterministic, dtype=float).reshape(-1)
    frame["mean"], frame["median"], frame["p05"], frame["p95"] = flat.mean(axis=0), median, low, high
    frame["unit"] = np.repeat(np.asarray(units, dtype=object), n_phase)
    frame["complete"] = np.repeat(np.asarray(complete, dtype=bool), n_phase)
    return frame


# --------------------------------------------------------------------------- running
def monte_carlo(designs: Mapping[str, Prepared | Design], year: int, *, draws: int = 1000, seed: int = 0,
                catalog: FactorCatalog | None = None, user_ranges: Iterable[UserRange] = (),
                overrides: Mapping[str, Overrides] | Overrides | None = None, method: str = "auto",
                options: Mapping[str, Mapping[str, Any]] | None = None) -> MonteCarlo:
    """Monte Carlo of the prepared domains in ``year``.

    Parameters
    ----------
    designs : mapping of domain to Prepared or Design
        Prepared domains (:func:`prepare_design` gives the collapsed design and keeps the full
        input for the deterministic result).
    year : int
        Assessed calendar year.
    draws : int, keyword-only
        Number of draws.
    seed : int, keyword-only
        Same seed, same draws; two runs with the same seed share each input's draws (common random
        numbers), so a difference between years or scenarios is computed draw by draw.
    catalog : FactorCatalog, keyword-only
        Whose ranges are drawn; default: the first domain's.
    user_ranges : iterable of UserRange, keyword-only
    overrides : Overrides or mapping of domain to Overrides, keyword-only
        A scenario applied under every draw (project deltas).
    method : {'auto', 'exact'}, keyword-only
        ``auto``: the checked response model where it holds, exact evaluation elsewhere;
        ``exact``: evaluate every draw.
    options : mapping of domain to evaluate options, keyword-only
        E.g. ``{"lighting": {"electricity": "usage"}}``.

    Returns
    -------
    MonteCarlo

    Examples
    --------
    >>> from sobriete import load_catalog
    >>> from sobriete.equipment import prepare_equipment
    >>> catalog = load_catalog()
    >>> inv = pd.DataFrame({"category": ["laptop"], "quantity": [10], "purchase_year": [2024]})
    >>> mc = monte_carlo({"equipment": prepare_equipment(inv, catalog)}, 2025, draws=200, seed=1)
    >>> row = mc.summary().query("domain == 'all' and criterion == 'gwp'").iloc[0]
    >>> bool(row.p05 < row.deterministic < row.p95)
    True
    """
    if method not in ("auto", "exact"):
        raise UnknownNameError("method", method, ("auto", "exact"))
    if not designs:
        raise InputFormatError("nothing to assess: no input was given", code="nothing_given")
    first = next(iter(designs.values()))
    catalog = catalog if catalog is not None else (first.full if isinstance(first, Design) else first).catalog
    distributions = factor_distributions(catalog)
    inputs = sample(distributions, draws, seed=seed, user_ranges=user_ranges)
    out = {}
    for name, design in designs.items():
        full = design.full if isinstance(design, Design) else design
        small = design.draws if isinstance(design, Design) else design
        base = overrides.get(name) if isinstance(overrides, Mapping) else overrides
        opts = dict((options or {}).get(name, {}))
        out[name] = _domain_draws(full, small, int(year), inputs, base, opts, method,
                                  design.design_rows if isinstance(design, Design) else None)
    return MonteCarlo(int(year), int(draws), int(seed), inputs, out, distributions)


@dataclass(frozen=True)
class CombinedDraws:
    """Draws of weighted sums of one domain's footprints in several years (:func:`monte_carlo_combined`).

    Attributes
    ----------
    deterministic : ndarray, shape (n_outputs, n_criteria)
        The sums without uncertainty [criterion unit].
    values : ndarray, shape (n_draws, n_outputs, n_criteria)
        The sums in each draw [criterion unit].
    footprints : tuple of Footprint
        The deterministic footprint of each term.
    criteria : tuple of str
    method : {'model', 'exact'}
    evaluations : int
        Domain evaluations made (one per term and probe or draw).
    inputs : tuple of str
        The uncertain inputs the terms respond to.
    """

    deterministic: np.ndarray
    values: np.ndarray
    footprints: tuple[Footprint, ...]
    criteria: tuple[str, ...]
    method: str
    evaluations: int
    inputs: tuple[str, ...]


def monte_carlo_combined(terms: Sequence[tuple[Prepared, int]],
                         weigh: Callable[[int, Footprint], np.ndarray], *, draws: int = 1000, seed: int = 0,
                         catalog: FactorCatalog | None = None, user_ranges: Iterable[UserRange] = (),
                         overrides: Overrides | None = None, method: str = "auto",
                         options: Mapping[str, Any] | None = None) -> CombinedDraws:
    """Monte Carlo of weighted sums of one domain's prepared inputs, each evaluated in its year,
    with one response model for all of them.

    A project's delta is such a sum: the rows each change touches, counted +1 or −1, in each year
    of the horizon. Evaluating each (input, year) alone would probe the catalog again for each;
    here every probe builds its copy of the catalog once and evaluates every term under it, and
    the model is checked against exact evaluations of all terms at once. The draws are the ones
    :func:`monte_carlo` makes with the same seed (one stream per input), so the result equals the
    sum of its runs term by term, up to rounding.

    Parameters
    ----------
    terms : sequence of (Prepared, int)
        Prepared inputs of one domain and the calendar year each is evaluated in.
    weigh : callable ``(term index, deterministic Footprint) -> ndarray (n_groups, n_outputs)``
        The weight of each group of a term's footprint (in its ``keys`` order) in each output [1].
    draws, seed, catalog, user_ranges, method
        See :func:`monte_carlo`.
    overrides : Overrides, keyword-only
        A scenario applied under every draw.
    options : mapping, keyword-only
        Evaluate options of the domain, e.g. ``{"allocation": "at_purchase"}``.

    Returns
    -------
    CombinedDraws

    Notes
    -----
    ``S_o = Σ_t Σ_g W_t[g, o] Σ_phase F_t[g, criterion, phase]``: linear in the footprints, so the
    response model of the sums is the weighted sum of the terms' models.

    Examples
    --------
    2026 minus 2025 of ten laptops, draw by draw:

    >>> from sobriete import load_catalog, equipment
    >>> laptops = pd.DataFrame({"category": ["laptop"], "quantity": [10], "purchase_year": [2024]})
    >>> ready = equipment.prepare_equipment(laptops, load_catalog())
    >>> change = monte_carlo_combined([(ready, 2025), (ready, 2026)], lambda t, fp: np.full((1, 1), 2.0 * t - 1),
    ...                               draws=100, seed=3)
    >>> years = [monte_carlo({"equipment": ready}, y, draws=100, seed=3).totals() for y in (2025, 2026)]
    >>> bool(np.allclose(change.values[:, 0], years[1] - years[0], rtol=1e-9))
    True
    """
    if method not in ("auto", "exact"):
        raise UnknownNameError("method", method, ("auto", "exact"))
    if not terms:
        raise InputFormatError("nothing to assess: no input was given", code="nothing_given")
    catalog = catalog if catalog is not None else terms[0][0].catalog
    inputs = sample(factor_distributions(catalog), draws, seed=seed, user_ranges=user_ranges)
    ev = _Evaluator(terms, inputs, dict(options or {}), overrides, halving=HALVING)
    combine = _Combine(ev.nominals, [weigh(t, fp) for t, fp in enumerate(ev.nominals)])
    arrays, used, method_used = _draw_arrays(ev, inputs, method, combine)
    shape = (-1, len(ev.nominal.criteria))
    return CombinedDraws(combine(ev.f0[None])[0].reshape(shape), arrays.reshape((len(arrays), *shape)),
                         tuple(ev.nominals), ev.nominal.criteria, method_used, ev.evaluations,
                         tuple(inputs.ids[c] for c in used))


def _domain_draws(full: Prepared, small: Prepared, year: int, inputs: Inputs, base: Overrides | None,
                  options: Mapping[str, Any], method: str, design_rows: int | None) -> DomainDraws:
    deterministic = full.evaluate(year, overrides=base, **options)
    ev = _Evaluator([(small, year)], inputs, options, base)
    arrays, used, method_used = _draw_arrays(ev, inputs, method, _Regroup(ev.nominal, deterministic))
    n_draws = len(inputs.values)
    n_values = int(np.prod(deterministic.values.shape))
    return DomainDraws(deterministic, arrays[:, :n_values].reshape((n_draws, *deterministic.values.shape)),
                       arrays[:, n_values:], method_used, ev.evaluations, tuple(inputs.ids[c] for c in used),
                       design_rows if design_rows is not None else -1)


def _draw_arrays(ev: _Evaluator, inputs: Inputs, method: str, reduce: _Linear) -> tuple[np.ndarray, list[int], str]:
    """``reduce`` (a linear map) of the evaluator's arrays in every draw, the inputs used and the
    method: the checked response model, or exact evaluation at every draw where it does not hold
    or a lifetime is drawn (amortisation is not affine in it)."""
    delta = inputs.values - inputs.nominal
    if method == "auto":
        model, f0 = _response(ev)
        used = model.used
        nonlinear = any(inputs.ids[c].endswith("/lifetime") or "/lifetime_years/" in inputs.ids[c] for c in used)
        if not nonlinear and _model_holds(ev, model, f0, inputs, delta):
            return _predict(reduce.model(model), reduce(f0[None])[0], delta), used, "model"
    else:
        used = sorted(_relevant(ev))
    exact = [reduce(ev.array(used, inputs.values[k, used])[None]) for k in range(len(delta))]
    return np.vstack(exact), used, "exact"


def _model_holds(ev: _Evaluator, model: _Response, f0: np.ndarray, inputs: Inputs, delta: np.ndarray) -> bool:
    """The response model equals exact evaluation at two random draws (every cell of the design)."""
    rng = np.random.default_rng(0)
    for k in rng.choice(len(delta), size=min(2, len(delta)), replace=False):
        exact = ev.array(model.used, inputs.values[k, model.used])
        predicted = _predict(model, f0, delta[[k]])[0]
        if np.any(np.abs(exact - predicted) > 1e3 * MODEL_RTOL * (np.abs(exact).max() + np.abs(predicted).max())):
            return False
    return True


class _Linear(ABC):
    """A linear map of the evaluator's flat arrays (draws × cells), applied to a response model too."""

    @abstractmethod
    def __call__(self, arrays: np.ndarray) -> np.ndarray:
        """The mapped arrays (draws × mapped cells)."""

    def model(self, model: _Response) -> _Response:
        """The response model of the mapped arrays (a linear map of linear terms)."""
        return _Response(model.used, {c: self(a[None])[0] for c, a in model.first.items()},
                         {p: self(a[None])[0] for p, a in model.second.items()})


class _Regroup(_Linear):
    """Sums the design's groups (``by`` + item key) into the result's groups (``by``), on flat
    arrays ``values (groups × criteria × phases)`` then ``energy_kwh (groups)``."""

    def __init__(self, design: Footprint, result: Footprint):
        codes = _group_codes(design.keys, result.keys)
        self.matrix = np.zeros((len(result.keys), len(design.keys)))
        self.matrix[codes, np.arange(len(codes))] = 1.0
        self.n_fine = len(design.keys)
        self.cell = int(np.prod(design.values.shape[1:]))

    def __call__(self, arrays: np.ndarray) -> np.ndarray:
        n = self.n_fine * self.cell
        values = np.matmul(self.matrix, arrays[:, :n].reshape(len(arrays), self.n_fine, self.cell))
        return np.concatenate([values.reshape(len(arrays), -1), arrays[:, n:] @ self.matrix.T], axis=1)


class _Combine(_Linear):
    """Weighted sums of the terms' groups per criterion (phases summed): ``Σ_t Σ_g W_t[g, o]
    F_t[g, c, :]``, on the evaluator's arrays (each term's ``values`` then ``energy_kwh``)."""

    def __init__(self, footprints: Sequence[Footprint], weights: Sequence[np.ndarray]):
        blocks = []
        for fp, w in zip(footprints, weights):
            n_groups, n_criteria, n_phases = fp.values.shape
            w = np.asarray(w, dtype=float).reshape(n_groups, -1)
            eye = np.eye(n_criteria)
            block = w[:, None, None, :, None] * eye[None, :, None, None, :] * np.ones((1, 1, n_phases, 1, 1))
            blocks.append(block.reshape(n_groups * n_criteria * n_phases, -1))
            blocks.append(np.zeros((n_groups, blocks[-1].shape[1])))  # energy: not an impact
        self.matrix = np.vstack(blocks)

    def __call__(self, arrays: np.ndarray) -> np.ndarray:
        return arrays @ self.matrix


# --------------------------------------------------------------------------- comparisons and sensitivity
def compare(before: MonteCarlo, after: MonteCarlo) -> pd.DataFrame:
    """The change ``after − before`` of the grand total per criterion, draw by draw.

    Both runs must share their seed and number of draws: each input then has the same draws in
    both (common random numbers), so a factor's uncertainty common to both years cancels in the
    difference instead of widening it.

    Returns
    -------
    DataFrame
        ``criterion, before, after, change, mean, median, p05, p95, p_reduction, unit``:
        deterministic totals and change, then the change's statistics over the draws and the
        share of draws in which the total went down.

    Raises
    ------
    InputValueError
        Different seeds or numbers of draws.
    """
    if before.seed != after.seed or before.draws != after.draws:
        raise InputValueError("compare Monte Carlo runs with the same seed and number of draws "
                              f"(got seed {before.seed}/{after.seed}, draws {before.draws}/{after.draws})",
                              code="different_draws", first=before.seed, second=after.seed)
    if before.criteria != after.criteria:
        raise InputValueError("runs with different criteria cannot be compared", code="different_criteria")
    diff = after.totals() - before.totals()
    low, median, high = np.quantile(diff, [INTERVAL[0], 0.5, INTERVAL[1]], axis=0)
    return pd.DataFrame({
        "criterion": list(before.criteria), "before": before._deterministic_total(False),
        "after": after._deterministic_total(False),
        "change": after._deterministic_total(False) - before._deterministic_total(False),
        "mean": diff.mean(axis=0), "median": median, "p05": low, "p95": high,
        "p_reduction": (diff < 0).mean(axis=0), "unit": list(before.units)})


def compare_scenario(designs: Mapping[str, Prepared | Design], year: int, scenario: Mapping[str, Overrides] | Overrides,
                     *, draws: int = 1000, seed: int = 0, **kwargs: Any) -> tuple[MonteCarlo, MonteCarlo, pd.DataFrame]:
    """A scenario (project) against its baseline in ``year``, with the same draws: ``(baseline,
    scenario, change)``, ``change`` as :func:`compare` gives it (interval of the difference draw by
    draw and the probability that the scenario reduces the total).

    Examples
    --------
    >>> from sobriete import load_catalog
    >>> from sobriete.equipment import prepare_equipment
    >>> inv = pd.DataFrame({"category": ["laptop", "monitor"], "quantity": [10, 10], "purchase_year": [2024, 2024]})
    >>> prepared = {"equipment": prepare_equipment(inv, load_catalog())}
    >>> _, _, change = compare_scenario(prepared, 2025, Overrides(lifetime_years={"laptop": 8}), draws=100)
    >>> float(change.set_index("criterion").loc["gwp", "p_reduction"])
    1.0
    """
    baseline = monte_carlo(designs, year, draws=draws, seed=seed, **kwargs)
    after = monte_carlo(designs, year, draws=draws, seed=seed, overrides=scenario, **kwargs)
    return baseline, after, compare(baseline, after)


def sensitivity(result: MonteCarlo, criterion: str = "gwp") -> pd.DataFrame:
    """Which inputs drive the variance of the grand total: squared standardised regression
    coefficients (SRC²).

    Returns
    -------
    DataFrame
        ``input, src, src2`` sorted by ``src2`` (inputs with no variance or no effect left out),
        with ``r2`` (share of the variance the linear fit explains: near 1, the SRC² are the
        first-order variance-based indices; well below 1, interactions or non-linearities
        matter and the ranking is indicative).

    Notes
    -----
    SRC_f = b_f σ_f / σ_Y, with b the least-squares slopes of the total on the inputs; for
    independent inputs Σ SRC² = R² (Saltelli et al. 2008, 1.2.5).
    """
    if criterion not in result.criteria:
        raise UnknownNameError("criterion", criterion, result.criteria)
    y = result.totals()[:, result.criteria.index(criterion)]
    used = sorted({i for d in result.domains.values() for i in d.inputs})
    columns = [result.inputs.ids.index(i) for i in used]
    x = result.inputs.values[:, columns]
    keep = x.std(axis=0) > 0
    x, names = x[:, keep], [n for n, k in zip(used, keep) if k]
    if y.std() == 0 or not names:
        return pd.DataFrame({"input": [], "src": [], "src2": [], "r2": []})
    design = np.column_stack([np.ones(len(y)), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    fitted = design @ coef
    r2 = 1.0 - ((y - fitted) ** 2).sum() / ((y - y.mean()) ** 2).sum()
    src = coef[1:] * x.std(axis=0) / y.std()
    frame = pd.DataFrame({"input": names, "src": src, "src2": src ** 2, "r2": r2})
    return frame[frame["src2"] > 0].sort_values("src2", ascending=False, ignore_index=True)
