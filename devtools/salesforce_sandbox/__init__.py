"""A local Salesforce org over HTTPS, for development, demos and tests.

It answers the REST subset callsync uses (OAuth token endpoint, sObject CRUD and
upsert by external id, a SOQL subset, sObject Collections, Composite, platform
events, limits) with Salesforce's status codes and error bodies, keeps a daily API
budget, and can be told to fail in the ways a real org does (see faults.py).

    from devtools.salesforce_sandbox import SalesforceSandbox
    sandbox = SalesforceSandbox().start()

Or from a shell: python manage.py salesforce_sandbox
"""

from .service import SalesforceSandbox

__all__ = ["SalesforceSandbox"]
