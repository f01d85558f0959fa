"""Assessment: the yearly assessment, from input files to one result with its provenance.

:func:`assess` reads the inputs (:mod:`sobriete.io`), runs each domain's engine and gathers
the footprints, the combined row accounting (rows rejected while reading plus rows rejected by
the engine), the inputs' content hashes, the factor catalog's version and hash, and the
warnings into one :class:`Assessment`. Domains are entries of :data:`DOMAINS` (equipment,
network traffic, lines, hosting, public lighting), reported side by side and in total. Each
input file is recognised by its headers (:func:`sobriete.io.detect_profile`) or given per
domain.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from .domains import DOMAINS as REGISTRY
from .equipment import ALLOCATIONS
from .errors import InputFormatError, UnknownNameError
from .factors import FactorCatalog, load_catalog
from .footprint import DataQuality, Footprint
from .network import DEFAULT_MODEL, NETWORK_MODELS
from .schedule import Schedule, load_schedules
from .notices import Notice, prefixed

#: Columns of the frame of unmapped input values.
UNMAPPED_COLUMNS = ["column", "value", "count", "suggestion"]
#: Progress callback: ``progress(step, done, total)``.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Options:
    """Domain settings of an assessment.

    Attributes
    ----------
    network_model : {'combined', 'per_gb', 'per_line'}
        Network model (:data:`sobriete.network.NETWORK_MODELS`): ``combined`` counts lines and
        the volume-dependent part of traffic; ``per_gb`` traffic only (lines are inside the
        per-GB factors); ``per_line`` lines only.
    schedules : mapping of id to Schedule, optional
        Lighting schedules named by the luminaires' ``schedule`` column.
    """

    network_model: str = DEFAULT_MODEL
    schedules: Mapping[str, Schedule] | None = None


@dataclass(frozen=True)
class Domain:
    """How the yearly assessment runs one domain of the registry (:data:`sobriete.domains.DOMAINS`).

    The domain's frame is prepared once (``prepare``) and evaluated for the year (``evaluate``),
    through the domain protocol; the assessment only adds the options it takes from
    :class:`Options`: ``prepare_options(options)`` and ``evaluate_options(options)`` give the
    keyword arguments, ``skip(options)`` the reason the options leave the domain out (None:
    assessed).
    """

    name: str
    prepare_options: Callable[[Options], dict] = lambda options: {}
    evaluate_options: Callable[[Options], dict] = lambda options: {}
    skip: Callable[[Options], str | None] = lambda options: None

    @property
    def item_key(self) -> str:
        """The domain's own breakdown for the "top contributors" view (category, technology, ZA...)."""
        return REGISTRY[self.name].item_key

    def assess(self, frame: pd.DataFrame, *, year: int, catalog: FactorCatalog, by: Sequence[str], allocation: str,
               options: Options) -> Footprint:
        """The domain's footprint of ``frame`` in ``year``: prepare, then evaluate."""
        prepared = REGISTRY[self.name].prepare(frame, catalog, by=list(by), **self.prepare_options(options))
        return prepared.evaluate(year, allocation=allocation, **self.evaluate_options(options))


def _not_with(model: str, why: str) -> Callable[[Options], str | None]:
    return lambda options: why if options.network_model == model else None


