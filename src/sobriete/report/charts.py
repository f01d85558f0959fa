"""Charts of the reports, drawn with matplotlib's SVG backend.

Every function returns a :class:`~sobriete.report.document.Chart`: an SVG document (text kept as
text, so it stays searchable and accessible), a title and a text alternative. Numbers on the
axes follow the reader's language (``12 345,6`` in French), every value axis names its unit,
and series differ by colour (Okabe-Ito palette, readable by colour-blind readers) *and* by
hatch, marker or line style, so they still read when printed in greyscale.

References
----------
Okabe, M. and Ito, K., "Color Universal Design (CUD): how to make figures and presentations
that are friendly to colorblind people", 2002 (https://jfly.uni-koeln.de/color/).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping, Sequence

import numpy as np

from .document import Chart

#: Okabe-Ito colours, ordered so neighbours differ in lightness too.
PALETTE = ("#0072B2", "#E69F00", "#56B4E9", "#D55E00", "#009E73", "#F0E442", "#CC79A7", "#000000")
#: Hatches paired with the colours (greyscale print).
HATCHES = ("", "///", "\\\\\\", "xxx", "---", "|||", "+++", "..")
#: Markers and line styles paired with the colours (line charts).
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1)), "-", "--")
#: Months, short, per language.
MONTHS = {"fr": ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."),
          "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")}
#: Categories named in a chart's text alternative (the table beside it has them all).
DESCRIBED = 12
#: Figure width [inch]: fits an A4 page's text width at 96 dpi.
WIDTH_IN = 7.0
_WORDS = {
    "cumulative_share": ("part cumulée (%)", "cumulative share (%)"),
    "annual": ("écart annuel", "annual change"),
    "cumulative": ("cumul", "cumulative"),
    "payback": ("retour : {year}", "payback: {year}"),
    "target": ("cible", "target"),
    "low": ("hypothèse basse", "low assumption"),
    "high": ("hypothèse haute", "high assumption"),
    "month_hours": ("heures (h)", "hours (h)"),
}


def _word(key: str, lang: str, **values: object) -> str:
    return _WORDS[key][0 if lang == "fr" else 1].format(**values)


def axis_number(value: float, decimals: int, lang: str = "fr") -> str:
    """A tick label: thousands grouped, ``decimals`` decimals, French or English.

    Examples
    --------
    >>> axis_number(12345.6, 1), axis_number(12345.6, 1, "en"), axis_number(-0.0, 0)
    ('12 345,6', '12,345.6', '0')
    """
    text = f"{value + 0.0:,.{decimals}f}"
    if text.lstrip("-").strip("0.,") == "":
        text = text.lstrip("-")
    return text.replace(",", " ").replace(".", ",") if lang == "fr" else text


def label_text(text: object) -> str:
    """A label safe for matplotlib: ``$`` does not start mathematics, a leading ``_`` does not
    hide a legend entry.

    Examples
    --------
    >>> label_text("_ZA $1")
    '\\u200b_ZA \\\\$1'
    """
    text = str(text).replace("$", r"\$")
    return "\u200b" + text if text.startswith("_") else text


def _style() -> dict:
    return {"svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 9, "axes.titlesize": 10,
            "axes.spines.top": False, "axes.spines.right": False, "hatch.linewidth": 0.6, "hatch.color": "#222222",
            "axes.prop_cycle": __import__("matplotlib").cycler(color=PALETTE), "svg.hashsalt": "sobriete",
            "figure.dpi": 96}


def _formatter(axis, lang: str) -> None:
    """Tick labels in the reader's language, with the decimals the tick spacing needs."""
    from matplotlib.ticker import FuncFormatter

    def fmt(value, _pos):
        ticks = axis.get_majorticklocs()
        step = np.min(np.diff(ticks)) if len(ticks) > 1 else abs(value) or 1.0
        decimals = max(0, -math.floor(math.log10(step))) if step > 0 else 0
        return axis_number(value, min(decimals, 6), lang)

    axis.set_major_formatter(FuncFormatter(fmt))


