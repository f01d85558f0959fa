"""Uncertainty: how sure is each figure? Monte Carlo over the factor ranges and the users' own
ranges, on the domain protocol (:mod:`.monte_carlo`), from input files (:mod:`.files`), with the
users' ranges read from a file (:mod:`.ranges`)."""

from .files import monte_carlo_files, monte_carlo_inputs
from .monte_carlo import (ADDITIVE_COLUMNS, DISTRIBUTION_RULES, DISTRIBUTIONS, INTERVAL, USER_FIELDS, CombinedDraws,
                          Design, DomainDraws, Inputs, MonteCarlo, UserRange, collapse, compare, compare_scenario, draw,
                          factor_distributions, monte_carlo, monte_carlo_combined, prepare_design, sample, sensitivity)
from .ranges import read_ranges

__all__ = ["ADDITIVE_COLUMNS", "DISTRIBUTIONS", "DISTRIBUTION_RULES", "INTERVAL", "USER_FIELDS", "CombinedDraws",
           "Design", "DomainDraws", "Inputs", "MonteCarlo", "UserRange", "collapse", "compare", "compare_scenario",
           "draw", "factor_distributions", "monte_carlo", "monte_carlo_combined", "monte_carlo_files",
           "monte_carlo_inputs", "prepare_design", "read_ranges", "sample", "sensitivity"]
