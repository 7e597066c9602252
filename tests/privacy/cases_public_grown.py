"""The public redaction table, grown from more public material (issue 14): see tests/privacy/cases_public.py,
which joins these groups to its first ones. Written from how callers and scripts say things, without reading
the detectors. Sample values only: networks' test cards, 555-01xx and Ofcom drama numbers, valid ABA check
digits, the IBAN registry's examples, made-up ids in real shapes."""

from __future__ import annotations

from tests.privacy.cases import keep, pii

# paytia.com "Pause and Resume in Contact Centres" (https://www.paytia.com/glossary/pause-and-resume-contact-centre),
# vicifast.com "PCI pause" (https://vicifast.com/glossary/pci-pause) and payguard.co "Pause and Resume"
# (https://payguard.co/pause-and-resume/): the caller reads card number, expiry and security code aloud to a
# live agent, and "card details might be read out un-prompted", before the agent has paused.
PCI_PAUSE = [
    keep("Agent: Before you read me the card, I'm just going to pause the recording for your security."),
    keep("Agent: Okay, the recording has resumed. Your payment of $212.40 went through, thank you."),
    pii("Caller: oh sorry, I already started, it's four one one one, one one one one, one one one one, one one one one",
        ("CARD", "four one one one, one one one one, one one one one, one one one one")),
    pii("Caller: Yeah the number's 5105 1051 0510 5100, expiry is oh six twenty eight and the three digit code "
        "is 8 4 1",
        ("CARD", "5105 1051 0510 5100"), ("CVV", "8 4 1")),
    pii("Caller: three seven eight two, eight two two four six three, one oh oh oh five. It's the Amex.",
        ("CARD", "three seven eight two, eight two two four six three, one oh oh oh five")),
    pii("Caller: For the Amex the security code is the four on the front, 7 3 2 4.", ("CVV", "7 3 2 4")),
    pii("Caller: um the card is, uh, five five five five, five five five five, um, five five five five, four four four "
        "four and the back is, uh, three one four",
        ("CARD", "five five five five, five five five five, um, five five five five, four four four four"),
        ("CVV", "three one four")),
    keep("Agent: Your card expires oh nine twenty-seven, is that right?"),
    keep("Caller: Expiration is twelve slash twenty nine."),
]

# acixd.org "Credit card" IVR guideline (http://acixd.org/wiki/doku.php?do=export_xhtml&id=credit_card): confirm
# the number back ("Visa Card Number ... Is that right?"), the expiry example "09/14 ... enter nine, one, four", the
# security code "typically the last three digits", the retry prompt, and 4111-1111-1111-1111 as the Visa test
# number; Rakuten storm "Gather Card Number" / "Gather Security Code"
# (https://connectstorm.comm.rakuten.net/assets/jaJP/flow/FLOW_action_cell_reference/Gather_Card_Number.htm,
# https://timeforstorm.com/redresponse/ServiceDesigner/help/FLOW_action_cell_reference/Gather_Security_Code.htm):
# "the long number across the front of your card", stored as asterisks but the last four digits.
IVR_CARD = [
    pii("System: Visa card number 4111-1111-1111-1111. Is that right?\nCaller: yes", ("CARD", "4111-1111-1111-1111")),
    pii("Caller: four one one one one one one one one one one one one one one one",
        ("CARD", "four one one one one one one one one one one one one one one one")),
    keep("System: Enter your credit card expiration date. For example, if the date on your card is 09/14, then you "
         "would enter nine, one, four."),
    pii("System: Please say or enter the last three digits on the back of your card.\nCaller: two two seven",
        ("CVV", "two two seven")),
    keep("System: I don't think I got that right. Please say or enter your card number again."),
    pii("Caller: 6011 0009 9013 9424", ("CARD", "6011 0009 9013 9424")),
    keep("System: Press 1 to pay your full balance of $86.17, or press 2 to pay another amount."),
    pii("Caller: the long number across the front is 3530 1113 3330 0000", ("CARD", "3530 1113 3330 0000")),
    keep("Agent: I can see the card on file as asterisks ending 0000, is that the one?"),
    pii("Caller: The security number is nine oh two.", ("CVV", "nine oh two")),
]

