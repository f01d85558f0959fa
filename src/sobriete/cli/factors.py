"""``sobriete factors``: browse the factor catalog and check a user's factor file."""

from __future__ import annotations

import sys

import click

from ..errors import SobrieteError
from ..report import error_text, message
from .options import catalog_options, handle_errors, lang_option


@click.group()
def factors():
    """Parcourir le catalogue de facteurs et vérifier un fichier de facteurs.

    \b
    Exemples :
      sobriete factors list
      sobriete factors show laptop
      sobriete factors validate mes_facteurs.csv
    """


@factors.command("list")
@catalog_options
@lang_option
@handle_errors
def list_(catalog, lang):
    """Critères et catégories d'équipements (durée de vie, électricité par défaut).

    \b
    Exemple :
      sobriete factors list --factors mes_facteurs.csv
    """
    from ..report.catalog import render_catalog

    click.echo(render_catalog(catalog.load(), lang=lang), nl=False)


@factors.command()
@click.argument("identifier", metavar="ID")
@catalog_options
@lang_option
@handle_errors
def show(identifier, catalog, lang):
    """Tous les facteurs d'un identifiant (catégorie, critère, zone, source), avec leur source.

    \b
    Exemples :
      sobriete factors show laptop
      sobriete factors show FR
    """
    from ..report.catalog import render_factor

    click.echo(render_factor(catalog.load(), identifier, lang=lang), nl=False)


@factors.command()
@catalog_options
@lang_option
@handle_errors
def sources(catalog, lang):
    """Les sources des facteurs : organisme, document, année, licence.

    \b
    Exemple :
      sobriete factors sources
    """
    from ..report.catalog import render_sources

    click.echo(render_sources(catalog.load(), lang=lang), nl=False)


@factors.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--factors-dir", envvar="SOBRIETE_FACTORS_DIR", hidden=True, type=click.Path(exists=True, file_okay=False))
@lang_option
def validate(files, factors_dir, lang):
    """Vérifie des fichiers de facteurs : OK, ou l'erreur précise (fichier, ligne, colonne). Code 1 si invalide.

    \b
    Exemple :
      sobriete factors validate mes_facteurs.csv
    """
    from ..factors import load_catalog

    try:
        catalog = load_catalog(*files, directory=factors_dir)
    except SobrieteError as exc:
        click.echo(message("invalid", lang, error=error_text(exc, lang)), err=True)
        sys.exit(1)
    click.echo(message("valid", lang, file=", ".join(files), tables=", ".join(catalog.table_names),
                       version=catalog.version))
