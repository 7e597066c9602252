"""Precision and recall of the PII redaction over the table in tests/privacy/cases.py, per kind and overall.

    .venv/bin/python scripts/redaction_report.py            # the figures
    .venv/bin/python scripts/redaction_report.py --misses   # and every missed or wrong span

Exits 1 when either overall figure is under 0.95, the bar the tests hold it to.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from privacy.evaluation import score  # noqa: E402
from tests.privacy.cases import CASES  # noqa: E402

MINIMUM = 0.95


def main(argv: list[str]) -> int:
    result = score(case.scored() for case in CASES)
    print(f"PII redaction over {len(CASES)} cases (span level: a span counts when it is covered whole)")
    print(result.table())
    if "--misses" in argv:
        print("\n".join(result.misses) or "no misses")
    overall = result.overall
    return 0 if overall.precision >= MINIMUM and overall.recall >= MINIMUM else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
