from crm.models.mapping import FieldMapping
from crm.models.sync import SyncAttempt, SyncJob

__all__ = ["FieldMapping", "SyncAttempt", "SyncJob"]
