"""Views of the factor catalog for people: criteria, categories, one id's factors, sources."""

from __future__ import annotations

import pandas as pd

from ..errors import UnknownNameError
from ..factors import TABLES, FactorCatalog
from .formatting import format_number, text_table
from .messages import message


def _label_column(lang: str) -> str:
    return f"label_{lang}"


def render_catalog(catalog: FactorCatalog, *, lang: str = "fr") -> str:
    """Criteria and equipment categories with their lifetime and default electricity."""
    criteria = catalog.table("criteria")
    out = [message("catalog_line", lang, version=catalog.version, hash=catalog.hash[:12]), "",
           message("criteria", lang),
           text_table([message("id", lang), message("unit", lang), message("label", lang)],
                      criteria[["criterion", "unit", _label_column(lang)]].to_numpy().tolist())]
    eq = catalog.equipment
    categories = catalog.table("equipment_categories").set_index("category").reindex(eq.categories)
    rows = [[c, categories.loc[c, _label_column(lang)], categories.loc[c, "family"],
             format_number(eq.lifetime_years[i], lang), format_number(eq.energy_kwh_per_year[i], lang)]
            for i, c in enumerate(eq.categories)]
    out += ["", message("categories", lang),
            text_table([message("id", lang), message("label", lang), message("family", lang),
                        message("lifetime", lang), message("annual_energy", lang)], rows,
                       numeric=[False, False, False, True, True])]
    return "\n".join(out) + "\n"


def factor_rows(catalog: FactorCatalog, identifier: str, *, lang: str = "fr") -> pd.DataFrame:
    """Every catalog row whose key names ``identifier`` (a category, criterion, zone or source),
    with its table: ``table, key, value, unit, source_id, status, note``."""
    parts = []
    ids: set[str] = set()
    for name in catalog.table_names:
        spec = TABLES[name]
        table = catalog.table(name)
        for column in spec.key:
            ids.update(table[column].astype(str))
        match = table[[column for column in spec.key if column in table]].astype(str).eq(identifier).any(axis=1)
        if match.any():
            rows = table[match]
            key = rows[list(spec.key)].astype(str).agg(" / ".join, axis=1)
            parts.append(pd.DataFrame({
                "table": name, "key": key,
                "value": rows["value"] if "value" in rows else None,
                "unit": rows["unit"] if "unit" in rows else None,
                "source_id": rows["source_id"] if "source_id" in rows else None,
                "status": rows["status"] if "status" in rows else None,
                "label": rows[f"label_{lang}"] if f"label_{lang}" in rows else rows.get("document")}))
    if not parts:
        raise UnknownNameError("catalog id", identifier, ids)
    return pd.concat(parts, ignore_index=True)


def render_factor(catalog: FactorCatalog, identifier: str, *, lang: str = "fr") -> str:
    rows = factor_rows(catalog, identifier, lang=lang)
    body = [[r["table"], r["key"], "" if pd.isna(r["value"]) else format_number(r["value"], lang),
             r["unit"] or "", r["source_id"] or "", r["status"] or "", r["label"] or ""]
            for r in rows.astype(object).where(rows.notna(), None).to_dict("records")]
    headers = [message(k, lang) for k in ("table", "id", "value", "unit", "source", "status", "label")]
    return text_table(headers, body, numeric=[False, False, True, False, False, False, False]) + "\n"


def render_sources(catalog: FactorCatalog, *, lang: str = "fr") -> str:
    sources = catalog.table("sources")
    body = sources[["source_id", "organisation", "document", "year", "licence", "url"]].astype(str)
    body["document"] = body["document"].str.slice(0, 70)
    body["organisation"] = body["organisation"].str.slice(0, 40)
    headers = [message(k, lang) for k in ("id", "organisation", "document", "year", "licence")] + ["URL"]
    return text_table(headers, body.to_numpy().tolist()) + "\n"
