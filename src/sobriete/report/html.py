"""A :class:`~.document.Document` as one self-contained HTML file.

The page is built from a Jinja2 template file (``templates/report.html.j2``) with autoescaping:
every string of the document (commune names, file names, comments) is escaped, so a
``<script>`` in an input shows as text. Charts are inlined as SVG, styles are inline, the page
needs no script and makes no request (its Content-Security-Policy forbids any), and it prints
on A4 with each section on a new page and table rows kept whole.
"""

from __future__ import annotations

import re
from functools import lru_cache
from types import SimpleNamespace

from .document import BulletList, Chart, Document, Link, Paragraph, Table

#: Words of the page itself (not of the document).
_WORDS = {"fr": {"contents": "Sommaire"}, "en": {"contents": "Contents"}}


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("sobriete.report", "templates"),
                       autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
                       trim_blocks=True, lstrip_blocks=True)


def _cell(value: object):
    """A table cell or list item: a :class:`Link` with an http(s) address as a link, anything
    else as escaped text."""
    from markupsafe import Markup, escape

    if isinstance(value, Link) and value.safe_url:
        return Markup('<a href="{}">{}</a>').format(value.safe_url, value.text)
    return escape(str(value))


def inline_svg(svg: str, prefix: str):
    """An SVG document ready to sit inside HTML next to others: its ids (and the references to
    them) prefixed so two charts never share one, and its global style rule scoped to it.

    Examples
    --------
    >>> str(inline_svg('<svg><style>*{a:b}</style><g id="p1" clip-path="url(#c1)"/>'
    ...                '<use xlink:href="#m1"/></svg>', "c0"))
    '<svg><style>svg *{a:b}</style><g id="c0-p1" clip-path="url(#c0-c1)"/><use xlink:href="#c0-m1"/></svg>'
    """
    from markupsafe import Markup

    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r'url\(#([^)]+)\)', lambda m: f"url(#{prefix}-{m.group(1)})", svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{m.group(1)}"', svg)
    svg = svg.replace("<style type=\"text/css\">*{", "<style type=\"text/css\">svg *{").replace("<style>*{",
                                                                                                 "<style>svg *{")
    return Markup(svg)  # matplotlib escapes every text it writes into the SVG


def _view(block, index: int) -> SimpleNamespace:
    if isinstance(block, Paragraph):
        return SimpleNamespace(kind_="paragraph", text=block.text, kind=block.kind)
    if isinstance(block, BulletList):
        return SimpleNamespace(kind_="list", items=list(block.items))
    if isinstance(block, Table):
        return SimpleNamespace(kind_="table", caption=block.caption, headers=list(block.headers), rows=block.rows,
                               note=block.note, is_numeric=block.is_numeric)
    if isinstance(block, Chart):
        return SimpleNamespace(kind_="chart", title=block.title, description=block.description,
                               svg=inline_svg(block.svg, f"c{index}"))
    raise TypeError(f"not a document block: {block!r}")


def render_html(doc: Document, *, lang: str = "fr") -> str:
    """The document as a self-contained HTML page (see the module docstring)."""
    counter = iter(range(1_000_000))
    sections = [SimpleNamespace(heading=s.heading, anchor=s.anchor, blocks=[_view(b, next(counter)) for b in s.blocks])
                for s in doc.sections]
    page = SimpleNamespace(title=doc.title, subtitle=doc.subtitle, colophon=doc.colophon, sections=sections)
    return _environment().get_template("report.html.j2").render(doc=page, lang=lang, words=_WORDS[lang], cell=_cell)