# docs.livevox.com "Credit Card" module (card number, expiration date and security code prompts;
# https://docs.livevox.com/plugins/viewsource/viewpagesrc.action?pageId=151725216) and Deepgram "Redaction"
# (https://developers.deepgram.com/docs/redaction: "pci" covers the card number, expiration date and CVV): the
# security code asked for and said on its own, and the words about it that carry no code.
CVV_ALONE = [
    pii("Agent: And the CVC?\nCaller: oh four seven", ("CVV", "oh four seven")),
    pii("Caller: the CVC is 9 0 1", ("CVV", "9 0 1")),
    pii("Caller: the three numbers on the back are five, five, eight", ("CVV", "five, five, eight")),
    pii("Caller: security code 602, expiry 11/27", ("CVV", "602")),
    pii("Caller: 4 4 7 is the code on the back", ("CVV", "4 4 7")),
    pii("Caller: the CVV, um. It's double three nine.", ("CVV", "double three nine")),
    keep("Caller: I can't read the code on the back, it's worn off."),
    keep("Agent: The security code is the 3 digits on the back, or 4 on the front for Amex."),
    keep("Caller: I'm on flight 447 and the gate is B12."),
    keep("Caller: the promo code is SAVE20 and the discount is 20%."),
]

# nerdwallet.com "Calling Your Bank: Tips for Mastering the Customer Service Call"
# (https://nerdwallet.com/article/banking/calling-your-bank-tips-for-customer-service-call): authenticate with the
# card number and the "last four digits of your Social Security Number", a telephone banking user ID; Deepgram's
# "pii" group redacts "complete and 4 digit social security numbers".
BANK_AUTH = [
    pii("Caller: my debit card is 4000 0566 5566 5556 and the last four of my social is 3390",
        ("CARD", "4000 0566 5566 5556"), ("SSN", "3390")),
    pii("Agent: For verification, can I get the last 4 of the Social?\nCaller: Yeah, it's seven two six four.",
        ("SSN", "seven two six four")),
    pii("Caller: last four SSN, uh, twenty-two fifteen", ("SSN", "twenty-two fifteen")),
    keep("Caller: my telephone banking user ID is dwhitfield85."),
    keep("Agent: I see two charges of $14.99 on the 3rd and the 17th."),
    pii("Caller: social security number 412-67-3390", ("SSN", "412-67-3390")),
    pii("Caller: my social is four one two, six seven, three three nine oh",
        ("SSN", "four one two, six seven, three three nine oh")),
    pii("Caller: SSN 372 48 1195, date of birth 7/4/76", ("SSN", "372 48 1195"), ("DOB", "7/4/76")),
    pii("Caller: SSN is five-three-six, two-two, eight-seven-two-six",
        ("SSN", "five-three-six, two-two, eight-seven-two-six")),
]

