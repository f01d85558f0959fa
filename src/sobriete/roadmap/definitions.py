"""The built-in roadmap indicators as data (``factors/roadmap_indicators.csv``) and the catalog's
sources: what the roadmap file is checked against and the bilan cites."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd


def _factors_dir() -> Path:
    from ..factors import bundled_factors_dir

    return Path(bundled_factors_dir())


@lru_cache(maxsize=4)
def _definitions(folder: str) -> pd.DataFrame:
    return pd.read_csv(Path(folder) / "roadmap_indicators.csv", dtype=str, keep_default_na=False)


def definitions() -> pd.DataFrame:
    """The built-in indicators: ``indicator, kind, unit, direction, topic, label_fr, label_en,
    definition_en, source_id, status`` (``factors/roadmap_indicators.csv``)."""
    return _definitions(str(_factors_dir())).copy()


def sources() -> pd.DataFrame:
    """The catalog's sources (``factors/sources.csv``), for the bilan's references."""
    return pd.read_csv(_factors_dir() / "sources.csv", dtype=str, keep_default_na=False)


def builtin_ids() -> list[str]:
    return list(_definitions(str(_factors_dir()))["indicator"])
