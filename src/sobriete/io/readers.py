"""Readers: CSV (as French offices write it), XLSX and Parquet files to raw string tables.

A reader returns the source's cells with their headers stripped of spaces, entirely blank
rows removed (and counted), and the frame's index set to the row number a user sees in the
source: the line number in a CSV file (the header is line 1; a quoted cell spanning several
lines is accounted for), the row number in an Excel sheet, the 1-based row in a Parquet
file. No value is interpreted here: see :mod:`sobriete.io.mapping`.

Every data line is a row: a CSV record with more fields than the header is a bad row
(:attr:`RawTable.bad_rows`, rejected with its reason), never a shifted one; a record with
fewer fields has its missing cells empty. Sizes are bounded before anything large is
allocated: :data:`MAX_COLUMNS` columns, and an XLSX sheet is read from the cells that hold a
value (:data:`MAX_SHEET_CELLS` at most), whatever its ``dimension`` tag or a stray far cell.
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

from ..errors import InputFormatError, SobrieteError, UnknownNameError
from .convert import recode
from .layout import HEADER_SCAN, fill_merged_down, header_index, header_row, total_rows

#: Suffixes read when a folder is given.
SUFFIXES = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xlsx",
            ".parquet": "parquet", ".pq": "parquet"}
#: CSV separators tried by the sniffer, preferred first on a tie.
SEPARATORS = (";", ",", "\t", "|")
_SNIFF_BYTES = 1 << 16
_BLOCK_BYTES = 1 << 20
_SAMPLE_ROWS = 10_000
#: Most columns a file may have (a header of 10⁵ columns is refused at once, in one sentence).
MAX_COLUMNS = 1_000
#: Most cells (rows × columns of the area holding values) read from one XLSX sheet.
MAX_SHEET_CELLS = 50_000_000
_BAD_ROW_COLUMNS = ["row", "column", "value", "reason_code", "reason"]


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
    headers : tuple of str
        The source headers as written, one per frame column (the frame's names are made unique:
        a repeated header ``category`` becomes ``category #2``); empty: the frame's names.
    bad_rows : DataFrame
        ``row, column, value, reason_code, reason``: rows the reader itself rejects (a CSV
        record with more fields than the header); they count as rows read.
    refused : dict
        ``{column: type}``: columns whose type cannot be read (a Parquet struct or list...).
    title_rows : tuple of int
        Row numbers of the title lines above the header, skipped.
    skipped_sheets : tuple of str
        Sheets before :attr:`sheet` that hold no table a profile reads (no sheet was named).
    sheet : str
        The sheet read, for a workbook.
    """

    frame: pd.DataFrame
    file: str
    kind: str
    decimal: str = ","
    blank_rows: int = 0
    notes: list[str] = field(default_factory=list)
    headers: tuple[str, ...] = ()
    bad_rows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_BAD_ROW_COLUMNS))
    refused: dict[str, str] = field(default_factory=dict)
    title_rows: tuple[int, ...] = ()
    skipped_sheets: tuple[str, ...] = ()
    sheet: str | None = None

    def header_of(self, column: str) -> str:
        """The source header of a frame column (``category #2`` → ``category``)."""
        if not self.headers:
            return str(column)
        return self.headers[list(self.frame.columns).index(column)] if column in self.frame.columns else str(column)


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
    headers = table.headers or tuple(str(c) for c in table.frame.columns)
    blank_between = int(table.frame.attrs.pop("blank_rows", 0))
    table.title_rows = tuple(table.frame.attrs.pop("title_rows", table.title_rows))
    frame, blank = _drop_blank_rows(table.frame)
    table.headers = tuple(h for h, c in zip(headers, table.frame.columns) if c in frame.columns)
    table.frame, table.blank_rows = frame, blank + blank_between
    if kind != "parquet":
        table.frame, totals = _split_total_rows(table)
        table.bad_rows = pd.concat([table.bad_rows, totals], ignore_index=True) if len(totals) else table.bad_rows
    if frame.shape[1] == 0 and table.refused:
        column, kind = next(iter(table.refused.items()))
        raise refused_column(table, column, kind)
    if frame.shape[1] == 0:
        raise InputFormatError("no column header found: the file is empty", file=str(path), code="no_header")
    return table


