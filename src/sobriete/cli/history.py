"""``sobriete history``: saved assessments and year-on-year changes."""

from __future__ import annotations

import click

from ..report import message
from .language import usage_error
from .options import catalog_options, db_option, emit, handle_errors, lang_option, ranges_option, user_ranges


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


#: ``--include-caveated`` of the history views (as ``assess``).
include_caveated_option = click.option(
    "--include-caveated", is_flag=True,
    help="Compter dans les totaux les phases que leur source juge peu fiables (eau en fin de vie).")


@history.command("list")
@db_option
@lang_option
@include_caveated_option
@handle_errors
def list_(db, lang, include_caveated):
    """Les évaluations enregistrées, avec leurs totaux.

    \b
    Exemple :
      sobriete history list --db bilans.sqlite
    """
    from ..history import History
    from ..report.history import render_history_list

    with History(db, create=False) as store:
        frame = store.list(include_caveated=include_caveated)
        text = render_history_list(frame, lang=lang) if len(frame) else \
            message("history_empty", lang, db=store.location) + "\n"
    click.echo(text, nl=False)


@history.command()
@click.argument("year", type=int)
@click.option("--id", "assessment_id", type=int, help="Numéro de l'évaluation quand l'année en a plusieurs.")
@db_option
@lang_option
@include_caveated_option
@handle_errors
def show(year, assessment_id, db, lang, include_caveated):
    """Le rapport d'une évaluation enregistrée.

    \b
    Exemple :
      sobriete history show 2025
    """
    from ..history import History
    from ..report import render_table

    with History(db, create=False) as store:
        saved = store.load(year, assessment_id=assessment_id)
    click.echo(render_table(saved, lang=lang, include_caveated=include_caveated), nl=False)


@history.command()
@click.argument("year_a", type=int)
@click.argument("year_b", type=int)
@click.option("--by", help="Comparer par ce regroupement (ex. entity), ou par domaine (domain).")
@click.option("--id-a", type=int, help="Numéro de l'évaluation de YEAR_A quand l'année en a plusieurs.")
@click.option("--id-b", type=int, help="Numéro de l'évaluation de YEAR_B quand l'année en a plusieurs.")
@click.option("--format", "fmt", type=click.Choice(("table", "html", "md")), default="table", show_default=True,
              help="html ou md : rapport illustré.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Fichier de sortie (html, md).")
@click.option("--uncertainty", "draws", type=click.IntRange(2, 100_000), metavar="N",
              help="Incertitude de l'écart : N tirages Monte Carlo, écart calculé tirage par tirage et probabilité "
                   "d'une baisse (demande --inputs-a et --inputs-b).")
@click.option("--seed", type=click.IntRange(0), default=0, show_default=True,
              help="Graine des tirages (même graine, mêmes tirages).")
@ranges_option
@click.option("--inputs-a", multiple=True, type=click.Path(exists=True), metavar="CHEMIN",
              help="Fichiers ou dossier évalués pour YEAR_A (répétable ; l'historique ne garde que leurs noms).")
@click.option("--inputs-b", multiple=True, type=click.Path(exists=True), metavar="CHEMIN",
              help="Fichiers ou dossier évalués pour YEAR_B (répétable).")
