"""``sobriete project``: the environmental assessment of a project before it is decided."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import click

from .options import ALLOCATIONS
from .options import catalog_options, db_option, emit, handle_errors, lang_option, uncertainty_options, user_ranges

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
_FORMATS = ("table", "json", "csv", "xlsx", "html", "md")


@click.group()
def project() -> None:
    """Évaluation environnementale d'un projet avant décision : variantes, deltas, retour, sensibilité.

    \b
    Exemples :
      sobriete project template > projet.yaml
      sobriete project assess examples/projects/renouvellement_portables.yaml
    """


@project.command()
def template() -> None:
    """Affiche un fichier de projet commenté, à compléter.

    \b
    Exemple :
      sobriete project template > projet.yaml
    """
    click.echo(resources.files("sobriete.project").joinpath("template.yaml").read_text(encoding="utf-8"), nl=False)


def _run(path: Path, baseline, allocation, catalog, sensitivity: bool):
    from ..project import assess_project, load_project

    loaded, source = load_project(path)
    if baseline:
        loaded = loaded.model_copy(update={"baseline": loaded.baseline.model_copy(
            update={"inputs": [str(Path(p).resolve()) for p in baseline]})})
    return assess_project(loaded, source=source, catalog=catalog.load(), allocation=allocation,
                          sensitivity=sensitivity)


@project.command()
@click.argument("project_file", type=_FILE)
@click.option("--baseline", multiple=True, type=click.Path(exists=True, path_type=Path), metavar="DIR|FILE",
              help="Inventaire de référence (remplace baseline.inputs du fichier ; répétable).")
@click.option("--allocation", type=click.Choice(ALLOCATIONS), default="amortised", show_default=True,
              help="Allocation des impacts de fabrication dans les deltas annuels.")
@click.option("--no-sensitivity", is_flag=True, help="Sans analyse de sensibilité.")
@catalog_options
@click.option("--format", "fmt", type=click.Choice(_FORMATS), default="table", show_default=True,
              help="html ou md : rapport illustré (graphiques SVG, écrits à côté pour md).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Fichier de sortie.")
@lang_option
@click.option("--save", is_flag=True, help="Enregistrer le projet évalué dans l'historique.")
@click.option("--roadmap", "roadmap_file", type=_FILE, default=None,
              help="Feuille de route : le delta annuel face au budget restant de ses cibles carbone (avec --db).")
@db_option
@uncertainty_options
@handle_errors
def assess(project_file, baseline, allocation, no_sensitivity, catalog, fmt, output, lang, save, roadmap_file, db,
           uncertainty, seed, ranges):
    """Évalue un projet : chaque variante contre la référence, année par année.

    Codes de sortie : 0 succès, 1 lignes de la référence rejetées, 2 erreur d'usage ou d'entrée
    (fichier de projet invalide : une phrase nommant le fichier, la ligne et le champ).

    \b
    Exemples :
      sobriete project assess projet.yaml
      sobriete project assess projet.yaml --baseline inventaire/ --format json -o projet.json
      sobriete project assess projet.yaml --save --db historique.sqlite --lang en
      sobriete project assess projet.yaml --roadmap feuille-de-route.yaml --db historique.sqlite
      sobriete project assess projet.yaml --format html -o projet.html
      sobriete project assess projet.yaml --uncertainty 1000 --seed 1
      sobriete project assess projet.yaml --uncertainty 1000 --ranges examples/uncertainty/ranges.csv
    """
    from .. import report
    from ..report import project as project_report

    drawn = user_ranges(ranges, uncertainty, lang, catalog.load())  # the file's ranges serve the sensitivity
    if any(r.field == "lifetime_years" for r in drawn):  # a drawn lifetime would overwrite the variants' own
        from .language import usage_error

        raise usage_error("cli_project_lifetime_range", "--ranges: a lifetime_years range cannot be drawn in a "
                          "project, whose variants set lifetimes; give it in the project file (ranges: "
                          "{{lifetime_years: [low, high]}}) for the sensitivity analysis", lang)
    result = _run(project_file, baseline, allocation, catalog, not no_sensitivity)
    if roadmap_file is not None:
        _roadmap_fit(result, roadmap_file, db)
    if save:
        from ..history import ProjectHistory

        with ProjectHistory(db) as history:
            saved = history.save_project(result)
            click.echo(report.message("project_saved", lang, db=history.location, id=saved), err=True)
    spread = None
    if uncertainty:
        from ..project.uncertainty import project_uncertainty

        spread = project_uncertainty(result, draws=uncertainty, seed=seed, user_ranges=drawn)
    text = project_report.write(result, fmt, output, lang=lang, uncertainty=spread)
    if drawn and fmt == "table" and text is not None:
        from ..report.uncertainty import render_user_ranges

        text += "\n" + render_user_ranges(drawn, lang)
    emit(text)
    sys.exit(1 if result.quality.rows_rejected else 0)


def _roadmap_fit(result, roadmap_file: Path, db) -> None:
    """The project ↔ roadmap block: the roadmap's statuses from the history at ``db``."""
    from ..history import History
    from ..project.roadmap_fit import assess_roadmap_fit
    from ..roadmap import load_roadmap

    plan = load_roadmap(roadmap_file)
    with History(db, create=False) as history:
        assess_roadmap_fit(result, plan, history)


@project.command()
@click.argument("project_files", nargs=-1, required=True, type=_FILE)
@catalog_options
@lang_option
@handle_errors
def compare(project_files, catalog, lang):
    """Compare plusieurs projets (toutes leurs variantes) : net, par usager, retours.

    \b
    Exemple :
      sobriete project compare a.yaml b.yaml
    """
    from ..report import project as project_report

    results = [_run(path, (), "amortised", catalog, False) for path in project_files]
    emit(project_report.compare_table(results, lang=lang))
    sys.exit(1 if any(r.quality.rows_rejected for r in results) else 0)


@project.command("list")
@db_option
@lang_option
@handle_errors
def list_(db, lang):
    """Liste les projets enregistrés dans l'historique.

    \b
    Exemple :
      sobriete project list --db historique.sqlite
    """
    from ..history import ProjectHistory
    from ..report import project as project_report

    with ProjectHistory(db, create=False) as history:
        emit(project_report.saved_projects_table(history.list_projects(), lang=lang))


@project.command()
@click.argument("project_id", type=int)
@db_option
@lang_option
@handle_errors
def show(project_id, db, lang):
    """Affiche un projet enregistré (son rapport au format JSON).

    \b
    Exemple :
      sobriete project show 1 --db historique.sqlite
    """
    from ..history import ProjectHistory

    with ProjectHistory(db, create=False) as history:
        emit(history.show_project(project_id) + "\n")
