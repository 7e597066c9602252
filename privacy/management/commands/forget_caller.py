import getpass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from calls.phones import to_e164
from privacy.erasure import forget_caller


class Command(BaseCommand):
    help = ("Forget a caller: remove or scrub everything callsync holds for a phone number, record who asked, "
            "and (CALLSYNC_FORGET_IN_SALESFORCE) queue the clean-up of what was said in Salesforce.")

    def add_arguments(self, parser):
        parser.add_argument("phone", help="The caller's number, e.g. +14155550123.")
        parser.add_argument("--requested-by", default="", help="Who asked (kept in the audit log).")

    def handle(self, *args, phone, requested_by="", **options):
        number = to_e164(phone)
        if not number:
            raise CommandError(f"'{phone}' is not a phone number; write it with its country code (+1 415 555 0123).")
        operator = requested_by or getpass.getuser()
        forgotten = forget_caller(phone=number, operator=f"manage.py forget_caller ({operator})")
        self.stdout.write(f"Forgot {number[:-4]}****: {forgotten.calls} call(s) scrubbed, {forgotten.leads} lead(s) "
                          f"deleted, {forgotten.webhook_events} raw webhook(s) cleared; elsewhere, "
                          f"{forgotten.tool_invocations} tool call(s) that named them erased and "
                          f"{forgotten.audit_entries} audit entry(ies) given the number's fingerprint.")
        in_salesforce = len(forgotten.salesforce_lead_ids) + len(forgotten.salesforce_call_ids)
        if in_salesforce and settings.CALLSYNC_FORGET_IN_SALESFORCE == "clear-transcripts":
            self.stdout.write(f"Queued the clean-up of {len(forgotten.salesforce_lead_ids)} Lead(s) and the records "
                              f"of {len(forgotten.salesforce_call_ids)} call(s) in Salesforce.")
        elif in_salesforce:
            self.stdout.write("Salesforce was left as it is (CALLSYNC_FORGET_IN_SALESFORCE=none).")
