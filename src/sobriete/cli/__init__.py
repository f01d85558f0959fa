"""Command line: a thin shell over the library (``sobriete`` and ``python -m sobriete``).

Each command parses, validates, calls the library and formats; no calculation lives here.
Commands live in their own modules of this package and are loaded only when run or asked for
their help (:class:`~.language.SobrieteGroup` with :data:`COMMANDS`): ``sobriete --help``
imports neither pandas nor the factor catalog.
"""

from __future__ import annotations

import click

from .. import __version__
from .language import SobrieteGroup

#: Sub-commands: name → (module of this package, attribute, first line of its help, shown by ``--help``).
#: The one-line help is repeated here so the group's help loads no command; a test checks it
#: against each command's own help.
COMMANDS = {
    "assess": (".assess", "assess", "Évalue l'empreinte d'une année : équipements, réseau (trafic, lignes), "
                                  "hébergement, éclairage."),
    "factors": (".factors", "factors", "Parcourir le catalogue de facteurs et vérifier un fichier de facteurs."),
    "history": (".history", "history", "Historique des évaluations enregistrées avec « assess --save »."),
    "lighting": (".lighting", "lighting", "Éclairage public des zones d'activité : heures, énergie, empreinte, "
                                      "scénarios."),
    "network": (".network", "network", "Réseau : lignes et trafic (extinction du cuivre, action 6 de la feuille "
                                    "de route)."),
    "project": (".project", "project", "Évaluation environnementale d'un projet avant décision : variantes, deltas, "
                                    "retour, sensibilité."),
    "roadmap": (".roadmap", "roadmap", "Feuille de route « Numérique responsable » : objectifs, indicateurs, "
                                    "trajectoires, bilan annuel."),
}


@click.group(cls=SobrieteGroup, lazy_commands=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sobriete", help="Afficher la version et quitter.")
def main() -> None:
    """sobriete — empreinte environnementale du numérique et de l'éclairage public.

    \b
    Exemple :
      sobriete assess examples/2025/ --year 2025
    """
