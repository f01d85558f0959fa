"""Fuzzing the CLI with hostile variants of the example files (issue #8, "Done when").

Hypothesis builds variants of ``examples/2025/`` in CSV (other encodings and separators,
truncated and ragged lines, random bytes, huge and non-finite numbers, impossible dates,
repeated and missing columns), XLSX, Parquet and YAML profiles, and runs
``sobriete assess FILE --year 2025 --format json`` through click's ``CliRunner``. Whatever the
file, no exception escapes, the exit code is 0, 1 or 2, an error is one sentence without a
traceback, and the rows reconcile: rows read = data lines of the file = assessed + rejected.

Examples per test: ``SOBRIETE_FUZZ_EXAMPLES`` (default 200 over the whole file, ~30 s);
the ``slow`` variants (run with ``-m slow`` only) take ``SOBRIETE_FUZZ_SLOW_EXAMPLES`` (default
2,000) with lighting too.
Found so far and fixed (regression tests in ``test_hostile_inputs.py``): a Parquet file with a
repeated column name, a UTF-16 file cut in the middle of a character, a date in a unit column
(pint: ZeroDivisionError). Found elsewhere: overflowing footprints (see :data:`OVERFLOWING`).
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sobriete.cli import main
from sobriete.io.readers import detect_encoding, sniff_separator

EXAMPLES = Path(__file__).parents[1] / "examples" / "2025"
PROFILE = Path(__file__).parents[1] / "src" / "sobriete" / "profiles" / "glpi.yaml"
TOTAL = int(os.environ.get("SOBRIETE_FUZZ_EXAMPLES", "200"))
SLOW_TOTAL = int(os.environ.get("SOBRIETE_FUZZ_SLOW_EXAMPLES", "2000"))
#: ``SOBRIETE_FUZZ_RANDOM=1`` explores new examples on each run (default: the same ones, reproducible).
RANDOM = bool(os.environ.get("SOBRIETE_FUZZ_RANDOM"))
#: Share of the examples of each test: CSV, XLSX, Parquet, YAML.
SHARES = {"csv": 0.45, "xlsx": 0.15, "parquet": 0.25, "yaml": 0.15}
FAST_FILES = ["glpi_ordinateurs_ecrans.csv", "glpi_materiels_reseau.csv", "hebergement.csv",
              "lignes_operateur.csv", "trafic.csv"]
SLOW_FILES = [*FAST_FILES, "eclairage_za.csv"]
#: Numbers whose footprint overflows float64 (1e300 servers × 1e300 W...): rejected rows (reason
#: ``overflow``), never an infinite total.
OVERFLOWING = ["1e300", "-1e300", "1e308"]
#: Hostile cells (``1e400`` parses to inf: a non-finite number the readers reject).
HOSTILE_CELLS = [*OVERFLOWING, "123456789012", "1e12", "1e400", "-1e400", "inf", "-inf", "nan", "NaN", "Infinity",
                 "-1", "0",
                 "1,5e3", "01/01/0001", "31/12/9999", "32/13/2020", "0000-00-00", "2025-02-29", "", " ",
                 "=HYPERLINK(\"x\")", "\"", "x" * 300, "\u00a0", "é\u0301", "\ufeff", ";", "\t", "1 234 567,89"]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]
SEPARATORS = [";", ",", "\t", "|"]


def examples_per_test(kind: str, total: int) -> settings:
    return settings(max_examples=max(5, int(total * SHARES[kind])), deadline=None, derandomize=not RANDOM,
                    suppress_health_check=list(HealthCheck))


def example_records(name: str, rows: int) -> list[list[str]]:
    """Header and the first ``rows`` records of an example file."""
    data = (EXAMPLES / name).read_bytes()
    text = data.decode(detect_encoding(data)).lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text), delimiter=";"))[:rows + 1]


def invoke(path: Path, *args: str):
    run = CliRunner().invoke(main, ["assess", str(path), "--year", "2025", "--format", "json", *args])
    assert run.exception is None or isinstance(run.exception, SystemExit), \
        f"{type(run.exception).__name__}: {run.exception}"
    assert run.exit_code in (0, 1, 2)
    assert "Traceback" not in run.output and "Traceback" not in run.stderr
    if run.exit_code == 2:
        sentence = run.stderr.strip()
        assert sentence and "\n" not in sentence, sentence
        return None
    report = json.loads(run.stdout)
    rows = report["rows"]
    assert rows["read"] == rows["assessed"] + rows["rejected"]
    return rows


# --------------------------------------------------------------------------- CSV
@st.composite
def csv_variants(draw, files):
    """Bytes of a hostile CSV variant and its data lines (None when unknown: cut bytes)."""
    records = example_records(draw(st.sampled_from(files)), draw(st.integers(0, 6)))
    records = [list(r) for r in records]
    width = len(records[0])
    for _ in range(draw(st.integers(0, 4))):
        if len(records) < 2:
            break
        i, j = draw(st.integers(1, len(records) - 1)), draw(st.integers(0, width - 1))
        action = draw(st.sampled_from(["cell", "cell", "more", "fewer", "repeat", "drop", "blank"]))
        if action == "cell" and j < len(records[i]):
            records[i][j] = draw(st.sampled_from(HOSTILE_CELLS) | st.text(max_size=8))
        elif action == "more":
            records[i] = records[i] + draw(st.lists(st.sampled_from(HOSTILE_CELLS[:12]), min_size=1, max_size=3))
        elif action == "fewer":
            records[i] = records[i][:draw(st.integers(1, max(1, len(records[i]) - 1)))]
        elif action == "repeat":  # a repeated column, same or different values
            records = [r + [r[j] if j < len(r) else ""] for r in records]
            if draw(st.booleans()):
                records[i][-1] = draw(st.sampled_from(HOSTILE_CELLS))
        elif action == "drop":  # a missing column
            records = [r[:j] + r[j + 1:] for r in records]
            width = len(records[0])
        elif action == "blank":
            records.insert(i, [])
    sep = draw(st.sampled_from(SEPARATORS))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    for record in records:
        writer.writerow(record)
    text = out.getvalue()
    encoding = draw(st.sampled_from(ENCODINGS))
    data = text.encode(encoding, errors="replace")
    known = True
    if draw(st.integers(0, 9)) == 0:  # random bytes somewhere
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
        known = False
    if draw(st.integers(0, 9)) == 0:  # truncated
        data = data[:draw(st.integers(0, len(data)))]
        known = False
    return data, (data_lines(data) if known else None)


def data_lines(data: bytes) -> int | None:
    """Records after the header that are not all empty, read by Python's csv module (an oracle
    independent of the readers' parser); None when the file has no usable header."""
    encoding = detect_encoding(data)
    text = data.decode(encoding, errors="replace").lstrip("\ufeff")
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=sniff_separator(text)))
    if not records or not any(cell.strip() for cell in records[0]):
        return None
    return sum(1 for r in records[1:] if any(cell.strip() for cell in r))