def _split_total_rows(table: RawTable) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The frame without its total lines (:func:`.layout.total_rows`), and those lines as bad
    rows (reason ``total_row``): read, counted, rejected."""
    frame = table.frame
    found = total_rows(frame)
    if not found:
        return frame, pd.DataFrame(columns=_BAD_ROW_COLUMNS)
    rows = [position for position, _, _ in found]
    bad = pd.DataFrame({"row": frame.index.to_numpy()[rows], "column": [table.header_of(c) for _, c, _ in found],
                        "value": [label for _, _, label in found], "reason_code": "total_row",
                        "reason": "a spreadsheet total line, not an item: left out"}, columns=_BAD_ROW_COLUMNS)
    keep = np.ones(len(frame), dtype=bool)
    keep[rows] = False
    return frame.iloc[keep], bad


def refused_column(table: RawTable, column: str, kind: str) -> InputFormatError:
    return InputFormatError(f"column '{column}' is of type {kind}, which sobriete cannot read: store it as "
                            "numbers, text or dates, or remove it", file=table.file, column=column,
                            code="refused_column", kind=kind)


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
    sep = sniff_separator(head.decode(encoding, errors="replace"))
    header, header_lines, first_fields, above, titles = _csv_header(path, encoding, sep)
    names = unique_headers(header)
    options = dict(sep=sep, encoding=encoding, skip_blank_lines=False, keep_default_na=False, na_values=[""],
                   engine="c", header=0, **({"skiprows": above} if above else {}))
    bad_rows = pd.DataFrame(columns=_BAD_ROW_COLUMNS)
    # a first record longer than the header would be taken for an index: read it wide at once
    frame = _fast_csv(path, options, names, encoding) if first_fields <= len(names) else None
    if frame is None:  # a record with more fields than the header: room for extra fields
        wide = _fast_csv(path, {**options, "header": None, "skiprows": above + 1},  # skiprows counts records
                         [*names, *(f"{_EXTRA}{k}" for k in range(_EXTRA_FIELDS))], encoding)
        if wide is not None:
            wide.index = _line_numbers(wide, quoted, header_lines)
            frame, bad_rows = _split_long_records(wide, len(names), sep)
    else:
        frame.index = _line_numbers(frame, quoted, header_lines)
    if frame is None:  # more extra fields than that: record by record
        frame, bad_rows = _read_csv_records(path, encoding, sep, names, above)
    notes = [f"{path.name}: encoding {encoding.removesuffix('-sig')}, separator '{sep}'"]
    return RawTable(frame, str(path), "csv", decimal="." if sep == "," else ",", notes=notes,
                    headers=tuple(str(h).strip() for h in header), bad_rows=bad_rows, title_rows=titles)


_EXTRA = "\x00extra field "
#: Extra fields a long record may have and still be read by the fast parser.
_EXTRA_FIELDS = 16


def _fast_csv(path: Path, options: dict, names: list[str], encoding: str) -> pd.DataFrame | None:
    """pandas' C parser with these column ``names``; None when a record has more fields (or
    the first record has more, which pandas would take for an index)."""
    try:
        frame = pd.read_csv(path, dtype=_csv_dtypes(path, {**options, "names": names}), names=names, **options)
    except pd.errors.EmptyDataError:
        raise InputFormatError("the file is empty", file=str(path), code="empty_file") from None
    except pd.errors.ParserError:
        return None
    except UnicodeDecodeError as exc:  # a UTF-16 file cut in the middle of a character
        raise InputFormatError(f"cannot decode the file as {encoding}: {_detail(exc)}", file=str(path),
                               code="undecodable", encoding=encoding, detail=_detail(exc)) from None
    return frame if isinstance(frame.index, pd.RangeIndex) else None


def _split_long_records(wide: pd.DataFrame, width: int, sep: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The records of a frame read with extra columns: those with a value beyond the header's
    ``width`` fields are bad rows (their cells joined back as the value), the others the frame."""
    extra = wide.iloc[:, width:]
    filled = np.column_stack([extra[c].notna().to_numpy() for c in extra.columns])
    long = filled.any(axis=1)
    fields = width + extra.shape[1] - np.argmax(filled[:, ::-1], axis=1)
    rows = np.flatnonzero(long)
    cells = wide.iloc[rows].astype(object)
    values = [sep.join("" if pd.isna(v) else str(v) for v in record[:n])
              for record, n in zip(cells.itertuples(index=False), fields[rows])]
    bad_rows = pd.DataFrame({
        "row": wide.index.to_numpy()[rows], "column": "", "value": [v if len(v) <= 200 else v[:199] + "…" for v in values],
        "reason_code": "too_many_fields",
        "reason": [f"{n} fields, the header has {width}: quote cells that contain the separator '{sep}'"
                   for n in fields[rows]]}, columns=_BAD_ROW_COLUMNS)
    return wide.iloc[~long, :width], bad_rows


