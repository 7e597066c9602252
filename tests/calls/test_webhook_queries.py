"""What one webhook costs in queries, per message type: each query is a round trip and ORM work
on the ingest path (docs/benchmarks.md). A change that adds one shows up here first.

Counted as the test client sees them: the test's transaction turns the webhook's transaction into
a savepoint, so each count includes a SAVEPOINT and a RELEASE where production sends BEGIN and
COMMIT. The call already exists (as it does for every message but a call's first); a call's first
message pays a second lookup and the insert of the call (in a savepoint of its own) on top.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from calls.models import Call, WebhookEvent
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db

# Message type → most queries allowed, for a call that exists. The caller's new line and the
# conversation update are scored (qualification reads its score, the transcript and score_lead's
# arguments, then writes the score); the report replaces the transcript, scores finally, sets the
# disposition, passes the caller's consent to their Lead and opens the sync job (a savepoint of its own).
BUDGET = {
    "status-update-in-progress": 6,
    "speech-update": 6,
    "transcript-final": 11,  # the caller speaks: scored
    "transcript-final-typed": 7,  # the assistant speaks: stored, not scored
    "conversation-update": 11,
    "end-of-call-report": 21,
}


def queries_of(post_vapi, name: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = post_vapi(vapi_fixture(name))
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.fixture
def known_call(post_vapi):
    """The call exists and was scored once, as after its first lines: the policy and the keywords
    are cached, as in a worker that has served a call before."""
    post_vapi(vapi_fixture("status-update-ringing"))
    earlier_line = vapi_fixture("transcript-final")
    earlier_line["message"].update(transcript="Hi, I am calling about your logistics software.", timestamp=1763564600000)
    post_vapi(earlier_line)
    return Call.objects.get()


@pytest.mark.parametrize("name", sorted(BUDGET))
def test_each_message_type_stays_within_its_query_budget(post_vapi, known_call, name):
    queries = queries_of(post_vapi, name)
    assert len(queries) <= BUDGET[name], "\n".join(queries)
    assert WebhookEvent.objects.latest("id").status == WebhookEvent.Status.PROCESSED


def test_the_event_row_is_written_once_with_its_outcome(post_vapi, known_call):
    queries = queries_of(post_vapi, "status-update-in-progress")
    event_writes = [sql for sql in queries if '"calls_webhookevent"' in sql and sql.startswith(("INSERT", "UPDATE"))]
    assert len(event_writes) == 1 and event_writes[0].startswith("INSERT")
    assert "'processed'" in event_writes[0]


def test_a_duplicate_costs_no_more_than_the_original(post_vapi, known_call):
    first = queries_of(post_vapi, "status-update-in-progress")
    again = queries_of(post_vapi, "status-update-in-progress")
    assert len(again) <= len(first)
    assert list(WebhookEvent.objects.filter(event_type="status-update").order_by("id").values_list("status", flat=True))[-2:] \
        == ["processed", "duplicate"]
