"""Input profiles: how a source's columns and values map to the canonical inventory.

A profile is data (a YAML file), not code. It says which source headers feed each canonical
column (several names per column, matched without regard to case, accents, spacing or the
kind of apostrophe), the unit of a numeric source column (converted with pint), value maps
(``"Ordinateur portable" → laptop``), category refinements by size, rows to exclude (scrapped
or stolen devices), defaults and which extra columns are kept as grouping keys.

Profiles ship with the package (:data:`PROFILES`), one or more per input domain
(:data:`sobriete.io.domains.DOMAINS`): ``glpi`` for French GLPI exports and ``canonical`` for
inventories that already use the canonical column names (equipment); ``operateur`` for an
operator's invoice export of lines by technology; ``trafic``, ``hebergement`` and ``eclairage``
for French traffic, hosting and luminaire tables. Each French profile also accepts the
canonical column names of its domain. Users write their own and pass the file's path; when no
profile is given, :func:`sobriete.io.detect_profile` picks the one whose headers match best.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import InputFormatError, SobrieteError, UnitError, UnknownNameError, validation_params
from ..parsing import load_yaml
from ..schema import CONDITIONS, STATUSES, normalise_name
from ..units import conversion_factor
from .domains import DOMAIN_COLUMNS, DOMAINS

#: Profiles shipped with the package (``src/sobriete/profiles/<name>.yaml``), per domain:
#: ``canonical`` and ``glpi`` (equipment), ``operateur`` (lines), ``trafic`` (traffic),
#: ``hebergement`` (hosting), ``eclairage`` (lighting).
PROFILES = ("canonical", "glpi", "operateur", "trafic", "hebergement", "eclairage")

#: Units, numeric, date and checked columns of the equipment domain (see :data:`DOMAINS` for all).
CANONICAL_UNITS = dict(DOMAINS["equipment"].units)
NUMERIC_COLUMNS = DOMAINS["equipment"].numeric
DATE_COLUMNS = DOMAINS["equipment"].dates
CHECKED_COLUMNS = DOMAINS["equipment"].checked


#: The one name normaliser (:func:`sobriete.schema.normalise_name`), under its former name.
normalise = normalise_name


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceColumn(_Strict):
    """One source header feeding a canonical column, with its unit if numeric."""

    name: str = Field(min_length=1)
    unit: str | None = None


class SizeBin(_Strict):
    """One size class: values ``< below`` or ``<= up_to`` (or anything, for the last bin)."""

    category: str = Field(min_length=1)
    below: float | None = None
    up_to: float | None = None

    @model_validator(mode="after")
    def _one_bound_at_most(self):
        if self.below is not None and self.up_to is not None:
            raise ValueError("a size bin takes 'below' or 'up_to', not both")
        return self

    @property
    def bound(self) -> float | None:
        return self.below if self.below is not None else self.up_to


class Refinement(_Strict):
    """Split a mapped category by a numeric column (monitor → monitor_small/monitor/monitor_large)."""

    column: str = Field(min_length=1)
    when: list[str] = Field(min_length=1)
    bins: list[SizeBin] = Field(min_length=2)

    @model_validator(mode="after")
    def _ordered_bins(self):
        bounds = [b.bound for b in self.bins]
        if bounds[-1] is not None or any(b is None for b in bounds[:-1]):
            raise ValueError("every size bin but the last needs 'below' or 'up_to'; the last has none")
        if any(a > b for a, b in zip(bounds[:-2], bounds[1:-1])):
            raise ValueError(f"size bins must be in increasing order, got {bounds[:-1]}")
        return self


class Profile(_Strict):
    """A validated input profile (see the module docstring and ``profiles/glpi.yaml``).

    ``copy_columns: {entity: commune}`` makes ``entity`` a copy of ``commune`` where the file
    has no entity column of its own: the way a domain's natural key (the commune of a line)
    joins the common grouping keys (``--by entity``).
    """

    name: str = Field(min_length=1)
    description: str = ""
    domain: str = "equipment"
    columns: dict[str, list[SourceColumn]] = Field(default_factory=dict)
    values: dict[str, dict[str, str]] = Field(default_factory=dict)
    refine: list[Refinement] = Field(default_factory=list)
    exclude: dict[str, list[str]] = Field(default_factory=dict)
    defaults: dict[str, str | float | int] = Field(default_factory=dict)
    copy_columns: dict[str, str] = Field(default_factory=dict)
    keep_unmapped: bool = False

    @field_validator("columns", mode="before")
    @classmethod
    def _names_as_objects(cls, value):
        if not isinstance(value, dict):
            return value
        out = {}
        for column, sources in value.items():
            sources = [sources] if isinstance(sources, (str, dict)) else sources
            out[column] = [{"name": s} if isinstance(s, str) else s for s in (sources or [])]
        return out

    @field_validator("domain")
    @classmethod
    def _known_domain(cls, value):
        if value not in DOMAIN_COLUMNS:
            raise ValueError(f"unknown domain {value!r}; valid choices: {', '.join(DOMAIN_COLUMNS)}")
        return value

    @model_validator(mode="after")
    def _units_parse_and_fit(self):
        for column, sources in self.columns.items():
            for source in sources:
                if source.unit is None:
                    continue
                units = DOMAINS[self.domain].units
                if column not in units:
                    raise ValueError(f"column {column!r} takes no unit (only {', '.join(units)} do)")
                try:
                    conversion_factor(source.unit, units[column])
                except UnitError as exc:
                    raise ValueError(f"source column {source.name!r}: {exc}") from None
        return self

    @model_validator(mode="after")
    def _conditions_and_statuses_are_known(self):
        for column, allowed in (("condition", CONDITIONS), ("status", STATUSES)):
            bad = set(self.values.get(column, {}).values()) - set(allowed)
            if bad:
                raise ValueError(f"{column} values must map to {', '.join(allowed)}, got {sorted(bad)}")
        return self

    # ------------------------------------------------------------------ derived lookups
    def header_lookup(self) -> dict[str, tuple[str, int, str | None]]:
        """``normalised source header → (canonical column, priority, unit)``.

        Canonical column names always match themselves, after the profile's own names.
        """
        lookup: dict[str, tuple[str, int, str | None]] = {}
        for column, sources in self.columns.items():
            for priority, source in enumerate(sources):
                lookup.setdefault(normalise_name(source.name), (column, priority, source.unit))
        for column in [*DOMAIN_COLUMNS[self.domain], *self.columns]:
            lookup.setdefault(normalise_name(column), (column, 10_000, None))
        return lookup

    def value_lookup(self, column: str) -> dict[str, str]:
        """``normalised source value → canonical value`` for one column."""
        return {normalise_name(k): v for k, v in self.values.get(column, {}).items()}


def _bundled(name: str) -> Path:
    return Path(str(resources.files("sobriete") / "profiles" / f"{name}.yaml"))


def load_profile(profile: str | Path | Profile | None = None) -> Profile:
    """Load and validate a profile by bundled name or by path.

    Parameters
    ----------
    profile : str, path, Profile or None
        A name in :data:`PROFILES`, the path of a YAML file, or an already loaded profile.
        ``None`` means ``canonical``.

    Returns
    -------
    Profile

    Raises
    ------
    UnknownNameError
        An unknown profile name (the message lists the bundled ones).
    InputFormatError
        A file that is not valid YAML or breaks the profile schema.

    Examples
    --------
    >>> load_profile("glpi").columns["category"][0].name
    'Type'
    >>> load_profile("nope")
    Traceback (most recent call last):
    ...
    sobriete.errors.UnknownNameError: unknown profile 'nope'; valid choices: canonical, eclairage, glpi, ...
    """
    if isinstance(profile, Profile):
        return profile
    if profile is None:
        profile = "canonical"
    if isinstance(profile, str) and profile in PROFILES:
        return _load_bundled(profile)
    path = Path(profile)
    if not path.is_file():
        raise UnknownNameError("profile", str(profile), PROFILES,
                               hint="give a bundled profile name or the path of a YAML profile file")
    return _load_file(path)


@cache
def _load_bundled(name: str) -> Profile:
    return _load_file(_bundled(name))


def _load_file(path: Path) -> Profile:
    data = load_yaml(path, what="profile", what_fr="le profil")
    if not isinstance(data, dict):
        raise InputFormatError("profile must be a YAML mapping (name:, columns:, values: ...)", file=str(path),
                               code="profile_not_mapping")
    data.setdefault("name", path.stem)
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputFormatError(f"invalid profile at '{where}': {first['msg']}", file=str(path),
                               code="invalid_profile", where=where, **validation_params(first)) from None


def check_profile_targets(profile: Profile, categories) -> list[str]:
    """Category values a profile maps to that ``categories`` (catalog ids) lacks.

    Examples
    --------
    >>> check_profile_targets(load_profile("glpi"), ["laptop"])[:2]
    ['all_in_one', 'desktop']
    """
    targets = set(profile.values.get("category", {}).values())
    targets |= {b.category for r in profile.refine for b in r.bins}
    return sorted(targets - set(map(str, categories)))


__all__ = ["CANONICAL_UNITS", "DOMAIN_COLUMNS", "PROFILES", "Profile", "SobrieteError", "check_profile_targets",
           "CHECKED_COLUMNS", "DATE_COLUMNS", "DOMAINS", "NUMERIC_COLUMNS", "load_profile", "normalise"]
