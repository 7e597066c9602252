"""Redaction of adversarial text: seconds per megabyte, and the ratio to a plain `re.sub` over the same text.

    .venv/bin/python bench/redaction.py            # 1 MB of each kind of input
    .venv/bin/python bench/redaction.py --size 250000

Each kind is a worst case for some part of the engine: long runs of written, spaced and spoken digits
(card windows, spoken-number reading), near-miss card numbers (Luhn on every window), dotted digits
(the e-mail patterns), repeated cue words (dates of birth, SSNs, CVVs), long runs of separators, and
distinct phone numbers (phonenumbers' parsing). Figures are printed, never asserted; the deterministic
guard against quadratic work is tests/privacy/test_redaction_linear.py.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from privacy.redaction import redact  # noqa: E402
from tests.privacy.adversarial import KINDS  # noqa: E402

CALLER = "+14155550123"


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="characters of each kind (default 1 MB)")
    args = parser.parse_args(argv)
    print(f"Redaction of {args.size:,} characters of each kind (baseline: re.sub of every digit, same text)")
    print(f"{'input':<32}{'redact s':>10}{'baseline s':>12}{'ratio':>9}{'redacted':>10}")
    slowest = 0.0
    for name, make in KINDS.items():
        text = make(args.size)
        baseline = timed(lambda: re.sub(r"\d", "#", text))
        result = None

        def run():
            nonlocal result
            result = redact(text, keep_phones=(CALLER,))

        seconds = timed(run)
        slowest = max(slowest, seconds)
        print(f"{name:<32}{seconds:>10.3f}{baseline:>12.4f}{seconds / baseline:>9.0f}x"
              f"{sum(result.counts.values()):>10}")
    print(f"slowest: {slowest:.3f} s per {args.size:,} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
