"""The redaction table: realistic written and spoken personal data, and look-alikes that must stay.

Each case is a text as it reaches callsync (a transcript line, a summary, a structured-data
string), the caller's own number, and the spans that must be redacted, as (kind, exact
substring of the text). A look-alike row expects nothing. Scored span by span by
privacy/evaluation.py: test_redaction.py asserts precision and recall, and
scripts/redaction_report.py prints them per kind.

Card numbers are the networks' published test numbers; phone numbers use 555-01xx or
other fictional ranges; IBANs are the registry's examples.
"""

from __future__ import annotations

from dataclasses import dataclass

from privacy.evaluation import Case as ScoredCase

CALLER = "+14155550123"
COMPANY_NUMBERS = ("+18005550199", "+12125550100")


@dataclass(frozen=True)
class Case:
    text: str
    expected: tuple[tuple[str, str], ...] = ()
    caller: str = CALLER

    def scored(self) -> ScoredCase:
        spans = []
        for kind, substring in self.expected:
            start = self.text.index(substring)
            spans.append((kind, start, start + len(substring)))
        return ScoredCase(text=self.text, keep_phones=(self.caller, *COMPANY_NUMBERS), expected=tuple(spans))


def pii(text: str, *expected: tuple[str, str], caller: str = CALLER) -> Case:
    return Case(text, tuple(expected), caller)


def keep(text: str, caller: str = CALLER) -> Case:
    return Case(text, (), caller)


CARDS = [
    pii("Caller: Sure, the card number is 4111 1111 1111 1111, expiry oh nine twenty-seven.",
        ("CARD", "4111 1111 1111 1111")),
    pii("Caller: It's 4012-8888-8888-1881.", ("CARD", "4012-8888-8888-1881")),
    pii("Caller: my visa is 4242424242424242", ("CARD", "4242424242424242")),
    pii("Customer provided card 5555 5555 5555 4444 for the deposit.", ("CARD", "5555 5555 5555 4444")),
    pii("Caller: Mastercard, 2223 0031 2200 3222.", ("CARD", "2223 0031 2200 3222")),
    pii("Caller: Amex: 3782 822463 10005", ("CARD", "3782 822463 10005")),
    pii("Caller: the Discover card ends up being 6011 1111 1111 1117, is that ok?", ("CARD", "6011 1111 1111 1117")),
    pii("Caller: ok so 3530 1113 3330 0000 is the JCB one", ("CARD", "3530 1113 3330 0000")),
    pii("Note: caller read card 30569309025904 (Diners) to the assistant.", ("CARD", "30569309025904")),
    pii("Caller: Let me get my wallet. Okay. 4000 0566 5566 5556. Did you get that?",
        ("CARD", "4000 0566 5566 5556")),
    pii("Caller: four one one one, one one one one, one one one one, one one one one.",
        ("CARD", "four one one one, one one one one, one one one one, one one one one")),
    pii("Caller: Yeah it's four two four two, four two four two, um, four two four two, four two four two",
        ("CARD", "four two four two, four two four two, um, four two four two, four two four two")),
    pii("Caller: five five five five, five five five five, five five five five, double four double four.",
        ("CARD", "five five five five, five five five five, five five five five, double four double four")),
    pii("Caller: The number is six oh one one, six oh one one, six oh one one, six six one one.",
        ("CARD", "six oh one one, six oh one one, six oh one one, six six one one")),
    pii("Caller: four triple four, triple three three, two two two two, one one one one",
        ("CARD", "four triple four, triple three three, two two two two, one one one one")),
    pii("Caller: four nine one seven six one double zero, zero zero zero zero, zero zero zero zero.",
        ("CARD", "four nine one seven six one double zero, zero zero zero zero, zero zero zero zero")),
    pii("Caller: uh, five one oh five, one oh five one, oh five one oh, five one oh oh",
        ("CARD", "five one oh five, one oh five one, oh five one oh, five one oh oh")),
    pii("Caller: It's a Visa: 4716 4615 8332 2103. And the zip is 94107.", ("CARD", "4716 4615 8332 2103")),
    pii("Caller: four seven one six, four six one five, eight three three two, two one oh three",
        ("CARD", "four seven one six, four six one five, eight three three two, two one oh three")),
    pii("Assistant: Could you read the card number?\nCaller: Sure. 4444 3333 2222 1111.",
        ("CARD", "4444 3333 2222 1111")),
    pii("Caller: the card is 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1", ("CARD", "4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1")),
    pii("Caller: card number 6200 0000 0000 0005 and the CVV is one two three",
        ("CARD", "6200 0000 0000 0005"), ("CVV", "one two three")),
]

