"""Reports of an :class:`~sobriete.assessment.Assessment`: terminal text, JSON, CSV, XLSX."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..assessment import Assessment
from ..footprint import Footprint
from . import FORMATS  # noqa: F401  (re-exported)
from .caveats import CAVEAT_CODE, Headline, headline
from .formatting import as_typed, format_count, format_number, format_share, text_table
from .messages import (allocation_label, check_lang, criterion_short_label, domain_label, item_label, key_label,
                       message, network_model_label, notice, phase_label, reason)
from .files import write_csv, write_xlsx  # noqa: F401  (re-exported: report.write_csv...)
from .quality import NAMED_COUNTS, coverage_frame, coverage_table, quality_counts, shown_warnings

#: Rejected rows listed in the terminal report and in the JSON document by default.
MAX_REJECTED_TEXT = 10
MAX_REJECTED_JSON = 1000
MAX_CONTRIBUTORS_JSON = 50
#: Groups listed per key in the terminal report: all of them (``top=None``), or the first
#: ``top`` followed by one line carrying the others' total.
TOP = None
#: Items listed in the top-contributors view over all domains.
TOP_ITEMS = 10


# --------------------------------------------------------------------------- structure
def totals_dict(fp: Footprint) -> dict[str, dict[str, Any]]:
    """``{criterion: {"value", "unit", "complete", "phases": {phase: value}}}``."""
    total = fp.total()
    return {str(c): {"value": float(row["total"]), "unit": str(row["unit"]), "complete": bool(row["complete"]),
                     "phases": {p: float(row[p]) for p in fp.phases}}
            for c, row in total.iterrows()}


def groups_dict(fp: Footprint, keys: tuple[str, ...]) -> dict[str, list[dict[str, Any]]]:
    """Per requested key, one entry per value with its totals (sorted by the first criterion,
    largest first); each entry's ``totals`` as :func:`totals_dict` of that group alone, built
    from the arrays at once (10⁵ groups in about a second, not one frame per group)."""
    out = {}
    for key in keys:
        sub = fp.by(key)
        values = np.asarray(sub.values, dtype=np.float64)
        order = np.argsort(-values[:, 0, :].sum(axis=1), kind="stable")
        values = values[order]
        per_phase, totals = values.tolist(), values.sum(axis=2).tolist()
        complete = (np.asarray(sub.uncovered)[order].sum(axis=2) == 0).tolist()
        labels = [_plain(v) for v in sub.keys[key].to_numpy(dtype=object)[order]]
        energy = np.asarray(sub.energy_kwh, dtype=np.float64)[order].tolist()
        criteria, units, phases = [str(c) for c in sub.criteria], [str(u) for u in sub.units], list(sub.phases)
        out[key] = [{key: label, "energy_kwh": kwh,
                     "totals": {c: {"value": total[i], "unit": units[i], "complete": whole[i],
                                    "phases": dict(zip(phases, parts[i]))} for i, c in enumerate(criteria)}}
                    for label, kwh, total, whole, parts in zip(labels, energy, totals, complete, per_phase)]
    return out


def to_dict(assessment: Assessment, *, max_rejected: int | None = MAX_REJECTED_JSON, lang: str = "fr",
            include_caveated: bool = False) -> dict:
    """The assessment as one JSON-ready document.

    Keys: ``year``, ``allocation``, ``by``, ``catalog`` (version, hash), ``inputs`` (name,
    sha256, profile), ``network_model``, ``totals`` (per criterion: value, unit, complete,
    phases), ``domains`` (per domain: ``totals`` as above, ``energy_kwh``, ``rows`` read,
    assessed, rejected, and ``files`` with the profile each was read with; the domains add
    up to ``totals`` and ``rows``), ``skipped`` (domains left out by the network model),
    ``groups`` (per requested key, every group), ``energy_kwh``, ``rows`` (read, assessed,
    rejected, and ``undated``: rows assessed without a purchase date), ``counts`` (every row
    count of the accounting: ``undated_rows``, ``fully_amortised_rows``...),
    ``caveated`` (``included``: whether the phases their source disowns are in the totals,
    and ``set_apart``: those values per domain with the caveat; see :func:`.caveats.headline`),
    ``coverage`` (share of each domain's rows with a factor, per criterion and phase),
    ``rejected`` (rows with their reason, at most ``max_rejected``, and the count left out),
    ``warnings`` (English sentences, stable), ``warnings_text`` (the same in the report's
    language) and ``unmapped``.
    """
    head = headline(assessment, include_caveated=include_caveated)
    shown = head.assessment
    fp = shown.footprint
    q = assessment.quality
    rejected = q.rejected if max_rejected is None else q.rejected.head(max_rejected)
    return {
        "year": assessment.year,
        "allocation": assessment.allocation,
        "by": list(assessment.by),
        "catalog": {"version": assessment.catalog_version, "hash": assessment.catalog_hash},
        "inputs": [{"name": f.name, "sha256": f.sha256, "profile": assessment.file_profiles.get(f.name)}
                   for f in assessment.inputs],
        "network_model": assessment.network_model,
        "totals": totals_dict(fp),
        "caveated": {"included": head.included,
                     "set_apart": [{"domain": r.domain, "criterion": r.criterion, "phase": r.phase,
                                    "value": float(r.value), "unit": r.unit,
                                    "share_of_criterion": _plain(float(r.share_of_criterion)),
                                    "caveat": str(r.caveat),
                                    "caveat_text": notice(head.notices[r.criterion, r.phase], lang)}
                                   for r in head.set_apart.itertuples()]},
        "domains": {name: _domain_dict(shown, name) for name in shown.footprints},
        "skipped": dict(assessment.skipped),
        "groups": groups_dict(fp, assessment.by),
        "contributors": [{k: _plain(v) for k, v in r.items()}
                         for r in contributors(shown, lang).head(MAX_CONTRIBUTORS_JSON).to_dict("records")],
        "energy_kwh": float(fp.energy_kwh.sum()),
        "rows": {"read": q.rows_read, "assessed": q.rows_assessed, "rejected": q.rows_rejected,
                 "undated": int(q.counts.get("undated_rows", 0))},
        "counts": quality_counts(q),
        "coverage": [{k: _plain(v) for k, v in r.items()} for r in coverage_frame(assessment).to_dict("records")],
        "rejected": {
            "rows": [{**{k: _plain(as_typed(v) if k == "value" else v) for k, v in r.items()},
                      "reason_text": reason(r.get("reason_code"), r.get("reason"), lang)}
                     for r in rejected.to_dict("records")],
            "count": len(q.rejected),
            "truncated": len(q.rejected) - len(rejected),
        },
        "warnings": [str(w) for w in q.warnings],
        "warnings_text": [notice(w, lang) for w in q.warnings],
        "unmapped": [{k: _plain(v) for k, v in r.items()} for r in assessment.unmapped.to_dict("records")],
    }


def _domain_dict(assessment: Assessment, name: str) -> dict[str, Any]:
    part = assessment.footprints[name]
    q = assessment.domain_quality.get(name)
    return {"totals": totals_dict(part), "energy_kwh": float(part.energy_kwh.sum()),
            "rows": {"read": q.rows_read, "assessed": q.rows_assessed, "rejected": q.rows_rejected} if q else None,
            "files": dict(assessment.profiles.get(name, {}))}


def _plain(value: object) -> object:
    """A JSON-ready scalar (numpy to Python, NaN/NA to None)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (pd.Timestamp,)):
        return value.isoformat()
    return value


