"""The roadmap file: a YAML *feuille de route « Numérique responsable »*, validated with pydantic.

A roadmap names its baseline year, its indicators (built-in, recorded in a CSV, or formulas of
other indicators), its targets (absolute or relative to the baseline, by year) and its measures
(topic, owner, budget, status, dates, linked indicators, optionally a project file whose
assessed effect is the measure's expected effect). Errors name the file, the line and the field
(PyYAML node marks); problems that leave the rest usable (a target on an unknown indicator, a
target year before the baseline, a formula that refers to itself) become warnings with the same
location, and the item is left out (:attr:`Roadmap.notices`), unless ``strict``.

References
----------
.. [1] Loi n° 2021-1485 du 15 novembre 2021 (REEN), art. 35 I: communes (and EPCI à fiscalité
   propre) of more than 50,000 inhabitants define « au plus tard le 1er janvier 2025, une
   stratégie numérique responsable qui indique notamment les objectifs de réduction de
   l'empreinte environnementale du numérique et les mesures mises en place pour les atteindre »,
   after a programme de travail due « au plus tard le 1er janvier 2023 »; the strategy « fait
   l'objet d'un bilan annuel » in the rapport sur la situation en matière de développement
   durable (CGCT L. 2311-1-1). Quoted by Landot & associés (2022); the same dates and bilan in
   the official notice of décret n° 2022-1084 (Légifrance JORFTEXT000046113741).
.. [2] Décret n° 2022-1084 du 29 juillet 2022 (CGCT D. 2311-15-1): a programme de travail with
   an assessment of the environmental impact of digital technology and its uses, then
   objectives, « indicateurs de suivi », measures and means, annual or multiannual, which may
   concern six topics (procurement; IT life cycle; eco-design; awareness of elected members
   and agents; citizens and inclusion; connected territory and open data) -- the six
   :data:`TOPICS`. Read in an English translation of D. 2311-15-1 only: the French wording
   is not verified. Quotations and sources: ``docs/legal-texts.md``.
"""

from __future__ import annotations

import ast
import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import SobrieteError, first_validation_error, validation_params
from ..notices import Notice

#: The six topics suggested for the strategy, in report order (ids used in the roadmap file).
TOPICS = ("achats", "cycle_de_vie", "ecoconception", "sensibilisation", "inclusion", "territoire")
#: Status of a measure.
MEASURE_STATUSES = ("planned", "in_progress", "done", "abandoned")
#: French spellings of the measure statuses accepted in the file.
MEASURE_STATUS_ALIASES = {"prevue": "planned", "prévue": "planned", "en_cours": "in_progress", "en cours":
                          "in_progress", "realisee": "done", "réalisée": "done", "faite": "done",
                          "abandonnee": "abandoned", "abandonnée": "abandoned"}


class RoadmapError(SobrieteError, ValueError):
    """A roadmap file that cannot be used (bad YAML, a field of the wrong type...).

    ``file`` is the roadmap file, ``row`` the line in it and ``params["field"]`` the field's
    path (``targets[1].year``); the sentence names all three.

    Examples
    --------
    >>> str(RoadmapError("bad", file="f.yaml", line=3, field="targets[0].year"))
    'bad (file f.yaml, line 3, field targets[0].year)'
    """

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None, field: str = "",
                 code: str | None = None, **params: object):
        where = ", ".join(p for p in (f"file {file}" if file else "", f"line {line}" if line else "",
                                      f"field {field}" if field else "") if p)
        super().__init__(message + (f" ({where})" if where else ""), code=code, field=field, **params)
        self.file, self.row, self.message = file, line, message

    def __reduce__(self):  # crosses process boundaries with its location and params
        params = {k: v for k, v in self.params.items() if k != "field"}
        return (_rebuild_error, (self.message, self.file, self.row, self.params.get("field", ""), self.code, params))


