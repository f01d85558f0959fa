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

from .errors import UnknownNameError
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

    def table(self, criterion: str = "gwp", phase: str = "total") -> pd.DataFrame:
        """One row per group for ``criterion`` (and ``phase``, default the total over phases).

        Returns
        -------
        DataFrame
            The group keys, then ``before``, ``after``, ``delta`` (after − before), ``savings``
            (before − after) [criterion unit], ``change_pct`` (delta ÷ before × 100; NaN where
            before is 0) and ``energy_kwh_before``, ``energy_kwh_after`` [kWh]. A group missing on
            one side counts as zero there.
        """
        names = list(dict.fromkeys(self.before.by_keys + self.after.by_keys))
        before, after = self.before.table(criterion), self.after.table(criterion)
        if phase not in before.columns or phase in names:
            raise UnknownNameError("phase", phase, [*self.before.phases, "total"])
        merged = pd.merge(before, after, on=names, how="outer", suffixes=("_before", "_after")) if names else \
            before.add_suffix("_before").join(after.add_suffix("_after"))
        value_columns = [c for c in merged.columns if c.endswith(("_before", "_after"))]
        merged[value_columns] = merged[value_columns].fillna(0.0)
        out = merged[names].copy() if names else pd.DataFrame(index=merged.index)
        out["before"] = merged[f"{phase}_before"]
        out["after"] = merged[f"{phase}_after"]
        _add_changes(out)
        out["energy_kwh_before"] = merged["energy_kwh_before"]
        out["energy_kwh_after"] = merged["energy_kwh_after"]
        return out.reset_index(drop=True)

    def total(self) -> pd.DataFrame:
        """One line per criterion and phase (``total`` included) over all groups: ``before``,
        ``after``, ``delta``, ``savings``, ``change_pct`` and ``unit``.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> one = Footprint(np.array([[[8.0, 0.0, 2.0, 0.0]]]), pd.DataFrame(index=[0]), ("gwp",), ("kgCO2e",),
        ...                 np.zeros(1), np.zeros((1, 1, 4)), "v", "h")
        >>> two = Footprint(np.array([[[8.0, 0.0, 1.0, 0.0]]]), pd.DataFrame(index=[0]), ("gwp",), ("kgCO2e",),
        ...                 np.zeros(1), np.zeros((1, 1, 4)), "v", "h")
        >>> Comparison(one, two).total().loc[("gwp", "use"), ["before", "after", "savings", "change_pct"]].tolist()
        [2.0, 1.0, 1.0, -50.0]
        """
        columns = [*self.before.phases, "total"]
        before = self.before.total()[columns].stack().rename("before")
        after = self.after.total()[columns].stack().rename("after")
        out = pd.concat([before, after], axis=1).astype(float)
        out.index.names = ["criterion", "phase"]
        _add_changes(out)
        out["unit"] = out.index.get_level_values("criterion").map(dict(zip(self.before.criteria, self.before.units)))
        return out

    def to_frame(self) -> pd.DataFrame:
        """Tidy long frame: ``keys..., criterion, phase, before, after, delta, savings, change_pct, unit``."""
        names = list(dict.fromkeys(self.before.by_keys + self.after.by_keys))
        on = names + ["criterion", "phase", "unit"]
        before = self.before.to_frame().drop(columns="uncovered_rows").rename(columns={"value": "before"})
        after = self.after.to_frame().drop(columns="uncovered_rows").rename(columns={"value": "after"})
        out = pd.merge(before, after, on=on, how="outer")
        out[["before", "after"]] = out[["before", "after"]].fillna(0.0)
        _add_changes(out)
        return out[on[:-1] + ["before", "after", "delta", "savings", "change_pct", "unit"]]


#: Relative difference under which before and after are the same number summed in another order
#: (float64 rounding, about 1e-16 per operation): the delta shown is 0, not 1e-14 %.
SAME_VALUE_RTOL = 1e-12


def _add_changes(frame: pd.DataFrame) -> None:
    """Add ``delta`` (after − before; 0 where both agree within :data:`SAME_VALUE_RTOL`),
    ``savings`` (−delta) and ``change_pct`` (delta ÷ before × 100, NaN where before is 0) to a
    frame with ``before`` and ``after``.

    Examples
    --------
    >>> f = pd.DataFrame({"before": [65.852, 10.0, 0.0], "after": [65.852 + 1.4e-14, 9.0, 0.0]})
    >>> _add_changes(f)
    >>> f["delta"].tolist(), f["change_pct"].round(6).tolist()
    ([0.0, -1.0, 0.0], [0.0, -10.0, nan])
    """
    before, after = frame["before"].to_numpy(dtype=float), frame["after"].to_numpy(dtype=float)
    same = np.abs(after - before) <= SAME_VALUE_RTOL * np.maximum(np.abs(before), np.abs(after))
    frame["delta"] = np.where(same, 0.0, after - before)
    frame["savings"] = -frame["delta"]
    before = frame["before"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["change_pct"] = np.where(before != 0, frame["delta"].to_numpy(dtype=float) / before * 100.0, np.nan)
