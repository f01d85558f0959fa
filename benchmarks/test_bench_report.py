"""The illustrated yearly report (issue #12): the example authority's report builds in ≤ 3 s
on 2 cores.

- ``test_example_report_command``: the README command ``sobriete assess examples/2025/ --year
  2025 --by entity --format html -o bilan.html`` in a fresh interpreter (start-up, imports of
  pandas and matplotlib, reading, assessment, monthly lighting hours, charts and page), what a
  user waits for;
- ``test_example_report_rendering``: the report only (document, charts, HTML or Markdown),
  from an assessment made in an untimed fixture;
- ``test_report_rendering_size``: the report of a synthetic inventory of ``n`` rows grouped by
  entity (sizes from ``SOBRIETE_BENCH_SIZES``, default 1000 and 100000): the per-entity table
  and the Pareto grow with the data, the charts do not.

Run: ``python -m pytest benchmarks/test_bench_report.py --benchmark-only``.
"""

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

import sobriete as sb
from sobriete.assessment import DomainInputs, assess_inputs
from sobriete.report.yearly import catalog_sources, input_lighting_hours, write_yearly
from sobriete.synthetic import make_inventory

from .conftest import bench_sizes

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "2025"
SIZES = bench_sizes("1000,100000")


def _command(output: Path, fmt: str = "html") -> None:
    done = subprocess.run([sys.executable, "-m", "sobriete", "assess", str(EXAMPLE), "--year", "2025", "--by",
                           "entity", "--format", fmt, "-o", str(output), "--db", str(output.with_suffix(".db"))],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode in (0, 1), done.stderr


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@pytest.mark.parametrize("fmt", ["html", "json"])
def test_example_report_command(benchmark, tmp_path, fmt):
    """``json`` is the reference: the same command without charts, so the difference is the
    illustrated report's own cost. ``cpu_s_per_run`` (user + system time of the child, which
    other processes on a loaded machine do not inflate much) is the wall time of an idle
    machine to within the few I/O waits."""
    output = tmp_path / f"bilan.{fmt}"
    benchmark.group = "yearly report of the example authority"
    before = _children_cpu_s()
    benchmark.pedantic(_command, args=(output, fmt), rounds=3, iterations=1, warmup_rounds=0)
    benchmark.extra_info.update(what="fresh interpreter: read + assess (+ lighting hours + charts + HTML)",
                                cpu_s_per_run=round((_children_cpu_s() - before) / 3, 2),
                                output_kb=round(output.stat().st_size / 1e3), load_average=os.getloadavg()[0])
    assert output.stat().st_size > 50_000


@pytest.fixture(scope="module")
def example():
    catalog = sb.load_catalog()
    from sobriete.assessment import assess

    result = assess([EXAMPLE], year=2025, by="entity", catalog=catalog)
    return result, catalog, input_lighting_hours(result, [EXAMPLE], catalog=catalog)


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_example_report_rendering(benchmark, example, tmp_path, fmt):
    result, catalog, hours = example
    output = tmp_path / f"bilan.{fmt}"
    benchmark.group = "yearly report of the example authority"
    benchmark.extra_info.update(what=f"report only ({fmt}): document, charts, page")
    benchmark.pedantic(write_yearly, args=(result, fmt, output), kwargs={"catalog": catalog, "lighting": hours},
                       rounds=3, iterations=1, warmup_rounds=1)
    assert output.stat().st_size > 10_000


@pytest.fixture(scope="module")
def synthetic(catalog):
    out = {}
    for n in SIZES:
        frame = make_inventory(n, seed=3, categories=list(catalog.equipment.categories))
        out[n] = assess_inputs({"equipment": DomainInputs.from_frame(frame)}, year=2025, by="entity", catalog=catalog)
    return out


@pytest.mark.parametrize("n_rows", SIZES)
def test_report_rendering_size(benchmark, synthetic, catalog, tmp_path, n_rows):
    result = synthetic[n_rows]
    sources = catalog_sources(catalog)
    from sobriete.report.render import render_document
    from sobriete.report.yearly import yearly_document

    benchmark.group = "yearly report rendering"
    benchmark.extra_info.update(rows=n_rows, entities=len(result.footprint.by("entity").keys))
    html = benchmark.pedantic(lambda: render_document(yearly_document(result, catalog_sources=sources), "html"),
                              rounds=3, iterations=1, warmup_rounds=1)
    assert html.count("<figure") == 2  # phases and Pareto (no history, no lighting)
