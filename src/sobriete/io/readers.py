"""Readers: CSV (as French offices write it), XLSX and Parquet files to raw string tables.

A reader returns the source's cells with their headers stripped of spaces, entirely blank
rows removed (and counted), and the frame's index set to the row number a user sees in the
source: the line number in a CSV file (the header is line 1; a quoted cell spanning several
lines is accounted for), the row number in an Excel sheet, the 1-based row in a Parquet
file. No value is interpreted here: see :mod:`sobriete.io.mapping`.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import InputFormatError, UnknownNameError
from .convert import recode

#: Suffixes read when a folder is given.
SUFFIXES = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xlsx",
            ".parquet": "parquet", ".pq": "parquet"}
#: CSV separators tried by the sniffer, preferred first on a tie.
SEPARATORS = (";", ",", "\t", "|")
_SNIFF_BYTES = 1 << 16
_BLOCK_BYTES = 1 << 20
_SAMPLE_ROWS = 10_000

try:  # python-calamine reads XLSX 5-10x faster than openpyxl (Rust); openpyxl is the fallback.
    import python_calamine  # noqa: F401
    XLSX_ENGINE = "calamine"
except ImportError:  # pragma: no cover - depends on the environment
    XLSX_ENGINE = "openpyxl"


@dataclass
class RawTable:
    """Cells of one source table, before mapping.

    Attributes
    ----------
    frame : DataFrame
        Source columns (headers stripped), index = source row numbers; CSV cells are strings.
    file : str
        The path as given.
    kind : str
        ``csv``, ``xlsx`` or ``parquet``.
    decimal : str
        The decimal mark to assume for ambiguous numbers such as ``1.234``: ``","`` unless the
        file is a comma-separated CSV.
    blank_rows : int
        Entirely blank rows skipped.
    notes : list of str
        What was detected (encoding, separator), for the warnings.
    """

    frame: pd.DataFrame
    file: str
    kind: str
    decimal: str = ","
    blank_rows: int = 0
    notes: list[str] = field(default_factory=list)


def file_kind(path: Path, head: bytes) -> str:
    """``csv``, ``xlsx`` or ``parquet`` from the first bytes, else from the suffix.

    Examples
    --------
    >>> file_kind(Path("a.csv"), b"PAR1....")
    'parquet'
    >>> file_kind(Path("a.dat"), b"Nom;Type")
    'csv'
    """
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xlsx"
    return SUFFIXES.get(path.suffix.lower(), "csv")


def read_raw(path: str | Path, *, sheet: str | int | None = None) -> RawTable:
    """Read one CSV, XLSX or Parquet file into a :class:`RawTable`.

    Raises
    ------
    InputFormatError
        Missing, empty, binary or unreadable file; a CSV line with too many fields.
    UnknownNameError
        An XLSX sheet that does not exist.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFormatError("input file not found" if not path.exists() else "input is not a file",
                               file=str(path), code="file_not_found" if not path.exists() else "not_a_file")
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    kind = file_kind(path, head)
    if kind == "parquet":
        table = _read_parquet(path)
    elif kind == "xlsx":
        table = _read_xlsx(path, sheet)
    else:
        table = _read_csv(path)
    frame, blank = _drop_blank_rows(table.frame)
    table.frame, table.blank_rows = frame, blank
    if frame.shape[1] == 0:
        raise InputFormatError("no column header found: the file is empty", file=str(path), code="no_header")
    return table


# --------------------------------------------------------------------------- CSV
def detect_encoding(data: bytes) -> str:
    """Encoding of a text file: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252.

    Examples
    --------
    >>> detect_encoding("Entité".encode("cp1252"))
    'cp1252'
    >>> detect_encoding("\\ufeffEntité".encode("utf-8"))
    'utf-8-sig'
    """
    return _detect_encoding(lambda: iter((data,)))


def _detect_encoding(blocks: Callable[[], Iterator[bytes]]) -> str:
    """:func:`detect_encoding` over the blocks of a file, never holding the whole text."""
    first = next(blocks(), b"")
    if first.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for block in blocks():
            decoder.decode(block)
        decoder.decode(b"", final=True)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    undefined = re.compile(b"[\\x81\\x8d\\x8f\\x90\\x9d]")  # bytes cp1252 leaves undefined
    return "latin-1" if any(undefined.search(block) for block in blocks()) else "cp1252"