# thedime.bank "Switch to The Dime Bank" (https://thedime.bank/switch-to-the-dime-bank: "your new Dime Bank account
# number and The Dime Bank routing number 031308551", "confirm your social security number and your employee ID
# number"); joingerald.com "What Is a Bank Number?" (a routing number is nine digits, an account "typically 10-12
# digits", and "bank number" can also mean the bank's customer service line); bankrouting.org "Can I change my bank
# routing number over the phone?" (the representative gives "a reference number for your records").
DIRECT_DEPOSIT = [
    pii("Caller: the routing number is 031308551 and the account is 4410 2287 63",
        ("BANK", "031308551"), ("BANK", "4410 2287 63")),
    pii("Caller: ABA 122105155, checking, account number ends up being 000123456789",
        ("BANK", "122105155"), ("BANK", "000123456789")),
    pii("Caller: the routing's zero two six, zero zero nine, five nine three and the account's, um, "
        "one one eight four, two two nine, oh seven",
        ("BANK", "zero two six, zero zero nine, five nine three"),
        ("BANK", "one one eight four, two two nine, oh seven")),
    pii("Caller: savings account 7700 1234 5581, same routing as before", ("BANK", "7700 1234 5581")),
    pii("Caller: 091000019 is the routing, I'm reading it off the bottom of the check", ("BANK", "091000019")),
    pii("Caller: routing number oh two one, triple oh, oh two one", ("BANK", "oh two one, triple oh, oh two one")),
    # Dropped (issue 14): "my account number, it's, uh, nine nine eight, ..." expected BANK with no banking word in
    # the line, while the engine's table keeps "my account number is 123456789012." (a customer's account with
    # us): the same words cannot be both; which one a line means needs the call around it.
    keep("Agent: Your reference number for that change is 7 7 3 1 0 2, keep it for your records."),
    keep("Caller: my employee ID is 40417 and payroll runs on the 15th and the 30th."),
    keep("Caller: it's the bank's customer service number on the back of the card I need, not mine."),
    keep("Agent: Direct deposits usually post by 9 a.m. on payday, and the limit is $2,500 a day."),
    keep("Caller: the check number is 1042 for $350.00."),
]

# The SWIFT IBAN Registry (ISO 13616) example IBANs, as the registry prints them (DE89 3704 0044 0532 0130 00,
# FR14 2004 1010 0505 0001 3M02 606, NL91 ABNA 0417 1643 00, GB29 NWBK 6016 1331 9268 19, CH93 0076 2011 6238 5295 7;
# see the registry summary in g.tulz.dev/opensource/iban-ex docs/international_wide_ibans/IBAN_REGISTRY_SUMMARY.md),
# read out by a caller asking for a refund.
IBANS = [
    pii("Caller: the IBAN is DE89 3704 0044 0532 0130 00", ("IBAN", "DE89 3704 0044 0532 0130 00")),
    pii("Caller: FR14 2004 1010 0505 0001 3M02 606, that's my IBAN for the refund",
        ("IBAN", "FR14 2004 1010 0505 0001 3M02 606")),
    pii("Caller: NL91ABNA0417164300", ("IBAN", "NL91ABNA0417164300")),
    pii("Caller: IBAN G B two nine, N W B K, six oh one six, one three three one, nine two six eight, one nine",
        ("IBAN", "G B two nine, N W B K, six oh one six, one three three one, nine two six eight, one nine")),
    pii("Caller: my iban is ch93 0076 2011 6238 5295 7", ("IBAN", "ch93 0076 2011 6238 5295 7")),
    keep("Caller: the SWIFT code is DEUTDEFF and the transfer fee was 15 euros."),
]

