from django import forms
from django.contrib import admin, messages

from leads.admin.phone import e164_or_error
from leads.models import Lead
from leads.services.outbound import (
    CallingUnavailable,
    LeadNotCallable,
    ensure_vapi_configured,
    start_qualification_call,
)

# Each call waits on Vapi inside the request: larger campaigns belong to `manage.py qualify_leads`.
MAX_CALLS_PER_ACTION = 25


class LeadForm(forms.ModelForm):
    class Meta:
        model = Lead
        fields = "__all__"

    def clean_phone_e164(self):
        return e164_or_error(self.cleaned_data["phone_e164"])


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    form = LeadForm
    list_display = ("__str__", "company", "phone_e164", "status", "consent", "do_not_call", "owner_name",
                    "owner_salesforce_id", "salesforce_id", "updated_at")
    list_filter = ("status", "consent", "do_not_call", "owner_salesforce_id")
    search_fields = ("phone_e164", "last_name", "company", "=salesforce_id", "=owner_salesforce_id", "email")
    show_full_result_count = False
    actions = ["start_qualification_calls"]  # privacy/admin.py adds "Forget this person"

    def has_start_qualification_call_permission(self, request) -> bool:
        return request.user.has_perm("leads.start_qualification_call")

    @admin.action(description="Start an AI qualification call", permissions=["start_qualification_call"])
    def start_qualification_calls(self, request, queryset):
        leads = list(queryset[:MAX_CALLS_PER_ACTION + 1])
        if len(leads) > MAX_CALLS_PER_ACTION:
            self.message_user(request, f"Select at most {MAX_CALLS_PER_ACTION} leads, or run "
                                       f"`python manage.py qualify_leads` for a campaign.", messages.ERROR)
            return
        try:
            ensure_vapi_configured()
        except CallingUnavailable as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        started = [lead for lead in leads if self._start_call(request, lead)]
        if started:
            self.message_user(request, f"Started {len(started)} AI qualification call(s): "
                                       f"{', '.join(map(str, started))}.", messages.SUCCESS)

    def _start_call(self, request, lead: Lead) -> bool:
        try:
            start_qualification_call(lead=lead, requested_by=request.user)
        except LeadNotCallable as exc:
            self.message_user(request, f"{lead} was not called: {exc.message}", messages.WARNING)
        except CallingUnavailable as exc:
            self.message_user(request, f"{lead} was not called: {exc.message}", messages.ERROR)
        else:
            return True
        return False
