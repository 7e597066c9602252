"""The first qualification policy (active, version 1), its criteria, the intent keywords and the
disposition table: every row can be changed in the admin (a policy through a new draft).

Written out here, not imported from the app: a migration must seed the same rows whatever
the code looks like later. Patterns are regular expressions, one per line, matched without case.
"""

from django.db import migrations
from django.utils import timezone

BUDGET = {
    "questions": [
        r"\bbudget",
        r"\bhow much (are you|were you|would you be|do you) (looking|planning|expecting|willing|able) to "
        r"(spend|invest)",
        r"\bmoney (set aside|allocated|earmarked)",
        r"\bfund(ed|ing)\b",
    ],
    "positive": [
        r"\$\s?\d",
        r"\b\d[\d,.]*\s?(k|grand|thousand|million|dollars|bucks|euros|pounds)\b",
        r"\b(ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)"
        r"([- ](one|two|three|four|five|six|seven|eight|nine))?[- ](thousand|grand|k)\b",
        r"\b(thousand|million) (dollars|bucks|euros|pounds)\b",
        r"\b(a|one|two|three|four|five|half a) million\b",
        r"\bbudget(ed)? (is |was |has been |got |just got )?(approved|allocated|signed off|set aside|in place|"
        r"earmarked|secured)",
        r"\b(approved|allocated|secured|earmarked) (a |the |some )?(budget|funds|funding|money)\b",
        r"\b(set aside|allocated|earmarked)\b",
    ],
    "negative": [
        r"\bno (real |set |allocated |approved |extra |spare )?(budget|money|funds|funding)\b",
        r"\b(don'?t|do not|doesn'?t|does not|didn'?t) have (a |the |any )?(real )?(budget|money|funds|funding)\b",
        r"\bhaven'?t (got |set aside |allocated )?(a |the |any )?(budget|money|funds)\b",
        r"\b(haven'?t|have not|hasn'?t|has not|not) (yet )?(set aside|allocated|earmarked|approved|secured)\b",
        r"\bbudget (is |was |has been |got )?(frozen|cut|gone|spent|on hold|not approved|used up)\b",
        r"\bbudget (isn'?t|is not|wasn'?t|was not) (approved|allocated|there|available)\b",
        r"\b(can'?t|cannot|couldn'?t) afford\b",
        r"\b(too expensive|out of (our|my) (price range|budget)|not (in|within) (the|our|my) budget)\b",
    ],
}
AUTHORITY = {
    "questions": [
        r"\b(are|would) you (be )?the (one|person|decision[- ]?maker)",
        r"\bdecision[- ]?maker",
        r"\bsign(s|ing)? off\b",
        r"\b(do|would|will|can) you (make|approve|have) the (final )?(call|decision|say)",
        r"\bwho (makes|would make|signs|approves|decides)",
    ],
    "positive": [
        r"\bi(?:'m| am) (the |a |an |one of the )?(owner|co-?owner|founder|co-?founder|ceo|cfo|coo|cto|cio|president|"
        r"vp|vice president|head|director|managing director|general manager|decision[- ]?maker|partner|principal)\b",
        r"\bi (make|own|have) the (final )?(call|decision|say)\b",
        r"\bi(?:'ll| will)? sign(s)? off\b",
        r"\bi (decide|approve)\b",
        r"\b(it'?s|it is) (my|our) (call|decision)\b",
        r"\b(the )?(final|last) (say|sign[- ]off|decision) is mine\b",
        r"\b(just|only) me\b",
        r"\b(no ?one|nobody) else\b",
    ],
    "negative": [
        r"\bnot (the|a|the final|the only) decision[- ]?maker\b",
        r"\b(check|talk|speak|clear it|consult) with (my|our|the) (boss|manager|director|ceo|cfo|owner|partners?|board|"
        r"team|supervisor|head|vp|management|procurement)\b",
        r"\brun (it|this) (by|past) (my|our|the)\b",
        r"\bnot (my (call|decision)|up to me)\b",
        r"\b(my|our) (boss|manager|ceo|cfo|owner|board|director|supervisor|management) (decides|makes|has|signs|would|"
        r"will|needs)\b",
        r"\bi (don'?t|do not|can'?t|cannot) (make|sign|approve|decide)\b",
        r"\bneed (approval|sign[- ]off)\b",
    ],
}
NEED = {
    "questions": [
        r"\bwhat (problem|challenge|issue)s?\b",
        r"\bwhat('s| has| is) (got you|brought you|prompted|made you)",
        r"\bwhat are you (hoping|looking|trying) to\b",
        r"\bhow can (i|we) help\b",
        r"\bwhat (made|makes) you (call|reach out|look)",
    ],
    "positive": [
        # "we need to check with my boss" is about authority, not need
        r"\b(we|i) (really |definitely |urgently |badly )?need (a |an |some |better |help |more |to (?!(check|talk|"
        r"speak|ask|run|think|discuss|consult|get approval)\b))",
        r"\b(struggling|struggle|having (a hard time|trouble|problems)) with\b",
        r"\blooking for (a |an )?(better )?(way|solution|tool|platform|system|partner|replacement|vendor)\b",
        r"\b(spend|spends|spending|waste|wastes|wasting|lose|losing) (too much|hours|most of|a lot of)\b",
        r"\b(pain point|bottleneck|takes forever|the problem is|our problem is|the issue is)\b",
        r"\bwant to (automate|replace|reduce|cut|improve|stop|get rid of|streamline|scale)\b",
    ],
    "negative": [
        r"\bjust (looking|browsing|curious|checking)\b",
        r"\b(don'?t|do not|doesn'?t|does not) (really )?need\b",
        r"\bnot (interested|a priority|looking for anything)\b",
        r"\b(happy|fine|satisfied) with (what we have|our current|the current|our existing)\b",
        r"\bno (real )?need\b",
    ],
}
TIMELINE = {
    "questions": [
        r"\b(timeline|timeframe|time frame|time line)\b",
        r"\bwhen (would|do|are|were) you (like|want|need|hoping|looking|planning)",
        r"\bhow soon\b",
        r"\b(go|be|get) live\b",
        r"\bin place\b",
    ],
    "positive": [
        # not "approved for this quarter", which is about the budget
        r"\b(by|before|within|during|later|end of|early|sometime|start(ing)?|live|ready|done|running) this "
        r"(week|month|quarter)\b",
        r"\bnext (week|month|quarter)\b",
        r"\bby (the end of )?(january|february|march|april|may|june|july|august|september|october|november|december|"
        r"q[1-4]|the end of (the )?(month|quarter|year)|spring|summer|fall|autumn|winter)\b",
        r"\b(in|within) (the next )?(a |one |two |three |four |five |six |eight |ten |twelve |\d+ |a few |a couple "
        r"(of )?|couple (of )?)?(days?|weeks?|months?)\b",
        r"\b(as soon as possible|asap|right away|immediately|urgently)\b",
        r"\bq[1-4]\b",
        r"\bbefore (the )?(holidays?|peak|end of|launch|season|busy season)\b",
    ],
    "negative": [
        r"\bno (rush|hurry|timeline|timeframe|time frame|deadline|immediate plans)\b",
        r"\bnot (in a|in any) (rush|hurry)\b",
        r"\bjust (looking|browsing|exploring|researching)\b",
        r"\bnot (any ?time soon|right now|for a while|this year)\b",
        r"\b(some ?day|down the road|no plans)\b",
    ],
}
DIMENSIONS = {"budget": BUDGET, "authority": AUTHORITY, "need": NEED, "timeline": TIMELINE}

