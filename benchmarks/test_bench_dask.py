"""The Dask engine out of core against the in-memory pandas path (issue #15).

For each size n (``SOBRIETE_BENCH_SIZES``, default 10^6 and 10^7; CI runs 1000) a SYNTHETIC
partitioned dataset is written once to disk (:mod:`benchmarks.make_dask_dataset`: hive folders
``epci=.../``, row groups of 10^6 rows at most), then, with the same timer:

- ``pandas``: the frame already in memory (read beforehand, untimed), ``prepare`` + ``evaluate``
  of the equipment domain by EPCI and category, on one core;
- ``dask_sync``: the same partitions and tree of sums in this process (Dask's synchronous
  scheduler): the cost of the partitioned path without the distributed runtime;
- ``dask-1`` and ``dask-2``: :func:`sobriete.distributed.assess_dask` of the dataset on disk
  (reading included) on a local cluster of 1 and 2 single-threaded worker processes.

``extra_info`` gives the rows per second per core of each (wall time / workers) and the ratio to
pandas (goal ≥ 0.7); as the shared machine's load skews wall times, also the rows per CPU second
(this process and its children: client, scheduler, workers; and of the worker processes alone)
and those ratios,
the 1 → 2 worker speed-up, and the peak resident memory of the whole cluster (scheduler,
workers and this process, sampled every 250 ms; goal ≤ 4 GB), plus a check that the totals
agree (relative 1e-12).

Run: ``SOBRIETE_BENCH_SIZES=10000000 python -m pytest benchmarks/test_bench_dask.py --benchmark-only
-s`` (10^8: ``SOBRIETE_BENCH_SIZES=100000000``, about 1 GB of Parquet in ``SOBRIETE_BENCH_DIR``
or a temporary folder). The machine is shared: figures vary with its load.
"""

import os
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pytest

dask = pytest.importorskip("dask")

pytest.importorskip("distributed")

import psutil  # noqa: E402  (a dependency of distributed)
from distributed import Client, LocalCluster  # noqa: E402

from sobriete import load_catalog  # noqa: E402
from sobriete.distributed import assess_dask, read_dataset, registered_domains  # noqa: E402

from .conftest import bench_sizes  # noqa: E402
from .make_dask_dataset import write_dataset  # noqa: E402

YEAR = 2025
BY = ["epci", "category"]
SIZES = bench_sizes("1000000,10000000")
ROW_GROUP = 1_000_000


