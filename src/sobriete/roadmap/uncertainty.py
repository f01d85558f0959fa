"""How sure are the roadmap's footprint figures: Monte Carlo over the inventories the roadmap names.

A roadmap's footprint indicators come from the assessments saved in the history, which keep
results, not input rows; the only inventories a roadmap names are its ``lighting_inventories``
and ``hosting_inventories`` (by year). Their footprint is drawn with
:func:`sobriete.uncertainty.monte_carlo_files` (catalog factor ranges, fully correlated within a
factor); the domains the roadmap names no inventory for are not covered, and the report says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Roadmap

#: Roadmap fields naming inventories by year, and the domain each one feeds.
INVENTORY_FIELDS = {"lighting_inventories": "lighting", "hosting_inventories": "hosting"}


@dataclass(frozen=True)
class RoadmapUncertainty:
    """The Monte Carlo of the roadmap's inventories in ``year``, or why there is none.

    Attributes
    ----------
    year : int
    draws, seed : int
    inputs : dict of str to str
        Domain → the inventory file drawn.
    result : MonteCarlo or None
        None when the roadmap names no inventory for ``year``.
    """

    year: int
    draws: int
    seed: int
    inputs: dict
    result: object = None

    @property
    def available(self) -> bool:
        return self.result is not None


def inventory_uncertainty(roadmap: Roadmap, year: int, *, draws: int = 1000, seed: int = 0,
                          catalog=None, user_ranges=()) -> RoadmapUncertainty:
    """Monte Carlo of the footprint of the inventories the roadmap names for ``year``.

    Parameters
    ----------
    roadmap : Roadmap
    year : int
        Assessed calendar year (the status year).
    draws, seed : int, keyword-only
        Number of draws and seed (same seed, same result).
    catalog : FactorCatalog, optional
    user_ranges : iterable of UserRange, keyword-only
        The user's own ranges (:func:`sobriete.uncertainty.read_ranges`), drawn too.

    Returns
    -------
    RoadmapUncertainty
        ``result.summary()`` rows with ``domain == "all"`` give the interval of the total of the
        inventories drawn; ``available`` is False when the roadmap names none for ``year``.
    """
    from ..uncertainty import monte_carlo_files

    inputs = {domain: str(roadmap.resolve(getattr(roadmap.spec, name)[year]))
              for name, domain in INVENTORY_FIELDS.items() if year in getattr(roadmap.spec, name)}
    if not inputs:
        return RoadmapUncertainty(int(year), int(draws), int(seed), {})
    result = monte_carlo_files({domain: [path] for domain, path in inputs.items()}, year=int(year), draws=draws,
                               seed=seed, catalog=catalog, user_ranges=user_ranges)
    return RoadmapUncertainty(int(year), int(draws), int(seed), inputs, result)
