"""Network: impacts of data traffic (per GB) and of connectivity lines (per line and year).

Three models (:data:`NETWORK_MODELS`), chosen by name:

``combined`` (default)
    Per line and year (access-network infrastructure, access electricity by technology, the
    customer box) plus the volume-dependent part per GB. ADEME's 2024 study of internet access
    in France models the footprint this way and finds it driven by the number of subscriptions
    and boxes, not by the volume (fixed: 50.1 kgCO2e per subscription and year + 1.75 gCO2e/GB,
    i.e. 4 kg of the 54 kg of an average 2,290 GB subscription). It is also the only model in
    which halving the traffic does not halve the network's footprint, and in which switching
    copper lines to fibre changes something.
``per_gb``
    The whole network life cycle allocated to data volume (NegaOctet factors, box included
    for fixed access). Lines are not counted (their impacts are inside the per-GB factor).
``per_line``
    Lines only; traffic is not counted.

Volumes are converted with pint: ``GB``/``Go`` are decimal (1 Go = 10⁹ octets), as ADEME and
NegaOctet use them; ``GiB`` (2³⁰ bytes) is accepted and converted.

Both tables follow the domain protocol (:mod:`sobriete.protocol`, registered as ``traffic`` and
``lines``): :func:`prepare_traffic` / :func:`prepare_lines` validate and sum the rows per cell
once; :meth:`PreparedTraffic.evaluate` / :meth:`PreparedLines.evaluate` compute any year under
scenario overrides. :func:`copper_switch_off` is one prepared input evaluated twice, compared
with :class:`~sobriete.comparison.Comparison`. Dense factors live in :mod:`sobriete.network_factors`.

References
----------
ADEME (with Arcep), Évaluation de l'empreinte environnementale de la fourniture d'accès à
internet en France, 2024 (per-subscription + per-GB model; life-cycle stage shares).
ADEME, publicodes-acv-numerique v2.2.0, src/transmission.publicodes (NegaOctet per-GB factors).
Arcep, Pour un numérique soutenable, 2022 (data 2020): access electricity per subscription,
fibre < 10 kWh/yr, copper ≈ 35 kWh/yr.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
import numpy as np
import pandas as pd

from .kernel import CellSums, RowChecker, ZoneColumn, _NumberColumn, build_footprint, chunks, empty_values, prepare
from ._prepared import (NO_OVERRIDES, NameColumn, PreparedBase, PresentGroups, RowCells, factor_keys, float_view, grid,
                        multiply, nonnegative_numbers, resolve, split_keys)
from .comparison import Comparison
from .errors import InputFormatError, InputValueError, UnitError, UnknownNameError
from .factors import EMBODIED_PHASES, NETWORKS, PHASES, FactorCatalog, load_catalog
from .footprint import DataQuality, Footprint
from .network_factors import (BOX_CATEGORY, LineFactors, TrafficFactors, _gb_factor, _PreparedLines,  # noqa: F401  (re-exported)
                              _prepared_lines, _prepared_traffic, line_energy_kwh, line_factors, to_gigabytes,
                              traffic_factors)
from .notices import Notice
from .protocol import DomainSpec, Overrides, register
from .schema import (LINE_COLUMNS, LINE_TECHNOLOGY_ALIASES, NETWORK_ALIASES, TRAFFIC_COLUMNS,  # noqa: F401
                     VOLUME_SUFFIX_UNITS, alias_table, normalise_name)

#: Models of the network footprint; see the module docstring.
NETWORK_MODELS = ("combined", "per_gb", "per_line")
DEFAULT_MODEL = "combined"
#: Per-GB factor basis used by each model for traffic.
TRAFFIC_BASIS = {"combined": "marginal", "per_gb": "total"}
#: Copper technologies switched by default in :func:`copper_switch_off` (roadmap Action 6).
COPPER_TECHNOLOGIES = ("adsl", "vdsl")
_NETWORK_INDEX = pd.Index(NETWORKS)


def _check_model(model: str, choices: Sequence[str] = NETWORK_MODELS) -> None:
    if model not in choices:
        raise UnknownNameError("network model", model, choices)


# --------------------------------------------------------------------------- traffic



class _TrafficVolume:
    """Volumes in GB, chunk by chunk, from ``volume_gb``, ``volume`` + ``unit``, or one
    ``volume_<unit>`` column; bad, missing or negative volumes and unknown units are rejected."""

    def __init__(self, traffic: pd.DataFrame):
        self.unit_codes = None
        if "volume_gb" in traffic.columns:
            self.column, self.factor = "volume_gb", 1.0
        elif "volume" in traffic.columns:
            if "unit" not in traffic.columns:
                raise InputFormatError("a 'volume' column needs a 'unit' column (MB, GB, TB, Mo, Go, To), "
                                       "or name the column after its unit ('volume_gb', 'volume_to')",
                                       column="volume", code="volume_without_unit")
            self.column, self.factor = "volume", 1.0
            self.unit = traffic["unit"]
            self.unit_codes, uniques = pd.factorize(self.unit)
            self.unit_factors = np.full(len(uniques) + 1, np.nan)
            for i, unit in enumerate(uniques):
                try:
                    self.unit_factors[i] = _gb_factor(unit)
                except UnitError:
                    pass
        else:
            for column in traffic.columns:
                name = str(column).lower()
                unit = VOLUME_SUFFIX_UNITS.get(name.removeprefix("volume_")) if name.startswith("volume_") else None
                if unit is not None:
                    self.column, self.factor = column, _gb_factor(unit)
                    break
            else:
                raise InputFormatError("the traffic table has no volume column: give 'volume_gb', or 'volume' with "
                                       "'unit', or 'volume_<unit>' (volume_mb, volume_tb, volume_go, volume_to)",
                                       column="volume_gb", code="no_volume_column")
        self.values = _NumberColumn(traffic[self.column])

    def view(self) -> np.ndarray | None:
        """The volumes in GB as a float64 view of the input column, when no conversion is needed."""
        return float_view(self.values) if self.unit_codes is None and self.factor == 1.0 else None

    def chunk(self, check: RowChecker, sl: slice) -> np.ndarray:
        volume = nonnegative_numbers(check, self.values, str(self.column), what="volume", required=True, sl=sl)
        if self.unit_codes is not None:
            codes = self.unit_codes[sl]
            check.reject(codes < 0, "unit", "missing_unit", "the volume's unit is missing", start=sl.start)
            factors = self.unit_factors[codes]
            check.reject(np.isnan(factors), "unit", "bad_unit", "unit is not a data volume (MB, GB, TB, Mo, Go, "
                         "To...)", self.unit, start=sl.start)
            return volume * factors
        return volume * self.factor if self.factor != 1.0 else volume


def traffic_volume_gb(traffic: pd.DataFrame, check: RowChecker) -> np.ndarray:
    """Volumes in GB from ``volume_gb``, ``volume`` + ``unit``, or one ``volume_<unit>`` column;
    bad, missing or negative volumes and unknown units are rejected."""
    return _TrafficVolume(traffic).chunk(check, slice(0, len(traffic)))


def prepare_traffic(traffic: pd.DataFrame, catalog: FactorCatalog | None = None, *,
                    by: Iterable[str] | str | None = None, **options) -> PreparedTraffic:
    """Validate a traffic table and sum its volumes per (group, zone, network), once.

    Parameters
    ----------
    traffic : DataFrame
        Canonical columns (:data:`TRAFFIC_COLUMNS`); other columns can be keys in ``by``.
        Networks are matched through :func:`sobriete.schema.normalise_name` with
        :data:`NETWORK_ALIASES` ("Internet fixe" → fixed, "4G" → mobile).
    catalog : FactorCatalog, optional
        Defaults to the bundled catalog.
    by : str or list of str, keyword-only
        Grouping keys (``"commune"``, ``["site", "network"]``...).
    **options
        Other domains' options (:class:`~sobriete.protocol.DomainSpec`), ignored.

    Returns
    -------
    PreparedTraffic
        Rejected rows (unknown network, bad volume or unit, unknown zone) are in its
        ``quality`` with their reason; :meth:`PreparedTraffic.evaluate` computes any year.

    Examples
    --------
    >>> t = pd.DataFrame({"network": ["Internet fixe", "4G"], "volume": [2, 500], "unit": ["To", "Go"]})
    >>> prepared = prepare_traffic(t)
    >>> round(float(prepared.evaluate(2025, model="per_gb").total().loc["gwp", "total"]), 2)
    30.88
    """
    catalog, grouping, check = prepare(traffic, catalog, by, "network", TRAFFIC_COLUMNS, "traffic")
    network = NameColumn(traffic["network"], _NETWORK_INDEX, NETWORK_ALIASES)
    volume = _TrafficVolume(traffic)
    zone = ZoneColumn(traffic, catalog)
    n_n = len(NETWORKS)
    sums = CellSums(grouping.n * zone.n * n_n)
    rows = RowCells(check.n, sums.size, volume.view())
    for sl in chunks(check.n, sums.size):
        net = check.codes(network, _NETWORK_INDEX, "network", what="network", sl=sl)
        vol = volume.chunk(check, sl)
        cell = grouping.codes(sl) * (zone.n * n_n) + net
        if zone.column is not None:
            cell += zone.chunk(check, sl) * n_n
        ok = check.ok(sl)
        sums.add(cell, vol, ok)
        rows.add(sl, cell, vol, ok)
    shape = (grouping.n, zone.n, n_n)
    present = PresentGroups(grouping, sums.rows.reshape(grouping.n, -1).sum(axis=1))
    quality = check.quality({"volume_gb": int(round(float(sums.weight.sum())))}, ())
    return PreparedTraffic(catalog, quality, tuple(grouping.by), present, zone, sums.weight.reshape(shape),
                           sums.rows.reshape(shape), rows)


@dataclass(frozen=True, eq=False)
class PreparedTraffic(PreparedBase):
    """A traffic table validated and summed per (group, zone, network) by :func:`prepare_traffic`.

    Overrides applied by :meth:`evaluate` (:class:`~sobriete.protocol.Overrides`):
    ``quantity_multiplier`` (GB, per network id or per row) and ``factor_multipliers`` on
    ``network_traffic/<zone>/<network>/<basis>/<year>/<criterion>`` (the id of the factor
    used for the assessed year). The per-GB factors are not split into electricity:
    ``energy_multiplier``, ``grid_factor``, ``lifetime_years`` and ``condition`` do not apply.
    """

    zone: ZoneColumn
    volume_gb: np.ndarray  # (all groups, zone, network) [GB]
    rows: np.ndarray  # same shape, assessed rows
    row_cells: RowCells
    domain: str = "traffic"

    def evaluate(self, year: int, *, overrides: Overrides | None = None, allocation: str = "amortised",
                 model: str = DEFAULT_MODEL, **options) -> Footprint:
        """Footprint of the traffic in ``year`` under ``overrides``.

        Parameters
        ----------
        year : int
            Assessed year (selects the per-GB factors: the latest up to that year).
        overrides : Overrides, keyword-only
        allocation : str, keyword-only
            Unused (traffic has no embodied impacts of its own); accepted for the protocol.
        model : {'combined', 'per_gb'}, keyword-only
            ``combined``: volume-dependent part only (to add to the lines); ``per_gb``: whole
            network life cycle per GB.
        **options
            Other domains' options, ignored.

        Returns
        -------
        Footprint
            Impacts in the ``use`` phase; ``energy_kwh`` is 0.

        Notes
        -----
        impact[group, criterion] = Σ volume_gb × multiplier × factor[zone, network, criterion, year].
        """
        _check_model(model, tuple(TRAFFIC_BASIS))
        overrides = overrides or NO_OVERRIDES
        catalog, n_n = self.catalog, len(NETWORKS)
        factors, flat, flat_missing = _prepared_traffic(catalog, int(year), TRAFFIC_BASIS[model])
        per_network, per_row = resolve(overrides.quantity_multiplier, _NETWORK_INDEX, self.row_cells.cell.size,
                                       "quantity_multiplier")
        volume = self.volume_gb if per_row is None else self.row_cells.sums(per_row).reshape(self.volume_gb.shape)
        present = self.groups.present
        cells = len(catalog.zones) * n_n  # columns: zone × network (explicit: no row may be left)
        volume = self.zone.expand(volume[present] * per_network, 1).reshape(len(present), cells)
        rows = self.zone.expand(self.rows[present], 1).reshape(len(present), cells)
        keys = factor_keys(overrides, "network_traffic")
        if keys:
            flat = flat * _traffic_multipliers(keys, factors, catalog).reshape(flat.shape)
        values, uncovered = empty_values(len(present), catalog)
        use = PHASES.index("use")
        values[:, :, use] = volume @ flat
        uncovered[:, :, use] = rows @ flat_missing
        used = rows.sum(axis=0).reshape(len(catalog.zones), n_n) > 0
        meta = {"domain": "network_traffic", "year": factors.year, "model": model, "basis": factors.basis}
        return build_footprint(values, uncovered, np.zeros(len(present)), rows.sum(axis=1), self.groups, catalog,
                               meta, self.quality, factors.warnings(used))


def _traffic_multipliers(keys: dict, factors: TrafficFactors, catalog: FactorCatalog) -> np.ndarray:
    """Multipliers ``[zone, network, criterion]`` of the per-GB factors used, from factor ids
    ``network_traffic/<zone>/<network>/<basis>/<year>/<criterion>``."""
    out = np.ones(factors.values.shape)
    axes = (catalog.zones, factors.networks, pd.Index(catalog.criteria))
    for (zone, network, basis, year, criterion), multiplier in split_keys(keys, 5, "network_traffic"):
        z, n, c = (axis.get_indexer([key])[0] for axis, key in zip(axes, (zone, network, criterion)))
        if min(z, n, c) < 0:
            raise UnknownNameError("factor id", f"network_traffic/{zone}/{network}/{basis}/{year}/{criterion}", None)
        if basis == factors.basis and str(factors.source_year[z, n]) == year:
            out[z, n, c] *= multiplier
    return out


def assess_traffic(traffic: pd.DataFrame, year: int, *, catalog: FactorCatalog | None = None,
                   by: Iterable[str] | str | None = None, model: str = DEFAULT_MODEL) -> Footprint:
    """Footprint of data traffic for one year: :func:`prepare_traffic` then
    :meth:`PreparedTraffic.evaluate`.

    Parameters
    ----------
    traffic : DataFrame
        Canonical columns (:data:`TRAFFIC_COLUMNS`); other columns can be keys in ``by``.
    year : int
        Assessed year (selects the per-GB factors: the latest up to that year).
    catalog : FactorCatalog, optional
        Defaults to the bundled catalog.
    by : str or list of str, optional
        Grouping keys (``"commune"``, ``["site", "network"]``...).
    model : {'combined', 'per_gb'}, keyword-only
        ``combined``: volume-dependent part only (to add to :func:`assess_lines`);
        ``per_gb``: whole network life cycle per GB.

    Returns
    -------
    Footprint
        Impacts in the ``use`` phase (the service's life cycle allocated to the assessed
        organisation's data); ``energy_kwh`` is 0 (the factors are not split into kWh).

    Notes
    -----
    impact[group, criterion] = Σ volume_gb × factor[zone, network, criterion, year].

    Examples
    --------
    >>> t = pd.DataFrame({"network": ["fixed", "mobile"], "volume": [2, 500], "unit": ["To", "Go"]})
    >>> fp = assess_traffic(t, 2025, model="per_gb")
    >>> round(float(fp.total().loc["gwp", "total"]), 2)   # 2000 × 0.00927 + 500 × 0.02468
    30.88
    """
    _check_model(model, tuple(TRAFFIC_BASIS))
    return prepare_traffic(traffic, catalog, by=by).evaluate(year, model=model)


# --------------------------------------------------------------------------- lines
#: Domain settings of :meth:`PreparedLines.evaluate` in ``Overrides.extra``.
LINE_EXTRAS = ("technology_switch", "switch_share")


def prepare_lines(lines: pd.DataFrame, catalog: FactorCatalog | None = None, *,
                  by: Iterable[str] | str | None = None, **options) -> PreparedLines:
    """Validate a lines table and sum its lines per (group, technology, zone), once.

    Parameters
    ----------
    lines : DataFrame
        Canonical columns (:data:`LINE_COLUMNS`); other columns can be keys in ``by``.
        Technologies are matched through :func:`sobriete.schema.normalise_name` (case, accents,
        spaces folded) with the usual invoice spellings (:data:`LINE_TECHNOLOGY_ALIASES`:
        "Fibre" → ftth, "FIBRE DEDIÉE" → fibre_pro, "VDSL2" → vdsl, "4G" → mobile_4g).
    catalog : FactorCatalog, optional
    by : str or list of str, keyword-only
    **options
        Other domains' options (:class:`~sobriete.protocol.DomainSpec`), ignored.

    Returns
    -------
    PreparedLines

    Examples
    --------
    >>> prepared = prepare_lines(pd.DataFrame({"technology": ["FIBRE DEDIÉE", "adsl"], "count": [1, 2]}))
    >>> prepared.quality.rows_assessed, prepared.quality.counts["lines"]
    (2, 3)
    """
    catalog, grouping, check = prepare(lines, catalog, by, "technology", LINE_COLUMNS, "lines")
    factors = _prepared_lines(catalog)
    techs = factors.factors.technologies
    technology = NameColumn(lines["technology"], techs, LINE_TECHNOLOGY_ALIASES)
    count = _NumberColumn(lines["count"]) if "count" in lines.columns else None
    zone = ZoneColumn(lines, catalog)
    n_t = len(techs)
    sums = CellSums(grouping.n * n_t * zone.n)
    rows = RowCells(check.n, sums.size, float_view(count) if count is not None else None)
    for sl in chunks(check.n, sums.size):
        tech = check.codes(technology, techs, "technology", what="line technology", sl=sl)
        if count is None:
            n_lines = np.ones(sl.stop - sl.start)
        else:
            n_lines = nonnegative_numbers(check, count, "count", what="line count", sl=sl)
            missing_count = np.isnan(n_lines)
            if missing_count.any():
                n_lines = np.where(missing_count, 1.0, n_lines)
        cell = grouping.codes(sl) * (n_t * zone.n)
        cell += tech.astype(np.int64) * zone.n + zone.chunk(check, sl) if zone.column is not None else tech
        ok = check.ok(sl)
        sums.add(cell, n_lines, ok)
        rows.add(sl, cell, n_lines, ok)
    shape = (grouping.n, n_t, zone.n)
    present = PresentGroups(grouping, sums.rows.reshape(grouping.n, -1).sum(axis=1))
    quality = check.quality({"lines": int(round(float(sums.weight.sum())))}, ())
    return PreparedLines(catalog, quality, tuple(grouping.by), present, zone, factors,
                         sums.weight.reshape(shape), sums.rows.reshape(shape), rows)


@dataclass(frozen=True, eq=False)
class PreparedLines(PreparedBase):
    """A lines table validated and summed per (group, technology, zone) by :func:`prepare_lines`.

    Overrides applied by :meth:`evaluate` (:class:`~sobriete.protocol.Overrides`; mappings are
    keyed by the input row's technology id):

    - ``quantity_multiplier``: lines [1], per technology or per row;
    - ``energy_multiplier``: the lines' electricity (access network and box) [1];
    - ``lifetime_years``: lifetime of the customer boxes [year] (default: the catalog's
      ``internet_box``);
    - ``grid_factor`` and ``electricity/...`` factor ids: the electricity factors;
    - ``factor_multipliers`` on ``network_lines/<technology>/<criterion>/<phase>``,
      ``network_line_parameters/<technology>/<access_energy|boxes>``,
      ``equipment_impacts/internet_box/<criterion>/<phase>`` and
      ``equipment_parameters/internet_box/<lifetime|annual_energy>``;
    - ``extra["technology_switch"]``: ``{from: to}`` technology ids (``{"adsl": "ftth"}``: copper
      switch-off), applied after the per-row values, with ``extra["switch_share"]`` in [0, 1]
      (default 1) of those lines switched. A switched line keeps one box.

    ``condition`` does not apply to lines; other domains' ``extra`` keys are ignored.
    """

    zone: ZoneColumn
    factors: _PreparedLines
    lines: np.ndarray  # (all groups, technology, zone) [1]
    rows: np.ndarray  # same shape, assessed rows
    row_cells: RowCells
    domain: str = "lines"
    _coverage: dict = field(default_factory=dict, repr=False)  # notices by rows and missing factors

    def evaluate(self, year: int, *, overrides: Overrides | None = None, allocation: str = "amortised",
                 model: str = "per_line", **options) -> Footprint:
        """Footprint of the lines in ``year`` under ``overrides``.

        Parameters
        ----------
        year : int
            Assessed year (selects the electricity factors).
        overrides : Overrides, keyword-only
        allocation : str, keyword-only
            Unused: boxes are counted in steady state (one in service per line, renewed at the
            end of its lifetime); accepted for the protocol.
        model : str, keyword-only
            A name of :data:`NETWORK_MODELS`; the lines are computed the same way by every
            model that counts them (:func:`assess_network` leaves them out of ``per_gb``).
        **options
            Other domains' options, ignored.

        Notes
        -----
        Per line and year: infrastructure[t] + boxes[t] × box embodied / box lifetime (embodied
        phases), and (access_energy[t] + boxes[t] × box energy) × grid[zone, year] (use).
        """
        _check_model(model)
        overrides = overrides or NO_OVERRIDES
        catalog, f = self.catalog, self.factors.factors
        techs, present = f.technologies, self.groups.present
        infra, boxes, access, box_embodied, box_life, box_kwh = _line_parameters(f, catalog, overrides)
        lines, per_line_years, energy = self._weights(overrides, box_life)
        rows = self.rows[present].astype(float)
        lines, per_line_years, energy, rows = _switch(overrides.extra, techs, lines, per_line_years, energy, rows)
        lines_t, rows_t = lines.sum(axis=2), rows.sum(axis=2)
        values = np.einsum("gt,tkp->gkp", lines_t, infra)
        values += np.einsum("gt,t,kp->gkp", per_line_years.sum(axis=2), boxes, box_embodied)
        uncovered = np.einsum("gt,tkp->gkp", rows_t, self.factors.missing)
        kwh = self.zone.expand(np.einsum("gtz,t->gz", energy, access + boxes * box_kwh), 1)
        rows_kwh = self.zone.expand(np.einsum("gtz,t->gz", rows, self.factors.has_energy), 1)
        electricity = grid(catalog, int(year), overrides)
        used_zones = [catalog.zones[z] for z in np.flatnonzero(rows_kwh.sum(axis=0))]
        catalog.require_grid(electricity.grid, used_zones)
        use = PHASES.index("use")
        values[:, :, use] += kwh @ electricity.values
        uncovered[:, :, use] += rows_kwh @ electricity.missing
        quality = replace(self.quality, counts={"lines": int(round(float(lines_t.sum())))})
        key = (rows_t.sum(axis=0).tobytes(), rows_kwh.sum(axis=0).tobytes(), electricity.missing.tobytes())
        if key not in self._coverage:
            self._coverage[key] = _line_coverage(rows_t, rows_kwh, electricity.missing, f, catalog.criteria)
        notices = [*electricity.grid.warnings(used_zones), *self._coverage[key]]
        meta = {"domain": "network_lines", "year": int(year), "model": "per_line"}
        fp = build_footprint(values, uncovered, kwh.sum(axis=1), rows_t.sum(axis=1), self.groups, catalog, meta,
                             quality, notices)
        kept = tuple(w for w in fp.quality.warnings if getattr(w, "code", None) != "missing_factor")
        return replace(fp, quality=replace(fp.quality, warnings=kept))

    def _weights(self, overrides: Overrides, box_life: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Lines, lines ÷ box lifetime [1/year] and lines × energy multiplier, per (present
        group, technology, zone) after the quantity, lifetime and energy overrides."""
        techs, n = self.factors.factors.technologies, self.row_cells.cell.size
        quantity, quantity_rows = resolve(overrides.quantity_multiplier, techs, n, "quantity_multiplier")
        energy, energy_rows = resolve(overrides.energy_multiplier, techs, n, "energy_multiplier")
        life, life_rows = resolve(overrides.lifetime_years, techs, n, "lifetime_years", default=box_life,
                                  strict=True)
        present = self.groups.present
        if quantity_rows is None and energy_rows is None and life_rows is None:
            lines = self.lines[present] * quantity[:, None]
            return lines, lines / life[:, None], lines * energy[:, None]
        tech = (self.row_cells.cell // self.zone.n) % len(techs)
        quantity = quantity[tech] if quantity_rows is None else quantity_rows
        energy = energy[tech] if energy_rows is None else energy_rows
        life = life[tech] if life_rows is None else life_rows
        shape = self.lines.shape
        return tuple(self.row_cells.sums(m).reshape(shape)[present]
                     for m in (quantity, quantity / life, quantity * energy))


def _line_parameters(f: LineFactors, catalog: FactorCatalog, overrides: Overrides):
    """Per-line factors after the factor multipliers: infrastructure ``[t, k, p]`` (NaN → 0),
    boxes ``[t]``, access electricity ``[t]`` [kWh/year], box embodied ``[k, p]`` (0 for use),
    box lifetime [year] and box electricity [kWh/year]."""
    infra, params = np.nan_to_num(f.per_line), np.stack([np.nan_to_num(f.access_energy_kwh), f.boxes], axis=1)
    box_embodied = np.nan_to_num(f.box_per_year) * f.box_lifetime_years
    box = np.array([f.box_lifetime_years, f.box_energy_kwh])
    keys = {table: factor_keys(overrides, table) for table in ("network_lines", "network_line_parameters",
                                                               "equipment_impacts", "equipment_parameters")}
    if any(keys.values()):
        criteria, phases, box_index = pd.Index(catalog.criteria), pd.Index(PHASES), pd.Index([BOX_CATEGORY])
        infra = multiply(infra, keys["network_lines"], (f.technologies, criteria, phases), "network_lines")
        params = multiply(params, keys["network_line_parameters"],
                          (f.technologies, pd.Index(["access_energy", "boxes"])), "network_line_parameters")
        box_keys = {k: m for k, m in keys["equipment_impacts"].items() if k[0] == BOX_CATEGORY}
        box_embodied = multiply(box_embodied[None], box_keys, (box_index, criteria, phases), "equipment_impacts")[0]
        box_keys = {k: m for k, m in keys["equipment_parameters"].items() if k[0] == BOX_CATEGORY}
        box = multiply(box[None], box_keys, (box_index, pd.Index(["lifetime", "annual_energy"])),
                       "equipment_parameters")[0]
    return infra, params[:, 1], params[:, 0], box_embodied, box[0], box[1]


def _switch(extra, techs: pd.Index, *arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """Move ``switch_share`` of the lines of each ``technology_switch`` source to its target in
    every ``[group, technology, zone]`` array; the last array (rows) keeps the source's rows too
    when the share is partial (a row then stands for lines of both technologies)."""
    switch = extra.get("technology_switch") or {}
    share = float(extra.get("switch_share", 1.0))
    if not switch:
        return arrays
    if not 0.0 <= share <= 1.0:
        raise InputValueError(f"switch_share must be between 0 and 1, got {share}", code="bad_share", share=share)
    table = {**{normalise_name(t): t for t in techs}, **alias_table(LINE_TECHNOLOGY_ALIASES)}
    arrays = tuple(a.copy() for a in arrays)
    for source, target in switch.items():
        s, t = techs.get_indexer([table.get(normalise_name(name), name) for name in (source, target)])
        if min(s, t) < 0:
            raise UnknownNameError("line technology", source if s < 0 else target, techs)
        if s == t:
            continue
        *weights, rows = arrays
        for array in weights:
            array[:, t] += share * array[:, s]
            array[:, s] *= 1.0 - share
        rows[:, t] += rows[:, s]
        if share == 1.0:
            rows[:, s] = 0.0
    return arrays


def _line_coverage(rows_t: np.ndarray, rows_kwh: np.ndarray, grid_missing: np.ndarray, f: LineFactors,
                   criteria: Sequence[str]) -> list[Notice]:
    """What the lines' footprint counts and lacks a factor for, per criterion and phase.

    A line is three parts: the access network (``network_lines``), the customer box (embodied,
    from the equipment catalog) and electricity (access and box, × the grid factor). Where one
    part has a factor and another has none, the notice says which is counted (a box's embodied
    water is counted while the access network has no water factor: the value is a lower bound).
    Phases in the same situation with the same number of rows share one notice.
    """
    per_tech = rows_t.sum(axis=0)
    has_box = f.boxes > 0
    box_missing, net_missing = np.isnan(f.box_per_year), np.isnan(f.per_line)
    use = PHASES.index("use")
    out = []
    for k, criterion in enumerate(criteria):
        situations: dict[tuple[str, int], list[str]] = {}
        for phase in EMBODIED_PHASES:
            j = PHASES.index(phase)
            box_counted = has_box & ~box_missing[k, j]
            counts = {"lines_box_only": per_tech[box_counted & net_missing[:, k, j]].sum(),
                      "lines_network_only": per_tech[has_box & box_missing[k, j] & ~net_missing[:, k, j]].sum(),
                      "lines_no_factor": per_tech[~box_counted & net_missing[:, k, j]].sum()}
            for code, n in counts.items():
                if n:
                    situations.setdefault((code, int(round(n))), []).append(phase)
        no_access = np.isnan(f.access_energy_kwh) & net_missing[:, k, use]
        counts = {"lines_no_factor": per_tech[no_access & ~has_box].sum(),
                  "lines_no_access_factor": per_tech[no_access & has_box].sum(),
                  "lines_no_electricity_factor": (rows_kwh @ grid_missing[:, k]).sum()}
        for code, n in counts.items():
            if n:
                situations.setdefault((code, int(round(n))), []).append("use")
        for (code, n), phases in situations.items():
            listed = ", ".join(p.replace("_", " ") for p in phases)
            out.append(Notice(code, f"{criterion} ({listed}): " + _LINE_COVERAGE[code].format(criterion=criterion,
                                                                                             rows=n),
                              criterion=criterion, phase_list=phases, rows=n))
    return out


_LINE_COVERAGE = {
    "lines_box_only": "the boxes' embodied {criterion} is counted; the lines' access network has no factor for it "
                      "({rows} row(s)): a lower bound",
    "lines_network_only": "the lines' access network is counted; the boxes have no factor for {criterion} "
                          "({rows} row(s)): a lower bound",
    "lines_no_factor": "neither the access network nor a box has a factor for {criterion} ({rows} row(s)): "
                       "not counted",
    "lines_no_access_factor": "the access network has neither an electricity figure nor a use-phase factor for "
                              "{criterion} ({rows} row(s)): only the boxes' electricity is counted, a lower bound",
    "lines_no_electricity_factor": "the electricity has no factor for {criterion} ({rows} row(s)): the lines' "
                                   "electricity is not counted for {criterion}",
}


def assess_lines(lines: pd.DataFrame, year: int, *, catalog: FactorCatalog | None = None,
                 by: Iterable[str] | str | None = None) -> Footprint:
    """Footprint of connectivity lines (subscriptions) for one year: :func:`prepare_lines`
    then :meth:`PreparedLines.evaluate`.

    Parameters
    ----------
    lines : DataFrame
        Canonical columns (:data:`LINE_COLUMNS`); other columns can be keys in ``by``.
    year : int
        Assessed year (selects the electricity factors).
    catalog : FactorCatalog, optional
    by : str or list of str, optional

    Returns
    -------
    Footprint

    Notes
    -----
    Per line and year: infrastructure[t] + boxes[t] × box embodied / box lifetime (embodied
    phases), and (access_energy[t] + boxes[t] × box energy) × grid[zone, year] (use). Boxes are
    counted in steady state (one in service per line, renewed at the end of its lifetime).

    Examples
    --------
    >>> lines = pd.DataFrame({"commune": ["A", "A"], "technology": ["ADSL", "Fibre"], "count": [3, 2]})
    >>> fp = assess_lines(lines, 2024, by="commune")
    >>> float(fp.energy_kwh[0])   # 3 × (35 + 70.08) + 2 × (10 + 70.08)
    475.4
    """
    return prepare_lines(lines, catalog, by=by).evaluate(year)


# --------------------------------------------------------------------------- both
def assess_network(year: int, *, traffic: pd.DataFrame | None = None, lines: pd.DataFrame | None = None,
                   catalog: FactorCatalog | None = None, by: Iterable[str] | str | None = None,
                   model: str = DEFAULT_MODEL) -> Footprint:
    """Footprint of the network (traffic and lines) with one of :data:`NETWORK_MODELS`.

    ``combined`` = :func:`assess_lines` + :func:`assess_traffic` (volume-dependent part);
    ``per_gb`` = traffic only, whole network per GB; ``per_line`` = lines only. An input the
    model does not use is named in the warnings.

    Examples
    --------
    >>> lines = pd.DataFrame({"technology": ["ftth"], "count": [1]})
    >>> traffic = pd.DataFrame({"network": ["fixed"], "volume_gb": [2290.0]})
    >>> fp = assess_network(2024, traffic=traffic, lines=lines)
    >>> fp.meta["model"]
    'combined'
    """
    _check_model(model)
    catalog = catalog if catalog is not None else load_catalog()
    if traffic is None and lines is None:
        raise InputValueError("assess_network needs traffic, lines or both", code="network_no_input")
    parts, unused = [], []
    if lines is not None:
        if model == "per_gb":
            unused.append("lines are not counted by the per_gb model (the per-GB factors include the "
                          "access network and the box)")
        else:
            parts.append(assess_lines(lines, year, catalog=catalog, by=by))
    if traffic is not None:
        if model == "per_line":
            unused.append("traffic is not counted by the per_line model")
        else:
            parts.append(assess_traffic(traffic, year, catalog=catalog, by=by, model=model))
    if not parts:
        raise InputValueError(f"the {model} model uses none of the inputs given: {'; '.join(unused)}",
                              code="network_model_unused", model=model, reasons=list(unused))
    result = parts[0] if len(parts) == 1 else parts[0] + parts[1]
    quality = result.quality
    quality = replace(quality, warnings=tuple(dict.fromkeys((*quality.warnings, *unused))))
    return replace(result, quality=quality, meta={**result.meta, "domain": "network", "model": model,
                                                  "year": int(year)})


# --------------------------------------------------------------------------- copper switch-off
@dataclass(frozen=True)
class SwitchOff(Comparison):
    """A copper switch-off: the :class:`~sobriete.comparison.Comparison` of the lines before
    and after (``delta = after − before``, ``savings = −delta``), and the lines switched per group."""

    switched_lines: pd.DataFrame | None = None

    def table(self, criterion: str = "gwp") -> pd.DataFrame:
        """Per group: ``switched_lines`` and :meth:`Comparison.table`'s columns (before, after, delta,
        savings [criterion unit], change_pct, energy before/after [kWh])."""
        table = super().table(criterion)
        keys = list(self.before.by_keys)
        table = table.merge(self.switched_lines, on=keys, how="left") if keys else \
            pd.concat([table, self.switched_lines], axis=1)
        table["switched_lines"] = table["switched_lines"].fillna(0.0)
        return table[[*keys, "switched_lines", *(c for c in table.columns if c not in (*keys, "switched_lines"))]]


def copper_switch_off(lines: pd.DataFrame, year: int, *, catalog: FactorCatalog | None = None,
                      by: Iterable[str] | str | None = "commune", technologies: Sequence[str] = COPPER_TECHNOLOGIES,
                      to: str = "ftth", share: float = 1.0) -> SwitchOff:
    """Turn copper lines into fibre lines (roadmap Action 6) and compare the footprints.

    Parameters
    ----------
    lines : DataFrame
        Lines as for :func:`assess_lines`.
    year : int
        Assessed year.
    by : str or list of str, optional
        Grouping keys of the comparison, default ``"commune"``.
    technologies : sequence of str, keyword-only
        Technologies switched (catalog ids), default ADSL and VDSL.
    to : str, keyword-only
        Technology they become, default ``ftth``.
    share : float, keyword-only
        Share of those lines switched, in [0, 1].

    Returns
    -------
    SwitchOff
        A :class:`~sobriete.comparison.Comparison` (``delta = after − before``: negative when the
        switch-off reduces the footprint; ``savings = before − after``). Each switched line keeps
        one box (replaced one for one and counted in steady state before and after), so the
        change is the access network's (electricity and infrastructure, per technology in the
        catalog). The lines are prepared once and evaluated twice (``technology_switch``).

    Examples
    --------
    >>> lines = pd.DataFrame({"commune": ["A"], "technology": ["adsl"], "count": [100]})
    >>> s = copper_switch_off(lines, 2024)
    >>> s.table()[["commune", "switched_lines"]].to_dict("records")
    [{'commune': 'A', 'switched_lines': 100.0}]
    >>> round(float(s.delta.energy_kwh[0]), 1)   # 100 × (10 − 35)
    -2500.0
    """
    if not 0.0 <= share <= 1.0:
        raise InputValueError(f"share must be between 0 and 1, got {share}", code="bad_share", share=share)
    catalog = catalog if catalog is not None else load_catalog()
    techs = _prepared_lines(catalog).factors.technologies
    for name in (*technologies, to):
        if name not in techs:
            raise UnknownNameError("line technology", name, techs)
    prepared = prepare_lines(lines, catalog, by=by)
    switch = Overrides(extra={"technology_switch": {t: to for t in technologies if t != to}, "switch_share": share})
    switched = prepared.lines[prepared.groups.present][:, techs.get_indexer([t for t in technologies if t != to])]
    switched_lines = prepared.groups.keys(prepared.groups.present).assign(
        switched_lines=switched.sum(axis=(1, 2)) * share)
    return SwitchOff(prepared.evaluate(year), prepared.evaluate(year, overrides=switch), switched_lines)


register(DomainSpec("traffic", prepare_traffic, "network"))
register(DomainSpec("lines", prepare_lines, "technology"))