def _rebuild_error(message, file, line, field, code, params) -> RoadmapError:
    return RoadmapError(message, file=file, line=line, field=field, code=code, **params)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class IndicatorSpec(_Model):
    """An indicator of the roadmap: a built-in (``builtin``, optionally ``@category``), a
    formula of other indicators (``formula``), or values recorded in the history database or
    in the roadmap's ``values`` CSV (neither)."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    label: str = ""
    unit: str = ""
    topic: Literal[TOPICS] | None = None  # type: ignore[valid-type]
    builtin: str | None = None
    formula: str | None = None
    direction: Literal["lower", "higher"] | None = None

    @field_validator("formula")
    @classmethod
    def _formula_parses(cls, text: str | None) -> str | None:
        if text is not None:
            formula_names(text)
        return text

    @model_validator(mode="after")
    def _one_kind(self):
        if self.builtin and self.formula:
            raise ValueError("give either 'builtin' or 'formula', not both")
        return self


class Target(_Model):
    """A target: ``value`` (absolute, in the indicator's unit) or ``change_pct`` (relative to
    the baseline value [%], e.g. -30) to reach by ``year``; ``legal: true`` takes the legal
    targets of ``roadmap_legal_targets.csv`` instead."""

    indicator: str = Field(min_length=1)
    year: int | None = Field(default=None, ge=1990, le=2100)
    value: float | None = None
    change_pct: float | None = Field(default=None, ge=-100)
    legal: bool = False
    note: str = ""

    @model_validator(mode="after")
    def _value_or_change(self):
        if self.legal:
            if self.value is not None or self.change_pct is not None:
                raise ValueError("a legal target takes its values from the law: remove 'value' and 'change_pct'")
            return self
        if (self.value is None) == (self.change_pct is None):
            raise ValueError("give exactly one of 'value' (absolute) or 'change_pct' (relative to the baseline)")
        if self.year is None:
            raise ValueError("a target needs a 'year'")
        return self


class Measure(_Model):
    """A measure of the roadmap. ``effects`` gives its expected yearly effect per indicator
    (in the indicator's unit, negative for a reduction); ``project`` a project file whose
    assessed effect counts instead (see :mod:`sobriete.roadmap.measures`)."""

    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    topic: Literal[TOPICS]  # type: ignore[valid-type]
    owner: str = ""
    budget_eur: float | None = Field(default=None, ge=0)
    status: Literal[MEASURE_STATUSES] = "planned"  # type: ignore[valid-type]
    start: dt.date | None = None
    end: dt.date | None = None
    indicators: list[str] = Field(default_factory=list)
    effects: dict[str, float] = Field(default_factory=dict)
    project: str | None = None
    project_variant: str | None = None
    horizon_years: int | None = Field(default=None, ge=1, le=50)

    @field_validator("status", mode="before")
    @classmethod
    def _french_status(cls, value):
        return MEASURE_STATUS_ALIASES.get(str(value).strip().lower(), value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _dates_in_order(self):
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"'end' ({self.end}) is before 'start' ({self.start})")
        return self


class RoadmapFile(_Model):
    """The roadmap file's schema (see ``sobriete roadmap template``)."""

    name: str = Field(min_length=1)
    authority: str = ""
    baseline_year: int = Field(ge=1990, le=2100)
    agents: dict[int, float] = Field(default_factory=dict)
    asset_register: str | None = None
    lighting_inventories: dict[int, str] = Field(default_factory=dict)
    hosting_inventories: dict[int, str] = Field(default_factory=dict)
    values: str | None = None
    indicators: list[IndicatorSpec] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)

    @field_validator("agents")
    @classmethod
    def _positive_agents(cls, agents: dict[int, float]) -> dict[int, float]:
        bad = {y: n for y, n in agents.items() if not n > 0}
        if bad:
            raise ValueError(f"the number of agents must be > 0 (got {bad})")
        return agents


