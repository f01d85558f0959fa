"""The distributed path: the protocol per partition on a local Dask cluster of 2 worker processes,
against the pandas path on the same rows."""

import json
import os
import pickle
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

pytest.importorskip("distributed")

from distributed import Client, LocalCluster  # noqa: E402

from sobriete import protocol  # noqa: E402
from sobriete.cli import main  # noqa: E402
from sobriete.distributed import assess_dask, read_dataset  # noqa: E402
from sobriete.errors import SobrieteError, UnknownNameError  # noqa: E402
from sobriete.protocol import Overrides  # noqa: E402
from sobriete.synthetic import make_inventory  # noqa: E402


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        yield client


def _write(folder, frame, **kwargs):
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(folder / "part-0.parquet", index=False, **kwargs)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """Three EPCI: A (two row groups of 300 rows), B (only rejected rows), C (empty), D (the only
    one with tablets, and an unknown category on its third row)."""
    root = tmp_path_factory.mktemp("regions")
    a = make_inventory(600, seed=1, categories=["laptop", "monitor", "desktop"])
    _write(root / "epci=CA A", a, row_group_size=300)
    b = pd.DataFrame({"category": ["grille-pain", "toaster"], "quantity": [3, 1], "purchase_year": [2020, 2021],
                      "entity": ["Commune 90", "Commune 91"]})
    _write(root / "epci=CC B", b)
    _write(root / "epci=CC C", make_inventory(0))
    d = make_inventory(50, seed=2, categories=["tablet", "laptop"])
    d["category"] = d["category"].astype(object)
    d.loc[2, "category"] = "fax"
    _write(root / "epci=CC D", d)
    return root


def _sorted(fp):
    """Groups in the order of their keys as text (the pandas path orders categorical keys by
    their categories, the sum of partitions by value)."""
    order = np.lexsort([fp.keys[c].astype(str).to_numpy() for c in reversed(fp.keys.columns)]) \
        if len(fp.keys.columns) else np.arange(len(fp.keys))
    return fp.keys.iloc[order].astype(str).reset_index(drop=True), fp.values[order], fp.energy_kwh[order], \
        fp.uncovered[order]


def _pandas(ddf, year, by, **kwargs):
    frame = ddf.compute(scheduler="sync")
    return protocol.DOMAINS["equipment"].prepare(frame, None, by=by).evaluate(year, **kwargs)


def test_partitions_follow_files_and_row_groups(dataset):
    ddf = read_dataset(dataset, rows_per_partition=300)
    assert ddf.npartitions == 5  # A in two, B, C (empty), D
    parts = [ddf.get_partition(i).compute(scheduler="sync") for i in range(ddf.npartitions)]
    assert [len(p) for p in parts] == [300, 300, 2, 0, 50]
    assert parts[1].index[0] == 301 and parts[1]["_file"].iloc[0] == "epci=CA A/part-0.parquet"
    assert list(parts[4]["epci"].cat.categories) == ["CA A", "CC B", "CC C", "CC D"]
    assert set(parts[4]["epci"]) == {"CC D"}


def test_equal_to_pandas_with_rejected_empty_and_one_partition_categories(client, dataset):
    ddf = read_dataset(dataset, rows_per_partition=300)
    by = ["epci", "category"]
    fp = assess_dask(ddf, 2025, domain="equipment", by=by)
    ref = _pandas(ddf, 2025, by)
    (keys, values, energy, uncovered), (ref_keys, ref_values, ref_energy, ref_uncovered) = _sorted(fp), _sorted(ref)
    pd.testing.assert_frame_equal(keys, ref_keys)
    np.testing.assert_allclose(values, ref_values, rtol=1e-12, atol=0)
    np.testing.assert_allclose(energy, ref_energy, rtol=1e-12, atol=0)
    np.testing.assert_array_equal(uncovered, ref_uncovered)
    # Tablets exist only in D's partition, yet they are a group of the union.
    assert ("CC D", "tablet") in set(map(tuple, fp.keys.to_numpy()))
    q = fp.quality
    assert (q.rows_read, q.rows_assessed, q.rows_rejected) == (652, 649, 3)
    assert (q.rows_read, q.rows_rejected) == (ref.quality.rows_read, ref.quality.rows_rejected)
    assert q.rejected[["file", "row", "value"]].values.tolist() == [
        ["epci=CC B/part-0.parquet", 1, "grille-pain"], ["epci=CC B/part-0.parquet", 2, "toaster"],
        ["epci=CC D/part-0.parquet", 3, "fax"]]
    assert q.rejected.reset_index(drop=True).equals(ref.quality.rejected.reset_index(drop=True))
    assert set(q.warnings) == set(ref.quality.warnings)


