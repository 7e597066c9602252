"""Hypothesis profiles for the fuzz tests: HYPOTHESIS_PROFILE=ci (the default, a few hundred
examples per test, about a minute in all) or thorough (thousands per test)."""

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings

# Hypothesis caches character tables on disk: in the temporary directory, not in the working tree.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(Path(tempfile.gettempdir()) / "callsync-hypothesis"))

_COMMON = {
    "deadline": None,  # a request's time varies with the machine; speed is not what is tested here
    "database": None,  # nothing written into the working tree; failures print their payload
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large,
                              HealthCheck.filter_too_much],
    "print_blob": True,
}
settings.register_profile("ci", max_examples=300, **_COMMON)
settings.register_profile("thorough", max_examples=5000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
