"""Peak memory of one ``sobriete`` command, measured in a fresh interpreter.

``python -m benchmarks.peak_memory assess FILE --year 2025 ...`` prints one JSON line:

- ``traced_bytes``: tracemalloc's peak over the whole command (read + assess + report,
  catalog loading included; nothing subtracted). tracemalloc sees Python objects, numpy
  arrays and pandas' hash tables.
- ``arrow_bytes``: the peak of pyarrow's memory pool over the same command, which
  tracemalloc cannot see (Parquet decoding, ``str`` columns). A fresh interpreter makes it
  this command's own peak.
- ``frame_bytes``: "the in-memory frame": the canonical frame the reader hands to the engine
  for the same file, ``read_inputs([file]).frame.memory_usage(deep=True).sum()``.
- ``rss_before_bytes``, ``rss_peak_bytes``: resident set size before the command and its
  high-water mark (interpreter and libraries included), for a cross-check.
"""

import json
import sys
import tracemalloc


def _status_bytes(field: str) -> int:
    """``VmRSS`` (now) or ``VmHWM`` (high-water mark) of this process [byte]; unlike
    ``ru_maxrss``, ``VmHWM`` is not inherited from the forking parent."""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def measure(args: list[str]) -> dict:
    import pyarrow as pa
    from click.testing import CliRunner

    from sobriete.cli import main
    from sobriete.io import read_inputs

    rss_before = _status_bytes("VmRSS")
    tracemalloc.start()
    result = CliRunner().invoke(main, args)
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    arrow = pa.default_memory_pool().max_memory()
    rss_peak = _status_bytes("VmHWM")
    frame = read_inputs([args[1]]).frame
    return {"exit_code": result.exit_code, "traced_bytes": traced, "arrow_bytes": arrow,
            "frame_bytes": int(frame.memory_usage(deep=True).sum()), "rss_before_bytes": rss_before,
            "rss_peak_bytes": rss_peak}


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1:])))
