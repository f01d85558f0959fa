"""Beyond one machine: the same assessment on the partitions of a Dask DataFrame.

Each partition goes through the domain protocol (:mod:`sobriete.protocol`) on its own —
``DOMAINS[domain].prepare(partition, catalog, by=...)`` then ``Prepared.evaluate(year, ...)`` —
and the partitions' footprints are added with :class:`~sobriete.footprint.Footprint` algebra
(dense arrays added, group keys united) in a tree of pairwise sums. Row accounting and rejected
rows travel inside each footprint's :class:`~sobriete.footprint.DataQuality`, so nothing is lost
between workers; an error raised on a worker (a :class:`~sobriete.errors.SobrieteError`) is
pickled back and raised as is. No domain internals are used: every registered domain runs.

Dask is optional (``pip install 'sobriete[dask]'``): this module imports it only when called.

Quick tour::

    from dask.distributed import Client
    from sobriete.distributed import assess_dask, read_dataset
    client = Client()                                  # a local cluster, or Client("tcp://host:8786")
    ddf = read_dataset("inventaires/")                 # hive folders such as epci=.../ become columns
    fp = assess_dask(ddf, 2025, domain="equipment", by=["epci"])

Row numbers stay those a user can find: :func:`read_dataset` gives each partition the 1-based row
numbers of its Parquet file as index and the file's path (relative to the dataset) in ``_file``,
which is what the readers of :mod:`sobriete.io` give one file.

Notes
-----
A domain whose preparation looks across rows does so within a partition only: lighting fills a
luminaire's missing coordinates with the mean of its ZA's rows, so a ZA must not be split between
partitions (hive partitions by EPCI keep each ZA whole). Per-row override arrays
(:class:`~sobriete.protocol.Overrides` given as arrays) name positions in one frame and are refused.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import protocol
from .errors import InputFormatError, InputValueError, SobrieteError, UnknownNameError
from .factors import FactorCatalog, load_catalog
from .footprint import Footprint

if TYPE_CHECKING:  # pragma: no cover - typing only
    import dask.dataframe as dd

    from .assessment import Assessment

#: Rows of one partition at most when a Parquet file has several row groups [row]: bounds a
#: worker's memory (about 100 bytes a row while prepared).
ROWS_PER_PARTITION = 2_000_000
#: Name of the index of :func:`read_dataset`'s partitions: the 1-based row in the Parquet file.
ROW_INDEX = "row"
ENGINES = ("pandas", "dask")


class DaskNotInstalledError(SobrieteError, ImportError):
    """Dask is needed (``--engine dask``, :mod:`sobriete.distributed`) but not installed."""


def _require_dask():
    try:
        import dask
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:
        raise DaskNotInstalledError(f"the Dask engine needs Dask ({exc.name} is missing): "
                                    "pip install 'sobriete[dask]'", code="dask_missing",
                                    module=exc.name) from None
    return dask


# --------------------------------------------------------------------------- reading
@dataclass(frozen=True)
class _Piece:
    """Row groups ``row_groups`` of the Parquet file ``path``; their first row is ``first_row``
    (1-based) in the file; ``keys`` are the hive partition values of its folders."""

    path: str
    name: str
    row_groups: tuple[int, ...]
    first_row: int
    keys: tuple[tuple[str, str], ...]


def dataset_files(path: str | Path) -> list[Path]:
    """The Parquet files of a dataset folder (all levels, sorted; hidden and ``_`` files skipped),
    or the file itself."""
    root = Path(path)
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise InputFormatError("input file not found", file=str(root), code="file_not_found")
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in (".parquet", ".pq")
                   and not any(part.startswith((".", "_")) for part in p.relative_to(root).parts))
    if not files:
        raise InputFormatError("no CSV, XLSX or Parquet file in the folder", file=str(root), code="empty_folder",
                               suffixes=[".parquet", ".pq"])
    return files


def _hive_keys(relative: Path) -> tuple[tuple[str, str], ...]:
    return tuple(tuple(part.split("=", 1)) for part in relative.parts[:-1] if "=" in part)


def hive_keys(path: str | Path) -> list[str]:
    """The hive partition keys of a dataset folder (``key`` of its ``key=value/`` folders)."""
    root = Path(path)
    if not root.is_dir():
        return []
    return list(dict.fromkeys(k for f in dataset_files(root) for k, _ in _hive_keys(f.relative_to(root))))


def _pieces(root: Path, files: Sequence[Path], rows_per_partition: int) -> tuple[list[_Piece], dict]:
    """The partitions of ``files`` and the union of their columns ``{name: arrow type}``."""
    import pyarrow.parquet as pq

    pieces, fields = [], {}
    for file in files:
        name = str(file.relative_to(root)) if root.is_dir() else file.name
        handle = pq.ParquetFile(file)
        meta = handle.metadata
        for f in handle.schema_arrow:
            fields[f.name] = f.type if f.name not in fields or _is_text(f.type) else fields[f.name]
        keys, group, first, rows = _hive_keys(Path(name)), [], 1, 0
        for g in range(meta.num_row_groups):
            n = meta.row_group(g).num_rows
            if group and rows + n > rows_per_partition:
                pieces.append(_Piece(str(file), name, tuple(group), first, keys))
                group, first, rows = [], first + rows, 0
            group.append(g)
            rows += n
        pieces.append(_Piece(str(file), name, tuple(group), first, keys))  # an empty file: one empty piece
    return pieces, fields


def _read_piece(piece: _Piece, *, columns: list[str], text: list[str], hive: Mapping[str, list[str]],
                files: list[str]) -> pd.DataFrame:
    """One partition: its rows with the file's row numbers as index, the dataset's columns (a
    column its file lacks is empty), hive keys and ``_file``."""
    import pyarrow.parquet as pq

    names = pq.read_schema(piece.path).names
    present = [c for c in columns if c in names]
    handle = pq.ParquetFile(piece.path, read_dictionary=[c for c in text if c in present] or None)
    table = handle.read_row_groups(list(piece.row_groups), columns=present, use_threads=False) \
        if piece.row_groups else handle.schema_arrow.empty_table().select(present)
    frame = table.to_pandas()
    n = len(frame)
    for column in columns:
        if column not in present:
            frame[column] = (pd.Categorical.from_codes(np.full(n, -1), pd.Index([], dtype="str")) if column in text
                             else np.full(n, np.nan))
    frame = frame[columns]
    frame.index = pd.RangeIndex(piece.first_row, piece.first_row + n, name=ROW_INDEX)
    given = dict(piece.keys)
    for key, values in hive.items():  # dataset-wide categories: every partition has the same dtype
        frame[key] = pd.Categorical.from_codes(np.full(n, values.index(given[key]) if key in given else -1,
                                                       dtype=np.int32), values)
    frame["_file"] = pd.Categorical.from_codes(np.full(n, files.index(piece.name), dtype=np.int32), files)
    return frame


def read_dataset(path: str | Path, *, columns: Iterable[str] | None = None,
                 rows_per_partition: int = ROWS_PER_PARTITION) -> dd.DataFrame:
    """A partitioned Parquet dataset as a Dask DataFrame, one partition per file (or per run of
    row groups of at most ``rows_per_partition`` rows).

    Parameters
    ----------
    path : path
        A folder of Parquet files, at any depth (hive folders ``key=value/`` give the column
        ``key``, a categorical), or one Parquet file.
    columns : iterable of str, optional
        Columns to read (default: all).
    rows_per_partition : int
        Row groups of a file are gathered up to this many rows per partition [row].

    Returns
    -------
    dask.dataframe.DataFrame
        Index: the 1-based row in its file (name ``row``); ``_file``: the file's path relative to
        ``path``; text columns as categoricals (dictionary-encoded, as :mod:`sobriete.io` reads
        Parquet). Nothing is read until computed.
    """
    _require_dask()
    import dask.dataframe as dd

    root = Path(path)
    files = dataset_files(root)
    pieces, fields = _pieces(root, files, rows_per_partition)
    wanted = list(columns) if columns is not None else None
    names = [name for name in fields if wanted is None or name in wanted]
    text = [name for name in names if _is_text(fields[name])]
    hive: dict[str, list[str]] = {}
    for piece in pieces:
        for key, value in piece.keys:
            if key not in names:
                hive.setdefault(key, [])
                if value not in hive[key]:
                    hive[key].append(value)
    hive = {key: sorted(values) for key, values in hive.items()}
    options = dict(columns=[n for n in names if n not in hive], text=text, hive=hive,
                   files=sorted({p.name for p in pieces}))
    meta = _read_piece(replace(pieces[0], row_groups=()), **options)
    return dd.from_map(partial(_read_piece, **options), pieces, meta=meta, enforce_metadata=False)


def _is_text(kind) -> bool:
    import pyarrow as pa

    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


# --------------------------------------------------------------------------- assessing
@dataclass(frozen=True)
class _Task:
    """What every partition does: the protocol's prepare then evaluate."""

    domain: str
    year: int
    by: tuple[str, ...]
    allocation: str
    overrides: protocol.Overrides | None
    prepare_options: Mapping[str, Any]
    profile: Any = None
    passed: tuple[str, ...] = ()
    evaluate_options: Mapping[str, Any] = field(default_factory=dict)

    def __call__(self, frame: pd.DataFrame, catalog: FactorCatalog) -> Footprint:
        read = None
        if self.profile is not None:
            frame, read = _map_partition(frame, self.profile, catalog, self.by, self.passed)
        prepared = registered_domains()[self.domain].prepare(frame, catalog, by=list(self.by), **self.prepare_options)
        fp = prepared.evaluate(self.year, overrides=self.overrides, allocation=self.allocation, **self.evaluate_options)
        return fp if read is None else replace(fp, quality=read.followed_by(fp.quality))


