"""The project file: a YAML description of a digital project, validated with pydantic.

A project names a baseline (the inventory ``sobriete assess`` reads, or nothing for a greenfield
project), a horizon in years and one or more variants, each a list of dated changes. Every error
names the file, the line (from PyYAML's node marks) and the field, e.g.
``variants[0].changes[2].quantity``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import InputValueError, first_validation_error, validation_detail, validation_params
from ..retrofit import Scenario

#: Change kinds a variant may hold.
CHANGE_KINDS = ("add", "remove", "replace", "lifetime", "traffic", "lines", "hosting", "lighting", "service")


class ProjectError(InputValueError):
    """A project file that cannot be used: ``file``, ``row`` (the YAML line) and ``field``."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


#: A range for the sensitivity analysis: [low, high] of one numeric field of a change.
Range = Annotated[list[float], Field(min_length=2, max_length=2)]


class Selector(_Strict):
    """Which baseline devices a change applies to (all conditions hold).

    ``purchased_before`` and ``purchased_from`` compare the purchase year [year]; ``where`` matches
    any other inventory column (e.g. ``{entity: Mairie}``) after name normalisation.
    """

    category: str | None = None
    condition: Literal["new", "refurbished"] | None = None
    purchased_before: int | None = None
    purchased_from: int | None = None
    where: dict[str, str] = Field(default_factory=dict)


class _Change(_Strict):
    year: int = Field(description="first year the change applies [year]")
    label: str = ""
    investment_eur: float = Field(default=0.0, ge=0)
    ranges: dict[str, Range] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _ranges_ordered(self):
        for name, (low, high) in self.ranges.items():
            target = self
            for part in name.split("."):
                target = getattr(target, part, None) if part in getattr(type(target), "model_fields", {}) else None
            if not isinstance(target, (int, float)) or isinstance(target, bool):
                raise ValueError(f"ranges: {name!r} is not a numeric field of this change")
            if low > high:
                raise ValueError(f"range of {name}: low {low} > high {high}")
        return self


class Add(_Change):
    """Devices bought in ``year``."""

    kind: Literal["add"]
    category: str
    quantity: float = Field(gt=0)
    condition: Literal["new", "refurbished"] = "new"
    lifetime_years: float | None = Field(default=None, gt=0)
    energy_kwh_per_year: float | None = Field(default=None, ge=0)


class Remove(_Change):
    """Devices taken out of service in ``year`` (all matching devices if no quantity)."""

    kind: Literal["remove"]
    select: Selector
    quantity: float | None = Field(default=None, gt=0)


class Replacement(_Strict):
    category: str | None = None
    condition: Literal["new", "refurbished"] = "new"
    lifetime_years: float | None = Field(default=None, gt=0)
    energy_kwh_per_year: float | None = Field(default=None, ge=0)


class Replace(_Change):
    """Devices taken out of service in ``year`` and replaced one for one by ``by``."""

    kind: Literal["replace"]
    select: Selector
    quantity: float | None = Field(default=None, gt=0)
    by: Replacement = Field(default_factory=Replacement)


class Lifetime(_Change):
    """A lifetime policy: matching devices are kept ``lifetime_years`` from ``year`` on."""

    kind: Literal["lifetime"]
    select: Selector
    lifetime_years: float = Field(gt=0)


class Traffic(_Change):
    """Data traffic added (or removed, negative) per year on one network [GB/year]."""

    kind: Literal["traffic"]
    network: str
    gb_per_year: float


class Lines(_Change):
    """Lines added (count > 0), removed (count < 0) or switched (``to``) from ``year``."""

    kind: Literal["lines"]
    technology: str
    count: float
    to: str | None = None

    @model_validator(mode="after")
    def _switch_moves_existing_lines(self):
        if self.to is not None and self.count <= 0:
            raise ValueError("a switch moves a positive count of lines")
        return self


class HostingSettings(_Strict):
    kind: str | None = None
    pue: float | None = Field(default=None, ge=1)
    it_energy_kwh: float | None = Field(default=None, ge=0)
    servers: float | None = Field(default=None, ge=0)
    power_w: float | None = Field(default=None, ge=0)
    server_category: str | None = None


class Hosting(_Change):
    """Hosting moved or changed: matching rows (``select`` on kind) take the ``set`` values;
    ``renew_servers`` buys the servers again in ``year``. With no baseline row to match, ``set``
    describes new hosting."""

    kind: Literal["hosting"]
    select: str | None = None
    set: HostingSettings
    renew_servers: bool = False


class Lighting(_Change):
    """A lighting scenario (retrofit rules, schedule changes; see :mod:`sobriete.retrofit`)."""

    kind: Literal["lighting"]
    scenario: Scenario


class ServiceDevice(_Strict):
    category: str
    hours_per_user_per_year: float = Field(ge=0)


class ServiceTraffic(_Strict):
    network: str
    gb_per_user_per_year: float = Field(ge=0)


