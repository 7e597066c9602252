"""The import-linter contracts in .importlinter hold: layers point down (see privacy/__init__.py)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contracts_are_kept():
    # A process of its own: lint-imports reconfigures logging (dictConfig), which would silence
    # the loggers later tests read. --no-cache: the suite writes nothing into the working tree.
    run = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
                          "lint_imports_command()", "--config", str(ROOT / ".importlinter"), "--no-cache"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
