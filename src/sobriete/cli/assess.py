"""``sobriete assess``: the yearly assessment of every domain."""

from __future__ import annotations

import functools
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from .. import report
from .language import usage_error
from .options import (ALLOCATIONS, AUTO, DEFAULT_NETWORK_MODEL, ENGINES, FORMATS, NETWORK_MODELS, YEARLY_FORMATS,
                      catalog_options, db_option, emit, handle_errors, lang_option, progress_bar, ranges_option,
                      say_written, split_keys, user_ranges)

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
@click.option("--network-model", type=click.Choice(NETWORK_MODELS), default=DEFAULT_NETWORK_MODEL, show_default=True,
              help="Modèle réseau : lignes + volume, tout au Go, ou lignes seules.")
@click.option("--by", callback=split_keys, help="Regroupements, séparés par des virgules : colonnes (ex. entity,category) ou en-têtes du "
                                            "fichier (ex. Entité,Identifiant).")
@click.option("--allocation", type=click.Choice(ALLOCATIONS), default="amortised", show_default=True,
              help="Allocation des impacts de fabrication.")
@catalog_options
@click.option("--format", "fmt", type=click.Choice((*FORMATS, *YEARLY_FORMATS)), default="table",
              show_default=True, help="html ou md : rapport illustré (graphiques SVG, écrits à côté pour md).")
@click.option("--datapackage", type=click.Path(file_okay=False, path_type=Path), metavar="DOSSIER",
              help="Écrire aussi les résultats en données ouvertes (Frictionless : CSV + datapackage.json).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Fichier de sortie.")
@lang_option
@click.option("--save", is_flag=True, help="Enregistrer l'évaluation dans l'historique.")
@click.option("--replace", is_flag=True, help="Remplacer une évaluation déjà enregistrée (même année et périmètre).")
@db_option
@click.option("--strict", is_flag=True, help="Échouer (code 1, sans résultat) si des lignes sont rejetées.")
@click.option("--top", type=click.IntRange(min=1), metavar="N",
              help="Par regroupement, les N premiers groupes puis une ligne « … et N autres » (défaut : tous).")
@click.option("--include-caveated", is_flag=True,
              help="Compter dans les totaux les phases que leur source juge peu fiables (eau en fin de vie) ; "
                   "par défaut elles sont montrées à part.")
@click.option("--uncertainty", "draws", type=click.IntRange(2, 100_000), metavar="N",
              help="Incertitude : N tirages Monte Carlo sur les plages des facteurs (ex. 1000), intervalle 5-95 %.")
@click.option("--seed", type=click.IntRange(0), default=0, show_default=True,
              help="Graine des tirages (même graine, mêmes tirages).")
@ranges_option
@click.option("--engine", type=click.Choice(ENGINES), default="pandas", show_default=True,
              help="dask : un jeu Parquet partitionné (dossiers epci=...) évalué partition par partition.")
@click.option("--scheduler", metavar="ADRESSE", help="Ordonnanceur Dask existant (tcp://hôte:8786) ; défaut : "
              "un cluster local.")
@click.option("--sites", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FICHIER",
              help="Fichier des ZA : ajoute la conformité de l'éclairage à l'arrêté du 27 décembre 2018 (ajoutée "
                   "aussi quand l'inventaire d'éclairage porte des colonnes de conformité ; tous formats sauf csv, xlsx).")