def _csv_reader(handle, sep: str):
    import csv

    csv.field_size_limit(1 << 27)
    return csv.reader(handle, delimiter=sep, quotechar='"', doublequote=True, strict=False)


def _csv_header(path: Path, encoding: str, sep: str) -> tuple[list[str], int, int, int, tuple[int, ...]]:
    """The header record's fields (read alone, however wide), the last line it ends on, the
    number of fields of the first data record, the records above it (title lines) and the line
    numbers of those holding a value."""
    import csv

    with path.open("r", encoding=encoding, newline="", errors="replace") as handle:
        reader = _csv_reader(handle, sep)
        records, ends = [], []
        try:
            for record in reader:
                records.append(record)
                ends.append(reader.line_num)
                if len(records) > HEADER_SCAN or len(record) > MAX_COLUMNS:
                    break
        except csv.Error as exc:
            if not records:
                raise InputFormatError(f"cannot parse the CSV file: {_detail(exc)}", file=str(path),
                                       code="csv_unreadable", detail=_detail(exc)) from None
        if not records or not any(h.strip() for h in records[0]):
            raise InputFormatError("the file is empty", file=str(path), code="empty_file")
        # title lines above the header (« Inventaire du parc;;; »): skipped as in a sheet
        counts = np.array([sum(bool(c.strip()) for c in r) for r in records[:HEADER_SCAN]], dtype=np.int64)
        h = header_index(counts) if len(records) > 1 else 0
        header = records[h]
        if len(header) > MAX_COLUMNS:
            raise _too_many_columns(path, len(header))
        first = records[h + 1] if len(records) > h + 1 else []
        titles = tuple(ends[i] for i in range(h) if counts[i])
        return [c.lstrip("\ufeff") for c in header], ends[h], len(first), h, titles


def unique_headers(header) -> list[str]:
    """Frame names of a header: stripped, empty ones ``Unnamed: N``, repeats ``name #2``...

    Examples
    --------
    >>> unique_headers(["category", " category ", "", "x"])
    ['category', 'category #2', 'Unnamed: 3', 'x']
    """
    names, seen = [], set()
    for position, raw in enumerate(header, start=1):
        name = str(raw).strip() or f"Unnamed: {position}"
        base, k = name, 1
        while name in seen:
            k += 1
            name = _duplicate_name(base, k - 1)
        seen.add(name)
        names.append(name)
    return names


