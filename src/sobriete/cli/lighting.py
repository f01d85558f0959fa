"""``sobriete lighting``: burning hours of a site, assessment and scenarios of luminaires."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .language import usage_error
from .options import (DEFAULT_LIGHTING_ELECTRICITY, LIGHTING_ELECTRICITY, SUNRISE_ELEVATION_DEG, emit,
                      handle_errors, lang_option)

_format = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
                       help="Format de sortie.")


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
    from ..lighting import burning_hours
    from ..report.lighting import hours_report
    from ..schedule import make_schedule

    result = burning_hours(lat, lon, year, schedules=make_schedule(threshold_deg=threshold, off=off, dim=dim))
    click.echo(hours_report(result, year=year, latitude=lat, longitude=lon, threshold=threshold, off=off, dim=dim,
                            fmt=fmt, lang=lang))


@lighting.command("assess")
@click.argument("luminaires", type=click.Path(exists=True, dir_okay=False))
@click.option("--year", type=int, required=True, help="Année évaluée.")
@click.option("--schedule", "schedule_file", type=click.Path(exists=True, dir_okay=False),
              help="Fichier YAML des horaires (colonne 'schedule' de l'inventaire) ; défaut : "
                   "horaires.yaml du dossier du fichier s'il existe.")
@click.option("--scenario", "scenario_file", type=click.Path(exists=True, dir_okay=False),
              help="Fichier YAML de scénario (passage LED, extinction...).")
@click.option("--price", type=click.FloatRange(min=0), help="Prix de l'électricité de la situation actuelle [€/kWh] "
              "(défaut : catalogue) ; un scénario peut avoir le sien.")
@click.option("--electricity", type=click.Choice(LIGHTING_ELECTRICITY), default=DEFAULT_LIGHTING_ELECTRICITY, show_default=True,
              help="Facteur d'électricité : « mix », mix moyen de l'année (ADEME, bilan GES) ; « usage », facteur "
                   "saisonnalisé « éclairage public » (analyse de sensibilité, publié jusqu'en 2023).")
@click.option("--sites", "sites_file", type=click.Path(exists=True, dir_okay=False),
              help="Fichier des ZA (heures d'activité, usage, agglomération, surface) : ajoute le bloc de "
                   "conformité à l'arrêté du 27 décembre 2018 (ajouté aussi quand l'inventaire porte des "
                   "colonnes de conformité).")
@click.option("--cee-sheets", "cee_file", type=click.Path(exists=True, dir_okay=False),
              help="Valeurs des fiches CEE (RES-EC-104, gradation…) en kWh cumac par luminaire, avec --scenario : "
                   "ajoute le volume et la valeur des certificats (aucune valeur n'est fournie : non vérifiées).")
@click.option("--cee-price", type=click.FloatRange(min=0), default=None,
              help="Prix des certificats [€/MWh cumac] (avec --cee-sheets).")
@click.option("--factors-dir", type=click.Path(exists=True, file_okay=False),
              help="Dossier de facteurs à utiliser à la place du catalogue fourni.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "html", "md"]), default="table",
              show_default=True, help="Format de sortie (html, md : rapport illustré avec graphiques).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Fichier de sortie (défaut : écran).")
@lang_option
@handle_errors
def assess(luminaires, year, schedule_file, scenario_file, price, electricity, sites_file, cee_file, cee_price,
           factors_dir, fmt, output, lang):
    """Énergie, empreinte et coût de l'éclairage par ZA ; économies d'un scénario.

    \b
    Exemple :
      sobriete lighting assess examples/2025/eclairage_za.csv --year 2025 \\
        --schedule examples/2025/horaires.yaml --scenario examples/scenario_led.yaml
      sobriete lighting assess examples/2025/eclairage_za.csv --year 2025 --format html -o eclairage.html
    """
    from ..assessment import folder_schedules
    from ..cee import load_sheets, with_cee
    from ..compliance import (as_written, check_file, compliance_headers, has_compliance_columns,
                              without_compliance_notice, written_headers)
    from ..factors import load_catalog
    from ..io import read_raw, read_table
    from ..lighting import prepare_lighting
    from ..report.lighting import assessment_report
    from ..retrofit import compare_scenario, load_scenario
    from ..schedule import load_schedules

    catalog = load_catalog(directory=factors_dir)
    read = read_table(luminaires, domain="lighting", catalog=catalog)
    schedules = load_schedules(schedule_file) if schedule_file else folder_schedules([Path(luminaires).parent])
    scenario = load_scenario(scenario_file) if scenario_file else None
    prepared = prepare_lighting(read.frame, catalog, by="za", schedules=schedules)
    options = {"energy_price_eur_per_kwh": price, "electricity": electricity}
    compared = compare_scenario(prepared, year, scenario, **options) if scenario else None
    if cee_file:
        if compared is None or cee_price is None:
            raise usage_error("cli_cee_needs_scenario", "--cee-sheets goes with --scenario and --cee-price", lang)
        compared = with_cee(compared, prepared, year, scenario, load_sheets(cee_file), price_eur_per_mwh_cumac=cee_price)
    result = compared.baseline if compared else prepared.assess(year, **options)
    raw = read_raw(luminaires).frame
    quality = as_written(read.combine_quality(result.footprint.quality), raw, written_headers(raw, read.profiles))
    compliance = checked = None
    if sites_file or has_compliance_columns(luminaires):
        compliance, checked = check_file(luminaires, sites=sites_file, schedules=schedules, year=year, catalog=catalog)
        quality = without_compliance_notice(quality, len(compliance_headers(raw)))
    if fmt in ("html", "md"):  # the illustrated report (md: charts written beside -o)
        from ..report.render import render_document
        from ..report.lighting import assessment_document
        from ..report.yearly import lighting_hours

        doc = assessment_document(result, quality, compared, compliance=compliance, lang=lang,
                                  hours=lighting_hours(read.frame, year, schedules=schedules))
        emit(render_document(doc, fmt, lang, output=output))
        sys.exit(1 if quality.rows_rejected else 0)
    out, err = assessment_report(result, quality, compared, compliance=compliance, compliance_quality=checked,
                                 fmt=fmt, lang=lang)
    if output:
        Path(output).write_text(out + "\n", encoding="utf-8")
    else:
        click.echo(out)
    if err:
        click.echo(err, err=True)
    sys.exit(1 if quality.rows_rejected else 0)


from .compliance import check  # noqa: E402  (issue #13: ``sobriete lighting check``)

lighting.add_command(check)
