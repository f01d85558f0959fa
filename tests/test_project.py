"""Per-project assessment (issue #10): hand-computed toy projects on the tiny catalog.

Tiny catalog (tests/conftest.py): laptop 100 + 10 + 5 kgCO2e embodied, 5 years, 20 kWh/year;
monitor 50 (low 40, high 60) + 2 + 3 kgCO2e, 4 years, 50 W × 4 h/day = 73 kWh/year; refurbished
laptop: manufacturing × 0.1, distribution and end of life × 1; FR grid 0.1 kgCO2e/kWh from 2025;
lines: 20 kgCO2e/year of infrastructure, access energy ftth 10 and adsl 40 kWh/year, one box each;
fixed traffic (combined model, marginal basis) 2 gCO2e/GB.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sobriete.project import ProjectError, assess_project, load_project
from sobriete.project.result import payback_year

YEARS = [2026, 2027, 2028, 2029]
HEAD = "name: Toy\nstart: 2026\nhorizon_years: 4\nusers: 10\nelectricity_price_eur_per_kwh: 0.25\n"


def _baseline():
    return {"equipment": pd.DataFrame({"category": ["laptop"], "quantity": [10], "purchase_year": [2023]}),
            "lines": pd.DataFrame({"technology": ["adsl"], "count": [20.0]})}


def _assess(variants: str, catalog, **kwargs):
    project, source = load_project(text=HEAD + "variants:\n" + variants)
    return assess_project(project, source=source, baseline=_baseline(), catalog=catalog, **kwargs)


def _yearly(result, variant: str, phases=None, criterion="gwp") -> list[float]:
    d = result.deltas()
    d = d[(d["variant"] == variant) & (d["criterion"] == criterion)]
    if phases is not None:
        d = d[d["phase"].isin(phases)]
    return d.groupby("year")["delta"].sum().reindex(YEARS, fill_value=0.0).round(9).tolist()


EMBODIED = ["manufacturing", "distribution", "end_of_life"]


def test_no_change_gives_zero_delta_every_year(net_catalog):
    result = _assess("  - {name: rien}\n", net_catalog)
    deltas = result.deltas()
    assert set(deltas["year"]) == set(YEARS)
    assert (deltas["delta"] == 0).all()
    row = result.summary().iloc[0]
    assert row["net_delta"] == 0 and row["carbon_payback_year"] == 2026


def test_hand_computed_additions(net_catalog):
    variants = ("  - name: ajout\n    changes:\n"
                "      - {kind: add, year: 2027, category: monitor, quantity: 2}\n"
                "      - {kind: traffic, year: 2026, network: fixed, gb_per_year: 1000}\n")
    result = _assess(variants, net_catalog, sensitivity=False)
    # monitors from 2027: 2 × 55 / 4 = 27.5 embodied and 2 × 73 kWh × 0.1 = 14.6 use per year;
    # traffic: 1000 GB × 2 g = 2 kg per year (use phase)
    assert _yearly(result, "ajout", EMBODIED) == [0.0, 27.5, 27.5, 27.5]
    assert _yearly(result, "ajout", ["use"]) == pytest.approx([2.0, 16.6, 16.6, 16.6])
    summary = result.summary().iloc[0]
    assert summary["net_delta"] == pytest.approx(3 * 27.5 + 2 + 3 * 16.6)
    assert summary["net_delta_per_user"] == pytest.approx(summary["net_delta"] / 10)
    assert summary["energy_delta_kwh"] == pytest.approx(3 * 146.0)
    assert summary["money_delta_eur"] == pytest.approx(3 * 146.0 * 0.25)
    # the cumulated column adds the years up
    d = result.deltas()
    total = d[(d["criterion"] == "gwp") & (d["phase"] == "use") & (d["domain"] == "equipment")]
    assert total["cumulated"].round(9).tolist() == [0.0, 14.6, 29.2, 43.8]


def test_longer_lifetime_saves_embodied_from_the_renewal_year(net_catalog):
    # baseline: 10 laptops of 2023 renewed in 2028 (2 × 115 × 10 / 5 = 230 per year from then);
    # kept 7 years they are renewed in 2030, beyond the horizon
    variants = "  - name: sept ans\n    changes:\n      - {kind: lifetime, year: 2026, select: {category: laptop}, " \
               "lifetime_years: 7}\n"
    result = _assess(variants, net_catalog, sensitivity=False)
    assert _yearly(result, "sept ans", EMBODIED) == [0.0, 0.0, -230.0, -230.0]
    assert _yearly(result, "sept ans", ["use"]) == [0.0] * 4


def test_removal_stops_use_and_renewals(net_catalog):
    variants = "  - name: moins\n    changes:\n      - {kind: remove, year: 2027, select: {category: laptop}, " \
               "quantity: 4}\n"
    result = _assess(variants, net_catalog, sensitivity=False)
    # use: −4 × 20 kWh × 0.1 from 2027; the 2028 renewal of the 4 laptops (4 × 23) is avoided
    assert _yearly(result, "moins") == pytest.approx([0.0, -8.0, -100.0, -100.0])


def test_refurbished_replacement_and_paybacks(net_catalog):
    text = HEAD + ("prices:\n  - {category: laptop, condition: new, eur: 1000}\n"
                   "  - {category: laptop, condition: refurbished, eur: 400}\n"
                   "variants:\n  - name: recond\n    changes:\n"
                   "      - {kind: replace, year: 2026, select: {category: laptop, purchased_before: 2024}, "
                   "quantity: 10, by: {condition: refurbished}}\n")
    project, source = load_project(text=text)
    result = assess_project(project, source=source, baseline=_baseline(), catalog=net_catalog, sensitivity=False)
    # refurbished laptop: 10 × 0.1 + 10 + 5 = 25 kg, over 5 years: 10 × 5 = 50 per year; the old
    # laptops keep their allocation (230 per year to 2027); the baseline's 2028 renewal is avoided
    assert _yearly(result, "recond") == pytest.approx([50.0, 50.0, -180.0, -180.0])
    row = result.summary().iloc[0]
    # at purchase: +250 in 2026, −1150 in 2028 → the cumulated delta is ≤ 0 from 2028
    assert row["carbon_payback_year"] == 2028
    # money: 10 × 400 in 2026 against 10 × 1000 avoided in 2028; energy unchanged
    assert row["investment_eur"] == pytest.approx(4000 - 10000)
    assert row["money_payback_year"] == 2028


def test_copper_switch_to_fibre(net_catalog):
    variants = "  - name: fibre\n    changes:\n      - {kind: lines, year: 2026, technology: ADSL, count: 20, to: " \
               "fibre}\n"
    result = _assess(variants, net_catalog, sensitivity=False)
    # same infrastructure and box; access energy (10 − 40) kWh × 20 lines × 0.1 = −60 per year
    assert _yearly(result, "fibre") == pytest.approx([-60.0] * 4)
    d = result.deltas()
    assert set(d.loc[(d["variant"] == "fibre") & (d["delta"] != 0), "domain"]) == {"lines"}


def test_new_service_devices_traffic_hosting(net_catalog):
    variants = ("  - name: portail\n    changes:\n"
                "      - kind: service\n        year: 2026\n        users: 1000\n"
                "        devices: [{category: monitor, hours_per_user_per_year: 2.92}]\n"
                "        traffic: [{network: fixed, gb_per_user_per_year: 0.5}]\n"
                "        hosting: {kind: cloud, it_energy_kwh: 1000}\n")
    result = _assess(variants, net_catalog, sensitivity=False)
    # devices: 1000 × 2.92 h / 1460 h = 2 monitors' time share: 2 × 55 / 4 = 27.5 embodied, 2 × 7.3 kWh
    # hmm: 2 monitors × 73 kWh × 0.1 = 14.6 use; traffic 500 GB × 2 g = 1 kg; cloud 1000 kWh × 1.2 × 0.1 = 120
    assert _yearly(result, "portail", EMBODIED) == pytest.approx([27.5] * 4)
    assert _yearly(result, "portail", ["use"]) == pytest.approx([14.6 + 1.0 + 120.0] * 4)


def test_linearity_in_quantity(net_catalog):
    one = _assess("  - {name: a, changes: [{kind: add, year: 2026, category: monitor, quantity: 1}]}\n",
                  net_catalog, sensitivity=False)
    three = _assess("  - {name: a, changes: [{kind: add, year: 2026, category: monitor, quantity: 3}]}\n",
                    net_catalog, sensitivity=False)
    assert np.allclose(3 * np.array(_yearly(one, "a")), _yearly(three, "a"))


# --------------------------------------------------------------------------- sensitivity
def test_tornado_zero_range_zero_bar_and_factor_bar_is_exact(net_catalog, network_dir, tmp_path):
    variants = ("  - name: ajout\n    changes:\n"
                "      - {kind: add, year: 2026, category: monitor, quantity: 2, lifetime_years: 4, "
                "ranges: {lifetime_years: [4, 4], quantity: [1, 3]}}\n")
    result = _assess(variants, net_catalog)
    tornado = result.sensitivity.set_index("parameter")
    assert tornado.loc["add (2026) lifetime_years", "swing"] == 0
    assert tornado.loc["add (2026) quantity", "result_low"] == pytest.approx(result.summary()["net_delta"][0] / 2)
    # monitor manufacturing 50 kg (low 40, high 60): 2 × 50 / 4 × 4 years = 100 kg of the delta
    bar = tornado.loc["equipment_impacts/monitor/gwp/manufacturing"]
    assert (bar["result_low"], bar["result_high"]) == pytest.approx((bar["result"] - 20, bar["result"] + 20))
    assert list(result.sensitivity["swing"]) == sorted(result.sensitivity["swing"], reverse=True)
    # the linear shortcut equals an evaluation with the factor at its high value
    override = tmp_path / "equipment_impacts.csv"
    override.write_text("category,criterion,phase,value,unit,low,high,source_id,status,note\n"
                        "monitor,gwp,manufacturing,60,kgCO2e,,,test,sourced,\n", encoding="utf-8")
    from sobriete import load_catalog

    high = _assess(variants, load_catalog(override, directory=network_dir), sensitivity=False)
    assert high.summary()["net_delta"][0] == pytest.approx(bar["result_high"])


# --------------------------------------------------------------------------- the protocol path
def test_registered_domain_is_used_and_gives_the_same_result(net_catalog, monkeypatch):
    from sobriete import protocol
    from sobriete.network import assess_traffic

    calls = []

    class Prepared:
        domain, by = "traffic", ()

        def __init__(self, frame, catalog, by):
            self.frame, self.catalog, self.by = frame, catalog, tuple(by)
            calls.append(len(frame))

        def evaluate(self, year, *, overrides=None, allocation="amortised"):
            return assess_traffic(self.frame, year, catalog=self.catalog, by=list(self.by))

    variants = "  - {name: t, changes: [{kind: traffic, year: 2027, network: mobile, gb_per_year: 100}]}\n"
    plain = _assess(variants, net_catalog, sensitivity=False)
    monkeypatch.setitem(protocol.DOMAINS, "traffic", protocol.DomainSpec(
        "traffic", lambda frame, catalog, by=None: Prepared(frame, catalog, by or ()), "network"))
    registered = _assess(variants, net_catalog, sensitivity=False)
    assert calls == [1]  # prepared once, evaluated for each year
    assert _yearly(registered, "t") == _yearly(plain, "t") == pytest.approx([0.0, 1.0, 1.0, 1.0])


# --------------------------------------------------------------------------- helpers and errors
def test_payback_year():
    assert payback_year([100.0, -40.0, -40.0, -40.0], YEARS) == 2029
    assert payback_year([10.0, 10.0, -1.0, -1.0], YEARS) is None
    assert payback_year([0.0, 0.0, 0.0, 0.0], YEARS) == 2026


@pytest.mark.parametrize("change, field, line", [
    ("{kind: add, year: 2026, category: tablette, quantity: 1}", "variants[0].changes[0].category", 9),
    ("{kind: add, year: 2031, category: laptop, quantity: 1}", "variants[0].changes[0].year", 9),
    ("{kind: add, year: 2026, category: laptop, quantity: -3}", "variants[0].changes[0].quantity", 9),
    ("{kind: remove, year: 2026, select: {category: laptop}, quantity: 11}", "variants[0].changes[0].quantity", 9),
    ("{kind: lines, year: 2026, technology: adsl, count: 21, to: ftth}", "variants[0].changes[0].count", 9),
    ("{kind: lines, year: 2026, technology: sdsl2, count: 1}", "variants[0].changes[0].technology", 9),
])
def test_bad_changes_name_line_and_field(net_catalog, change, field, line):
    text = HEAD + "variants:\n  - name: v\n    changes:\n      - " + change + "\n"
    with pytest.raises(ProjectError) as info:
        project, source = load_project(text=text)
        assess_project(project, source=source, baseline=_baseline(), catalog=net_catalog, sensitivity=False)
    assert info.value.params["field"] == field
    assert info.value.row == line


def test_unknown_field_in_ranges_is_refused():
    with pytest.raises(ProjectError, match="ranges"):
        load_project(text=HEAD + "variants: [{name: v, changes: [{kind: add, year: 2026, category: laptop, "
                                 "quantity: 1, ranges: {power: [1, 2]}}]}]")


def test_lighting_retrofit_of_a_business_park(catalog):
    from sobriete.schedule import Schedule

    timer = Schedule(id="timer", threshold_deg=None, hours=[{"start": "18:00", "end": "06:00"}])
    lum = pd.DataFrame({"za": ["ZA Nord", "ZA Nord"], "count": [10, 5], "technology": ["SHP", "led"],
                        "lamp_power_w": [100.0, 30.0], "installation_year": [2010, 2020], "schedule": ["timer"] * 2,
                        "latitude": [50.35] * 2, "longitude": [3.45] * 2})
    text = ("name: ZA\nstart: 2026\nhorizon_years: 2\nvariants:\n  - name: led\n    changes:\n"
            "      - kind: lighting\n        year: 2027\n        scenario:\n          retrofit:\n"
            "            - {match: {technology: hps}, technology: led, lamp_power_w: 40, "
            "investment_eur_per_luminaire: 500}\n")
    project, source = load_project(text=text)
    result = assess_project(project, source=source, baseline={"lighting": lum}, catalog=catalog,
                            schedules={"timer": timer}, sensitivity=False)
    variant = result.variants[0]
    energy = result.energy_deltas(variant)
    # 12 h a night × 365 nights = 4,380 h; 10 SHP of 100 W + 15 % gear losses → 10 LED of 40 W
    assert energy.tolist() == pytest.approx([0.0, 10 * 4380 * (40 - 115) / 1000])
    assert result.summary()["investment_eur"][0] == pytest.approx(5000.0)
    use = result.deltas().query("criterion == 'gwp' and phase == 'use' and year == 2027")
    # the use phase is proportional to the energy: baseline 10 × 4,380 × 0.115 + 5 × 4,380 × 0.030 = 5,694 kWh
    assert use["delta"].sum() == pytest.approx(use["before"].sum() * -3285.0 / 5694.0)


def test_registered_equipment_domain_with_future_purchases(net_catalog, monkeypatch):
    """The protocol path: years up to the engine's latest purchase year share one preparation; a later
    year is evaluated on the rows started by then, shifted back; results equal the one-call path."""
    from sobriete import protocol
    from sobriete.equipment import assess_equipment
    from sobriete.project.evaluation import LATEST_PURCHASE_YEAR

    seen = []

    class Prepared:
        domain = "equipment"

        def __init__(self, frame, catalog, by):
            self.frame, self.catalog, self.by = frame, catalog, tuple(by or ())
            seen.append(float(pd.to_numeric(frame.get("purchase_year"), errors="coerce").max()))

        def evaluate(self, year, *, overrides=None, allocation="amortised"):
            return assess_equipment(self.frame, year, catalog=self.catalog, by=list(self.by), allocation=allocation)

    text = HEAD.replace("horizon_years: 4", "horizon_years: 6") + \
        "variants:\n  - {name: sept ans, changes: [{kind: lifetime, year: 2026, select: {category: laptop}, " \
        "lifetime_years: 7}]}\n"
    project, source = load_project(text=text)
    plain = assess_project(project, source=source, baseline=_baseline(), catalog=net_catalog, sensitivity=False)
    monkeypatch.setitem(protocol.DOMAINS, "equipment", protocol.DomainSpec(
        "equipment", lambda frame, catalog, by=None: Prepared(frame, catalog, by), "category"))
    registered = assess_project(project, source=source, baseline=_baseline(), catalog=net_catalog,
                                sensitivity=False)
    assert max(seen) <= LATEST_PURCHASE_YEAR  # the 2028 renewals were shifted back
    a, b = plain.deltas(), registered.deltas()
    assert np.allclose(a["delta"], b["delta"]) and a["delta"].abs().sum() > 0
