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


def _distinct(series: pd.Series) -> tuple[np.ndarray, pd.Series]:
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return codes, pd.Series(np.asarray(uniques, dtype=object)).astype("str")


def _broadcast(codes: np.ndarray, values: np.ndarray, index: pd.Index, name) -> pd.Series:
    """Values of the distinct cells taken back to every row (missing where ``codes == -1``)."""
    return pd.Series(pd.api.extensions.take(values, codes, allow_fill=True), index=index, name=name)


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
        return series.astype(float) * factor
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