def _read_csv_records(path: Path, encoding: str, sep: str, names: list[str],
                      above: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Record-by-record reading of a CSV file that has records with more fields than its header
    (the fast parser refuses them): every record is a row; a record with more fields than the
    header (extra cells not all empty) is a bad row with its reason; fewer fields leave the
    missing cells empty."""
    import csv

    width = len(names)
    rows, lines, bad = [], [], []
    with path.open("r", encoding=encoding, newline="", errors="replace") as handle:
        reader = _csv_reader(handle, sep)
        try:
            for _ in range(above + 1):  # title lines, then the header
                next(reader)
            last = reader.line_num
            for record in reader:
                line, last = last + 1, reader.line_num
                if len(record) > width and any(cell.strip() for cell in record[width:]):
                    text = sep.join(record)
                    bad.append((line, f"{len(record)} fields", text if len(text) <= 200 else text[:199] + "…",
                                len(record)))
                    continue
                rows.append((record + [None] * (width - len(record)))[:width])
                lines.append(line)
        except csv.Error as exc:
            raise InputFormatError(f"cannot parse the CSV file: {_detail(exc)}", file=str(path), row=last + 1,
                                   code="csv_unreadable", detail=_detail(exc)) from None
    frame = pd.DataFrame(rows, columns=names, dtype=object) if rows else \
        pd.DataFrame({n: pd.Series([], dtype=object) for n in names})
    frame.index = pd.Index(np.asarray(lines, dtype=np.int64), name="row")
    bad_rows = pd.DataFrame({
        "row": [b[0] for b in bad], "column": "", "value": [b[2] for b in bad], "reason_code": "too_many_fields",
        "reason": [f"{b[3]} fields, the header has {width}: quote cells that contain the separator '{sep}'"
                   for b in bad]}, columns=_BAD_ROW_COLUMNS)
    return frame, bad_rows


def _csv_dtypes(path: Path, options: dict) -> dict[str, str] | str:
    """Categorical for the columns that repeat their values, ``str`` for the others.

    A categorical keeps one string per distinct value and small integer codes per row, never
    a Python string per cell; a column of names or serial numbers (mostly distinct values in
    the first :data:`_SAMPLE_ROWS` rows) is cheaper as ``str`` (Arrow-backed, one buffer),
    and would make the parser merge large per-chunk category sets.
    """
    try:
        sample = pd.read_csv(path, nrows=_SAMPLE_ROWS, dtype=str, **options)
    except (ValueError, UnicodeDecodeError):  # the full read handles the error
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
    """Read one sheet bounded by its real content: the cells that hold a value, wherever the
    sheet's ``dimension`` tag, its empty leading rows and columns or a stray far cell say."""
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
    except Exception as exc:  # noqa: BLE001 - zip/xml/calamine errors have no common base class
        raise InputFormatError(f"cannot open the file as an Excel workbook ({_detail(exc)})",
                               file=str(path), code="xlsx_unreadable", detail=_detail(exc)) from None
    if sheet is None:
        sheet = names[0] if names else 0
    elif (isinstance(sheet, str) and sheet not in names) or (isinstance(sheet, int) and not 0 <= sheet < len(names)):
        raise UnknownNameError("sheet", sheet, names, file=str(path))
    index = names.index(sheet) if isinstance(sheet, str) else sheet
    try:
        extent = _sheet_extent(path, index)
        if extent is not None and extent <= MAX_SHEET_CELLS:
            cells = _calamine_cells(book.get_sheet_by_index(index))
        else:  # unknown or huge extent: stream the sheet's XML, keeping the cells that hold a value
            cells = _streamed_cells(path, index)
    except SobrieteError:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure becomes one clear sentence
        raise InputFormatError(f"cannot read sheet {sheet!r} ({_detail(exc)})", file=str(path),
                               code="sheet_unreadable", sheet=sheet, detail=_detail(exc)) from None
    frame = _frame_from_cells(cells, path, sheet)
    headers = frame.attrs.pop("headers")
    return RawTable(frame, str(path), "xlsx", notes=[f"{path.name}: sheet {sheet!r}"], headers=headers,
                    sheet=names[index] if names else None)


def sheet_names(path: str | Path) -> list[str]:
    """The sheets of a workbook, in order (empty for a file that is not one)."""
    import python_calamine

    try:
        return list(python_calamine.CalamineWorkbook.from_path(str(path)).sheet_names)
    except Exception:  # noqa: BLE001 - not a workbook: read_raw says why
        return []


# A cell reference attribute (r="XFD1048576"); rows' r="12" have no letters. Cells without
# one (allowed, rare) make the counts differ: the sheet is then streamed.
_CELL_COLUMN = re.compile(rb"\sr=\"([A-Z]{1,3})[0-9]{1,7}\"")
_CELL_ROW = re.compile(rb"\sr=\"[A-Z]{1,3}([0-9]{1,7})\"")


def _sheet_extent(path: Path, index: int) -> int | None:
    """Cells of the rectangle spanned by the sheet's cell references (empty styled cells
    included, so never less than what calamine allocates); None when unknown (not an XLSX
    zip, or cells without a reference)."""
    import zipfile

    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:  # .xls: at most 65,536 × 256 cells
        return 65_536 * 256
    with archive:
        member = _sheet_member(archive, index)
        if member is None:
            return None
        letters, low, high, tags, refs = set(), 1 << 31, 0, 0, 0
        tail = b""
        with archive.open(member) as source:
            for block in iter(lambda: source.read(1 << 22), b""):
                text = tail + block
                cut = max(text.rfind(b"<"), 0) if len(block) == 1 << 22 else len(text)
                body, tail = text[:cut], text[cut:]
                tags += body.count(b"<c ") + body.count(b"<c>")  # prefixed tags (<x:c) count 0: streamed
                found = _CELL_COLUMN.findall(body)
                refs += len(found)
                letters.update(found)
                rows = np.array(_CELL_ROW.findall(body) or [b"0"]).astype(np.int64)
                low, high = min(low, int(rows.min()) or low), max(high, int(rows.max()))
        if tags != refs:
            return None
        if not refs:
            return 0
        columns = [sum((ch - 64) * 26 ** k for k, ch in enumerate(reversed(text))) for text in letters]
        return (high - low + 1) * (max(columns) - min(columns) + 1)


def _sheet_member(archive, index: int) -> str | None:
    """Zip member of the ``index``-th sheet, from the workbook's relationships."""
    import xml.etree.ElementTree as ET

    try:
        workbook = ET.fromstring(archive.read("xl/workbook.xml"))
        rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ET.ParseError):
        return None
    sheets = [e for e in workbook.iter() if e.tag.endswith("}sheet") or e.tag == "sheet"]
    if not 0 <= index < len(sheets):
        return None
    rid = next((v for k, v in sheets[index].attrib.items() if k.endswith("}id")), None)
    target = next((r.get("Target") for r in rels.iter() if r.get("Id") == rid), None)
    if target is None:
        return None
    member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return member if member in archive.namelist() else None


