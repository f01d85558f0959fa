"""``sobriete network``: connectivity lines and traffic (copper switch-off, roadmap Action 6)."""

from __future__ import annotations

import json
import sys

import click
import pandas as pd

from ..io import InputResult, read_table
from ..network import copper_switch_off
from ..report.messages import notice, reason
from .options import handle_errors, lang_option

LABELS = {
    "fr": {"commune": "Commune", "switched_lines": "Lignes basculées", "before": "Avant", "after": "Après",
           "difference": "Écart", "total": "Total", "title": "Extinction du cuivre {year} (kgCO2e/an)"},
    "en": {"commune": "Commune", "switched_lines": "Lines switched", "before": "Before", "after": "After",
           "difference": "Difference", "total": "Total", "title": "Copper switch-off {year} (kgCO2e/yr)"},
}


def read_lines(path: str, profile: str | None = None) -> InputResult:
    """Read a lines file (operator invoice export...) with :mod:`sobriete.io` (profile recognised
    among the lines profiles unless given)."""
    return read_table(path, profile=profile, domain="lines")


def _count(value: float, lang: str) -> str:
    """A number of lines: an integer (``1 200``), or one decimal if the file gave a fraction."""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return text.replace(",", "\u202f").replace(".", ",") if lang == "fr" else text


def _format(table: pd.DataFrame, lang: str, year: int) -> str:
    labels = LABELS[lang]
    number = (lambda v: f"{v:,.1f}".replace(",", "\u202f").replace(".", ",")) if lang == "fr" else \
        (lambda v: f"{v:,.1f}")
    total = {"commune": labels["total"], **{c: table[c].sum() for c in ("switched_lines", "before", "after",
                                                                          "difference")}}
    rows = [*table.to_dict("records"), total]
    columns = ["commune", "switched_lines", "before", "after", "difference"]
    cells = [[labels[c] for c in columns]] + [[str(r[c]) if c == "commune" else
                                               _count(r[c], lang) if c == "switched_lines" else number(r[c])
                                               for c in columns] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    lines = [labels["title"].format(year=year)]
    lines += ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
              for row in cells]
    return "\n".join(lines)


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
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@handle_errors
def copper_switch(lines_file: str, year: int, profile: str | None, lang: str, fmt: str) -> None:
    """Empreinte avant/après le passage des lignes ADSL/VDSL en fibre (FTTH), par commune.

    \b
    Exemple :
      sobriete network copper-switch examples/2025/lignes_operateur.csv --year 2025
    """
    lines = read_lines(lines_file, profile)
    result = copper_switch_off(lines.frame, year, by="commune")
    quality = lines.combine_quality(result.before.quality)
    table = result.table("gwp")
    if fmt == "json":
        click.echo(json.dumps({"year": year, "criterion": "gwp", "unit": "kgCO2e",
                               "communes": table.to_dict("records"),
                               "quality": quality.to_dict()}, ensure_ascii=False, default=float))
    else:
        click.echo(_format(table, lang, year))
        for warning in quality.warnings:  # only gwp is displayed: other criteria's gaps are not shown
            if getattr(warning, "code", None) != "missing_factor" or warning.params["criterion"] == "gwp":
                click.echo(f"! {notice(warning, lang)}", err=True)
        if quality.rows_rejected:
            click.echo(f"! {quality.rows_rejected}/{quality.rows_read} : "
                       + "; ".join(f"{r.row} {r.column} : {reason(r.reason_code, r.reason, lang)}"
                                   for r in quality.rejected.head(5).itertuples()), err=True)
    sys.exit(1 if quality.rows_rejected else 0)
