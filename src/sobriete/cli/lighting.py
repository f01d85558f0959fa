"""``sobriete lighting``: burning hours of a site, assessment and scenarios of luminaires."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import pandas as pd

from ..assessment import folder_schedules
from ..factors import load_catalog
from ..io import read_table
from ..lighting import burning_hours, evaluate_luminaires, prepare_luminaires
from ..retrofit import assess_scenario, load_scenario
from ..schedule import SUNRISE_ELEVATION_DEG, load_schedules, make_schedule
from ..report.formatting import as_typed, format_number
from ..report.messages import notice, reason
from .options import handle_errors, lang_option

#: Output labels: key -> (French, English).
_TEXTS = {
    'lit_hours': ('heures allumées (h)',
                  'lit hours (h)'),
    'full_power_hours': ('heures équiv. pleine puissance (h)',
                         'full-power-equivalent hours (h)'),
    'month': ('mois',
              'month'),
    'za': ('ZA',
           'business park'),
    'luminaires': ('luminaires',
                   'luminaires'),
    'system_power_kw': ('puissance (kW)',
                        'power (kW)'),
    'energy_kwh': ('énergie (kWh/an)',
                   'energy (kWh/yr)'),
    'cost_eur': ('coût (€/an)',
                 'cost (EUR/yr)'),
    'gwp_total': ('GES (kgCO2e/an)',
                  'GHG (kgCO2e/yr)'),
    'energy_saved_kwh': ('énergie économisée (kWh/an)',
                         'energy saved (kWh/yr)'),
    'gwp_saved': ('GES évités (kgCO2e/an)',
                  'GHG avoided (kgCO2e/yr)'),
    'cost_saved_eur': ('économie (€/an)',
                       'saving (EUR/yr)'),
    'investment_eur': ('investissement (€)',
                       'investment (EUR)'),
    'payback_years': ('retour simple (ans)',
                      'simple payback (years)'),
    'hours_title': ('Heures de fonctionnement {year} — lat {lat}, lon {lon}, seuil {threshold}°',
                    'Burning hours {year} — lat {lat}, lon {lon}, threshold {threshold}°'),
    'rejected': ('{n} ligne(s) rejetée(s) sur {read} :',
                 '{n} row(s) rejected out of {read}:'),
    'warning': ('Attention',
                'Warning'),
    'scenario': ('Scénario « {name} » — économies par an',
                 "Scenario '{name}' — savings per year"),
}
#: Rejected rows listed on stderr (all of them are in ``--format json``).
MAX_REJECTED_SHOWN = 10
LABELS = {lang: {key: texts[i] for key, texts in _TEXTS.items()} for i, lang in enumerate(("fr", "en"))}
_format = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
                       help="Format de sortie.")


def _table(frame: pd.DataFrame, labels: dict, lang: str) -> str:
    shown = frame.rename(columns={c: labels.get(c, c) for c in frame.columns})
    return shown.to_string(index=False, float_format=lambda v: format_number(v, lang))


@click.group("lighting")
def lighting() -> None:
    """Éclairage public des zones d'activité : heures, énergie, empreinte, scénarios.

    \b
    Exemples :
      sobriete lighting hours --lat 50.35 --lon 3.45 --year 2025 --off 23:00-05:00
      sobriete lighting assess examples/2025/eclairage_za.csv --year 2025 --schedule examples/2025/horaires.yaml
    """


@lighting.command("hours")
@click.option("--lat", type=click.FloatRange(-90, 90), required=True, help="Latitude du site [°].")
@click.option("--lon", type=click.FloatRange(-180, 180), required=True, help="Longitude du site [°].")
@click.option("--year", type=int, required=True, help="Année civile.")
@click.option("--threshold", type=float, default=SUNRISE_ELEVATION_DEG, show_default=True,
              help="Hauteur du soleil d'allumage [°] (-0.833 = coucher ; cellule ≈ -3 à -4).")
@click.option("--off", "off", multiple=True, help="Extinction, ex. 23:00-05:00 (répétable).")
@click.option("--dim", "dim", multiple=True, help="Abaissement, ex. 22:00-06:00=50% (puissance conservée).")
@_format
@lang_option
@handle_errors
def hours(lat, lon, year, threshold, off, dim, fmt, lang):
    """Heures allumées et équivalentes pleine puissance d'un site, par mois.

    \b
    Exemple :
      sobriete lighting hours --lat 50.35 --lon 3.45 --year 2025 --off 23:00-05:00 --dim 22:00-06:00=50%
    """
    result = burning_hours(lat, lon, year, schedules=make_schedule(threshold_deg=threshold, off=off, dim=dim))
    monthly = pd.DataFrame({"month": range(1, 13), "lit_hours": result.monthly_lit_hours[0],
                            "full_power_hours": result.monthly_full_power_hours[0]})
    if fmt == "json":
        click.echo(json.dumps({"year": year, "latitude": lat, "longitude": lon, "threshold_deg": threshold,
                               "off": list(off), "dim": list(dim), "lit_hours": float(result.lit_hours[0]),
                               "full_power_hours": float(result.full_power_hours[0]),
                               "monthly": monthly.to_dict("records")}, indent=2))
        return
    labels = LABELS[lang]
    click.echo(labels["hours_title"].format(year=year, lat=lat, lon=lon, threshold=threshold))
    click.echo(f"{labels['lit_hours']} : {result.lit_hours[0]:.0f}")
    click.echo(f"{labels['full_power_hours']} : {result.full_power_hours[0]:.0f}")
    click.echo(_table(monthly, labels, lang))


@lighting.command("assess")
@click.argument("luminaires", type=click.Path(exists=True, dir_okay=False))
@click.option("--year", type=int, required=True, help="Année évaluée.")
@click.option("--schedule", "schedule_file", type=click.Path(exists=True, dir_okay=False),
              help="Fichier YAML des horaires (colonne 'schedule' de l'inventaire) ; défaut : "
                   "horaires.yaml du dossier du fichier s'il existe.")
@click.option("--scenario", "scenario_file", type=click.Path(exists=True, dir_okay=False),
              help="Fichier YAML de scénario (passage LED, extinction...).")
@click.option("--price", type=float, help="Prix de l'électricité [€/kWh] (défaut : catalogue).")
@click.option("--factors-dir", type=click.Path(exists=True, file_okay=False),
              help="Dossier de facteurs à utiliser à la place du catalogue fourni.")
@_format
@lang_option
@handle_errors
def assess(luminaires, year, schedule_file, scenario_file, price, factors_dir, fmt, lang):
    """Énergie, empreinte et coût de l'éclairage par ZA ; économies d'un scénario.

    \b
    Exemple :
      sobriete lighting assess examples/2025/eclairage_za.csv --year 2025 \\
        --schedule examples/2025/horaires.yaml --scenario examples/scenario_led.yaml
    """
    catalog = load_catalog(directory=factors_dir)
    read = read_table(luminaires, domain="lighting", catalog=catalog)
    frame = read.frame
    schedules = load_schedules(schedule_file) if schedule_file else folder_schedules([Path(luminaires).parent])
    if scenario_file:
        outcome = assess_scenario(frame, year, load_scenario(scenario_file), catalog=catalog,
                                  schedules=schedules, energy_price_eur_per_kwh=price)
        result, extra = outcome.baseline, outcome.savings
        title = LABELS[lang]["scenario"].format(name=load_scenario(scenario_file).name)
    else:
        lum = prepare_luminaires(frame, catalog=catalog, schedules=schedules)
        result, extra, title = evaluate_luminaires(lum, year, catalog=catalog, energy_price_eur_per_kwh=price), None, ""
    quality = read.combine_quality(result.footprint.quality)
    _print_assessment(result, extra, title, fmt, lang, quality)
    sys.exit(1 if quality.rows_rejected else 0)


def _print_assessment(result, savings, title, fmt, lang, quality) -> None:
    labels = LABELS[lang]
    if fmt == "json":
        click.echo(json.dumps({"summary": result.summary.to_dict("records"),
                               "savings": None if savings is None else savings.to_dict("records"),
                               "meta": result.footprint.meta, "quality": quality.to_dict()},
                              indent=2, default=str, ensure_ascii=False))
        return
    columns = ["za", "luminaires", "system_power_kw", "full_power_hours", "energy_kwh", "cost_eur", "gwp_total"]
    click.echo(_table(result.summary[[c for c in columns if c in result.summary.columns]], labels, lang))
    if savings is not None:
        click.echo("\n" + title)
        columns = ["za", "energy_saved_kwh", "gwp_saved", "cost_saved_eur", "investment_eur", "payback_years"]
        click.echo(_table(savings[[c for c in columns if c in savings.columns]], labels, lang))
    for warning in quality.warnings:
        click.echo(f"{labels['warning']} : {notice(warning, lang)}", err=True)
    if quality.rows_rejected:
        click.echo(labels["rejected"].format(n=quality.rows_rejected, read=quality.rows_read), err=True)
        rejected = quality.rejected.head(MAX_REJECTED_SHOWN)
        reasons = [reason(c, r, lang) for c, r in zip(rejected["reason_code"], rejected["reason"])]
        shown = rejected[["file", "row", "column"]].assign(value=[as_typed(v, lang) for v in rejected["value"]])
        click.echo(shown.assign(reason=reasons).to_string(index=False),
                   err=True)
