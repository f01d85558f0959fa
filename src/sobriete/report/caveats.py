"""Figures their own source disowns: kept out of the totals by default and shown apart.

A factor source sometimes warns that one of its criterion × phase values is not reliable (ADEME
says so of its end-of-life water data: ``factors/caveats.csv``). An assessment carries such a
warning as a ``caveat`` notice (:meth:`sobriete.factors.FactorCatalog.caveats`). A figure its
source disowns must not headline a report: :func:`headline` removes those criterion × phase
cells from every domain's footprint (so every total, per domain, group and item, leaves them
out) and returns them apart, per domain, with the caveat. ``include_caveated=True`` keeps them
in the totals (still listed, so the reader knows which part is unreliable).

Every report format (table, JSON, CSV, XLSX) goes through :func:`headline`, so the API's
:func:`~sobriete.report.to_dict` and the command line say the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..assessment import Assessment
from ..footprint import Footprint

#: Notice code of a source's own caveat on a criterion × phase (:mod:`sobriete.notices`).
CAVEAT_CODE = "caveat"
#: Columns of :attr:`Headline.set_apart`.
SET_APART_COLUMNS = ["domain", "criterion", "phase", "value", "unit", "share_of_criterion", "caveat"]


@dataclass(frozen=True)
class Headline:
    """An assessment as reported: the caveated phases out of the totals (unless included).

    Attributes
    ----------
    assessment : Assessment
        The assessment whose footprints (per domain and per item) have the caveated
        criterion × phase cells set to 0 — or the assessment unchanged when ``included``.
    set_apart : DataFrame
        One line per domain and caveated criterion × phase with a non-zero value:
        ``domain, criterion, phase, value, unit, share_of_criterion, caveat`` (``value`` in
        the criterion's unit; ``share_of_criterion`` [-] of the criterion's total with the
        phase counted; ``caveat`` the source's notice as text, see ``notices``).
    included : bool
        Whether the caveated phases are counted in the totals.
    """

    assessment: Assessment
    set_apart: pd.DataFrame
    included: bool
    #: ``{(criterion, phase): notice}``: the caveat notices (with their code and params).
    notices: Mapping[tuple[str, str], str] = field(default_factory=dict)


def caveated_cells(assessment: Assessment) -> list[tuple[str, str, str]]:
    """``(criterion, phase, notice)`` of every caveat notice of the assessment's warnings."""
    return [(w.params["criterion"], w.params["phase"], w) for w in assessment.quality.warnings
            if getattr(w, "code", None) == CAVEAT_CODE and {"criterion", "phase"} <= set(w.params)]


def headline(assessment: Assessment, *, include_caveated: bool = False) -> Headline:
    """Split the phases their source disowns from an assessment's totals.

    Parameters
    ----------
    assessment : Assessment
        A fresh or saved assessment.
    include_caveated : bool, keyword-only
        Count the caveated phases in the totals anyway (they are still listed apart).

    Returns
    -------
    Headline
        The assessment as reported and the values set apart.

    Examples
    --------
    >>> import sobriete as sb
    >>> result = sb.assess(["examples/2025/"], year=2025)
    >>> head = headline(result)
    >>> sorted(set(zip(head.set_apart["criterion"], head.set_apart["phase"])))
    [('water', 'end_of_life')]
    >>> water = list(result.footprint.criteria).index("water")
    >>> kept = head.assessment.footprint.values[:, water].sum()
    >>> bool(abs(kept + head.set_apart["value"].sum() - result.footprint.values[:, water].sum()) < 1e-6)
    True
    """
    cells = caveated_cells(assessment)
    whole = assessment.footprint.total()
    rows = []
    for criterion, phase, notice in cells:
        for domain, fp in assessment.footprints.items():
            if criterion not in fp.criteria or phase not in fp.phases:
                continue
            value = float(fp.values[:, fp.criteria.index(criterion), fp.phases.index(phase)].sum())
            if value:
                total = float(whole.loc[criterion, "total"])
                rows.append([domain, criterion, phase, value, fp.units[fp.criteria.index(criterion)],
                             value / total if total else np.nan, notice])
    set_apart = pd.DataFrame(rows, columns=SET_APART_COLUMNS)
    notices = {(c, p): n for c, p, n in cells}
    if include_caveated or not cells:
        return Headline(assessment, set_apart, True, notices)
    kept = replace(assessment, footprints=_without(assessment.footprints, list(notices)),
                   items=_without(assessment.items, list(notices)))
    return Headline(kept, set_apart, False, notices)


def _without(footprints: Mapping[str, Footprint], pairs: list[tuple[str, str]]) -> dict[str, Footprint]:
    out = {}
    for name, fp in footprints.items():
        values = fp.values.copy()
        for criterion, phase in pairs:
            if criterion in fp.criteria and phase in fp.phases:
                values[:, fp.criteria.index(criterion), fp.phases.index(phase)] = 0.0
        out[name] = replace(fp, values=values)
    return out
