from leads.models.lead import Lead
from leads.models.mapping import FieldMapping
from leads.models.sync import SyncAttempt, SyncJob

__all__ = ["FieldMapping", "Lead", "SyncAttempt", "SyncJob"]