def _calamine_cells(sheet) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The dense block of a calamine sheet's used area (2-D object array), with the Excel row
    and column numbers (1-based) of its rows and columns."""
    top, left = sheet.start or (0, 0)
    lines = sheet.to_python(skip_empty_area=True)
    width = max((len(line) for line in lines), default=0)
    block = np.empty((len(lines), width), dtype=object)
    for i, line in enumerate(lines):
        block[i, :len(line)] = line
    fill_merged_down(block, [((r0 - top, c0 - left), (r1 - top, c1 - left))
                              for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])])
    return block, top + 1 + np.arange(len(lines)), left + 1 + np.arange(width)


def _streamed_cells(path: Path, index: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_calamine_cells` by streaming the sheet's XML with openpyxl's parser: memory in
    proportion to the cells that hold a value, whatever the sheet's extent (the block spans
    only the rows and columns that hold one)."""
    import openpyxl
    from openpyxl.worksheet._reader import WorkSheetParser

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[index]
        rows, cols, values = [], [], []
        with sheet._get_source() as source:
            parser = WorkSheetParser(source, sheet._shared_strings, data_only=True, epoch=book.epoch,
                                     date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
            for _, row in parser.parse():
                for cell in row:
                    if cell["value"] is not None and cell["value"] != "":
                        rows.append(cell["row"])
                        cols.append(cell["column"])
                        values.append(cell["value"])
                if len(values) > MAX_SHEET_CELLS:
                    raise InputFormatError(
                        f"sheet {sheet.title!r} holds more than {MAX_SHEET_CELLS:,} cells; save it as CSV or "
                        "Parquet", file=str(path), code="sheet_too_large", sheet=sheet.title, limit=MAX_SHEET_CELLS)
        return _block_of(np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64),
                         np.asarray(values, dtype=object))
    finally:
        book.close()


