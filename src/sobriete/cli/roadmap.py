"""``sobriete roadmap``: the *Numérique responsable* roadmap (targets, indicators, bilan)."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import click

from .options import db_option, emit, handle_errors, lang_option, uncertainty_options, user_ranges

_ROADMAP_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def _output_option(function):
    return click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
                        help="Fichier de sortie.")(function)


@contextmanager
def _history(db):
    """The history database named by --db (it must exist); without --db, the default one if it
    exists, else none (the roadmap then uses its register, inventories and values only)."""
    from ..history import DEFAULT_DB, ENV_DB, History

    if db is None and not os.environ.get(ENV_DB) and not Path(DEFAULT_DB).is_file():
        yield None
        return
    with History(db, create=False) as history:
        yield history


def _warn(notices, lang) -> None:
    from ..report.messages import notice

    for n in notices:
        click.echo("! " + notice(n, lang), err=True)


@click.group()
def roadmap():
    """Feuille de route « Numérique responsable » : objectifs, indicateurs, trajectoires, bilan annuel.

    \b
    Exemples :
      sobriete roadmap template > feuille-de-route.yaml
      sobriete roadmap status feuille-de-route.yaml --db historique.sqlite
      sobriete roadmap indicators --year 2025 --db historique.sqlite
      sobriete roadmap record valeurs.csv --db historique.sqlite
      sobriete roadmap bilan feuille-de-route.yaml --year 2025 --db historique.sqlite -o bilan-2025.md
    """


@roadmap.command()
def template():
    """Écrit un modèle commenté de feuille de route (les six thèmes) sur la sortie standard.

    \b
    Exemple :
      sobriete roadmap template > feuille-de-route.yaml
    """
    from ..roadmap import template_text

    click.echo(template_text(), nl=False)


@roadmap.command()
@click.argument("roadmap_file", type=_ROADMAP_FILE)
@db_option
@click.option("--year", "as_of", type=int, help="État à cette année (défaut : la dernière mesurée).")
@click.option("--format", "fmt", type=click.Choice(("table", "json", "csv", "xlsx", "html", "md")), default="table",
              show_default=True, help="html ou md : rapport illustré (trajectoires, courbe des coûts d'abattement).")
@_output_option
@click.option("--strict", is_flag=True, help="Échouer au premier élément inutilisable de la feuille de route.")
@uncertainty_options
@lang_option
@handle_errors
def status(roadmap_file, db, as_of, fmt, output, strict, uncertainty, seed, ranges, lang):
    """État de chaque objectif : trajectoire, en bonne voie ou en retard, projection, reste à faire.

    \b
    Exemples :
      sobriete roadmap status examples/roadmap/feuille-de-route.yaml --db examples/roadmap/historique.sqlite
      sobriete roadmap status feuille-de-route.yaml --db h.sqlite --format xlsx -o etat.xlsx
      sobriete roadmap status feuille-de-route.yaml --db h.sqlite --format html -o etat.html
      sobriete roadmap status feuille-de-route.yaml --db h.sqlite --uncertainty 1000 --seed 1
      sobriete roadmap status feuille-de-route.yaml --db h.sqlite --uncertainty 1000 --ranges plages.csv
    """
    from ..report.roadmap import status_year, write_status
    from ..roadmap import evaluate_roadmap, load_roadmap

    if fmt == "xlsx" and output is None:
        from .language import usage_error

        raise usage_error("cli_xlsx_needs_output", "--format xlsx needs --output FILE.xlsx", lang)
    drawn = user_ranges(ranges, uncertainty, lang)
    plan = load_roadmap(roadmap_file, strict=strict)
    with _history(db) as history:
        result = evaluate_roadmap(plan, history, as_of=as_of)
    if strict and result.notices:  # an unusable file, year or indicator met while evaluating
        from ..report.messages import notice
        from ..roadmap.model import RoadmapError

        _warn(result.notices[1:], lang)
        raise RoadmapError(f"--strict: {len(result.notices)} unusable item(s) in the roadmap, the first: "
                           f"{notice(result.notices[0], 'en')}", code="roadmap_strict", count=len(result.notices),
                           first=notice(result.notices[0], lang))
    if fmt != "table":
        _warn(result.notices, lang)
    spread = None
    if uncertainty:
        from ..roadmap.uncertainty import inventory_uncertainty

        spread = inventory_uncertainty(plan, status_year(result), draws=uncertainty, seed=seed, user_ranges=drawn)
    emit(write_status(result, fmt, output, lang=lang, uncertainty=spread))


@roadmap.command()
@click.option("--year", type=int, help="Seulement cette année.")
@db_option
@click.option("--roadmap", "roadmap_file", type=_ROADMAP_FILE,
              help="Feuille de route (registre, effectifs, formules, valeurs saisies).")
@click.option("--list", "list_", is_flag=True, help="Lister les indicateurs intégrés et leur définition.")
@lang_option
@handle_errors
def indicators(year, db, roadmap_file, list_, lang):
    """Valeurs des indicateurs par année (historique, registre, saisies, formules).

    \b
    Exemples :
      sobriete roadmap indicators --year 2025 --db historique.sqlite
      sobriete roadmap indicators --roadmap feuille-de-route.yaml --db historique.sqlite
      sobriete roadmap indicators --list
    """
    from ..report.roadmap import render_definitions, render_indicators
    from ..roadmap import compute_indicators, load_roadmap

    if list_:
        emit(render_definitions(lang=lang))
        return
    plan = load_roadmap(roadmap_file) if roadmap_file else None
    with _history(db) as history:
        values, notices = compute_indicators(plan, history, years=[year] if year else None)
    _warn([*(plan.notices if plan else ()), *notices], lang)
    emit(render_indicators(values, roadmap=plan, year=year, lang=lang))


@roadmap.command()
@click.argument("values_file", type=_ROADMAP_FILE)
@db_option
@lang_option
@handle_errors
def record(values_file, db, lang):
    """Enregistre des valeurs d'indicateurs saisies (indicateur;annee;valeur;unite;commentaire).

    Une valeur remplace celle du même indicateur et de la même année ; tout ou rien.

    \b
    Exemple :
      sobriete roadmap record examples/roadmap/valeurs.csv --db historique.sqlite
    """
    from ..history import History, save_indicator_values
    from ..report.roadmap import recorded_message
    from ..roadmap.indicators import read_values

    frame = read_values(values_file)
    with History(db) as history:
        count = save_indicator_values(history, frame)
        click.echo(recorded_message(count, history.location, lang), err=True)


@roadmap.command()
@click.argument("roadmap_file", type=_ROADMAP_FILE)
@click.option("--year", type=int, required=True, help="Année du bilan.")
@db_option
@_output_option
@lang_option
@handle_errors
def bilan(roadmap_file, year, db, output, lang):
    """Bilan annuel (Markdown) pour le rapport développement durable : mesures, objectifs, évolutions.

    \b
    Exemple :
      sobriete roadmap bilan feuille-de-route.yaml --year 2025 --db historique.sqlite -o bilan-2025.md
    """
    from ..report.roadmap import bilan_to
    from ..roadmap import evaluate_roadmap, load_roadmap

    plan = load_roadmap(roadmap_file)
    with _history(db) as history:
        result = evaluate_roadmap(plan, history, as_of=year)
    emit(bilan_to(result, year=year, output=output, lang=lang))
