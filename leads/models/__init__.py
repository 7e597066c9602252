from leads.models.lead import Lead

__all__ = ["Lead"]
