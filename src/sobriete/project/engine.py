"""Assessment of a project: the baseline and each variant over the horizon, deltas, payback.

The baseline evolves: its dated devices age, are amortised and, at the end of their lifetime,
are renewed like for like (``baseline.renewal``; devices already past their end of life are
renewed in the first year). A variant is the baseline plus its changes (:mod:`.variants`, built
on the fleet model of :mod:`.fleet`). Impacts are linear in the rows of every domain, so the
large baseline is evaluated once, each variant only on what it changes (:mod:`.evaluation`);
the deltas, payback years and per-user figures are read from a :class:`.result.ProjectResult`,
the assumptions that move the result most ranked by :mod:`.sensitivity`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ..comparison import Comparison
from ..factors import PHASES, FactorCatalog, load_catalog
from ..footprint import DataQuality, Footprint
from .evaluation import ITEM_KEYS, evaluate_frame, evaluate_pieces
from .fleet import Context, compact_slots, equipment_slots, renewals, selector_columns
from .model import Project, Source, load_project
from .result import ProjectResult, VariantResult
from .rgesn import assess_checklist
from .sensitivity import tornado
from .variants import variant_pieces


def read_baseline(project: Project, source: Source, catalog: FactorCatalog
                  ) -> tuple[dict[str, pd.DataFrame], DataQuality, dict]:
    """The baseline frames per domain (read like ``sobriete assess``), their reading quality
    and the lighting schedules found beside them."""
    from ..assessment import folder_schedules, read_all_inputs

    base = Path(source.file).parent if source.file else Path(".")
    paths = []
    for i, text in enumerate(project.baseline.inputs):
        path = Path(text) if Path(text).is_absolute() else base / text
        if not path.exists():
            raise source.error(("baseline", "inputs", i), f"baseline input not found: {path}",
                               code="project_baseline_missing", path=str(path))
        paths.append(path)
    if not paths:
        return {}, DataQuality(), {}
    read = read_all_inputs(paths, catalog=catalog)
    quality = DataQuality()
    for inputs in read.values():
        quality = quality + inputs.quality
    schedules = folder_schedules([p if p.is_dir() else p.parent for p in paths]) or {}
    return {d: r.frame for d, r in read.items()}, quality, schedules


def assess_project(project: Project | str | Path, *, source: Source | None = None,
                   baseline: Mapping[str, pd.DataFrame] | None = None, catalog: FactorCatalog | None = None,
                   allocation: str = "amortised", sensitivity: bool = True,
                   schedules: Mapping | None = None) -> ProjectResult:
    """Assess a project: the baseline and every variant over the horizon.

    Parameters
    ----------
    project : Project, or path of a project file
    source : Source, optional
        Where the project's fields are (from :func:`load_project`), for errors.
    baseline : mapping of domain to DataFrame, optional
        Canonical frames replacing the project's ``baseline.inputs`` (e.g. from ``--baseline``).
    catalog : FactorCatalog, optional
    allocation : {'amortised', 'at_purchase'}
        Allocation of embodied impacts in the yearly deltas. Carbon payback always uses
        ``at_purchase`` (embodied impacts counted when invested).
    sensitivity : bool
        Also rank the assumptions that move the result most (:mod:`.sensitivity`).
    schedules : mapping of id to Schedule, optional
        Lighting schedules of ``baseline`` frames (read beside the files otherwise).

    Returns
    -------
    ProjectResult

    Examples
    --------
    >>> text = '''name: Toy
    ... start: 2026
    ... horizon_years: 2
    ... variants: [{name: plus, changes: [{kind: add, year: 2026, category: laptop, quantity: 1}]}]'''
    >>> p, src = load_project(text=text)
    >>> r = assess_project(p, source=src, sensitivity=False)
    >>> round(float(r.summary()["embodied_delta"][0]), 2)   # 2 of 5 years of a laptop's embodied gwp
    74.04
    """
    if not isinstance(project, Project):
        project, source = load_project(project)
    source = source if source is not None else Source(None, None)
    catalog = catalog if catalog is not None else load_catalog()
    if baseline is None:
        baseline, quality, found = read_baseline(project, source, catalog)
        schedules = dict(schedules or found)
    else:
        quality, schedules = DataQuality(), dict(schedules or {})
        for frame in baseline.values():
            quality = quality + DataQuality(len(frame), len(frame), 0)
    baseline = dict(baseline)
    years = project.years
    frames, base_fp = {}, {y: {} for y in years}
    for domain in ITEM_KEYS:
        if domain not in baseline:
            continue
        frame = baseline[domain]
        result = evaluate_frame(domain, frame, years, catalog=catalog, allocations=(allocation,),
                                schedules=schedules)[allocation]
        engine_quality = result[years[0]].quality
        quality = quality + DataQuality(0, -engine_quality.rows_rejected, engine_quality.rows_rejected,
                                        engine_quality.rejected, {}, engine_quality.warnings)
        valid = frame[_valid(frame, engine_quality.rejected)] if engine_quality.rows_rejected else frame
        frames[domain] = valid
        for y in years:
            base_fp[y][domain] = result[y]
    if "equipment" in frames:
        frames["equipment_slots"] = compact_slots(equipment_slots(frames["equipment"], catalog),
                                                  selector_columns(project))
        if project.baseline.renewal:  # the baseline's own renewals over the horizon
            for piece in renewals(frames["equipment_slots"].loc[frames["equipment_slots"]["_start"].notna()],
                                  first=project.first_year, end=years[-1] + 1, sign=1.0):
                renewed = evaluate_frame("equipment", piece.frame, years, catalog=catalog,
                                         allocations=(allocation,))[allocation]
                for y in years:
                    base_fp[y]["equipment"] = base_fp[y]["equipment"] + renewed[y]
    ctx = Context(project, source, catalog, frames, schedules)
    template = _zero_like(base_fp, catalog, years)
    variants = [_variant(ctx, i, base_fp, template, allocation) for i in range(len(project.variants))]
    result = ProjectResult(project, source, catalog, allocation, base_fp, variants, quality, context=ctx)
    if sensitivity:
        result.sensitivity = tornado(result, ctx)
    if project.checklist:
        result.checklist = assess_checklist(project.checklist, source=source)
    return result


def _valid(frame: pd.DataFrame, rejected: pd.DataFrame) -> np.ndarray:
    """Mask of the rows of ``frame`` the engine did not reject (rows are named by file and label)."""
    if "_file" in frame.columns:
        keys = pd.MultiIndex.from_arrays([frame["_file"].astype(str), frame.index])
        bad = pd.MultiIndex.from_arrays([rejected["file"].astype(str), rejected["row"]])
        return ~keys.isin(bad)
    return ~frame.index.isin(rejected["row"])


def _zero_like(base_fp, catalog, years) -> Footprint:
    n_crit = len(catalog.criteria)
    return Footprint(np.zeros((1, n_crit, len(PHASES))), pd.DataFrame(index=range(1)), catalog.criteria,
                     tuple(catalog.criterion_units[c] for c in catalog.criteria), np.zeros(1),
                     np.zeros((1, n_crit, len(PHASES))), catalog.version, catalog.hash)


def _variant(ctx: Context, index: int, base_fp, template: Footprint, allocation: str) -> VariantResult:
    years = ctx.project.years
    pieces, investments = variant_pieces(ctx, index)
    allocations = (allocation, "at_purchase") if allocation != "at_purchase" else (allocation,)
    both = evaluate_pieces(pieces, years, catalog=ctx.catalog, allocations=allocations, schedules=ctx.schedules)
    evaluated = both[allocation]
    comparisons, items = {}, []
    for y in years:
        comparisons[y] = {}
        domains = [d for d in ITEM_KEYS if d in base_fp[y] or (y, d) in evaluated]
        for domain in domains:
            before = base_fp[y].get(domain, template).by()
            delta = evaluated.get((y, domain))
            after = before if delta is None else before + delta.by()
            comparisons[y][domain] = Comparison(before, after)
            if delta is not None:
                frame = delta.to_frame().drop(columns="uncovered_rows")
                keys = [frame[k].astype(str) for k in ITEM_KEYS[domain]]
                frame["item"] = keys[0].str.cat(keys[1:], sep=" / ") if len(keys) > 1 else keys[0]
                items.append(frame.drop(columns=list(ITEM_KEYS[domain])).assign(year=y, domain=domain))
    flux = both.get("at_purchase", {})
    gwp = ctx.catalog.criteria.index("gwp") if "gwp" in ctx.catalog.criteria else 0
    totals = [sum(float(fp.values[:, gwp, :].sum()) for (yy, _), fp in flux.items() if yy == y) for y in years]
    delta_items = pd.concat(items, ignore_index=True) if items else pd.DataFrame(
        columns=["criterion", "phase", "value", "unit", "item", "year", "domain"])
    return VariantResult(ctx.project.variants[index].name, comparisons, delta_items, investments,
                         pd.DataFrame({"year": years, "total": totals}))