def _accepted(prepare, options: Mapping[str, Any]) -> dict[str, Any]:
    """The ``options`` given (not None) that ``prepare`` takes (all when it takes ``**options``):
    a dataset of one domain ignores the settings of the others, as :func:`sobriete.assessment.assess`
    does."""
    import inspect

    given = {k: v for k, v in options.items() if v is not None}
    parameters = inspect.signature(prepare).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return given
    return {k: v for k, v in given.items() if k in parameters}


def registered_domains() -> dict[str, protocol.DomainSpec]:
    """:data:`sobriete.protocol.DOMAINS` with every domain module imported (a worker process
    starts with none registered)."""
    from . import assessment  # noqa: F401 - imports every domain module, which registers itself

    return protocol.DOMAINS


def _map_partition(frame: pd.DataFrame, profile, catalog: FactorCatalog, by: Sequence[str] = (),
                   passed: Sequence[str] = ()):
    """A partition of source columns mapped by ``profile`` as :func:`sobriete.io.read_table` maps
    one file (rows rejected while reading kept, with the file's path). Columns ``passed`` (hive
    partition keys) skip the mapping, and grouping keys ``by`` the profile does not map are kept
    as they are."""
    from .io import _valid_values
    from .io.mapping import map_table
    from .io.readers import RawTable

    files = frame["_file"]
    name = str(files.iloc[0]) if len(files) else ""
    keep = [c for c in frame.columns if c != "_file" and c not in passed]
    result = map_table(RawTable(frame[keep], name, "parquet", decimal="."), profile,
                       valid=_valid_values(catalog, profile.domain))
    kept = result.frame.index
    mapped = result.frame.assign(_file=files.loc[kept], **{key: frame[key].loc[kept] for key in (*passed, *by)
                                                          if key not in result.frame.columns and key in frame.columns})
    quality = result.quality
    if len(quality.rejected):
        quality = replace(quality, rejected=quality.rejected.assign(file=name))
    return mapped, quality


