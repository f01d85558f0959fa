"""Inputs: read CSV/XLSX/Parquet files, map them to the canonical inventory, keep every rejection.

Quick tour::

    from sobriete.io import read_inputs
    result = read_inputs(["examples/2025/"], profile="glpi")
    result.frame        # canonical columns + grouping keys, index = source row, `_file` = source file
    result.rejected     # file, row, column, value, reason_code, reason
    result.unmapped     # values the profile could not map, with counts and a suggestion
    fp = sobriete.assess_equipment(result.frame, 2025, by=["entity", "category"])
    quality = result.combine_quality(fp.quality)   # read = assessed + rejected, io + engine

Rows read always reconcile: ``rows_read == len(frame) + rows rejected`` (entirely blank rows
are skipped and reported in the warnings, not counted as rows).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputFormatError, UnknownNameError
from ..factors import FactorCatalog, load_catalog
from .mapping import REJECTED_COLUMNS, UNMAPPED_COLUMNS, InputResult, map_table
from .profiles import DOMAIN_COLUMNS, PROFILES, Profile, load_profile
from .readers import SUFFIXES, read_raw


def _valid_values(catalog: FactorCatalog | None) -> dict[str, pd.Index]:
    if catalog is None:
        catalog = load_catalog()
    try:
        categories = catalog.equipment.categories
    except (KeyError, ValueError, IndexError):  # a catalog without equipment tables
        categories = pd.Index([])
    return {"category": pd.Index(categories), "zone": pd.Index(catalog.zones)}


def _check_domain(profile: Profile, domain: str) -> None:
    if domain not in DOMAIN_COLUMNS:
        raise UnknownNameError("input domain", domain, DOMAIN_COLUMNS)
    if profile.domain != domain:
        raise InputFormatError(f"profile '{profile.name}' is for domain '{profile.domain}', not '{domain}'")


def read_table(path: str | Path, *, profile: str | Path | Profile | None = None, domain: str = "equipment",
               sheet: str | int | None = None, catalog: FactorCatalog | None = None) -> InputResult:
    """Read one CSV, XLSX or Parquet file and map it to the canonical inventory.

    Parameters
    ----------
    path : path
        The file. The format is recognised from its first bytes, else from its suffix.
    profile : {'canonical', 'glpi'}, path or Profile, keyword-only
        Column and value mappings (:func:`load_profile`); default ``canonical``.
    domain : str, keyword-only
        Input domain (``equipment``).
    sheet : str or int, keyword-only
        XLSX sheet (default: the first).
    catalog : FactorCatalog, keyword-only
        Catalog whose category ids and zones are accepted as values (default: bundled).

    Returns
    -------
    InputResult

    Raises
    ------
    InputFormatError, UnknownNameError
        Missing, empty or unreadable file, no category column, unknown profile or sheet.

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
    """
    profile = load_profile(profile)
    _check_domain(profile, domain)
    return _result([map_table(read_raw(path, sheet=sheet), profile, valid=_valid_values(catalog))])


def read_inputs(paths: Iterable[str | Path] | str | Path, *, profile: str | Path | Profile | None = None,
                domain: str = "equipment", sheet: str | int | None = None,
                catalog: FactorCatalog | None = None) -> InputResult:
    """Read several files (a folder: every CSV, XLSX and Parquet file in it) into one result.

    Same parameters as :func:`read_table`; the frames are concatenated (``_file`` tells them
    apart) and the rejections, unmapped values, warnings and counts are put together.
    """
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    files = expand_paths(paths)
    profile = load_profile(profile)
    _check_domain(profile, domain)
    valid = _valid_values(catalog)
    return _result([map_table(read_raw(f, sheet=sheet), profile, valid=valid) for f in files])


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files to read: each file as given, each folder's CSV/XLSX/Parquet files in name order.

    Raises
    ------
    InputFormatError
        No path, a path that does not exist or a folder with no readable file.
    """
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
                            and not p.name.startswith((".", "~$")))
            if not inside:
                raise InputFormatError(f"no CSV, XLSX or Parquet file in the folder "
                                       f"(looked for {', '.join(sorted(SUFFIXES))})", file=str(path))
            files.extend(inside)
        elif path.exists():
            files.append(path)
        else:
            raise InputFormatError("input file not found", file=str(path))
    if not files:
        raise InputFormatError("no input file given")
    return list(dict.fromkeys(files))


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
    for table in tables:
        for key, value in table.counts.items():
            counts[key] = counts.get(key, 0) + value
    return InputResult(frame=frame,
                       rejected=pd.concat(rejected, ignore_index=True) if rejected else
                       pd.DataFrame(columns=REJECTED_COLUMNS),
                       rows_read=sum(t.rows_read for t in tables), unmapped=unmapped_frame,
                       warnings=[w for t in tables for w in t.warnings], counts=counts)


__all__ = ["PROFILES", "InputResult", "Profile", "expand_paths", "load_profile", "read_inputs", "read_table"]