INTENT_KEYWORDS = {
    "sales": ["pricing", "price", "prices", "how much does it cost", "cost", "quote", "demo", "buy", "purchase",
              "plans", "subscription", "free trial", "trial", "sign up", "upgrade", "licenses", "proposal",
              "pilot"],
    "support": ["broken", "not working", "doesn't work", "stopped working", "error", "bug", "crash", "outage",
                "help with my account", "my account", "can't log in", "cannot log in", "password", "reset",
                "cancel", "cancellation", "troubleshoot", "support ticket"],
    "billing": ["invoice", "invoices", "charge", "charged", "overcharged", "double charged", "refund", "payment",
                "billing", "receipt", "credit card"],
    "partnership": ["partner", "partnership", "reseller", "resell", "integration partner", "affiliate",
                    "referral program", "white label", "white-label"],
    "spam": ["extended warranty", "car warranty", "you've won", "you have won", "press 1", "press one",
             "SEO services", "google listing", "business listing", "final notice", "gift card",
             "lower your interest rate", "student loan forgiveness"],
}

DISPOSITION_TABLE = [
    {"disposition": "NoAnswer", "notes": "The call never connected: nobody answered, the line was busy, or it failed.",
     "ended_reasons": "customer-did-not-answer, customer-busy, twilio-failed-to-connect-call*, "
                      "vonage-failed-to-connect-call, no-answer*"},
    {"disposition": "VoicemailLeft", "ended_reasons": "voicemail", "notes": "Vapi detected voicemail."},
    {"disposition": "Spam", "intents": "spam"},
    {"disposition": "SupportRequest", "intents": "support"},
    {"disposition": "QualifiedLead", "qualification_statuses": "hot"},
    {"disposition": "CallbackRequested", "callback_requested": True},
    {"disposition": "Incomplete", "report_missing": True,
     "notes": "The call ended without an end-of-call report: it dropped, or the report was lost."},
    {"disposition": "Incomplete", "ended_reasons": "customer-ended-call", "max_duration_seconds": 30,
     "notes": "An early hang-up."},
    {"disposition": "NotQualified", "qualification_statuses": "warm, cold"},
]