def _finish(fig, name: str, title: str, description: str) -> Chart:
    """Serialise a figure as SVG (without the XML prolog, DOCTYPE and metadata, so it inlines
    in HTML) and close it."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": f"sobriete-{name}"}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    return Chart(title=title, svg=svg, description=description, name=name)


def _figure(height_in: float = 3.2):
    """A figure outside pyplot (no global state, nothing to close) and its axes."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_IN, height_in))
    return fig, fig.subplots()


def _bars_style(i: int) -> dict:
    return {"color": PALETTE[i % len(PALETTE)], "hatch": HATCHES[i % len(HATCHES)], "edgecolor": "#222222",
            "linewidth": 0.5}


def _line_style(i: int) -> dict:
    return {"color": PALETTE[i % len(PALETTE)], "marker": MARKERS[i % len(MARKERS)],
            "linestyle": LINESTYLES[i % len(LINESTYLES)], "linewidth": 1.6, "markersize": 5}


def _styled(function):
    """Run a chart function inside the charts' matplotlib style (rcParams are read when
    artists are made and when the SVG is written)."""
    import functools

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        import matplotlib

        with matplotlib.rc_context(_style()):
            return function(*args, **kwargs)

    return wrapper


@_styled
def stacked_bars(categories: Sequence[str], series: Mapping[str, Sequence[float]], *, unit: str, title: str,
                 lang: str = "fr", name: str = "stacked", horizontal: bool = True) -> Chart:
    """Stacked bars: one bar per category, one stacked part per series (e.g. domains × phases).

    Parameters
    ----------
    categories : list of str
        One bar each (domains, years...).
    series : dict of str to list of float
        Stacked parts, in the order given, one value per category [``unit``]. Negative parts
        stack below zero.
    unit : str
        Unit of the values, shown on the value axis.
    title, lang, name
        Title, language of the numbers, file-name stem.
    horizontal : bool
        Horizontal bars (long labels read better).
    """
    fig, ax = _figure(max(2.4, 0.45 * len(categories) + 1.4) if horizontal else 3.4)
    positions = np.arange(len(categories))
    up = np.zeros(len(categories))
    down = np.zeros(len(categories))
    for i, (label, values) in enumerate(series.items()):
        values = np.asarray(values, dtype=float)
        base = np.where(values >= 0, up, down)
        draw = ax.barh if horizontal else ax.bar
        draw(positions, values, 0.6, base, label=label_text(label), **_bars_style(i))
        up = up + np.where(values >= 0, values, 0)
        down = down + np.where(values < 0, values, 0)
    ticks = [label_text(c) for c in categories]
    if horizontal:
        ax.set_yticks(positions, ticks)
        ax.invert_yaxis()
        ax.set_xlabel(unit)
        _formatter(ax.xaxis, lang)
    else:
        ax.set_xticks(positions, ticks)
        ax.set_ylabel(unit)
        _formatter(ax.yaxis, lang)
    ax.legend(frameon=False, fontsize=8, ncols=min(4, len(series)), loc="upper center", bbox_to_anchor=(0.5, -0.18))
    sep = " : " if lang == "fr" else ": "
    totals = "; ".join(f"{c}{sep}{axis_number(t, 1, lang)}" for c, t in list(zip(categories, up + down))[:DESCRIBED])
    totals += "; …" if len(categories) > DESCRIBED else ""
    return _finish(fig, name, title, f"{title} ({unit}) — {totals}")


@_styled
def pareto(labels: Sequence[str], values: Sequence[float], *, unit: str, title: str, lang: str = "fr",
           name: str = "pareto", top: int = 15) -> Chart:
    """Pareto chart: contributors as bars, largest first, and their cumulative share as a line.

    Parameters
    ----------
    labels, values : list
        Contributors and their impact [``unit``]; the ``top`` largest are drawn, the others
        are summed into the cumulative share only.
    """
    values = np.asarray(values, dtype=float)
    order = np.argsort(-values, kind="stable")
    grand = values.sum()
    shown = order[:top]
    fig, ax = _figure(3.6)
    x = np.arange(len(shown))
    ax.bar(x, values[shown], 0.7, **_bars_style(0))
    ax.set_xticks(x, [label_text(labels[i]) for i in shown], rotation=40, ha="right", fontsize=7.5)
    ax.set_ylabel(unit)
    _formatter(ax.yaxis, lang)
    share = 100 * np.cumsum(values[order])[:len(shown)] / grand if grand else np.zeros(len(shown))
    twin = ax.twinx()
    twin.plot(x, share, **_line_style(3))
    twin.set_ylim(0, 105)
    twin.set_ylabel(_word("cumulative_share", lang))
    twin.axhline(80, color="#555555", linewidth=0.8, linestyle=":")
    twin.spines["right"].set_visible(True)
    twin.spines["top"].set_visible(False)
    _formatter(twin.yaxis, lang)
    first = "; ".join(f"{labels[i]} {axis_number(values[i], 1, lang)}" for i in shown[:5])
    return _finish(fig, name, title, f"{title} ({unit}) — {first}")


