"""Click's own words in French: help pages, usage errors, ``[défaut : …]``.

Click passes every text it shows through gettext (``_`` and ``ngettext`` in its modules); while
a sobriete command runs, :func:`click_texts` puts a French catalogue in their place. Help pages
are always French, like the commands' docstrings; usage errors (missing argument or option,
invalid value, unknown option) follow the command's ``--lang`` or ``SOBRIETE_LANG`` (French by
default) and are one sentence on stderr, exit code 2.
"""

from __future__ import annotations

import contextvars
import importlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types

from ..report.error_messages import ERRORS_FR
from ..report.messages import LANGUAGES, message

#: Click's texts of a help page, always French (the commands' docstrings are).
HELP_FR = {
    "Usage:": "Utilisation :",
    "Options": "Options",
    "Commands": "Commandes",
    "Positional arguments": "Arguments",
    "Show this message and exit.": "Afficher cette aide et quitter.",
    "Show the version and exit.": "Afficher la version et quitter.",
    "default: {default}": "défaut : {default}",
    "env var: {var}": "variable d'environnement : {var}",
    "required": "obligatoire",
    "(dynamic)": "(dynamique)",
    "file": "fichier",
    "directory": "dossier",
    "path": "chemin",
}

#: Click's error texts in French (message ids of click 8: the English texts).
ERRORS_CLICK_FR = {
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Essayez « {command} {option} » pour l'aide.",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing {param_type}": "{param_type} manquant",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "Missing command.": "Commande manquante.",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "No such option {name!r}.": "Option inconnue « {name} ».",
    "No such command {name!r}.": "Commande inconnue « {name} ».",
    "Did you mean {possibility}?": "Vouliez-vous dire {possibility} ?",
    "(Did you mean one of: {possibilities}?)": "(Vouliez-vous dire l'une de : {possibilities} ?)",
    "Got unexpected extra argument ({args})": "Argument en trop ({args})",
    "Got unexpected extra arguments ({args})": "Arguments en trop ({args})",
    "Option {name!r} requires an argument.": "L'option « {name} » demande une valeur.",
    "Option {name!r} requires {nargs} arguments.": "L'option « {name} » demande {nargs} valeurs.",
    "Option {name!r} does not take a value.": "L'option « {name} » ne prend pas de valeur.",
    "Argument {name!r} takes {nargs} values.": "L'argument « {name} » prend {nargs} valeurs.",
    "{value!r} is not {choice}.": "« {value} » n'est pas {choice}.",
    "{value!r} is not one of {choices}.": "« {value} » n'est pas parmi {choices}.",
    "{value!r} is not a valid {number_type}.": "« {value} » n'est pas un nombre valide ({number_type}).",
    "{value} is not in the range {range}.": "{value} n'est pas dans l'intervalle {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "« {value} » n'est pas un booléen valide. Valeurs reconnues : {states}",
    "{value!r} does not match the format {format}.": "« {value} » ne suit pas le format {format}.",
    "{value!r} does not match the formats {formats}.": "« {value} » ne suit aucun des formats {formats}.",
    "{name} {filename!r} does not exist.": "« {filename} » introuvable.",
    "{name} {filename!r} is a file.": "« {filename} » est un fichier, pas un dossier.",
    "{name} {filename!r} is a directory.": "« {filename} » est un dossier, pas un fichier.",
    "{name} {filename!r} is not readable.": "« {filename} » : lecture non permise.",
    "{name} {filename!r} is not writable.": "« {filename} » : écriture non permise.",
    "Could not open file {filename!r}: {message}": "Impossible d'ouvrir le fichier « {filename} » : {message}",
    "Value must be an iterable.": "La valeur doit être une liste.",
    "Takes {nargs} values but 1 was given.": "Prend {nargs} valeurs mais 1 a été donnée.",
    "Takes {nargs} values but {len} were given.": "Prend {nargs} valeurs mais {len} ont été données.",
    "Aborted!": "Interrompu !",
}

#: The click modules whose ``_``/``ngettext`` show texts to the user.
_MODULES = (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types)

#: The language of the command line being run (set by :meth:`SobrieteGroup.main`).
_LANG: contextvars.ContextVar[str] = contextvars.ContextVar("sobriete_cli_lang", default="fr")


