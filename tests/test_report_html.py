"""Reports people read: the Document model, HTML and Markdown renderers, charts, the yearly
report's content (hand-computed on the tiny catalog) and the commands that write them.

The browser checks (headless Chromium) are in ``test_report_html_browser.py``.
"""

from __future__ import annotations

import re
from html import unescape
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from sobriete.assessment import DomainInputs, assess_inputs
from sobriete.cli import main
from sobriete.report import charts
from sobriete.report.document import BulletList, Chart, Document, Link, Paragraph, Table
from sobriete.report.render import render_document
from sobriete.report.html import render_html
from sobriete.report.markdown import figures_folder, md_escape
from sobriete.report.yearly import (catalog_sources, comparison_document, coverage_frame, lighting_hours,
                                    yearly_document)
from sobriete.schedule import Schedule

INJECTION = "<script>alert(1)</script>"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def tiny_assessment(tiny_catalog):
    """Three laptops bought in 2024, assessed in 2025 (amortised over 5 years): each counts
    100/5 + 10/5 + 5/5 = 23 kgCO2e embodied and 20 kWh x 0.1 = 2 kgCO2e use, 25 in all."""
    frame = pd.DataFrame({"category": ["laptop", "laptop", "laptop"], "quantity": [1, 1, 1],
                          "purchase_year": [2024, 2024, 2024], "entity": [INJECTION, INJECTION, "Commune B"]})
    return assess_inputs({"equipment": DomainInputs.from_frame(frame)}, year=2025, by="entity", catalog=tiny_catalog)


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


# --------------------------------------------------------------------------- charts
def test_axis_numbers_in_french_and_english():
    assert charts.axis_number(12345.6, 1) == "12 345,6"
    assert charts.axis_number(12345.6, 1, "en") == "12,345.6"
    assert charts.axis_number(-0.0001, 0) == "0"


def test_stacked_bars_are_svg_with_french_ticks_units_and_the_totals_in_words():
    chart = charts.stacked_bars(["Équipements", "Réseau"], {"Fabrication": [12000.0, 300.0],
                                                            "Utilisation": [3000.0, -100.0]},
                                unit="kgCO2e", title="Par phase", name="phases")
    texts = _texts(chart.svg)
    assert "kgCO2e" in texts and "Équipements" in texts and "Fabrication" in texts
    assert "10 000" in texts  # a tick in French format (space between thousands)
    assert not any(re.fullmatch(r"\d+,\d{3}", t) for t in texts)  # no English thousands separator
    # parts stack: 12 000 + 3 000 and 300 - 100
    assert "Équipements : 15 000,0" in chart.description and "Réseau : 200,0" in chart.description
    assert chart.svg.startswith("<svg") and "<metadata" not in chart.svg


def test_series_differ_by_hatch_as_well_as_colour():
    chart = charts.stacked_bars(["a"], {"p1": [1.0], "p2": [1.0], "p3": [1.0]}, unit="kg", title="t")
    assert chart.svg.count("<pattern") == 2  # the second and third series carry a hatch
    fills = set(re.findall(r"fill: (#[0-9a-f]{6})", chart.svg))
    assert {"#0072b2"} <= fills  # Okabe-Ito blue for the first series


def test_pareto_cumulative_share_reaches_the_total():
    chart = charts.pareto(["a", "b", "c"], [1.0, 6.0, 3.0], unit="kgCO2e", title="P", top=2)
    texts = _texts(chart.svg)
    assert texts.index("b") < texts.index("c")  # largest first; 'a' is beyond top
    assert "a" not in texts and "part cumulée (%)" in texts
    assert chart.description.startswith("P (kgCO2e) — b 6,0; c 3,0")


@pytest.mark.parametrize("lang, word", [("fr", "retour : 2027"), ("en", "payback: 2027")])
def test_project_deltas_mark_the_payback_year(lang, word):
    chart = charts.project_deltas([2025, 2026, 2027], [100.0, -60.0, -60.0], unit="kgCO2e", title="Projet",
                                  payback_year=2027, lang=lang)
    assert word in _texts(chart.svg)
    assert ("cumul -20,0" if lang == "fr" else "cumulative -20.0") in chart.description  # 100 - 60 - 60


