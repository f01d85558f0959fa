"""The result of a project's assessment: each variant's comparisons with the baseline, as tidy frames."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..comparison import Comparison
from ..factors import EMBODIED_PHASES, FactorCatalog
from ..footprint import DataQuality, Footprint
from .model import Project, Source


@dataclass
class VariantResult:
    """One variant: its yearly footprints per domain and its deltas against the baseline."""

    name: str
    comparisons: dict[int, dict[str, Comparison]]
    delta_items: pd.DataFrame
    investments: pd.DataFrame
    flux_use_embodied: pd.DataFrame


@dataclass
class ProjectResult:
    """Everything :func:`sobriete.project.assess_project` computes, as tidy frames (see the properties)."""

    project: Project
    source: Source
    catalog: FactorCatalog
    allocation: str
    baseline: dict[int, dict[str, Footprint]]
    variants: list[VariantResult]
    quality: DataQuality
    sensitivity: pd.DataFrame | None = None
    checklist: Any = None
    roadmap_fit: pd.DataFrame | None = None  # :func:`.roadmap_fit.assess_roadmap_fit`
    context: Any = field(default=None, repr=False)  # the Context the variants were built from

    @property
    def years(self) -> list[int]:
        return self.project.years

    def deltas(self) -> pd.DataFrame:
        """One row per variant, year, domain, criterion and phase: ``before, after, delta, unit``
        and ``cumulated`` (delta summed from the first year), with the Comparison convention."""
        frames = []
        for v in self.variants:
            for year, domains in v.comparisons.items():
                for domain, comparison in domains.items():
                    frame = comparison.to_frame()
                    frames.append(frame.assign(variant=v.name, year=year, domain=domain))
        out = pd.concat(frames, ignore_index=True)
        out = out[["variant", "year", "domain", "criterion", "phase", "before", "after", "delta", "unit"]]
        out = out.sort_values(["variant", "domain", "criterion", "phase", "year"], kind="stable")
        out["cumulated"] = out.groupby(["variant", "domain", "criterion", "phase"], sort=False)["delta"].cumsum()
        return out.reset_index(drop=True)

    def summary(self, criterion: str = "gwp") -> pd.DataFrame:
        """One row per variant: net delta over the horizon, its embodied and use parts, per user,
        carbon payback year, investment, energy and money deltas, money payback year."""
        rows = []
        deltas = self.deltas()
        users = self.project.users
        price = self.project.electricity_price_eur_per_kwh
        for v in self.variants:
            d = deltas[(deltas["variant"] == v.name) & (deltas["criterion"] == criterion)]
            net = float(d["delta"].sum())
            embodied = float(d.loc[d["phase"].isin(EMBODIED_PHASES), "delta"].sum())
            energy = self.energy_deltas(v)
            invest = v.investments.groupby("year")["investment_eur"].sum().reindex(self.years, fill_value=0.0)
            money = invest + (energy * price if price is not None else 0.0)
            flux = v.flux_use_embodied
            rows.append({"variant": v.name, "criterion": criterion, "unit": self.catalog.criterion_units[criterion],
                         "net_delta": net, "embodied_delta": embodied, "use_delta": net - embodied,
                         "net_delta_per_user": net / users if users else np.nan,
                         "carbon_payback_year": payback_year(flux["total"].to_numpy(), self.years),
                         "energy_delta_kwh": float(energy.sum()),
                         "investment_eur": float(invest.sum()),
                         "money_delta_eur": float(money.sum()) if price is not None else np.nan,
                         "money_payback_year": payback_year(money.to_numpy(), self.years)
                         if price is not None else None})
        return pd.DataFrame(rows)

    def energy_deltas(self, v: VariantResult) -> pd.Series:
        """Electricity delta per year [kWh] (all domains)."""
        return pd.Series({y: sum(float(c.delta.energy_kwh.sum()) for c in v.comparisons[y].values())
                          for y in self.years})


def payback_year(yearly: np.ndarray, years: Sequence[int]) -> int | None:
    """First year from which the cumulated ``yearly`` deltas stay ≤ 0 (a net saving), or None
    if they are still > 0 at the end of the horizon.

    Examples
    --------
    >>> payback_year([100.0, -40.0, -40.0, -40.0], [2026, 2027, 2028, 2029])
    2029
    >>> payback_year([-5.0, -5.0], [2026, 2027]), payback_year([5.0, -1.0], [2026, 2027])
    (2026, None)
    """
    cumulated = np.cumsum(np.asarray(yearly, dtype=float))
    above = np.flatnonzero(cumulated > 1e-9 * max(1.0, float(np.abs(cumulated).max(initial=0.0))))
    if len(above) == 0:
        return int(years[0])
    if above[-1] == len(cumulated) - 1:
        return None
    return int(years[above[-1] + 1])