def to_json(assessment: Assessment, *, max_rejected: int | None = MAX_REJECTED_JSON, lang: str = "fr",
            include_caveated: bool = False) -> str:
    return json.dumps(to_dict(assessment, max_rejected=max_rejected, lang=lang, include_caveated=include_caveated),
                      ensure_ascii=False, indent=2, default=str)


# --------------------------------------------------------------------------- terminal
def render_table(assessment: Assessment, *, lang: str = "fr", top: int | None = TOP,
                 include_caveated: bool = False) -> str:
    """A readable text report (French by default).

    Every group of each ``by`` key is listed, largest first; with ``top``, the first ``top``
    and one line carrying the others' total, so the table still adds up. Phases their source
    disowns are out of the totals and shown apart unless ``include_caveated``.
    """
    lang = check_lang(lang)
    head = headline(assessment, include_caveated=include_caveated)
    shown = head.assessment
    fp = shown.footprint
    out = [message("title", lang, year=assessment.year), ""]
    sep = " : " if lang == "fr" else ": "
    out.append(message("allocation", lang) + sep + allocation_label(assessment.allocation, lang))
    out.append(message("catalog", lang) + sep + f"{assessment.catalog_version} ({assessment.catalog_hash[:12]})")
    if assessment.inputs:
        out.append(message("inputs", lang) + sep + ", ".join(_input_text(assessment, f.name, lang)
                                                             for f in assessment.inputs))
    if {"traffic", "lines"} & set(assessment.footprints) | set(assessment.skipped):
        out.append(message("network_model", lang) + sep + network_model_label(assessment.network_model, lang))
    out.append(message("by", lang) + sep + (", ".join(key_label(k, lang) for k in assessment.by)
                                            or message("none", lang)))
    out += ["", message("totals", lang), _totals_table(fp, shown, lang)]
    out += _set_apart_text(head, lang)
    if len(shown.footprints) > 1:
        out += ["", message("domain_totals", lang), _domains_table(shown, lang)]
    out += [message("skipped", lang, domain=domain_label(d, lang), reason=why) for d, why in assessment.skipped.items()]
    out.append(message("energy", lang, value=format_number(fp.energy_kwh.sum(), lang)))
    if shown.items:
        out += ["", _items_table(shown, lang, TOP_ITEMS)]
    for key in assessment.by:
        out += ["", _groups_table(fp, key, shown, lang, top)]
    out += ["", _quality_text(assessment, lang)]
    return "\n".join(out).rstrip() + "\n"


