"""Screenshot of the first page of the example authority's yearly report, for the README.

Builds ``sobriete assess examples/2025/ --year 2025 --by entity --format html`` into a
temporary folder and photographs its first screen (A4 width at 96 dpi) with headless Chromium
(Debian's ``chromium``)::

    python scripts/screenshot_report.py                 # writes docs/report-first-page.png
    python scripts/screenshot_report.py --output x.png
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: A4 width (210 mm) at 96 dpi, and the height of one page at that width.
WIDTH_PX, HEIGHT_PX = 794, 1123
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "report-first-page.png")
    parser.add_argument("--lang", default="fr", choices=("fr", "en"))
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium is not installed (Debian: apt-get install chromium)")
    from click.testing import CliRunner

    from sobriete.cli import main as sobriete

    with tempfile.TemporaryDirectory() as folder:
        html = Path(folder) / "bilan.html"
        result = CliRunner().invoke(sobriete, ["assess", str(ROOT / "examples" / "2025"), "--year", "2025", "--by",
                                               "entity", "--format", "html", "-o", str(html), "--lang", args.lang,
                                               "--db", str(Path(folder) / "none.sqlite")])
        if not html.is_file():
            raise SystemExit(f"the report was not written: {result.output}")
        args.output.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([chromium, *FLAGS, f"--user-data-dir={Path(folder) / 'profile'}",
                        f"--window-size={WIDTH_PX},{HEIGHT_PX}", f"--screenshot={args.output.resolve()}",
                        html.as_uri()], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    return args.output


if __name__ == "__main__":
    print(main(sys.argv[1:]))
