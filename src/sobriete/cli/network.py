"""``sobriete network``: connectivity lines and traffic (copper switch-off, roadmap Action 6)."""

from __future__ import annotations

import sys

import click

from .options import emit, handle_errors, lang_option


def read_lines(path: str, profile: str | None = None):
    """Read a lines file (operator invoice export...) with :mod:`sobriete.io` (profile recognised
    among the lines profiles unless given): an :class:`~sobriete.io.InputResult`."""
    from ..io import read_table

    return read_table(path, profile=profile, domain="lines")


@click.group("network")
def network() -> None:
    """Réseau : lignes et trafic (extinction du cuivre, action 6 de la feuille de route).

    \b
    Exemple :
      sobriete network copper-switch examples/2025/lignes_operateur.csv --year 2025
    """


@network.command("copper-switch")
@click.argument("lines_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--year", type=int, required=True, help="Année évaluée.")
@click.option("--profile", help="Profil de colonnes (défaut : reconnu, ex. operateur).")
@lang_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "html", "md"]), default="table", show_default=True,
              help="Format de sortie (html, md : rapport illustré avec graphique).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Fichier de sortie (html, md).")
@handle_errors
def copper_switch(lines_file: str, year: int, profile: str | None, lang: str, fmt: str, output: str | None) -> None:
    """Empreinte avant/après le passage des lignes ADSL/VDSL en fibre (FTTH), par commune :
    variation (après − avant) et économie (avant − après).

    \b
    Exemple :
      sobriete network copper-switch examples/2025/lignes_operateur.csv --year 2025
      sobriete network copper-switch examples/2025/lignes_operateur.csv --year 2025 --format html -o cuivre.html
    """
    from .._prepared import as_written, profile_headers
    from ..io import read_raw
    from ..network import copper_switch_off
    from ..report.network import switch_off_json, switch_off_messages, switch_off_table

    lines = read_lines(lines_file, profile)
    result = copper_switch_off(lines.frame, year, by="commune")
    raw = read_raw(lines_file).frame
    headers = profile_headers(raw, next(iter(lines.profiles.values()), "operateur"))
    quality = as_written(lines.combine_quality(result.before.quality), raw, headers)
    if fmt in ("html", "md"):  # the illustrated report (md: the chart written beside -o)
        from ..report.render import render_document
        from ..report.network import switch_off_document

        emit(render_document(switch_off_document(result, quality, year, lang=lang), fmt, lang, output=output))
    elif fmt == "json":
        click.echo(switch_off_json(result, quality, year))
    else:
        click.echo(switch_off_table(result, year, lang=lang))
        for line in switch_off_messages(quality, lang=lang):
            click.echo(f"! {line}", err=True)
    sys.exit(1 if quality.rows_rejected else 0)
