"""Former name of :mod:`sobriete.kernel`, kept so that existing imports keep working."""

from .kernel import *  # noqa: F401,F403
from .kernel import (_DENSE_GROUPS_MAX, _CodeColumn, _cells, _coverage_warnings, _GroupKeys, _keys_frame,  # noqa: F401
                     _like, _lookup, _NumberColumn, _numeric, _read_only, _Rejections)
from .schema import DEFAULT_ZONE  # noqa: F401
