"""Compliance with the arrêté of 27 December 2018: each rule on hand-built luminaires, on both
sides of its threshold and with missing data; the switch-off rule across midnight and on the
daylight-saving days of 2025 (30 March: 02:00-03:00 does not exist; 26 October: it happens twice)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sobriete.compliance import (RULES, allowed_minutes, breach_hours, breach_schedule, check_lighting,
                                 compliance_columns, load_rules, parse_days, prepare_sites, read_sites, rule_table,
                                 share_compliant)
from sobriete.errors import CatalogError, InputFormatError, InputValueError
from sobriete.lighting import burning_hours
from sobriete.schedule import Schedule, weekly_levels

ROOT = Path(__file__).resolve().parents[1]
LAT, LON = 50.35, 3.45


def clock(start, end, **extra):
    """A clock-only schedule lit every day from start to end."""
    return Schedule(id="clock", threshold_deg=None, hours=[{"start": start, "end": end}], **extra)


def sites(**columns):
    base = {"za": ["A"], "activity_start": ["08:00"], "activity_end": ["18:00"], "installation": ["voirie"],
            "protected": ["non"], "built_up": ["oui"]}
    base.update(columns)
    return prepare_sites(pd.DataFrame(base))


def check(columns, site=None, schedules=None, **kwargs):
    frame = pd.DataFrame(columns)
    if "za" not in frame.columns:
        frame["za"] = "A"
    return check_lighting(frame, site, schedules, year=2025, **kwargs).luminaires


def statuses(result, rule):
    return result[f"{rule}_status"].astype(str).tolist()


def reasons(result, rule):
    return result[f"{rule}_reason"].astype(str).tolist()


# --------------------------------------------------------------------------- art. 3 II: luminaires
def test_ulr_strictly_below_one_percent_for_new_luminaires():
    out = check({"ulr_percent": [0.99, 1.0, np.nan, 1.5, 1.5, 0.5],
                 "installation_year": [2021, 2021, 2021, 2010, np.nan, np.nan]})
    assert statuses(out, "ulr") == ["compliant", "not_compliant", "unknown", "not_applicable", "unknown", "compliant"]
    assert reasons(out, "ulr")[2:5] == ["missing_ulr", "before_application", "missing_year"]
    assert out["ulr_value"].iloc[0] == 0.99


def test_cie_flux_code_3_strictly_above_95_percent():
    out = check({"cie_code3_percent": [95.01, 95.0, np.nan], "installation_year": [2020, 2020, 2020]})
    assert statuses(out, "cie_code3") == ["compliant", "not_compliant", "unknown"]


def test_colour_temperature_3000_k_and_protected_sites():
    out = check({"colour_temperature_k": [3000, 3001, np.nan], "installation_year": [2022] * 3}, sites())
    assert statuses(out, "colour_temperature") == ["compliant", "not_compliant", "unknown"]
    protected = check({"colour_temperature_k": [2700, 3500], "installation_year": [2022] * 2},
                      sites(protected=["oui"]))
    # the protected sites' lower ceiling is not verified: only the general ceiling decides
    assert statuses(protected, "colour_temperature") == ["unknown", "not_compliant"]
    assert reasons(protected, "colour_temperature")[0] == "protected_threshold_not_verified"
    unknown_site = check({"colour_temperature_k": [2700, 3500], "installation_year": [2022] * 2})
    assert statuses(unknown_site, "colour_temperature") == ["unknown", "not_compliant"]
    assert reasons(unknown_site, "colour_temperature")[0] == "protected_unknown"


def test_art4_nature_reserves_2400_k_and_astronomical_sites_3000_k():
    # art. 4 II, read on Légifrance: in nature reserves « la température de couleur des installations
    # d'éclairage définies aux a à f de l'article 1er ne peut excéder 2 400 K »
    lum = {"colour_temperature_k": [2400, 2401, 2700, 3000], "installation_year": [2022] * 4}
    reserve = check(lum, sites(protected=["Réserve naturelle"]))
    assert statuses(reserve, "colour_temperature") == ["compliant", "not_compliant", "not_compliant", "not_compliant"]
    assert reasons(reserve, "colour_temperature")[1:] == ["above_protected_ceiling"] * 3
    # art. 4 I: astronomical sites follow art. 3 « telles que prévues hors agglomération »: 3 000 K
    astro = check(lum, sites(protected=["site d'observation astronomique"]))
    assert statuses(astro, "colour_temperature") == ["compliant"] * 4
    # a protected space of another kind: its ceiling was not read, only the general one decides
    other = check(lum, sites(protected=["oui"]))
    assert statuses(other, "colour_temperature") == ["unknown"] * 4
    rules = load_rules().set_index("place")
    row = rules[rules["parameter"] == "max_colour_temperature_protected"].loc["nature_reserve"]
    assert (row["value"], row["status"], row["source_id"]) == (2400.0, "verified", "legifrance-arrete-2018-12-27-art4")
    with pytest.raises(InputValueError, match="site astronomique") as info:
        sites(protected=["parc"])
    assert info.value.code == "sites_bad_protected"


def verified_rules(tmp_path, rule, parameter, value, place="*", installation="*"):
    """The bundled rules with one threshold set and marked verified (as a user would after
    reading it on Légifrance)."""
    rules = load_rules()
    hit = (rules["rule"] == rule) & (rules["parameter"] == parameter)
    if place != "*":
        hit &= (rules["place"] == place) & (rules["installation"] == installation)
    rules.loc[hit, ["value", "status"]] = [value, "verified"]
    path = tmp_path / "rules.csv"
    rules.to_csv(path, index=False)
    return load_rules(path)


def test_upward_globes_unknown_until_the_threshold_is_verified(tmp_path):
    lum = {"ulr_percent": [55.0, 50.0, np.nan]}
    out = check(lum)
    assert statuses(out, "upward_globe") == ["unknown"] * 3
    assert reasons(out, "upward_globe") == ["threshold_not_verified", "threshold_not_verified", "missing_ulr"]
    assert out["upward_globe_value"].iloc[0] == 55.0
    rules = verified_rules(tmp_path, "upward_globe", "max_upward_share_after_2025", 50)
    assert statuses(check(lum, rules=rules), "upward_globe") == ["not_compliant", "compliant", "unknown"]


def test_installed_flux_density_per_za(tmp_path):
    lum = {"count": [1, 2], "nominal_flux_lm": [10000, 5000]}
    out = check(lum, sites(lit_area_m2=[1000]))
    assert out["dsfli_value"].tolist() == [20.0, 20.0]          # (10,000 + 2 × 5,000) lm / 1,000 m²
    assert reasons(out, "dsfli") == ["threshold_not_verified"] * 2
    assert reasons(check(lum, sites()), "dsfli") == ["missing_area"] * 2
    assert reasons(check({"nominal_flux_lm": [1000, np.nan]}, sites(lit_area_m2=[10])), "dsfli") == ["missing_flux"] * 2
    for ceiling, expected in ((25, "compliant"), (15, "not_compliant")):
        rules = verified_rules(tmp_path, "dsfli", "max_installed_flux_density", ceiling, "built_up", "road")
        assert statuses(check(lum, sites(lit_area_m2=[1000]), rules=rules), "dsfli") == [expected] * 2


def test_dsfli_ministry_values_decide_once_verified_and_protected_sites_use_outside(tmp_path):
    # the shipped DSFLI ceilings (ministry table reproduced by INRAE: < 35 / < 25 lm/m² for roads,
    # < 25 / < 20 for car parks) do not decide until the user marks them verified
    rules = load_rules()
    dsfli = rules[rules["rule"] == "dsfli"].set_index(["installation", "place"])["value"]
    assert dsfli.to_dict() == {("road", "built_up"): 35.0, ("road", "outside"): 25.0,
                               ("car_park", "built_up"): 25.0, ("car_park", "outside"): 20.0}
    assert (rules.loc[rules["rule"] == "dsfli", "status"] == "not_verified").all()
    rules.loc[rules["rule"] == "dsfli", "status"] = "verified"
    path = tmp_path / "rules.csv"
    rules.to_csv(path, index=False)
    verified = load_rules(path)

    def status(flux_lm, **site):
        out = check({"nominal_flux_lm": [flux_lm]}, sites(lit_area_m2=[1000], **site), rules=verified)
        return statuses(out, "dsfli")[0]

    assert status(34_999) == "compliant" and status(35_000) == "not_compliant"        # strictly below 35
    assert status(24_999, built_up=["non"]) == "compliant" and status(25_000, built_up=["non"]) == "not_compliant"
    # art. 4 I and II: « telles que prévues hors agglomération », even inside a built-up area
    assert status(30_000, protected=["réserve naturelle"]) == "not_compliant"
    assert status(30_000, protected=["site astronomique"]) == "not_compliant"
    assert status(30_000, protected=["non"]) == "compliant"
    assert status(24_000, installation=["parking"]) == "compliant"
    assert status(20_000, installation=["parking"], built_up=["non"]) == "not_compliant"


# --------------------------------------------------------------------------- art. 5
def test_art5_data_all_six_or_not_compliant():
    full = {"ulr_percent": [0.0], "cie_code3_percent": [98.0], "colour_temperature_k": [3000.0],
            "max_power_w": [40.0], "nominal_flux_lm": [5000.0], "installation_year": [2021]}
    out = check(full)
    assert statuses(out, "art5_data") == ["compliant"] and out["art5_data_value"].iloc[0] == 6
    partial = check({**full, "colour_temperature_k": [np.nan]})
    assert statuses(partial, "art5_data") == ["not_compliant"]
    assert partial["art5_data_value"].iloc[0] == 5 and partial["art5_missing"].iloc[0] == "colour_temperature"
    alternatives = {k: v for k, v in full.items() if k not in ("max_power_w", "installation_year")}
    out = check({**alternatives, "lamp_power_w": [40.0], "installation_date": ["15/03/2021"]})
    assert statuses(out, "art5_data") == ["compliant"]
    assert statuses(check({"za": ["A"]}), "art5_data") == ["not_compliant"]


# --------------------------------------------------------------------------- art. 2: switch-off
def test_allowed_window_of_road_lighting_and_car_parks():
    road = allowed_minutes(8 * 60, 18 * 60, lag_h=1, lead_h=1, earliest_h=7)
    assert road.sum() == 7 * 12 * 60                            # 07:00-19:00 each day
    early = allowed_minutes(5 * 60, 18 * 60, lag_h=1, lead_h=1, earliest_h=7)
    assert early[4 * 60] and not early[4 * 60 - 1]               # on 1 h before an early start
    car_park = allowed_minutes(8 * 60, 20 * 60, lag_h=2, lead_h=1, earliest_h=7)
    assert car_park[21 * 60 + 59] and not car_park[22 * 60]
    night_shift = allowed_minutes(22 * 60, 6 * 60, lag_h=1, lead_h=1, earliest_h=7)
    assert night_shift.all()                                     # activity past midnight: always allowed


def test_days_without_activity_are_all_breach():
    weekdays = allowed_minutes(8 * 60, 18 * 60, parse_days("lun-ven"), lag_h=1, lead_h=1, earliest_h=7)
    breach = breach_schedule(clock("18:00", "06:00"), weekdays)
    # lit 12 h a day (84 h a week); allowed and lit: 18:00-19:00 on the 5 weekdays
    assert (weekly_levels(breach) > 0).sum() == (84 - 5) * 60


@pytest.mark.parametrize("end, expected_h", [("23:00", 0.5 * 365), ("23:30", 0.0)])
def test_schedule_crossing_midnight(end, expected_h):
    out = check({"schedule": ["late"]}, sites(activity_end=[end]), {"late": clock("18:00", "00:30")})
    assert out["switch_off_value"].iloc[0] == pytest.approx(expected_h)
    assert statuses(out, "switch_off") == ["not_compliant" if expected_h else "compliant"]


def test_breach_hours_on_daylight_saving_days():
    allowed = allowed_minutes(8 * 60, 18 * 60, lag_h=1, lead_h=1, earliest_h=7)
    breach = breach_schedule(clock("01:30", "02:30"), allowed)
    hours = breach_hours([breach], LAT, LON, 2025)
    march, october = hours.monthly_lit_hours[0, 2], hours.monthly_lit_hours[0, 9]
    assert march == pytest.approx(31 - 0.5)                     # 02:00-02:30 missing on 30 March
    assert october == pytest.approx(31 + 0.5)                   # 02:00-02:30 twice on 26 October
    assert hours.lit_hours[0] == pytest.approx(365.0)


def test_night_schedule_breach_is_eleven_hours_a_night():
    out = check({"schedule": ["night"]}, sites(), {"night": clock("18:00", "06:00")})
    assert out["switch_off_value"].iloc[0] == pytest.approx(11 * 365)   # 19:00-06:00; DST days cancel out


def test_car_park_gets_two_hours_after_the_activity(tmp_path):
    rules = load_rules()
    sunset = rules["parameter"] == "earliest_on_sun_elevation"
    rules.loc[sunset, "status"] = "not_verified"          # only the 2 h lag differs from roads
    path = tmp_path / "rules.csv"
    rules.to_csv(path, index=False)
    rules = load_rules(path)
    schedules = {"evening": clock("18:00", "22:30")}
    car_park = check({"schedule": ["evening"], "installation": ["parking"]}, sites(activity_end=["20:00"]), schedules,
                     rules=rules)
    road = check({"schedule": ["evening"], "installation": ["voirie"]}, sites(activity_end=["20:00"]), schedules,
                 rules=rules)
    assert car_park["switch_off_value"].iloc[0] == pytest.approx(0.5 * 365)
    assert road["switch_off_value"].iloc[0] == pytest.approx(1.5 * 365)


def test_car_park_lit_no_earlier_than_sunset():
    """Lit 12:00-22:00 (allowed until 20:00 + 2 h): the breach is the daylight before sunset."""
    lum = {"schedule": ["afternoon"], "installation": ["parking"], "latitude": [LAT], "longitude": [LON]}
    out = check(lum, sites(activity_end=["20:00"]), {"afternoon": clock("12:00", "22:00")})
    after_sunset = Schedule(id="after_sunset", hours=[{"start": "12:00", "end": "22:00"}])
    expected = burning_hours(LAT, LON, 2025, schedules=clock("12:00", "22:00")).lit_hours[0] \
        - burning_hours(LAT, LON, 2025, schedules=after_sunset).lit_hours[0]
    assert out["switch_off_value"].iloc[0] == pytest.approx(expected, abs=1e-6)
    assert expected > 1000                                       # most afternoons are daylight
    photocell = Schedule(id="photocell", threshold_deg=-3, hours=[{"start": "12:00", "end": "22:00"}])
    out = check(lum, sites(activity_end=["20:00"]), {"afternoon": photocell})
    assert statuses(out, "switch_off") == ["compliant"]        # on below -3°: after sunset
    road = check({**lum, "installation": ["voirie"]}, sites(activity_end=["21:00"]), {"afternoon": clock("12:00", "22:00")})
    assert statuses(road, "switch_off") == ["compliant"]       # no sunset condition for roads
    nowhere = check({"schedule": ["afternoon"], "installation": ["parking"]}, sites(activity_end=["20:00"]),
                    {"afternoon": clock("12:00", "22:00")})
    assert reasons(nowhere, "switch_off") == ["no_location"]   # sunset unknown without coordinates


def test_sun_threshold_breach_and_allowed_parts_add_up():
    """Hours lit in breach + hours lit when allowed = all hours lit (dusk to dawn, -0.833°)."""
    dusk_to_dawn = Schedule(id="all_night")
    allowed = allowed_minutes(8 * 60, 18 * 60, lag_h=1, lead_h=1, earliest_h=7)
    breach = breach_hours([breach_schedule(dusk_to_dawn, allowed)], LAT, LON, 2025).lit_hours[0]
    inside = breach_hours([breach_schedule(dusk_to_dawn, ~allowed)], LAT, LON, 2025).lit_hours[0]
    total = burning_hours(LAT, LON, 2025).lit_hours[0]
    assert breach + inside == pytest.approx(total, abs=1e-6)
    assert 0 < inside < breach


def test_switch_off_unknown_without_its_data():
    schedules = {"night": clock("18:00", "06:00"), "sun": Schedule(id="sun")}
    assert reasons(check({"schedule": ["night"]}, None, schedules), "switch_off") == ["no_activity_hours"]
    assert reasons(check({"installation_year": [2020]}, sites(), schedules), "switch_off") == ["no_schedule_column"]
    assert reasons(check({"schedule": ["other"]}, sites(), schedules), "switch_off") == ["unknown_schedule"]
    no_kind = sites(installation=[None])
    assert reasons(check({"schedule": ["night"]}, no_kind, schedules), "switch_off") == ["no_installation"]
    assert reasons(check({"schedule": ["sun"]}, sites(), schedules), "switch_off") == ["no_location"]
    located = check({"schedule": ["sun"], "latitude": [LAT], "longitude": [LON]}, sites(), schedules)
    assert statuses(located, "switch_off") == ["not_compliant"]
    # a blank schedule cell is the lighting engine's default: dusk to dawn
    blank = check({"schedule": [None], "latitude": [LAT], "longitude": [LON]}, sites(), schedules)
    assert blank["schedule"].iloc[0] == "default" and statuses(blank, "switch_off") == ["not_compliant"]


def test_energy_a_compliant_schedule_would_save():
    lum = {"schedule": ["night"], "count": [2], "technology": ["led"], "lamp_power_w": [100.0], "gear_loss": [0.1]}
    out = check(lum, sites(), {"night": clock("18:00", "06:00")})
    assert out["energy_saved_kwh"].iloc[0] == pytest.approx(2 * 110 * 11 * 365 / 1000)
    dimmed = clock("18:00", "06:00", dimming=[{"start": "00:00", "end": "06:00", "level": "50%"}])
    out = check(lum, sites(), {"night": dimmed})
    # full power 19:00-24:00 (5 h) + half power 00:00-06:00 (3 h equivalent) a night
    assert out["energy_saved_kwh"].iloc[0] == pytest.approx(2 * 110 * 8 * 365 / 1000)
    assert np.isnan(check({"schedule": ["night"]}, sites(), {"night": dimmed})["energy_saved_kwh"].iloc[0])


# --------------------------------------------------------------------------- results
def test_overall_status_share_and_summary_totals():
    lum = {"za": ["A", "A", "B"], "count": [1, 2, 1], "ulr_percent": [0.0, 5.0, np.nan],
           "cie_code3_percent": [98.0] * 3, "colour_temperature_k": [3000.0] * 3, "max_power_w": [40.0] * 3,
           "nominal_flux_lm": [4000.0] * 3, "installation_year": [2021] * 3, "schedule": ["night"] * 3}
    site = prepare_sites(pd.DataFrame({"za": ["A", "B"], "activity_start": ["06:00"] * 2,
                                       "activity_end": ["23:00"] * 2, "installation": ["voirie"] * 2,
                                       "protected": ["non"] * 2}))
    result = check_lighting(pd.DataFrame(lum), site, {"night": clock("18:00", "24:00")}, year=2025)
    assert statuses(result.luminaires, "overall") == ["compliant", "not_compliant", "not_compliant"]
    assert result.share_compliant() == pytest.approx(1 / 4)
    assert share_compliant(result, by="za").to_dict() == {"A": pytest.approx(1 / 3), "B": 0.0}
    summary = result.summary()
    for rule in RULES:
        parts = summary[[f"{rule}_{s}" for s in ("compliant", "not_compliant", "unknown", "not_applicable")]]
        assert (parts.sum(axis=1) == summary["luminaires"]).all()
    assert summary.iloc[-1]["za"] == "(total)"
    assert summary.iloc[-1]["luminaires"] == summary.iloc[:-1]["luminaires"].sum() == 4
    long = result.to_long()
    assert len(long) == 3 * len(RULES) and set(long["article"]) >= {"art. 2", "art. 5"}


def test_bad_values_are_rejected_with_their_reason():
    frame = pd.DataFrame({"za": ["A"] * 4, "ulr_percent": ["0,5", "abc", "150", "1"],
                          "installation": ["voirie", "voirie", "voirie", "tunnel"], "_file": ["l.csv"] * 4},
                         index=[2, 3, 4, 5])
    result = check_lighting(frame, None, None, year=2025)
    quality = result.quality
    assert (quality.rows_read, quality.rows_assessed, quality.rows_rejected) == (4, 1, 3)
    assert quality.rejected["row"].tolist() == [3, 4, 5]
    assert quality.rejected["reason_code"].tolist() == ["not_a_number", "out_of_range", "unknown_installation"]
    assert result.luminaires["ulr_value"].tolist() == [0.5]


# --------------------------------------------------------------------------- inputs
def test_sites_from_french_headers_and_their_errors():
    frame = pd.DataFrame({"Zone d'activité": ["ZA 1"], "Début d'activité": ["7h"], "Fin d'activité": ["19:30"],
                          "Jours d'activité": ["lun-ven"], "Usage": ["Parking"], "En agglomération": ["Oui"],
                          "Site protégé": ["non"], "Surface éclairée (m²)": ["1 200,5"]}, index=[2])
    site = prepare_sites(frame, file="za.csv").iloc[0]
    assert (site["activity_start_min"], site["activity_end_min"], site["activity_days"]) == (420, 1170, (0, 1, 2, 3, 4))
    assert (site["installation"], site["built_up"], site["protected"], site["lit_area_m2"]) == (1, 1.0, 0.0, 1200.5)
    with pytest.raises(InputValueError) as error:
        prepare_sites(frame.assign(**{"Fin d'activité": ["25:00"]}), file="za.csv")
    assert (error.value.file, error.value.row, error.value.column) == ("za.csv", 2, "Fin d'activité")
    with pytest.raises(InputValueError, match="given twice"):
        prepare_sites(pd.concat([frame, frame]))
    with pytest.raises(InputFormatError):
        prepare_sites(pd.DataFrame({"nom": ["x"]}))
    with pytest.raises(InputValueError):
        parse_days("lundi-jour")


def test_sites_file_with_the_cnig_site_economique_headers(tmp_path):
    # field names of the CNIG standard Site Economique (schema/site-eco/schema.json, v1.0.0)
    path = tmp_path / "sites_cnig.csv"
    path.write_text("site_id;site_nom;Début d'activité;Fin d'activité;Site protégé\n"
                    "80024_SITE-ECO_00001;ZAC Les Bornes du Temps;08:00;18:00;réserve naturelle\n", encoding="utf-8")
    table = read_sites(path)
    assert table[["za", "site_id"]].values.tolist() == [["ZAC Les Bornes du Temps", "80024_SITE-ECO_00001"]]
    assert table["protected"].tolist() == [3.0] and table["activity_start_min"].tolist() == [480.0]


def test_compliance_columns_from_french_headers():
    raw = pd.DataFrame({"ULR (%)": ["1"], "Code flux CIE n°3 (%)": ["97"], "Température de couleur (K)": ["2700"],
                        "Flux nominal (lm)": ["5000"], "Puissance maximale (W)": ["40"], "Usage": ["parking"],
                        "Puissance (W)": ["38"]})
    assert sorted(compliance_columns(raw).columns) == sorted(
        ["ulr_percent", "cie_code3_percent", "colour_temperature_k", "nominal_flux_lm", "max_power_w", "installation"])


def test_bundled_rules_are_sourced_and_consistent():
    rules = load_rules()
    sources = set(pd.read_csv(ROOT / "factors" / "sources.csv")["source_id"])
    assert rules["source_id"].isin(sources).all()
    assert rules["article"].str.startswith("art.").all()
    assert (rules.loc[rules["status"] == "assumption", "note"].str.len() > 40).all()
    table = rule_table(rules).set_index("rule")
    assert list(table.index) == list(RULES)
    assert table.loc["art5_data", "status"] == "verified"
    assert not table.loc["dsfli", "decides"] and not table.loc["upward_globe", "decides"]


def test_rules_file_errors_name_the_line(tmp_path):
    rules = pd.read_csv(ROOT / "factors" / "lighting_rules.csv", dtype=str, keep_default_na=False)
    bad = tmp_path / "rules.csv"
    rules.assign(status=["guessed"] + list(rules["status"][1:])).to_csv(bad, index=False)
    with pytest.raises(CatalogError) as error:
        load_rules(bad)
    assert (error.value.row, error.value.column) == (2, "status")
    pd.concat([rules, rules.iloc[:1]]).to_csv(bad, index=False)
    with pytest.raises(CatalogError, match="defined twice"):
        load_rules(bad)


def test_example_business_parks():
    """The synthetic example: a car park lit all night at the Escaut park, a compliant ZA."""
    from sobriete.compliance import read_sites
    from sobriete.io import read_raw, read_table
    from sobriete.schedule import load_schedules

    path = ROOT / "examples" / "2025" / "conformite" / "eclairage_za_conformite.csv"
    frame = read_table(path, domain="lighting").frame.join(compliance_columns(read_raw(path).frame))
    site = read_sites(ROOT / "examples" / "2025" / "conformite" / "za_sites.csv")
    result = check_lighting(frame, site, load_schedules(ROOT / "examples" / "2025" / "horaires.yaml"), year=2025)
    lum = result.luminaires
    car_park = lum[(lum["za"] == "Parc d'activités de l'Escaut") & (lum["installation"] == "car_park")]
    assert len(car_park) == 20 and (car_park["switch_off_status"] == "not_compliant").all()
    assert (car_park["breach_lit_hours"] > 3000).all()
    assert (lum.loc[lum["za"] == "ZA des Tilleuls", "switch_off_status"] == "compliant").all()
    assert result.quality.rows_read == 343 == result.quality.rows_assessed


@pytest.mark.parametrize("schedule", [
    Schedule(id="dusk_to_dawn"),
    Schedule(id="photocell", threshold_deg=-3, extinction=[{"start": "23:00", "end": "05:00", "days": ["lun", "mar"]}],
             dimming=[{"start": "21:00", "end": "23:00", "level": "40%"}]),
    Schedule(id="clock", threshold_deg=None, hours=[{"start": "01:30", "end": "02:30"}]),
])
@pytest.mark.parametrize("year", [2024, 2025])
def test_dark_minutes_reproduce_the_burning_hours_engine(schedule, year):
    """The per-site dark minutes of the week · the schedule's weekly levels give the engine's hours."""
    from sobriete.compliance import dark_minutes_of_week

    lat, lon = np.array([50.35, 43.6, 48.85]), np.array([3.45, 1.44, 2.35])
    dark = dark_minutes_of_week(lat, lon, year, threshold_deg=schedule.threshold_deg)
    levels = weekly_levels(schedule)
    engine = burning_hours(lat, lon, year, schedules=schedule)
    np.testing.assert_allclose(dark @ levels / 60, engine.full_power_hours, rtol=0, atol=1e-6)
    np.testing.assert_allclose(dark @ (levels > 0) / 60, engine.lit_hours, rtol=0, atol=1e-6)


def test_notices_for_zas_missing_on_either_side():
    result = check_lighting(pd.DataFrame({"za": ["A", "B"]}), prepare_sites(pd.DataFrame({"za": ["A", "C"]})), None,
                            year=2025)
    codes = [w.code for w in result.quality.warnings]
    assert "compliance_za_not_in_sites" in codes and "compliance_site_without_luminaire" in codes
    assert "compliance_no_sites" in [w.code for w in check_lighting(pd.DataFrame({"za": ["A"]}), year=2025).quality.warnings]


def test_doubling_counts_doubles_luminaires_and_energy_not_hours():
    lum = {"za": ["A", "A"], "count": [1, 3], "schedule": ["night"] * 2, "technology": ["led", "hps"],
           "lamp_power_w": [40.0, 100.0]}
    schedules = {"night": clock("18:00", "06:00")}
    one = check_lighting(pd.DataFrame(lum), sites(), schedules, year=2025)
    two = check_lighting(pd.DataFrame({**lum, "count": [2, 6]}), sites(), schedules, year=2025)
    np.testing.assert_allclose(two.luminaires["energy_saved_kwh"], 2 * one.luminaires["energy_saved_kwh"])
    np.testing.assert_allclose(two.luminaires["breach_lit_hours"], one.luminaires["breach_lit_hours"])
    assert two.summary().iloc[-1]["luminaires"] == 2 * one.summary().iloc[-1]["luminaires"] == 8