SSNS = [
    pii("Caller: my social is 123-45-6789.", ("SSN", "123-45-6789")),
    pii("Caller: SSN 219 09 9999", ("SSN", "219 09 9999")),
    pii("Caller: my social is one two three, four five, six seven eight nine",
        ("SSN", "one two three, four five, six seven eight nine")),
    pii("Assistant: And your social security number?\nCaller: five four two, three two, one one nine eight.",
        ("SSN", "five four two, three two, one one nine eight")),
    pii("Caller: social security number is 078051120", ("SSN", "078051120")),
    pii("Applicant SSN: 536-22-8726, verified verbally.", ("SSN", "536-22-8726")),
    pii("Caller: the last one I gave you, 321-54-9876, is my social", ("SSN", "321-54-9876")),
    pii("Caller: SSN is four oh one, eight eight, two two three four",
        ("SSN", "four oh one, eight eight, two two three four")),
    pii("Caller: social: 449 62 1180", ("SSN", "449 62 1180")),
    pii("Caller: my ssn? it's seven seven one, oh four, five five five two",
        ("SSN", "seven seven one, oh four, five five five two")),
    keep("Caller: my social is 000-12-3456, I think."),
    keep("Caller: social security 666-45-6789"),
    keep("Caller: the SSN on file is 912-34-5678"),
    keep("Caller: the social is 123-00-4567"),
]

EMAILS = [
    pii("Caller: it's dana.whitfield@example.com", ("EMAIL", "dana.whitfield@example.com")),
    pii("Caller: jane dot doe at example dot com", ("EMAIL", "jane dot doe at example dot com")),
    pii("Caller: email me at m.patel+billing@brightwave-clinics.co.uk please",
        ("EMAIL", "m.patel+billing@brightwave-clinics.co.uk")),
    pii("Caller: sam underscore rivera at northwind dot io", ("EMAIL", "sam underscore rivera at northwind dot io")),
    pii("Caller: it's j dash chen at acme dot co dot uk", ("EMAIL", "j dash chen at acme dot co dot uk")),
    pii("Summary: Follow-up to be sent to ops@northwind-logistics.com.", ("EMAIL", "ops@northwind-logistics.com")),
    pii("Caller: priya.nair at gmail.com", ("EMAIL", "priya.nair at gmail.com")),
    pii("Caller: my email is tom at tomsplumbing dot net", ("EMAIL", "tom at tomsplumbing dot net")),
    pii("Caller: send it to A.Lopez@Contoso.org and cc b.king@contoso.org",
        ("EMAIL", "A.Lopez@Contoso.org"), ("EMAIL", "b.king@contoso.org")),
    pii("Caller: it's r period okafor at lagos hyphen freight dot com",
        ("EMAIL", "r period okafor at lagos hyphen freight dot com")),
    pii("Caller: billing dot team at brightwave dot org, all lower case",
        ("EMAIL", "billing dot team at brightwave dot org")),
    pii("Caller: kim2024@example.net", ("EMAIL", "kim2024@example.net")),
]

