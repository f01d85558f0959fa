"""``sobriete assess``: the yearly assessment of every domain."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from .. import report
from ..assessment import AUTO
from ..assessment import assess as run_assessment
from ..distributed import ENGINES, assess_dataset_cli
from ..equipment import ALLOCATIONS
from ..history import History
from ..network import DEFAULT_MODEL, NETWORK_MODELS
from ..schedule import load_schedules
from .language import usage_error
from .options import catalog_options, db_option, emit, handle_errors, lang_option, progress_bar, split_keys

_FILE = click.Path(exists=True, path_type=Path)
#: Per-domain input options: domain → help.
DOMAIN_OPTIONS = {"traffic": "Volumes de données par réseau (CSV, XLSX).",
                  "lines": "Lignes et abonnements, ex. export de facture opérateur.",
                  "hosting": "Hébergement : salles serveurs, colocation, cloud.",
                  "lighting": "Inventaire des luminaires des zones d'activité."}


def domain_options(function):
    """``--traffic/--lines/--hosting/--lighting FILE`` (repeatable), passed as ``inputs``
    together with the recognised INPUT files (``{"auto": [...], "lines": [...]}``)."""

    @functools.wraps(function)
    def wrapper(*args, inputs, **kwargs):
        given = {AUTO: list(inputs), **{d: list(kwargs.pop(d)) for d in DOMAIN_OPTIONS}}
        return function(*args, inputs={d: p for d, p in given.items() if p}, **kwargs)

    for domain, text in reversed(DOMAIN_OPTIONS.items()):
        wrapper = click.option(f"--{domain}", domain, multiple=True, type=_FILE, metavar="FILE", help=text)(wrapper)
    return wrapper


@click.command()
@click.argument("inputs", nargs=-1, type=_FILE)
@click.option("--year", required=True, type=click.IntRange(1990, 2100), help="Année évaluée.")
@domain_options
@click.option("--profile", help="Profil de colonnes (glpi, canonical, operateur, trafic, hebergement, eclairage ou "
                                "un fichier YAML) ; défaut : reconnu fichier par fichier.")
@click.option("--schedule", type=click.Path(exists=True, dir_okay=False), help="Horaires d'éclairage (YAML) ; "
              "défaut : horaires.yaml du dossier d'entrée s'il existe.")
@click.option("--network-model", type=click.Choice(NETWORK_MODELS), default=DEFAULT_MODEL, show_default=True,
              help="Modèle réseau : lignes + volume, tout au Go, ou lignes seules.")
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
@click.option("--engine", type=click.Choice(ENGINES), default="pandas", show_default=True,
              help="dask : un jeu Parquet partitionné (dossiers epci=...) évalué partition par partition.")
@click.option("--scheduler", metavar="ADRESSE", help="Ordonnanceur Dask existant (tcp://hôte:8786) ; défaut : "
              "un cluster local.")
@handle_errors
def assess(inputs, year, profile, schedule, network_model, by, allocation, catalog, fmt, output, lang, save,
           replace, db, strict, engine, scheduler):
    """Évalue l'empreinte d'une année : équipements, réseau (trafic, lignes), hébergement, éclairage.

    Chaque fichier (ou ceux d'un dossier) est reconnu à ses en-têtes (profil et domaine, indiqués
    dans le rapport) ; --traffic/--lines/--hosting/--lighting désignent un fichier d'un domaine.
    Codes de sortie : 0 succès, 1 lignes rejetées (ou --strict), 2 erreur d'usage ou d'entrée.

    \b
    Exemples :
      sobriete assess examples/2025/ --year 2025
      sobriete assess export_glpi.csv --lines factures.csv --year 2025 --by entity,category
      sobriete assess inventaire.xlsx --year 2025 --network-model per_gb --format xlsx --output bilan.xlsx --save
      sobriete assess inventaires_region/ --year 2025 --engine dask --by epci
    """
    if not inputs:
        raise usage_error("cli_no_inputs",
                          "give INPUT files or folders, or --traffic/--lines/--hosting/--lighting FILE", lang)
    if fmt == "xlsx" and output is None:
        raise usage_error("cli_xlsx_needs_output", "--format xlsx needs --output FILE.xlsx", lang)
    if scheduler and engine != "dask":
        raise usage_error("cli_scheduler_needs_dask", "--scheduler only goes with --engine dask", lang)
    if engine == "dask":
        result = assess_dataset_cli(inputs, year=year, profile=profile, by=by, allocation=allocation,
                                    catalog=catalog.load(), scheduler=scheduler, lang=lang,
                                    schedules=load_schedules(schedule) if schedule else None)
    else:
        with progress_bar([p for paths in inputs.values() for p in paths], 2) as progress:
            result = run_assessment(inputs, year=year, profile=profile, by=by, allocation=allocation,
                                    catalog=catalog.load(), progress=progress, network_model=network_model,
                                    schedules=load_schedules(schedule) if schedule else None)
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
    if output is not None:  # the report went to a file: say where, and what became of the rows
        click.echo(report.message("written", lang, file=output, read=quality.rows_read,
                                  assessed=quality.rows_assessed, rejected=quality.rows_rejected), err=True)
    sys.exit(1 if quality.rows_rejected else 0)