# travel.state.gov "Application Status" (https://travel.state.gov/content/travel/en/passports/after/status.html:
# last name, date of birth (MM/DD/YYYY), last four digits of the SSN; Form DS-86 after 10 business days) and
# "Passport Agencies" (https://travel.state.gov/content/travel/en/passports/get-fast/passport-agencies.html: the
# first two digits of the application locator number name the agency; "traveling in 6-14 days"); a passport book
# number is a letter and 8 digits, a passport card starts with C, a Canadian one is 2 letters and 6 digits.
PASSPORT_CALLS = [
    pii("Caller: Last name Okafor, date of birth 09/21/1988, last four of my social 5512",
        ("DOB", "09/21/1988"), ("SSN", "5512")),
    keep("Caller: my application locator number is 521234567, I applied in Philadelphia."),
    keep("Agent: You'll need to complete Form DS-86 since it's been more than 10 business days."),
    keep("Caller: I'm traveling in 6 days, on June 14th, 2025, to Lisbon."),
    pii("Caller: my old passport number was 5 6 7 8 9 1 2 3 4 and it expired in 2019",
        ("PASSPORT", "5 6 7 8 9 1 2 3 4")),
    pii("Caller: passport book number, uh, A as in apple, four six eight one three five seven nine",
        ("PASSPORT", "A as in apple, four six eight one three five seven nine")),
    pii("Caller: E00007734, that's the number on my passport book", ("PASSPORT", "E00007734")),
    pii("Agent: And the passport card number?\nCaller: C 4 4 1 2 0 9 8 7", ("PASSPORT", "C 4 4 1 2 0 9 8 7")),
    pii("Caller: My date of birth is oh nine twenty-one nineteen eighty-eight.",
        ("DOB", "oh nine twenty-one nineteen eighty-eight")),
    keep("Caller: the passport was issued on March 3rd, 2016 and expires March 2nd, 2026."),
    pii("Caller: it's a UK passport, number 1 2 0 3 8 2 7 4 5", ("PASSPORT", "1 2 0 3 8 2 7 4 5")),
    pii("Caller: my Canadian passport is AB123456", ("PASSPORT", "AB123456")),
]

# visualfoodie.com "Preparing for your DMV customer service phone call"
# (https://visualfoodie.com/preparing-for-your-dmv-customer-service-phone-call: "your license number, VIN, or case
# number"); dogblog.finchester.org "DMV Service is--Um--Improving?" (name, driver's license, the issue date;
# https://dogblog.finchester.org/2011/01/dmv-service-is-um-improving.html); Daily Pilot "How to survive a
# day at the DMV" (appointment 0930, number F032, "Number B118 to Window 9"); state licence shapes (Florida a letter
# and 12 digits, Illinois a letter and 11, Texas 8 digits, Washington WDL and 9 characters, California a letter and 7).
DMV_CALLS = [
    pii("Caller: my driver's license number is S530-460-85-135-0, it's a Florida license",
        ("LICENSE", "S530-460-85-135-0")),
    pii("Caller: Illinois DL, A123-4567-8901", ("LICENSE", "A123-4567-8901")),
    pii("Caller: the license is 4 0 1 2 3 4 5 6, Texas", ("LICENSE", "4 0 1 2 3 4 5 6")),
    pii("Caller: it's W D L, uh, A B C D 4 5 6 D G, the Washington license",
        ("LICENSE", "W D L, uh, A B C D 4 5 6 D G")),
    pii("Caller: DL number is D as in David, five five five, one two, three four",
        ("LICENSE", "D as in David, five five five, one two, three four")),
    pii("Agent: What's the driver's license number?\nCaller: B 1 2 3 4 5 6 7", ("LICENSE", "B 1 2 3 4 5 6 7")),
    pii("Caller: F2559870, that's my license, and I was born 2/29/1992", ("LICENSE", "F2559870"), ("DOB", "2/29/1992")),
    keep("Caller: the VIN is 1HGCM82633A004352, it's a 2003 Accord."),
    keep("Caller: my case number is 2024-DMV-118845 from the last time I called."),
    keep("Caller: my license was issued 10/12/2021 and it expires on my birthday in 2029."),
    keep("Agent: Your appointment is Thursday at 0930, your number is F032, then Window 9."),
    keep("Caller: I renew every four years and it costs $25."),
    keep("Caller: the license plate is 7ABC123."),
]