def test_tornado_puts_the_widest_swing_on_top():
    chart = charts.tornado(["narrow", "wide"], [95.0, 50.0], [105.0, 180.0], base=100.0, unit="kgCO2e", title="T")
    texts = _texts(chart.svg)
    assert texts.index("wide") < texts.index("narrow")
    assert chart.description.startswith("T (kgCO2e): wide 50,0 – 180,0")


def test_trajectories_and_monthly_lines_name_targets_and_months():
    chart = charts.trajectories([2024, 2025, 2026], {"GES": [10.0, 9.0, np.nan]}, {"GES": [10.0, 8.0, 6.0]},
                                unit="tCO2e", title="Trajectoire")
    assert "GES (cible)" in _texts(chart.svg)
    months = charts.trend(range(1, 13), {"ZA": np.arange(12.0)}, unit="h", title="Heures", months=True)
    assert {"janv.", "déc."} <= set(_texts(months.svg))


def test_labels_with_dollars_or_leading_underscores_are_drawn_as_text():
    chart = charts.stacked_bars(["_caché", "coût $5"], {"_x": [1.0, 2.0]}, unit="€", title="t")
    texts = _texts(chart.svg)
    assert "coût $5" in texts and any(t.endswith("_caché") for t in texts) and any(t.endswith("_x") for t in texts)


# --------------------------------------------------------------------------- renderers
def _document() -> Document:
    doc = Document("Titre " + INJECTION, subtitle="sous-titre & co")
    doc.section("Première").add(Paragraph("Résumé " + INJECTION, "summary"),
                                Table("Tableau", ["nom", "valeur (kg)"], [[INJECTION, "1 234,5"]], [False, True],
                                      "note"),
                                BulletList([Link("ADEME", "https://base-empreinte.ademe.fr/"),
                                            Link("bad", "javascript:alert(1)")]))
    doc.section("Première").add(charts.stacked_bars([INJECTION], {"a": [1.0]}, unit="kg", title="Graphique"))
    return doc


def test_html_escapes_every_input_string_and_needs_nothing_from_outside():
    html = render_html(_document())
    assert "<script" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 4  # title, summary, table cell, chart label
    assert '<a href="https://base-empreinte.ademe.fr/">ADEME</a>' in html
    assert "javascript:" not in html.replace("javascript:alert", "") and '<a href="javascript' not in html
    # no address another host could serve: only namespaces and the one link above
    addresses = set(re.findall(r"https?://[^\s\"'<>)]+", html))
    assert addresses <= {"https://base-empreinte.ademe.fr/", "http://www.w3.org/2000/svg",
                         "http://www.w3.org/1999/xlink"}
    assert "default-src 'none'" in html
    assert '<section id="premiere"' in html and '<section id="premiere-"' in html  # unique anchors


def test_html_prints_on_a4_with_sections_on_new_pages_and_whole_rows():
    html = render_html(_document())
    assert "size: A4" in html and "break-before: page" in html and "break-inside: avoid" in html


def test_inline_charts_do_not_share_ids():
    doc = Document("t")
    doc.section("s").add(charts.trend([2024, 2025], {"a": [1.0, 2.0]}, unit="kg", title="x"),
                         charts.trend([2024, 2025], {"a": [1.0, 2.0]}, unit="kg", title="x"))
    ids = re.findall(r'\bid="([^"]+)"', render_html(doc))
    assert len(ids) == len(set(ids))


def test_markdown_escapes_and_renders_headings_tables_and_images(tmp_path):
    from markdown_it import MarkdownIt

    output = tmp_path / "bilan.md"
    render_document(_document(), "md", output=output)
    text = output.read_text(encoding="utf-8")
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<h2>") == 2 and html.count("<table>") == 1
    assert '<td style="text-align:right">1 234,5</td>' in html
    images = re.findall(r'<img src="([^"]+)"', html)
    assert images == ["bilan-figures/01-stacked.svg"]
    svg = figures_folder(output) / "01-stacked.svg"
    assert ET.parse(svg).getroot().tag == f"{SVG}svg"
    assert '<a href="https://base-empreinte.ademe.fr/">ADEME</a>' in html and 'href="javascript' not in html


