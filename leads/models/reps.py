from django.db import models


class SalesRep(models.Model):
    """A person a hot caller can be handed to. Owners are matched by their Salesforce user id;
    callers whose owner is unknown or unreachable go to the next available rep in turn."""

    name = models.CharField(max_length=120)
    email = models.EmailField(blank=True)
    phone_e164 = models.CharField("phone (E.164)", max_length=16, blank=True,
                                  help_text="The number a live transfer dials.")
    salesforce_user_id = models.CharField(max_length=18, unique=True, null=True, blank=True,
                                          help_text="The User id Salesforce shows as a Lead's OwnerId (005…).")
    takes_transfers = models.BooleanField(default=True, help_text="In the round robin for hot callers.")
    active = models.BooleanField(default=True)
    last_transfer_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["takes_transfers", "active", "last_transfer_at"], name="salesrep_rotation_idx")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.salesforce_user_id = self.salesforce_user_id or None  # blank ids must not collide as ""
        super().save(*args, **kwargs)
