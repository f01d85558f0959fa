"""The one parser of numbers, dates and YAML text typed by people, shared by the readers and the API.

Bottom layer: imports only :mod:`sobriete.errors`. Every function works on the distinct values
of a column (``pd.factorize``) and broadcasts the result back, so a million rows with a few
thousand distinct values cost a few thousand conversions.

* Numbers: French and English notation (``1 234,5``, ``1.234,5``, ``1,234.5``), thousands
  separators (spaces, no-break spaces, apostrophes). Spellings of non-finite values (``inf``,
  ``-inf``, ``nan``, ``Infinity``...) are *not* numbers an inventory can use: they are kept as
  text and :func:`non_finite` finds them, so that their row is rejected with its reason.
* Dates: ISO (``2025-03-04``, ``2025/03/04``) read year-month-day, and ``dd/mm/yyyy``,
  ``dd-mm-yyyy``, ``dd.mm.yyyy`` read day-first, both in one column; a time part is ignored.
  Dates are ``datetime64[s]``, whose range (years 1 to 9999 and beyond) holds any date a user
  can type: an implausible purchase date is then rejected by the engine with its reason, never
  an ``OutOfBoundsDatetime``.
* YAML: :func:`load_yaml`, whose syntax errors are one sentence with file, line and column.
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputFormatError

_SPACES = "[\\s\u00a0\u202f\u2009']"
#: Spellings of non-finite numbers (casefolded, signs and spaces removed).
NON_FINITE_SPELLINGS = frozenset({"inf", "infinity", "infinite", "nan", "inf.", "1.#inf", "1.#qnan", "∞"})
_ISO = re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:[ T].*)?$")
_DAY_FIRST = re.compile(r"^(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})(?:[ T].*)?$")


# --------------------------------------------------------------------------- distinct values
def _distinct(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes (``-1`` = missing) and distinct values (object array) of a column."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.codes.to_numpy(), np.asarray(series.cat.categories, dtype=object)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return codes, np.asarray(uniques, dtype=object)


def _broadcast(codes: np.ndarray, values: np.ndarray, missing, index: pd.Index, name) -> pd.Series:
    """Values of the distinct cells taken back to every row (``missing`` where ``codes == -1``)."""
    filler = np.array([missing], dtype=values.dtype)
    return pd.Series(np.append(values, filler)[codes], index=index, name=name)


# --------------------------------------------------------------------------- numbers
def clean_number_text(text: pd.Series, decimal: str = ",") -> pd.Series:
    """Normalise number strings to ``1234.5`` form.

    Spaces, no-break and narrow no-break spaces and apostrophes are thousands separators.
    ``1.234,5`` and ``1,234.5`` are read unambiguously; ``1.234`` and ``1,234`` (one
    separator followed by exactly three digits) follow ``decimal``: with ``","`` the first is
    1234 and the second 1.234. ``1,5`` and ``1.5`` are always 1.5.

    Examples
    --------
    >>> s = pd.Series(["1 234,5", "1.234,5", "1,234.5", "1.234", "1,234", "0,065", "12\u202f000"])
    >>> clean_number_text(s).tolist()
    ['1234.5', '1234.5', '1234.5', '1234', '1.234', '0.065', '12000']
    >>> clean_number_text(s, ".").tolist()[3:5]
    ['1.234', '1234']
    """
    s = text.astype("str").str.replace(_SPACES, "", regex=True)
    thou = "." if decimal == "," else ","
    d, t = "\\" + decimal, "\\" + thou
    own = s.str.fullmatch(rf"[+-]?\d{{1,3}}({t}\d{{3}})+({d}\d*)?").fillna(False).astype(bool)
    other = s.str.fullmatch(rf"[+-]?\d{{1,3}}({d}\d{{3}}){{2,}}({t}\d*)?|[+-]?\d{{1,3}}({d}\d{{3}})+{t}\d*")
    other = other.fillna(False).astype(bool)
    s = s.mask(own, s.str.replace(thou, "", regex=False))
    s = s.mask(other, s.str.replace(decimal, "", regex=False))
    return s.str.replace(",", ".", regex=False)


def _numbers_of_distinct(uniques: np.ndarray, decimal: str) -> np.ndarray:
    """float64 of each distinct value; NaN where it is not a finite number."""
    out = np.full(len(uniques), np.nan)
    if not len(uniques):
        return out
    is_number = np.array([isinstance(u, (int, float, np.integer, np.floating)) and not isinstance(u, bool)
                          for u in uniques], dtype=bool)
    if is_number.any():
        out[is_number] = uniques[is_number].astype(float)
    text = ~is_number
    if text.any():
        cleaned = clean_number_text(pd.Series(uniques[text], dtype=object).astype(str), decimal)
        out[text] = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    out[~np.isfinite(out)] = np.nan
    return out


def parse_numbers(series: pd.Series, *, decimal: str = ",", factor: float = 1.0) -> pd.Series:
    """Numbers [source unit] → float [× ``factor``]; cells that are not finite numbers keep their
    text (non-finite floats become the text ``'inf'``, ``'-inf'``, ``'nan'``).

    Parameters
    ----------
    series : Series
        Numbers or strings (French or English notation).
    decimal : {',', '.'}, keyword-only
        Decimal mark for ambiguous cells (see :func:`clean_number_text`).
    factor : float, keyword-only
        Unit conversion factor applied to the numbers (``conversion_factor("kW", "W")``).

    Returns
    -------
    Series
        float64 when every given cell is a finite number, else object (floats and the bad texts).

    Examples
    --------
    >>> parse_numbers(pd.Series(["0,5", None, "2"]), factor=1000.0).tolist()
    [500.0, nan, 2000.0]
    >>> parse_numbers(pd.Series(["1,5", "n/a", "-inf"])).tolist()
    [1.5, 'n/a', '-inf']
    >>> parse_numbers(pd.Series([1.0, float("inf")])).tolist()
    [1.0, 'inf']
    """
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        numbers = series.to_numpy(dtype=float, na_value=np.nan)
        infinite = np.isinf(numbers)
        scaled = numbers * factor if factor != 1.0 else numbers
        if not infinite.any():
            return pd.Series(scaled, index=series.index, name=series.name)
        values = scaled.astype(object)
        values[infinite] = np.where(numbers[infinite] > 0, "inf", "-inf")
        return pd.Series(values, index=series.index, name=series.name)
    codes, uniques = _distinct(series.astype(object) if pd.api.types.is_bool_dtype(series.dtype) else series)
    numbers = _numbers_of_distinct(uniques, decimal) * factor
    bad = np.isnan(numbers)
    if not bad.any():
        return _broadcast(codes, numbers, np.nan, series.index, series.name)
    values = numbers.astype(object)
    values[bad] = [_as_text(u) for u in uniques[bad]]
    return _broadcast(codes, values, np.nan, series.index, series.name)


def _as_text(value) -> str:
    if isinstance(value, float) and not np.isfinite(value):
        return "nan" if np.isnan(value) else ("inf" if value > 0 else "-inf")
    return str(value)


def to_float(series: pd.Series, *, decimal: str = ",") -> tuple[np.ndarray, np.ndarray]:
    """float64 values (NaN where missing or not a finite number) and the mask of cells that were
    given but are not finite numbers: the one number parser for engine modules.

    Examples
    --------
    >>> values, bad = to_float(pd.Series(["1,5", "", None, "inf", "x", 3]))
    >>> values.tolist()[0], bad.tolist()
    (1.5, [False, False, False, True, True, False])
    """
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        values = series.to_numpy(dtype=float, na_value=np.nan)
        bad = np.isinf(values)
        return np.where(bad, np.nan, values), bad
    codes, uniques = _distinct(series.astype(object) if pd.api.types.is_bool_dtype(series.dtype) else series)
    numbers = _numbers_of_distinct(uniques, decimal)
    blank = np.array([isinstance(u, str) and not u.strip() for u in uniques], dtype=bool)
    bad = np.isnan(numbers) & ~blank
    return np.append(numbers, np.nan)[codes], np.append(bad, False)[codes]


def non_finite(series: pd.Series) -> np.ndarray:
    """Mask of cells that spell a non-finite number (``inf``, ``-Infinity``, ``NaN``, ``1e400``
    beyond the float range...) or are a non-finite float.

    Examples
    --------
    >>> non_finite(pd.Series(["inf", " -INF ", "nan", "n/a", None, 1.0, float("inf"), "1e400", "-1,5e999"])).tolist()
    [True, True, True, False, False, False, True, True, True]
    """
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        return np.isinf(series.to_numpy(dtype=float, na_value=np.nan))
    codes, uniques = _distinct(series)
    hit = np.array([_spells_non_finite(u) for u in uniques], dtype=bool)
    return np.append(hit, False)[codes]


def _spells_non_finite(value) -> bool:
    if isinstance(value, (float, np.floating)):
        return not np.isfinite(value)
    if not isinstance(value, str):
        return False
    if re.sub(r"[\s+\-]", "", value).casefold() in NON_FINITE_SPELLINGS:
        return True
    try:  # a number too large for a float: 1e400, 1,5e999
        return not np.isfinite(float(re.sub(_SPACES, "", value).replace(",", ".")))
    except ValueError:
        return False


# --------------------------------------------------------------------------- dates
def _dates_of_distinct(uniques: np.ndarray) -> np.ndarray:
    """``datetime64[s]`` of each distinct value; NaT where it is not a date."""
    out = np.full(len(uniques), np.datetime64("NaT"), dtype="datetime64[s]")
    ymd = np.zeros((len(uniques), 3), dtype=np.int64)
    found = np.zeros(len(uniques), dtype=bool)
    for i, value in enumerate(uniques):
        if isinstance(value, (_dt.datetime, _dt.date)):  # pd.Timestamp is a datetime
            ymd[i], found[i] = (value.year, value.month, value.day), True
        elif isinstance(value, np.datetime64):
            if not np.isnat(value):
                day = value.astype("datetime64[D]").item()
                if isinstance(day, _dt.date):
                    ymd[i], found[i] = (day.year, day.month, day.day), True
        elif isinstance(value, str):
            text = value.strip()
            match = _ISO.match(text) or _DAY_FIRST.match(text)
            if match:
                ymd[i], found[i] = (int(match["y"]), int(match["m"]), int(match["d"])), True
    y, m, d = ymd.T
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    month_days = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[np.clip(m - 1, 0, 11)] + (leap & (m == 2))
    valid = found & (y >= 1) & (m >= 1) & (m <= 12) & (d >= 1) & (d <= month_days)
    if valid.any():
        months = ((y[valid] - 1970) * 12 + m[valid] - 1).astype("timedelta64[M]") + np.datetime64("1970-01", "M")
        out[valid] = (months.astype("datetime64[D]") + (d[valid] - 1).astype("timedelta64[D]")).astype("datetime64[s]")
    return out


def parse_dates(series: pd.Series, *, keep_text: bool = True) -> pd.Series:
    """Dates → ``datetime64[s]``: ISO ``yyyy-mm-dd`` (also ``/`` or ``.``) year first, and
    ``dd/mm/yyyy`` (also ``-`` or ``.``) day first, in one column; a time part is ignored;
    datetimes and dates pass.

    Parameters
    ----------
    series : Series
    keep_text : bool, keyword-only
        Cells that are not dates keep their original value (object Series), so that the engine
        can name the bad value; with ``False`` they are NaT.

    Examples
    --------
    >>> parse_dates(pd.Series(["15/03/2021", "2025-03-04 10:00", None])).dt.strftime("%d %B %Y").tolist()
    ['15 March 2021', '04 March 2025', nan]
    >>> parse_dates(pd.Series(["31/02/2024", "2025-12-31", "hier"])).tolist()
    ['31/02/2024', Timestamp('2025-12-31 00:00:00'), 'hier']
    >>> parse_dates(pd.Series(["01/01/0001", "31/12/9999"])).dt.year.tolist()
    [1, 9999]
    """
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return series
    codes, uniques = _distinct(series)
    dates = _dates_of_distinct(uniques)
    bad = np.isnat(dates)
    if not bad.any() or not keep_text:
        return _broadcast(codes, dates, np.datetime64("NaT", "s"), series.index, series.name)
    values = np.array(pd.Series(dates).astype(object).to_numpy(), dtype=object)
    values[bad] = uniques[bad]
    return _broadcast(codes, values, None, series.index, series.name)


def to_datetimes(values) -> pd.Series:
    """:func:`parse_dates` of any dates (Series, list, array), NaT where not a date: the one date
    parser for the API (``equipment.start_year_from_date``) and the readers.

    Examples
    --------
    >>> to_datetimes(["2025-03-04", "04/03/2025", "2025-12-31", "31/12/2025", "lundi"]).dt.day.tolist()
    [4.0, 4.0, 31.0, 31.0, nan]
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values) if not isinstance(
        values, np.ndarray) else values, dtype=object)
    return parse_dates(series, keep_text=False)