# support.clickclaims.com "Post-Claim Call Center" generic script
# (https://support.clickclaims.com/en/support/solutions/articles/66000506440: "Your claim number is ... telephone
# number (Adjuster Phone Number), extension ..."); app.manifest.ly "Customer Inquiry Checklist" (verify "policy
# number plus DOB or mailing ZIP"); adaptlive.app "Homeowners Insurance Claim"
# (https://adaptlive.app/playbooks/insurance_homeowners_claim: property address, callback number, date of loss,
# emergency repairs).
INSURANCE = [
    keep("Automated Voice: Your claim number is 0 0 4 1 7 7 2 3 9 1. Your adjuster can be reached at 212-555-0100, "
         "extension 4417."),
    pii("Caller: the policy number is HO-3345-7781 and my date of birth is June 5th, 1969", ("DOB", "June 5th, 1969")),
    keep("Caller: policy number 8 8 4 1 0 2 7 7 3 6, mailing zip 60614."),
    keep("Caller: the date of loss was September 9th, around 3:45 in the afternoon."),
    keep("Caller: the property is at 1234 Main Street, Springfield, and the roof is about 15 years old."),
    pii("Agent: And the best callback number?\nCaller: my cell, two oh six, five five five, oh one nine eight",
        ("PHONE", "two oh six, five five five, oh one nine eight")),
    pii("Caller: you can also reach my husband at (312) 555-0162.", ("PHONE", "(312) 555-0162")),
    keep("Caller: the deductible is $1,000 and the estimate came to $4,750.25."),
    pii("Caller: for the refund, routing is 011000015, account 8 8 0 2 1 4 5 6 7 3",
        ("BANK", "011000015"), ("BANK", "8 8 0 2 1 4 5 6 7 3")),
    keep("Caller: I'm calling back on claim 22-CL-004519 about the tarp, it cost $389."),
]

# assemblyai.com "Redact PII from audio with Node.js" (https://www.assemblyai.com/blog/redact-pii-nodejs/): an
# architect's office call: "And your telephone number? Area code?", the number said twice, "That's my cell", the
# caller spelling the last name.
ARCHITECT_CALL = [
    pii("Agent: Okay, and your telephone number? Area code?\nCaller: Two one two. Five five five, oh one four seven. "
        "That's my cell.", ("PHONE", "Two one two. Five five five, oh one four seven")),
    pii("Caller: 646-555-0139, that's six four six, five five five, oh one three nine",
        ("PHONE", "646-555-0139"), ("PHONE", "six four six, five five five, oh one three nine")),
    keep("Caller: Hi. I'm looking to have plans drawn up for an addition to my house, about 400 square feet."),
    keep("Caller: My last name is Pham, P H A M."),
    pii("Caller: and my email is k dot pham at example dot com", ("EMAIL", "k dot pham at example dot com")),
]

# my3sons/autogen-chainlit transcripts/transcripts.py (Geek Squad / Best Buy calls): name and phone number at the
# greeting, the name spelled and the number run together, an order number, 12 minutes on hold, a $20 gift card,
# delivery on "May 2nd", "the 15th, or the 13th or something of February".
RETAIL_CALLS = [
    pii("Caller: Hi Stewart, my name is Ellen E. L. L E. N. And my phone number is 2125550147",
        ("PHONE", "2125550147")),
    keep("Caller: I need to talk to somebody about a printer I bought, the order number is 806185814326."),
    keep("Caller: I already called and was on hold for 12 minutes and I got disconnected."),
    keep("Agent: For your trouble, I would like to offer you a $20 gift card, would that be acceptable?"),
    keep("Agent: It's not supposed to be in stock until May 2nd, and the 2nd, 3rd and 4th are the soonest."),
    keep("Caller: my delivery day was the 15th or the 13th of February, or maybe it was the 8th."),
    pii("Caller: yeah so the number on the account is, um, three one two, five five five, oh one six two, and the "
        "order is 4471 2209", ("PHONE", "three one two, five five five, oh one six two")),
    keep("Caller: the GE fridge, model GNE27JYMFS, was $1,899.99 plus $49 for install."),
]

