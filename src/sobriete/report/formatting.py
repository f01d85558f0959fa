"""Formatting helpers: numbers in French or English, plain-text tables, spreadsheet safety."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: An empty rejected cell, in a sentence.
EMPTY_CELL = {"fr": "cellule vide", "en": "empty cell"}


def as_typed(value: object, lang: str | None = None) -> object:
    """A rejected cell as its user typed it, as far as the parsed value tells: a whole number
    without ``.0``, a date without a midnight time; with ``lang="fr"``, a decimal comma.

    The readers parse cells before the engine checks them, so the exact text is not kept
    (``-1,0`` and ``-1`` both show as ``-1``). An empty cell (None, NaN) reads « cellule vide »
    in a sentence (``lang`` given) and stays None for a spreadsheet cell.

    Examples
    --------
    >>> as_typed(-1.0), as_typed(2.5, "fr"), as_typed(pd.Timestamp("2031-01-01")), as_typed("abc")
    (-1, '2,5', '2031-01-01', 'abc')
    >>> as_typed(float("nan"), "fr"), as_typed(None, "en"), as_typed(float("nan")), as_typed(0.0, "fr")
    ('cellule vide', 'empty cell', None, 0)
    """
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return EMPTY_CELL.get(lang) if lang else None
    if isinstance(value, float) and math.isfinite(value):
        if value.is_integer():
            return int(value)
        return f"{value:.15g}".replace(".", ",") if lang == "fr" else value
    if isinstance(value, pd.Timestamp) and value is not pd.NaT and value == value.normalize():
        return value.date().isoformat()
    return value


def format_count(value: int, lang: str = "fr") -> str:
    """A count with its thousands grouped (``4 385`` in French, ``4,385`` in English).

    Examples
    --------
    >>> format_count(1000000), format_count(4385, "en"), format_count(12)
    ('1 000 000', '4,385', '12')
    """
    text = f"{int(value):,}"
    return text.replace(",", " ") if lang == "fr" else text


def format_number(value: object, lang: str = "fr") -> str:
    """A number for reading: thousands grouped, a sensible number of decimals.

    French: space between thousands and decimal comma (``1 234,5``); English: ``1,234.5``.
    At least 100: one decimal; at least 1: two; below 1: three significant digits.

    Examples
    --------
    >>> format_number(1234.5)
    '1 234,5'
    >>> format_number(1234.5, "en")
    '1,234.5'
    >>> format_number(0.012345)
    '0,0123'
    >>> format_number(-3.0)
    '-3,00'
    >>> format_number(0)
    '0'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    number = float(value)
    if number == 0:
        return "0"
    size = abs(number)
    if size >= 100:
        text = f"{number:,.1f}"
    elif size >= 1:
        text = f"{number:,.2f}"
    elif size >= 1e-4:
        text = f"{number:,.{2 - math.floor(math.log10(size)) }f}"
    else:
        text = f"{number:.2e}"
    if lang == "fr":
        text = text.replace(",", " ").replace(".", ",")
    return text


def format_percent(value: object, lang: str = "fr") -> str:
    """A signed percentage with one decimal (``+12,5 %``); ``–`` when undefined.

    Examples
    --------
    >>> format_percent(12.5)
    '+12,5 %'
    >>> format_percent(-3.25, "en")
    '-3.2%'
    >>> format_percent(0.0)
    '0,0 %'
    >>> format_percent(6875.04), format_percent(6875.04, "en")
    ('+6 875,0 %', '+6,875.0%')
    """
    if value is None or not np.isfinite(float(value)):
        return "–"
    text = f"{float(value):+,.1f}" if round(float(value), 1) else "0.0"
    return text.replace(",", " ").replace(".", ",") + " %" if lang == "fr" else text + "%"


def format_share(fraction: float, lang: str = "fr") -> str:
    """A share as a percentage with one decimal.

    Examples
    --------
    >>> format_share(0.8559)
    '85,6 %'
    >>> format_share(0.8559, "en")
    '85.6%'
    """
    text = f"{100 * float(fraction):.1f}"
    return text.replace(".", ",") + " %" if lang == "fr" else text + "%"


def text_table(headers: Sequence[str], rows: Sequence[Sequence[object]], *,
               numeric: Sequence[bool] | None = None) -> str:
    """A plain-text table: columns padded, numeric columns right-aligned.

    Examples
    --------
    >>> print(text_table(["a", "b"], [["x", "1"], ["yy", "22"]], numeric=[False, True]))
    a    b
    --  --
    x    1
    yy  22
    """
    cells = [[str(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    numeric = list(numeric) if numeric is not None else [False] * len(headers)

    def line(values):
        out = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)]
        return "  ".join(out).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in cells])


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``frame`` safe to open in a spreadsheet: text cells that start with
    ``= + - @``, a tab or a carriage return are prefixed with ``'``; numbers stay numbers.

    References
    ----------
    OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection

    Examples
    --------
    >>> neutralise(pd.DataFrame({"a": ["=1+1", "ok", "-2"], "n": [-1.5, 2.0, 3.0]})).to_dict("list")
    {'a': ["'=1+1", 'ok', "'-2"], 'n': [-1.5, 2.0, 3.0]}
    """
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_datetime64_any_dtype(series.dtype):
            continue
        text = series.astype("string")
        risky = text.str.startswith(FORMULA_PREFIXES).fillna(False).to_numpy(dtype=bool)
        risky &= np.array([isinstance(v, str) for v in series.to_numpy(dtype=object)], dtype=bool)
        if risky.any():
            values = series.to_numpy(dtype=object).copy()
            values[risky] = ["'" + v for v in values[risky]]
            out[column] = pd.Series(values, index=series.index, dtype=object)
    out.columns = [_safe_text(c) for c in out.columns]
    return out


def _safe_text(value: object) -> object:
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) else value


def _plain(value):
    """A JSON-ready scalar: numpy scalars as Python ones, non-finite floats as None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):
        return _plain(value.item())
    return value


def plain_records(frame: pd.DataFrame) -> list[dict]:
    """The rows of ``frame`` as JSON-ready dicts (numpy scalars as Python ones, NaN and infinities as None).

    Examples
    --------
    >>> import numpy as np
    >>> plain_records(pd.DataFrame({"a": [1.5, np.nan], "b": ["x", "y"]}))
    [{'a': 1.5, 'b': 'x'}, {'a': None, 'b': 'y'}]
    """
    return [{k: _plain(v) for k, v in row.items()} for row in frame.astype(object).to_dict("records")]
