""""Forget this person" as an action on the Lead admin.

Erasure sits above leads (it deletes Leads and scrubs their calls), so leads' admin cannot
import it without the two apps importing each other. Privacy extends the Lead admin
instead, the way apps extend Django's User admin: unregister, subclass, register again.
Importing leads.admin first registers leads' own admin, whatever order the apps load in."""

from django.contrib import admin, messages

from leads.admin.lead import LeadAdmin
from leads.models import Lead
from privacy.erasure import forget_caller

admin.site.unregister(Lead)


@admin.register(Lead)
class ForgettableLeadAdmin(LeadAdmin):
    actions = [*LeadAdmin.actions, "forget_these_people"]

    @admin.action(description="Forget this person (erase everything held for their phone number)",
                  permissions=["delete"])
    def forget_these_people(self, request, queryset):
        """GDPR/CCPA erasure: the same service as `manage.py forget_caller`, audited with who asked."""
        phones = sorted({lead.phone_e164 for lead in queryset if lead.phone_e164})
        without_phone = queryset.filter(phone_e164="")
        for phone in phones:
            forget_caller(phone=phone, actor=request.user, request=request)
        forgotten = without_phone.count()
        without_phone.delete()  # nothing else is held for a lead without a number
        self.message_user(request, f"Forgot {len(phones)} phone number(s) and everything held for them"
                                   + (f", and {forgotten} lead(s) without a number" if forgotten else "")
                                   + ". The audit log records your request.", messages.SUCCESS)