# shivamAgarwal1771/docs README.md (EXL order-line calls by stage: "I need to place an order for account number
# 507345, please", PO information, an e-mail address for the order confirmation, the license book, the facility).
ORDER_LINE = [
    keep("Caller: Hi, good afternoon. I need to place an order for account number 507345, please."),
    keep("Caller: the PO number is 4500123987 and we need 24 cases, not 12."),
    pii("Caller: send the confirmation to eldora.tribble@example.com", ("EMAIL", "eldora.tribble@example.com")),
    pii("Caller: my email is, uh, e tribble, that's T R I B B L E, at example dot com",
        ("EMAIL", "e tribble, that's T R I B B L E, at example dot com")),
    keep("Agent: I'll send the license book to the facility at 2200 Commerce Drive, Suite 300."),
]

# Parcel and billing references callers read out: wheremy.com "UPS Shipment Tracking"
# (https://wheremy.com/ups-tracking/: "1Z 999 AA1 01 2345 6784"), xautoman.com on tracking formats (FedEx 12-14
# digits, DHL ten digits, USPS 22; http://xautoman.com/15407-whydoupstrackingnumbersstartwith1z.html),
# PatrickRutledge/uberjugaad-enhanced-salt sample_communications.md ("order 0002456789", "85 units (ordered 100)").
REFERENCES = [
    keep("Caller: the UPS tracking number is 1Z 999 AA1 01 2345 6784."),
    keep("Caller: FedEx says 7489 2345 6789 and it's been stuck since Tuesday."),
    keep("Caller: the DHL waybill is 1234567890."),
    keep("Caller: USPS tracking 9400 1000 0000 0000 0000 00"),
    keep("Caller: invoice INV-2024-00317 for $1,250.00 was paid on 3/15/2024."),
    keep("Caller: ticket number 55 10 92 38, I opened it at 3:45."),
    keep("Caller: order 0002456789, you delivered 85 units and we ordered 100."),
]

# paperzz.com "Sample Scripts for Appointment Clerks and Receptionists" (Mark Murray and Associates: identification
# of the caller, confirmation of demographics;
# https://paperzz.com/doc/8689934/sample-scripts-for-appointment-clerks-and-receptionists),
# usosm.helpjuice.com "Outbound call flow and cadence" ("call us back at [practice phone number]"), televerify.org
# "Phone sessions" (the patient's cell number for the SMS link), ace4sure.com MCCQE virtual-care item (verify "date
# of birth or health card number"), docsbay.net "Scripting for the Appointment Coordinator" ("August 3rd at 10:00am
# ... a 15-minute appointment"), psyfitechnologies.com "AI intake and telehealth workflow" ("2:00 PM PT / 5:00 PM ET").
TELEHEALTH = [
    pii("Agent: Can you confirm your date of birth?\nCaller: Sure, March 14th, 1957.", ("DOB", "March 14th, 1957")),
    pii("Caller: DOB is 11/02/1990", ("DOB", "11/02/1990")),
    pii("Caller: I was born on the fifth of June, nineteen sixty-nine", ("DOB", "fifth of June, nineteen sixty-nine")),
    pii("Caller: birthday's 4-12-61", ("DOB", "4-12-61")),
    pii("Caller: date of birth, um, oh three, oh nine, eighty-two", ("DOB", "oh three, oh nine, eighty-two")),
    pii("Caller: 1985-03-03 is my date of birth", ("DOB", "1985-03-03")),
    pii("Caller: text the link to my cell, 917-555-0186", ("PHONE", "917-555-0186")),
    pii("Caller: my email for the portal is rosa.mendes@example.org", ("EMAIL", "rosa.mendes@example.org")),
    keep("Agent: Please have her call us back at 1-800-555-0199 at her convenience."),
    keep("Agent: We'll see you on August 3rd at 10:00am, we've reserved a 15-minute appointment."),
    keep("Caller: I take 20 milligrams twice a day, and my last visit was in January 2024."),
    keep("Caller: my member ID is XJH 4471 0092 on the insurance card."),
    keep("Caller: I'm 67, turning 68 in May."),
    keep("Agent: Your telehealth visit is at 2:00 PM Pacific, 5:00 PM Eastern."),
]

