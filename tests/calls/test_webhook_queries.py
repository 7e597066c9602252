"""What one webhook costs in queries, per message type: each query is a round trip and ORM work
(docs/benchmarks.md). A change that adds one shows up here first.

Two halves: the request (a message that needs no answer is one INSERT) and the worker's run
that applies it. Counted as the test client sees them: the test's transaction turns each
transaction into a savepoint, so a count includes a SAVEPOINT and a RELEASE where production
sends BEGIN and COMMIT. The call already exists (as it does for every message but a call's
first); a call's first message pays a second lookup and the insert of the call on top.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from calls.models import Call, WebhookEvent
from calls.tasks import apply_waiting_webhook_events
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db

# Every run of the applier, whatever it applies: the call's rows claimed in a transaction (two
# selects), each event in a savepoint with its row's update, a look at whether other events wait
# (a backlog holds the call's sync back a moment, to batch it), and two looks for more at the end
# (a transaction of one select, then a plain select).
RUN = 2 + 2 + 2 + 1 + 1 + 4
# Message type → most queries its application may add, for a call that exists. The caller's new
# line and the conversation update are scored (qualification reads its score, the transcript and
# score_lead's arguments, then writes the score); the report replaces the transcript, scores
# finally, sets the disposition, passes the caller's consent to their Lead and
# opens the sync job. Each pays the call's lock, the duplicate check and, for what is left to the
# end of the run (scoring, the sync), a savepoint. What was said is redacted as it is stored: a
# snapshot of the conversation first reads the redactions its turns already have (one select), the
# call's redacted text is written when it moved (one update), and the report redacts the call's
# tool invocations (one select).
APPLYING = {
    "status-update-in-progress": 5,
    "speech-update": 5,
    "transcript-final": 11,  # the caller speaks: scored, and the new quotes' redaction kept
    "transcript-final-typed": 6,  # the assistant speaks: stored, not scored
    "conversation-update": 12,
    "end-of-call-report": 23,
}


def captured(action) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        action()
    return [query["sql"] for query in queries.captured_queries]


@pytest.fixture
def known_call(post_vapi):
    """The call exists and was scored once, as after its first lines: the policy and the keywords
    are cached, as in a worker that has served a call before."""
    post_vapi(vapi_fixture("status-update-ringing"))
    earlier_line = vapi_fixture("transcript-final")
    earlier_line["message"].update(transcript="Hi, I am calling about your logistics software.", timestamp=1763564600000)
    post_vapi(earlier_line)
    return Call.objects.get()


@pytest.mark.parametrize("name", sorted(APPLYING))
def test_a_message_that_needs_no_answer_costs_the_request_one_insert(post_vapi, known_call, name):
    queries = captured(lambda: post_vapi(vapi_fixture(name), worker=False))
    assert len(queries) == 1 and queries[0].startswith('INSERT INTO "calls_webhookevent"'), "\n".join(queries)
    assert WebhookEvent.objects.latest("id").status == WebhookEvent.Status.RECEIVED


@pytest.mark.parametrize("name", sorted(APPLYING))
def test_applying_each_message_type_stays_within_its_query_budget(post_vapi, known_call, name):
    post_vapi(vapi_fixture(name), worker=False)
    queries = captured(apply_waiting_webhook_events)
    assert len(queries) <= RUN + APPLYING[name], "\n".join(queries)
    assert WebhookEvent.objects.latest("id").status == WebhookEvent.Status.PROCESSED


def test_a_call_s_waiting_lines_are_scored_once_for_all_of_them_as_if_one_by_one(post_vapi, known_call):
    lines = ["We have about forty thousand dollars set aside for this.", "I am the one who signs off on it.",
             "Our dispatch routing is a mess and we need it fixed.", "We want it live next month."]

    def post_lines(call_id: str, worker: bool):
        for second, line in enumerate(lines):
            message = vapi_fixture("transcript-final")
            message["message"]["call"].update(id=call_id, phoneCallProviderId=f"CA-{call_id}")
            message["message"].update(transcript=line, timestamp=1763564610000 + second * 1000)
            post_vapi(message, worker=worker)

    post_lines("one-by-one", worker=True)
    post_lines("together", worker=False)
    queries = captured(apply_waiting_webhook_events)

    assert len([sql for sql in queries if sql.startswith('UPDATE "leads_qualification"')]) <= 1
    assert not WebhookEvent.objects.filter(event_type="transcript").exclude(status="processed").exists()
    one_by_one, together = (Call.objects.get(vapi_call_id=name).qualification for name in ("one-by-one", "together"))
    assert one_by_one.score is not None and one_by_one.evidence_count >= 2
    assert (together.score, together.status, together.evidence_count, together.dimensions) == (
        one_by_one.score, one_by_one.status, one_by_one.evidence_count, one_by_one.dimensions)


def test_a_duplicate_costs_no_more_than_the_original(post_vapi, known_call):
    post_vapi(vapi_fixture("status-update-in-progress"), worker=False)
    first = captured(apply_waiting_webhook_events)
    post_vapi(vapi_fixture("status-update-in-progress"), worker=False)
    again = captured(apply_waiting_webhook_events)
    assert len(again) <= len(first)
    assert list(WebhookEvent.objects.filter(event_type="status-update").order_by("id").values_list("status", flat=True))[-2:] \
        == ["processed", "duplicate"]
