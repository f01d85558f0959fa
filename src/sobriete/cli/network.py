"""``sobriete network``: connectivity lines and traffic (copper switch-off, roadmap Action 6)."""

from __future__ import annotations

import json
import unicodedata

import click
import pandas as pd

from ..errors import InputFormatError, SobrieteError
from ..network import copper_switch_off

#: Operator invoice headers → canonical line columns (matched casefolded, without accents).
#: Replaced by a sobriete.io profile once the io readers are merged.
LINE_HEADERS = {"commune": "commune", "site": "site", "technologie": "technology", "technology": "technology",
                "type de ligne": "technology", "nombre de lignes": "count", "nombre": "count", "quantite": "count",
                "count": "count", "zone": "zone"}
LABELS = {
    "fr": {"commune": "Commune", "switched_lines": "Lignes basculées", "before": "Avant", "after": "Après",
           "difference": "Écart", "total": "Total", "title": "Extinction du cuivre {year} (kgCO2e/an)"},
    "en": {"commune": "Commune", "switched_lines": "Lines switched", "before": "Before", "after": "After",
           "difference": "Difference", "total": "Total", "title": "Copper switch-off {year} (kgCO2e/yr)"},
}


def _key(text: object) -> str:
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().split())


def read_lines(path: str) -> pd.DataFrame:
    """Read an operator line export (French CSV: ';' or ',', decimal comma) into canonical columns."""
    try:
        frame = pd.read_csv(path, sep=None, engine="python", dtype=str, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputFormatError(f"cannot read the lines file: {exc}", file=path) from exc
    frame = frame.rename(columns={c: LINE_HEADERS[_key(c)] for c in frame.columns if _key(c) in LINE_HEADERS})
    if "count" in frame.columns:
        frame["count"] = frame["count"].str.replace("\u202f", "").str.replace(" ", "").str.replace(",", ".")
    frame.index = frame.index + 2  # file line numbers in rejections (header is line 1)
    return frame.assign(_file=path)


def _format(table: pd.DataFrame, lang: str, year: int) -> str:
    labels = LABELS[lang]
    number = (lambda v: f"{v:,.1f}".replace(",", "\u202f").replace(".", ",")) if lang == "fr" else \
        (lambda v: f"{v:,.1f}")
    total = {"commune": labels["total"], **{c: table[c].sum() for c in ("switched_lines", "before", "after",
                                                                          "difference")}}
    rows = [*table.to_dict("records"), total]
    columns = ["commune", "switched_lines", "before", "after", "difference"]
    cells = [[labels[c] for c in columns]] + [[str(r[c]) if c == "commune" else number(r[c]) for c in columns]
                                              for r in rows]
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
@click.argument("lines_file", type=click.Path(dir_okay=False))
@click.option("--year", type=int, required=True, help="Année évaluée.")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def copper_switch(lines_file: str, year: int, lang: str, fmt: str) -> None:
    """Empreinte avant/après le passage des lignes ADSL/VDSL en fibre (FTTH), par commune.

    \b
    Exemple :
      sobriete network copper-switch examples/2025/lignes_operateur.csv --year 2025
    """
    try:
        result = copper_switch_off(read_lines(lines_file), year, by="commune")
    except SobrieteError as exc:
        raise click.ClickException(str(exc)) from None
    table = result.table("gwp")
    if fmt == "json":
        click.echo(json.dumps({"year": year, "criterion": "gwp", "unit": "kgCO2e",
                               "communes": table.to_dict("records"),
                               "quality": result.before.quality.to_dict()}, ensure_ascii=False, default=float))
    else:
        click.echo(_format(table, lang, year))
        for warning in result.before.quality.warnings:  # the other criteria are not displayed
            if "/" not in warning.split(":")[0] or warning.startswith("gwp/"):
                click.echo(f"! {warning}", err=True)
