"""Monte Carlo of the inputs a yearly assessment reads: the same domains, grouping and options as
:func:`sobriete.assessment.assess`, through the domain protocol."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from ..assessment import AUTO, DOMAINS, DomainInputs, Options, folder_schedules, read_all_inputs, read_domain_inputs
from ..errors import InputFormatError
from ..factors import FactorCatalog, load_catalog
from .monte_carlo import MonteCarlo, UserRange, monte_carlo, prepare_design


def monte_carlo_inputs(inputs: Mapping[str, DomainInputs], *, year: int, by: Iterable[str] | str | None = None,
                       allocation: str = "amortised", catalog: FactorCatalog | None = None,
                       options: Options | None = None, draws: int = 1000, seed: int = 0,
                       user_ranges: Iterable[UserRange] = ()) -> MonteCarlo:
    """Monte Carlo of domain inputs already read (as :func:`sobriete.assessment.assess_inputs`).

    Parameters
    ----------
    inputs : dict of str to DomainInputs
    year : int
        Assessed calendar year.
    by : str or list of str, optional
        Grouping keys; a domain without a key's column is ungrouped for it, as in the assessment.
    allocation : {'amortised', 'at_purchase'}
    catalog : FactorCatalog, optional
    options : Options, optional
        Network model (domains it leaves out are left out here too) and lighting schedules.
    draws, seed, user_ranges
        See :func:`sobriete.uncertainty.monte_carlo`.

    Returns
    -------
    MonteCarlo
        Its deterministic footprints equal the assessment's.
    """
    catalog = catalog if catalog is not None else load_catalog()
    options = options or Options()
    by = (by,) if isinstance(by, str) else tuple(by or ())
    designs = {}
    for name, data in inputs.items():
        if DOMAINS[name].skip(options):
            continue
        extra = {"schedules": options.schedules} if name == "lighting" and options.schedules else {}
        designs[name] = prepare_design(data.frame, name, catalog, year=year,
                                       by=[k for k in by if k in data.frame.columns], **extra)
    if not designs:
        raise InputFormatError("nothing to assess: no input was given", code="nothing_given")
    # the domains' evaluate options (the traffic's network model) as the assessment passes them
    return monte_carlo(designs, year, draws=draws, seed=seed, catalog=catalog, user_ranges=user_ranges,
                       options={name: {"allocation": allocation, **DOMAINS[name].evaluate_options(options)}
                                for name in designs})


def monte_carlo_files(inputs: Sequence[str | Path] | Mapping[str, Sequence[str | Path]], *, year: int,
                      profile: str | Path | None = None, by: Iterable[str] | str | None = None,
                      allocation: str = "amortised", catalog: FactorCatalog | None = None,
                      options: Options | None = None, draws: int = 1000, seed: int = 0,
                      user_ranges: Iterable[UserRange] = ()) -> MonteCarlo:
    """Read input files as :func:`sobriete.assessment.assess` does and run the Monte Carlo.

    Examples
    --------
    >>> mc = monte_carlo_files(["examples/2025/"], year=2025, draws=100, seed=1)
    >>> sorted(mc.domains)
    ['equipment', 'hosting', 'lighting', 'lines', 'traffic']
    """
    if not isinstance(inputs, Mapping):
        inputs = {AUTO: list(inputs)}
    catalog = catalog if catalog is not None else load_catalog()
    read = read_all_inputs(inputs[AUTO], profile=profile, catalog=catalog) if inputs.get(AUTO) else {}
    for domain, paths in inputs.items():
        if domain != AUTO and paths:
            read[domain] = read_domain_inputs(paths, domain=domain, profile=profile, catalog=catalog)
    options = options or Options()
    if options.schedules is None and "lighting" in read:
        auto = [Path(p) for p in inputs.get(AUTO, ())]
        schedules = folder_schedules([*(p for p in auto if p.is_dir()), *(p.parent for p in auto if p.is_file()),
                                      *(Path(p).parent for p in inputs.get("lighting", ()))])
        options = Options(options.network_model, schedules)
    return monte_carlo_inputs(read, year=year, by=by, allocation=allocation, catalog=catalog, options=options,
                              draws=draws, seed=seed, user_ranges=user_ranges)
