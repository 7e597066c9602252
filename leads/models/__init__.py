from leads.models.lead import Lead
from leads.models.mapping import FieldMapping
from leads.models.qualification import (
    Dimension,
    DispositionRule,
    Intent,
    IntentRule,
    Qualification,
    QualificationCriterion,
    QualificationPolicy,
    QualificationStatus,
)
from leads.models.reps import SalesRep
from leads.models.sync import SyncAttempt, SyncJob

__all__ = [
    "Dimension", "DispositionRule", "FieldMapping", "Intent", "IntentRule", "Lead", "Qualification",
    "QualificationCriterion", "QualificationPolicy", "QualificationStatus", "SalesRep", "SyncAttempt", "SyncJob",
]
