from leads.models.lead import Lead
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

__all__ = [
    "Dimension", "DispositionRule", "Intent", "IntentRule", "Lead", "Qualification",
    "QualificationCriterion", "QualificationPolicy", "QualificationStatus", "SalesRep",
]
