"""Table layouts as people save them from a spreadsheet: title lines above the header, cells
merged down over several rows, a total line at the bottom. Pure functions over cells, for the
readers (:mod:`sobriete.io.readers`)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..schema import normalise_name

#: Rows searched for a table's header.
HEADER_SCAN = 20


def header_row(filled: np.ndarray) -> int:
    """Index of a sheet's header row: the first row holding a value, past title lines. A row
    of one or two cells is a title line (« Inventaire du parc — extraction du 14/11/2025 »)
    when a row below it, among the first :data:`HEADER_SCAN` holding a value, is more than
    twice as wide.

    Examples
    --------
    >>> header_row(np.array([[True, False, False], [True, True, True], [True, True, True]]))
    1
    >>> header_row(np.array([[False, False], [True, True], [True, False]]))
    1
    """
    return header_index(filled.sum(axis=1))


def header_index(counts: np.ndarray) -> int:
    """:func:`header_row` from the number of cells holding a value in each row."""
    rows = np.flatnonzero(counts)[:HEADER_SCAN]
    for position, row in enumerate(rows):
        if counts[row] > 2 or 2 * counts[row] >= counts[rows[position:]].max():
            return int(row)
    return int(rows[0])


def fill_merged_down(block: np.ndarray, ranges) -> None:
    """Give every row of a merged range the value of its top-left cell, in the range's first
    column (``A5:A6`` merged over two devices of one commune: both rows name it). Only down:
    a merge across columns is layout (a title over the table), its value stays in one cell."""
    for (r0, c0), (r1, _) in ranges:
        if r1 > r0 and 0 <= r0 < block.shape[0] and 0 <= c0 < block.shape[1]:
            block[r0 + 1:r1 + 1, c0] = block[r0, c0]


#: Labels of a spreadsheet's total line (compared normalised).
TOTAL_LABELS = frozenset(normalise_name(t) for t in ("Total", "Totaux", "Total général", "Sous-total", "Grand total"))
#: Last rows searched for a total line.
TOTAL_SCAN = 5
_NUMBER_LIKE = re.compile(r"^\s*(=.*|[-+]?[\d\s\u00a0\u202f.,]*%?)\s*$")


def total_rows(frame: pd.DataFrame) -> list[tuple[int, str, str]]:
    """The total lines of a table: ``(position, column, label)`` of each of the last
    :data:`TOTAL_SCAN` rows whose only text is a total label (« Total », « Total général »,
    « Sous-total »...), the other cells numbers or formulas: a spreadsheet's sum, not an item.

    Examples
    --------
    >>> frame = pd.DataFrame({"Entité": ["Commune 01", "Total"], "Type": ["Écran", None], "Qté": ["2", "2"]})
    >>> total_rows(frame)
    [(1, 'Entité', 'Total')]
    >>> total_rows(frame.assign(Type=["Écran", "Total"], Entité=["Commune 01", "Mairie"]))
    []
    """
    tail = frame.iloc[-TOTAL_SCAN:]
    found = []
    for position, record in enumerate(tail.itertuples(index=False), len(frame) - len(tail)):
        cells = [(c, v) for c, v in zip(frame.columns, record) if v is not None and not pd.isna(v)]
        label = [(c, v) for c, v in cells if isinstance(v, str) and normalise_name(v) in TOTAL_LABELS]
        others = [v for c, v in cells if (c, v) not in label]
        if len(label) == 1 and all(not isinstance(v, str) or _NUMBER_LIKE.match(v) for v in others):
            found.append((position, str(label[0][0]), label[0][1]))
    return found


__all__ = ["HEADER_SCAN", "TOTAL_LABELS", "TOTAL_SCAN", "fill_merged_down", "header_index", "header_row", "total_rows"]