#: Domains of the yearly assessment, in report order (the registry's order).
DOMAINS: dict[str, Domain] = {
    "equipment": Domain("equipment"),
    "traffic": Domain("traffic", evaluate_options=lambda options: {"model": options.network_model},
                      skip=_not_with("per_line", "traffic is not counted by the per_line network model")),
    "lines": Domain("lines", skip=_not_with("per_gb", "lines are not counted by the per_gb network model (the per-GB "
                                                      "factors include the access network and the box)")),
    "hosting": Domain("hosting"),
    "lighting": Domain("lighting", prepare_options=lambda options: {"schedules": options.schedules}),
}
#: Key of :func:`assess`'s ``inputs`` whose files are recognised automatically.
AUTO = "auto"
#: Lighting schedule files recognised in an input folder when no schedules are given.
SCHEDULE_FILES = ("horaires.yaml", "horaires.yml", "schedules.yaml", "schedules.yml")


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
    profiles: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

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
    domain_quality : dict of str to DataQuality
        Row accounting of each domain (reading + engine); they add up to ``quality``.
    profiles : dict
        ``{domain: {file name: profile}}``: the profile each input file was read with.
    network_model : str
        Network model used (:data:`sobriete.network.NETWORK_MODELS`).
    skipped : dict
        ``{domain: reason}``: domains given as input but left out by the options.
    items : dict of str to Footprint
        Each domain by its own item key (:attr:`Domain.item_key`: equipment category, line
        technology, ZA...), for the top-contributors view; computed in the same engine pass.
    item_labels : dict
        ``{item id: {"fr": label, "en": label}}`` for equipment categories, network technologies
        and hosting kinds.
    """

    year: int
    allocation: str
    by: tuple[str, ...]
    footprints: Mapping[str, Footprint]
    quality: DataQuality
    inputs: tuple[InputFile, ...] = ()
    unmapped: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=UNMAPPED_COLUMNS))
    criterion_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    domain_quality: Mapping[str, DataQuality] = field(default_factory=dict)
    profiles: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    network_model: str = DEFAULT_MODEL
    skipped: Mapping[str, str] = field(default_factory=dict)
    items: Mapping[str, Footprint] = field(default_factory=dict)
    item_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def footprint(self) -> Footprint:
        """All domains summed (keys missing from a domain read ``(all)``)."""
        parts = list(self.footprints.values())
        total = parts[0]
        for part in parts[1:]:
            total = total + part
        return total

    @property
    def file_profiles(self) -> dict[str, str]:
        """``{file name: profile}`` over all domains."""
        return {f: p for files in self.profiles.values() for f, p in files.items()}

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
                  progress: Progress | None = None, options: Options | None = None) -> Assessment:
    """Assess domain inputs already read.

    Parameters
    ----------
    inputs : dict of str to DomainInputs
        Canonical frame of each domain (keys of :data:`DOMAINS`).
    year : int
        Assessed calendar year.
    by : str or list of str, optional
        Grouping keys; each must be a column of at least one domain's frame. A domain whose
        frame lacks a key is reported ungrouped for that key (its value reads ``(all)``) and
        a warning says so: profiles map each domain's natural key to the common ones where
        the file has it (the ``operateur`` profile copies ``commune`` into ``entity``).
    allocation : {'amortised', 'at_purchase'}
        Allocation of embodied impacts.
    catalog : FactorCatalog, optional
        Default: the bundled catalog.
    progress : callable, optional
        Called as ``progress(step, done, total)`` after each domain is read (``"read"``, by
        :func:`assess`) and assessed (``"assess"``).
    options : Options, optional
        Network model and lighting schedules.

    Returns
    -------
    Assessment
        ``quality`` adds up the domains' accounting (``domain_quality``); a domain the
        options leave out (lines with ``per_gb``) is named in ``skipped`` and the warnings,
        and its rows are not counted.

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
    options = options or Options()
    if options.network_model not in NETWORK_MODELS:
        raise UnknownNameError("network model", options.network_model, NETWORK_MODELS)
    unknown = [d for d in inputs if d not in DOMAINS]
    if unknown:
        raise UnknownNameError("domain", unknown[0], DOMAINS)
    if not inputs:
        raise InputFormatError("nothing to assess: no input was given", code="nothing_given")
    from .io.mapping import as_written, in_file_order  # the readers' helpers, loaded with the files

    by = _as_columns((by,) if isinstance(by, str) else tuple(by or ()), inputs)
    absent = [k for k in by if not any(k in d.frame.columns for d in inputs.values())]
    if absent:
        columns = set().union(*(d.frame.columns for d in inputs.values()))
        headers = {h for d in inputs.values() for per_file in d.headers.values() for h in per_file.values()}
        raise UnknownNameError("grouping column", absent[0],
                               {str(c) for c in columns if not str(c).startswith("_")} | headers,
                               hint="choose one of the inputs' columns with --by")
    catalog = catalog if catalog is not None else load_catalog()
    skipped = {name: why for name in inputs if (why := DOMAINS[name].skip(options))}
    todo = {name: data for name, data in DOMAINS.items() if name in inputs and name not in skipped}
    if not todo:
        raise InputFormatError(f"nothing to assess: {'; '.join(skipped.values())}",
                               code="nothing_to_assess", reasons=list(skipped.values()))
    footprints: dict[str, Footprint] = {}
    items: dict[str, Footprint] = {}
    per_domain: dict[str, DataQuality] = {}
    notes = [Notice("domain_skipped", f"{name}: {why}; its {inputs[name].quality.rows_read} row(s) are left out",
                    domain=name, why=why, rows=inputs[name].quality.rows_read) for name, why in skipped.items()]
    for done, name in enumerate(todo, start=1):
        data = inputs[name]
        keys = [k for k in by if k in data.frame.columns]
        notes += [Notice("ungrouped", f"{name}: no column '{k}' in its inputs; reported ungrouped for '{k}' ((all))",
                         domain=name, key=k) for k in by if k not in keys]
        item = DOMAINS[name].item_key
        extra = [item] if item and item in data.frame.columns and item not in keys else []
        full = DOMAINS[name].assess(data.frame, year=year, catalog=catalog, by=keys + extra, allocation=allocation,
                                    options=options)
        fp = replace(full.by(*keys), meta={**full.meta, "by": list(keys)}) if extra else full
        if item in keys + extra:
            items[name] = full.by(item)
        footprints[name] = fp
        engine = replace(fp.quality, warnings=tuple(prefixed(name, w) for w in fp.quality.warnings),
                         rejected=as_written(fp.quality.rejected, data.headers))
        both = data.quality.followed_by(engine)
        per_domain[name] = replace(both, rejected=in_file_order(both.rejected, list(data.profiles)))
        if progress:
            progress("assess", done, len(todo))
    quality = DataQuality.combine(*per_domain.values())
    parts = list(footprints.values())
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    caveats = catalog.caveats(total)
    quality = replace(quality, warnings=tuple(dict.fromkeys((*notes, *quality.warnings, *caveats))))
    unmapped = [d.unmapped for d in inputs.values() if not d.unmapped.empty]
    labels = catalog.table("criteria").set_index("criterion")
    return Assessment(
        year=int(year), allocation=allocation, by=by, footprints=footprints, quality=quality,
        inputs=tuple(f for d in inputs.values() for f in d.files),
        unmapped=pd.concat(unmapped, ignore_index=True) if unmapped else pd.DataFrame(columns=UNMAPPED_COLUMNS),
        criterion_labels={c: {"fr": str(labels.loc[c, "label_fr"]), "en": str(labels.loc[c, "label_en"])}
                          for c in catalog.criteria},
        domain_quality=per_domain, profiles={name: dict(d.profiles) for name, d in inputs.items() if d.profiles},
        network_model=options.network_model, skipped=skipped, items=items,
        item_labels=_item_labels(catalog))


