"""A small presentation model: a report is a list of sections of paragraphs, tables and charts.

Every command's report (yearly assessment, year-on-year comparison, lighting, copper switch-off,
project, roadmap) can be given as a :class:`Document`; :func:`render_document` turns it into
one self-contained HTML file or Markdown text (:mod:`.html`, :mod:`.markdown`). Blocks hold
text already in the reader's language and numbers already formatted
(:func:`sobriete.report.formatting.format_number`): renderers only lay out and escape.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field


#: Output formats of :func:`render_document`.
DOCUMENT_FORMATS = ("html", "md")


@dataclass(frozen=True)
class Link:
    """A table cell or list item that links to a web page (sources of factors).

    Only ``http``/``https`` addresses become links; anything else is shown as text.
    """

    text: str
    url: str

    @property
    def safe_url(self) -> str | None:
        return self.url if re.match(r"https?://", str(self.url or "")) else None

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text; ``kind`` is ``text``, ``summary`` (the lead paragraph),
    ``note`` (small print) or ``warning`` (a caveat the reader must see)."""

    text: str
    kind: str = "text"


@dataclass(frozen=True)
class BulletList:
    """A list of short items (text or :class:`Link`)."""

    items: Sequence[str | Link]


@dataclass(frozen=True)
class Table:
    """A table of formatted cells.

    Attributes
    ----------
    caption : str
        What the table shows (its accessible name).
    headers : list of str
        Column headers, units in brackets or parentheses.
    rows : list of list of str or Link
        Cells already formatted for the reader's language.
    numeric : list of bool, optional
        Columns aligned right (numbers); default: none.
    note : str
        A line under the table (``*`` marks, truncation...).
    """

    caption: str
    headers: Sequence[str]
    rows: Sequence[Sequence[str | Link]]
    numeric: Sequence[bool] | None = None
    note: str = ""

    def is_numeric(self, column: int) -> bool:
        return bool(self.numeric and column < len(self.numeric) and self.numeric[column])


@dataclass(frozen=True)
class Chart:
    """A chart drawn by :mod:`.charts`: its title, an SVG document and a text alternative.

    ``name`` is a short file-name stem (``phases``, ``pareto``...) used by the Markdown
    renderer for the SVG file it writes beside the report.
    """

    title: str
    svg: str
    description: str
    name: str = "chart"


Block = Paragraph | BulletList | Table | Chart


@dataclass
class Section:
    """A titled part of a report; printed reports start each section on a new page."""

    heading: str
    blocks: list[Block] = field(default_factory=list)
    anchor: str = ""

    def __post_init__(self):
        if not self.anchor:
            self.anchor = slug(self.heading)

    def add(self, *blocks: Block | None) -> Section:
        """Append blocks (``None`` is skipped) and return the section."""
        self.blocks.extend(b for b in blocks if b is not None)
        return self


@dataclass
class Document:
    """A report: title, subtitle, language, sections and a colophon line (what produced it)."""

    title: str
    sections: list[Section] = field(default_factory=list)
    lang: str = "fr"
    subtitle: str = ""
    colophon: str = ""

    def section(self, heading: str) -> Section:
        """A new section appended to the document."""
        part = Section(heading)
        taken = {s.anchor for s in self.sections}
        while part.anchor in taken:
            part.anchor += "-"
        self.sections.append(part)
        return part

    @property
    def charts(self) -> list[Chart]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Chart)]

    @property
    def tables(self) -> list[Table]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]


def slug(text: str) -> str:
    """An ASCII anchor for a heading.

    Examples
    --------
    >>> slug("Émissions par commune (kgCO2e)")
    'emissions-par-commune-kgco2e'
    """
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "section"