@handle_errors
def assess(inputs, year, profile, schedule, network_model, by, allocation, catalog, fmt, datapackage, output, lang,
           save, replace, db, strict, top, include_caveated, draws, seed, ranges, engine, scheduler, sites):
    """Évalue l'empreinte d'une année : équipements, réseau (trafic, lignes), hébergement, éclairage.

    Chaque fichier (ou ceux d'un dossier) est reconnu à ses en-têtes (profil et domaine, indiqués
    dans le rapport) ; --traffic/--lines/--hosting/--lighting désignent un fichier d'un domaine.
    Codes de sortie : 0 succès, 1 lignes rejetées (ou --strict), 2 erreur d'usage ou d'entrée.

    \b
    Exemples :
      sobriete assess examples/2025/ --year 2025
      sobriete assess export_glpi.csv --lines factures.csv --year 2025 --by entity,category
      sobriete assess inventaire.xlsx --year 2025 --network-model per_gb --format xlsx --output bilan.xlsx --save
      sobriete assess examples/2025/ --year 2025 --uncertainty 1000 --seed 1
      sobriete assess examples/2025/ --year 2025 --uncertainty 1000 --ranges examples/uncertainty/ranges.csv
      sobriete assess examples/2025/ --year 2025 --by entity --format html -o bilan.html --datapackage donnees/
      sobriete assess inventaires_region/ --year 2025 --engine dask --by epci
    """
    from ..assessment import assess as run_assessment
    from ..history import History, create_engine
    from ..schedule import load_schedules

    if not inputs:
        raise usage_error("cli_no_inputs",
                          "give INPUT files or folders, or --traffic/--lines/--hosting/--lighting FILE", lang)
    if fmt == "xlsx" and output is None:
        raise usage_error("cli_xlsx_needs_output", "--format xlsx needs --output FILE.xlsx", lang)
    if scheduler and engine != "dask":
        raise usage_error("cli_scheduler_needs_dask", "--scheduler only goes with --engine dask", lang)
    check_output(output, [*(p for paths in inputs.values() for p in paths), *catalog.files,
                          *([schedule] if schedule else [])], lang)
    if save:  # a bad --db (or a missing driver) fails before the assessment runs
        create_engine(db).dispose()
    loaded = catalog.load()
    drawn = user_ranges(ranges, draws, lang, loaded)  # a bad ranges file fails before the assessment runs
    if engine == "dask":
        result = _assess_on_dask(inputs, year=year, profile=profile, by=by, allocation=allocation,
                                 catalog=loaded, scheduler=scheduler, lang=lang, network_model=network_model,
                                 schedules=load_schedules(schedule) if schedule else None)
    else:
        with progress_bar([p for paths in inputs.values() for p in paths], 2) as progress:
            result = run_assessment(inputs, year=year, profile=profile, by=by, allocation=allocation,
                                    catalog=loaded, progress=progress, network_model=network_model,
                                    schedules=load_schedules(schedule) if schedule else None)
    quality = result.quality
    if strict and quality.rows_rejected:
        from ..report.assessment import rejections_text

        click.echo("\n".join([report.message("strict_failed", lang, rejected=quality.rows_rejected,
                                              read=quality.rows_read), *rejections_text(quality.rejected, lang)]),
                   err=True)
        sys.exit(1)
    if save:
        with History(db) as store:
            saved = store.save(result, replace=replace)
            key, values = ("replaced", {"old": saved.replaced}) if saved.replaced is not None else ("saved", {})
            click.echo(report.message(key, lang, year=year, db=store.location, id=saved.id, **values), err=True)
    if datapackage is not None or fmt in YEARLY_FORMATS:  # what the source disowns stays out of the totals
        from ..report.caveats import headline

        shown = headline(result, include_caveated=include_caveated).assessment
    if datapackage is not None:  # open data (report/opendata.py)
        from ..report.opendata import write_datapackage

        write_datapackage(shown, datapackage, catalog=loaded)
    # the compliance block reads the lighting files themselves: not a partitioned dataset (--engine dask)
    blocks = _compliance(result, inputs, sites, loaded, lang, load_schedules(schedule) if schedule else None) \
        if fmt not in ("csv", "xlsx") and engine == "pandas" else []
    if fmt in YEARLY_FORMATS:  # the illustrated report (report/yearly.py)
        from ..report.yearly import input_lighting_hours, saved_history, write_yearly

        text = write_yearly(shown, fmt, output, lang=lang, catalog=loaded, history=saved_history(db),
                            lighting=input_lighting_hours(result, inputs, catalog=loaded,
                                                          schedules=load_schedules(schedule) if schedule else None),
                            extend=functools.partial(_add_compliance, blocks=blocks, lang=lang))
    elif blocks:  # the table or JSON with the lighting compliance block (issue #13)
        from ..report.compliance import attach

        text = attach(report.write(result, fmt, None, lang=lang, top=top, include_caveated=include_caveated),
                      blocks, fmt, lang)
        if output is not None:
            output.write_text(text, encoding="utf-8")
            text = None
    else:
        text = report.write(result, fmt, output, lang=lang, top=top, include_caveated=include_caveated)
    if draws and fmt not in YEARLY_FORMATS:  # the same inputs and options, drawn over the factors' ranges
        from ..assessment import Options
        from ..report.uncertainty import attach
        from ..uncertainty import monte_carlo_files
        mc = monte_carlo_files(inputs, year=year, profile=profile, by=by, allocation=allocation, catalog=loaded,
                               options=Options(network_model, load_schedules(schedule) if schedule else None),
                               draws=draws, seed=seed, user_ranges=drawn)
        text = attach(text, mc, fmt, output, lang=lang)
    emit(text)
    say_written(output, quality, lang)
    sys.exit(1 if quality.rows_rejected else 0)