PHONES = [
    pii("Caller: call my cell instead, (212) 555-1234.", ("PHONE", "(212) 555-1234")),
    pii("Caller: my partner's number is 646-555-0147", ("PHONE", "646-555-0147")),
    pii("Caller: reach my assistant on 312.555.0182", ("PHONE", "312.555.0182")),
    pii("Caller: it's +44 20 7946 0958, the London office", ("PHONE", "+44 20 7946 0958")),
    pii("Caller: six four six, five five five, oh one four seven",
        ("PHONE", "six four six, five five five, oh one four seven")),
    pii("Caller: my other number is three one two five five five oh one eight two",
        ("PHONE", "three one two five five five oh one eight two")),
    pii("Caller: you can text 1 206 555 0147", ("PHONE", "1 206 555 0147")),
    pii("Caller: try 2065550147 after five", ("PHONE", "2065550147")),
    pii("Caller: the number is five five five, oh one nine two", ("PHONE", "five five five, oh one nine two")),
    pii("Caller: call my wife at 555-0134", ("PHONE", "555-0134")),
    pii("Caller: fax it to +1 (718) 555-0110", ("PHONE", "+1 (718) 555-0110")),
    pii("Caller: my boss is Lee, seven one eight, five five five, oh one six six.",
        ("PHONE", "seven one eight, five five five, oh one six six")),
    pii("Caller: my cell is 415 555 0177, not the one I'm calling from", ("PHONE", "415 555 0177")),
    pii("Caller: reach me on +33 1 42 68 53 00 in Paris", ("PHONE", "+33 1 42 68 53 00")),
    pii("Caller: office line is 773-555-0190 and mobile 773-555-0191",
        ("PHONE", "773-555-0190"), ("PHONE", "773-555-0191")),
    keep("Caller: you can call me back on 415-555-0123."),
    keep("Caller: this number, four one five, five five five, oh one two three, is fine."),
    keep("Caller: yes, +1 415 555 0123 is best."),
    keep("Assistant: You can also reach us at 1-800-555-0199 any time."),
    keep("Assistant: Our office number is (212) 555-0100."),
    keep("Caller: I dialed 800 555 0199 earlier and got voicemail."),
    keep("Caller: My number is 555-0123, same as before."),
]

IBANS = [
    pii("Caller: the IBAN is GB82 WEST 1234 5698 7654 32", ("IBAN", "GB82 WEST 1234 5698 7654 32")),
    pii("Refund to DE89370400440532013000 requested.", ("IBAN", "DE89370400440532013000")),
    pii("Caller: FR14 2004 1010 0505 0001 3M02 606, that's our French account",
        ("IBAN", "FR14 2004 1010 0505 0001 3M02 606")),
    pii("Caller: NL91 ABNA 0417 1643 00", ("IBAN", "NL91 ABNA 0417 1643 00")),
    pii("Caller: pay into ES91 2100 0418 4502 0005 1332 please", ("IBAN", "ES91 2100 0418 4502 0005 1332")),
    pii("Vendor IBAN: IT60X0542811101000000123456.", ("IBAN", "IT60X0542811101000000123456")),
    pii("Caller: the Swiss one is CH93 0076 2011 6238 5295 7", ("IBAN", "CH93 0076 2011 6238 5295 7")),
    pii("Caller: it's IE29 AIBK 9311 5212 3456 78", ("IBAN", "IE29 AIBK 9311 5212 3456 78")),
    keep("Caller: the IBAN is GB82 WEST 1234 5698 7654 33, wait, let me check."),
    keep("Caller: reference DE12 3456 7890 1234 5678 90 on the invoice"),
]

DATES_OF_BIRTH = [
    pii("Caller: I was born on March 3rd, 1985.", ("DOB", "March 3rd, 1985")),
    pii("Caller: date of birth 03/03/1985", ("DOB", "03/03/1985")),
    pii("Assistant: And your date of birth?\nCaller: the third of March nineteen eighty-five.",
        ("DOB", "the third of March nineteen eighty-five")),
    pii("Caller: DOB is 1979-11-23", ("DOB", "1979-11-23")),
    pii("Caller: my birthday's July 4th, 1990", ("DOB", "July 4th, 1990")),
    pii("Assistant: Can I get your date of birth?\nCaller: Sure, it's twelve, oh four, nineteen seventy-two... "
        "I mean the fourth of December, nineteen seventy-two.",
        ("DOB", "twelve, oh four, nineteen seventy-two"), ("DOB", "the fourth of December, nineteen seventy-two")),
    pii("Caller: born 7 June 1968 in Leeds", ("DOB", "7 June 1968")),
    pii("Caller: 11/23/79, that's my date of birth", ("DOB", "11/23/79")),
    pii("Caller: I was born January the twenty-first, two thousand and one",
        ("DOB", "January the twenty-first, two thousand and one")),
    pii("Patient DOB: Sept. 14, 1955.", ("DOB", "Sept. 14, 1955")),
    pii("Caller: birth date is 02.29.1996", ("DOB", "02.29.1996")),
    pii("Assistant: What's your date of birth?\nCaller: oh three, oh three, nineteen eighty five",
        ("DOB", "oh three, oh three, nineteen eighty five")),
    pii("Caller: my birthday is the 30th of April", ("DOB", "the 30th of April")),
    pii("Caller: I was born on the fifteenth of August nineteen ninety",
        ("DOB", "the fifteenth of August nineteen ninety")),
    pii("Caller: born May 9, 2000, so I'm the youngest here", ("DOB", "May 9, 2000")),
    keep("Caller: can we meet on March 12th, 2026?"),
    keep("Caller: The contract ends 12/31/2026."),
    keep("Caller: I was born in 1985, so I remember dial-up."),
    keep("Caller: the demo is on the third of March, at 3:30."),
    keep("Caller: the deadline is 2026-12-01 for the rollout"),
    keep("Caller: we want to launch on June 1st, 2027, before the busy season."),
]

