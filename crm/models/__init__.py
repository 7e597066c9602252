from crm.models.mapping import FieldMapping
from crm.models.sync import SyncAttempt, SyncJob
from crm.models.synced import ROLES, Role, RoleFacts, SyncedRecord

__all__ = ["FieldMapping", "ROLES", "Role", "RoleFacts", "SyncAttempt", "SyncJob", "SyncedRecord"]
