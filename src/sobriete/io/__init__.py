"""Inputs: read CSV/XLSX/Parquet files, map them to the canonical inventory, keep every rejection.

Quick tour::

    from sobriete.io import read_inputs
    result = read_inputs(["examples/2025/"], profile="glpi")   # the equipment files of the folder
    result.frame        # canonical columns + grouping keys, index = source row, `_file` = source file
    result.rejected     # file, row, column, value, reason_code, reason
    result.unmapped     # values the profile could not map, with counts and a suggestion
    fp = sobriete.assess_equipment(result.frame, 2025, by=["entity", "category"])
    quality = result.combine_quality(fp.quality)   # read = assessed + rejected, io + engine

    domains = read_domains(["examples/2025/"])  # every domain, each file with its recognised profile
    domains["lighting"].profiles      # {'eclairage_za.csv': 'eclairage'}

Rows read always reconcile: ``rows_read == len(frame) + rows rejected`` (entirely blank rows
are skipped and reported in the warnings, not counted as rows; every other data line is a row).

Reading is one straight pipeline, each stage called once per file:
read (:func:`~sobriete.io.readers.read_raw`) → recognise the profile
(:func:`~sobriete.io.detect.recognise`) → map headers, convert values, check rows
(:func:`~sobriete.io.mapping.map_table`, which reuses the header map of the recognition) → result.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputFormatError, SobrieteError, UnknownNameError
from ..factors import FactorCatalog, load_catalog
from ..notices import Notice
from .detect import Match, bundled_profiles, detect_profile, recognise, score_profile
from .domains import DOMAIN_COLUMNS, DOMAINS
from .mapping import REJECTED_COLUMNS, UNMAPPED_COLUMNS, InputResult, map_table
from .profiles import PROFILES, Profile, load_profile
from .readers import SUFFIXES, RawTable, read_raw, sheet_names


def _valid_values(catalog: FactorCatalog | None, domain: str) -> dict[str, pd.Index]:
    return dict(DOMAINS[domain].valid(catalog if catalog is not None else load_catalog()))


def _check_domain(profile: Profile, domain: str | None) -> None:
    if domain is None:
        return
    if domain not in DOMAIN_COLUMNS:
        raise UnknownNameError("input domain", domain, DOMAIN_COLUMNS)
    if profile.domain != domain:
        raise InputFormatError(f"profile '{profile.name}' is for domain '{profile.domain}', not '{domain}'",
                               code="profile_domain", profile=profile.name, domain=profile.domain, expected=domain)


def _candidates(profile: Profile | None, domains: Iterable[str] | None) -> list[Profile]:
    """The given profile first, then the bundled profiles of ``domains`` (all when None)."""
    bundled = bundled_profiles(domains)
    return [profile, *[p for p in bundled if p.name != profile.name]] if profile is not None else bundled


def _choose(table: RawTable, profile: Profile | None, domains: Iterable[str] | None) -> Match:
    """``profile`` when it can read ``table``, else the recognised profile, with its header map."""
    headers, columns = _headers(table), list(table.frame.columns)
    if profile is not None:
        match = score_profile(headers, profile, columns=columns)
        if match.eligible:
            return match
    return recognise(headers, _candidates(profile, domains), file=table.file, columns=columns)


def _read(file: str | Path, sheet: str | int | None, profile: Profile | None,
          domains: Iterable[str] | None) -> RawTable:
    """:func:`read_raw`; when no sheet is named and a workbook's first sheet holds no table a
    candidate profile reads (« Lisez-moi », « Sommaire »...), its first sheet that does, the
    sheets before it named in a warning (:attr:`RawTable.skipped_sheets`)."""
    table = read_raw(file, sheet=sheet)
    if sheet is not None or table.kind != "xlsx" or _recognised(table, profile, domains):
        return table
    names = sheet_names(file)
    for position, name in enumerate(names[1:], start=1):
        try:
            other = read_raw(file, sheet=name)
        except SobrieteError:
            continue
        if _recognised(other, profile, domains):
            other.skipped_sheets = tuple(names[:position])
            return other
    return table


def _recognised(table: RawTable, profile: Profile | None, domains: Iterable[str] | None) -> bool:
    headers, columns = _headers(table), list(table.frame.columns)
    return any(score_profile(headers, p, columns=columns).eligible for p in _candidates(profile, domains))


def _headers(table: RawTable) -> list[str]:
    return list(table.headers) if table.headers else [str(c) for c in table.frame.columns]


def _mapped(table: RawTable, match: Match, catalog: FactorCatalog | None, keep: Iterable[str] = ()) -> InputResult:
    """Stages after reading: map the table with the chosen profile and its header map."""
    return map_table(table, match.profile, valid=_valid_values(catalog, match.profile.domain), headers=match.headers,
                     keep=keep)


def read_table(path: str | Path, *, profile: str | Path | Profile | None = None, domain: str | None = None,
               sheet: str | int | None = None, catalog: FactorCatalog | None = None,
               keep: Iterable[str] = ()) -> InputResult:
    """Read one CSV, XLSX or Parquet file and map it to the canonical columns of its domain.

    Parameters
    ----------
    path : path
        The file. The format is recognised from its first bytes, else from its suffix.
    profile : str, path or Profile, keyword-only
        Column and value mappings (:data:`PROFILES` or a YAML file, :func:`load_profile`);
        default: the bundled profile whose headers match the file best
        (:func:`detect_profile`; ``result.profiles`` tells which).
    domain : str, keyword-only
        Input domain (:data:`DOMAIN_COLUMNS`); default: the profile's.
    sheet : str or int, keyword-only
        XLSX sheet (default: the first).
    catalog : FactorCatalog, keyword-only
        Catalog whose ids (categories, technologies, zones...) are accepted as values
        (default: bundled).
    keep : iterable of str, keyword-only
        Headers of columns the profile does not use, kept as they are (under their header)
        to group by them (``keep=["Identifiant"]`` then ``by="Identifiant"``); compared
        without regard to case, accents or spacing.

    Returns
    -------
    InputResult

    Raises
    ------
    InputFormatError, UnknownNameError
        Missing, empty or unreadable file, no required column, unknown profile or sheet, no
        profile (or several equally) recognising the file.

    Examples
    --------
    >>> import tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> path = os.path.join(folder, "parc.csv")
    >>> _ = open(path, "w", encoding="cp1252").write(
    ...     "Nom;Entité;Type;Date d'achat;Statut\\nPC1;Commune 01;Ordinateur portable;15/03/2021;En service\\n"
    ...     "\\nPC2;Commune 01;Tablette tactile;01/02/2020;\\nPC3;Commune 02;Unité centrale;;Au rebut\\n")
    >>> result = read_table(path, profile="glpi")
    >>> result.frame.index.tolist(), result.frame["category"].tolist(), result.frame["entity"].tolist()
    ([2], ['laptop'], ['Commune 01'])
    >>> result.rejected[["row", "column", "reason_code"]].values.tolist()
    [[4, 'Type', 'unmapped_value'], [5, 'Statut', 'out_of_inventory']]
    >>> result.rows_read, result.unmapped.loc[0, "suggestion"]
    (3, 'Tablette')
    >>> read_table(path).profiles   # recognised without a profile
    {'parc.csv': 'glpi'}
    """
    given = load_profile(profile) if profile is not None else None
    if given is not None:
        _check_domain(given, domain)
    table = _read(path, sheet, given, [domain] if domain else None)
    if given is not None:
        return _result([map_table(table, given, valid=_valid_values(catalog, given.domain), keep=keep)])
    return _result([_mapped(table, _choose(table, None, [domain] if domain else None), catalog, keep)])


def read_inputs(paths: Iterable[str | Path] | str | Path, *, profile: str | Path | Profile | None = None,
                domain: str | None = None, sheet: str | int | None = None,
                catalog: FactorCatalog | None = None, keep: Iterable[str] = ()) -> InputResult:
    """Read the files of one domain (a folder: its CSV, XLSX and Parquet files) into one result.

    Same parameters as :func:`read_table` (``domain`` defaults to the profile's, else
    ``equipment``); the frames are concatenated (``_file`` tells them apart) and the
    rejections, unmapped values, warnings and counts are put together. A file of a folder that
    is of another domain (the profile cannot read it) is skipped and named in the warnings: use
    :func:`read_domains` to read every domain of a folder.
    """
    given = load_profile(profile) if profile is not None else None
    domain = domain or (given.domain if given is not None else "equipment")
    if given is not None:
        _check_domain(given, domain)
    tables, skipped = [], []
    for file, in_folder in _expand(paths):
        table = _read(file, sheet, given, [domain])
        match = _readable(table, given, domain)
        if in_folder and match is None:
            skipped.append(file.name)
            continue
        if given is not None:
            tables.append(map_table(table, given, valid=_valid_values(catalog, domain),
                                    headers=match.headers if match is not None else None, keep=keep))
        else:
            tables.append(_mapped(table, match if match is not None else _choose(table, None, [domain]), catalog,
                                  keep))
    if not tables:
        raise InputFormatError(f"no {domain} file among the inputs (skipped: {', '.join(skipped)})",
                               code="no_domain_file", domain=domain, skipped=list(skipped))
    result = _result(tables)
    if skipped:
        result.warnings.append(Notice("skipped_files", f"{len(skipped)} file(s) not of the {domain} domain "
                                      f"skipped: {', '.join(skipped)}", count=len(skipped), domain=domain,
                                      files=", ".join(skipped)))
    return result


def read_domains(paths: Iterable[str | Path] | str | Path, *, profile: str | Path | Profile | None = None,
                 domains: Iterable[str] | None = None, sheet: str | int | None = None,
                 catalog: FactorCatalog | None = None, keep: Iterable[str] = ()) -> dict[str, InputResult]:
    """Read files of any domain, each with the profile that recognises it.

    Parameters
    ----------
    paths : path or list of path
        Files and folders.
    profile : str, path or Profile, keyword-only
        Used for every file it can read; the others are recognised among the bundled profiles.
    domains : list of str, keyword-only
        Domains accepted (default: all of :data:`DOMAIN_COLUMNS`).
    sheet, catalog, keep
        As in :func:`read_table`.

    Returns
    -------
    dict of str to InputResult
        One result per domain found, in :data:`DOMAIN_COLUMNS` order; ``result.profiles``
        names each file's profile.

    Examples
    --------
    >>> results = read_domains(["examples/2025/"])
    >>> list(results)
    ['equipment', 'traffic', 'lines', 'hosting', 'lighting']
    >>> results["lines"].profiles
    {'lignes_operateur.csv': 'operateur'}
    """
    given = load_profile(profile) if profile is not None else None
    domains = list(DOMAIN_COLUMNS) if domains is None else list(domains)
    for domain in domains:
        if domain not in DOMAIN_COLUMNS:
            raise UnknownNameError("input domain", domain, DOMAIN_COLUMNS)
    catalog = catalog if catalog is not None else load_catalog()
    by_domain: dict[str, list[InputResult]] = {}
    for file, _ in _expand(paths):
        table = _read(file, sheet, given, domains)
        match = _choose(table, given if given is None or given.domain in domains else None, domains)
        by_domain.setdefault(match.profile.domain, []).append(_mapped(table, match, catalog, keep))
    return {d: _result(by_domain[d]) for d in DOMAIN_COLUMNS if d in by_domain}


def _readable(table: RawTable, given: Profile | None, domain: str) -> Match | None:
    """The best eligible match of ``given`` (or of the domain's bundled profiles), or None."""
    headers, columns = _headers(table), list(table.frame.columns)
    candidates = [given] if given is not None else bundled_profiles([domain])
    matches = [m for m in (score_profile(headers, p, columns=columns) for p in candidates) if m.eligible]
    if not matches:
        return None
    best = [m for m in matches if m.score == max(m.score for m in matches)]
    return best[0] if len(best) == 1 else recognise(headers, candidates, file=table.file, columns=columns)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files to read: each file as given, each folder's CSV/XLSX/Parquet files in name order.

    Raises
    ------
    InputFormatError
        No path, a path that does not exist or a folder with no readable file.
    """
    return [file for file, _ in _expand(paths)]


def _expand(paths: Iterable[str | Path] | str | Path) -> list[tuple[Path, bool]]:
    """``(file, found in a folder)`` for each file to read."""
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    files: dict[Path, bool] = {}
    for path in map(Path, paths):
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
                            and not p.name.startswith((".", "~$")))
            if not inside:
                raise InputFormatError(f"no CSV, XLSX or Parquet file in the folder "
                                       f"(looked for {', '.join(sorted(SUFFIXES))})", file=str(path),
                                       code="empty_folder", suffixes=sorted(SUFFIXES))
            for p in inside:
                files.setdefault(p, True)
        elif path.exists():
            files[path] = False
        else:
            raise InputFormatError("input file not found", file=str(path), code="file_not_found")
    if not files:
        raise InputFormatError("no input file given", code="no_input")
    return list(files.items())


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate frames, keeping categorical columns categorical (union of categories)."""
    if len(frames) == 1:
        return frames[0]
    columns = list(dict.fromkeys(c for f in frames for c in f.columns))
    out = {}
    for column in columns:
        parts = [f[column] if column in f.columns else pd.Series(pd.NA, index=f.index, dtype=object)
                 for f in frames]
        if all(isinstance(p.dtype, pd.CategoricalDtype) or p.isna().all() for p in parts):
            out[column] = _concat_categoricals(parts)
        else:
            out[column] = pd.concat([p.astype(object) if not pd.api.types.is_numeric_dtype(p.dtype) else p
                                     for p in parts], ignore_index=True)
    index = pd.Index(pd.concat([f.index.to_series() for f in frames], ignore_index=True), name="row")
    return pd.DataFrame({c: s.set_axis(index) for c, s in out.items()}, index=index)


def _concat_categoricals(parts: list[pd.Series]) -> pd.Series:
    """One categorical from categorical (or all-missing) parts, categories as strings."""
    cats = [p.cat.categories.astype(str) if isinstance(p.dtype, pd.CategoricalDtype) else pd.Index([], dtype=str)
            for p in parts]
    union = pd.Index(list(dict.fromkeys(c for cs in cats for c in cs)), dtype=str)
    codes = []
    for part, categories in zip(parts, cats):
        if isinstance(part.dtype, pd.CategoricalDtype):
            own = part.cat.codes.to_numpy()
            codes.append(np.append(union.get_indexer(categories), -1)[own])
        else:
            codes.append(np.full(len(part), -1))
    return pd.Series(pd.Categorical.from_codes(np.concatenate(codes), union))


def _result(tables: list[InputResult]) -> InputResult:
    frame = _concat([t.frame for t in tables])
    rejected = [t.rejected for t in tables if len(t.rejected)]
    unmapped = [t.unmapped for t in tables if len(t.unmapped)]
    if unmapped:
        merged = pd.concat(unmapped, ignore_index=True)
        unmapped_frame = (merged.groupby(["column", "value"], as_index=False, dropna=False, sort=False)
                          .agg(count=("count", "sum"), suggestion=("suggestion", "first"),
                               maps_to=("maps_to", "first"))
                          .sort_values(["count", "value"], ascending=[False, True]).reset_index(drop=True))
    else:
        unmapped_frame = pd.DataFrame(columns=UNMAPPED_COLUMNS)
    counts: dict[str, int] = {"files": len(tables)}
    profiles = {name: p for t in tables for name, p in t.profiles.items()}
    for table in tables:
        for key, value in table.counts.items():
            counts[key] = counts.get(key, 0) + value
    return InputResult(frame=frame,
                       rejected=pd.concat(rejected, ignore_index=True) if rejected else
                       pd.DataFrame(columns=REJECTED_COLUMNS),
                       rows_read=sum(t.rows_read for t in tables), unmapped=unmapped_frame,
                       warnings=[w for t in tables for w in t.warnings], counts=counts, profiles=profiles,
                       headers={name: h for t in tables for name, h in t.headers.items()})


__all__ = ["DOMAINS", "DOMAIN_COLUMNS", "PROFILES", "InputResult", "Profile", "detect_profile", "expand_paths",
           "load_profile", "read_domains", "read_inputs", "read_table"]