class Service(_Change):
    """Users of a new digital service: their devices' time share, their traffic, the hosting."""

    kind: Literal["service"]
    users: float = Field(ge=0)
    devices: list[ServiceDevice] = Field(default_factory=list)
    traffic: list[ServiceTraffic] = Field(default_factory=list)
    hosting: HostingSettings | None = None


Change = Annotated[Add | Remove | Replace | Lifetime | Traffic | Lines | Hosting | Lighting | Service,
                   Field(discriminator="kind")]


class Variant(_Strict):
    name: str
    description: str = ""
    changes: list[Change] = Field(default_factory=list)


class Baseline(_Strict):
    """The inventory the project starts from (paths relative to the project file)."""

    inputs: list[str] = Field(default_factory=list)
    renewal: bool = True


class Price(_Strict):
    category: str
    condition: Literal["new", "refurbished"] = "new"
    eur: float = Field(ge=0)


class Project(_Strict):
    """A validated project file."""

    name: str
    owner: str = ""
    description: str = ""
    start: int | dt.date
    horizon_years: int = Field(ge=1, le=50)
    users: float | None = Field(default=None, gt=0)
    electricity_price_eur_per_kwh: float | None = Field(default=None, ge=0)
    prices: list[Price] = Field(default_factory=list)
    baseline: Baseline = Field(default_factory=Baseline)
    variants: list[Variant] = Field(min_length=1)
    checklist: dict[str, str] = Field(default_factory=dict)

    @field_validator("start", mode="before")
    @classmethod
    def _year_or_date(cls, value):
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise ValueError("give a year (2026) or an ISO date (2026-01-01)") from None
        return value

    @property
    def first_year(self) -> int:
        return self.start if isinstance(self.start, int) else self.start.year

    @property
    def years(self) -> list[int]:
        """The assessed years: ``first_year`` … ``first_year + horizon_years − 1``."""
        return list(range(self.first_year, self.first_year + self.horizon_years))


class Source:
    """Where a project came from: its file and the line of each field (PyYAML node marks)."""

    def __init__(self, file: str | None, node: yaml.Node | None):
        self.file, self.node = file, node

    def line(self, loc: tuple) -> int | None:
        """1-based line of the field at ``loc`` (its deepest existing parent when absent)."""
        node, line = self.node, None
        for part in loc:
            if node is None:
                break
            line = node.start_mark.line + 1
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if k.value == part), None)
                if node is None:
                    break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
            else:
                node = None
        if node is not None:
            line = node.start_mark.line + 1
        return line

    def error(self, loc: tuple, message: str, *, code: str, **params: Any) -> ProjectError:
        """A :class:`ProjectError` naming the file, the line and the field at ``loc``."""
        field = field_name(loc)
        return ProjectError(f"{message} (field {field})", file=self.file, row=self.line(loc), code=code,
                            field=field, **params)


def field_name(loc: tuple) -> str:
    """``('variants', 0, 'changes', 2, 'quantity')`` → ``variants[0].changes[2].quantity``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def load_project(path: str | Path | None = None, *, text: str | None = None) -> tuple[Project, Source]:
    """Read and validate a project file (or ``text``).

    Returns
    -------
    (Project, Source)
        The project and where its fields are (for errors found later, e.g. an unknown category).

    Raises
    ------
    ProjectError
        Naming the file, the line and the field.

    Examples
    --------
    >>> p, src = load_project(text="name: x\\nstart: 2026\\nhorizon_years: 3\\nvariants: [{name: v}]")
    >>> p.years
    [2026, 2027, 2028]
    """
    file = str(path) if path is not None else None
    try:
        body = Path(path).read_text(encoding="utf-8") if text is None else text
        node = yaml.compose(body)
        raw = yaml.safe_load(body)
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectError(f"cannot read the project file: {exc}", file=file, code="project_unreadable",
                           detail=str(exc)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ProjectError(f"the project file is not valid YAML: {getattr(exc, 'problem', exc)}", file=file,
                           row=mark.line + 1 if mark else None, code="project_not_yaml",
                           detail=str(getattr(exc, "problem", exc))) from None
    source = Source(file, node)
    if not isinstance(raw, dict):
        raise source.error((), "the project file must be a YAML mapping (name:, start:, variants: ...)",
                           code="project_not_mapping")
    try:
        return Project.model_validate(raw), source
    except ValidationError as exc:
        error = first_validation_error(exc.errors())
        loc = _without_tags(tuple(error["loc"]))
        raise source.error(loc, f"invalid project field: {validation_detail(error)}",
                           code="invalid_project", **validation_params(error)) from None


def _without_tags(loc: tuple) -> tuple:
    """pydantic puts the change's kind (the discriminator's tag) in ``loc`` after the list index
    (``changes, 0, 'add', 'quantity'``); the file has no such level."""
    return tuple(p for i, p in enumerate(loc)
                 if not (p in CHANGE_KINDS and i > 0 and isinstance(loc[i - 1], int)))
