"""Command line: a thin shell over the library (``sobriete`` and ``python -m sobriete``).

Each command parses, validates, calls the library and formats; no calculation lives here.
Domain commands live in their own modules of this package and are added to :data:`main`.
"""

from __future__ import annotations

import click

from .. import __version__
from .language import SobrieteGroup


@click.group(cls=SobrieteGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sobriete", help="Afficher la version et quitter.")
def main() -> None:
    """sobriete — empreinte environnementale du numérique et de l'éclairage public.

    \b
    Exemple :
      sobriete assess examples/2025/ --year 2025
    """

from .assess import assess  # noqa: E402
from .factors import factors  # noqa: E402
from .history import history  # noqa: E402
from .lighting import lighting  # noqa: E402  (issue #5)
from .network import network  # noqa: E402  (issue #4)

from .project import project  # noqa: E402  (issue #10)

for _command in (assess, factors, history, lighting, network, project):
    main.add_command(_command)
