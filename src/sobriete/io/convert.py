"""Vectorised conversion of source cells: French numbers and dates.

Each function works on the distinct values of a column (``pd.factorize``) and broadcasts the
result back, so a million rows with a few thousand distinct values cost a few thousand
conversions. A cell that cannot be converted keeps its original text: the engine then rejects
its row with the right reason (``bad_power``, ``bad_purchase_date``...) and the value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Date formats tried in order on the date part of a cell (before any time).
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")
_SPACES = "[\\s\u00a0\u202f\u2009']"


def distinct(series: pd.Series, *, chunk_rows: int = 1 << 16) -> tuple[np.ndarray, pd.Index]:
    """Codes (``-1`` = missing) and distinct values of a column.

    A categorical gives its own small codes and categories (no pass over the rows); any other
    column is factorised by chunks of ``chunk_rows`` rows, without first turning it into Python
    objects: a hash table sized for the whole column (32 bytes a row) is never built, only
    one per chunk and one for the chunks' distinct values.

    Examples
    --------
    >>> codes, values = distinct(pd.Series(["b", "a", None, "b"], dtype="category"))
    >>> codes.tolist(), values.tolist()
    ([1, 0, -1, 1], ['a', 'b'])
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.codes.to_numpy(), series.cat.categories
    if len(series) <= chunk_rows:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        return codes, pd.Index(uniques)
    codes = np.empty(len(series), dtype=np.int64)
    parts = []
    offset = 0
    for start in range(0, len(series), chunk_rows):
        part_codes, part_uniques = pd.factorize(series.iloc[start:start + chunk_rows], use_na_sentinel=True)
        codes[start:start + len(part_codes)] = np.where(part_codes >= 0, part_codes + offset, -1)
        parts.append(pd.Index(part_uniques))
        offset += len(part_uniques)
    merged, uniques = pd.factorize(parts[0].append(parts[1:]), use_na_sentinel=True)
    np.take(np.append(merged, -1), codes, out=codes, mode="wrap")  # in place; -1 stays -1
    return codes, pd.Index(uniques)


def recode(codes: np.ndarray, new: np.ndarray, n_new: int) -> np.ndarray:
    """``new[codes]`` with ``-1`` kept, in the smallest integer type holding ``n_new`` codes.

    Examples
    --------
    >>> recode(np.array([0, 1, -1, 1], dtype=np.int8), np.array([1, 0]), 2).tolist()
    [1, 0, -1, 0]
    """
    dtype = np.int8 if n_new < 127 else np.int16 if n_new < 32_767 else np.int32 if n_new < 2**31 - 1 else np.int64
    return np.append(np.asarray(new), -1).astype(dtype)[codes] if len(codes) else np.asarray(codes, dtype=dtype)


def _distinct(series: pd.Series) -> tuple[np.ndarray, pd.Series]:
    codes, uniques = distinct(series)
    return codes, pd.Series(np.asarray(uniques, dtype=object)).astype("str")


def _broadcast(codes: np.ndarray, values: np.ndarray, index: pd.Index, name) -> pd.Series:
    """Values of the distinct cells taken back to every row (missing where ``codes == -1``)."""
    missing = np.array([np.datetime64("NaT")]) if values.dtype.kind == "M" else np.array([np.nan])
    # ``-1`` picks the appended missing value; small codes index directly (no intp copy)
    return pd.Series(np.append(values, missing.astype(values.dtype))[codes], index=index, name=name)


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


def parse_numbers(series: pd.Series, *, decimal: str = ",", factor: float = 1.0) -> pd.Series:
    """Numbers [source unit] → float [× ``factor``]; unparseable cells keep their text.

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
        float64 when every given cell is a number, else object (floats and the bad texts).

    Examples
    --------
    >>> parse_numbers(pd.Series(["0,5", None, "2"]), factor=1000.0).tolist()
    [500.0, nan, 2000.0]
    >>> parse_numbers(pd.Series(["1,5", "n/a"])).tolist()
    [1.5, 'n/a']
    """
    if pd.api.types.is_bool_dtype(series.dtype):
        series = series.astype(object)
    if pd.api.types.is_numeric_dtype(series.dtype):
        numbers = series.astype(float)
        if factor != 1.0:
            numbers = numbers * factor
        return numbers
    codes, text = _distinct(series)
    numbers = pd.to_numeric(clean_number_text(text, decimal), errors="coerce").to_numpy(dtype=float) * factor
    bad = np.isnan(numbers)
    if bad.any():
        values = numbers.astype(object)
        values[bad] = text.to_numpy(dtype=object)[bad]
    else:
        values = numbers
    return _broadcast(codes, values, series.index, series.name)


def parse_dates(series: pd.Series) -> pd.Series:
    """Dates as ``dd/mm/yyyy``, ``dd-mm-yyyy``, ``dd.mm.yyyy`` or ISO (a time part is ignored)
    → datetime64; unparseable cells keep their text.

    Examples
    --------
    >>> parse_dates(pd.Series(["15/03/2021", "2021-03-16 10:00", None])).dt.day.tolist()
    [15.0, 16.0, nan]
    >>> parse_dates(pd.Series(["15/03/2021", "hier"])).tolist()[1]
    'hier'
    """
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return series
    codes, text = _distinct(series)
    date_part = text.str.strip().str.split(r"[ T]", n=1, regex=True).str[0]
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    for fmt in DATE_FORMATS:
        todo = parsed.isna()
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(date_part[todo], format=fmt, errors="coerce")
    bad = parsed.isna().to_numpy()
    if bad.any():
        values = parsed.to_numpy(dtype=object)
        values[bad] = text.to_numpy(dtype=object)[bad]
        return _broadcast(codes, values, series.index, series.name)
    return _broadcast(codes, parsed.to_numpy(), series.index, series.name)