@dataclass(frozen=True)
class Roadmap:
    """A loaded roadmap: the validated file, where each field was, and what was left out.

    Attributes
    ----------
    spec : RoadmapFile
    path : Path or None
        The file (relative paths inside it are relative to its folder).
    lines : dict
        ``{field path: line}`` (1-based) of every field of the file.
    notices : tuple of Notice
        Items left out, each naming file, line and field.
    """

    spec: RoadmapFile
    path: Path | None = None
    lines: Mapping[tuple, int] = field(default_factory=dict)
    notices: tuple[Notice, ...] = ()

    @property
    def folder(self) -> Path:
        return self.path.parent if self.path is not None else Path.cwd()

    def resolve(self, relative: str | None) -> Path | None:
        """A path of the file (register, values, project), relative to the roadmap's folder."""
        if relative is None:
            return None
        path = Path(relative).expanduser()
        return path if path.is_absolute() else Path(os.path.normpath(self.folder / path))

    def line_of(self, *where: object) -> int | None:
        return line_of(self.lines, where)

    def indicator(self, indicator_id: str) -> IndicatorSpec | None:
        return next((i for i in self.spec.indicators if i.id == indicator_id), None)

    def builtin_of(self, indicator_id: str) -> str:
        """The built-in an indicator stands for (``builtin`` without its ``@category``), or its
        own id."""
        spec = self.indicator(indicator_id)
        return (spec.builtin if spec is not None and spec.builtin else indicator_id).split("@")[0]

    def ids_of(self, builtin: str) -> list[str]:
        """The roadmap's ids that stand for ``builtin`` (the built-in's own id included)."""
        return [builtin] + [i.id for i in self.spec.indicators if i.builtin == builtin and i.id != builtin]


# --------------------------------------------------------------------------- formulas
_ALLOWED_NODES = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow,
                  ast.USub, ast.UAdd, ast.Constant, ast.Name, ast.Load)


def formula_names(text: str) -> list[str]:
    """The indicator ids a formula uses (``+ - * / **``, numbers and ids only).

    Examples
    --------
    >>> formula_names("footprint_gwp / agents * 1000")
    ['footprint_gwp', 'agents']
    >>> formula_names("__import__('os')")
    Traceback (most recent call last):
    ...
    ValueError: a formula may only use numbers, indicator ids, + - * / ** and parentheses (found Call)
    """
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"the formula {text!r} does not parse: {exc.msg}") from None
    names = []
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES) or (isinstance(node, ast.Constant)
                                                      and not isinstance(node.value, (int, float))):
            raise ValueError("a formula may only use numbers, indicator ids, + - * / ** and parentheses "
                             f"(found {type(node).__name__})")
        if isinstance(node, ast.Name) and node.id not in names:
            names.append(node.id)
    return names


def formula_cycle(formulas: Mapping[str, str]) -> list[str] | None:
    """The first cycle among formula indicators (``[a, b, a]``), or None.

    Examples
    --------
    >>> formula_cycle({"a": "b + 1", "b": "a * 2", "c": "x"})
    ['a', 'b', 'a']
    >>> formula_cycle({"a": "a + 1"})
    ['a', 'a']
    >>> formula_cycle({"a": "x", "b": "a"}) is None
    True
    """
    uses = {k: [n for n in formula_names(v) if n in formulas] for k, v in formulas.items()}
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in uses[node]:
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt] if nxt in path else [node, nxt]
            if nxt not in state:
                found = visit(nxt, path + [nxt])
                if found:
                    return found
        state[node] = 2
        return None

    for start in formulas:
        if start not in state:
            found = visit(start, [start])
            if found:
                return found
    return None


# --------------------------------------------------------------------------- YAML with lines
def yaml_with_lines(text: str) -> tuple[Any, dict[tuple, int]]:
    """Parse YAML and map each field's path (keys and list indexes) to its 1-based line.

    Examples
    --------
    >>> data, lines = yaml_with_lines("a: 1\\nb:\\n  - x: 2\\n    y: 3\\n")
    >>> lines[("b", 0, "y")], lines[("a",)]
    (4, 1)
    """
    data = yaml.safe_load(text)
    node = yaml.compose(text)
    lines: dict[tuple, int] = {}

    def walk(n, path: tuple) -> None:
        if isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                child = path + (_scalar(key),)
                lines[child] = key.start_mark.line + 1
                walk(value, child)
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                lines[path + (i,)] = item.start_mark.line + 1
                walk(item, path + (i,))

    if node is not None:
        walk(node, ())
    return data, lines