# --------------------------------------------------------------------------- YAML
def load_yaml(path: str | Path, *, text: str | None = None, what: str = "file", what_fr: str = "le fichier"):
    """Parse a YAML file with PyYAML's safe loader; a syntax error is one sentence with the file,
    line and column.

    Parameters
    ----------
    path : path
        The file (read as UTF-8, a BOM allowed) or, with ``text``, its name in messages.
    text : str, keyword-only
        The YAML text, when already read.
    what, what_fr : str, keyword-only
        What the file is (``"profile"``, ``"schedule file"``...), for the English message, and
        in French with its article (``"le profil"``, ``"le fichier d'horaires"``).

    Raises
    ------
    InputFormatError
        ``code='yaml_syntax'`` (params ``what, line, column, problem``), or ``'yaml_undecodable'``.

    Examples
    --------
    >>> load_yaml("a.yaml", text="a: 1\\nb: [2, 3]\\n")
    {'a': 1, 'b': [2, 3]}
    >>> load_yaml("a.yaml", text="a: 1\\nb: [2, 3\\n", what="profile")
    Traceback (most recent call last):
    ...
    sobriete.errors.InputFormatError: profile is not valid YAML at line 3, column 1: expected ',' or ']', but got '<stream end>' (file a.yaml)
    """
    import yaml  # PyYAML is only needed where YAML is read

    try:
        source = Path(path).read_text(encoding="utf-8-sig") if text is None else text
    except UnicodeDecodeError as exc:
        raise InputFormatError(f"{what} is not UTF-8 text ({exc.reason} at byte {exc.start})", file=str(path),
                               code="yaml_undecodable", what=what, what_fr=what_fr, byte=exc.start) from None
    try:
        return yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        where = f" at line {line}, column {column}" if mark is not None else ""
        raise InputFormatError(f"{what} is not valid YAML{where}: {problem}", file=str(path),
                               code="yaml_syntax", what=what, what_fr=what_fr, line=line, col=column,
                               problem=problem) from None


__all__ = ["NON_FINITE_SPELLINGS", "clean_number_text", "load_yaml", "non_finite", "parse_dates", "parse_numbers",
           "to_datetimes", "to_float"]