def test_markdown_without_a_file_embeds_its_charts():
    text = render_document(_document(), "md")
    assert "](data:image/svg+xml;base64," in text


@pytest.mark.parametrize("raw, escaped", [("a|b", "a\\|b"), ("*x*", "\\*x\\*"), ("# titre", "\\# titre"),
                                          ("0,357", "0,357"), ("A & B", "A &amp; B")])
def test_md_escape(raw, escaped):
    assert md_escape(raw) == escaped


def test_unknown_format_names_the_choices():
    from sobriete.errors import UnknownNameError

    with pytest.raises(UnknownNameError, match="html"):
        render_document(Document("t"), "pdf")


# --------------------------------------------------------------------------- yearly content
def _table(doc: Document, caption_start: str) -> Table:
    return next(t for t in doc.tables if t.caption.startswith(caption_start))


def test_yearly_summary_gives_total_shares_and_change(tiny_assessment, tiny_catalog):
    history = pd.DataFrame({"id": [1, 2], "year": [2023, 2024], "total_gwp": [50.0, 100.0]})
    doc = yearly_document(tiny_assessment, history=history, catalog_sources=catalog_sources(tiny_catalog))
    summary = doc.sections[0].blocks[0].text
    assert "75,00 kgCO2e" in summary  # 3 x 25
    assert "92,0 %" in summary and "8,0 %" in summary  # embodied 69/75, use 6/75
    assert "2024 (100,0 kgCO2e)" in summary and "-25,0 %" in summary  # against the latest earlier year
    assert "3 lignes lues" in summary


def test_yearly_without_history_says_no_change_is_computed(tiny_assessment):
    doc = yearly_document(tiny_assessment)
    assert "l'évolution n'est pas calculée" in doc.sections[0].blocks[0].text
    trend = next(s for s in doc.sections if s.heading.startswith("Évolution"))
    assert isinstance(trend.blocks[0], Paragraph) and not any(isinstance(b, Chart) for b in trend.blocks)


def test_every_entity_is_listed_largest_first_and_shares_add_up(tiny_assessment):
    table = _table(yearly_document(tiny_assessment), "Chaque entité")
    assert [r[0] for r in table.rows] == [INJECTION, "Commune B"]
    assert [r[-2] for r in table.rows] == ["50,00", "25,00"]
    assert [r[-1] for r in table.rows] == ["66,7 %", "33,3 %"]


def test_totals_table_matches_the_footprint_and_marks_lower_bounds(tiny_assessment):
    doc = yearly_document(tiny_assessment)
    table = _table(doc, "Totaux par critère")
    gwp = next(r for r in table.rows if r[0].startswith("Changement climatique"))
    assert gwp[2:] == ["60,00", "6,00", "6,00", "3,00", "75,00"]  # 3 x (20, 2, 2, 1)
    adpe = next(r for r in table.rows if r[0].startswith("Épuisement"))
    assert adpe[0].endswith(" *") and table.note.startswith("* minorant")  # adpe: no use factor for laptops


def test_coverage_shares_count_rows_without_a_factor(tiny_assessment):
    frame = coverage_frame(tiny_assessment).set_index(["criterion", "phase"])
    assert frame.loc[("gwp", "manufacturing"), "covered_share"] == 1.0
    assert frame.loc[("adpe", "use"), "uncovered_rows"] == 3 and frame.loc[("adpe", "use"), "covered_share"] == 0.0
    table = _table(yearly_document(tiny_assessment), "Couverture")
    assert [r[:2] for r in table.rows] == [["Équipements", "adpe"]]  # only the incomplete criterion


def test_english_report(tiny_assessment):
    doc = yearly_document(tiny_assessment, lang="en")
    assert doc.sections[0].heading == "Summary" and "75.00 kgCO2e" in doc.sections[0].blocks[0].text
    assert "<html lang=\"en\">" in render_html(doc, lang="en")


