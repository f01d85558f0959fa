"""The registry of domains, filled: importing this module imports every domain module, so
:data:`DOMAINS` lists equipment, traffic, lines, hosting and lighting, in that order.

:mod:`sobriete.protocol` holds the registry itself (the bottom layer cannot import the domains);
what evaluates "every domain" — the yearly assessment, projects, uncertainty, the distributed
path — takes :data:`DOMAINS` from here.

Examples
--------
>>> list(DOMAINS)
['equipment', 'traffic', 'lines', 'hosting', 'lighting']
"""

from __future__ import annotations

from . import equipment, hosting, lighting, network  # noqa: F401  (each registers its domains on import)
from .protocol import DOMAINS

#: The order in which reports list the domains (the modules register in the order they are imported).
ORDER = ("equipment", "traffic", "lines", "hosting", "lighting")
for _name in sorted(DOMAINS, key=lambda name: ORDER.index(name) if name in ORDER else len(ORDER)):
    DOMAINS[_name] = DOMAINS.pop(_name)

__all__ = ["DOMAINS", "ORDER"]
