"""Reports of an assessment grouped by a key of many values (the test campaign): ``--by`` an
asset id of 10⁵ values on 10⁶ inventory rows.

- ``test_json_groups_many_values``: :func:`sobriete.report.to_dict` (``--format json``) of an
  inventory of ``n`` rows grouped by an asset id of ``n / 10`` values (sizes from
  ``SOBRIETE_BENCH_SIZES``, default 10⁶ rows). Before the campaign each group built its own
  Footprint and frame: about 3.5 ms per group, 5 minutes for 86,000 groups.

Run: ``python -m pytest benchmarks/test_bench_campaign.py --benchmark-only``.
"""

import os

import numpy as np
import pytest

from sobriete.assessment import DomainInputs, assess_inputs
from sobriete.report import to_dict
from sobriete.synthetic import make_inventory

from .conftest import bench_sizes

SIZES = bench_sizes("1000000")


@pytest.fixture(scope="module", params=SIZES, ids=lambda n: f"{n}rows")
def by_asset(request, catalog):
    n = request.param
    inventory = make_inventory(n, seed=5)
    inventory["asset"] = np.random.default_rng(5).integers(0, max(n // 10, 1), n).astype(str)
    result = assess_inputs({"equipment": DomainInputs.from_frame(inventory)}, year=2025, by="asset", catalog=catalog)
    return result, len(result.footprint.by("asset").keys)


def test_json_groups_many_values(benchmark, by_asset):
    assessment, groups = by_asset
    benchmark.group = "report of many groups"
    document = benchmark.pedantic(to_dict, args=(assessment,), rounds=3, iterations=1, warmup_rounds=0)
    assert len(document["groups"]["asset"]) == groups
    benchmark.extra_info.update(groups=groups, load_average=os.getloadavg()[0],
                                seconds_per_10k_groups=round(benchmark.stats.stats.min / groups * 1e4, 4))
