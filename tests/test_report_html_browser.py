"""The HTML report opened in headless Chromium (Debian's ``chromium``), driven through the
DevTools protocol: no console error, no request, headings, tables and every chart present, a
screenshot that is not blank, printed on A4 with sections on their own pages, and an injection
string from an input file shown as text. Skipped when Chromium is absent (CI installs it).
"""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from sobriete.cli import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
INJECTION = "<script>alert('sobriete')</script><img src=x onerror=alert(2)>"
pytestmark = [pytest.mark.slow, pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")]
pytest.importorskip("websocket", reason="websocket-client (a test extra) drives Chromium's DevTools protocol")
#: Flags that keep a headless Chromium quiet and offline (no component updates, sync, metrics).
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
         "--disable-extensions", "--hide-scrollbars", "--remote-debugging-port=0"]


class DevTools:
    """A minimal DevTools-protocol client over one websocket (flattened sessions)."""

    def __init__(self, url: str):
        import websocket

        self.socket = websocket.create_connection(url, timeout=60, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, session: str | None = None, **params) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self.socket.send(json.dumps(message))
        while True:
            reply = json.loads(self.socket.recv())
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout_s: float = 60.0) -> dict:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for event in self.events:
                if event.get("method") == method:
                    return event
            self.events.append(json.loads(self.socket.recv()))
        raise TimeoutError(method)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-profile")
    process = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        url = None
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            line = process.stderr.readline()
            if "DevTools listening on " in line:
                url = line.split("DevTools listening on ", 1)[1].strip()
        assert url, "Chromium did not start its DevTools endpoint"
        client = DevTools(url)
        yield client
        client.socket.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The yearly report of a small inventory whose commune name is an injection string."""
    folder = tmp_path_factory.mktemp("browser")
    inventory = folder / "inventaire.csv"
    rows = [("laptop", 3, 2023, INJECTION), ("desktop", 2, 2022, "Commune A"), ("smartphone", 4, 2024, "Commune B"),
            ("laptop", 1, 2021, "Commune A")]
    inventory.write_text("category;quantity;purchase_year;entity\n" + "".join(f"{c};{q};{y};{e}\n"
                                                                             for c, q, y, e in rows), encoding="utf-8")
    result = CliRunner().invoke(main, ["assess", str(inventory), "--year", "2025", "--by", "entity", "--format",
                                       "html", "-o", str(folder / "bilan.html"), "--db", str(folder / "none.sqlite")])
    assert result.exit_code == 0, result.output
    return folder / "bilan.html"


@pytest.fixture(scope="module")
def page(browser, report):
    target = browser.call("Target.createTarget", url="about:blank")["targetId"]
    session = browser.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        browser.call(f"{domain}.enable", session)
    browser.call("Emulation.setDeviceMetricsOverride", session, width=1000, height=1400, deviceScaleFactor=1,
                 mobile=False)
    browser.call("Page.navigate", session, url=report.resolve().as_uri())
    browser.wait_for("Page.loadEventFired")
    time.sleep(0.3)  # let late console messages arrive
    state = browser.call("Runtime.evaluate", session, returnByValue=True, expression="""JSON.stringify({
        headings: [...document.querySelectorAll('section > h2')].map(h => h.textContent),
        figures: [...document.querySelectorAll('figure[role=figure]')].map(f => ({
            caption: f.querySelector('figcaption').textContent, svg: f.querySelectorAll('svg text').length,
            label: f.querySelector('[role=img]').getAttribute('aria-label')})),
        captions: [...document.querySelectorAll('table > caption')].map(c => c.textContent),
        scripts: document.querySelectorAll('script').length,
        images: document.querySelectorAll('img').length,
        cells: [...document.querySelectorAll('td')].map(c => c.textContent),
        lang: document.documentElement.lang})""")
    screenshot = browser.call("Page.captureScreenshot", session, format="png")["data"]
    pdf = browser.call("Page.printToPDF", session, paperWidth=8.27, paperHeight=11.69, preferCSSPageSize=True)["data"]
    # printed: A4 minus the page margins is about 680 CSS px wide; nothing may stick out
    browser.call("Emulation.setEmulatedMedia", session, media="print")
    browser.call("Emulation.setDeviceMetricsOverride", session, width=680, height=1000, deviceScaleFactor=1,
                 mobile=False)
    printed = browser.call("Runtime.evaluate", session, returnByValue=True, expression="""JSON.stringify([
        ...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > 681)
        .map(e => e.tagName + ': ' + e.textContent.slice(0, 40)))""")
    return {"state": json.loads(state["result"]["value"]), "printed_overflow": json.loads(printed["result"]["value"]), "events": list(browser.events),
            "screenshot": base64.b64decode(screenshot), "pdf": base64.b64decode(pdf), "url": report.resolve().as_uri()}


def test_no_console_error_and_no_exception(page):
    errors = [e for e in page["events"] if e.get("method") == "Runtime.exceptionThrown"
              or (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert"))
              or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")]
    assert errors == []


def test_no_network_request_but_the_file_itself(page):
    urls = [e["params"]["request"]["url"] for e in page["events"] if e.get("method") == "Network.requestWillBeSent"]
    assert urls and all(u == page["url"] or u.startswith("data:") for u in urls), urls


def test_main_sections_tables_and_every_chart_are_present(page):
    state = page["state"]
    assert state["lang"] == "fr"
    assert state["headings"][:5] == ["Synthèse", "Totaux par critère et par phase", "Par domaine",
                                     "Principaux contributeurs", "Par entité"]
    assert {"Qualité des données", "Méthode"} <= set(state["headings"])
    assert {"Totaux par critère et par phase", "Totaux par domaine"} <= set(state["captions"])
    assert any(c.startswith("Chaque entité") for c in state["captions"])
    captions = [f["caption"] for f in state["figures"]]
    assert captions == ["Émissions par domaine et par phase", "Contributeurs par ordre décroissant et part cumulée"]
    assert all(f["svg"] > 5 and f["label"] for f in state["figures"])  # text drawn as text, described


def test_injection_from_an_input_file_shows_as_text(page):
    state = page["state"]
    assert state["scripts"] == 0 and state["images"] == 0
    assert INJECTION in state["cells"]


def test_screenshot_is_not_blank(page):
    import matplotlib.image

    pixels = matplotlib.image.imread(io.BytesIO(page["screenshot"]), format="png")[..., :3]
    assert pixels.shape[:2] == (1400, 1000)
    ink = np.mean(pixels.mean(axis=2) < 0.9)  # share of pixels darker than near-white
    assert 0.02 < ink < 0.6 and len(np.unique(pixels.reshape(-1, 3), axis=0)) > 50


def test_prints_on_a4_with_a_page_per_section(page):
    pdf = page["pdf"]
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert pages >= len(page["state"]["headings"])
    boxes = {tuple(round(float(v)) for v in m.split()) for m in re.findall(rb"/MediaBox \[([^\]]*)\]", pdf)}
    assert boxes == {(0, 0, 595, 842)}  # A4: 210 x 297 mm = 595 x 842 pt, from the page's @page rule


def test_printed_page_is_not_wider_than_a4(page):
    assert page["printed_overflow"] == []


def test_report_script_writes_the_readme_screenshot(tmp_path):
    import runpy

    script = Path(__file__).resolve().parents[1] / "scripts" / "screenshot_report.py"
    out = tmp_path / "first-page.png"
    runpy.run_path(str(script), run_name="not_main")["main"](["--output", str(out)])
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 20_000
