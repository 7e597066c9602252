"""The two roles people get, as Django groups, and what each may do.

The latest roles migration (accounts/migrations/0003_crm_permissions.py) sets the groups
from a literal copy of these lists (a migration must not import code that changes later); a test
keeps the two in step. A change of role permissions therefore needs a new data migration as well
as an edit here.
Superusers need no group: they may do everything.
"""

from __future__ import annotations

MANAGERS = "Managers"
SALES_OPS = "Sales ops"

# What `createuser --role` accepts, and the group each name means.
ROLE_GROUPS = {"manager": MANAGERS, "salesops": SALES_OPS}

# Managers read calls, leads and dashboards and change nothing; the Salesforce mapping is not
# theirs to see (the issue: "a manager is refused the mapping page").
MANAGER_PERMISSIONS: tuple[str, ...] = (
    "calls.view_call",
    "calls.view_transcriptsegment",
    "calls.view_toolinvocation",
    "calls.view_recording",
    "calls.view_webhookevent",
    "calls.view_dispositionchange",
    "leads.view_lead",
    "leads.view_qualification",
    "leads.view_qualificationpolicy",
    "leads.view_qualificationcriterion",
    "leads.view_dispositionrule",
    "leads.view_intentrule",
    "leads.view_salesrep",
    "crm.view_syncjob",
    "crm.view_syncattempt",
)

# Sales ops also tune the mapping, the qualification policy, the disposition table and the reps,
# replay dead letters (change on SyncJob) and start qualification calls.
_SALES_OPS_EDITS = tuple(
    f"{app_label}.{action}_{model}"
    for app_label, model in (("crm", "fieldmapping"), ("leads", "qualificationpolicy"),
                             ("leads", "qualificationcriterion"), ("leads", "dispositionrule"),
                             ("leads", "intentrule"), ("leads", "salesrep"))
    for action in ("add", "change", "delete")
)
SALES_OPS_PERMISSIONS: tuple[str, ...] = MANAGER_PERMISSIONS + ("crm.view_fieldmapping",) + _SALES_OPS_EDITS + (
    "crm.change_syncjob",
    "leads.start_qualification_call",
    # Unlocking a login that django-axes locked: deleting its access attempts.
    "axes.view_accessattempt",
    "axes.delete_accessattempt",
)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {MANAGERS: MANAGER_PERMISSIONS, SALES_OPS: SALES_OPS_PERMISSIONS}
