"""The held-out redaction table: cases written from public examples of real calls, kept apart from
tests/privacy/cases.py (written alongside the engine) and never tuned to.

Each group names where its lines come from: the phrasing of public call scripts, dialogues and
guidance pages, with their sample numbers (published specimen and example values, not anyone's data).
The engine's first score on them, before any change for them, is in the commit that added them.

An expected span runs from the first to the last character of the value as it was said: fillers, spelled
letters ("A as in apple") and pauses inside it belong to it, the cue words around it ("my social is") do not.
Each expected substring occurs once in its text, since the span is found by its first occurrence.
"""

from __future__ import annotations

from tests.privacy.cases import keep, pii
from tests.privacy.cases_public_grown import (  # the groups grown from more public material
    PCI_PAUSE,
    IVR_CARD,
    CVV_ALONE,
    BANK_AUTH,
    DIRECT_DEPOSIT,
    IBANS,
    PASSPORT_CALLS,
    DMV_CALLS,
    INSURANCE,
    ARCHITECT_CALL,
    RETAIL_CALLS,
    ORDER_LINE,
    REFERENCES,
    TELEHEALTH,
    OWN_NUMBERS,
    ASR_FORMS,
    UNPUNCTUATED,
    ENTITY_LISTS,
    SUMMARIES,
)

# english-dialogue.com "Reporting a Lost or Stolen Card" (credit card service inquiry dialogue).
LOST_CARD_DIALOGUE = [
    keep("Agent: Can I please have your full name and account number or the last four digits of your card "
         "for verification?"),
    keep("Caller: My name is Sarah Miller, and the last four digits of the card were 7890. It's a Visa card."),
    keep("Agent: I'm now cancelling the card ending in 7890 to prevent any unauthorized transactions."),
    keep("Agent: It typically arrives within 5-7 business days."),
    pii("Caller: the card number is 4111 1111 1111 1111 and the security code is 123",
        ("CARD", "4111 1111 1111 1111"), ("CVV", "123")),
]

# support.pencilpay.com "How to script the processing of a credit card over the phone": card details,
# then the expiration date, then "lastly the CVV code"; and the agent confirming the order total.
PAYMENT_SCRIPT = [
    pii("Caller: okay, the long number is 5555 5555 5555 4444, expiration is 08/28, and the CVV code is 019",
        ("CARD", "5555 5555 5555 4444"), ("CVV", "019")),
    pii("Agent: And lastly the CVV code?\nCaller: seven three seven", ("CVV", "seven three seven")),
    pii("Caller: it's a Visa, four two four two four two four two four two four two four two four two, "
        "expires ten twenty six, CVV nine eight seven",
        ("CARD", "four two four two four two four two four two four two four two four two"),
        ("CVV", "nine eight seven")),
    keep("Agent: The total for these items, including taxes, comes to $1,284.50. Is that correct?"),
    keep("Agent: Just to confirm, you've ordered 3 items: 2 headsets at $89 and 1 base station."),
    pii("Caller: CVV is 4 5 1", ("CVV", "4 5 1")),
]

# A card-services knowledge base (crf-dev.powerappsportals.com KA-01070): cardholders authenticate their
# CVV2 in the voice response unit or to the agent, then the security code.
CVV2_VERIFICATION = [
    pii("Caller: the CVV2 on the back is 274", ("CVV", "274")),
    pii("Agent: Would you please verify your security code?\nCaller: Yes, it's 6 6 1.", ("CVV", "6 6 1")),
    keep("Agent: Please press 9-1 to be transferred back, or dial *8 for a courtesy transfer."),
    keep("Agent: Thank you for authenticating your security code in our automated system."),
]