def _set_apart_text(head: Headline, lang: str) -> list[str]:
    """The caveated values, per criterion and phase, with their source's caveat."""
    if head.set_apart.empty:
        return []
    key = "caveated_included" if head.included else "caveated_apart"
    out = ["", message(key, lang)]
    labels = head.assessment.criterion_labels
    for (criterion, phase), part in head.set_apart.groupby(["criterion", "phase"], sort=False):
        first = part.iloc[0]
        label = labels.get(criterion, {}).get(lang, criterion)
        out.append("  " + message("caveated_line", lang, criterion=label, phase=phase_label(phase, lang).lower(),
                                  value=format_number(part["value"].sum(), lang), unit=first["unit"],
                                  share=format_share(part["share_of_criterion"].sum(), lang),
                                  caveat=_caveat_text(head.notices[criterion, phase], lang)))
    if not head.included:
        out.append("  " + message("caveated_option", lang))
    return out


def _caveat_text(caveat: object, lang: str) -> str:
    """The source's own sentence (without the criterion and the share the notice adds)."""
    params = getattr(caveat, "params", {})
    return str(params.get("message" if lang == "fr" else "message_en") or caveat)


def _totals_table(fp: Footprint, assessment: Assessment, lang: str) -> str:
    total = fp.total()
    headers = [message("criterion", lang), message("unit", lang), *[phase_label(p, lang) for p in fp.phases],
               message("total", lang)]
    rows = []
    for criterion, row in total.iterrows():
        label = assessment.criterion_label(str(criterion), lang) + ("" if row["complete"] else " *")
        rows.append([label, row["unit"], *[format_number(row[p], lang) for p in fp.phases],
                     format_number(row["total"], lang)])
    table = text_table(headers, rows, numeric=[False, False] + [True] * (len(fp.phases) + 1))
    if not total["complete"].all():
        table += "\n* " + message("lower_bound", lang)
    return table


def _input_text(assessment: Assessment, name: str, lang: str) -> str:
    profile = assessment.file_profiles.get(name)
    return f"{name} ({message('profile', lang, profile=profile)})" if profile else name