LOOK_ALIKES = [
    keep("Caller: my order number is 8 8 1 2 3 4."),
    keep("Caller: order 8812 3344 5566 7788 never arrived"),
    keep("Caller: order number 4412 5567 8890 1235"),
    keep("Caller: It's ticket #55512 from last week."),
    keep("Caller: we're looking at $1,299 per seat, maybe $12,500 a year."),
    keep("Caller: we spent about 2,500,000 dollars in 2024."),
    keep("Caller: in 2024 we handled 1,234,567,890 calls? No, 12,345,678."),
    keep("Caller: we have 200 agents and 35 locations."),
    keep("Caller: about twenty five thousand dollars this quarter."),
    keep("Caller: let's say Tuesday at 3:30 or 10:45 pm."),
    keep("Caller: our zip is 94107 and the other office is 10001-2345."),
    keep("Caller: tracking number 1Z999AA10123456784"),
    keep("Caller: invoice INV-2024-00017 was for $4,750.00."),
    keep("Caller: version 2.14.3 broke the sync."),
    keep("Caller: it went up 15% from 2023 to 2024"),
    keep("Caller: confirmation number 4242 4242 4242 4242"),
    keep("Caller: the case number is 00012345 and the PO is 4500012345."),
    keep("Caller: we need it by twenty twenty-six, ideally Q2."),
    keep("Caller: we make about six hundred calls a day, five days a week."),
    keep("Caller: room 415, suite 555."),
    keep("Caller: my account number is 123456789012."),
    keep("Caller: ref 2065550147 on the last invoice"),
    keep("Caller: we are at 1 Market Street, floor 12."),
    keep("Caller: oh, one more thing: can the summary go to the team?"),
    keep("Caller: I have three kids, two dogs and one cat."),
    keep("Caller: reference number is one two three four five six seven eight nine"),
    keep("Caller: the model is the X-200, serial 55501 23456"),
    keep("Caller: I'd pay 1,000 to 2,000 a month."),
    keep("Caller: we talked on 11/12, and on 11/19 again."),
    keep("Caller: meet me at the office dot"),
    keep("Caller: It's Dana, D A N A, at Northwind Logistics."),
    keep("Caller: I'm calling about the 2026 renewal, part number 4111-1111."),
    keep("Caller: from 9 to 5, Monday to Friday, 2 shifts."),
    keep("Caller: our Salesforce org id is 00D5g000001AbCd."),
    keep("Caller: we booked flight 1234 to Denver on the 5th."),
]

