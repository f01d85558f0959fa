"""Equipment engine vs Boavizta's own per-device calculation: speed and cross-check (issue #2).

What a user would pick instead of sobriete is BoaviztAPI (``boaviztapi`` from PyPI, optional
``bench`` extra, never a dependency of the package) called in-process, device by device: for
each laptop, the path its ``POST /v1/terminal/laptop`` router takes without the HTTP layer —
a ``Laptop`` DTO with its ``Usage``, ``mapper_user_terminal`` and ``compute_impacts``. The
module is skipped when ``boaviztapi`` is not installed (CI does not install the extra).

Same assumptions on both sides, for a seeded sample of laptops (10^4 by default):

* assessed duration: one year of 365 × 24 h (sobriete assesses calendar year :data:`YEAR`;
  Boavizta gets ``duration = 8760`` h);
* lifetime: each row's ``lifetime_years`` L (whole years, 3–8) → Boavizta
  ``hours_life_time = L × 8760``; every device is within its lifetime in :data:`YEAR`
  (bought in the last L years), so both allocate ``1/L`` of the embodied impacts to the year
  (sobriete ``amortised``; Boavizta ``duration / hours_life_time``);
* use phase: the same annual energy. Rows with ``power_w`` × ``hours_per_year`` → Boavizta
  ``avg_power = power_w``, ``use_time_ratio = hours_per_year / 8760``; rows with a measured
  ``energy_kwh_per_year`` → ``avg_power`` = that energy spread over the year,
  ``use_time_ratio = 1``;
* electricity: sobriete's own FR factors for :data:`YEAR` (gwp, adpe) are passed to Boavizta
  as ``elec_factors`` overrides, so its country table is not used;
* embodied: Boavizta's laptop value comes from its own data file (AGPL: not copied into our
  factors). The check does not rescale anything: Boavizta's whole-life embedded value is read
  at run time from Boavizta itself (one device computed over its full lifetime, allocation
  ratio 1) and written to a temporary user override file passed to
  ``sb.load_catalog(...)`` — the documented way a user brings their own factors — as the
  laptop's ``manufacturing`` row (``distribution`` and ``end_of_life`` set to 0, since
  Boavizta gives one embedded total). Both engines then apply their own amortisation and
  use-phase formulas to identical inputs and numbers, so any difference is a formula or
  bookkeeping difference, not a data difference.

Cross-check (asserted): per device, sobriete's per-row detail (embodied phases summed, and
use) equals Boavizta's ``embedded`` and ``use`` values for gwp and adpe to floating precision
(rel 1e-12), and the aggregated footprint equals the sum over devices. Boavizta's unrounded
``Impact.value`` is compared, not its 4-significant-figure JSON. The only data difference
left with the bundled catalog — the laptop's whole-life embodied values, ADEME's in sobriete
vs Boavizta's own — is recorded in ``extra_info`` (``laptop_gwp_embodied_kg``), not asserted.

Speed (reported, not asserted): per-row time of sobriete on the same laptops and on the
largest inventory of ``test_bench_equipment`` (10^7 rows by default) vs Boavizta per device;
target ≥ 1,000× faster per row. Figures go to ``benchmark.extra_info`` and a summary is
printed at the end of the module. Boavizta is timed generously: its inputs are prepared as
plain Python floats outside the timer, the archetype is looked up once, and only the two
compared criteria are requested.

Run: ``python -m pytest benchmarks/test_bench_boavizta.py --benchmark-only -q`` (with
``pip install -e '.[bench,test]'``); ``SOBRIETE_BOAVIZTA_ROWS`` changes the sample size.

References
----------
Boavizta, BoaviztAPI 2.5.0 (PyPI ``boaviztapi``), ``compute/impacts_computation.py``
(``simple_embedded``, ``simple_impact_use``) and ``models/impact.py`` (``Impact.allocate``).
"""

import os

import numpy as np
import pandas as pd
import pytest

import sobriete as sb
from sobriete.factors import EMBODIED_PHASES
from sobriete.synthetic import commune_names
from sobriete.units import conversion_factor

from .conftest import bench_sizes
from .test_bench_equipment import BY, YEAR, inventory

