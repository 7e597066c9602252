"""Privacy: redaction, encryption keys, retention and erasure of what callers said and who they are.

The package spans two layers, because calls' and leads' models need its lower half and its
upper half works on those models:

- Below every app, needing no app's models: the redaction engine (redaction, detectors,
  spoken, checks, dates, evaluation), the redactors the apps use (services), and encryption
  at rest with its keys (encryption) and model fields (fields). calls and leads declare
  their encrypted columns with privacy.fields, so these modules cannot import calls or
  leads without a cycle. (They read phone numbers with calls.phones, a leaf module that
  imports nothing of callsync.)
- Above calls and leads, the operations on their rows: scrubbing what was said (scrubbing),
  retention windows (retention), "forget this person" (erasure) and its Salesforce clean-up
  (salesforce_cleanup), the beat and worker tasks (tasks), the admin action (admin) and the
  commands (management/commands: forget_caller, purge_expired, reencrypt, reredact).
  Nothing in calls, leads, audit, accounts, observability or integrations imports them.

`.importlinter` holds both rules as contracts, checked by tests/test_import_contracts.py.
"""
