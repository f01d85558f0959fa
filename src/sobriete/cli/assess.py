"""``sobriete assess``: the yearly assessment."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import report
from ..assessment import assess as run_assessment
from ..equipment import ALLOCATIONS
from ..history import History
from .options import catalog_options, db_option, emit, handle_errors, lang_option, progress_bar, split_keys


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--year", required=True, type=click.IntRange(1990, 2100), help="Année évaluée.")
@click.option("--profile", help="Profil de colonnes : glpi, canonical ou un fichier YAML (défaut : détecté).")
@click.option("--by", callback=split_keys, help="Regroupements, séparés par des virgules (ex. entity,category).")
@click.option("--allocation", type=click.Choice(ALLOCATIONS), default="amortised", show_default=True,
              help="Allocation des impacts de fabrication.")
@catalog_options
@click.option("--format", "fmt", type=click.Choice(report.FORMATS), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Fichier de sortie.")
@lang_option
@click.option("--save", is_flag=True, help="Enregistrer l'évaluation dans l'historique.")
@click.option("--replace", is_flag=True, help="Remplacer une évaluation déjà enregistrée (même année et périmètre).")
@db_option
@click.option("--strict", is_flag=True, help="Échouer (code 1, sans résultat) si des lignes sont rejetées.")
@handle_errors
def assess(inputs, year, profile, by, allocation, catalog, fmt, output, lang, save, replace, db, strict):
    """Évalue l'empreinte d'une année à partir des inventaires (CSV, XLSX, Parquet, dossiers).

    Codes de sortie : 0 succès, 1 lignes rejetées (ou --strict), 2 erreur d'usage ou d'entrée.

    \b
    Exemples :
      sobriete assess examples/2025/ --year 2025 --profile glpi
      sobriete assess export_glpi.csv --year 2025 --profile glpi --by entity,category
      sobriete assess inventaire.xlsx --year 2025 --format xlsx --output bilan.xlsx --save
    """
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx needs --output FILE.xlsx")
    with progress_bar(inputs, 2) as progress:
        result = run_assessment(list(inputs), year=year, profile=profile, by=by, allocation=allocation,
                                catalog=catalog.load(), progress=progress)
    quality = result.quality
    if strict and quality.rows_rejected:
        click.echo(report.message("strict_failed", lang, rejected=quality.rows_rejected, read=quality.rows_read),
                   err=True)
        sys.exit(1)
    if save:
        with History(db) as history:
            saved = history.save(result, replace=replace)
            click.echo(report.message("saved", lang, year=year, db=history.location, id=saved), err=True)
    emit(report.write(result, fmt, output, lang=lang))
    sys.exit(1 if quality.rows_rejected else 0)