pytest.importorskip("boaviztapi")

from boaviztapi.compute.impacts_computation import compute_impacts  # noqa: E402
from boaviztapi.data.archetype import get_user_terminal_archetype  # noqa: E402
from boaviztapi.dto.device.user_terminal import Laptop, mapper_user_terminal  # noqa: E402
from boaviztapi.dto.usage.usage import ElecFactors, Usage  # noqa: E402

#: Rows in the laptop sample.
SAMPLE_ROWS = int(float(os.environ.get("SOBRIETE_BOAVIZTA_ROWS", "10000")))
#: Criteria both tools compute for a laptop (Boavizta ids = sobriete ids).
CRITERIA = ("gwp", "adpe")
#: Boavizta's phases, in the order of the per-device result columns.
BOAVIZTA_PHASES = ("embedded", "use")
#: Assessed duration: one 365-day year [h] (Boavizta's ModelUsage counts 24 × 365 h a year).
DURATION_H = 365 * 24
#: Boavizta laptop archetype (its router's default).
ARCHETYPE = "laptop-pro"
#: Relative tolerance of the cross-check: floating-point rounding only.
RTOL = 1e-12
#: Per-row figures measured in this module [µs], for the ratio and the summary.
FIGURES: dict[str, float] = {}


# --------------------------------------------------------------------------- data (untimed)
def laptop_sample(n_rows: int, *, seed: int = 7) -> pd.DataFrame:
    """Seeded canonical inventory of ``n_rows`` single laptops, all within their lifetime in
    :data:`YEAR`: lifetime 3–8 years, power 15–45 W × 800–2,500 h/year, or (1 row in 5) a
    measured annual energy [kWh/year]."""
    rng = np.random.default_rng(seed)
    lifetime = rng.integers(3, 9, n_rows)
    measured = rng.random(n_rows) < 0.2
    return pd.DataFrame({
        "category": pd.Categorical(["laptop"] * n_rows),
        "quantity": np.ones(n_rows, dtype=np.int32),
        "purchase_year": YEAR - rng.integers(0, lifetime),
        "lifetime_years": lifetime.astype(float),
        "power_w": np.where(measured, np.nan, rng.uniform(15.0, 45.0, n_rows)),
        "hours_per_year": np.where(measured, np.nan, rng.uniform(800.0, 2500.0, n_rows)),
        "energy_kwh_per_year": np.where(measured, rng.gamma(3.0, 15.0, n_rows), np.nan),
        "entity": pd.Categorical.from_codes(rng.integers(0, 46, n_rows), commune_names()),
    })


def boavizta_inputs(sample: pd.DataFrame) -> list[tuple[float, float, float]]:
    """Per device ``(avg_power [W], use_time_ratio [1], hours_life_time [h])`` carrying the
    sample's assumptions into Boavizta's terms."""
    measured = sample["energy_kwh_per_year"].notna().to_numpy()
    avg_power_w = np.where(measured, sample["energy_kwh_per_year"] * conversion_factor("kWh", "W*h") / DURATION_H,
                           sample["power_w"])
    use_ratio = np.where(measured, 1.0, sample["hours_per_year"] / DURATION_H)
    life_h = sample["lifetime_years"].to_numpy() * DURATION_H
    return list(zip(avg_power_w.tolist(), use_ratio.tolist(), life_h.tolist()))


def boavizta_per_device(inputs, elec_factors: dict[str, float], archetype: dict, duration_h: float) -> np.ndarray:
    """Boavizta's in-process per-device path, one laptop at a time.

    Returns
    -------
    ndarray, shape (devices, criteria × phases)
        Unrounded ``Impact.value`` of each criterion of :data:`CRITERIA` and phase of
        :data:`BOAVIZTA_PHASES`, in sobriete's canonical units (kgCO2e, kgSbeq).
    """
    out = np.empty((len(inputs), len(CRITERIA) * len(BOAVIZTA_PHASES)))
    factors = ElecFactors(**elec_factors)
    for i, (avg_power_w, use_ratio, life_h) in enumerate(inputs):
        dto = Laptop(usage=Usage(avg_power=avg_power_w, use_time_ratio=use_ratio, hours_life_time=life_h,
                                 elec_factors=factors))
        device = mapper_user_terminal(dto, archetype=archetype)
        compute_impacts(device, selected_criteria=list(CRITERIA), duration=duration_h)
        # a missing impact is None in Boavizta: .value then fails loudly, nothing becomes 0
        out[i] = [device.impacts[c][p].value for c in CRITERIA for p in BOAVIZTA_PHASES]
    return out


