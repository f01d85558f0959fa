"""Rendering of a :class:`~.document.Document` as HTML or Markdown (the renderers import the
document model; the model imports no renderer)."""

from __future__ import annotations

from pathlib import Path

from ..errors import UnknownNameError
from .document import DOCUMENT_FORMATS, Document
from .html import render_html
from .markdown import render_markdown
from .messages import check_lang


def render_document(doc: Document, fmt: str = "html", lang: str | None = None, *,
                    output: str | Path | None = None) -> str | None:
    """Render a document as HTML or Markdown.

    Parameters
    ----------
    doc : Document
        The report.
    fmt : {'html', 'md'}
        ``html``: one self-contained file (SVG and styles inline, no script, no request to
        any other host), printable on A4. ``md``: Markdown; with ``output``, each chart is
        written as an SVG file in a folder beside it (``bilan.md`` → ``bilan-figures/``),
        without ``output`` charts are embedded as ``data:`` images.
    lang : {'fr', 'en'}, optional
        Language of the renderer's own words (default: the document's).
    output : path, keyword-only, optional
        File to write; None returns the text.

    Returns
    -------
    str or None
        The text when ``output`` is None.
    """
    lang = check_lang(lang or doc.lang)
    if fmt == "html":
        text = render_html(doc, lang=lang)
    elif fmt == "md":
        text = render_markdown(doc, lang=lang, output=output)
    else:
        raise UnknownNameError("document format", fmt, DOCUMENT_FORMATS)
    if output is None:
        return text
    Path(output).write_text(text, encoding="utf-8")
    return None