def check(tmp_path_factory, variant, suffix):
    """Run the CLI on the variant's bytes; its rows read are the data lines where they are known."""
    data, lines = variant
    path = tmp_path_factory.mktemp("fuzz") / f"variant{suffix}"
    path.write_bytes(data)
    rows = invoke(path)
    if rows is not None and lines is not None:
        assert rows["read"] == lines


@given(variant=csv_variants(FAST_FILES))
@examples_per_test("csv", TOTAL)
def test_csv_variants(tmp_path_factory, variant):
    check(tmp_path_factory, variant, ".csv")


# --------------------------------------------------------------------------- XLSX
@st.composite
def xlsx_variants(draw, files):
    import openpyxl
    records = example_records(draw(st.sampled_from(files)), draw(st.integers(0, 5)))
    book = openpyxl.Workbook()
    sheet = book.active
    top, left = draw(st.integers(1, 4)), draw(st.integers(1, 3))  # empty leading rows and columns
    cells = [*HOSTILE_CELLS[:16], dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31), 1e12, -5, True,
             *map(float, OVERFLOWING)]
    lines = 0
    for i, record in enumerate(records):
        values = [draw(st.sampled_from(cells)) if i and draw(st.integers(0, 4)) == 0 else v for v in record]
        values = [v.strip() if isinstance(v, str) else v for v in values]
        for j, value in enumerate(values):
            if value != "":
                sheet.cell(top + i, left + j, value)
        lines += bool(i) and any(v != "" for v in values)
    if draw(st.booleans()):
        sheet.cell(draw(st.sampled_from([200, 1_048_576])), draw(st.sampled_from([60, 16_384])), "x")
        lines = None  # a stray far cell is one more row, or a column with no header: either is fine
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if draw(st.integers(0, 9)) == 0:
        data, lines = data[:draw(st.integers(0, len(data)))], None
    return data, lines


@given(variant=xlsx_variants(FAST_FILES))
@examples_per_test("xlsx", TOTAL)
def test_xlsx_variants(tmp_path_factory, variant):
    check(tmp_path_factory, variant, ".xlsx")