def test_lighting_hours_of_a_clock_timer_are_hand_computable():
    """18:00-06:00 every night, no sun threshold: 12 h a day, 372 h in January, 4,380 h in 2025."""
    timer = Schedule(id="timer", threshold_deg=None, hours=[{"start": "18:00", "end": "06:00"}])
    frame = pd.DataFrame({"za": ["ZA A", "ZA A"], "schedule": ["timer", "timer"], "lamp_power_w": [50.0, 70.0],
                          "latitude": [50.0, 50.2], "longitude": [3.0, 3.2]})
    hours = lighting_hours(frame, 2025, schedules={"timer": timer})
    assert hours["luminaires"].tolist() == [2] and hours["power_kw"].tolist() == pytest.approx([0.12])
    assert hours["fph_01"].iloc[0] == pytest.approx(372.0)
    assert hours[[f"fph_{m:02d}" for m in range(1, 13)]].sum(axis=1).iloc[0] == pytest.approx(4380.0)


def test_a_business_park_without_coordinates_is_named_not_dropped(tiny_assessment):
    from dataclasses import replace

    keys = pd.DataFrame({"za": ["ZA A", "ZA B"]})
    fp = tiny_assessment.footprints["equipment"]
    part = replace(fp.by(), keys=keys, values=np.repeat(fp.by().values, 2, axis=0),
                   energy_kwh=np.array([10.0, 20.0]), uncovered=np.repeat(fp.by().uncovered, 2, axis=0))
    lighting = replace(tiny_assessment, footprints={**tiny_assessment.footprints, "lighting": part},
                       items={"lighting": part})
    hours = pd.DataFrame([["ZA A", "default", 2, 0.1, *[300.0] * 12]],
                         columns=["za", "schedule", "luminaires", "power_kw", *[f"fph_{m:02d}" for m in range(1, 13)]])
    section = next(s for s in yearly_document(lighting, lighting=hours).sections if s.heading.startswith("Éclairage"))
    notes = [b.text for b in section.blocks if isinstance(b, Paragraph)]
    assert "Heures mensuelles non calculées, faute de coordonnées : ZA B." in notes
    table = next(b for b in section.blocks if isinstance(b, Table) and b.caption.startswith("Heures"))
    assert table.rows[0][-1] == "3 600,0"  # 12 x 300 h


def test_comparison_document_summary_and_table():
    frame = pd.DataFrame({"criterion": ["gwp"] * 3, "phase": ["manufacturing", "use", "total"],
                          "unit": ["kgCO2e"] * 3, "value_a": [80.0, 20.0, 100.0], "value_b": [60.0, 15.0, 75.0],
                          "change": [-20.0, -5.0, -25.0], "change_pct": [-25.0, -25.0, -25.0]})
    doc = comparison_document(frame, 2024, 2025)
    assert "de 100,0 à 75,00 kgCO2e (-25,0 %)" in doc.sections[0].blocks[0].text
    assert len(doc.charts) == 1 and "2024 : 100,0; 2025 : 75,0" in doc.charts[0].description
    assert doc.tables[0].rows[2][-2:] == ["-25,00", "-25,0 %"]


# --------------------------------------------------------------------------- commands
@pytest.fixture(scope="module")
def example_reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reports")
    runner = CliRunner()
    html = runner.invoke(main, ["assess", "examples/2025/", "--year", "2025", "--by", "entity", "--format", "html",
                                "-o", str(folder / "bilan.html"), "--datapackage", str(folder / "donnees"),
                                "--db", str(folder / "absent.sqlite")])
    md = runner.invoke(main, ["assess", "examples/2025/", "--year", "2025", "--format", "md", "--lang", "en",
                              "-o", str(folder / "bilan.md"), "--db", str(folder / "absent.sqlite")])
    return folder, html, md


