"""The one parser of numbers, dates and YAML (sobriete.parsing), shared by the readers and the API."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import sobriete as sb
from sobriete.equipment import start_year_from_date
from sobriete.errors import InputFormatError
from sobriete.parsing import load_yaml, non_finite, parse_dates, parse_numbers, to_datetimes, to_float


def test_iso_dates_read_year_first_and_slashed_dates_day_first_in_one_column():
    # issue #8 item 12: "2025-03-04" is 4 March (was read as 3 April), "2025-12-31" is a date (was rejected)
    parsed = to_datetimes(pd.Series(["2025-03-04", "04/03/2025", "2025-12-31", "31/12/2025", "2025/01/02",
                                     "02.01.2025", "02-01-2025 08:30"]))
    assert parsed.dt.strftime("%Y-%m-%d").tolist() == ["2025-03-04", "2025-03-04", "2025-12-31", "2025-12-31",
                                                       "2025-01-02", "2025-01-02", "2025-01-02"]


def test_impossible_and_ambiguous_dates_are_not_dates():
    parsed = to_datetimes(["31/02/2024", "2024-13-01", "00/01/2024", "29/02/2023", "29/02/2024", "hier", "25",
                           "2024-1-5"])
    assert parsed.isna().tolist() == [True, True, True, True, False, True, True, False]
    assert parsed.iloc[7] == pd.Timestamp("2024-01-05")


def test_dates_outside_the_nanosecond_range_parse():
    # issue #8 item 3: 01/01/0001 and 31/12/9999 are dates (the engine rejects them as implausible)
    parsed = to_datetimes(["01/01/0001", "31/12/9999", "0001-01-01"])
    assert parsed.dt.year.tolist() == [1, 9999, 1]
    assert start_year_from_date(parsed).tolist() == [1.0, 9999 + 364 / 365, 1.0]


def test_api_start_year_reads_text_dates_with_the_same_parser():
    # 4 March 2025: day 63 of 365 -> 2025 + 62/365
    assert start_year_from_date(pd.Series(["2025-03-04", "04/03/2025"])).tolist() == [2025 + 62 / 365] * 2
    assert start_year_from_date(pd.Series(["2025-12-31"])).tolist() == [2025 + 364 / 365]


def test_api_assess_reads_iso_purchase_dates_as_iso(tiny_catalog):
    inventory = pd.DataFrame({"category": ["laptop", "laptop"], "purchase_date": ["2024-12-31", "31/12/2024"]})
    fp = sb.assess_equipment(inventory, 2025, catalog=tiny_catalog)
    assert fp.quality.rows_rejected == 0 and fp.quality.rows_assessed == 2


def test_datetime_cells_and_dates_of_python_pass():
    import datetime as dt
    parsed = parse_dates(pd.Series([dt.datetime(2024, 5, 6, 7, 8), dt.date(1, 1, 1), pd.Timestamp("2020-02-29"),
                                    dt.time(0, 0)], dtype=object))
    assert parsed.iloc[:3].map(lambda t: (t.year, t.month, t.day)).tolist() == [(2024, 5, 6), (1, 1, 1),
                                                                                 (2020, 2, 29)]
    assert parsed.iloc[3] == dt.time(0, 0)  # not a date: kept as read, for the engine to name it


@given(st.dates(min_value=pd.Timestamp("0001-01-01").date(), max_value=pd.Timestamp("9999-12-31").date()))
def test_every_date_round_trips_in_both_notations(day):
    iso, french = day.isoformat(), day.strftime("%d/%m/") + f"{day.year:04d}"
    parsed = to_datetimes([iso, french])
    assert [(t.year, t.month, t.day) for t in parsed] == [(day.year, day.month, day.day)] * 2


def test_non_finite_spellings_are_not_numbers():
    parsed = parse_numbers(pd.Series(["inf", "-inf", "NaN", "Infinity", "1,5", "1e308"]))
    assert parsed.tolist()[:4] == ["inf", "-inf", "NaN", "Infinity"]
    assert parsed.tolist()[4:] == [1.5, 1e308]
    assert non_finite(parsed).tolist() == [True, True, True, True, False, False]


def test_non_finite_floats_become_text_and_are_found():
    parsed = parse_numbers(pd.Series([1.0, np.inf, -np.inf, np.nan]), factor=1000.0)
    assert parsed.tolist()[:3] == [1000.0, "inf", "-inf"] and np.isnan(parsed.iloc[3])
    assert non_finite(parsed).tolist() == [False, True, True, False]  # NaN in a float column is a missing cell


def test_to_float_is_the_parser_engine_modules_can_share():
    values, bad = to_float(pd.Series(["1 234,5", "", None, "inf", "douze", "0,25"]))
    assert values[0] == 1234.5 and values[5] == 0.25 and np.isnan(values[1:5]).all()
    assert bad.tolist() == [False, False, False, True, True, False]


def test_yaml_syntax_error_is_one_sentence_with_line_and_column(tmp_path):
    path = tmp_path / "horaires.yaml"
    path.write_text("schedules:\n  - id: nuit\n    on: [18:00\n  - id: jour\n", encoding="utf-8")
    with pytest.raises(InputFormatError) as info:
        load_yaml(path, what="schedule file", what_fr="le fichier d'horaires")
    error = info.value
    assert error.code == "yaml_syntax" and "\n" not in str(error)
    assert (error.params["line"], error.params["col"]) == (4, 7)  # the ":" of "id: jour" inside the open [
    assert str(error).startswith("schedule file is not valid YAML at line 4, column 7:")
    from sobriete.report.error_messages import error_text
    assert error_text(error).startswith("le fichier d'horaires n'est pas un YAML valide, ligne 4, colonne 7")


def test_unsafe_yaml_is_refused_with_its_line(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("name: x\nvalue: !!python/object/apply:os.system ['echo hi']\n", encoding="utf-8")
    with pytest.raises(InputFormatError, match="line 2, column 8"):
        load_yaml(path)
