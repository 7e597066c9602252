import json

from django.contrib import admin
from django.utils.html import format_html

from audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Superusers only, and read-only: an audit log nobody can edit."""

    list_display = ("at", "actor_name", "action", "target", "remote_addr")
    list_filter = ("action",)
    search_fields = ("actor_name", "target")
    date_hierarchy = "at"
    show_full_result_count = False
    fields = ("at", "actor_name", "action", "target", "remote_addr", "details_pretty")
    readonly_fields = fields

    @admin.display(description="details")
    def details_pretty(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.details, indent=2, sort_keys=True, default=str))

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedChangesMixin:
    """For ModelAdmins whose changes matter to an auditor: every add, change and delete the admin
    logs is also an AuditEntry (with Django's own description of what changed)."""

    audit_action: str = ""

    def _audit(self, request, obj, what: str, message) -> None:
        from audit.services import record

        record(action=self.audit_action, request=request, target=f"{obj._meta.verbose_name} {obj.pk}: {obj}"[:255],
               what=what, change=message if isinstance(message, (list, str)) else str(message))

    def log_addition(self, request, obj, message):
        self._audit(request, obj, "added", message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._audit(request, obj, "changed", message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit(request, obj, "deleted", "")
        return super().log_deletions(request, queryset)
