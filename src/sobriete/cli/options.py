"""Shared options and error handling of the commands."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import SobrieteError
from ..report import LANGUAGES, error_text, message

if TYPE_CHECKING:
    from ..factors import FactorCatalog

#: Inputs larger than this [byte] get a progress bar (when stderr is a terminal).
PROGRESS_MIN_BYTES = 20_000_000
#: The library's choice lists, repeated so that a command's ``--help`` imports no engine module
#: (pandas, pint); ``tests/test_cli.py`` checks them against :data:`sobriete.equipment.ALLOCATIONS`,
#: :data:`sobriete.network.NETWORK_MODELS` and :data:`sobriete.network.DEFAULT_MODEL`.
ALLOCATIONS = ("amortised", "at_purchase")
NETWORK_MODELS = ("combined", "per_gb", "per_line")
DEFAULT_NETWORK_MODEL = "combined"
#: :data:`sobriete.assessment.AUTO`: the key of the inputs recognised file by file.
AUTO = "auto"
#: :data:`sobriete.lighting_factors.ELECTRICITY_CHOICES` and ``DEFAULT_ELECTRICITY``.
LIGHTING_ELECTRICITY = ("mix", "usage")
DEFAULT_LIGHTING_ELECTRICITY = "mix"
#: :data:`sobriete.sun.SUNRISE_ELEVATION_DEG`: sun elevation at sunrise and sunset [deg].
SUNRISE_ELEVATION_DEG = -0.833
#: :data:`sobriete.report.FORMATS` and :data:`sobriete.report.yearly.YEARLY_FORMATS`.
FORMATS = ("table", "json", "csv", "xlsx")
YEARLY_FORMATS = ("html", "md")
#: :data:`sobriete.distributed.ENGINES`.
ENGINES = ("pandas", "dask")
#: :data:`sobriete.report.compliance.FORMATS`.
COMPLIANCE_FORMATS = ("table", "json", "csv", "html", "md")


def lang_option(function: Callable) -> Callable:
    return click.option("--lang", type=click.Choice(LANGUAGES), default="fr", show_default=True,
                        envvar="SOBRIETE_LANG", help="Langue du rapport / report language.")(function)


def db_option(function: Callable) -> Callable:
    return click.option("--db", metavar="PATH|URL",
                        help="Base d'historique (défaut : $SOBRIETE_DB ou ./sobriete.sqlite).")(function)


def catalog_options(function: Callable) -> Callable:
    """``--factors FILE`` (repeatable overrides) and the hidden base folder ``--factors-dir``
    (env ``SOBRIETE_FACTORS_DIR``), passed to the command as ``catalog``."""

    @click.option("--factors", "factor_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
                  help="Fichier de facteurs qui complète ou remplace le catalogue (répétable).")
    @click.option("--factors-dir", envvar="SOBRIETE_FACTORS_DIR", hidden=True,
                  type=click.Path(exists=True, file_okay=False))
    @functools.wraps(function)
    def wrapper(*args, factor_files: Sequence[str], factors_dir: str | None, **kwargs):
        kwargs["catalog"] = _LazyCatalog(tuple(factor_files), factors_dir)
        return function(*args, **kwargs)

    return wrapper


class _LazyCatalog:
    """The catalog, loaded when first needed (inside the error handler)."""

    def __init__(self, files: tuple[str, ...], directory: str | None):
        self.files, self.directory = files, directory

    def load(self) -> FactorCatalog:
        from ..factors import load_catalog

        return load_catalog(*self.files, directory=self.directory)


def split_keys(_ctx, _param, value: str | None) -> tuple[str, ...]:
    """``--by entity,category`` → ``("entity", "category")``."""
    return tuple(k.strip() for k in (value or "").split(",") if k.strip())


def handle_errors(function: Callable) -> Callable:
    """Turn library and file errors into one sentence on stderr and exit code 2."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        lang = kwargs.get("lang", "fr")
        try:
            return function(*args, **kwargs)
        except (SobrieteError, OSError) as exc:
            click.echo(message("error", lang, error=error_text(exc, lang)), err=True)
            sys.exit(2)

    return wrapper


def emit(text: str | None) -> None:
    """Print a report's text on standard output (nothing when it went to a file)."""
    if text is not None:
        click.echo(text, nl=False)


def say_written(output: Path | None, quality, lang: str) -> None:
    """When the report went to a file, say where on standard error, and what became of the rows
    (``quality``: a :class:`~sobriete.footprint.DataQuality`)."""
    if output is None:
        return
    from ..report import assessment as report

    counts = {k: report.format_count(v, lang) for k, v in (("read", quality.rows_read),
              ("assessed", quality.rows_assessed), ("rejected", quality.rows_rejected))}
    click.echo(report.message("written", lang, file=output, **counts), err=True)


@contextmanager
def progress_bar(inputs: Sequence[Path], steps: int) -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress callback drawing a bar on stderr, only for large inputs on a terminal."""
    size = sum(_size(p) for p in inputs)
    if size < PROGRESS_MIN_BYTES or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=steps, file=sys.stderr, label="sobriete") as bar:
        yield lambda step, done, total: bar.update(1)


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def ranges_option(function):
    """``--ranges FILE``: the user's own uncertainty ranges, passed as ``ranges`` (read with
    :func:`user_ranges`)."""
    return click.option("--ranges", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FICHIER",
                        help="Vos plages d'incertitude, tirées avec --uncertainty (CSV, XLSX ou YAML : parametre, "
                             "element, bas, valeur, haut, loi, note ; ex. examples/uncertainty/ranges.csv).")(function)


def user_ranges(path: Path | None, draws: int | None, lang: str, catalog: FactorCatalog | None = None) -> list:
    """The ranges of ``--ranges`` (none without it); ``--ranges`` without ``--uncertainty`` is a usage error."""
    if path is None:
        return []
    if not draws:
        from .language import usage_error

        raise usage_error("cli_ranges_needs_uncertainty", "--ranges goes with --uncertainty N", lang)
    from ..uncertainty import read_ranges

    return read_ranges(path, catalog=catalog)


def uncertainty_options(function):
    """``--uncertainty N`` (Monte Carlo draws, passed as ``uncertainty``; none by default), ``--seed``
    and ``--ranges``."""
    function = ranges_option(function)
    function = click.option("--seed", type=click.IntRange(0), default=0, show_default=True,
                            help="Graine des tirages (même graine, mêmes tirages).")(function)
    return click.option("--uncertainty", type=click.IntRange(2, 100_000), metavar="N",
                        help="Incertitude : N tirages Monte Carlo sur les plages des facteurs (ex. 1000), "
                             "intervalle 5-95 %.")(function)