def boavizta_embedded_whole_life(archetype: dict) -> dict[str, float]:
    """Boavizta's embedded impacts of one laptop over its whole life (allocation ratio 1)."""
    life_h = 4 * DURATION_H
    device = mapper_user_terminal(Laptop(usage=Usage(hours_life_time=life_h)), archetype=archetype)
    compute_impacts(device, selected_criteria=list(CRITERIA), duration=life_h)
    return {c: device.impacts[c]["embedded"].value for c in CRITERIA}


def override_file(path, embedded: dict[str, float], units: dict[str, str]) -> None:
    """Write ``equipment_impacts.csv`` giving the laptop Boavizta's embedded values."""
    note = ("cross-check only: read at run time from boaviztapi (AGPL data, not shipped); "
            "Boavizta gives one embedded total, put in manufacturing")
    rows = []
    for criterion, value in embedded.items():
        for phase, v in (("manufacturing", value), ("distribution", 0.0), ("end_of_life", 0.0)):
            rows.append({"category": "laptop", "criterion": criterion, "phase": phase, "value": repr(float(v)),
                         "unit": units[criterion], "source_id": "boavizta-crosscheck", "status": "sourced",
                         "note": note})
    pd.DataFrame(rows).to_csv(path / "equipment_impacts.csv", index=False)
    pd.DataFrame([{"source_id": "boavizta-crosscheck", "organisation": "Boavizta",
                   "document": "boaviztapi (PyPI), laptop archetype " + ARCHETYPE, "year": YEAR,
                   "licence": "AGPL-3.0"}]).to_csv(path / "sources.csv", index=False)


@pytest.fixture(scope="module")
def archetype():
    return get_user_terminal_archetype(ARCHETYPE)


@pytest.fixture(scope="module")
def sample():
    return laptop_sample(SAMPLE_ROWS)


@pytest.fixture(scope="module")
def aligned_catalog(tmp_path_factory, archetype, catalog):
    """The bundled catalog with Boavizta's laptop embedded values as a user override."""
    path = tmp_path_factory.mktemp("boavizta_override")
    override_file(path, boavizta_embedded_whole_life(archetype), catalog.criterion_units)
    return sb.load_catalog(path / "sources.csv", path / "equipment_impacts.csv")


@pytest.fixture(scope="module")
def elec_factors(aligned_catalog):
    """sobriete's FR electricity factors for :data:`YEAR`, per criterion [unit/kWh]."""
    grid = aligned_catalog.grid(YEAR)
    fr = grid.values[aligned_catalog.zones.get_loc("FR")]
    return {c: float(fr[aligned_catalog.criteria.index(c)]) for c in CRITERIA}


@pytest.fixture(scope="module", autouse=True)
def summary(request):
    """Print the measured per-row figures once the module has run."""
    yield
    if not FIGURES:
        return
    plugins = request.config.pluginmanager
    write = plugins.getplugin("terminalreporter").write_line
    boavizta = FIGURES.get("boavizta")
    with plugins.getplugin("capturemanager").global_and_fixture_disabled():
        write("")
        write("sobriete vs Boavizta, per row (min over rounds):")
        for name, us in FIGURES.items():
            label = "Boavizta, per device" if name == "boavizta" else name
            ratio = f"  ({boavizta / us:,.0f}x faster than Boavizta)" if boavizta and name != "boavizta" else ""
            write(f"  {label:<34} {us:12.4f} µs/row{ratio}")


