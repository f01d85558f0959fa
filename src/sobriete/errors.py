"""Errors raised by sobriete: one base class, one subclass per failure.

Each subclass also inherits the builtin exception it resembles (as pint's
``UndefinedUnitError(AttributeError, PintError)`` does), carries structured fields
and renders one sentence that names the bad value, where it came from and the fix.

Like a :class:`~sobriete.notices.Notice`, every error also carries a stable ``code`` and the
``params`` its sentence names, so that the report layer can say it in French
(:func:`sobriete.report.error_messages.error_text`); ``str(error)`` stays the English sentence.
"""

from __future__ import annotations

from collections.abc import Iterable


def _where(file: str | None = None, row: int | None = None, column: str | None = None) -> str:
    parts = []
    if file:
        parts.append(f"file {file!s}")
    if row is not None:
        parts.append(f"row {row}")
    if column:
        parts.append(f"column '{column}'")
    return (" (" + ", ".join(parts) + ")") if parts else ""


def _choices(choices: Iterable[object] | None, limit: int = 40) -> str:
    if choices is None:
        return ""
    items = sorted({str(c) for c in choices})
    shown = ", ".join(items[:limit])
    more = f", … ({len(items) - limit} more)" if len(items) > limit else ""
    return f"; valid choices: {shown}{more}"


class SobrieteError(Exception):
    """Base class of every error raised by sobriete.

    Attributes ``file``, ``row`` and ``column`` say where the problem is, when known;
    ``code`` (``None`` when the raise site gave none) and ``params`` identify the sentence
    and the values it names, for translation.

    Examples
    --------
    >>> e = InputFormatError("the file is empty", file="a.csv", code="empty_file")
    >>> str(e), e.code, e.params
    ('the file is empty (file a.csv)', 'empty_file', {})
    """

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None,
                 column: str | None = None, code: str | None = None, **params: object):
        self.file = file
        self.row = row
        self.column = column
        self.message = message
        self.code = code
        self.params = params
        super().__init__(message + _where(file, row, column))

    def __reduce__(self):
        # Subclasses take other constructor arguments than ``args``: rebuild without calling
        # ``__init__`` so that every error crosses process boundaries (multiprocessing, Dask).
        return _unpickle_error, (type(self), self.args, dict(self.__dict__))


def _unpickle_error(cls: type[SobrieteError], args: tuple, state: dict) -> SobrieteError:
    error = Exception.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class UnknownNameError(SobrieteError, KeyError):
    """A name (category, zone, criterion, model, profile...) that is not known."""

    def __init__(self, kind: str, value: object, choices: Iterable[object] | None = None, *,
                 file: str | None = None, row: int | None = None, column: str | None = None,
                 hint: str = "", code: str = "unknown_name", **params: object):
        self.kind = kind
        self.value = value
        self.choices = sorted({str(c) for c in choices}) if choices is not None else None
        message = f"unknown {kind} {value!r}{_choices(choices)}"
        if hint:  # a hint may name params: "it must be defined in {table}.csv"
            message += f"; {hint.format(**params) if params else hint}"
        super().__init__(message, file=file, row=row, column=column, code=code, kind=kind, value=value,
                         choices=self.choices, hint=hint, **params)

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return self.args[0]


class UnknownCategoryError(UnknownNameError):
    """An equipment (or network, lighting...) category absent from the factor catalog."""

    def __init__(self, value: object, choices: Iterable[object] | None = None, **where):
        super().__init__("category", value, choices, code="unknown_category",
                         hint="map it to a catalog category or add it with a factor file", **where)


class UnknownZoneYearError(UnknownNameError):
    """No electricity factor for a grid zone and year."""

    def __init__(self, zone: object, year: int, available: Iterable[object] | None = None, **where):
        self.zone = zone
        self.year = year
        super().__init__("electricity zone/year", f"{zone} {year}", available, code="unknown_zone_year",
                         hint="add an electricity factor for it with a factor file", zone=zone, year=year,
                         **where)