def _compliance(result, inputs, sites: Path | None, catalog, lang: str, schedules) -> list:
    """The lighting compliance checks of the assessed lighting files (issue #13): those carrying
    compliance columns, or all of them with ``--sites``; empty otherwise (report unchanged)."""
    from ..report.compliance import assessment_compliance

    if sites is not None and "lighting" not in result.footprints:
        raise usage_error("cli_sites_needs_lighting", "--sites needs a lighting inventory among the inputs", lang)
    return assessment_compliance(result, inputs, sites=sites, schedules=schedules, catalog=catalog)


def _add_compliance(doc, *, blocks: list, lang: str) -> None:
    """Append each compliance block to the yearly report's document."""
    from ..report.compliance import compliance_sections

    for _name, result, _quality in blocks:
        compliance_sections(doc, result, lang)


def check_output(output: Path | None, inputs: Sequence[Path], lang: str) -> None:
    """Refuse an output file that is one of the inputs (inventories, factor or schedule files)
    or lies inside an input folder: the report would overwrite it (issue #8 item 8)."""
    if output is None:
        return
    target = output.expanduser().resolve()
    for given in inputs:
        path = Path(given).expanduser().resolve()
        if target == path or (path.is_dir() and path in target.parents):
            raise click.UsageError(report.message("output_is_input", lang, output=output, input=given))


def _assess_on_dask(inputs: dict[str, Sequence[Path]], *, year: int, profile, by, allocation: str, catalog,
                    scheduler: str | None, lang: str = "fr", **options):
    """``sobriete assess DATASET --engine dask``: one dataset, on the scheduler at ``scheduler``
    or a new local cluster (closed afterwards); the dashboard's address and Dask's progress bar
    go to stderr. ``options`` go to the domain's ``prepare`` where it takes them (lighting
    ``schedules``)."""
    from contextlib import ExitStack

    from ..distributed import assess_dataset, start_client
    from ..errors import InputFormatError

    paths = [p for given in inputs.values() for p in given]
    if len(paths) != 1:
        raise InputFormatError(f"--engine dask reads one dataset (a partitioned Parquet folder or a Parquet "
                               f"file), {len(paths)} given", code="dask_one_dataset", given=len(paths))
    with ExitStack() as stack:
        client = stack.enter_context(start_client(scheduler))
        if not scheduler:
            stack.callback(client.cluster.close)
        workers = len(client.scheduler_info().get("workers", {}))
        print(report.message("dask_dashboard", lang, workers=workers, link=client.dashboard_link), file=sys.stderr)
        return assess_dataset(paths[0], year=year, by=by, allocation=allocation, catalog=catalog, profile=profile,
                              client=client, progress=True, **options)