def _record(benchmark, name: str, n_rows: int) -> None:
    """Per-row time [µs] (min over rounds; median kept too) and, for sobriete, the speed-up."""
    stats = benchmark.stats.stats
    us = stats.min / n_rows * 1e6
    FIGURES[name] = us
    benchmark.extra_info.update(rows=n_rows, per_row_us=us, per_row_us_median=stats.median / n_rows * 1e6)
    if "boavizta" in FIGURES and name != "boavizta":
        benchmark.extra_info.update(boavizta_per_device_us=FIGURES["boavizta"],
                                    speedup_per_row=FIGURES["boavizta"] / us)


# --------------------------------------------------------------------------- benchmarks
def test_boavizta_per_device(benchmark, sample, archetype, catalog, aligned_catalog, elec_factors):
    """Boavizta device by device; then the cross-check against sobriete (untimed)."""
    inputs = boavizta_inputs(sample)
    benchmark.group = f"boavizta laptops {SAMPLE_ROWS:.0e} rows"
    got = benchmark.pedantic(boavizta_per_device, args=(inputs, elec_factors, archetype, DURATION_H),
                             rounds=3, iterations=1, warmup_rounds=1)
    _record(benchmark, "boavizta", len(sample))

    fp = sb.assess_equipment(sample, YEAR, catalog=aligned_catalog, by=BY, detail=True)
    assert fp.quality.rows_assessed == len(sample)
    rows = fp.rows.loc[sample.index]
    worst = 0.0
    for k, criterion in enumerate(CRITERIA):
        embodied = rows[[f"{criterion}_{p}" for p in EMBODIED_PHASES]].sum(axis=1).to_numpy()
        use = rows[f"{criterion}_use"].to_numpy()
        np.testing.assert_allclose(embodied, got[:, 2 * k], rtol=RTOL, err_msg=f"{criterion} embodied")
        np.testing.assert_allclose(use, got[:, 2 * k + 1], rtol=RTOL, err_msg=f"{criterion} use")
        worst = max(worst, _max_rel_diff(embodied, got[:, 2 * k]), _max_rel_diff(use, got[:, 2 * k + 1]))
        total = fp.total().loc[criterion]
        assert total["embodied"] == pytest.approx(got[:, 2 * k].sum(), rel=RTOL)
        assert total["use"] == pytest.approx(got[:, 2 * k + 1].sum(), rel=RTOL)
        assert total["complete"]
    # the sample exercises the formulas: several lifetimes and both energy inputs
    assert sample["lifetime_years"].nunique() == 6 and sample["energy_kwh_per_year"].notna().any()
    ours = catalog.table("equipment_impacts").query("category == 'laptop' and criterion == 'gwp'")["value"].sum()
    boavizta_gwp = aligned_catalog.table("equipment_impacts").query(
        "category == 'laptop' and criterion == 'gwp'")["value"].sum()
    benchmark.extra_info.update(crosscheck_max_rel_diff=worst, gwp_embedded_kg=float(got[:, 0].sum()),
                                gwp_use_kg=float(got[:, 1].sum()),
                                laptop_gwp_embodied_kg={"sobriete": float(ours), "boavizta": float(boavizta_gwp)})


def _max_rel_diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), np.finfo(float).tiny)))


def test_sobriete_same_laptops(benchmark, sample, aligned_catalog):
    """sobriete on the same laptops, same catalog, aggregated by entity and category."""
    benchmark.group = f"boavizta laptops {SAMPLE_ROWS:.0e} rows"
    fp = benchmark(sb.assess_equipment, sample, YEAR, catalog=aligned_catalog, by=BY)
    _record(benchmark, f"sobriete, same {len(sample)} laptops", len(sample))
    assert fp.quality.rows_assessed == len(sample)


@pytest.mark.parametrize("n_rows", [max(bench_sizes())])
def test_sobriete_large_inventory(benchmark, catalog, n_rows):
    """sobriete per row on the largest inventory of test_bench_equipment (10^7 by default)."""
    inv = inventory(n_rows)
    benchmark.group = f"boavizta per-row vs sobriete {n_rows:.0e} rows"
    fp = benchmark(sb.assess_equipment, inv, YEAR, catalog=catalog, by=BY)
    _record(benchmark, f"sobriete, {n_rows:.0e} mixed rows", n_rows)
    assert fp.quality.rows_assessed == n_rows