class UnitError(SobrieteError, ValueError):
    """A unit that does not parse, or whose dimension is not the expected one."""

    def __init__(self, unit: object, expected: str | None = None, **where):
        self.unit = unit
        self.expected = expected
        message = f"bad unit {unit!r}"
        if expected:
            message += f": expected a unit of {expected}"
        super().__init__(message, code="bad_unit_dimension" if expected else "bad_unit", unit=unit,
                         expected=expected, **where)


class InputValueError(SobrieteError, ValueError):
    """A value that is out of range, missing or of the wrong type."""


class InputFormatError(SobrieteError, ValueError):
    """A file or table that cannot be used at all (missing columns, unreadable, empty)."""


class CatalogError(SobrieteError, ValueError):
    """A factor file that breaks the catalog's schema or rules."""


class DuplicateFactorError(CatalogError):
    """The same factor defined twice in one file (as pint's RedefinitionError).

    ``table`` is the factor table, ``key`` the duplicated key and ``lines`` the file lines
    that define it.
    """

    def __init__(self, table: str, key: tuple, lines: list[int], **where):
        self.table = table
        self.key = key
        self.lines = lines
        super().__init__(f"duplicate {table} key {key} on lines {lines}", code="duplicate_factor", table=table,
                         key=key, lines=lines, **where)


class HistoryError(SobrieteError, RuntimeError):
    """A problem with the assessment history database."""


class ScheduleError(InputValueError):
    """A lighting schedule that is inconsistent (overlapping windows, dimming > 100 %...)."""


def first_validation_error(errors: list[dict]) -> dict:
    """The error of a pydantic ``ValidationError.errors()`` list to report first: an unexpected
    field beside a missing one of the same mapping is most often the missing one misspelt
    (``horizon_yeras``), so it is named first; otherwise the first error.

    Examples
    --------
    >>> first_validation_error([{"type": "missing", "loc": ("horizon_years",)},
    ...                         {"type": "extra_forbidden", "loc": ("horizon_yeras",)}])["loc"]
    ('horizon_yeras',)
    """
    missing = {tuple(e["loc"][:-1]) for e in errors if e.get("type") == "missing"}
    for error in errors:
        if error.get("type") == "extra_forbidden" and tuple(error["loc"][:-1]) in missing:
            return error
    return errors[0]


def validation_detail(error: dict) -> str:
    """A pydantic validation error's English message with the bad value, except for a missing
    field (whose "value" is the whole enclosing mapping).

    Examples
    --------
    >>> validation_detail({"type": "missing", "msg": "Field required", "input": {"a": 1}})
    'Field required'
    >>> validation_detail({"type": "int_parsing", "msg": "Input should be a valid integer", "input": "x"})
    "Input should be a valid integer (value 'x')"
    """
    if error.get("type") == "missing":
        return str(error.get("msg", ""))
    return f"{error.get('msg', '')} (value {error.get('input')!r})"


def validation_params(error: dict) -> dict[str, object]:
    """The params of an error that reports a pydantic validation error ``error`` (one item of
    ``ValidationError.errors()``): its English ``detail``, its ``detail_type``, the limits it
    names (``detail_ctx``), the bad ``value`` and, for a sobriete error raised by a validator,
    that error (``cause``), so that the report layer can translate it.

    Examples
    --------
    >>> p = validation_params({"type": "greater_than_equal", "msg": "Input should be greater than or equal to 0",
    ...                        "input": -1, "ctx": {"ge": 0}, "loc": ("value",)})
    >>> p["detail_type"], p["detail_ctx"], p["value"]
    ('greater_than_equal', {'ge': 0}, -1)
    """
    ctx = dict(error.get("ctx") or {})
    cause = ctx.pop("error", None)
    return {"detail": error.get("msg", ""), "detail_type": error.get("type", ""), "detail_ctx": ctx,
            "value": error.get("input"), "cause": cause if isinstance(cause, SobrieteError) else None}
