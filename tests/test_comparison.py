"""Comparison: one sign convention, delta = after − before, savings = −delta."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sobriete.comparison import Comparison
from sobriete.errors import UnknownNameError
from sobriete.footprint import Footprint
from sobriete.network import assess_lines, copper_switch_off

PHASES = ("manufacturing", "distribution", "use", "end_of_life")


def footprint(groups: dict[str, list[float]], energy: float = 0.0) -> Footprint:
    """gwp per phase for each commune (one criterion), ``energy`` kWh per commune."""
    keys = pd.DataFrame({"commune": list(groups)})
    values = np.array([[phases] for phases in groups.values()], dtype=float)
    return Footprint(values, keys, ("gwp",), ("kgCO2e",), np.full(len(groups), energy), np.zeros_like(values), "v",
                     "h")


def test_sign_convention_on_a_hand_computed_toy():
    before = footprint({"A": [10.0, 1.0, 5.0, 1.0], "B": [4.0, 0.0, 2.0, 0.0]}, energy=100.0)
    after = footprint({"A": [10.0, 1.0, 2.0, 1.0], "C": [1.0, 0.0, 0.0, 0.0]}, energy=40.0)
    c = Comparison(before, after)
    table = c.table().set_index("commune")
    assert table.loc["A", ["before", "after", "delta", "savings"]].tolist() == [17.0, 14.0, -3.0, 3.0]
    assert table.loc["A", "change_pct"] == pytest.approx(-3 / 17 * 100)
    assert table.loc["B", ["before", "after", "delta", "savings"]].tolist() == [6.0, 0.0, -6.0, 6.0]
    assert table.loc["C", ["before", "after", "delta"]].tolist() == [0.0, 1.0, 1.0]
    assert np.isnan(table.loc["C", "change_pct"])  # nothing before: no percentage
    assert table.loc["A", ["energy_kwh_before", "energy_kwh_after"]].tolist() == [100.0, 40.0]
    use = c.table(phase="use").set_index("commune")
    assert use.loc["A", ["before", "after", "savings"]].tolist() == [5.0, 2.0, 3.0]
    totals = c.total()
    assert totals.loc[("gwp", "total"), ["before", "after", "delta", "savings"]].tolist() == [23.0, 15.0, -8.0, 8.0]
    assert totals.loc[("gwp", "use"), "change_pct"] == pytest.approx((2 - 7) / 7 * 100)
    with pytest.raises(UnknownNameError, match="phase"):
        c.table(phase="delivery")


def test_tidy_frame_reconciles_with_the_table():
    before = footprint({"A": [10.0, 1.0, 5.0, 1.0], "B": [4.0, 0.0, 2.0, 0.0]})
    after = footprint({"A": [8.0, 1.0, 5.0, 0.0]})
    frame = Comparison(before, after).to_frame()
    assert list(frame.columns) == ["commune", "criterion", "phase", "before", "after", "delta", "savings",
                                   "change_pct", "unit"]
    assert len(frame) == 2 * 4
    by_group = frame.groupby("commune")[["before", "after", "delta", "savings"]].sum()
    table = Comparison(before, after).table().set_index("commune")
    for column in ("before", "after", "delta", "savings"):
        np.testing.assert_allclose(by_group[column].sort_index(), table[column].sort_index())
    np.testing.assert_allclose(frame["delta"], frame["after"] - frame["before"])
    np.testing.assert_allclose(frame["savings"], -frame["delta"])


values = st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=4, max_size=4)


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from("ABCD"), values, min_size=1), st.dictionaries(st.sampled_from("ABCD"),
                                                                                      values, min_size=1))
def test_before_plus_delta_is_after(before_groups, after_groups):
    before, after = footprint(before_groups), footprint(after_groups)
    c = Comparison(before, after)
    rebuilt = (before + c.delta).table().set_index("commune")["total"]
    expected = after.table().set_index("commune")["total"].reindex(rebuilt.index, fill_value=0.0)
    np.testing.assert_allclose(rebuilt, expected, atol=1e-6)
    np.testing.assert_allclose(c.savings.values, -c.delta.values)
    assert float(c.delta.total().loc["gwp", "total"]) == pytest.approx(
        float(after.total().loc["gwp", "total"] - before.total().loc["gwp", "total"]), abs=1e-6)


def test_copper_switch_off_is_a_comparison(net_catalog):
    lines = pd.DataFrame({"commune": ["A", "A", "B"], "technology": ["adsl", "ftth", "vdsl"], "count": [3, 1, 2]})
    result = copper_switch_off(lines, 2024, catalog=net_catalog)
    assert isinstance(result, Comparison)
    # A: 3 lines switched from 40 to 10 kWh/yr at 0.05 kgCO2e/kWh; B: 2 lines
    table = result.table().set_index("commune")
    assert table.loc["A", "savings"] == pytest.approx(3 * 30 * 0.05)
    assert table.loc["B", "delta"] == pytest.approx(-2 * 30 * 0.05)
    assert table.loc["A", "switched_lines"] == 3
    before = assess_lines(lines, 2024, catalog=net_catalog, by="commune")
    np.testing.assert_allclose(result.before.values, before.values)
    np.testing.assert_allclose((result.before + result.delta).values, result.after.values)


def test_copper_switch_unchanged_phases_show_no_rounding_noise():
    # the example's switch-off changes the boxes' use and network energy, not the boxes' end of life:
    # before and after are the same sum taken in another order, which left -2.2e-14 % in the total
    from pathlib import Path

    from sobriete.io import read_table
    from sobriete.network import copper_switch_off

    lines = read_table(Path(__file__).parents[1] / "examples" / "2025" / "lignes_operateur.csv", domain="lines")
    total = copper_switch_off(lines.frame, 2025).total()
    end_of_life = total.loc[("gwp", "end_of_life")]
    assert end_of_life["before"] == pytest.approx(65.852)
    assert end_of_life["delta"] == 0.0 and end_of_life["change_pct"] == 0.0
    assert total.loc[("gwp", "use"), "delta"] < 0
