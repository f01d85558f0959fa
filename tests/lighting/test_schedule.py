"""Schedules: parsing, weekly levels, and clear errors for bad schedules."""

from pathlib import Path

import numpy as np
import pytest

from sobriete.errors import ScheduleError, SobrieteError
from sobriete.schedule import (DEFAULT_SCHEDULE_ID, Schedule, load_schedules, make_schedule, parse_clock,
                               weekly_levels)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_levels_dimming_and_extinction_per_weekday():
    schedule = make_schedule(off=[], dim=["22:00-06:00=50%"])
    schedule = Schedule(id="s", extinction=[{"start": "23:00", "end": "05:00", "days": ["ven"]}],
                        dimming=schedule.dimming)
    levels = weekly_levels(schedule).reshape(7, 1440)
    friday, saturday, thursday = 4, 5, 3
    assert levels[friday, 22 * 60] == 0.5
    assert levels[friday, 23 * 60] == 0.0           # extinction wins over dimming
    assert levels[saturday, 4 * 60 + 59] == 0.0     # the Friday window runs past midnight
    assert levels[saturday, 5 * 60] == 0.5
    assert levels[thursday, 23 * 60] == 0.5         # no extinction on Thursday night
    assert levels[thursday, 12 * 60] == 1.0


def test_fixed_hours_only_inside():
    levels = weekly_levels(Schedule(id="h", threshold_deg=None, hours=[{"start": "06:00", "end": "21:00"}]))
    assert levels.sum() == 7 * 15 * 60


@pytest.mark.parametrize("data, message", [
    ({"id": "x", "extinction": [{"start": "23:00", "end": "05:00"}, {"start": "04:00", "end": "06:00"}]},
     "overlap"),
    ({"id": "x", "dimming": [{"start": "22:00", "end": "06:00", "level": "150%"}]}, "between 0 % and 100 %"),
    ({"id": "x", "dimming": [{"start": "22:00", "end": "06:00", "level": 50}]}, "above 1"),
    ({"id": "x", "extinction": [{"start": "25:00", "end": "05:00"}]}, "bad time '25:00'"),
    ({"id": "x", "extinction": [{"start": "23:00", "end": "23:00"}]}, "same time"),
    ({"id": "x", "extinction": [{"start": "23:00", "end": "05:00", "days": ["someday"]}]}, "unknown weekday"),
    ({"id": "x", "threshold_deg": None}, "needs fixed 'hours'"),
    ({"id": "x", "dimming": [{"start": "22:00", "end": "06:00"}]}, "level"),
    ({"id": "x", "extinction": [{"start": "23:00", "end": "05:00", "colour": "red"}]}, "colour"),
])
def test_bad_schedules_give_clear_errors(data, message):
    import yaml
    with pytest.raises(ScheduleError, match=message) as info:
        load_schedules("plan.yaml", text=yaml.safe_dump({"schedules": [data]}))
    assert "schedule 'x'" in str(info.value) and "plan.yaml" in str(info.value)
    assert isinstance(info.value, SobrieteError) and isinstance(info.value, ValueError)


def test_yaml_off_key_is_explained():
    with pytest.raises(ScheduleError, match="extinction"):
        load_schedules(text="schedules: [{id: x, off: [{start: '23:00', end: '05:00'}]}]")


def test_duplicate_ids_and_bad_file():
    with pytest.raises(ScheduleError, match="defined twice"):
        load_schedules(text="schedules: [{id: a}, {id: a}]")
    with pytest.raises(ScheduleError, match="list under 'schedules:'"):
        load_schedules(text="hello")
    with pytest.raises(ScheduleError, match="cannot read"):
        load_schedules("/nonexistent/schedules.yaml")


def test_compact_cli_syntax():
    schedule = make_schedule(threshold_deg=-3, off=["23:00-05:00"], dim=["22h-6h=30 %"])
    assert schedule.threshold_deg == -3 and schedule.dimming[0].level == pytest.approx(0.3)
    assert parse_clock("6h") == 360
    with pytest.raises(ScheduleError, match="START-END"):
        make_schedule(off=["23:00"])
    with pytest.raises(ScheduleError, match="no level"):
        make_schedule(dim=["22:00-06:00"])


def test_example_schedules_load():
    schedules = load_schedules(EXAMPLES / "2025" / "horaires.yaml")
    assert {DEFAULT_SCHEDULE_ID, "za_nuit", "za_abaissement", "za_horaires"} <= set(schedules)
    levels = weekly_levels(schedules["za_abaissement"])
    assert np.isin(levels, [0.0, 0.5, 1.0]).all()