# The caller's own number and the company's lines, which callsync passes in keep_phones, against other people's
# numbers said on the same call (the AssemblyAI call above: "That's my cell"; the clickclaims script's adjuster
# "telephone number ..., extension ..."; portal12.comm100.site "Handling Calls on Behalf of a Patient").
OWN_NUMBERS = [
    keep("Caller: you can reach me on this number, 415-555-0123."),
    keep("Caller: it's the one I'm calling from, four one five, five five five, oh one two three."),
    keep("Caller: I called 1 (800) 555-0199 yesterday and got cut off."),
    keep("Agent: Our direct line is 212 555 0100, extension 22."),
    keep("Caller: my number is (646) 555-0139", caller="+16465550139"),
    pii("Caller: not this one, use my work number, 415-555-0177", ("PHONE", "415-555-0177")),
    pii("Caller: my daughter's number is +1 312 555 0110 if I don't pick up", ("PHONE", "+1 312 555 0110")),
]

# soniox.com "Alphanumerics in speech recognition" (https://soniox.com/wiki/alphanumeric-transcription: "B as in boy,
# four, seven, two, oh, nine", "A-X-4-9-Q-2", "double seven", British "treble five", "oh" for zero, numbers grouped
# as area code, prefix, line), arxiv.org 2408.00004 "Handling Numeric Expressions in ASR" (1945 the year vs 19:45
# the time, currency amounts, quantities), docs.knovvu.com "Text Normalization" ("one step at a time" stays words);
# UK numbers from Ofcom's drama ranges (020 7946 0xxx, 07700 900xxx).
ASR_FORMS = [
    keep("Caller: my confirmation number is B as in boy, four, seven, two, oh, nine."),
    keep("Caller: your reference is A-X-4-9-Q-2, I wrote it down."),
    pii("Caller: it's oh two oh, seven nine four six, double oh double one",
        ("PHONE", "oh two oh, seven nine four six, double oh double one")),
    pii("Caller: my mobile is oh seven seven double oh, nine double oh, treble one",
        ("PHONE", "oh seven seven double oh, nine double oh, treble one")),
    keep("Caller: we moved here in nineteen forty-five, no, my grandparents did."),
    keep("Caller: the meeting is at 19:45 on the 3rd."),
    keep("Caller: we take it one step at a time, two wrongs don't make a right."),
    pii("Caller: four one one one 1111 1111 1111", ("CARD", "four one one one 1111 1111 1111")),
    pii("Caller: okay forty-two forty-two, forty-two forty-two, forty-two forty-two, forty-two forty-two",
        ("CARD", "forty-two forty-two, forty-two forty-two, forty-two forty-two, forty-two forty-two")),
    pii("Caller: It's 5555 5555. 5555 4444.", ("CARD", "5555 5555. 5555 4444")),
    pii("Caller: the card is 411-111-111-1111-111", ("CARD", "411-111-111-1111-111")),
    keep("Caller: I need 1,111 labels and 4 boxes of 250."),
    keep("Agent: You're on version v2.14.3, the fix is in 2.15.0."),
    keep("Caller: firmware 4.1.1.1 on the router, the sticker says 2019."),
]

# shxunxk/Chatbot Data/archive/Bitext_Sample_Customer_Service_Training_Dataset/Training/README.txt (Bitext customer
# service utterances "reflect ... spelling mistakes, run-on words, missing punctuation"): typed or chat-like turns
# and ASR output without punctuation.
UNPUNCTUATED = [
    pii("i need to change my email adress to marco.rossi@example.com asap", ("EMAIL", "marco.rossi@example.com")),
    pii("my emailis jlee@example.net cant log in", ("EMAIL", "jlee@example.net")),
    pii("update card on file 4111111111111111 exp 0927 cvv 123", ("CARD", "4111111111111111"), ("CVV", "123")),
    pii("wanna pay with my mastercard 5555555555554444 pls", ("CARD", "5555555555554444")),
    pii("ssn 501337264 for the credit check", ("SSN", "501337264")),
    pii("pls call me back 3125550148 after 5pm", ("PHONE", "3125550148")),
    pii("routing 021000021 acct 55667788990 for direct debit", ("BANK", "021000021"), ("BANK", "55667788990")),
    pii("dob 03/15/1982 and zip 10001", ("DOB", "03/15/1982")),
    keep("where is my order 113-4478829-3301 its been 2 weeks"),
    keep("i was charged twice 49.99 and 49.99 on 12/03 refund pls"),
]