@_styled
def trend(x: Sequence, series: Mapping[str, Sequence[float]], *, unit: str, title: str, lang: str = "fr",
          name: str = "trend", x_label: str = "", months: bool = False) -> Chart:
    """Lines over years (or months with ``months=True``), one per series [``unit``]."""
    fig, ax = _figure(3.0)
    positions = np.arange(len(x))
    for i, (label, values) in enumerate(series.items()):
        ax.plot(positions, np.asarray(values, dtype=float), label=label_text(label), **_line_style(i))
    ax.set_xticks(positions, [MONTHS[lang][int(m) - 1] for m in x] if months else [str(v) for v in x])
    ax.set_ylabel(unit)
    if x_label:
        ax.set_xlabel(x_label)
    ax.set_ylim(bottom=min(0.0, ax.get_ylim()[0]))
    _formatter(ax.yaxis, lang)
    if len(series) > 1:
        ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.15),
                  ncols=min(4, len(series)))
    return _finish(fig, name, title, f"{title} ({unit}): " + "; ".join(
        f"{label} " + ", ".join(axis_number(v, 1, lang) for v in values) for label, values in series.items()))


@_styled
def project_deltas(years: Sequence[int], deltas: Sequence[float], *, unit: str, title: str, lang: str = "fr",
                   payback_year: int | None = None, name: str = "project") -> Chart:
    """A project's yearly change (bars, project − baseline) and its running total (line), with
    the payback year marked when there is one (the first year the running total is ≤ 0 after
    an increase)."""
    deltas = np.asarray(deltas, dtype=float)
    cumulative = np.cumsum(deltas)
    fig, ax = _figure(3.2)
    positions = np.arange(len(years))
    ax.bar(positions, deltas, 0.6, label=_word("annual", lang), **_bars_style(1))
    ax.plot(positions, cumulative, label=_word("cumulative", lang), **_line_style(0))
    ax.axhline(0, color="#222222", linewidth=0.8)
    if payback_year is not None and payback_year in list(years):
        at = list(years).index(payback_year)
        ax.axvline(at, color="#D55E00", linewidth=1.2, linestyle="--")
        ax.annotate(_word("payback", lang, year=payback_year), (at, ax.get_ylim()[1]), xytext=(4, -12),
                    textcoords="offset points", fontsize=8)
    ax.set_xticks(positions, [str(y) for y in years])
    ax.set_ylabel(unit)
    _formatter(ax.yaxis, lang)
    ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=2)
    text = f"{title} ({unit})"
    if len(years):
        text += f": {_word('cumulative', lang)} {axis_number(cumulative[-1], 1, lang)}"
    if payback_year is not None:
        text += f"; {_word('payback', lang, year=payback_year)}"
    return _finish(fig, name, title, text)


@_styled
def tornado(labels: Sequence[str], low: Sequence[float], high: Sequence[float], *, base: float, unit: str,
            title: str, lang: str = "fr", name: str = "tornado") -> Chart:
    """Tornado chart: for each assumption, the result at its low and high value around the
    central result ``base`` [``unit``]; widest swing on top."""
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    order = np.argsort(-np.abs(high - low), kind="stable")
    fig, ax = _figure(max(2.2, 0.4 * len(labels) + 1.2))
    y = np.arange(len(order))
    ax.barh(y, low[order] - base, 0.6, base, label=_word("low", lang), **_bars_style(2))
    ax.barh(y, high[order] - base, 0.6, base, label=_word("high", lang), **_bars_style(1))
    ax.axvline(base, color="#222222", linewidth=0.9)
    ax.set_yticks(y, [label_text(labels[i]) for i in order])
    ax.invert_yaxis()
    ax.set_xlabel(unit)
    _formatter(ax.xaxis, lang)
    ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2)
    text = "; ".join(f"{labels[i]} {axis_number(low[i], 1, lang)} – {axis_number(high[i], 1, lang)}" for i in order)
    return _finish(fig, name, title, f"{title} ({unit}): {text}")


