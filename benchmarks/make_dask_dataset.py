"""Write a SYNTHETIC partitioned Parquet dataset of equipment inventories, for the Dask benchmark.

``python -m benchmarks.make_dask_dataset OUT --rows 100000000 --epci 100`` writes
``OUT/epci=EPCI 001/part-0.parquet`` ... (hive partitions, one file per EPCI), each file in row
groups of ``--row-group`` rows generated one at a time (memory stays at one row group). Rows come
from :func:`sobriete.synthetic.make_inventory` (seeded): they describe no real authority.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from sobriete.synthetic import make_inventory


def write_dataset(out: str | Path, rows: int, *, epci: int = 100, row_group: int = 1_000_000, seed: int = 0) -> Path:
    """Write ``rows`` synthetic inventory rows split evenly over ``epci`` hive folders [row]."""
    out = Path(out)
    per_file, extra = divmod(rows, epci)
    for e in range(epci):
        folder = out / f"epci=EPCI {e + 1:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        n, done, writer = per_file + (1 if e < extra else 0), 0, None
        try:
            while done < n or writer is None:
                size = min(row_group, n - done)
                table = pa.Table.from_pandas(make_inventory(size, seed=seed + e * 100_003 + done), preserve_index=False)
                writer = writer or pq.ParquetWriter(folder / "part-0.parquet", table.schema)
                writer.write_table(table, row_group_size=row_group)
                done += size
                if size == 0:
                    break
        finally:
            if writer is not None:
                writer.close()
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--rows", type=lambda s: int(float(s)), default=100_000_000)
    parser.add_argument("--epci", type=int, default=100)
    parser.add_argument("--row-group", type=lambda s: int(float(s)), default=1_000_000)
    args = parser.parse_args()
    print(write_dataset(args.out, args.rows, epci=args.epci, row_group=args.row_group))
