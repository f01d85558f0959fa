"""Assessment: the yearly assessment, from input files to one result with its provenance.

:func:`assess` reads the inputs (:mod:`sobriete.io`), runs each domain's engine and gathers
the footprints, the combined row accounting (rows rejected while reading plus rows rejected by
the engine), the inputs' content hashes, the factor catalog's version and hash, and the
warnings into one :class:`Assessment`. Domains are entries of :data:`DOMAINS`: network,
hosting and lighting plug in the same way as equipment and are reported side by side and in
total.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .equipment import ALLOCATIONS, assess_equipment
from .errors import InputFormatError, UnknownNameError
from .factors import FactorCatalog, load_catalog
from .footprint import DataQuality, Footprint

#: Columns of the frame of unmapped input values.
UNMAPPED_COLUMNS = ["column", "value", "count", "suggestion"]
#: Progress callback: ``progress(step, done, total)``.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Domain:
    """One assessed domain: how its canonical frame becomes a :class:`Footprint`.

    ``assess(frame, *, year, catalog, by, allocation)`` is a pure engine function.
    """

    name: str
    assess: Callable[..., Footprint]


def _assess_equipment(frame: pd.DataFrame, *, year: int, catalog: FactorCatalog, by: Sequence[str],
                      allocation: str) -> Footprint:
    return assess_equipment(frame, year, catalog=catalog, by=list(by), allocation=allocation)


#: Registered domains; network, hosting (#4) and lighting (#5) add their entry here.
DOMAINS: dict[str, Domain] = {
    "equipment": Domain("equipment", _assess_equipment),
}


@dataclass(frozen=True)
class InputFile:
    """An input file: its name, its SHA-256 content hash and its size [byte]."""

    name: str
    sha256: str
    size_bytes: int = 0

    @classmethod
    def from_path(cls, path: str | Path) -> InputFile:
        path = Path(path)
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return cls(path.name, digest.hexdigest(), path.stat().st_size)


@dataclass(frozen=True)
class DomainInputs:
    """A domain's canonical frame and what reading it produced.

    ``quality.rows_assessed`` is the number of rows read and accepted (``len(frame)``).
    """

    frame: pd.DataFrame
    quality: DataQuality
    unmapped: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=UNMAPPED_COLUMNS))
    files: tuple[InputFile, ...] = ()

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> DomainInputs:
        """Inputs already in memory: every row read is accepted."""
        return cls(frame, DataQuality(len(frame), len(frame), 0))


@dataclass(frozen=True)
class Assessment:
    """A yearly assessment: footprints per domain, row accounting and provenance.

    Attributes
    ----------
    year : int
        Assessed calendar year.
    allocation : str
        Allocation of embodied impacts (``amortised`` or ``at_purchase``).
    by : tuple of str
        Requested grouping keys.
    footprints : dict of str to Footprint
        One footprint per assessed domain (see :data:`DOMAINS`).
    quality : DataQuality
        Combined accounting: ``rows_read = rows_assessed + rows_rejected`` over reading and
        engine; ``rejected`` lists both kinds of rejection with file, row, column and reason.
    inputs : tuple of InputFile
        Input files with their SHA-256 hashes.
    unmapped : DataFrame
        Input values no mapping recognised: ``column, value, count, suggestion``.
    criterion_labels : dict
        ``{criterion: {"fr": label, "en": label}}`` from the catalog.
    """

    year: int
    allocation: str
    by: tuple[str, ...]
    footprints: Mapping[str, Footprint]
    quality: DataQuality
    inputs: tuple[InputFile, ...] = ()
    unmapped: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=UNMAPPED_COLUMNS))
    criterion_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def footprint(self) -> Footprint:
        """All domains summed (keys missing from a domain read ``(all)``)."""
        parts = list(self.footprints.values())
        total = parts[0]
        for part in parts[1:]:
            total = total + part
        return total

    @property
    def catalog_version(self) -> str:
        return next(iter(self.footprints.values())).catalog_version

    @property
    def catalog_hash(self) -> str:
        return next(iter(self.footprints.values())).catalog_hash

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.quality.warnings

    @property
    def scope(self) -> dict[str, list[str]]:
        """What was assessed: the grouping keys and the inputs' names (sorted)."""
        return {"by": list(self.by), "inputs": sorted(f.name for f in self.inputs)}

    def to_frame(self) -> pd.DataFrame:
        """Tidy long frame of every domain: ``domain, keys..., criterion, phase, value, unit,
        uncovered_rows``."""
        parts = [fp.to_frame().assign(domain=name) for name, fp in self.footprints.items()]
        frame = pd.concat(parts, ignore_index=True)
        return frame[["domain", *[c for c in frame.columns if c != "domain"]]]

    def criterion_label(self, criterion: str, lang: str = "fr") -> str:
        return self.criterion_labels.get(criterion, {}).get(lang, criterion)