def _scalar(node) -> object:
    """A mapping key as pydantic reports it in an error's location (year keys are ints)."""
    value = node.value if isinstance(node, yaml.ScalarNode) else str(node.value)
    return int(value) if isinstance(value, str) and value.lstrip("-").isdigit() else value


def line_of(lines: Mapping[tuple, int], where: tuple) -> int | None:
    """Line of the longest known prefix of ``where``."""
    where = tuple(where)
    while where:
        if where in lines:
            return lines[where]
        where = where[:-1]
    return None


def field_path(where: tuple) -> str:
    """``("targets", 0, "year")`` → ``targets[0].year``."""
    out = ""
    for part in where:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# --------------------------------------------------------------------------- loading
def load_roadmap(path: str | Path | None = None, *, text: str | None = None, strict: bool = False) -> Roadmap:
    """Read and validate a roadmap file.

    Parameters
    ----------
    path : str or Path, optional
        The YAML file (its folder anchors the relative paths it names).
    text : str, optional
        The YAML text itself (then ``path`` only names it in messages).
    strict : bool
        Raise on the first item that would otherwise be left out with a warning.

    Returns
    -------
    Roadmap

    Raises
    ------
    RoadmapError
        One sentence naming the file, the line and the field.

    Examples
    --------
    >>> r = load_roadmap(text="name: FdR\\nbaseline_year: 2023\\n"
    ...                       "targets:\\n  - {indicator: footprint_gwp, year: 2030, change_pct: -30}\\n")
    >>> r.spec.targets[0].change_pct, r.notices
    (-30.0, ())
    """
    source = str(path) if path is not None else "<roadmap>"
    try:
        raw_text = Path(path).read_text(encoding="utf-8-sig") if text is None else text
        data, lines = yaml_with_lines(raw_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        detail = str(getattr(exc, "problem", None) or exc)
        raise RoadmapError(f"the roadmap is not valid YAML: {detail}", file=source,
                           line=mark.line + 1 if mark else None, code="roadmap_not_yaml", detail=detail) from None
    except UnicodeDecodeError as exc:
        raise RoadmapError(f"the roadmap is not UTF-8 text: {exc}", file=source, code="roadmap_not_yaml",
                           detail=str(exc)) from None
    if not isinstance(data, dict):
        raise RoadmapError("the roadmap must be a YAML mapping (name:, baseline_year:, indicators:, targets:, "
                           "measures:)", file=source, line=1, code="roadmap_not_mapping")
    try:
        spec = RoadmapFile.model_validate(data)
    except ValidationError as exc:
        error = first_validation_error(exc.errors())
        where = tuple(error["loc"])
        raise RoadmapError(f"invalid field {field_path(where)}: {error['msg'].removeprefix('Value error, ')}",
                           file=source, line=line_of(lines, where), field=field_path(where),
                           code="invalid_roadmap_field", **validation_params(error)) from None
    roadmap = Roadmap(spec, Path(path) if path is not None else None, lines)
    return check_roadmap(roadmap, known=None, strict=strict)


def roadmap_notice(roadmap: Roadmap, code: str, sentence: str, where: tuple, **params: object) -> Notice:
    """A warning about one item of the roadmap, naming file, line and field."""
    file = str(roadmap.path) if roadmap.path is not None else "<roadmap>"
    line = roadmap.line_of(*where)
    text = f"{sentence} (file {file}, line {line}, field {field_path(where)})"
    return Notice(code, text, file=file, line=line, field=field_path(where), **params)


def check_roadmap(roadmap: Roadmap, *, known: set[str] | None, strict: bool = False) -> Roadmap:
    """Leave out (with a warning naming file, line and field) the items that cannot be used:
    targets before the baseline or on an unknown indicator (when ``known`` builtin ids are
    given), formulas that refer to themselves or form a cycle, measures linked to unknown
    indicators. ``strict`` raises the first one as a :class:`RoadmapError`."""
    from .definitions import builtin_ids  # the definitions are data; the model only names them

    spec = roadmap.spec
    known = set(builtin_ids()) if known is None else set(known)
    notices: list[Notice] = list(roadmap.notices)
    declared = {i.id for i in spec.indicators} | known | {"agents"}  # agents: the file's or recorded
    formulas = {i.id: i.formula for i in spec.indicators if i.formula}
    bad_indicators: set[str] = set()
    for n, ind in enumerate(spec.indicators):
        if ind.builtin and ind.builtin.split("@")[0] not in known:
            notices.append(roadmap_notice(roadmap, "roadmap_unknown_builtin",
                                          f"unknown built-in indicator {ind.builtin!r}", ("indicators", n, "builtin"),
                                          value=ind.builtin, choices=", ".join(sorted(known))))
            bad_indicators.add(ind.id)
        if ind.formula:
            missing = [name for name in formula_names(ind.formula) if name not in declared]
            if missing:
                notices.append(roadmap_notice(roadmap, "roadmap_formula_unknown",
                                              f"the formula of {ind.id!r} uses unknown indicators {missing}",
                                              ("indicators", n, "formula"), id=ind.id, names=", ".join(missing)))
                bad_indicators.add(ind.id)
    cycle = formula_cycle(formulas)
    while cycle:
        first = cycle[0]
        n = next(i for i, ind in enumerate(spec.indicators) if ind.id == first)
        what = "refers to itself" if len(cycle) == 2 else "is part of a cycle " + " -> ".join(cycle)
        notices.append(roadmap_notice(roadmap, "roadmap_formula_cycle", f"the formula of {first!r} {what}",
                                      ("indicators", n, "formula"), id=first, cycle=" -> ".join(cycle)))
        bad_indicators.update(cycle)
        formulas = {k: v for k, v in formulas.items() if k not in cycle}
        cycle = formula_cycle(formulas)
    usable = declared - bad_indicators
    targets = []
    for n, target in enumerate(spec.targets):
        if target.indicator not in usable:
            notices.append(roadmap_notice(roadmap, "roadmap_unknown_indicator",
                                          f"the target names an unknown or unusable indicator {target.indicator!r}",
                                          ("targets", n, "indicator"), value=target.indicator))
        elif target.year is not None and target.year <= spec.baseline_year:
            notices.append(roadmap_notice(roadmap, "roadmap_target_before_baseline",
                                          f"the target year {target.year} is not after the baseline year "
                                          f"{spec.baseline_year}", ("targets", n, "year"), year=target.year,
                                          baseline=spec.baseline_year))
        else:
            targets.append(target)
    measures = []
    for n, measure in enumerate(spec.measures):
        unknown = [i for i in [*measure.indicators, *measure.effects] if i not in usable]
        if unknown:
            notices.append(roadmap_notice(roadmap, "roadmap_measure_unknown_indicator",
                                          f"measure {measure.id!r} names unknown indicators {unknown}",
                                          ("measures", n, "indicators" if unknown[0] in measure.indicators
                                           else "effects"), id=measure.id, names=", ".join(unknown)))
            measure = measure.model_copy(update={
                "indicators": [i for i in measure.indicators if i in usable],
                "effects": {k: v for k, v in measure.effects.items() if k in usable}})
        measures.append(measure)
    indicators = [i for i in spec.indicators if i.id not in bad_indicators]
    if strict and len(notices) > len(roadmap.notices):
        first = notices[len(roadmap.notices)]
        raise RoadmapError(str(first).rsplit(" (file ", 1)[0], file=first.params["file"],
                           line=first.params["line"], field=first.params["field"], code=first.code,
                           **{k: v for k, v in first.params.items() if k not in ("file", "line", "field")})
    new_spec = spec.model_copy(update={"indicators": indicators, "targets": targets, "measures": measures})
    return Roadmap(new_spec, roadmap.path, roadmap.lines, tuple(notices))
