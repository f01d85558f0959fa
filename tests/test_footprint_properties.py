"""Properties of Footprint algebra (hypothesis): a + b - b == a whatever the key sets, by() keeps totals."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sobriete.footprint import DataQuality
from sobriete.kernel import make_footprint

KEYS = {"entity": ["A", "B", "C"], "service": ["école", "mairie"], "category": ["laptop", "monitor"]}


@st.composite
def footprints(draw, catalog):
    names = draw(st.lists(st.sampled_from(sorted(KEYS)), unique=True, max_size=3))
    combos = pd.MultiIndex.from_product([KEYS[n] for n in names]).to_frame(index=False, name=names) if names \
        else pd.DataFrame(index=range(1))
    picked = sorted(draw(st.sets(st.integers(0, len(combos) - 1), min_size=1)))
    keys = combos.iloc[picked].reset_index(drop=True)
    shape = (len(keys), len(catalog.criteria), 4)
    finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
    values = np.array(draw(st.lists(finite, min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))).reshape(shape)
    energy = np.array(draw(st.lists(finite, min_size=len(keys), max_size=len(keys))))
    rows = draw(st.integers(0, 50))
    return make_footprint(values=values, uncovered=np.zeros(shape), energy_kwh=energy, keys=keys, catalog=catalog,
                          meta={"year": 2025}, quality=DataQuality(rows, rows, 0))


def settings_():
    return settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@settings_()
@given(data=st.data())
def test_add_then_subtract_gives_back_the_first(tiny_catalog, data):
    a = data.draw(footprints(tiny_catalog))
    b = data.draw(footprints(tiny_catalog))
    back = (a + b) - b
    np.testing.assert_allclose(back.values.sum(axis=0), a.values.sum(axis=0), rtol=1e-9, atol=1e-6)
    regrouped = back.by(*a.by_keys)
    merged = a.keys.merge(regrouped.keys.reset_index(), how="left", on=list(a.by_keys)) if a.by_keys else None
    order = merged["index"].to_numpy() if merged is not None else np.array([0])
    np.testing.assert_allclose(regrouped.values[order], a.values, rtol=1e-9, atol=1e-6)
    others = np.setdiff1d(np.arange(len(regrouped.keys)), order)
    np.testing.assert_allclose(regrouped.values[others], 0.0, atol=1e-6)  # b's groups cancel out
    np.testing.assert_allclose(back.energy_kwh.sum(), a.energy_kwh.sum(), rtol=1e-9, atol=1e-6)


@settings_()
@given(data=st.data())
def test_by_keeps_the_totals(tiny_catalog, data):
    a = data.draw(footprints(tiny_catalog))
    subset = data.draw(st.lists(st.sampled_from(a.by_keys), unique=True)) if a.by_keys else []
    regrouped = a.by(*subset)
    np.testing.assert_allclose(regrouped.values.sum(axis=0), a.values.sum(axis=0), rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(regrouped.energy_kwh.sum(), a.energy_kwh.sum(), rtol=1e-9, atol=1e-6)
    assert len(regrouped.keys) == (len(a.keys[subset].drop_duplicates()) if subset else 1)
    assert regrouped.total()["total"].to_numpy() == pytest.approx(a.total()["total"].to_numpy(), rel=1e-9, abs=1e-6)


@settings_()
@given(data=st.data())
def test_row_accounting_adds_up(tiny_catalog, data):
    a = data.draw(footprints(tiny_catalog))
    b = data.draw(footprints(tiny_catalog))
    total = a + b
    assert total.quality.rows_read == a.quality.rows_read + b.quality.rows_read
    assert total.quality.rows_read == total.quality.rows_assessed + total.quality.rows_rejected
