from django.db import models

from calls.models import Call


class Lead(models.Model):
    """Local mirror of a Salesforce Lead: answers in-call look-ups without a Salesforce round trip."""

    salesforce_id = models.CharField(max_length=18, unique=True, null=True, blank=True)
    phone_e164 = models.CharField("phone (E.164)", max_length=16, blank=True, db_index=True)
    first_name = models.CharField(max_length=80, blank=True)
    last_name = models.CharField(max_length=80, blank=True)
    company = models.CharField(max_length=255, blank=True)
    email = models.EmailField(blank=True)
    owner_name = models.CharField(max_length=120, blank=True)
    owner_salesforce_id = models.CharField(max_length=18, blank=True, help_text="Salesforce OwnerId (a User or a queue).")
    status = models.CharField(max_length=40, blank=True, db_index=True, help_text="Salesforce Lead Status.")
    do_not_call = models.BooleanField(default=False, help_text="Salesforce DoNotCall: never dialled.")
    consent = models.CharField(max_length=16, choices=Call.Consent.choices, default=Call.Consent.UNKNOWN,
                               help_text="Consent to be called by the AI assistant.")
    last_contacted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        permissions = [("start_qualification_call", "Can start an outbound qualification call")]

    def __str__(self):
        return self.full_name or self.phone_e164 or f"Lead {self.pk}"

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)
