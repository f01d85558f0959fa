"""Notices: data-quality warnings that reports can translate.

A :class:`Notice` is a ``str`` (the English sentence, so it prints, compares and stores like
any warning) that also carries a stable ``code`` and its ``params``. The report layer looks the
code up in its message catalogue to say the same thing in French; a plain ``str`` warning is
shown as it is.
"""

from __future__ import annotations

from typing import Any


class Notice(str):
    """A warning sentence with a stable code and the values it names.

    Examples
    --------
    >>> n = Notice("blank_rows", "a.csv: 2 blank row(s) skipped", file="a.csv", count=2)
    >>> n, n.code, n.params["count"]
    ('a.csv: 2 blank row(s) skipped', 'blank_rows', 2)
    >>> p = prefixed("equipment", n)
    >>> p, p.code, p.params["domain"]
    ('equipment: a.csv: 2 blank row(s) skipped', 'blank_rows', 'equipment')
    """

    code: str
    params: dict[str, Any]

    def __new__(cls, code: str, sentence: str, /, **params: Any) -> Notice:
        notice = super().__new__(cls, sentence)
        notice.code = code
        notice.params = params
        return notice

    def __reduce__(self):
        return (_rebuild, (self.code, str(self), self.params))


def _rebuild(code: str, text: str, params: dict[str, Any]) -> Notice:
    return Notice(code, text, **params)


def prefixed(domain: str, warning: str) -> str:
    """The warning prefixed with its domain (``equipment: ...``), keeping its code."""
    text = f"{domain}: {warning}"
    if isinstance(warning, Notice):
        return Notice(warning.code, text, **{**warning.params, "domain": domain})
    return Notice("text", text, domain=domain, sentence=str(warning))
