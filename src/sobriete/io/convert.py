"""Distinct values and integer codes of columns, for the vectorised stages of the readers.

Numbers and dates are parsed by :mod:`sobriete.parsing` (the one parser shared with the API).
"""

from __future__ import annotations

import numpy as np
import pandas as pd



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