# The entity lists call-centre redaction ships with, said the way callers say them: AWS Transcribe ContentRedaction
# PiiEntityTypes (https://docs.aws.amazon.com/transcribe/latest/APIReference/API_ContentRedaction.html:
# BANK_ACCOUNT_NUMBER, BANK_ROUTING, CREDIT_DEBIT_NUMBER, CREDIT_DEBIT_CVV, EMAIL, PHONE, SSN, ...) and the
# AssemblyAI-redacted call-centre dataset's policy list (shubhamdhamal/awesome-ai-dev-platform-opensource
# Off-the-shelf-ready-made-dataset/91706-real-world-call-center-scripts-english.md: credit_card_number,
# credit_card_cvv, date_of_birth, drivers_license, email_address, passport_number, ...).
ENTITY_LISTS = [
    pii("Caller: 5200 8282 8282 8210, that's the debit card, and 3 1 7 is the code",
        ("CARD", "5200 8282 8282 8210"), ("CVV", "3 1 7")),
    pii("Caller: the old visa, four two two two, two two two two, two two two two, two",
        ("CARD", "four two two two, two two two two, two two two two, two")),
    pii("Caller: 3782 822463 10005 is the Amex I want to use", ("CARD", "3782 822463 10005")),
    pii("Caller: social is double five oh, one two, three four five six",
        ("SSN", "double five oh, one two, three four five six")),
    pii("Caller: passport number 9 1 2 8 0 3 4 5 6, expiry 2031", ("PASSPORT", "9 1 2 8 0 3 4 5 6")),
    pii("Caller: California license Y 4 4 0 2 1 8 7", ("LICENSE", "Y 4 4 0 2 1 8 7")),
    pii("Caller: email is j underscore smith 77 at example dot co dot uk",
        ("EMAIL", "j underscore smith 77 at example dot co dot uk")),
    pii("Caller: my work email, priya.n@example.com, or my personal one, priya dot nair at example dot org",
        ("EMAIL", "priya.n@example.com"), ("EMAIL", "priya dot nair at example dot org")),
    pii("Caller: it's dana, d a n a, dot whitfield, at example dot com",
        ("EMAIL", "dana, d a n a, dot whitfield, at example dot com")),
]

# docs.aws.amazon.com "Post-call analytics output"
# (https://docs.aws.amazon.com/transcribe/latest/dg/tca-output-batch.html: call summarization into issues, outcomes
# and action items): the summaries and structured fields callsync stores beside the transcript, which repeat what
# the caller said.
SUMMARIES = [
    pii("Summary: Customer verified with DOB 04/12/1961 and last four of SSN 8726; card ending 1111 updated.",
        ("DOB", "04/12/1961"), ("SSN", "8726")),
    pii("Action item: refund to routing 122105155 account 3344556677 within 5 business days.",
        ("BANK", "122105155"), ("BANK", "3344556677")),
    pii("Outcome: customer provided passport number X12345678 for the visa letter.", ("PASSPORT", "X12345678")),
    pii("Issue: customer's email m.okafor@example.com bounced; new number 773-555-0193 recorded.",
        ("EMAIL", "m.okafor@example.com"), ("PHONE", "773-555-0193")),
    pii("Summary: driver's license D5551234 verified for the rental.", ("LICENSE", "D5551234")),
    keep("Outcome: issue resolved in 4 minutes 12 seconds; customer sentiment positive, score 3.2."),
]
