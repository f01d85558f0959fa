"""Illustrated project and roadmap reports and their uncertainty (issues #12, #14, #11).

- ``test_project_report_rendering``: the html report of the example project (document, the
  yearly-delta charts and the tornado, page), from an assessment made in an untimed fixture;
- ``test_roadmap_report_rendering``: the html status of the example roadmap (trajectories and
  the abatement cost curve), from an evaluation made in an untimed fixture;
- ``test_project_uncertainty``: every variant's net delta over the horizon drawn ``n`` times
  (draws from ``SOBRIETE_BENCH_SIZES``, default 1000; CI: 1000) on the example project.

Run: ``python -m pytest benchmarks/test_bench_project_report.py --benchmark-only``.
"""

from pathlib import Path

import pytest

from sobriete.project import assess_project
from sobriete.project.uncertainty import project_uncertainty
from sobriete.report.project import write
from sobriete.report.roadmap import write_status

from .conftest import bench_sizes

EXAMPLES = Path(__file__).parents[1] / "examples"


@pytest.fixture(scope="module")
def laptops():
    return assess_project(EXAMPLES / "projects" / "renouvellement_portables.yaml")


def test_project_report_rendering(benchmark, laptops):
    html = benchmark(write, laptops, "html")
    assert html.count("<svg") == len(laptops.variants) + len(laptops.sensitivity["variant"].unique())


def test_roadmap_report_rendering(benchmark):
    from sobriete.history import History
    from sobriete.roadmap import evaluate_roadmap, load_roadmap

    with History(EXAMPLES / "roadmap" / "historique.sqlite", create=False) as history:
        result = evaluate_roadmap(load_roadmap(EXAMPLES / "roadmap" / "feuille-de-route.yaml"), history)
    html = benchmark(write_status, result, "html")
    assert "Trajectoires" in html


@pytest.mark.parametrize("draws", [n for n in bench_sizes("1000") if n <= 100_000])
def test_project_uncertainty(benchmark, laptops, draws):
    frame = benchmark.pedantic(project_uncertainty, args=(laptops,), kwargs={"draws": draws, "seed": 1},
                               rounds=1, iterations=1)
    assert frame["delta"].tolist() == pytest.approx(laptops.summary()["net_delta"].tolist(), abs=1e-6)
