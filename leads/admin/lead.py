from django import forms
from django.contrib import admin

from calls.phones import to_e164
from leads.models import Lead


class LeadForm(forms.ModelForm):
    class Meta:
        model = Lead
        fields = "__all__"

    def clean_phone_e164(self):
        raw = self.cleaned_data["phone_e164"]
        if not raw:
            return raw
        number = to_e164(raw)
        if not number:
            raise forms.ValidationError("Not a phone number. Write it with its country code, like +1 415 555 0100.")
        return number


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    form = LeadForm
    list_display = ("__str__", "company", "phone_e164", "owner_name", "salesforce_id", "updated_at")
    search_fields = ("phone_e164", "last_name", "company", "=salesforce_id", "email")
    show_full_result_count = False
