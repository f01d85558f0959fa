"""CEE of a lighting retrofit: volumes, value and payback computed by hand."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from sobriete.cee import cee_value_eur, load_sheets, retrofit_cee, sheet_value_per_technology
from sobriete.errors import InputFormatError, InputValueError
from sobriete.factors import load_catalog
from sobriete.lighting import prepare_lighting


@pytest.fixture(scope="module")
def before():
    frame = pd.DataFrame({"za": ["A", "A", "B"], "count": [10, 4, 6], "technology": ["hps", "led", "hps"],
                          "lamp_power_w": [100.0, 40.0, 150.0], "installation_year": [2000, 2021, 1998],
                          "latitude": [50.35] * 3, "longitude": [3.45] * 3})
    return prepare_lighting(frame, load_catalog(), by="za")


def retrofit(lum):
    """The HPS rows become 50 W LEDs; the LED row is untouched."""
    led = lum.technologies.get_loc("led")
    hps = lum.technology == lum.technologies.get_loc("hps")
    return replace(lum, technology=np.where(hps, led, lum.technology), lamp_power_w=np.where(hps, 50.0, lum.lamp_power_w))


def test_volume_value_and_payback_by_hand(before, tmp_path):
    sheets_file = tmp_path / "fiches.csv"
    sheets_file.write_text("sheet;version;date;applies_to;kwh_cumac_per_luminaire;source\n"
                           "RES-EC-104;user;2025-11;LED;2 000;my copy of the sheet\n"
                           "dimming;user;2025-11;*;500,5;my copy\n", encoding="utf-8")
    sheets = load_sheets(sheets_file)
    assert sheets["kwh_cumac_per_luminaire"].tolist() == [2000.0, 500.5]
    savings = pd.DataFrame({"za": ["A", "B"], "investment_eur": [6000.0, 4200.0], "cost_saved_eur": [500.0, 0.0]})
    out = retrofit_cee(before, retrofit(before), savings, sheets, price_eur_per_mwh_cumac=8.0).set_index("za")
    # A: 10 retrofitted × (2,000 + 500.5) kWh cumac = 25,005; B: 6 × 2,500.5 = 15,003
    assert out["luminaires_retrofitted"].tolist() == [10, 6]
    assert out["cee_kwh_cumac"].tolist() == pytest.approx([25_005.0, 15_003.0])
    assert out["cee_value_eur"].tolist() == pytest.approx([200.04, 120.024])      # × 8 EUR / 1,000 kWh
    assert out.loc["A", "payback_with_cee_years"] == pytest.approx((6000 - 200.04) / 500)
    assert np.isnan(out.loc["B", "payback_with_cee_years"])                      # nothing saved


def test_volume_is_linear_in_price_and_count(before):
    sheets = pd.DataFrame({"applies_to": ["led"], "kwh_cumac_per_luminaire": [1000.0]})
    savings = pd.DataFrame({"za": ["A", "B"], "investment_eur": [1.0, 1.0], "cost_saved_eur": [1.0, 1.0]})
    one = retrofit_cee(before, retrofit(before), savings, sheets, price_eur_per_mwh_cumac=5.0)
    doubled = replace(before, count=before.count * 2)
    two = retrofit_cee(doubled, replace(retrofit(before), count=doubled.count), savings, sheets,
                       price_eur_per_mwh_cumac=10.0)
    assert (two["cee_kwh_cumac"] == 2 * one["cee_kwh_cumac"]).all()
    assert two["cee_value_eur"].to_numpy() == pytest.approx(4 * one["cee_value_eur"].to_numpy())


def test_nothing_verified_is_shipped_and_errors(before, tmp_path):
    assert load_sheets().empty
    savings = pd.DataFrame({"za": ["A", "B"], "investment_eur": [1.0, 1.0], "cost_saved_eur": [1.0, 1.0]})
    with pytest.raises(InputValueError, match="no CEE sheet value"):
        retrofit_cee(before, retrofit(before), savings, load_sheets(), price_eur_per_mwh_cumac=8.0)
    with pytest.raises(InputValueError):
        cee_value_eur(1000.0, -1.0)
    bad = tmp_path / "bad.csv"
    bad.write_text("sheet,applies_to,kwh_cumac_per_luminaire\nRES-EC-104,led,beaucoup\n", encoding="utf-8")
    with pytest.raises(InputValueError) as error:
        load_sheets(bad)
    assert (error.value.row, error.value.column) == (2, "kwh_cumac_per_luminaire")
    with pytest.raises(InputFormatError):
        load_sheets(_write(tmp_path / "cols.csv", "sheet\nx\n"))


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_sheet_values_add_up_per_technology():
    sheets = pd.DataFrame({"applies_to": ["led", "*", "led"], "kwh_cumac_per_luminaire": [1.0, 10.0, 100.0]})
    assert sheet_value_per_technology(sheets, pd.Index(["hps", "led"])).tolist() == [10.0, 111.0]
