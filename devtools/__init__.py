"""Development and test tooling: the call simulator (`manage.py simulate_calls`) and the local
Salesforce sandbox (`manage.py salesforce_sandbox`).

devtools may import the production apps (the simulator reads their models to report how calls
synced); production code never imports devtools, so none of this is loaded by the web process,
the workers or beat.
"""
