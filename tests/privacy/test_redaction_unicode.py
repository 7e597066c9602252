"""Text in other scripts: "٤١١١ ١١١١ ١١١١ ١١١١" after "card" is a card, and is redacted; no letter crashes it.

The digit patterns match any Unicode decimal digit, and Luhn read only ASCII ones: such a card made
`redact()` raise IndexError, so the webhook carrying it could not be applied. Detection now reads the
digits as ASCII, at the same positions, and the original text is what gets replaced.
"""

from __future__ import annotations

import json

import pytest

from accounts.services import provision_user
from calls.models import Call
from privacy.redaction import Redactor, redact
from tests.accounts.support import ensure_roles
from tests.support.signing import vapi_fixture

CALLER = "+14155550123"
CARD = "4111 1111 1111 1111"
SCRIPTS = {"arabic-indic": 0x0660, "persian": 0x06F0, "devanagari": 0x0966, "bengali": 0x09E6, "fullwidth": 0xFF10}


def written_in(zero: int, text: str) -> str:
    return "".join(chr(zero + int(char)) if char.isascii() and char.isdigit() else char for char in text)


@pytest.mark.parametrize("zero", SCRIPTS.values(), ids=SCRIPTS.keys())
def test_a_card_in_other_digits_is_redacted_and_the_rest_kept_as_written(zero):
    card = written_in(zero, CARD)
    seats = written_in(zero, "300")
    text = f"Caller: my card is {card}, for {seats} seats."
    result = redact(text, keep_phones=(CALLER,))
    assert result.text == f"Caller: my card is [CARD], for {seats} seats."
    assert result.counts == {"CARD": 1}
    [span] = result.spans
    assert text[span.start:span.end] == card  # positions are those of the original text


def test_a_near_miss_card_in_other_digits_is_a_doubt_not_a_crash():
    result = redact("Caller: card " + written_in(0x0660, "4111 1111 1111 1112"))
    assert result.counts == {} and result.confidence == 0.7


def test_phone_numbers_and_dates_of_birth_in_other_digits():
    own = written_in(0x0660, "415 555 0123")
    other = written_in(0x0660, "646 555 0147")
    result = redact(f"Caller: mine is {own}, my wife's is {other}. I was born {written_in(0x0660, '3/3/1985')}.",
                    keep_phones=(CALLER,))
    assert result.text == f"Caller: mine is {own}, my wife's is [PHONE]. I was born [DOB]."


def test_structured_data_in_other_digits_is_redacted_like_text():
    redactor = Redactor(keep_phones=(CALLER,))
    assert redactor({"card": written_in(0x0966, CARD), "dateOfBirth": written_in(0x0966, "03/03/1985")}) == {
        "card": "[CARD]", "dateOfBirth": "[DOB]"}


@pytest.mark.django_db
def test_a_report_with_an_arabic_indic_card_is_applied_and_its_call_page_shows_it_redacted(client, post_vapi):
    card = written_in(0x0660, CARD)
    payload = json.loads(json.dumps(vapi_fixture("pii-card-dob-report"), ensure_ascii=False).replace(CARD, card))
    assert post_vapi(payload).status_code == 200
    call = Call.objects.get(vapi_call_id=payload["message"]["call"]["id"])
    assert card in call.summary  # the raw words are kept, for those allowed to see them
    ensure_roles()
    client.force_login(provision_user(email="manager@example.com", role="manager", password=None).user)
    response = client.get(f"/calls/{call.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert card not in page and written_in(0x0660, "1111") not in page
    assert "[CARD]" in page


def test_an_iban_with_a_letter_of_another_alphabet_is_a_doubt_not_a_crash():
    """"İ" is a letter to isalnum and to the IBAN pattern (re.I), but not a base-36 digit: it raised ValueError."""
    result = redact("Caller: the IBAN is GB82 WEST 1234 5698 7654 3İ")
    assert result.counts == {} and result.confidence == 0.8