def sniff_separator(text: str) -> str:
    """The separator of a CSV sample: the candidate found in the header whose count is the same
    on most lines (quoted parts ignored); ``;`` wins a tie (French exports).

    Examples
    --------
    >>> sniff_separator("Nom;Puissance\\nPC 1;1,5\\nPC 2;2,25\\n")
    ';'
    >>> sniff_separator("name,power\\nPC 1,1.5\\n")
    ','
    """
    lines = [re.sub(r'"[^"]*"', "", line) for line in text.splitlines() if line.strip()][:50]
    if not lines:
        return ";"
    best, best_score = ";", (-1.0, 0)
    for sep in SEPARATORS:
        expected = lines[0].count(sep)
        if expected == 0:
            continue
        body = lines[1:] or lines[:1]
        consistent = sum(line.count(sep) == expected for line in body) / len(body)
        score = (consistent, expected)
        if score > best_score:
            best, best_score = sep, score
    return best


def _blocks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        yield from iter(lambda: handle.read(_BLOCK_BYTES), b"")


def _read_csv(path: Path) -> RawTable:
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf") and len(head) < _SNIFF_BYTES:
        raise InputFormatError("the file is empty", file=str(path), code="empty_file")
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputFormatError("the file is binary, not a CSV text file; give a CSV, XLSX or Parquet file",
                               file=str(path), code="binary_file")
    encoding = _detect_encoding(lambda: _blocks(path))  # by blocks: the file is never held whole
    quoted = any(b'"' in block for block in _blocks(path))
    text_head = head.decode(encoding, errors="replace")
    sep = sniff_separator(text_head)
    options = dict(sep=sep, encoding=encoding, skip_blank_lines=False, keep_default_na=False, na_values=[""],
                   engine="c")
    try:
        frame = pd.read_csv(path, dtype=_csv_dtypes(path, options), **options)
    except pd.errors.EmptyDataError:
        raise InputFormatError("the file is empty", file=str(path), code="empty_file") from None
    except pd.errors.ParserError as exc:
        line = re.search(r"line (\d+), saw (\d+)", str(exc))
        if line:
            raise InputFormatError(f"line {line.group(1)} has {line.group(2)} fields where the header has "
                                   f"fewer (separator '{sep}'); quote cells that contain the separator",
                                   file=str(path), row=int(line.group(1)),
                                   code="too_many_fields", fields=int(line.group(2)), sep=sep) from None
        raise InputFormatError(f"cannot parse the CSV file: {exc}", file=str(path),
                               code="csv_unreadable", detail=str(exc)) from None
    except UnicodeDecodeError as exc:  # pragma: no cover - _detect_encoding read the whole file
        raise InputFormatError(f"cannot decode the file as {encoding}: {exc}", file=str(path),
                               code="undecodable", encoding=encoding, detail=str(exc)) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    header_lines = 1 + sum(str(c).count("\n") for c in frame.columns)
    frame.index = _line_numbers(frame, quoted, header_lines)
    notes = [f"{path.name}: encoding {encoding.removesuffix('-sig')}, separator '{sep}'"]
    return RawTable(frame, str(path), "csv", decimal="." if sep == "," else ",", notes=notes)


