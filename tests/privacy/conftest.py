import pytest

from tests.leads.conftest import warm_describe  # the sync tests' cached describes, shared rather than copied

__all__ = ["warm_describe"]

REPORT = pytest.StashKey[list[str]]()


@pytest.fixture
def report_to_terminal(request):
    """Lines a test wants in the terminal summary of the run, whether or not output is captured."""
    lines = request.config.stash.setdefault(REPORT, [])
    return lines.append


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    lines = config.stash.get(REPORT, [])
    if lines:
        terminalreporter.section(
            "PII redaction: precision and recall (the engine's table, the public one, and the fresh one)")
        for line in lines:
            terminalreporter.write_line(line)
