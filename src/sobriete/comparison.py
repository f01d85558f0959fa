"""Comparison of two footprints with one sign convention: ``delta = after − before``,
``savings = −delta``.

Copper switch-off, lighting retrofits and projects all compare a *before* (the baseline) with an
*after* (the scenario or the variant) the same way, so a reader never has to guess the sign.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from .footprint import Footprint


@dataclass(frozen=True)
class Comparison:
    """A baseline and a scenario, and what changes between them.

    Parameters
    ----------
    before : Footprint
        The baseline.
    after : Footprint
        The scenario (same criteria and catalog; grouping keys may differ: groups are aligned,
        a group missing on one side counts as zero there).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> def fp(v):
    ...     return Footprint(np.array([[[v, 0.0, 0.0, 0.0]]]), pd.DataFrame(index=[0]), ("gwp",), ("kgCO2e",),
    ...                      np.zeros(1), np.zeros((1, 1, 4)), "v", "h")
    >>> c = Comparison(fp(10.0), fp(4.0))
    >>> float(c.delta.total().loc["gwp", "total"]), float(c.savings.total().loc["gwp", "total"])
    (-6.0, 6.0)
    """

    before: Footprint
    after: Footprint

    @cached_property
    def delta(self) -> Footprint:
        """``after − before`` (negative: a reduction)."""
        return self.after - self.before

    @cached_property
    def savings(self) -> Footprint:
        """``before − after`` (positive: a reduction)."""
        return -self.delta

    def table(self, criterion: str = "gwp") -> pd.DataFrame:
        """One row per group and phase column for ``criterion``: ``before``, ``after``, ``delta``,
        ``savings`` and ``change_pct`` (delta ÷ before × 100; NaN where before is 0)."""
        names = list(dict.fromkeys(self.before.by_keys + self.after.by_keys))
        before, after = self.before.table(criterion), self.after.table(criterion)
        merged = pd.merge(before, after, on=names, how="outer", suffixes=("_before", "_after")) if names else \
            before.add_suffix("_before").join(after.add_suffix("_after"))
        value_columns = [c for c in merged.columns if c.endswith(("_before", "_after"))]
        merged[value_columns] = merged[value_columns].fillna(0.0)
        out = merged[names].copy() if names else pd.DataFrame(index=merged.index)
        out["before"] = merged["total_before"]
        out["after"] = merged["total_after"]
        out["delta"] = out["after"] - out["before"]
        out["savings"] = -out["delta"]
        with np.errstate(divide="ignore", invalid="ignore"):
            out["change_pct"] = np.where(out["before"] != 0, out["delta"] / out["before"] * 100.0, np.nan)
        return out

    def to_frame(self) -> pd.DataFrame:
        """Tidy long frame: ``keys..., criterion, phase, before, after, delta, unit``."""
        names = list(dict.fromkeys(self.before.by_keys + self.after.by_keys))
        on = names + ["criterion", "phase", "unit"]
        before = self.before.to_frame().drop(columns="uncovered_rows").rename(columns={"value": "before"})
        after = self.after.to_frame().drop(columns="uncovered_rows").rename(columns={"value": "after"})
        out = pd.merge(before, after, on=on, how="outer")
        out[["before", "after"]] = out[["before", "after"]].fillna(0.0)
        out["delta"] = out["after"] - out["before"]
        return out[on[:-1] + ["before", "after", "delta", "unit"]]