def _lines(patterns):
    return "\n".join(patterns)


def seed(apps, schema_editor):
    Policy = apps.get_model("leads", "QualificationPolicy")
    Criterion = apps.get_model("leads", "QualificationCriterion")
    IntentRule = apps.get_model("leads", "IntentRule")
    DispositionRule = apps.get_model("leads", "DispositionRule")
    if not Policy.objects.exists():
        policy = Policy.objects.create(
            version=1, state="active", name="BANT", hot_threshold=70, warm_threshold=40,
            budget_weight=25, authority_weight=25, need_weight=25, timeline_weight=25,
            min_evidence_words=3, affirmation_credit=25, non_lead_intents="support,spam",
            published_at=timezone.now(),
            notes="Seeded. Evidence comes first from the assistant's structured data, then from score_lead, then "
                  "from the caller's own words.",
        )
        criteria = []
        for dimension, patterns in DIMENSIONS.items():
            shared = {"dimension": dimension, "positive_patterns": _lines(patterns["positive"]),
                      "negative_patterns": _lines(patterns["negative"])}
            criteria += [
                Criterion(policy=policy, source="structured_data", key=dimension, position=10, **shared,
                          notes="What the assistant extracted from the whole call."),
                Criterion(policy=policy, source="tool_argument", key=dimension, position=20, **shared,
                          notes="What the assistant passed to score_lead during the call."),
                Criterion(policy=policy, source="transcript", position=30, **shared,
                          question_patterns=_lines(patterns["questions"]), notes="The caller's own words."),
            ]
        Criterion.objects.bulk_create(criteria)
    if not IntentRule.objects.exists():
        IntentRule.objects.bulk_create(
            IntentRule(intent=intent, keywords="\n".join(words)) for intent, words in INTENT_KEYWORDS.items())
    if not DispositionRule.objects.exists():
        DispositionRule.objects.bulk_create(
            DispositionRule(position=(index + 1) * 10, **row) for index, row in enumerate(DISPOSITION_TABLE))


class Migration(migrations.Migration):

    dependencies = [
        ("calls", "0003_call_tools_and_outcome"),
        ("leads", "0005_qualification"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