MIXED = [
    pii("Caller: card 4111 1111 1111 1111, and I was born on 03/03/1985. Call me on 415-555-0123.",
        ("CARD", "4111 1111 1111 1111"), ("DOB", "03/03/1985")),
    pii("Caller: email dana.whitfield@example.com, cell 646-555-0147, order 8812334",
        ("EMAIL", "dana.whitfield@example.com"), ("PHONE", "646-555-0147")),
    pii("Caller: my social is 123-45-6789 and my birthday is June 5th, 1970",
        ("SSN", "123-45-6789"), ("DOB", "June 5th, 1970")),
    pii("Summary: Caller paid the $1,299 invoice with card 5105 1051 0510 5100 and asked for a receipt at "
        "billing@brightwave.org.", ("CARD", "5105 1051 0510 5100"), ("EMAIL", "billing@brightwave.org")),
    pii("Caller: The IBAN is DE89 3704 0044 0532 0130 00 and my phone is 312 555 0199.",
        ("IBAN", "DE89 3704 0044 0532 0130 00"), ("PHONE", "312 555 0199")),
    pii("Caller: So, four one one one one one one one one one one one one one one one, and my date of birth "
        "is the third of March nineteen eighty-five.",
        ("CARD", "four one one one one one one one one one one one one one one one"),
        ("DOB", "the third of March nineteen eighty-five")),
    pii("Caller: call my colleague at 312-555-0182 about ticket #55512 from 2024",
        ("PHONE", "312-555-0182")),
    pii("Caller: it's sam at northwind dot io, phone four one five, five five five, oh one two three",
        ("EMAIL", "sam at northwind dot io")),
]

SECURITY_CODES = [
    pii("Caller: the CVV is 737.", ("CVV", "737")),
    pii("Caller: and the code on the back is four five six", ("CVV", "four five six")),
    pii("Assistant: And the three-digit security code?\nCaller: 123", ("CVV", "123")),
    pii("Caller: Amex, so the CID is 4 digits: 1234", ("CVV", "1234")),
    pii("Caller: card 4111 1111 1111 1111, expiry oh nine twenty-seven, CVC 321",
        ("CARD", "4111 1111 1111 1111"), ("CVV", "321")),
    pii("Caller: security code, um, nine nine one", ("CVV", "nine nine one")),
    pii("Caller: the verification number on the back of the card is 0 4 2", ("CVV", "0 4 2")),
    pii("Caller: cvv2: 848", ("CVV", "848")),
    pii("Caller: on the back it says 552", ("CVV", "552")),
    keep("Caller: the promo code is 123."),
    keep("Caller: our zip code is 94107 and the area code is 415."),
    keep("Caller: we need 3 more licenses and 123 seats."),
    keep("Caller: I'll need the security code sent again, it's been 15 minutes."),
]

BANK_NUMBERS = [
    pii("Caller: the routing number is 021000021", ("BANK", "021000021")),
    pii("Caller: routing oh two one, oh oh oh, oh two one, and the checking account is 4435 9902 11",
        ("BANK", "oh two one, oh oh oh, oh two one"), ("BANK", "4435 9902 11")),
    pii("Caller: ABA 011000015.", ("BANK", "011000015")),
    pii("Caller: my bank account number is 000123456789", ("BANK", "000123456789")),
    pii("Caller: for the direct deposit, account number 7781 2290 44", ("BANK", "7781 2290 44")),
    pii("Caller: savings account, number is six six one two three four nine nine",
        ("BANK", "six six one two three four nine nine")),
    pii("Summary: Caller gave routing number 121000358 and account 9988776655 for ACH.",
        ("BANK", "121000358"), ("BANK", "9988776655")),
    pii("Caller: transit number is 071000013", ("BANK", "071000013")),
    pii("Caller: wire it to the checking account, acct # 5550192834", ("BANK", "5550192834")),
    keep("Caller: the routing number is 123456789, I think that's wrong."),
    keep("Caller: my account number is 88217 with you guys."),
    keep("Caller: the account has 1,250 users."),
    keep("Caller: version 9.1.0 of the banking app crashes."),
]

PASSPORTS = [
    pii("Caller: my passport number is 123456789", ("PASSPORT", "123456789")),
    pii("Caller: passport C03005988", ("PASSPORT", "C03005988")),
    pii("Caller: passport no. is 548 921 337", ("PASSPORT", "548 921 337")),
    pii("Caller: the passport is five four seven, three two one, nine nine eight",
        ("PASSPORT", "five four seven, three two one, nine nine eight")),
    pii("Caller: passport number: X1234567", ("PASSPORT", "X1234567")),
    pii("Caller: UK passport 925076473", ("PASSPORT", "925076473")),
    pii("Summary: Verified identity with passport A87654321.", ("PASSPORT", "A87654321")),
    pii("Caller: it's a Canadian passport, number is GA302922", ("PASSPORT", "GA302922")),
    pii("Caller: my passport # is 9 8 7 6 5 4 3 2 1", ("PASSPORT", "9 8 7 6 5 4 3 2 1")),
    keep("Caller: my passport expires in 2027."),
    keep("Caller: we have 12 passport photos and 3 forms."),
    keep("Caller: passport renewal takes 6 to 8 weeks."),
]

