#!/usr/bin/env python3
"""Photograph the main pages into docs/screenshots/ (1280x800 PNGs) for the README.

Runs tests/browser/test_screenshots.py, which seeds realistic calls, a dead letter and a draft
policy, then drives Debian's Chromium through the admin and the manager pages. It needs what
`make test` needs: PostgreSQL, Redis and /usr/bin/chromium (scripts/test-services.sh sees to them).

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [pytest options]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="where the PNGs go")
    options, pytest_args = parser.parse_known_args()
    subprocess.run([str(ROOT / "scripts" / "test-services.sh")], check=True)
    environment = {**os.environ, "BROWSER_SCREENSHOTS_DIR": str(options.out.resolve())}
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "tests/browser/test_screenshots.py",
               *pytest_args]
    result = subprocess.run(command, cwd=ROOT, env=environment)
    if result.returncode == 0:
        for picture in sorted(options.out.glob("*.png")):
            print(f"{picture.relative_to(ROOT) if picture.is_relative_to(ROOT) else picture}  "
                  f"{picture.stat().st_size // 1024} KB")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
