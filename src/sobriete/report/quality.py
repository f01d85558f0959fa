"""Data quality as a reader needs it: rows assessed with an assumption, factor coverage in one
table, and the short list of distinct warnings."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..assessment import Assessment
from ..footprint import DataQuality
from .formatting import format_share, text_table
from .messages import criterion_short_label, domain_label, message, phase_label

#: Row counts of :attr:`DataQuality.counts` the terminal report names (each has a ``count_<name>``
#: message), in this order; JSON carries every count.
NAMED_COUNTS = ("undated_rows", "not_in_service_rows", "fully_amortised_rows", "refurbished_rows",
                "profile_energy_rows", "default_pue_rows", "spend_rows", "contracted_power_energy_rows")
#: Notice code of a missing factor: summarised by the coverage table instead of one line each.
MISSING_FACTOR_CODE = "missing_factor"
#: Columns of :func:`coverage_frame`.
COVERAGE_COLUMNS = ["domain", "criterion", "phase", "rows", "uncovered_rows", "covered_share"]


def quality_counts(quality: DataQuality) -> dict[str, int]:
    """Every row count of the accounting (``undated_rows``...), the named ones first.

    Examples
    --------
    >>> quality_counts(DataQuality(3, 3, 0, counts={"spend_rows": 1, "undated_rows": 2}))
    {'undated_rows': 2, 'spend_rows': 1}
    """
    counts = {k: int(v) for k, v in quality.counts.items()}
    return {**{k: counts[k] for k in NAMED_COUNTS if k in counts}, **counts}


def coverage_frame(assessment: Assessment) -> pd.DataFrame:
    """Share of each domain's assessed rows that had a factor, per criterion and phase.

    Returns
    -------
    DataFrame
        ``domain, criterion, phase, rows, uncovered_rows, covered_share`` with
        ``covered_share = 1 - uncovered_rows / rows`` [-] (NaN for a domain without rows).
        Where it is below 1 the value is a lower bound (:attr:`Footprint.uncovered`).
    """
    parts = []
    for domain, fp in assessment.footprints.items():
        quality = assessment.domain_quality.get(domain)
        rows = quality.rows_assessed if quality is not None else np.nan
        uncovered = fp.uncovered.sum(axis=0)  # criterion × phase
        with np.errstate(divide="ignore", invalid="ignore"):
            share = 1.0 - uncovered / rows if rows else np.full(uncovered.shape, np.nan)
        parts.append(pd.DataFrame({
            "domain": domain, "criterion": np.repeat(np.asarray(fp.criteria, dtype=object), len(fp.phases)),
            "phase": np.tile(np.asarray(fp.phases, dtype=object), len(fp.criteria)), "rows": rows,
            "uncovered_rows": uncovered.reshape(-1).astype(np.int64), "covered_share": share.reshape(-1)}))
    if not parts:
        return pd.DataFrame(columns=COVERAGE_COLUMNS)
    return pd.concat(parts, ignore_index=True)[COVERAGE_COLUMNS]


def coverage_table(assessment: Assessment, lang: str = "fr") -> str:
    """One line per domain and criterion with a gap: the covered share of each phase ("" when
    every factor was found)."""
    frame = coverage_frame(assessment)
    gaps = frame[frame["uncovered_rows"] > 0]
    if gaps.empty:
        return ""
    phases = list(dict.fromkeys(frame["phase"]))
    rows = []
    for (domain, criterion), part in frame.groupby(["domain", "criterion"], sort=False):
        if not (part["uncovered_rows"] > 0).any():
            continue
        shares = part.set_index("phase")["covered_share"]
        rows.append([domain_label(domain, lang), criterion_short_label(criterion, lang),
                     *[format_share(shares[p], lang) if shares[p] == shares[p] else "–" for p in phases]])
    headers = [message("domain", lang), message("criterion", lang), *[phase_label(p, lang) for p in phases]]
    return text_table(headers, rows, numeric=[False, False] + [True] * len(phases))


def shown_warnings(warnings: Iterable[str], *hidden_codes: str) -> list[str]:
    """The distinct warnings a reader should read: missing factors (summarised by the coverage
    table) and the ``hidden_codes`` (shown elsewhere) left out.

    Examples
    --------
    >>> from sobriete.notices import Notice
    >>> shown_warnings(["a", Notice("missing_factor", "b"), Notice("caveat", "c"), "a"], "caveat")
    ['a']
    """
    hidden = {MISSING_FACTOR_CODE, *hidden_codes}
    return list(dict.fromkeys(w for w in warnings if getattr(w, "code", None) not in hidden))