def test_groups_add_up_to_the_total_and_double_data_doubles(client, dataset, tmp_path):
    ddf = read_dataset(dataset)
    total = assess_dask(ddf, 2025, domain="equipment")
    per_epci = assess_dask(ddf, 2025, domain="equipment", by="epci")
    np.testing.assert_allclose(per_epci.values.sum(axis=0), total.values[0], rtol=1e-12)
    assert list(per_epci.keys["epci"]) == ["CA A", "CC D"]  # B only rejected, C empty: no group
    frame = ddf.compute(scheduler="sync").drop(columns=["_file", "epci"])
    _write(tmp_path / "copy=1", frame)
    _write(tmp_path / "copy=2", frame)
    twice = assess_dask(read_dataset(tmp_path), 2025, domain="equipment")
    np.testing.assert_allclose(twice.values, 2 * total.values, rtol=1e-12)
    assert twice.quality.rows_read == 2 * total.quality.rows_read


def test_overrides_per_item_reach_every_partition(client, dataset):
    ddf = read_dataset(dataset)
    overrides = Overrides(lifetime_years={"laptop": 9}, quantity_multiplier=0.5)
    fp = assess_dask(ddf, 2024, domain="equipment", by="epci", overrides=overrides, allocation="at_purchase")
    ref = _pandas(ddf, 2024, ["epci"], overrides=overrides, allocation="at_purchase")
    np.testing.assert_allclose(fp.values, ref.values, rtol=1e-12, atol=0)


def test_per_row_overrides_and_unknown_keys_are_refused_before_computing(dataset):
    ddf = read_dataset(dataset)
    with pytest.raises(SobrieteError, match="per-row override"):
        assess_dask(ddf, 2025, domain="equipment", overrides=Overrides(quantity_multiplier=np.ones(652)))
    with pytest.raises(UnknownNameError, match="grouping column 'region'"):
        assess_dask(ddf, 2025, domain="equipment", by="region")


def test_an_error_on_a_worker_is_raised_here_as_it_was(client, dataset):
    with pytest.raises(UnknownNameError) as caught:
        assess_dask(read_dataset(dataset), 2025, domain="equipment", allocation="someday")
    assert caught.value.code == "unknown_name" and "someday" in str(caught.value)
    again = pickle.loads(pickle.dumps(caught.value))
    assert (type(again), str(again), again.code) == (type(caught.value), str(caught.value), "unknown_name")


@pytest.fixture(scope="module")
def lighting_dataset(tmp_path_factory):
    """Two EPCI of luminaires; the second row of the south's file has an unknown technology."""
    root = tmp_path_factory.mktemp("lighting")
    luminaires = pd.DataFrame({"za": ["ZA 1", "ZA 1", "ZA 2", "ZA 2"], "technology": ["led", "SHP", "led", "lampe"],
                               "lamp_power_w": [40.0, 150.0, 60.0, 70.0], "count": [10, 4, 2, 1],
                               "installation_year": [2020, 2010, 2022, 2015],
                               "latitude": [50.35, 50.35, 43.6, 43.6], "longitude": [3.45, 3.45, 1.44, 1.44]})
    _write(root / "epci=Nord", luminaires.iloc[:2])
    _write(root / "epci=Sud", luminaires.iloc[2:])
    return root


def test_lighting_runs_through_the_same_protocol(client, lighting_dataset):
    ddf = read_dataset(lighting_dataset)
    fp = assess_dask(ddf, 2025, domain="lighting", by=["epci", "za"])
    frame = ddf.compute(scheduler="sync")
    ref = protocol.DOMAINS["lighting"].prepare(frame, None, by=["epci", "za"]).evaluate(2025)
    np.testing.assert_allclose(fp.values, ref.values, rtol=1e-12, atol=0)
    np.testing.assert_allclose(fp.energy_kwh, ref.energy_kwh, rtol=1e-12)
    assert fp.quality.rejected[["file", "row"]].values.tolist() == [["epci=Sud/part-0.parquet", 2]]


def test_cli_engine_dask_on_an_existing_scheduler(client, dataset):
    args = [str(dataset), "--year", "2025", "--by", "epci", "--format", "json", "--lang", "en"]
    result = CliRunner().invoke(main, ["assess", *args, "--engine", "dask", "--scheduler",
                                       client.scheduler.address])
    assert result.exit_code == 1, result.output  # rows were rejected
    report = json.loads(result.stdout)
    ref = _pandas(read_dataset(dataset), 2025, ["epci"])
    assert {k: report["rows"][k] for k in ("read", "assessed", "rejected")} == {"read": 652, "assessed": 649, "rejected": 3}
    assert report["totals"]["gwp"]["value"] == pytest.approx(ref.total().loc["gwp", "total"], rel=1e-12)
    assert report["inputs"][0]["name"] == "epci=CA A/part-0.parquet"