def _domains_table(assessment: Assessment, lang: str) -> str:
    """One line per domain and the total: each criterion, electricity and row accounting."""
    fp = assessment.footprint
    headers = [message("domain", lang), *[f"{criterion_short_label(c, lang)} ({u})" for c, u in zip(fp.criteria, fp.units)],
               message("energy_short", lang), message("rows_domain", lang)]

    def line(label: str, part: Footprint, q) -> list[str]:
        rows = f"{_int(q.rows_read, lang)} / {_int(q.rows_rejected, lang)}" if q is not None else "–"
        return [label, *[format_number(v, lang) for v in part.total()["total"]],
                format_number(part.energy_kwh.sum(), lang), rows]

    rows = [line(domain_label(name, lang), part, assessment.domain_quality.get(name))
            for name, part in assessment.footprints.items()]
    rows.append(line(message("total", lang), fp, assessment.quality))
    return text_table(headers, rows, numeric=[False] + [True] * (len(fp.criteria) + 2))


def _groups_table(fp: Footprint, key: str, assessment: Assessment, lang: str, top: int | None) -> str:
    """Every group of ``key`` largest first (or the first ``top`` and a line for the others),
    and the total: the table adds up to the report's total."""
    sub = fp.by(key)
    criterion, unit = fp.criteria[0], fp.units[0]
    values = sub.values[:, 0, :].sum(axis=1)
    grand = values.sum()
    order = np.argsort(-values, kind="stable")
    shown, rest = (order, order[:0]) if top is None else (order[:top], order[top:])
    share = (lambda v: format_share(v / grand, lang) if grand else "–")
    labels = assessment.item_labels
    rows = [[_key_text(sub.keys.iloc[g][key], lang, labels), format_number(values[g], lang), share(values[g])]
            for g in shown]
    if len(rest):
        others = values[rest].sum()
        rows.append([message("others", lang, count=_int(len(rest), lang)), format_number(others, lang), share(others)])
    rows.append([message("total", lang), format_number(grand, lang), share(grand)])
    title = message("groups", lang, name=key_label(key, lang).lower(),
                    criterion=assessment.criterion_label(criterion, lang), unit=unit, count=len(values))
    table = text_table([key_label(key, lang), message("total", lang), message("share", lang)], rows,
                       numeric=[False, True, True])
    return title + "\n" + table


def contributors(assessment: Assessment, lang: str = "fr") -> pd.DataFrame:
    """Every domain's items (equipment category, line technology, ZA...) with their total for
    the first criterion, largest first: ``domain, key, item, label, value, unit, share``."""
    parts = []
    for domain, part in assessment.items.items():
        key = part.by_keys[0]
        items = part.keys[key].map(_plain)
        parts.append(pd.DataFrame({
            "domain": domain, "key": key, "item": items,
            "label": [item_label(i, lang, assessment.item_labels) if key != "za" else i for i in items],
            "value": part.values[:, 0, :].sum(axis=1), "unit": part.units[0]}))
    if not parts:
        return pd.DataFrame(columns=["domain", "key", "item", "label", "value", "unit", "share"])
    frame = pd.concat(parts, ignore_index=True).sort_values("value", ascending=False, kind="stable")
    grand = assessment.footprint.values[:, 0, :].sum()
    frame["share"] = frame["value"] / grand if grand else np.nan
    return frame.reset_index(drop=True)


def _items_table(assessment: Assessment, lang: str, top: int) -> str:
    fp = assessment.footprint
    frame = contributors(assessment, lang).head(top)
    rows = [[domain_label(r.domain, lang), str(r.label), format_number(r.value, lang),
             format_share(r.share, lang) if r.share == r.share else "–"] for r in frame.itertuples()]
    title = message("items", lang, criterion=assessment.criterion_label(fp.criteria[0], lang), unit=fp.units[0])
    table = text_table([message("domain", lang), message("item", lang), message("total", lang),
                        message("share", lang)], rows, numeric=[False, False, True, True])
    return title + "\n" + table


def _key_text(value: object, lang: str, labels: dict | None = None) -> str:
    plain = _plain(value)
    if plain == "(all)":  # a domain without this key (see Assessment.warnings)
        return message("ungrouped", lang)
    if plain is None:  # rows whose cell of this key is empty
        return message("unspecified", lang)
    return item_label(plain, lang, labels)