# --------------------------------------------------------------------------- orchestration
def assess_inputs(inputs: Mapping[str, DomainInputs], *, year: int, by: Iterable[str] | str | None = None,
                  allocation: str = "amortised", catalog: FactorCatalog | None = None,
                  progress: Progress | None = None) -> Assessment:
    """Assess domain inputs already read.

    Parameters
    ----------
    inputs : dict of str to DomainInputs
        Canonical frame of each domain (keys of :data:`DOMAINS`).
    year : int
        Assessed calendar year.
    by : str or list of str, optional
        Grouping keys; each must be a column of at least one domain's frame.
    allocation : {'amortised', 'at_purchase'}
        Allocation of embodied impacts.
    catalog : FactorCatalog, optional
        Default: the bundled catalog.
    progress : callable, optional
        Called as ``progress(step, done, total)`` after each domain is read (``"read"``, by
        :func:`assess`) and assessed (``"assess"``).

    Returns
    -------
    Assessment

    Examples
    --------
    >>> catalog = load_catalog(directory="tests/data/tiny_factors")
    >>> inventory = pd.DataFrame({"category": ["laptop", "tablet"], "quantity": [10, 1],
    ...                           "purchase_year": [2024, 2024]})
    >>> result = assess_inputs({"equipment": DomainInputs.from_frame(inventory)}, year=2025,
    ...                        catalog=catalog)
    >>> result.quality.rows_read, result.quality.rows_assessed, result.quality.rows_rejected
    (2, 1, 1)
    """
    if allocation not in ALLOCATIONS:
        raise UnknownNameError("allocation", allocation, ALLOCATIONS)
    unknown = [d for d in inputs if d not in DOMAINS]
    if unknown:
        raise UnknownNameError("domain", unknown[0], DOMAINS)
    if not inputs:
        raise InputFormatError("nothing to assess: no input was given")
    by = (by,) if isinstance(by, str) else tuple(by or ())
    absent = [k for k in by if not any(k in d.frame.columns for d in inputs.values())]
    if absent:
        columns = set().union(*(d.frame.columns for d in inputs.values()))
        raise UnknownNameError("grouping column", absent[0], {c for c in columns if not str(c).startswith("_")},
                               hint="choose one of the inputs' columns with --by")
    catalog = catalog if catalog is not None else load_catalog()
    footprints: dict[str, Footprint] = {}
    quality = DataQuality()
    for done, (name, data) in enumerate(inputs.items(), start=1):
        keys = [k for k in by if k in data.frame.columns]
        fp = DOMAINS[name].assess(data.frame, year=year, catalog=catalog, by=keys, allocation=allocation)
        footprints[name] = fp
        quality = quality + _combined_quality(data.quality, fp.quality)
        if progress:
            progress("assess", done, len(inputs))
    unmapped = [d.unmapped for d in inputs.values() if not d.unmapped.empty]
    labels = catalog.table("criteria").set_index("criterion")
    return Assessment(
        year=int(year), allocation=allocation, by=by, footprints=footprints, quality=quality,
        inputs=tuple(f for d in inputs.values() for f in d.files),
        unmapped=pd.concat(unmapped, ignore_index=True) if unmapped else pd.DataFrame(columns=UNMAPPED_COLUMNS),
        criterion_labels={c: {"fr": str(labels.loc[c, "label_fr"]), "en": str(labels.loc[c, "label_en"])}
                          for c in catalog.criteria})


def _combined_quality(read: DataQuality, engine: DataQuality) -> DataQuality:
    """Reading then engine: rows read by the reader = engine's assessed + both rejections."""
    parts = [f for f in (read.rejected, engine.rejected) if not f.empty]
    rejected = pd.concat(parts, ignore_index=True) if parts else engine.rejected
    counts = dict(read.counts)
    for key, value in engine.counts.items():
        counts[key] = counts.get(key, 0) + value
    return DataQuality(read.rows_read, engine.rows_assessed, read.rows_rejected + engine.rows_rejected,
                       rejected, counts, tuple(dict.fromkeys(read.warnings + engine.warnings)))


def read_domain_inputs(paths: Sequence[str | Path], *, domain: str = "equipment",
                       profile: str | Path | None = None, catalog: FactorCatalog | None = None) -> DomainInputs:
    """Read input files or folders of one domain with :func:`sobriete.io.read_inputs` and
    hash every file read."""
    from .io import expand_paths, read_inputs  # the readers are only needed for files

    files = expand_paths(paths)
    result = read_inputs(files, profile=profile, domain=domain, catalog=catalog)
    unmapped = result.unmapped if len(result.unmapped) else pd.DataFrame(columns=UNMAPPED_COLUMNS)
    return DomainInputs(result.frame, result.quality, unmapped, tuple(InputFile.from_path(f) for f in files))


def assess(inputs: Sequence[str | Path] | Mapping[str, Sequence[str | Path]], *, year: int,
           profile: str | Path | None = None, by: Iterable[str] | str | None = None,
           allocation: str = "amortised", catalog: FactorCatalog | None = None,
           progress: Progress | None = None) -> Assessment:
    """Read input files and assess them.

    Parameters
    ----------
    inputs : list of path, or dict of domain to list of path
        Files or folders; a plain list is the equipment inventory.
    year : int
        Assessed calendar year.
    profile : str or path, optional
        Column mapping profile (``"glpi"``, ``"canonical"`` or a YAML file); default: detected.
    by, allocation, catalog, progress
        As in :func:`assess_inputs`.

    Returns
    -------
    Assessment
    """
    if not isinstance(inputs, Mapping):
        inputs = {"equipment": list(inputs)}
    unknown = [d for d in inputs if d not in DOMAINS]
    if unknown:
        raise UnknownNameError("domain", unknown[0], DOMAINS)
    catalog = catalog if catalog is not None else load_catalog()
    read = {}
    for done, (domain, paths) in enumerate(inputs.items(), start=1):
        read[domain] = read_domain_inputs(paths, domain=domain, profile=profile, catalog=catalog)
        if progress:
            progress("read", done, len(inputs))
    return assess_inputs(read, year=year, by=by, allocation=allocation, catalog=catalog, progress=progress)