def _sum_tree(parts: list):
    """Pairwise sums of delayed footprints, as a balanced tree (depth log2 of the partitions)."""
    import dask

    add = dask.delayed(operator.add, pure=True)
    while len(parts) > 1:
        parts = [add(parts[i], parts[i + 1]) if i + 1 < len(parts) else parts[i] for i in range(0, len(parts), 2)]
    return parts[0]


def footprint_graph(ddf: dd.DataFrame, year: int, *, domain: str, catalog: FactorCatalog | None = None,
                    by: Iterable[str] | str | None = None, overrides: protocol.Overrides | None = None,
                    allocation: str = "amortised", profile=None, passed: Iterable[str] = (),
                    evaluate_options: Mapping[str, Any] | None = None, **options: Any):
    """The lazy footprint of ``ddf`` (a ``dask.delayed``); see :func:`assess_dask`."""
    dask = _require_dask()
    from .io import load_profile

    if domain not in registered_domains():
        raise UnknownNameError("domain", domain, protocol.DOMAINS)
    by = (by,) if isinstance(by, str) else tuple(by or ())
    profile = load_profile(profile) if profile is not None and not hasattr(profile, "domain") else profile
    columns = [str(c) for c in ddf.columns]
    mapped = {*profile.columns, *profile.copy_columns} if profile is not None else set()  # the mapping makes them
    absent = [k for k in by if k not in columns and k not in mapped]
    if absent:
        raise UnknownNameError("grouping column", absent[0], {c for c in columns if not c.startswith("_")},
                               hint="choose one of the inputs' columns with --by")
    if overrides is not None and protocol.is_per_row(overrides):
        raise InputValueError("per-row override arrays cannot follow the rows of a distributed frame: give "
                              "overrides per item or for every row", code="override_per_row_distributed")
    catalog = catalog if catalog is not None else load_catalog()
    task = _Task(domain, int(year), by, allocation, overrides, _accepted(registered_domains()[domain].prepare, options),
                 profile, tuple(passed), dict(evaluate_options or {}))
    shared = dask.delayed(catalog, pure=True)  # one copy of the catalog per worker, not per task
    run = dask.delayed(task, pure=True)
    return _sum_tree([run(part, shared) for part in ddf.to_delayed()])