def test_assess_writes_the_html_report(example_reports):
    folder, result, _ = example_reports
    assert result.exit_code == 1, result.output  # the example has rejected rows on purpose
    html = unescape((folder / "bilan.html").read_text(encoding="utf-8"))
    for heading in ("Synthèse", "Principaux contributeurs", "Par entité", "Éclairage public des zones d'activité",
                    "Qualité des données", "Méthode"):
        assert f">{heading}</h2>" in html
    assert html.count("<figure") == 3  # phases, Pareto, monthly lighting hours (no history: no trend)
    assert "Lignes rejetées (46 premières sur 46)" in html
    assert "Commune 46" in html and "ZA du Moulin" in html


def test_assess_writes_markdown_with_charts_beside_it(example_reports):
    folder, _, result = example_reports
    assert result.exit_code == 1, result.output
    text = (folder / "bilan.md").read_text(encoding="utf-8")
    assert text.startswith("# Environmental report")
    assert sorted(p.name for p in (folder / "bilan-figures").iterdir()) == ["01-phases.svg", "02-pareto.svg",
                                                                            "03-lighting-hours.svg"]
    assert "Per entity" in text and "--by entity" in text  # no grouping asked: says how to get it


def test_history_compare_as_html(tmp_path, tiny_assessment):
    from sobriete.history import History

    db = tmp_path / "h.sqlite"
    with History(db) as store:
        store.save(tiny_assessment)
        from dataclasses import replace

        store.save(replace(tiny_assessment, year=2024))
    result = CliRunner().invoke(main, ["history", "compare", "2024", "2025", "--db", str(db), "--format", "html",
                                       "-o", str(tmp_path / "evolution.html")])
    assert result.exit_code == 0, result.output
    html = unescape((tmp_path / "evolution.html").read_text(encoding="utf-8"))
    assert "Évolution de l'empreinte de 2024 à 2025" in html and html.count("<figure") == 1


def test_assess_html_reads_the_history_for_the_change_and_the_trend(tmp_path):
    """Two saved years of a small inventory: the 2025 report gives the change against the saved
    2024 total (computed here from the history's own figures) and draws the trend."""
    inventory = tmp_path / "inventaire.csv"
    inventory.write_text("category;quantity;purchase_year;entity\nlaptop;4;2023;A\nmonitor_large;2;2024;B\n",
                         encoding="utf-8")
    db = str(tmp_path / "h.sqlite")
    runner = CliRunner()
    for year in (2024, 2025):
        result = runner.invoke(main, ["assess", str(inventory), "--year", str(year), "--save", "--db", db])
        assert result.exit_code == 0, result.output
    from sobriete.history import History

    with History(db) as store:
        totals = store.list().set_index("year")["total_gwp"]
    result = runner.invoke(main, ["assess", str(inventory), "--year", "2025", "--format", "html", "--db", db,
                                  "-o", str(tmp_path / "bilan.html")])
    assert result.exit_code == 0, result.output
    html = unescape((tmp_path / "bilan.html").read_text(encoding="utf-8"))
    change = 100 * (totals[2025] - totals[2024]) / totals[2024]
    expected = f"{change:+.1f}".replace(".", ",") + " %"
    assert "Par rapport à 2024" in html and expected in html
    assert "<figcaption>Empreinte carbone par année</figcaption>" in html


def test_comparison_by_group_draws_the_largest_changes_only():
    groups = [f"Commune {i:02d}" for i in range(40)]
    frame = pd.DataFrame({"entity": groups, "criterion": "gwp", "phase": "total", "unit": "kgCO2e",
                          "value_a": 100.0, "value_b": [100.0 + i - 20 for i in range(40)],
                          "change": [float(i - 20) for i in range(40)], "change_pct": [float(i - 20) for i in range(40)]})
    chart = comparison_document(frame, 2024, 2025).charts[0]
    drawn = [t for t in _texts(chart.svg) if t.startswith("Commune")]
    # the 15 largest |change|: +19..+13 and -20..-13 (ties broken by order), decreases first
    assert len(drawn) == 15 and drawn[0] == "Commune 00" and "Commune 20" not in drawn
    assert chart.description.endswith("; …")