# Direct-deposit and bank-letter guidance (uslegalforms.com bank letter: "provide your employer with our
# routing number (244077909) and your account number"; studylib.net direct deposit form: "the account
# number can be up to 17 characters", sample account 0123456789; yourfavorite.com check-writer guide:
# "Symbol 001234567 Symbol 987654321 Symbol 0101", an account "usually 10 digits, as small as 6 or as
# many as 18").
BANK_DETAILS = [
    pii("Caller: our routing number is 244077909 and my account number is 0123456789 for the direct deposit",
        ("BANK", "244077909"), ("BANK", "0123456789")),
    pii("Caller: routing 021000021, checking account 998877665544", ("BANK", "021000021"),
        ("BANK", "998877665544")),
    pii("Caller: the routing number on the check is oh two six, oh oh nine, five nine three",
        ("BANK", "oh two six, oh oh nine, five nine three")),
    pii("Caller: for the ACH payment the account number is 7 7 4 2 1 9 0 0 3 1", ("BANK", "7 7 4 2 1 9 0 0 3 1")),
    pii("Agent: What's the bank account number?\nCaller: 4403 1198 2207", ("BANK", "4403 1198 2207")),
    keep("Caller: the check number is 0101."),
    keep("Caller: it took 2 to 3 business days for the wire last time."),
    keep("Agent: Your reference number for the routing change is 55120."),
]

# Identity-verification procedures (a telecom care guide on mindtouch.us: "Last 4 digits of ID number",
# "Account PIN (4-6 digit code)", "Government-issued ID number"; dws.wyo.gov: "a current driver's
# license, state-issued photo ID, passport card, or passport"; the US passport specimen number C03005988;
# the California licence specimen I1234562).
IDENTITY_CHECKS = [
    pii("Caller: my passport number is C03005988", ("PASSPORT", "C03005988")),
    pii("Agent: Can you read me the passport number?\nCaller: sure, 9 6 3 5 4 5 6 3 7",
        ("PASSPORT", "9 6 3 5 4 5 6 3 7")),
    pii("Caller: I'll use my passport card, the number is C12345678", ("PASSPORT", "C12345678")),
    pii("Caller: my driver's license number is I1234562", ("LICENSE", "I1234562")),
    pii("Caller: driver's license, it's, um, D 5 5 5 1 2 3 4", ("LICENSE", "D 5 5 5 1 2 3 4")),
    pii("Caller: the license number is 1 2 3 4 5 6 7 8 9, New York", ("LICENSE", "1 2 3 4 5 6 7 8 9")),
    pii("Caller: the last four of my social are 4 4 1 9", ("SSN", "4 4 1 9")),
    pii("Caller: last four digits of my social security number, 0921", ("SSN", "0921")),
    keep("Agent: The account PIN is a 4-6 digit code you set up."),
    keep("Caller: I don't drive, I have a state ID instead, I was there at 10:30."),
    keep("Agent: Please upload 2 primary documents or 1 primary and 2 secondary documents."),
]

# notalwaysright.com bank and card calls: amounts, places and the card on file.
BANK_CALLS = [
    keep("Agent: Okay, I see an attempted purchase for $341.88 in Manhattan, New York."),
    keep("Agent: I also see an attempted purchase an hour before this one for $6,581.09 in Bangkok, Thailand."),
    keep("Caller: The caller gives me eight different cards to try; none of them are on file."),
    pii("Caller: fine, the whole number is 4012 8888 8888 1881 and the code on the back is 442",
        ("CARD", "4012 8888 8888 1881"), ("CVV", "442")),
    pii("Caller: my social is 536-22-8726, and my date of birth is 4/12/1961",
        ("SSN", "536-22-8726"), ("DOB", "4/12/1961")),
]


PUBLIC_CASES = [*LOST_CARD_DIALOGUE, *PAYMENT_SCRIPT, *CVV2_VERIFICATION, *BANK_DETAILS, *IDENTITY_CHECKS,
                *BANK_CALLS, *PCI_PAUSE, *IVR_CARD, *CVV_ALONE, *BANK_AUTH, *DIRECT_DEPOSIT, *IBANS,
                *PASSPORT_CALLS, *DMV_CALLS, *INSURANCE, *ARCHITECT_CALL, *RETAIL_CALLS, *ORDER_LINE, *REFERENCES,
                *TELEHEALTH, *OWN_NUMBERS, *ASR_FORMS, *UNPUNCTUATED, *ENTITY_LISTS, *SUMMARIES]