def assess_dask(ddf: dd.DataFrame, year: int, *, domain: str, catalog: FactorCatalog | None = None,
                by: Iterable[str] | str | None = None, overrides: protocol.Overrides | None = None,
                allocation: str = "amortised", profile=None, evaluate_options: Mapping[str, Any] | None = None,
                **options: Any) -> Footprint:
    """The footprint of a Dask DataFrame, partition by partition, equal to the pandas path.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        The domain's canonical columns (or source columns with ``profile``); its index labels
        are reported as row numbers and a ``_file`` column names each row's file in rejections
        (:func:`read_dataset` gives both).
    year : int
        Assessed calendar year.
    domain : str, keyword-only
        A key of :data:`sobriete.protocol.DOMAINS` (``equipment``, ``lighting``...).
    catalog : FactorCatalog, keyword-only
        Default: the bundled catalog; sent once to each worker.
    by : str or list of str, keyword-only
        Grouping keys (hive partition columns such as ``epci`` included).
    overrides : Overrides, keyword-only
        Scenario changes per item or for every row (per-row arrays are refused).
    allocation : {'amortised', 'at_purchase'}, keyword-only
        Allocation of embodied impacts.
    profile : str, path or Profile, keyword-only
        Map each partition's source columns with this :mod:`sobriete.io` profile first (rows
        rejected while reading counted as :func:`sobriete.io.read_table` counts them).
    evaluate_options : mapping, keyword-only
        Passed to the domain's ``evaluate`` (e.g. traffic ``model``: the network model).
    **options
        Passed to the domain's ``prepare`` (e.g. lighting ``schedules``).

    Returns
    -------
    Footprint
        The sum of the partitions' footprints: values, energy and uncovered counts added per
        group, groups united and sorted, ``quality`` combined (rows read = assessed +
        rejected, rejected rows with file and row). Equal to the pandas path on the computed
        frame up to the order of float additions (relative 1e-12).

    Notes
    -----
    Runs on the current Dask scheduler: the distributed client in use (``Client(...)``), else
    Dask's default. Errors raised on a worker are raised here as they were.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> inventory = pd.DataFrame({"category": ["laptop", "monitor", "laptop", "tablet"],
    ...                           "quantity": [10, 4, 2, 1], "purchase_year": [2023, 2024, 2024, 2025],
    ...                           "entity": ["A", "A", "B", "B"]})
    >>> ddf = dd.from_pandas(inventory, npartitions=2, sort=False)
    >>> fp = assess_dask(ddf, 2025, domain="equipment", by="entity")
    >>> expected = protocol.DOMAINS["equipment"].prepare(inventory, None, by=["entity"]).evaluate(2025)
    >>> bool(np.allclose(fp.values, expected.values, rtol=1e-12)), fp.quality.rows_read
    (True, 4)
    """
    return merged_notices(footprint_graph(ddf, year, domain=domain, catalog=catalog, by=by, overrides=overrides,
                                          allocation=allocation, profile=profile, evaluate_options=evaluate_options,
                                          **options).compute())


def merged_notices(total: Footprint) -> Footprint:
    """``total`` with the partitions' notices of missing factors (each counting its own rows)
    replaced by those of the summed ``uncovered`` counts, as one frame would give."""
    from .kernel import _coverage_warnings

    warnings = total.quality.warnings
    if not any(getattr(w, "code", None) == "missing_factor" for w in warnings):
        return total
    kept = [w for w in warnings if getattr(w, "code", None) != "missing_factor"]
    quality = replace(total.quality, warnings=tuple(dict.fromkeys(
        (*kept, *_coverage_warnings(total.uncovered, total.criteria)))))
    return replace(total, quality=quality)


# --------------------------------------------------------------------------- the CLI's path
def detect_dataset_profile(path: str | Path, profile=None):
    """The :mod:`sobriete.io` profile of a dataset, from its first file's columns (or ``profile``)."""
    import pyarrow.parquet as pq

    from .io import detect_profile, load_profile
    from .io.detect import bundled_profiles

    if profile is not None:
        return load_profile(profile)
    first = dataset_files(path)[0]  # hive keys are not the file's columns: they skip the mapping
    return detect_profile(pq.read_schema(first).names, bundled_profiles(), file=str(first))