def _csv_dtypes(path: Path, options: dict) -> dict[str, str] | str:
    """Categorical for the columns that repeat their values, ``str`` for the others.

    A categorical keeps one string per distinct value and small integer codes per row, never
    a Python string per cell; a column of names or serial numbers (mostly distinct values in
    the first :data:`_SAMPLE_ROWS` rows) is cheaper as ``str`` (Arrow-backed, one buffer),
    and would make the parser merge large per-chunk category sets.
    """
    try:
        sample = pd.read_csv(path, nrows=_SAMPLE_ROWS, dtype=str, **options)
    except (ValueError, UnicodeDecodeError):  # the full read reports the error with its line
        return "category"
    if len(sample) < _SAMPLE_ROWS:
        return "category"
    return {c: "str" if sample[c].nunique() > len(sample) // 2 else "category" for c in sample.columns}


def _line_numbers(frame: pd.DataFrame, quoted: bool, header_lines: int) -> pd.Index:
    """Line number of each parsed record, counting newlines inside quoted cells (on the
    distinct values of each categorical column)."""
    n = len(frame)
    first = header_lines + 1
    if n == 0 or not quoted:
        return pd.RangeIndex(first, first + n, name="row")
    embedded = np.zeros(n, dtype=np.int64)
    for column in frame.columns:
        series = frame[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            per_value = series.cat.categories.astype(str).str.count("\n").to_numpy(dtype=np.int64)
            if per_value.any():
                embedded += np.append(per_value, 0)[series.cat.codes.to_numpy()]
        else:
            embedded += series.str.count("\n").fillna(0).to_numpy(dtype=np.int64)
    lines = np.arange(first, first + n, dtype=np.int64)
    if embedded.any():
        lines = lines + np.concatenate([[0], np.cumsum(embedded)[:-1]])
    return pd.Index(lines, name="row")


# --------------------------------------------------------------------------- XLSX and Parquet
def _read_xlsx(path: Path, sheet: str | int | None) -> RawTable:
    try:
        book = pd.ExcelFile(path, engine=XLSX_ENGINE)
    except Exception as exc:  # zip/xml/calamine errors have no common base class
        raise InputFormatError(f"cannot open the file as an Excel workbook ({type(exc).__name__}: {exc})",
                               file=str(path), code="xlsx_unreadable", detail=f"{type(exc).__name__}: {exc}") from None
    with book:
        names = book.sheet_names
        if sheet is None:
            sheet = names[0]
        elif isinstance(sheet, str) and sheet not in names:
            raise UnknownNameError("sheet", sheet, names, file=str(path))
        elif isinstance(sheet, int) and not 0 <= sheet < len(names):
            raise UnknownNameError("sheet", sheet, names, file=str(path))
        try:
            cells = pd.read_excel(book, sheet_name=sheet, header=None, dtype=object)
        except Exception as exc:  # noqa: BLE001 - any reader failure becomes one clear sentence
            raise InputFormatError(f"cannot read sheet {sheet!r} ({type(exc).__name__}: {exc})",
                                   file=str(path),
                                   code="sheet_unreadable", sheet=sheet,
                                   detail=f"{type(exc).__name__}: {exc}") from None
    cells.index = pd.RangeIndex(1, len(cells) + 1, name="row")  # Excel row numbers
    filled = cells.notna() & cells.ne("")
    header_at = np.flatnonzero(filled.any(axis=1).to_numpy())
    if len(header_at) == 0:
        raise InputFormatError(f"sheet {sheet!r} is empty", file=str(path), code="empty_sheet", sheet=sheet)
    h = header_at[0]
    header = cells.iloc[h]
    keep = filled.iloc[h].to_numpy() | filled.iloc[h + 1:].any(axis=0).to_numpy()
    frame = cells.iloc[h + 1:, keep].copy()
    frame.columns = [str(c).strip() if pd.notna(c) else f"column {i + 1}"
                     for i, c in zip(np.flatnonzero(keep), header[keep])]
    frame = frame.infer_objects()
    return RawTable(frame, str(path), "xlsx", notes=[f"{path.name}: sheet {sheet!r}"])


def _read_parquet(path: Path) -> RawTable:
    try:
        # Text columns come as categoricals (dictionary-encoded), never one string per row.
        schema = pq.read_schema(path)
        text = [f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
        frame = pd.read_parquet(path, read_dictionary=text or None)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises many types
        raise InputFormatError(f"cannot read the file as Parquet ({type(exc).__name__}: {exc})",
                               file=str(path),
                               code="parquet_unreadable", detail=f"{type(exc).__name__}: {exc}") from None
    if not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index(drop=True)
    frame.columns = [str(c).strip() for c in frame.columns]
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    return RawTable(frame, str(path), "parquet", decimal=".")


# --------------------------------------------------------------------------- cleaning
def _drop_blank_rows(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Strip string cells, turn empty strings into missing values, drop all-missing rows."""
    frame = frame.loc[:, [not (str(c).startswith("Unnamed: ") and frame[c].isna().all()) for c in frame.columns]]
    cleaned = {}
    for column in frame.columns:
        series = frame[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = _strip_categories(series)
        elif pd.api.types.is_string_dtype(series.dtype):
            stripped = series.str.strip()  # NaN for the non-string cells of an object column: keep those
            series = stripped.where(stripped.notna() | series.isna(), series)
            series = series.mask(series.eq("").fillna(False).astype(bool))
        cleaned[column] = series
    frame = pd.DataFrame(cleaned, index=frame.index, copy=False)
    if frame.shape[1] == 0:
        return frame, 0
    blank = np.ones(len(frame), dtype=bool)
    for column in frame.columns:
        blank &= frame[column].isna().to_numpy()
    n_blank = int(blank.sum())
    return (frame.loc[~blank] if n_blank else frame), n_blank


def _strip_categories(series: pd.Series) -> pd.Series:
    """:func:`_drop_blank_rows`' cleaning on the categories of a categorical: text categories
    stripped (those equal once stripped merged), empty ones missing; rows only recoded."""
    categories = series.cat.categories
    if pd.api.types.infer_dtype(categories, skipna=True) != "string":
        return series
    stripped = pd.Series(categories.astype(str).str.strip())
    if (stripped.to_numpy() == categories.to_numpy()).all() and not stripped.eq("").any():
        return series
    codes, uniques = pd.factorize(stripped.mask(stripped.eq("")), use_na_sentinel=True)
    new_codes = recode(series.cat.codes.to_numpy(), codes, len(uniques))
    return pd.Series(pd.Categorical.from_codes(new_codes, pd.Index(uniques)), index=series.index, name=series.name)
