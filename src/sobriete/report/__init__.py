"""Reports: terminal text (French by default, English available), JSON, CSV and XLSX.

Words come from one message catalogue (:mod:`.messages`); numbers are formatted for the
reader's language; spreadsheet outputs are neutralised against formula injection.
The message catalogues load at once; the renderers (pandas) when first used, so the command
line's help and errors start fast.
"""

from __future__ import annotations

import importlib
from typing import Any

from .error_messages import error_text
from .messages import LANGUAGES, message, reason

#: Output formats of :func:`render` (kept here so the command line's help needs no renderer).
FORMATS = ("table", "json", "csv", "xlsx")

_LAZY = {name: ".assessment" for name in ("render", "render_table", "to_dict", "to_json", "write", "write_csv",
                                          "write_xlsx", "headline")}
_LAZY.update({name: ".formatting" for name in ("format_count", "format_number", "format_percent", "neutralise",
                                                "text_table")})

__all__ = sorted(["FORMATS", "LANGUAGES", "error_text", "message", "reason", *_LAZY])


def __getattr__(name: str) -> Any:
    """Import the renderer defining ``name`` on first access (PEP 562)."""
    if name not in _LAZY:
        raise AttributeError(f"module 'sobriete.report' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value
