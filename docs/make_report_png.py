"""Make docs/report.png: the report of the README's first ``package`` example, in Chromium.

    .venv/bin/python docs/make_report_png.py            # builds build/paris as the README does
    .venv/bin/python docs/make_report_png.py DIR        # or pictures a package already built

The PNG records the sha256 of the report.html it pictures (a ``screenkit:report-sha256``
text chunk), so tests/test_readme.py can tell when the README's picture is older than
the report the README's own command makes.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "report.png"
KEY = "screenkit:report-sha256"
WIDTH, HEIGHT = 1280, 1500


def recorded_report_sha256(png: Path = TARGET) -> str | None:
    """The sha256 of the report.html a screenshot was made from (None: not recorded)."""
    from PIL import Image

    with Image.open(png) as image:
        value = image.info.get(KEY)
    return value if isinstance(value, str) else None


def picture(package: Path, target: Path = TARGET) -> str:
    """Screenshot ``package``/report.html into ``target`` with the report's sha256 recorded."""
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    from toolkit.report.browser import screenshot

    report = package / "report.html"
    digest = hashlib.sha256(report.read_bytes()).hexdigest()
    with tempfile.TemporaryDirectory(prefix="report-png-") as scratch:
        raw = screenshot(report, Path(scratch) / "raw.png", width=WIDTH, height=HEIGHT)
        info = PngInfo()
        info.add_text(KEY, digest)
        with Image.open(raw) as image:
            partial = target.with_name(target.name + ".part")
            image.save(partial, format="PNG", pnginfo=info, optimize=True)
        partial.replace(target)
    return digest


def main(argv: list[str]) -> int:
    if len(argv) > 2:
        print("usage: make_report_png.py [PACKAGE_DIR]", file=sys.stderr)
        return 2
    if len(argv) == 2:
        package = Path(argv[1])
        return _report(picture(package))
    # The README's own command, as the README runs it (the same relative paths).
    subprocess.run(
        [str(ROOT / "bin" / "screenkit"), "-q", "package", "samples/paris-showcase/manifest.yaml", "--out", "build/paris"],
        cwd=ROOT, check=True,
    )
    return _report(picture(ROOT / "build" / "paris"))


def _report(digest: str) -> int:
    print(f"{TARGET.relative_to(ROOT)}: report.html {digest[:12]}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv))
