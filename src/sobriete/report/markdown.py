"""A :class:`~.document.Document` as Markdown (CommonMark with GitHub tables), for wikis and
git repositories.

Charts are written as SVG files in a folder beside the report (``bilan.md`` →
``bilan-figures/01-phases.svg``) and linked; without an output file they are embedded as
``data:`` images. Every text is escaped: Markdown punctuation loses its meaning and ``<``
cannot open raw HTML, so a ``<script>`` in a commune name shows as text.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

from .document import BulletList, Chart, Document, Link, Paragraph, Table

#: Characters that carry meaning anywhere in a Markdown line, escaped with a backslash.
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md_escape(value: object) -> str:
    """Text safe inside Markdown (and inside a table cell): punctuation escaped, ``&``, ``<``
    and ``>`` as entities (no raw HTML), a leading ``#``, ``+``, ``-`` or ``1.`` escaped, line
    breaks as spaces.

    Examples
    --------
    >>> print(md_escape("<script>alert(1)</script> | *x*"))
    &lt;script&gt;alert(1)&lt;/script&gt; \\| \\*x\\*
    >>> print(md_escape("# 1"), md_escape("0.357"), md_escape("1. a"))
    \\# 1 0.357 \\1. a
    """
    text = _SPECIAL.sub(r"\\\1", str(value).replace("\r", " ").replace("\n", " "))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"^(\s*)([#+-]|\d+[.)])(?=\s|$)", r"\1\\\2", text)


def _cell(value: object) -> str:
    if isinstance(value, Link) and value.safe_url:
        return f"[{md_escape(value.text)}](<{value.safe_url.replace('>', '%3E').replace(' ', '%20')}>)"
    return md_escape(value)


def _table(table: Table) -> list[str]:
    align = ["---:" if table.is_numeric(i) else "---" for i in range(len(table.headers))]
    lines = [f"**{md_escape(table.caption)}**", "", "| " + " | ".join(md_escape(h) for h in table.headers) + " |",
             "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    if table.note:
        lines += ["", f"*{md_escape(table.note)}*"]
    return lines


def figures_folder(output: str | Path) -> Path:
    """The folder of a Markdown report's charts: ``bilan.md`` → ``bilan-figures``."""
    output = Path(output)
    return output.with_name(f"{output.stem}-figures")


def render_markdown(doc: Document, *, lang: str = "fr", output: str | Path | None = None) -> str:
    """The document as Markdown; with ``output``, its charts are written beside it as SVG."""
    folder = figures_folder(output) if output is not None else None
    lines = [f"# {md_escape(doc.title)}", ""]
    if doc.subtitle:
        lines += [f"*{md_escape(doc.subtitle)}*", ""]
    number = 0
    for section in doc.sections:
        lines += [f"## {md_escape(section.heading)}", ""]
        for block in section.blocks:
            if isinstance(block, Paragraph):
                prefix = {"heading": "### ", "summary": "> ", "warning": "> **⚠** "}.get(block.kind, "")
                body = md_escape(block.text)
                lines.append(f"{prefix}{body}" if block.kind != "note" else f"*{body}*")
            elif isinstance(block, BulletList):
                lines += [f"- {_cell(item)}" for item in block.items]
            elif isinstance(block, Table):
                lines += _table(block)
            elif isinstance(block, Chart):
                number += 1
                lines.append(_chart(block, number, folder))
            lines.append("")
    if doc.colophon:
        lines += ["---", "", md_escape(doc.colophon), ""]
    return "\n".join(lines)


def _chart(chart: Chart, number: int, folder: Path | None) -> str:
    alt = md_escape(chart.description)
    if folder is None:
        data = base64.b64encode(chart.svg.encode("utf-8")).decode("ascii")
        return f"**{md_escape(chart.title)}**\n\n![{alt}](data:image/svg+xml;base64,{data})"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{number:02d}-{re.sub(r'[^a-z0-9-]+', '-', chart.name.lower()).strip('-') or 'chart'}.svg"
    (folder / name).write_text('<?xml version="1.0" encoding="utf-8"?>\n' + chart.svg, encoding="utf-8")
    return f"**{md_escape(chart.title)}**\n\n![{alt}](<{folder.name}/{name}>)"
