from django.core.exceptions import ValidationError
from django.db import models

from integrations.salesforce import mapping as engine


class FieldMapping(models.Model):
    """One Salesforce field and where its value comes from in the canonical call document.

    Sales ops edit these in the admin; `as_rule()` hands them to the mapping engine.
    """

    class TargetObject(models.TextChoices):
        LEAD = "Lead", "Lead"
        TASK = "Task", "Task (the call's activity, upserted by its external id)"
        CASE = "Case", "Case (support calls only)"

    class Transform(models.TextChoices):
        NONE = engine.NONE, "None: send as is"
        PHONE_E164 = engine.PHONE_E164, "Phone number in E.164"
        ISO_DATETIME = engine.ISO_DATETIME, "Date/time in ISO 8601, UTC"
        PICKLIST = engine.PICKLIST, "Picklist: map call values to Salesforce values"
        TRUNCATE = engine.TRUNCATE, "Text truncated to a limit, with a marker"
        BOOLEAN = engine.BOOLEAN, "Checkbox: true or false"
        NUMBER = engine.NUMBER, "Number"
        EMAIL = engine.EMAIL, "Email address (left out when malformed)"

    class Privacy(models.TextChoices):
        REDACTED = engine.REDACTED, "Redacted: cards, SSNs, emails, other phone numbers, IBANs, birth dates replaced"
        RAW = engine.RAW, "Raw: sent as it is"
        NEVER = engine.NEVER, "Never sent"

    target_object = models.CharField(max_length=16, choices=TargetObject.choices)
    target_field = models.CharField(
        "target field (API name)", max_length=80, help_text="Salesforce API name, e.g. LastName or Intent__c."
    )
    source = models.CharField(
        max_length=200,
        help_text="Dotted path into the call document (caller.last_name, analysis.structuredData.budget) or "
        "const:<value> for a constant. Every path is listed in docs/mapping.md.",
    )
    transform = models.CharField(max_length=16, choices=Transform.choices, default=Transform.NONE)
    options = models.JSONField(
        default=dict,
        blank=True,
        help_text='For the transform: picklist {"map": {"hot": "Hot"}, "default": "Cold"}; truncate {"limit": 255}; '
        'number {"decimals": 0}; iso_datetime {"date_only": true}; phone_e164 {"region": "GB"}.',
    )
    required = models.BooleanField(default=False, help_text="Salesforce refuses a new record without it.")
    placeholder = models.CharField(
        max_length=255, blank=True, help_text="Sent on create when the field is required and the call has no value."
    )
    upsert_key = models.BooleanField(
        "upsert key", default=False, help_text="This field is the object's external id: one per Task or Case, none on Lead."
    )
    create_only = models.BooleanField(
        default=False, help_text="Sent when the record is created, never on update (e.g. Task.TaskSubtype)."
    )
    privacy = models.CharField(
        max_length=8, choices=Privacy.choices, blank=True,
        help_text="What leaves callsync. Blank: redacted for transcripts, summaries and structured data, raw "
        "for everything else.",
    )
    enabled = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0, help_text="Order within the object's payload.")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "leads_fieldmapping"  # its table from before it moved to crm (crm/migrations/0001_initial.py)
        ordering = ["target_object", "position", "id"]
        verbose_name = "field mapping"

    def __str__(self):
        return f"{self.target_object}.{self.target_field} ← {self.source}"

    def as_rule(self) -> engine.MappingRule:
        return engine.MappingRule(
            target_object=self.target_object,
            target_field=self.target_field,
            source=self.source,
            transform=self.transform,
            options=self.options if isinstance(self.options, dict) else {},
            required=self.required,
            placeholder=self.placeholder,
            upsert_key=self.upsert_key,
            create_only=self.create_only,
            enabled=self.enabled,
            position=self.position,
            notes=self.notes,
            privacy=self.privacy or engine.default_privacy(self.source),
        )

    def save(self, *args, **kwargs):
        if not self.privacy:
            self.privacy = engine.default_privacy(self.source.strip())
        super().save(*args, **kwargs)

    def clean(self):
        self.target_field = self.target_field.strip()
        self.source = self.source.strip()
        errors = engine.rule_errors(self.as_rule(), known_paths=engine.DOCUMENT_PATHS,
                                    open_paths=engine.OPEN_PATHS)
        if not isinstance(self.options, dict):
            errors.setdefault("options", []).append("Options must be a JSON object, e.g. {} or {\"limit\": 255}.")
        if self.enabled:
            for name, message in self._conflicts():
                errors.setdefault(name, []).append(message)
        if errors:
            raise ValidationError(errors)

    def _conflicts(self) -> list[tuple[str, str]]:
        """Clashes with the other enabled rows of the same object."""
        others = FieldMapping.objects.filter(target_object=self.target_object, enabled=True).exclude(pk=self.pk)
        conflicts = []
        if self.target_field and others.filter(target_field__iexact=self.target_field).exists():
            conflicts.append(("target_field", f"{self.target_object}.{self.target_field} is already mapped by another "
                                              "enabled row: disable one of them."))
        if self.upsert_key and others.filter(upsert_key=True).exists():
            conflicts.append(("upsert_key", f"{self.target_object} already has an enabled upsert key: one is allowed."))
        return conflicts
