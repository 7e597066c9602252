"""A third redaction table, written for issue 14 BEFORE the engine was changed for the held-out table's misses.

Why: once the misses of tests/privacy/cases_public.py had been read and fixed, that table is no longer strictly
held out. These 30 cases are a check on that: written from public material, without looking at which of them
the engine gets right, and measured before and after the change (the figures are in the commit). No threshold is
asserted on them (tests/privacy/test_redaction.py prints them, scripts/redaction_report.py too).

Each group names its source. Values are published specimens and test values: the networks' test cards, Ofcom's
drama numbers, RFC 2606 domains, check-digit-valid routing numbers of the Federal Reserve Banks, the IBAN
registry's examples, and the sample licence and passport numbers of public test suites.
"""

from __future__ import annotations

from tests.privacy.cases import keep, pii

# Stripe "Testing" docs (docs.stripe.com/testing): test cards 4000 0025 0000 3155 and 6011 0009 9013 9424, with
# "any 3 digits" as the CVC (4 for American Express) and any future expiry; a support call reading them out.
STRIPE_TEST_CARDS = [
    pii("Caller: okay it's 4000 0025 0000 3155, expiry 12/34, and the CVC is 5 6 7",
        ("CARD", "4000 0025 0000 3155"), ("CVV", "5 6 7")),
    pii("Caller: the Amex is 3782 822463 10005 and the four digit code is 9 8 7 6",
        ("CARD", "3782 822463 10005"), ("CVV", "9 8 7 6")),
    pii("Caller: six oh one one, oh oh oh nine, nine oh one three, nine four two four",
        ("CARD", "six oh one one, oh oh oh nine, nine oh one three, nine four two four")),
    keep("Agent: The refund of $49.00 will take 5 to 10 business days to show on the card ending 3155."),
]

# Ofcom "TV and radio drama telephone numbers" (ofcom.org.uk): 07700 900000-900999 mobiles and 020 7946 0000-0999
# London numbers are reserved for fiction; UK callers say "oh" for zero and "double"/"treble" for repeats.
UK_NUMBERS = [
    pii("Caller: you can ring me on 07700 900461", ("PHONE", "07700 900461")),
    pii("Caller: my mobile's oh seven seven oh oh, nine oh oh, four six one",
        ("PHONE", "oh seven seven oh oh, nine oh oh, four six one")),
    pii("Caller: the office is oh two oh, seven nine four six, oh double one eight",
        ("PHONE", "oh two oh, seven nine four six, oh double one eight")),
    keep("Caller: I'm at flat 12, 44 Baker Street, London NW1 6XE."),
]

# Presidio's recognizer tests (github.com/microsoft/presidio, tests/test_us_driver_license_recognizer.py and
# test_us_passport_recognizer.py: licence H12234567, passport 912803456); Mindee's US driver licence sample
# (Arizona D12345678); IdParser's Massachusetts sample (S65807412).
ID_DOCUMENTS = [
    pii("Caller: my driver's license is H12234567", ("LICENSE", "H12234567")),
    pii("Caller: Arizona license, D as in David, one two three four five six seven eight",
        ("LICENSE", "D as in David, one two three four five six seven eight")),
    pii("Caller: S65807412 is my Massachusetts license number", ("LICENSE", "S65807412")),
    pii("Caller: passport number nine one two, eight oh three, four five six",
        ("PASSPORT", "nine one two, eight oh three, four five six")),
    keep("Caller: I renewed my license at the DMV on Tuesday, it took 45 minutes."),
    keep("Agent: Your DMV appointment confirmation is 88213, for 9:15 on the 14th."),
]

# Federal Reserve routing numbers (frbservices.org E-Payments Routing Directory: 011000015 Federal Reserve Bank
# of Boston, 111000025 Dallas) in a payroll direct-deposit call, and the ECBS IBAN examples (DE89 3704 0044 0532
# 0130 00, FR14 2004 1010 0505 0001 3M02 606).
BANKING = [
    pii("Caller: routing number zero one one, zero zero zero, zero one five", (
        "BANK", "zero one one, zero zero zero, zero one five")),
    pii("Caller: 111000025, that's the routing number for payroll", ("BANK", "111000025")),
    pii("Caller: the IBAN is DE89 3704 0044 0532 0130 00", ("IBAN", "DE89 3704 0044 0532 0130 00")),
    pii("Caller: my IBAN, F R one four, two oh oh four, one oh one oh, oh five oh five, oh oh oh one, three M oh "
        "two, six oh six",
        ("IBAN", "F R one four, two oh oh four, one oh one oh, oh five oh five, oh oh oh one, three M oh two, "
                 "six oh six")),
    keep("Agent: Wire transfers over $10,000 need a second approval, it's policy 4.2."),
]

# RFC 2606 reserved domains (example.com, example.org) as callers spell addresses with the NATO alphabet
# ("M as in Mike") and "at"/"dot" (the Vapi and Deepgram docs list spoken emails as PII to redact).
EMAILS = [
    pii("Caller: it's m dot okafor at example dot org", ("EMAIL", "m dot okafor at example dot org")),
    pii("Caller: my email is priya, P R I Y A, dot nair at example dot com",
        ("EMAIL", "priya, P R I Y A, dot nair at example dot com")),
    keep("Agent: You can also write to us at support, that's on our website."),
]

# Dates from a benefits-line call script (ssa.gov "Contact Social Security by phone": the agent asks for the
# date of birth; other dates in the call are appointments and letters, not personal data).
DATES = [
    pii("Caller: I was born on the ninth of June, nineteen seventy-one", ("DOB", "the ninth of June, nineteen "
                                                                                "seventy-one")),
    pii("Agent: And your date of birth?\nCaller: 11/23/1958", ("DOB", "11/23/1958")),
    keep("Caller: the letter was dated March 2, 2024 and my birthday isn't until the fall."),
    keep("Agent: Your appointment is on 04/15/2025 at 10:30."),
]

# PCI SSC "Protecting Telephone-Based Payment Card Data" (pcisecuritystandards.org information supplement): the
# card verification code must not be stored after authorisation, whether said on its own or after the card.
PCI_PHONE_PAYMENTS = [
    pii("Caller: 5555 5555 5555 4444 and then the three on the back, 8 0 2",
        ("CARD", "5555 5555 5555 4444"), ("CVV", "8 0 2")),
    pii("Agent: What's the verification code?\nCaller: um, six, two, nine", ("CVV", "six, two, nine")),
    keep("Agent: Your order number is 4471 2290 and it ships in 3 days."),
    keep("Caller: I'm calling about version 2.4.1 of the app, it crashes when I pay $19.99."),
]

FRESH_CASES = [*STRIPE_TEST_CARDS, *PCI_PHONE_PAYMENTS, *UK_NUMBERS, *ID_DOCUMENTS, *BANKING, *EMAILS, *DATES]
