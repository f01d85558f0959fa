"""``sobriete history``: saved assessments and year-on-year changes."""

from __future__ import annotations

import click

from ..history import History
from ..report import message, render_table
from ..report.history import render_comparison, render_history_list
from .options import db_option, emit, handle_errors, lang_option


@click.group()
def history():
    """Historique des évaluations enregistrées avec « assess --save ».

    \b
    Exemples :
      sobriete history list
      sobriete history show 2025
      sobriete history compare 2024 2025 --by entity
      sobriete history compare 2024 2025 --by domain
    """


@history.command("list")
@db_option
@lang_option
@handle_errors
def list_(db, lang):
    """Les évaluations enregistrées, avec leurs totaux.

    \b
    Exemple :
      sobriete history list --db bilans.sqlite
    """
    with History(db, create=False) as store:
        frame = store.list()
        text = render_history_list(frame, lang=lang) if len(frame) else \
            message("history_empty", lang, db=store.location) + "\n"
    click.echo(text, nl=False)


@history.command()
@click.argument("year", type=int)
@click.option("--id", "assessment_id", type=int, help="Numéro de l'évaluation quand l'année en a plusieurs.")
@db_option
@lang_option
@handle_errors
def show(year, assessment_id, db, lang):
    """Le rapport d'une évaluation enregistrée.

    \b
    Exemple :
      sobriete history show 2025
    """
    with History(db, create=False) as store:
        click.echo(render_table(store.load(year, assessment_id=assessment_id), lang=lang), nl=False)


@history.command()
@click.argument("year_a", type=int)
@click.argument("year_b", type=int)
@click.option("--by", help="Comparer par ce regroupement (ex. entity), ou par domaine (domain).")
@click.option("--id-a", type=int, help="Numéro de l'évaluation de YEAR_A quand l'année en a plusieurs.")
@click.option("--id-b", type=int, help="Numéro de l'évaluation de YEAR_B quand l'année en a plusieurs.")
@click.option("--format", "fmt", type=click.Choice(("table", "html", "md")), default="table", show_default=True,
              help="html ou md : rapport illustré.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Fichier de sortie (html, md).")
@db_option
@lang_option
@handle_errors
def compare(year_a, year_b, by, id_a, id_b, fmt, output, db, lang):
    """Évolution entre deux années par critère, phase et groupe (absolue et en %).

    \b
    Exemples :
      sobriete history compare 2024 2025
      sobriete history compare 2024 2025 --by entity
      sobriete history compare 2024 2025 --by domain
      sobriete history compare 2024 2025 --by entity --format html -o evolution.html
    """
    with History(db, create=False) as store:
        frame = store.compare(year_a, year_b, by=by, id_a=id_a, id_b=id_b)
    if fmt != "table":  # the illustrated report (report/yearly.py)
        from ..report.document import render_document
        from ..report.yearly import comparison_document

        emit(render_document(comparison_document(frame, year_a, year_b, lang=lang), fmt, lang, output=output))
        return
    click.echo(render_comparison(frame, year_a, year_b, lang=lang), nl=False)