# --------------------------------------------------------------------------- Parquet
NUMBERS = st.sampled_from([1.0, 2.5, 0.0, -1.0, 1e12, float("nan"), float("inf"), float("-inf"), None,
                           *map(float, OVERFLOWING)])


@st.composite
def parquet_variants(draw, files):
    records = example_records(draw(st.sampled_from(files)), draw(st.integers(1, 6)))
    header, body = records[0], [r + [""] * (len(records[0]) - len(r)) for r in records[1:]]
    arrays, names = [], []
    for j, name in enumerate(header):
        cells = [r[j] or None for r in body]
        kind = draw(st.sampled_from(["text", "text", "float", "decimal", "binary", "struct", "list", "date"]))
        if kind == "float":
            array = pa.array([draw(NUMBERS) for _ in cells], pa.float64())
        elif kind == "decimal":
            array = pa.array([decimal.Decimal("1.25") for _ in cells], pa.decimal128(6, 2))
        elif kind == "binary":
            array = pa.array([(c or "").encode() if draw(st.booleans()) else b"\xff\xfe" for c in cells], pa.binary())
        elif kind == "struct":
            array = pa.array([{"a": 1} for _ in cells])
        elif kind == "list":
            array = pa.array([[1, 2] for _ in cells])
        elif kind == "date":
            array = pa.array([dt.date(draw(st.integers(1, 9999)), 1, 1) for _ in cells], pa.date32())
        else:
            array = pa.array(cells, pa.string())
        arrays.append(array)
        names.append(name)
    if draw(st.booleans()):  # a repeated column name
        arrays.append(arrays[0])
        names.append(names[0])
    table = pa.Table.from_arrays(arrays, names=names)
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    data = buffer.getvalue()
    lines = sum(1 for i in range(table.num_rows) if any(c[i].is_valid for c in table.columns))
    if draw(st.integers(0, 9)) == 0:
        data, lines = data[:draw(st.integers(0, len(data)))], None
    return data, lines


@given(variant=parquet_variants(FAST_FILES))
@examples_per_test("parquet", TOTAL)
def test_parquet_variants(tmp_path_factory, variant):
    check(tmp_path_factory, variant, ".parquet")


# --------------------------------------------------------------------------- YAML profiles
@st.composite
def yaml_variants(draw):
    text = PROFILE.read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "truncate", "indent"]))
        if action == "insert":
            text = text[:at] + draw(st.sampled_from([":", "[", "{", "- ", "\t", "!!python/object:os.system", "'",
                                                     "&a", "*a", "\n  ", "%"])) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        elif action == "truncate":
            text = text[:at]
        else:
            line_start = text.rfind("\n", 0, at) + 1
            text = text[:line_start] + "   " + text[line_start:]
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return text.encode(encoding, errors="replace")


@given(profile=yaml_variants())
@examples_per_test("yaml", TOTAL)
def test_yaml_profile_variants(tmp_path_factory, profile):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "profile.yaml").write_bytes(profile)
    records = example_records("glpi_ordinateurs_ecrans.csv", 4)
    (folder / "parc.csv").write_text("\n".join(";".join(r) for r in records) + "\n", encoding="utf-8")
    invoke(folder / "parc.csv", "--profile", str(folder / "profile.yaml"))


# --------------------------------------------------------------------------- slow: thousands
@pytest.fixture
def slow_selected(request):
    """The thousands of examples run when slow tests are asked for (``-m slow``), not in the
    default run, whose time the README promises."""
    expression = request.config.getoption("markexpr") or ""
    if "slow" not in expression or "not slow" in expression:
        pytest.skip("thousands of fuzzing examples: run with -m slow")


@pytest.mark.slow
@given(variant=csv_variants(SLOW_FILES))
@examples_per_test("csv", SLOW_TOTAL)
def test_csv_variants_slow(slow_selected, tmp_path_factory, variant):
    check(tmp_path_factory, variant, ".csv")


@pytest.mark.slow
@given(variant=parquet_variants(SLOW_FILES))
@examples_per_test("parquet", SLOW_TOTAL)
def test_parquet_variants_slow(slow_selected, tmp_path_factory, variant):
    check(tmp_path_factory, variant, ".parquet")


@pytest.mark.slow
@given(variant=xlsx_variants(SLOW_FILES))
@examples_per_test("xlsx", SLOW_TOTAL)
def test_xlsx_variants_slow(slow_selected, tmp_path_factory, variant):
    check(tmp_path_factory, variant, ".xlsx")
