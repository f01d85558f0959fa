"""Shared fixtures: the tiny hand-made catalog, extended per domain in a temporary copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import sobriete as sb
from sobriete import load_catalog

TINY = Path(__file__).parent / "data" / "tiny_factors"

# Hand-made network and hosting factors (round numbers, for hand-computed expectations).
NETWORK_FILES = {
    "equipment_categories.csv": "internet_box,Box,Box,network,\nserver_rack,Serveur,Server,server,\n",
    "equipment_impacts.csv": ("internet_box,gwp,manufacturing,50,kgCO2e,,,test,sourced,\n"
                              "internet_box,gwp,distribution,5,kgCO2e,,,test,sourced,\n"
                              "internet_box,gwp,end_of_life,5,kgCO2e,,,test,sourced,\n"
                              "server_rack,gwp,manufacturing,1000,kgCO2e,,,test,sourced,\n"
                              "server_rack,gwp,distribution,0,kgCO2e,,,test,sourced,\n"
                              "server_rack,gwp,end_of_life,0,kgCO2e,,,test,sourced,\n"),
    "equipment_parameters.csv": ("internet_box,lifetime,5,year,,,test,sourced,\n"
                                 "internet_box,annual_energy,100,kWh/year,,,test,sourced,\n"
                                 "server_rack,lifetime,4,year,,,test,sourced,\n"
                                 "server_rack,annual_energy,2000,kWh/year,,,test,sourced,\n"),
}
NEW_FILES = {
    "network_technologies.csv": ("technology,network,label_fr,label_en,description\n"
                                 "ftth,fixed,Fibre,Fibre,\nadsl,fixed,ADSL,ADSL,\nvdsl,fixed,VDSL,VDSL,\n"
                                 "mobile_4g,mobile,4G,4G,\ncable,fixed,Câble,Cable,\n"),
    "network_traffic.csv": ("zone,network,basis,year,criterion,value,unit,low,high,source_id,status,note\n"
                            "FR,fixed,total,2020,gwp,10,gCO2e/GB,,,test,sourced,\n"
                            "FR,fixed,total,2024,gwp,8,gCO2e/GB,,,test,sourced,\n"
                            "FR,mobile,total,2020,gwp,20,gCO2e/GB,,,test,sourced,\n"
                            "FR,fixed,marginal,2020,gwp,2,gCO2e/GB,,,test,sourced,\n"
                            "FR,mobile,marginal,2020,gwp,10,gCO2e/GB,,,test,sourced,\n"),
    "network_lines.csv": ("technology,criterion,phase,value,unit,low,high,source_id,status,note\n"
                          + "".join(f"{t},gwp,{p},{v},kgCO2e/year,,,test,sourced,\n"
                                    for t in ("ftth", "adsl", "vdsl", "cable")
                                    for p, v in (("manufacturing", 20), ("distribution", 0), ("end_of_life", 0)))
                          + "mobile_4g,gwp,manufacturing,3,kgCO2e/year,,,test,sourced,\n"
                          "mobile_4g,gwp,distribution,0,kgCO2e/year,,,test,sourced,\n"
                          "mobile_4g,gwp,end_of_life,0,kgCO2e/year,,,test,sourced,\n"
                          "mobile_4g,gwp,use,2,kgCO2e/year,,,test,sourced,\n"),
    "network_line_parameters.csv": ("technology,parameter,value,unit,low,high,source_id,status,note\n"
                                    "ftth,access_energy,10,kWh/year,,,test,sourced,\n"
                                    "adsl,access_energy,40,kWh/year,,,test,sourced,\n"
                                    "vdsl,access_energy,40,kWh/year,,,test,sourced,\n"
                                    "ftth,boxes,1,dimensionless,,,test,sourced,\n"
                                    "adsl,boxes,1,dimensionless,,,test,sourced,\n"
                                    "vdsl,boxes,1,dimensionless,,,test,sourced,\n"
                                    "cable,boxes,1,dimensionless,,,test,sourced,\n"
                                    "mobile_4g,boxes,0,dimensionless,,,test,sourced,\n"),
    "hosting.csv": ("kind,parameter,value,unit,low,high,source_id,status,note\n"
                    "colocation,pue,1.5,dimensionless,,,test,sourced,\n"
                    "cloud,pue,1.2,dimensionless,,,test,sourced,\n"),
    "hosting_spend.csv": ("kind,criterion,value,unit,low,high,source_id,status,note\n"
                          "cloud,gwp,0.5,kgCO2e/EUR,,,test,sourced,\n"),
}


@pytest.fixture(scope="session")
def network_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tiny_network")
    for path in TINY.iterdir():
        shutil.copy(path, folder / path.name)
    for name, extra in NETWORK_FILES.items():
        with open(folder / name, "a", encoding="utf-8") as handle:
            handle.write(extra)
    for name, text in NEW_FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def net_catalog(network_dir):
    """tiny_factors + hand-made network/hosting factors; FR grid 0.05 (2024), 0.1 kgCO2e/kWh (2025)."""
    return load_catalog(directory=network_dir)


@pytest.fixture(scope="session")
def tiny_catalog():
    """gwp+adpe, laptop (100/10/5 kg, 5 years, 20 kWh/yr) and monitor (50/2/3 kg, 4 years,
    50 W x 4 h/day); FR 2024 0.05, FR 2025 0.1 kgCO2e/kWh; DE 2020 0.4 kgCO2e/kWh."""
    return sb.load_catalog(directory=TINY)


@pytest.fixture(scope="session")
def catalog():
    """The bundled catalog."""
    return sb.load_catalog()