LICENSES = [
    pii("Caller: driver's license number D1234567", ("LICENSE", "D1234567")),
    pii("Caller: my drivers license is S530-4127-8901", ("LICENSE", "S530-4127-8901")),
    pii("Caller: license number 123 456 789", ("LICENSE", "123 456 789")),
    pii("Caller: driver's licence is, um, four four two, one nine nine, oh five",
        ("LICENSE", "four four two, one nine nine, oh five")),
    pii("Caller: DL number F255-921-50-094-0", ("LICENSE", "F255-921-50-094-0")),
    pii("Caller: my driving licence number is MORGA753116SM9IJ", ("LICENSE", "MORGA753116SM9IJ")),
    pii("Summary: Caller confirmed driver license W426-545-30-761-0.", ("LICENSE", "W426-545-30-761-0")),
    pii("Caller: driver's license: 99887766", ("LICENSE", "99887766")),
    pii("Caller: the license number is A1B2C3D4E", ("LICENSE", "A1B2C3D4E")),
    keep("Caller: we need 25 licenses for the team."),
    keep("Caller: my driver's license expires in 2028."),
    keep("Caller: the software license is for 200 seats."),
]

PARTIAL_SSNS = [
    pii("Caller: the last four of my social are 6789", ("SSN", "6789")),
    pii("Caller: last 4 of my SSN: 4321", ("SSN", "4321")),
    pii("Caller: my social ends in one one nine eight", ("SSN", "one one nine eight")),
    pii("Assistant: Can you confirm the last four digits of your social security number?\nCaller: 5 5 2 0",
        ("SSN", "5 5 2 0")),
    keep("Caller: the last four of my card are 1111."),
    keep("Caller: social media gets us 4000 leads."),
]

# Added after the engine scored the rows above, as a check that it was not fitted to them.
HELD_OUT = [
    pii("Caller: forty-one eleven, eleven eleven, eleven eleven, eleven eleven",
        ("CARD", "forty-one eleven, eleven eleven, eleven eleven, eleven eleven")),
    keep("Caller: my card is 4111 1111 1111 111, I think it's missing one."),
    pii("Caller: card 4111 1111 1111 1111 1225 and the code", ("CARD", "4111 1111 1111 1111")),
    keep("Caller: or just call one eight hundred five five five oh one nine nine."),
    pii("Caller: my number is 4 1 5 5 5 5 0 1 7 7", ("PHONE", "4 1 5 5 5 5 0 1 7 7")),
    pii("Caller: 415 555 0177 extension 23 is my desk", ("PHONE", "415 555 0177")),
    pii("Caller: email J.Chen@acme.com.", ("EMAIL", "J.Chen@acme.com")),
    pii("Caller: I was born 3/3/85 in Ohio", ("DOB", "3/3/85")),
    pii("Caller: it's gb82 west 1234 5698 7654 32", ("IBAN", "gb82 west 1234 5698 7654 32")),
    keep("Caller: the total was 4,111.11 with tax."),
    keep("Caller: we dial 911 for emergencies and 411 for information."),
    pii("Caller: D-O-B is ten ten nineteen ninety", ("DOB", "ten ten nineteen ninety")),
    pii("Caller: you can reach Priya at priya at nair dot dev", ("EMAIL", "priya at nair dot dev")),
    keep("Caller: the quote was for 4,000 seats at 12 dollars."),
    pii("Caller: Social's 987-65-4320? No wait, 387-65-4320.", ("SSN", "387-65-4320")),
]

CASES: list[Case] = [*CARDS, *SSNS, *EMAILS, *PHONES, *IBANS, *DATES_OF_BIRTH, *LOOK_ALIKES, *MIXED, *HELD_OUT,
                     *SECURITY_CODES, *BANK_NUMBERS, *PASSPORTS, *LICENSES, *PARTIAL_SSNS]