def _block_of(rows: np.ndarray, cols: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The dense block of sparse cells over the rows and columns that hold a value."""
    row_numbers, col_numbers = np.unique(rows), np.unique(cols)
    if len(col_numbers) > MAX_COLUMNS:  # refused before the block is allocated
        return np.empty((0, len(col_numbers)), dtype=object), row_numbers[:0], col_numbers
    block = np.full((len(row_numbers), len(col_numbers)), None, dtype=object)
    block[np.searchsorted(row_numbers, rows), np.searchsorted(col_numbers, cols)] = values
    return block, row_numbers, col_numbers


def _frame_from_cells(cells: tuple[np.ndarray, np.ndarray, np.ndarray], path: Path, sheet) -> pd.DataFrame:
    """The table of a sheet's block of cells: header = the first row holding a value, columns =
    those holding a header or a value, rows = those holding a value (blank rows between them
    counted in ``attrs['blank_rows']``), index = Excel row numbers."""
    block, row_numbers, col_numbers = cells
    if len(col_numbers) > MAX_COLUMNS:
        raise _too_many_columns(path, len(col_numbers))
    filled = (block != None) & (block != "")  # noqa: E711 - elementwise over an object array
    rows_filled = filled.any(axis=1)
    if not rows_filled.any():
        raise InputFormatError(f"sheet {sheet!r} is empty", file=str(path), code="empty_sheet", sheet=sheet)
    h = header_row(filled)
    keep_cols = filled[h:].any(axis=0)
    if keep_cols.sum() > MAX_COLUMNS:
        raise _too_many_columns(path, int(keep_cols.sum()))
    body = np.flatnonzero(rows_filled[h + 1:]) + h + 1
    header = block[h, keep_cols]
    names = [str(_cell_value(v)).strip() if filled[h, c] else f"column {n}"
             for v, c, n in zip(header, np.flatnonzero(keep_cols), col_numbers[keep_cols])]
    table = block[np.ix_(body, np.flatnonzero(keep_cols))]
    table[~filled[np.ix_(body, np.flatnonzero(keep_cols))]] = None
    frame = pd.DataFrame({i: _column_values(table[:, i]) for i in range(table.shape[1])})
    frame.columns = unique_headers(names)
    frame.attrs["headers"] = tuple(names)
    frame.index = pd.Index(row_numbers[body], name="row")
    last = int(row_numbers[body[-1]]) if len(body) else int(row_numbers[h])
    frame.attrs["blank_rows"] = (last - int(row_numbers[h])) - len(body)
    frame.attrs["title_rows"] = row_numbers[:h][rows_filled[:h]].tolist()
    return frame


def _column_values(cells: np.ndarray) -> pd.Series:
    """A sheet column: numbers as float64 when all are numbers, else the cells as read with
    whole floats as int (:func:`_cell_value`), computed once per distinct value."""
    series = pd.Series(cells, dtype=object).infer_objects()
    if series.dtype != object:
        return series
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    converted = np.array([_cell_value(u) for u in uniques] + [None], dtype=object)
    return pd.Series(converted[codes], dtype=object)


def _cell_value(value):
    """Whole floats as int (an id typed 123 reads '123', not '123.0'); other values as read."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _read_parquet(path: Path) -> RawTable:
    """Read a Parquet file: text as categoricals, decimals as floats, UTF-8 binary as text,
    NaN and infinite floats kept as text (so their rows are rejected with a reason); nested
    and other columns are refused (:attr:`RawTable.refused`)."""
    import pyarrow.compute as pc

    try:
        source = pq.ParquetFile(path)  # not the dataset API: it refuses repeated column names
        if len(source.schema_arrow) > MAX_COLUMNS:
            raise _too_many_columns(path, len(source.schema_arrow))
        text = [f.name for f in source.schema_arrow if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
        if text:  # text read dictionary-encoded: categoricals, never one string per row
            source = pq.ParquetFile(path, read_dictionary=text)
        table = source.read()
    except SobrieteError:
        raise
    except Exception as exc:  # noqa: BLE001 - pyarrow raises many types
        raise InputFormatError(f"cannot read the file as Parquet ({_detail(exc)})",
                               file=str(path),
                               code="parquet_unreadable", detail=_detail(exc)) from None
    columns, refused = {}, {}
    for name, column in zip(table.column_names, table.columns):
        name = str(name).strip()
        kind = column.type
        if pa.types.is_dictionary(kind) and (pa.types.is_string(kind.value_type)
                                             or pa.types.is_large_string(kind.value_type)):
            series = column.to_pandas()
            series = series.astype(pd.CategoricalDtype(series.cat.categories.astype(object)))
            columns.setdefault(name, []).append(series.reset_index(drop=True))
            continue
        if pa.types.is_dictionary(kind):
            kind = kind.value_type
            column = column.cast(kind)
        if pa.types.is_decimal(kind):
            column = column.cast(pa.float64())
        elif pa.types.is_binary(kind) or pa.types.is_large_binary(kind) or pa.types.is_fixed_size_binary(kind):
            try:
                column = column.cast(pa.binary()).cast(pa.string())
            except pa.ArrowInvalid:
                refused[name] = f"{kind} (bytes that are not UTF-8 text)"
                continue
        elif not (pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_boolean(kind)
                  or pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_temporal(kind)
                  or pa.types.is_null(kind)) or pa.types.is_time(kind) or pa.types.is_duration(kind) \
                or pa.types.is_interval(kind):
            refused[name] = str(kind)
            continue
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            series = column.dictionary_encode().to_pandas()
            series = series.astype(pd.CategoricalDtype(series.cat.categories.astype(object)))
        elif pa.types.is_floating(column.type) and (pc.any(pc.is_nan(column)).as_py()
                                                     or pc.any(pc.is_inf(column)).as_py()):
            series = pd.Series(column.to_pandas(), dtype=object)
            floats = column.to_numpy(zero_copy_only=False).astype(float)
            valid = column.is_valid().to_numpy(zero_copy_only=False)
            odd = valid & ~np.isfinite(floats)
            series[odd] = [("nan" if np.isnan(v) else "inf" if v > 0 else "-inf") for v in floats[odd]]
        elif pa.types.is_temporal(column.type):
            series = pd.Series(column.to_pandas(coerce_temporal_nanoseconds=False), dtype=object) \
                if pa.types.is_date(column.type) else column.to_pandas(coerce_temporal_nanoseconds=False)
        else:
            series = column.to_pandas()
        columns.setdefault(name, []).append(series.reset_index(drop=True))
    frame = pd.DataFrame({(n if i == 0 else _duplicate_name(n, i)): s for n, parts in columns.items()
                          for i, s in enumerate(parts)})
    headers = [n for n, parts in columns.items() for _ in parts]
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row") if len(frame.columns) else \
        pd.RangeIndex(1, table.num_rows + 1, name="row")
    if not len(frame.columns) and table.num_rows:
        frame = pd.DataFrame(index=frame.index)
    return RawTable(frame, str(path), "parquet", decimal=".", headers=tuple(headers), refused=refused)


def _detail(exc: BaseException, limit: int = 300) -> str:
    """A library's error as one short line: its type and first words (no multi-line dumps)."""
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _duplicate_name(header: str, occurrence: int) -> str:
    """Unique frame name of the ``occurrence``-th (0-based) repeat of a header."""
    return f"{header} #{occurrence + 1}"


def _too_many_columns(path: Path, count: int) -> InputFormatError:
    return InputFormatError(f"the header has {count:,} columns; sobriete reads at most {MAX_COLUMNS:,} columns: "
                            "keep the columns of the inventory", file=str(path), code="too_many_columns",
                            count=count, limit=MAX_COLUMNS)


# --------------------------------------------------------------------------- cleaning
def _drop_blank_rows(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Strip string cells, turn empty strings into missing values, drop all-missing rows."""
    frame = frame.loc[:, [not (str(c).startswith("Unnamed: ") and frame[c].isna().all()) for c in frame.columns]]
    cleaned = {}
    for column in frame.columns:
        series = frame[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = _strip_categories(series)
        elif series.dtype == object:  # mixed cells (XLSX): strip the strings, keep the others as read
            codes, uniques = pd.factorize(series, use_na_sentinel=True)
            cleaned_uniques = [u.strip() if isinstance(u, str) else u for u in uniques]
            cleaned_uniques = np.array([None if u == "" else u for u in cleaned_uniques] + [None], dtype=object)
            series = pd.Series(cleaned_uniques[codes], index=series.index, name=series.name, dtype=object)
        elif pd.api.types.is_string_dtype(series.dtype):
            series = series.str.strip()
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
