"""``sobriete lighting check``: compliance of business-park lighting with the arrêté of 27 December 2018."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .options import COMPLIANCE_FORMATS, emit, handle_errors, lang_option, say_written


@click.command("check")
@click.argument("luminaires", type=click.Path(exists=True, dir_okay=False))
@click.option("--sites", "sites_file", type=click.Path(exists=True, dir_okay=False),
              help="Fichier des ZA : heures et jours d'activité, usage (voirie/parking), en agglomération, "
                   "site protégé, surface éclairée.")
@click.option("--schedule", "schedule_file", type=click.Path(exists=True, dir_okay=False),
              help="Fichier YAML des horaires ; défaut : horaires.yaml du dossier du fichier s'il existe.")
@click.option("--year", type=int, help="Année des heures de fonctionnement (défaut : année en cours).")
@click.option("--rules", "rules_file", type=click.Path(exists=True, dir_okay=False),
              help="Seuils à utiliser à la place de factors/lighting_rules.csv (même colonnes).")
@click.option("--format", "fmt", type=click.Choice(COMPLIANCE_FORMATS), default="table", show_default=True,
              help="Format de sortie (html, md : rapport illustré).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Fichier de sortie (défaut : écran).")
@lang_option
@handle_errors
def check(luminaires, sites_file, schedule_file, year, rules_file, fmt, output, lang):
    """Conformité à l'arrêté du 27 décembre 2018 (nuisances lumineuses), par luminaire et par ZA.

    Pour chaque règle (horaires d'extinction, ULR, code flux CIE n° 3, température de couleur,
    DSFLI, boules, données de l'art. 5) : conforme, non conforme ou inconnu (donnée manquante ou
    seuil non vérifié), avec l'article, la valeur mesurée et le seuil ; l'énergie qu'un horaire
    conforme économiserait ; la part des luminaires conformes.

    \b
    Exemple :
      sobriete lighting check examples/2025/conformite/eclairage_za_conformite.csv \\
        --sites examples/2025/conformite/za_sites.csv --schedule examples/2025/horaires.yaml --year 2025
    """
    from ..assessment import folder_schedules
    from ..compliance import check_file
    from ..report.compliance import render
    from ..schedule import load_schedules

    schedules = load_schedules(schedule_file) if schedule_file else folder_schedules([Path(luminaires).parent])
    result, quality = check_file(luminaires, sites=sites_file, schedules=schedules, year=year, rules=rules_file)
    if fmt in ("html", "md"):  # the illustrated report; md writes its charts beside -o
        from ..report.compliance import compliance_document
        from ..report.render import render_document

        emit(render_document(compliance_document(result, lang, quality), fmt, lang, output=output))
    elif output:
        Path(output).write_text(render(result, fmt, lang, quality), encoding="utf-8")
    else:
        click.echo(render(result, fmt, lang, quality), nl=False)
    say_written(output, quality, lang)
    sys.exit(1 if quality.rows_rejected else 0)