def requested_language(args: Sequence[str]) -> str:
    """The output language a command line asks for: ``--lang X``/``--lang=X``, else
    ``$SOBRIETE_LANG``, else French (an unknown value falls back to French).

    Examples
    --------
    >>> requested_language(["assess", "a.csv", "--lang", "en"])
    'en'
    >>> requested_language(["assess", "--lang=fr"])
    'fr'
    """
    lang = os.environ.get("SOBRIETE_LANG", "fr")
    for position, arg in enumerate(args):
        if arg == "--lang" and position + 1 < len(args):
            lang = args[position + 1]
        elif arg.startswith("--lang="):
            lang = arg.partition("=")[2]
    return lang if lang in LANGUAGES else "fr"


def translator(lang: str) -> tuple[Callable[[str], str], Callable[[str, str, int], str]]:
    """``gettext`` and ``ngettext`` replacements: help texts always in French, error texts in
    French when ``lang`` is ``fr``."""
    catalogue = {**HELP_FR, **ERRORS_CLICK_FR} if lang == "fr" else HELP_FR

    def gettext(text: str) -> str:
        return catalogue.get(text, text)

    def ngettext(singular: str, plural: str, count: int) -> str:
        return gettext(singular if count == 1 else plural)

    return gettext, ngettext


@contextmanager
def click_texts(lang: str) -> Iterator[None]:
    """Show click's texts in French (errors in ``lang``) while the block runs."""
    gettext, ngettext = translator(lang)
    saved = [(module, name, getattr(module, name)) for module in _MODULES for name in ("_", "ngettext")
             if hasattr(module, name)]
    token = _LANG.set(lang)
    try:
        for module, name, _original in saved:
            setattr(module, name, gettext if name == "_" else ngettext)
        yield
    finally:
        for module, name, original in saved:
            setattr(module, name, original)
        _LANG.reset(token)


class OneLineUsageError(click.UsageError):
    """A usage error shown as one sentence in the command's language, with where to find help."""

    def __init__(self, error: click.UsageError):
        super().__init__(error.format_message(), error.ctx)
        self.exit_code = error.exit_code

    def show(self, file: Any = None) -> None:
        lang = _LANG.get()
        command = self.ctx.command_path if self.ctx is not None else "sobriete"
        click.echo(message("usage_error", lang, error=self.format_message(), help=f"{command} --help"),
                   file=file, err=file is None)


@contextmanager
def _one_line_usage_errors() -> Iterator[None]:
    try:
        yield
    except OneLineUsageError:
        raise
    except click.UsageError as exc:
        raise OneLineUsageError(exc) from exc


class SobrieteGroup(click.Group):
    """The ``sobriete`` group: runs its commands with click's texts in French
    (:func:`click_texts`) and usage errors as one sentence (:class:`OneLineUsageError`).

    ``lazy_commands`` maps a command name to ``(module, attribute, short help)``: the command's
    module is imported only when the command runs or shows its help, and the group's help lists
    the short help without importing anything (click's "lazily loading subcommands" pattern).
    """

    def __init__(self, *args: Any, lazy_commands: dict[str, tuple[str, str, str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy_commands and name not in self.commands:
            module, attribute, _short = self.lazy_commands[name]
            self.add_command(getattr(importlib.import_module(module, __package__), attribute), name)
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands and their one-line help, without importing the lazy ones."""
        rows = [(name, self.lazy_commands[name][2] if name in self.lazy_commands and name not in self.commands
                 else self.commands[name].get_short_help_str(formatter.width - 6 - len(name)))
                for name in self.list_commands(ctx)]
        if rows:
            with formatter.section(_help_word("Commands")):
                formatter.write_dl(rows)

    def main(self, args: Sequence[str] | None = None, *rest: Any, **kwargs: Any) -> Any:
        with click_texts(requested_language(sys.argv[1:] if args is None else list(args))):
            return super().main(args, *rest, **kwargs)

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        with _one_line_usage_errors():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        with _one_line_usage_errors():
            return super().invoke(ctx)


def _help_word(text: str) -> str:
    return HELP_FR.get(text, text)


def usage_error(code: str, english: str, lang: str, **params: object) -> click.UsageError:
    """A usage error raised by a command body, in ``lang`` (French from
    :data:`~sobriete.report.error_messages.ERRORS_FR`)."""
    return click.UsageError((ERRORS_FR[code] if lang == "fr" else english).format(**params))