def rejections_text(rejected: pd.DataFrame, lang: str = "fr") -> list[str]:
    """The rejection reasons with their counts, then the first :data:`MAX_REJECTED_TEXT`
    rejected rows (file, row, column, reason, value as typed), as lines of text."""
    out = [message("rejections", lang)]
    codes = rejected.get("reason_code", pd.Series([None] * len(rejected), index=rejected.index))
    codes = codes.fillna(rejected["reason"]).astype(str)  # one line per code (its reason may vary)
    first_reason = rejected["reason"].groupby(codes.to_numpy()).first()
    for code, count in codes.value_counts(sort=True).items():
        out.append(f"  {_int(count, lang)} × {reason(code, first_reason[code], lang)}")
    out.append("")
    for r in rejected.head(MAX_REJECTED_TEXT).to_dict("records"):
        file = _plain(r.get("file"))
        out.append("  " + message("rejected_row", lang, file=f"{Path(str(file)).name}, " if file else "",
                                  row=r["row"], column=r["column"], value=_plain(as_typed(r["value"], lang)),
                                  reason=reason(r.get("reason_code"), r.get("reason"), lang)))
    if len(rejected) > MAX_REJECTED_TEXT:
        out.append("  " + message("rejected_more", lang, count=_int(len(rejected) - MAX_REJECTED_TEXT, lang)))
    return out


def _quality_text(assessment: Assessment, lang: str) -> str:
    q = assessment.quality
    out = [message("rows", lang, read=_int(q.rows_read, lang),
                   assessed=_int(q.rows_assessed, lang), rejected=_int(q.rows_rejected, lang))]
    out += ["  " + message(f"count_{name}", lang, count=_int(count, lang))
            for name, count in quality_counts(q).items() if count and name in NAMED_COUNTS]
    coverage = coverage_table(assessment, lang)
    if coverage:
        out += ["", message("coverage", lang), coverage]
    if len(q.rejected):
        out += ["", *rejections_text(q.rejected, lang)]
    if len(assessment.unmapped):
        out += ["", message("unmapped", lang)]
        for r in assessment.unmapped.to_dict("records"):
            suggestion = _plain(r.get("suggestion"))
            out.append("  " + message("unmapped_row", lang, column=r["column"], value=r["value"], count=r["count"],
                                      suggestion=message("suggestion", lang, suggestion=suggestion)
                                      if suggestion else ""))
    warnings = shown_warnings(q.warnings, CAVEAT_CODE)
    if warnings:
        out += ["", message("warnings", lang)] + [f"  - {notice(w, lang)}" for w in warnings]
    return "\n".join(out)


def _int(value: int, lang: str) -> str:
    return format_count(value, lang)


# --------------------------------------------------------------------------- files
def render(assessment: Assessment, fmt: str, *, lang: str = "fr", top: int | None = TOP,
           include_caveated: bool = False) -> str:
    """Text of the ``table``, ``json`` or ``csv`` format (``xlsx`` needs :func:`write_xlsx`)."""
    if fmt == "table":
        return render_table(assessment, lang=lang, top=top, include_caveated=include_caveated)
    if fmt == "json":
        return to_json(assessment, lang=lang, include_caveated=include_caveated) + "\n"
    if fmt == "csv":
        return write_csv(assessment, lang=lang, include_caveated=include_caveated)
    from ..errors import UnknownNameError

    raise UnknownNameError("text format", fmt, ("table", "json", "csv"))


def write(assessment: Assessment, fmt: str, output: str | Path | None = None, *, lang: str = "fr",
          top: int | None = TOP, include_caveated: bool = False) -> str | None:
    """Write the report in ``fmt`` to ``output``; without ``output``, return its text
    (``xlsx`` needs a file). ``top`` and ``include_caveated`` as in :func:`render_table`."""
    from ..errors import InputValueError

    if output is not None and not Path(output).parent.is_dir():  # say it before any library does, in English
        raise InputValueError("the output's folder does not exist or is not a folder", file=str(output),
                              code="no_output_folder")
    if fmt == "xlsx":
        if output is None:
            raise InputValueError("the xlsx format needs an output file (--output report.xlsx)",
                                  code="xlsx_needs_output")
        write_xlsx(assessment, output, lang=lang, include_caveated=include_caveated)
        return None
    if fmt == "csv" and output is not None:
        write_csv(assessment, output, lang=lang, include_caveated=include_caveated)
        return None
    text = render(assessment, fmt, lang=lang, top=top, include_caveated=include_caveated)
    if output is None:
        return text
    Path(output).write_text(text, encoding="utf-8")
    return None