def start_client(scheduler: str | None = None, *, n_workers: int | None = None):
    """A Dask client: to the scheduler at ``scheduler`` (``tcp://host:8786``), else to a new local
    cluster of one single-threaded worker process per core."""
    _require_dask()
    import logging
    import os

    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler)
    cluster = LocalCluster(n_workers=n_workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                           dashboard_address=":0", silence_logs=logging.CRITICAL)  # errors are raised here
    return Client(cluster)


def assess_dataset(path: str | Path, *, year: int, by: Iterable[str] | str | None = None,
                   allocation: str = "amortised", catalog: FactorCatalog | None = None, profile=None,
                   client=None, progress: bool = False, network_model: str | None = None,
                   **options: Any) -> Assessment:
    """Assess a partitioned Parquet dataset on Dask into an :class:`~sobriete.assessment.Assessment`
    (what ``sobriete assess DATASET/ --engine dask`` reports).

    The profile (hence the domain) is recognised from the first file's columns; each partition
    is mapped with it, then prepared and evaluated. ``client`` is a ``distributed.Client``
    (default: the current one). With ``progress``, Dask's progress bar is drawn on stderr.
    ``network_model`` (:data:`sobriete.network.NETWORK_MODELS`, default the assessment's) reaches
    the domain's ``evaluate`` as :func:`sobriete.assessment.assess` passes it; a dataset of a
    domain the model does not count is refused.
    """
    from .assessment import DOMAINS as ASSESSED
    from .assessment import Assessment, InputFile, Options, _item_labels
    from .network import DEFAULT_MODEL, NETWORK_MODELS
    from .notices import prefixed

    catalog = catalog if catalog is not None else load_catalog()
    network_model = network_model or DEFAULT_MODEL
    if network_model not in NETWORK_MODELS:
        raise UnknownNameError("network model", network_model, NETWORK_MODELS)
    chosen = detect_dataset_profile(path, profile)
    domain = chosen.domain
    settings = Options(network_model, options.get("schedules"))
    why = ASSESSED[domain].skip(settings)
    if why:
        raise InputValueError(f"the network model {network_model} does not count the {domain} dataset ({why}); "
                              "choose another --network-model", code="dask_domain_skipped", model=network_model,
                              domain=domain)
    by = (by,) if isinstance(by, str) else tuple(by or ())
    item = registered_domains()[domain].item_key
    ddf = read_dataset(path)
    extra = (item,) if item and item not in by else ()
    lazy = footprint_graph(ddf, year, domain=domain, catalog=catalog, by=by + extra, allocation=allocation,
                           profile=chosen, passed=hive_keys(path),
                           evaluate_options=ASSESSED[domain].evaluate_options(settings), **options)
    full = merged_notices(_compute(lazy, client, progress))
    fp = replace(full.by(*by), meta={**full.meta, "by": list(by)}) if extra else full
    quality = replace(full.quality, warnings=tuple(dict.fromkeys(
        (*(prefixed(domain, w) for w in full.quality.warnings), *catalog.caveats(fp)))))
    fp = replace(fp, quality=quality)
    labels = catalog.table("criteria").set_index("criterion")
    root = Path(path)
    inputs = tuple(replace(InputFile.from_path(f), name=str(f.relative_to(root)) if root.is_dir() else f.name)
                   for f in dataset_files(path))
    return Assessment(year=int(year), allocation=allocation, by=by, footprints={domain: fp}, quality=quality,
                      inputs=inputs, criterion_labels={c: {"fr": str(labels.loc[c, "label_fr"]),
                                                           "en": str(labels.loc[c, "label_en"])}
                                                       for c in catalog.criteria},
                      domain_quality={domain: quality}, profiles={domain: {f.name: chosen.name for f in inputs}},
                      network_model=network_model,
                      items={domain: full.by(item)} if item else {}, item_labels=_item_labels(catalog))


def _compute(lazy, client, progress: bool) -> Footprint:
    """Compute ``lazy`` on ``client`` (or the current scheduler), with Dask's progress bar on stderr."""
    if client is None:
        return lazy.compute()
    future = client.compute(lazy)
    if progress:
        import contextlib
        import sys

        from distributed import progress as dask_progress

        with contextlib.redirect_stdout(sys.stderr):  # the report goes to stdout
            dask_progress(future)
            print()
    return future.result()