@_styled
def trajectories(years: Sequence[int], actual: Mapping[str, Sequence[float]], targets: Mapping[str, Sequence[float]],
                 *, unit: str, title: str, lang: str = "fr", name: str = "roadmap") -> Chart:
    """Roadmap trajectories: measured or projected values (solid lines) against their targets
    (dashed, hollow markers), one pair per indicator; NaN leaves a gap."""
    fig, ax = _figure(3.2)
    positions = np.arange(len(years))
    for i, (label, values) in enumerate(actual.items()):
        ax.plot(positions, np.asarray(values, dtype=float), label=label_text(label), **_line_style(i))
    for i, (label, values) in enumerate(targets.items()):
        style = {**_line_style(i), "linestyle": "--", "markerfacecolor": "white"}
        ax.plot(positions, np.asarray(values, dtype=float), label=label_text(f"{label} ({_word('target', lang)})"),
                **style)
    ax.set_xticks(positions, [str(y) for y in years])
    ax.set_ylabel(unit)
    _formatter(ax.yaxis, lang)
    ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=2)
    return _finish(fig, name, title, f"{title} ({unit}): " + ", ".join(actual) + " / " + ", ".join(targets))


@_styled
def abatement_curve(labels: Sequence[str], avoided_t: Sequence[float], eur_per_t: Sequence[float], *, title: str,
                    lang: str = "fr", unit_x: str = "tCO2e", unit_y: str = "€/tCO2e",
                    name: str = "macc") -> Chart:
    """Marginal abatement cost curve: one bar per measure, width = what it avoids
    [``unit_x``], height = its cost per tonne avoided [``unit_y``], cheapest first.

    Measures whose saving is not positive or whose cost per tonne is unknown cannot be placed
    on the curve and are left out (the table beside the chart lists them all).

    Parameters
    ----------
    labels : list of str
        Measures.
    avoided_t : list of float
        Tonnes avoided [``unit_x``].
    eur_per_t : list of float
        Cost per tonne avoided [``unit_y``]; negative for a measure that saves money.

    Notes
    -----
    Bars are sorted by increasing cost per tonne and placed side by side: the right edge of
    bar *k* is the cumulated abatement of the *k* cheapest measures.

    References
    ----------
    McKinsey & Company, "Pathways to a low-carbon economy: version 2 of the global greenhouse
    gas abatement cost curve", 2009 (the curve's convention: width = abatement, height = cost).
    """
    avoided = np.asarray(avoided_t, dtype=float)
    cost = np.asarray(eur_per_t, dtype=float)
    keep = np.flatnonzero(np.isfinite(avoided) & np.isfinite(cost) & (avoided > 0))
    order = keep[np.argsort(cost[keep], kind="stable")]
    left = np.concatenate([[0.0], np.cumsum(avoided[order])[:-1]]) if len(order) else np.zeros(0)
    fig, ax = _figure(3.4)
    for i, k in enumerate(order):
        ax.bar(left[i], cost[k], avoided[k], align="edge", label=label_text(labels[k]), **_bars_style(i))
    ax.axhline(0, color="#222222", linewidth=0.8)
    ax.set_xlabel(unit_x)
    ax.set_ylabel(unit_y)
    ax.set_xlim(0, max(float(avoided[order].sum()) if len(order) else 1.0, 1e-12))
    _formatter(ax.xaxis, lang)
    _formatter(ax.yaxis, lang)
    if len(order):
        ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.18),
                  ncols=min(3, len(order)))
    text = "; ".join(f"{labels[k]} {axis_number(avoided[k], 2, lang)} {unit_x}, {axis_number(cost[k], 0, lang)} "
                     f"{unit_y}" for k in order[:DESCRIBED])
    return _finish(fig, name, title, f"{title}: {text}" if text else title)
