"""Replaying realistic provider traffic against a running callsync: `manage.py simulate_calls`.

scenarios: what a call sends, as data (fixture names, in order) and what it must end as;
events: the signed requests of one simulated call, built from tests/fixtures;
sender: many calls at once over a pooled HTTP client, timed per message type;
sync_check: after sending, how the calls reached Salesforce (jobs, duplicates, API requests).
"""
