"""Energy-saving certificates (CEE, *certificats d'économies d'énergie*) of a lighting retrofit.

The standardised operation sheets for public lighting (RES-EC-104 for LED renovation, and the
dimming sheet) give a volume of energy savings in kWh *cumac* per luminaire; the authority
sells it at a price per MWh cumac. The sheets changed in November 2025 and their values could
not be verified, so none is shipped: ``factors/cee_sheets.csv`` only lists the sheets, and the
user gives the values of the version that applies in a file of the same columns
(:func:`load_sheets`).

Volume [kWh cumac] = Σ retrofitted luminaires × kWh cumac per luminaire of each sheet that
applies to their new technology; value [EUR] = volume × price [EUR/MWh cumac]; it is shown beside
the investment and the simple payback, with and without the certificates.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputFormatError, InputValueError
from .factors import bundled_factors_dir
from .lighting import PreparedLighting, normalise_technology
from .units import conversion_factor

#: Columns of a sheets file.
SHEET_COLUMNS = ("sheet", "version", "date", "applies_to", "kwh_cumac_per_luminaire", "status", "source", "note")


def load_sheets(path: str | Path | None = None) -> pd.DataFrame:
    """CEE sheet values: the user's file, or the bundled list (which holds no value).

    Parameters
    ----------
    path : str or Path, optional
        CSV (``,`` or ``;``, decimal point or comma) with :data:`SHEET_COLUMNS`;
        ``applies_to`` is the technology after the retrofit (``led``...) or ``*``.

    Returns
    -------
    DataFrame
        Rows with a value only; ``kwh_cumac_per_luminaire`` as float [kWh cumac/luminaire].

    Raises
    ------
    InputFormatError
        A missing column.
    InputValueError
        A value that is not a number ≥ 0, with the file, line and column.

    Examples
    --------
    >>> len(load_sheets())   # nothing verified is shipped
    0
    """
    file = Path(path) if path is not None else bundled_factors_dir() / "cee_sheets.csv"
    try:
        table = pd.read_csv(file, sep=None, engine="python", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputFormatError(f"cannot read the CEE sheets file: {exc}", file=str(file), code="cee_unreadable",
                               detail=str(exc)) from None
    for column in ("sheet", "applies_to", "kwh_cumac_per_luminaire"):
        if column not in table.columns:
            raise InputFormatError(f"the CEE sheets file has no column '{column}'", file=str(file), column=column,
                                   code="cee_missing_column", missing=column)
    text = table["kwh_cumac_per_luminaire"].str.strip().str.replace(" ", "").str.replace(",", ".")
    values = pd.to_numeric(text, errors="coerce")
    bad = (text.ne("") & values.isna()) | (values < 0)
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputValueError(f"bad value {table['kwh_cumac_per_luminaire'].iloc[first]!r}: a number >= 0 "
                              "[kWh cumac per luminaire]", file=str(file), row=first + 2,
                              column="kwh_cumac_per_luminaire", code="cee_bad_value",
                              value=table["kwh_cumac_per_luminaire"].iloc[first])
    table = table.assign(kwh_cumac_per_luminaire=values.astype(float))
    return table[values.notna()].reset_index(drop=True)


def cee_value_eur(volume_kwh_cumac, price_eur_per_mwh_cumac):
    """Value of a CEE volume [EUR]: volume [kWh cumac] × price [EUR/MWh cumac].

    Examples
    --------
    >>> cee_value_eur(25_000.0, 8.0)
    200.0
    """
    if not np.all(np.asarray(price_eur_per_mwh_cumac, dtype=float) >= 0):
        raise InputValueError(f"price per MWh cumac must be a number >= 0 (got {price_eur_per_mwh_cumac})",
                              code="cee_bad_price", value=price_eur_per_mwh_cumac)
    return volume_kwh_cumac * conversion_factor("kWh", "MWh") * price_eur_per_mwh_cumac


def sheet_value_per_technology(sheets: pd.DataFrame, technologies: pd.Index) -> np.ndarray:
    """kWh cumac per luminaire earned by a luminaire retrofitted to each technology: the sum of
    the sheets whose ``applies_to`` is that technology or ``*``.

    Examples
    --------
    >>> sheets = pd.DataFrame({"applies_to": ["LED", "*"], "kwh_cumac_per_luminaire": [2000.0, 500.0]})
    >>> sheet_value_per_technology(sheets, pd.Index(["hps", "led"])).tolist()
    [500.0, 2500.0]
    """
    target = normalise_technology(sheets["applies_to"].astype(str).str.strip())
    values = sheets["kwh_cumac_per_luminaire"].to_numpy(dtype=float)
    everyone = values[(target == "*").to_numpy()].sum()
    return np.array([everyone + values[(target == t).to_numpy()].sum() for t in technologies])


def retrofit_cee(before: PreparedLighting, after: PreparedLighting, savings: pd.DataFrame, sheets: pd.DataFrame, *,
                 price_eur_per_mwh_cumac: float) -> pd.DataFrame:
    """CEE volume and value of a retrofit, beside its investment and payback, per group.

    Parameters
    ----------
    before, after : PreparedLighting
        The prepared luminaires before and after the retrofit (same rows: ``after`` is ``before``
        with the retrofitted rows' ``technology`` and ``lamp_power_w`` replaced, see
        :func:`sobriete.lighting.prepare_lighting`); a row is retrofitted when its technology or
        lamp power changed.
    savings : DataFrame
        Per group, in ``before.keys`` order: ``investment_eur`` [EUR] and ``cost_saved_eur``
        [EUR/year] (the ``savings`` of :func:`sobriete.retrofit.assess_scenario`).
    sheets : DataFrame
        From :func:`load_sheets` (the user's values).
    price_eur_per_mwh_cumac : float, keyword-only
        Price of the certificates [EUR/MWh cumac], from the user.

    Returns
    -------
    DataFrame
        ``savings`` plus ``luminaires_retrofitted``, ``cee_kwh_cumac`` [kWh cumac],
        ``cee_value_eur`` [EUR], ``net_investment_eur`` [EUR] and ``payback_with_cee_years``
        [year] (NaN when nothing is saved).

    Raises
    ------
    InputValueError
        No sheet value given, or a negative price.

    Notes
    -----
    volume = Σ count × [retrofitted] × Σ_sheets(applies to the new technology) kWh cumac per
    luminaire; payback with CEE = (investment − CEE value) / annual cost saved.
    """
    if sheets.empty:
        raise InputValueError("no CEE sheet value: give a sheets file (the sheets' values are not shipped, they "
                              "could not be verified)", code="cee_no_sheet")
    changed = (before.technology != after.technology) | (before.lamp_power_w != after.lamp_power_w)
    per_luminaire = sheet_value_per_technology(sheets, after.technologies)[after.technology]
    n_groups = len(before.keys)
    out = savings.copy()
    out["luminaires_retrofitted"] = np.bincount(before.group, before.count * changed, minlength=n_groups)
    out["cee_kwh_cumac"] = np.bincount(before.group, before.count * changed * per_luminaire, minlength=n_groups)
    out["cee_value_eur"] = cee_value_eur(out["cee_kwh_cumac"].to_numpy(), price_eur_per_mwh_cumac)
    out["net_investment_eur"] = out["investment_eur"] - out["cee_value_eur"]
    with np.errstate(divide="ignore", invalid="ignore"):
        payback = out["net_investment_eur"] / out["cost_saved_eur"]
    out["payback_with_cee_years"] = payback.where(out["cost_saved_eur"] > 0)
    return out


def with_cee(compared, prepared: PreparedLighting, year: int, scenario, sheets: pd.DataFrame, *,
             price_eur_per_mwh_cumac: float):
    """A retrofit scenario's result with the CEE columns added to its savings per group.

    Parameters
    ----------
    compared : ScenarioResult
        From :func:`sobriete.retrofit.compare_scenario` on ``prepared``.
    prepared : PreparedLighting
        The baseline.
    year : int
        The assessed year (installation year of the retrofits).
    scenario : Scenario
        The retrofit scenario.
    sheets : DataFrame
        From :func:`load_sheets`.
    price_eur_per_mwh_cumac : float, keyword-only
        [EUR/MWh cumac]

    Returns
    -------
    ScenarioResult
        ``savings`` gains the columns of :func:`retrofit_cee`.
    """
    after = prepared.retrofitted(year, scenario.overrides(year=year))
    savings = retrofit_cee(prepared, after, compared.savings, sheets, price_eur_per_mwh_cumac=price_eur_per_mwh_cumac)
    return replace(compared, savings=savings)