def _as_columns(by: tuple[str, ...], inputs: Mapping[str, DomainInputs]) -> tuple[str, ...]:
    """Grouping keys as the frames' columns: a key may be written as a file's header
    (``Entité`` → ``entity``) or a column without regard to case, accents or spacing."""
    from .schema import normalise_name

    names: dict[str, str] = {}
    for data in inputs.values():
        names.update({normalise_name(h): c for per_file in data.headers.values() for c, h in per_file.items()})
        names.update({normalise_name(str(c)): str(c) for c in data.frame.columns})
    columns = {str(c) for data in inputs.values() for c in data.frame.columns}
    return tuple(k if k in columns else names.get(normalise_name(k), k) for k in by)


def _item_labels(catalog: FactorCatalog) -> dict[str, dict[str, str]]:
    """French and English labels of the catalog's items (equipment categories, network
    technologies): data of the catalog, kept with the assessment so a saved one reads the same.
    Words the catalog does not hold (hosting kinds...) are the report's
    (:func:`sobriete.report.messages.item_label`)."""
    labels: dict[str, dict[str, str]] = {}
    for table, key in (("equipment_categories", "category"), ("network_technologies", "technology")):
        if table in catalog.table_names:
            labels.update({r[key]: {"fr": r["label_fr"], "en": r["label_en"]}
                           for r in catalog.table(table).to_dict("records")})
    return labels




def _domain_inputs(result, files: Sequence[Path]) -> DomainInputs:
    """:class:`DomainInputs` from a :class:`sobriete.io.InputResult` and the files it read."""
    unmapped = result.unmapped if len(result.unmapped) else pd.DataFrame(columns=UNMAPPED_COLUMNS)
    return DomainInputs(result.frame, result.quality, unmapped, tuple(InputFile.from_path(f) for f in files),
                        dict(result.profiles), dict(result.headers))


def read_domain_inputs(paths: Sequence[str | Path], *, domain: str = "equipment",
                       profile: str | Path | None = None, catalog: FactorCatalog | None = None,
                       keep: Iterable[str] = ()) -> DomainInputs:
    """Read input files or folders of one domain with :func:`sobriete.io.read_inputs` and
    hash every file read (a folder's files of other domains are skipped); ``keep``: columns
    the profile does not use, kept to group by them."""
    from .io import load_profile, read_inputs  # the readers are only needed for files

    if profile is not None and load_profile(profile).domain != domain:
        profile = None
    result = read_inputs(paths, profile=profile, domain=domain, catalog=catalog, keep=keep)
    return _domain_inputs(result, [f for f in _files(paths) if f.name in result.profiles])


def read_all_inputs(paths: Sequence[str | Path], *, profile: str | Path | None = None,
                    catalog: FactorCatalog | None = None, keep: Iterable[str] = ()) -> dict[str, DomainInputs]:
    """Read files and folders of any domain, each file with the profile that recognises it
    (:func:`sobriete.io.read_domains`), and hash every file read."""
    from .io import read_domains

    files = _files(paths)
    results = read_domains(files, profile=profile, catalog=catalog, keep=keep)
    return {domain: _domain_inputs(result, [f for f in files if f.name in result.profiles])
            for domain, result in results.items()}


