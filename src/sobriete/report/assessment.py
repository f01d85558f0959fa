"""Reports of an :class:`~sobriete.assessment.Assessment`: terminal text, JSON, CSV, XLSX."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..assessment import Assessment
from ..footprint import Footprint
from .formatting import as_typed, format_number, format_share, neutralise, text_table
from .messages import allocation_label, check_lang, domain_label, message, notice, phase_label, reason

#: Rejected rows listed in the terminal report and in the JSON document by default.
MAX_REJECTED_TEXT = 10
MAX_REJECTED_JSON = 1000
MAX_CONTRIBUTORS_JSON = 50
#: Groups listed per key in the terminal report.
TOP = 5
#: Items listed in the top-contributors view over all domains.
TOP_ITEMS = 10
#: Floats in CSV outputs: 12 significant digits, far more than any factor has, and no binary
#: noise (``2.46``, not ``2.4600000000000004``); the factor catalog is written the same way.
CSV_FLOAT_FORMAT = "%.12g"
#: Output formats of :func:`render`.
FORMATS = ("table", "json", "csv", "xlsx")


# --------------------------------------------------------------------------- structure
def totals_dict(fp: Footprint) -> dict[str, dict[str, Any]]:
    """``{criterion: {"value", "unit", "complete", "phases": {phase: value}}}``."""
    total = fp.total()
    return {str(c): {"value": float(row["total"]), "unit": str(row["unit"]), "complete": bool(row["complete"]),
                     "phases": {p: float(row[p]) for p in fp.phases}}
            for c, row in total.iterrows()}


def groups_dict(fp: Footprint, keys: tuple[str, ...]) -> dict[str, list[dict[str, Any]]]:
    """Per requested key, one entry per value with its totals (sorted by the first criterion, largest first)."""
    out = {}
    for key in keys:
        sub = fp.by(key)
        first = sub.values[:, 0, :].sum(axis=1)
        entries = []
        for g in np.argsort(-first, kind="stable"):
            one = Footprint(sub.values[g:g + 1], sub.keys.iloc[[g]], sub.criteria, sub.units, sub.energy_kwh[g:g + 1],
                            sub.uncovered[g:g + 1], sub.catalog_version, sub.catalog_hash, phases=sub.phases)
            entries.append({key: _plain(sub.keys.iloc[g][key]), "energy_kwh": float(sub.energy_kwh[g]),
                            "totals": totals_dict(one)})
        out[key] = entries
    return out


def to_dict(assessment: Assessment, *, max_rejected: int | None = MAX_REJECTED_JSON, lang: str = "fr") -> dict:
    """The assessment as one JSON-ready document.

    Keys: ``year``, ``allocation``, ``by``, ``catalog`` (version, hash), ``inputs`` (name,
    sha256, profile), ``network_model``, ``totals`` (per criterion: value, unit, complete,
    phases), ``domains`` (per domain: ``totals`` as above, ``energy_kwh``, ``rows`` read,
    assessed, rejected, and ``files`` with the profile each was read with; the domains add
    up to ``totals`` and ``rows``), ``skipped`` (domains left out by the network model), ``groups`` (per requested key), ``energy_kwh``, ``rows`` (read, assessed,
    rejected), ``rejected`` (rows with their reason, at most ``max_rejected``, and the count
    left out), ``warnings`` (English sentences, stable), ``warnings_text`` (the same in the report's
    language) and ``unmapped``.
    """
    fp = assessment.footprint
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
        "domains": {name: _domain_dict(assessment, name) for name in assessment.footprints},
        "skipped": dict(assessment.skipped),
        "groups": groups_dict(fp, assessment.by),
        "contributors": [{k: _plain(v) for k, v in r.items()}
                         for r in contributors(assessment, lang).head(MAX_CONTRIBUTORS_JSON).to_dict("records")],
        "energy_kwh": float(fp.energy_kwh.sum()),
        "rows": {"read": q.rows_read, "assessed": q.rows_assessed, "rejected": q.rows_rejected},
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


def to_json(assessment: Assessment, *, max_rejected: int | None = MAX_REJECTED_JSON, lang: str = "fr") -> str:
    return json.dumps(to_dict(assessment, max_rejected=max_rejected, lang=lang), ensure_ascii=False, indent=2,
                      default=str)


# --------------------------------------------------------------------------- terminal
def render_table(assessment: Assessment, *, lang: str = "fr", top: int = TOP) -> str:
    """A readable text report (French by default)."""
    lang = check_lang(lang)
    fp = assessment.footprint
    out = [message("title", lang, year=assessment.year), ""]
    sep = " : " if lang == "fr" else ": "
    out.append(message("allocation", lang) + sep + allocation_label(assessment.allocation, lang))
    out.append(message("catalog", lang) + sep + f"{assessment.catalog_version} ({assessment.catalog_hash[:12]})")
    if assessment.inputs:
        out.append(message("inputs", lang) + sep + ", ".join(_input_text(assessment, f.name, lang)
                                                             for f in assessment.inputs))
    if {"traffic", "lines"} & set(assessment.footprints) | set(assessment.skipped):
        out.append(message("network_model", lang) + sep + assessment.network_model)
    out.append(message("by", lang) + sep + (", ".join(assessment.by) or message("none", lang)))
    out += ["", message("totals", lang), _totals_table(fp, assessment, lang)]
    if len(assessment.footprints) > 1:
        out += ["", message("domain_totals", lang), _domains_table(assessment, lang)]
    out += [message("skipped", lang, domain=domain_label(d, lang), reason=why) for d, why in assessment.skipped.items()]
    out.append(message("energy", lang, value=format_number(fp.energy_kwh.sum(), lang)))
    if assessment.items:
        out += ["", _items_table(assessment, lang, TOP_ITEMS)]
    for key in assessment.by:
        out += ["", _top_table(fp, key, assessment, lang, top)]
    out += ["", _quality_text(assessment, lang)]
    return "\n".join(out).rstrip() + "\n"


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
    headers = [message("domain", lang), *[f"{c} ({u})" for c, u in zip(fp.criteria, fp.units)],
               message("energy_short", lang), message("rows_domain", lang)]

    def line(label: str, part: Footprint, q) -> list[str]:
        rows = f"{_int(q.rows_read, lang)} / {_int(q.rows_rejected, lang)}" if q is not None else "–"
        return [label, *[format_number(v, lang) for v in part.total()["total"]],
                format_number(part.energy_kwh.sum(), lang), rows]

    rows = [line(domain_label(name, lang), part, assessment.domain_quality.get(name))
            for name, part in assessment.footprints.items()]
    rows.append(line(message("total", lang), fp, assessment.quality))
    return text_table(headers, rows, numeric=[False] + [True] * (len(fp.criteria) + 2))


def _top_table(fp: Footprint, key: str, assessment: Assessment, lang: str, top: int) -> str:
    sub = fp.by(key)
    criterion, unit = fp.criteria[0], fp.units[0]
    values = sub.values[:, 0, :].sum(axis=1)
    grand = values.sum()
    order = np.argsort(-values, kind="stable")[:top]
    rows = [[_key_text(sub.keys.iloc[g][key], lang), format_number(values[g], lang),
             format_share(values[g] / grand, lang) if grand else "–"] for g in order]
    title = message("top", lang, name=key, criterion=assessment.criterion_label(criterion, lang), unit=unit)
    table = text_table([key, message("total", lang), message("share", lang)], rows, numeric=[False, True, True])
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
            "label": [assessment.item_labels.get(i, {}).get(lang, i) if key != "za" else i for i in items],
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


def _key_text(value: object, lang: str) -> str:
    plain = _plain(value)
    if plain == "(all)":  # a domain without this key (see Assessment.warnings)
        return message("ungrouped", lang)
    return message("all", lang) if plain is None else str(plain)


def _quality_text(assessment: Assessment, lang: str) -> str:
    q = assessment.quality
    out = [message("rows", lang, read=_int(q.rows_read, lang),
                   assessed=_int(q.rows_assessed, lang), rejected=_int(q.rows_rejected, lang))]
    rejected = q.rejected
    if len(rejected):
        out += ["", message("rejections", lang)]
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
            out.append("  " + message("rejected_more", lang, count=len(rejected) - MAX_REJECTED_TEXT))
    if len(assessment.unmapped):
        out += ["", message("unmapped", lang)]
        for r in assessment.unmapped.to_dict("records"):
            suggestion = _plain(r.get("suggestion"))
            out.append("  " + message("unmapped_row", lang, column=r["column"], value=r["value"], count=r["count"],
                                      suggestion=message("suggestion", lang, suggestion=suggestion)
                                      if suggestion else ""))
    if q.warnings:
        out += ["", message("warnings", lang)] + [f"  - {notice(w, lang)}" for w in q.warnings]
    return "\n".join(out)


def _int(value: int, lang: str) -> str:
    text = f"{int(value):,}"
    return text.replace(",", " ") if lang == "fr" else text


# --------------------------------------------------------------------------- files
def results_frame(assessment: Assessment, *, lang: str = "fr") -> pd.DataFrame:
    """Tidy results for spreadsheets: ``domain, keys..., criterion, phase, value, unit`` plus
    the year, allocation and catalog version on every line."""
    frame = assessment.to_frame()
    frame.insert(0, "year", assessment.year)
    frame["allocation"] = assessment.allocation
    frame["catalog_version"] = assessment.catalog_version
    frame["uncovered_rows"] = frame["uncovered_rows"].astype(np.int64)
    return frame


def domains_frame(assessment: Assessment) -> pd.DataFrame:
    """Per domain and criterion: the phases, the total, the unit, electricity and rows read,
    assessed and rejected (a sheet of the workbook)."""
    parts = []
    for name, part in assessment.footprints.items():
        q = assessment.domain_quality.get(name)
        frame = part.total().reset_index().drop(columns=["complete"])
        frame.insert(0, "domain", name)
        frame["energy_kwh"] = float(part.energy_kwh.sum())
        for key in ("rows_read", "rows_assessed", "rows_rejected"):
            frame[key] = getattr(q, key) if q is not None else None
        frame["files"] = ", ".join(f"{f} ({p})" for f, p in assessment.profiles.get(name, {}).items())
        parts.append(frame)
    return pd.concat(parts, ignore_index=True)


def write_csv(assessment: Assessment, target: str | Path | io.TextIOBase | None = None, *,
              lang: str = "fr") -> str | None:
    """Tidy results as CSV, safe against formula injection. French: ``;`` and decimal comma
    (what a French spreadsheet expects); English: ``,`` and decimal point. Returns the text
    when ``target`` is None."""
    frame = neutralise(results_frame(assessment, lang=lang))
    options = {"sep": ";", "decimal": ","} if lang == "fr" else {"sep": ",", "decimal": "."}
    options["float_format"] = CSV_FLOAT_FORMAT
    if isinstance(target, (str, Path)):
        frame.to_csv(target, index=False, encoding="utf-8-sig", **options)
        return None
    text = frame.to_csv(index=False, **options)
    if target is not None:
        target.write(text)
        return None
    return text


def write_xlsx(assessment: Assessment, target: str | Path | io.BytesIO, *, lang: str = "fr") -> None:
    """A workbook with the totals, the tidy results, the rejected rows and the warnings, safe
    against formula injection."""
    total = assessment.footprint.total().reset_index()
    total.insert(1, "label", [assessment.criterion_label(c, lang) for c in total["criterion"]])
    q = assessment.quality
    rejected = q.rejected.copy()
    if len(rejected):
        rejected["value"] = [as_typed(v) for v in rejected["value"]]
        rejected["reason"] = [reason(c, r, lang) for c, r in zip(rejected.get("reason_code", [None] * len(rejected)),
                                                                  rejected["reason"])]
    info = pd.DataFrame({"key": ["year", "allocation", "by", "catalog_version", "catalog_hash", "rows_read",
                                 "rows_assessed", "rows_rejected", "inputs"],
                         "value": [assessment.year, assessment.allocation, ", ".join(assessment.by),
                                   assessment.catalog_version, assessment.catalog_hash, q.rows_read,
                                   q.rows_assessed, q.rows_rejected,
                                   ", ".join(f"{f.name} sha256:{f.sha256}" for f in assessment.inputs)]})
    sheets = {"summary": info, "totals": total, "domains": domains_frame(assessment),
              "results": results_frame(assessment, lang=lang),
              "rejected": rejected, "warnings": pd.DataFrame({"warning": [notice(w, lang) for w in q.warnings]}),
              "unmapped": assessment.unmapped}
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            neutralise(frame.astype({c: object for c in frame.columns if frame[c].dtype == "string"}))\
                .to_excel(writer, sheet_name=name, index=False)


def render(assessment: Assessment, fmt: str, *, lang: str = "fr") -> str:
    """Text of the ``table``, ``json`` or ``csv`` format (``xlsx`` needs :func:`write_xlsx`)."""
    if fmt == "table":
        return render_table(assessment, lang=lang)
    if fmt == "json":
        return to_json(assessment, lang=lang) + "\n"
    if fmt == "csv":
        return write_csv(assessment, lang=lang)
    from ..errors import UnknownNameError

    raise UnknownNameError("text format", fmt, ("table", "json", "csv"))


def write(assessment: Assessment, fmt: str, output: str | Path | None = None, *, lang: str = "fr") -> str | None:
    """Write the report in ``fmt`` to ``output``; without ``output``, return its text
    (``xlsx`` needs a file)."""
    from ..errors import InputValueError

    if output is not None and not Path(output).parent.is_dir():  # say it before any library does, in English
        raise InputValueError("the output's folder does not exist or is not a folder", file=str(output),
                              code="no_output_folder")
    if fmt == "xlsx":
        if output is None:
            raise InputValueError("the xlsx format needs an output file (--output report.xlsx)",
                                  code="xlsx_needs_output")
        write_xlsx(assessment, output, lang=lang)
        return None
    if fmt == "csv" and output is not None:
        write_csv(assessment, output, lang=lang)
        return None
    text = render(assessment, fmt, lang=lang)
    if output is None:
        return text
    Path(output).write_text(text, encoding="utf-8")
    return None