def dataset(n_rows: int) -> Path:
    """The dataset of ``n_rows`` rows, written once (kept in ``SOBRIETE_BENCH_DIR`` if set)."""
    base = Path(os.environ.get("SOBRIETE_BENCH_DIR") or tempfile.gettempdir()) / f"sobriete_dask_{n_rows}"
    if not (base / "done").exists():
        write_dataset(base, n_rows, epci=max(1, min(100, n_rows // ROW_GROUP * 2)), row_group=ROW_GROUP)
        (base / "done").write_text("ok")
    return base


class PeakMemory:
    """Peak of the summed resident memory of this process and its children [byte]."""

    def __init__(self, interval: float = 0.25):
        self.interval, self.peak, self._stop = interval, 0, threading.Event()

    def _sample(self):
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for process in [me, *me.children(recursive=True)]:
                try:
                    total += process.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            time.sleep(self.interval)

    def __enter__(self):
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def warm_up() -> None:
    """Imports, catalog and electricity caches of one process, as a long-running one has them."""
    from sobriete.synthetic import make_inventory

    registered_domains()["equipment"].prepare(make_inventory(100), load_catalog(), by=["entity"]).evaluate(YEAR)


def cpu_seconds(*, children_only: bool = False) -> float:
    """User + system CPU time of this process (client, local scheduler, memory sampler) and its
    children (worker processes and their nannies) so far [s]."""
    me = psutil.Process()
    total = 0.0
    for process in [*([] if children_only else [me]), *me.children(recursive=True)]:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            pass
    return total


def timed(function) -> tuple[float, float, float, object]:
    """Wall time [s], CPU time of this process and its children [s], CPU time of the children
    alone [s] and the result of ``function``."""
    start, cpu, workers = time.perf_counter(), cpu_seconds(), cpu_seconds(children_only=True)
    result = function()
    return (time.perf_counter() - start, cpu_seconds() - cpu, cpu_seconds(children_only=True) - workers,
            result)


def _ratio(numerator, denominator, digits: int = 2):
    """``numerator / denominator`` rounded, or None where the denominator is not positive (a
    process-time clock reads 0 s for a tiny run) or either side is unknown."""
    if numerator is None or denominator is None or not denominator > 0:
        return None
    return round(numerator / denominator, digits) if digits else round(numerator / denominator)


@pytest.mark.parametrize("n_rows", SIZES)
def test_dask_against_pandas(benchmark, n_rows):
    path = dataset(n_rows)
    spec = registered_domains()["equipment"]
    info = {}
    pandas_seconds = None
    if n_rows <= 20_000_000:  # the in-memory reference needs the whole frame in memory
        frame = read_dataset(path).compute(scheduler="sync")
        warm_up()
        catalog = load_catalog()
        pandas_seconds, pandas_cpu, _, reference = timed(lambda: spec.prepare(frame, catalog, by=BY).evaluate(YEAR))
        del frame
        info["pandas_rows_per_s_per_core"] = _ratio(n_rows, pandas_seconds, 0)
        info["pandas_rows_per_cpu_s"] = _ratio(n_rows, pandas_cpu, 0)
    warm_up()
    with dask.config.set(scheduler="sync"):  # the same partitions and sums in this process: no runtime
        seconds, cpu, _, fp = timed(lambda: assess_dask(read_dataset(path), YEAR, domain="equipment", by=BY))
    info["dask_sync_seconds"] = round(seconds, 2)
    info["dask_sync_rows_per_cpu_s"] = _ratio(n_rows, cpu, 0)
    results = {"sync": fp}
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                          memory_limit="3GB") as cluster, Client(cluster) as client:
            client.run(warm_up)  # imports and caches on every worker, as a long-running cluster has them
            ddf = read_dataset(path)
            for part in range(min(workers, ddf.npartitions)):  # and the reading path, on one partition each
                assess_dask(ddf.partitions[part], YEAR, domain="equipment", by=BY)
            with PeakMemory() as peak:
                if workers == 2:  # the benchmark's own timing is the 2-worker run
                    seconds, cpu, worker_cpu, fp = timed(lambda: benchmark.pedantic(
                        lambda: assess_dask(ddf, YEAR, domain="equipment", by=BY), rounds=1, iterations=1))
                else:
                    seconds, cpu, worker_cpu, fp = timed(lambda: assess_dask(ddf, YEAR, domain="equipment", by=BY))
            results[workers] = fp
            info[f"dask_{workers}_seconds"] = round(seconds, 2)
            info[f"dask_{workers}_rows_per_s_per_core"] = _ratio(n_rows, seconds * workers, 0)
            info[f"dask_{workers}_rows_per_cpu_s"] = _ratio(n_rows, cpu, 0)
            info[f"dask_{workers}_rows_per_worker_cpu_s"] = _ratio(n_rows, worker_cpu, 0)
            info[f"dask_{workers}_peak_rss_gb"] = round(peak.peak / 1e9, 2)
    info["speedup_1_to_2_workers"] = _ratio(info["dask_1_seconds"], info["dask_2_seconds"])
    assert results[1].quality.rows_read == results[2].quality.rows_read == n_rows
    np.testing.assert_allclose(results[1].total()["total"], results[2].total()["total"], rtol=1e-12)
    np.testing.assert_allclose(results["sync"].total()["total"], results[2].total()["total"], rtol=1e-12)
    if pandas_seconds is not None:
        info["pandas_seconds"] = round(pandas_seconds, 2)
        info["dask_sync_per_cpu_s_vs_pandas"] = _ratio(info["dask_sync_rows_per_cpu_s"], info["pandas_rows_per_cpu_s"])
        for workers in (1, 2):
            info[f"dask_{workers}_per_core_vs_pandas"] = _ratio(info[f"dask_{workers}_rows_per_s_per_core"],
                                                                info["pandas_rows_per_s_per_core"])
            for kind in ("cpu", "worker_cpu"):
                info[f"dask_{workers}_per_{kind}_s_vs_pandas"] = _ratio(info[f"dask_{workers}_rows_per_{kind}_s"],
                                                                        info["pandas_rows_per_cpu_s"])
        np.testing.assert_allclose(results[2].total()["total"], reference.total()["total"], rtol=1e-12)
    benchmark.extra_info.update(info)
    print(n_rows, info)