def _files(paths: Sequence[str | Path]) -> list[Path]:
    from .io import expand_paths

    return expand_paths(paths)



def assess(inputs: Sequence[str | Path] | Mapping[str, Sequence[str | Path]], *, year: int,
           profile: str | Path | None = None, by: Iterable[str] | str | None = None,
           allocation: str = "amortised", catalog: FactorCatalog | None = None,
           progress: Progress | None = None, network_model: str = DEFAULT_MODEL,
           schedules: Mapping[str, Schedule] | None = None) -> Assessment:
    """Read input files of every domain and assess them.

    Parameters
    ----------
    inputs : list of path, or dict of domain to list of path
        Files or folders. A plain list (or the key :data:`AUTO`) is recognised file by file:
        each file is read with the profile whose headers match it best, which gives its domain
        (GLPI export → equipment, operator lines → lines, luminaires → lighting...). Under a
        domain key (``"lines": ["factures.csv"]``) files are read as that domain; they replace
        the recognised files of the same domain (with a warning).
    year : int
        Assessed calendar year.
    profile : str or path, optional
        Column mapping profile (a name of :data:`sobriete.io.PROFILES` or a YAML file), used
        for every file of its domain it can read; default: recognised per file.
    by, allocation, catalog, progress
        As in :func:`assess_inputs`.
    network_model : {'combined', 'per_gb', 'per_line'}
        See :class:`Options`.
    schedules : mapping of id to Schedule, optional
        Lighting schedules (:func:`sobriete.schedule.load_schedules`); default: the first
        file of :data:`SCHEDULE_FILES` found in an input folder, if any.

    Returns
    -------
    Assessment
        ``profiles`` tells which profile read each file, per domain.

    Examples
    --------
    >>> result = assess(["examples/2025/"], year=2025)
    >>> list(result.footprints)
    ['equipment', 'traffic', 'lines', 'hosting', 'lighting']
    >>> result.profiles["lines"]
    {'lignes_operateur.csv': 'operateur'}
    """
    if not isinstance(inputs, Mapping):
        inputs = {AUTO: list(inputs)}
    unknown = [d for d in inputs if d not in DOMAINS and d != AUTO]
    if unknown:
        raise UnknownNameError("domain", unknown[0], [*DOMAINS, AUTO])
    catalog = catalog if catalog is not None else load_catalog()
    keep = [by] if isinstance(by, str) else list(by or ())  # a file's own column named by --by is kept
    read: dict[str, DomainInputs] = {}
    replaced: list[str] = []
    if inputs.get(AUTO):
        read = read_all_inputs(inputs[AUTO], profile=profile, catalog=catalog, keep=keep)
        if progress:
            progress("read", 1, len(inputs))
    for done, (domain, paths) in enumerate(((d, p) for d, p in inputs.items() if d != AUTO and p), start=2):
        if domain in read:
            replaced.append(Notice("replaced_inputs", f"{domain}: {', '.join(read[domain].profiles)} replaced by "
                                   f"the {domain} file(s) given", domain=domain,
                                   files=", ".join(read[domain].profiles)))
        read[domain] = read_domain_inputs(paths, domain=domain, profile=profile, catalog=catalog, keep=keep)
        if progress:
            progress("read", done, len(inputs))
    read = {d: read[d] for d in DOMAINS if d in read}
    if schedules is None and "lighting" in read:  # a horaires.yaml in an input folder or beside a lighting file
        lighting_files = set(read["lighting"].profiles)
        schedules = folder_schedules([*(p for p in map(Path, inputs.get(AUTO, ())) if p.is_dir()),
                                      *(Path(p).parent for p in inputs.get(AUTO, ()) if Path(p).name in lighting_files),
                                      *(Path(p).parent for p in inputs.get("lighting", ()))])
    result = assess_inputs(read, year=year, by=by, allocation=allocation, catalog=catalog, progress=progress,
                           options=Options(network_model, schedules))
    if replaced:
        result = replace(result, quality=replace(result.quality, warnings=(*replaced, *result.quality.warnings)))
    return result


def folder_schedules(paths: Iterable[str | Path]) -> dict[str, Schedule] | None:
    """Schedules of the first :data:`SCHEDULE_FILES` file found in one of the folders
    ``paths`` (None when there is none)."""
    for folder in (Path(p) for p in paths):
        for name in SCHEDULE_FILES if folder.is_dir() else ():
            if (folder / name).is_file():
                return load_schedules(folder / name)
    return None
