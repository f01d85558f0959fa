"""``sobriete assess`` end to end (read → validate → assess → JSON report), issue #3.

Targets on the 2-core machine at 10^6 rows: ≤ 3 s from Parquet, ≤ 8 s from a French CSV
(``;``, decimal comma, UTF-8 with BOM); peak memory ≤ 2x the in-memory frame. The input
files are written in untimed fixtures; peak memory (tracemalloc, one extra untimed run) is
reported in ``extra_info`` relative to the frame's in-memory size.
Run: ``python -m pytest benchmarks/test_bench_cli.py --benchmark-only``.
"""

import tracemalloc
from functools import cache

import pytest
from click.testing import CliRunner

import sobriete as sb
from sobriete.cli import main
from sobriete.synthetic import make_inventory

from .conftest import bench_sizes

SIZES = bench_sizes("1000,1000000")


@cache
def inventory(n_rows: int):
    return make_inventory(n_rows, seed=7, categories=list(sb.load_catalog().equipment.categories))


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """``{(format, n_rows): path}``, written once (untimed)."""
    folder = tmp_path_factory.mktemp("bench_cli")
    out = {}
    for n in SIZES:
        frame = inventory(n)
        out["parquet", n] = folder / f"inventory_{n}.parquet"
        frame.to_parquet(out["parquet", n], index=False)
        out["csv", n] = folder / f"inventaire_{n}.csv"
        frame.to_csv(out["csv", n], sep=";", decimal=",", index=False, encoding="utf-8-sig")
    return out


def _run(path, output):
    result = CliRunner().invoke(main, ["assess", str(path), "--year", "2025", "--by", "entity,category",
                                       "--format", "json", "--output", str(output)])
    assert result.exit_code in (0, 1), result.output
    return result


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
@pytest.mark.parametrize("n_rows", SIZES)
def test_assess_cli(benchmark, files, tmp_path, fmt, n_rows):
    path = files[fmt, n_rows]
    output = tmp_path / "out.json"
    benchmark.group = f"sobriete assess {n_rows:.0e} rows"
    benchmark.extra_info.update(rows=n_rows, format=fmt, file_mb=round(path.stat().st_size / 1e6, 1))
    benchmark.pedantic(_run, args=(path, output), rounds=3, iterations=1, warmup_rounds=0)
    frame_bytes = int(inventory(n_rows).memory_usage(deep=True).sum())
    tracemalloc.start()
    _run(path, output)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    benchmark.extra_info.update(frame_mb=round(frame_bytes / 1e6, 1), peak_mb=round(peak / 1e6, 1),
                                peak_over_frame=round(peak / frame_bytes, 2))
    assert '"rows"' in output.read_text(encoding="utf-8")