@catalog_options
@db_option
@lang_option
@include_caveated_option
@handle_errors
def compare(year_a, year_b, by, id_a, id_b, fmt, output, draws, seed, ranges, inputs_a, inputs_b, catalog, db,
            lang, include_caveated):
    """Évolution entre deux années par critère, phase et groupe (absolue et en %).

    \b
    Exemples :
      sobriete history compare 2024 2025
      sobriete history compare 2024 2025 --by entity
      sobriete history compare 2024 2025 --by domain
      sobriete history compare 2024 2025 --by entity --format html -o evolution.html
      sobriete history compare 2024 2025 --uncertainty 1000 --seed 1 \\
        --inputs-a bilan2024/ --inputs-b examples/2025/ --ranges examples/uncertainty/ranges.csv
    """
    from ..history import History, compare_assessments
    from ..report.caveats import headline
    from ..report.history import render_comparison

    if draws and not (inputs_a and inputs_b):
        raise usage_error("cli_uncertainty_needs_inputs", "--uncertainty needs the inputs of both years: "
                          "--inputs-a PATH and --inputs-b PATH (the history keeps only their names)", lang)
    loaded = catalog.load()
    drawn = user_ranges(ranges, draws, lang, loaded)
    with History(db, create=False) as store:
        saved = [store.load(year, assessment_id=i) for year, i in ((year_a, id_a), (year_b, id_b))]
    a, b = (headline(s, include_caveated=include_caveated).assessment for s in saved)
    frame = compare_assessments(a, b, by=by)
    change, used = _drawn_change(saved, (inputs_a, inputs_b), loaded, draws, seed, include_caveated, drawn) \
        if draws else (None, None)
    if draws:
        for assessment, paths in zip(saved, (inputs_a, inputs_b)):
            _warn_if_not_saved(assessment, paths, lang)
    if fmt != "table":  # the illustrated report (report/yearly.py)
        from ..report.render import render_document
        from ..report.history import uncertainty_section
        from ..report.yearly import comparison_document

        doc = comparison_document(frame, year_a, year_b, lang=lang)
        if change is not None:
            uncertainty_section(doc, change, year_a, year_b, draws=draws, seed=seed, lang=lang)
            if drawn:
                from ..report.uncertainty import user_ranges_section

                user_ranges_section(doc, drawn, lang, used=used)
        emit(render_document(doc, fmt, lang, output=output))
        return
    click.echo(render_comparison(frame, year_a, year_b, lang=lang, labels={**a.item_labels, **b.item_labels}),
               nl=False)
    if change is not None:
        from ..report.history import uncertainty_text

        from ..report.uncertainty import render_user_ranges

        click.echo(uncertainty_text(change, year_a, year_b, draws=draws, seed=seed, lang=lang)
                   + render_user_ranges(drawn, lang, used=used), nl=False)


def _warn_if_not_saved(assessment, paths, lang: str) -> None:
    """Say on stderr when the given inputs do not hold the saved assessment's files (by SHA-256)."""
    from ..assessment import InputFile
    from ..io import expand_paths
    from ..report.history import INPUTS_DIFFER

    given = {InputFile.from_path(f).sha256 for f in expand_paths(paths)}
    missing = [i.name for i in assessment.inputs if i.sha256 not in given]
    if missing:
        click.echo(INPUTS_DIFFER[lang].format(year=assessment.year, names=", ".join(missing)), err=True)


def _drawn_change(saved, inputs, catalog, draws: int, seed: int, include_caveated: bool, ranges=()):
    """The change of the grand totals, draw by draw (:func:`sobriete.uncertainty.compare`): each
    year's inputs drawn with the saved assessment's year, groups, allocation and network model,
    same seed, the user's ``ranges`` drawn in both; the phases their source disowns are left out as
    in the table unless included. Returns the change and the ids of the inputs the runs respond to."""
    from dataclasses import replace

    from ..assessment import Options
    from ..report.caveats import caveated_cells
    from ..report.uncertainty import ranges_used
    from ..uncertainty import compare, monte_carlo_files

    runs = [monte_carlo_files(list(paths), year=s.year, by=list(s.by), allocation=s.allocation, catalog=catalog,
                              options=Options(network_model=s.network_model), draws=draws, seed=seed,
                              user_ranges=ranges)
            for s, paths in zip(saved, inputs)]
    cells = set() if include_caveated else {(c, p) for s in saved for c, p, _ in caveated_cells(s)}
    if cells:
        runs = [replace(run, domains={name: _without_cells(d, cells) for name, d in run.domains.items()})
                for run in runs]
    return compare(*runs), ranges_used(*runs)


def _without_cells(draws, cells):
    """A domain's draws (and its deterministic footprint) with the ``(criterion, phase)`` cells at 0."""
    from dataclasses import replace

    fp = draws.deterministic
    values, fixed = draws.values.copy(), fp.values.copy()
    for criterion, phase in cells:
        if criterion in fp.criteria and phase in fp.phases:
            c, p = fp.criteria.index(criterion), fp.phases.index(phase)
            values[..., c, p] = 0.0
            fixed[..., c, p] = 0.0
    return replace(draws, values=values, deterministic=replace(fp, values=fixed))