def test_cli_engine_dask_reads_a_lighting_dataset_with_its_hive_key(client, lighting_dataset):
    result = CliRunner().invoke(main, ["assess", str(lighting_dataset), "--year", "2025", "--by", "epci", "--format",
                                       "json", "--engine", "dask", "--scheduler", client.scheduler.address])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert {k: report["rows"][k] for k in ("read", "assessed", "rejected")} == {"read": 4, "assessed": 3, "rejected": 1}
    rejected = [(r["file"], r["row"], r["value"]) for r in report["rejected"]["rows"]]
    assert rejected == [("epci=Sud/part-0.parquet", 2, "lampe")]
    assert "'epci'" not in json.dumps(report["warnings"])  # a hive key is no column the profile leaves unused
    fp = assess_dask(read_dataset(lighting_dataset), 2025, domain="lighting", by="epci")
    assert report["totals"]["gwp"]["value"] == pytest.approx(fp.total().loc["gwp", "total"], rel=1e-12)
    assert report["energy_kwh"] == pytest.approx(fp.energy_kwh.sum(), rel=1e-12)


def test_cli_engine_dask_starts_a_local_cluster_by_default(dataset):
    result = CliRunner().invoke(main, ["assess", str(dataset), "--year", "2025", "--by", "epci", "--engine", "dask"])
    assert result.exit_code == 1, result.output  # rows were rejected
    assert f"Dask : {os.cpu_count()} worker(s), suivi des tâches sur" in result.stderr  # one per core
    assert "Lignes lues : 652 = 649 évaluées + 3 rejetées" in result.stdout
    assert "epci=CC D/part-0.parquet" in result.stdout  # rejected rows name their file in the dataset


def test_scheduler_without_the_dask_engine_is_a_usage_error(dataset):
    result = CliRunner().invoke(main, ["assess", str(dataset), "--year", "2025", "--scheduler", "tcp://h:8786"])
    assert result.exit_code == 2
    assert "--scheduler ne sert qu'avec --engine dask" in result.output


def test_without_dask_the_package_works_and_the_engine_says_what_to_install(dataset):
    code = ("import sys; sys.modules.update(dask=None, distributed=None)  # as if not installed\n"
            "from click.testing import CliRunner; from sobriete.cli import main\n"
            f"r = CliRunner().invoke(main, ['assess', {str(dataset)!r}, '--year', '2025', '--engine', 'dask'])\n"
            "print(r.exit_code); print(r.output)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    exit_code, text = out.stdout.split("\n", 1)
    assert exit_code == "2"
    assert "le moteur Dask a besoin de Dask (dask manque) : pip install 'sobriete[dask]'" in text


@pytest.fixture(scope="module")
def traffic_dataset(tmp_path_factory):
    """The example's traffic file (French headers, TB and GB, decimal comma) as one Parquet
    partition of text cells, and the CSV itself."""
    from sobriete.io import read_raw

    csv = os.path.join(os.path.dirname(__file__), "..", "examples", "2025", "trafic.csv")
    root = tmp_path_factory.mktemp("traffic")
    _write(root / "epci=Centre", read_raw(csv).frame.astype(str).reset_index(drop=True))
    return root, csv


@pytest.mark.parametrize("model", ["combined", "per_gb"])
def test_the_network_model_reaches_the_dask_path(client, traffic_dataset, model):
    """``--network-model`` on the Dask path: the traffic footprint equals the pandas assessment's with
    the same model (per_gb counts the whole network per GB, combined only its volume part)."""
    from sobriete.assessment import assess
    from sobriete.distributed import assess_dataset

    root, csv = traffic_dataset
    result = assess_dataset(root, year=2025, client=client, network_model=model)
    reference = assess([csv], year=2025, network_model=model).footprints["traffic"]
    assert result.network_model == model
    np.testing.assert_allclose(result.footprints["traffic"].values.sum(axis=0), reference.values.sum(axis=0),
                               rtol=1e-12)


def test_cli_dask_passes_the_network_model_and_refuses_a_domain_it_leaves_out(client, traffic_dataset):
    root, csv = traffic_dataset
    totals = {}
    for model in ("combined", "per_gb"):
        result = CliRunner().invoke(main, ["assess", str(root), "--year", "2025", "--format", "json", "--engine", "dask",
                                           "--scheduler", client.scheduler.address, "--network-model", model])
        assert result.exit_code == 0, result.output
        totals[model] = json.loads(result.stdout)["totals"]["gwp"]["value"]
    assert totals["per_gb"] > totals["combined"] > 0  # the whole network per GB against its volume part only
    refused = CliRunner().invoke(main, ["assess", str(root), "--year", "2025", "--engine", "dask", "--scheduler",
                                        client.scheduler.address, "--network-model", "per_line"])
    assert refused.exit_code == 2
    assert "le modèle réseau per_line ne compte pas le domaine traffic de ce jeu de données" in refused.stderr
