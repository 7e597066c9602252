import pytest

from integrations.vapi.auth import HmacPlan, VapiAuthError, VapiCredentials, sign, verify_request

BODY = b'{"message": {"type": "hang"}}'
NOW = 1_763_564_645.0
CREDS = VapiCredentials(secret="s3cret", hmac=HmacPlan(secret="hm4c"), bearer_token="b34rer")


def test_each_configured_mode_authenticates():
    assert verify_request(CREDS, {"X-Vapi-Secret": "s3cret"}, BODY, NOW) == "secret"
    assert verify_request(CREDS, {"Authorization": "Bearer b34rer"}, BODY, NOW) == "bearer"
    assert verify_request(CREDS, {"X-Vapi-Signature": sign(BODY, "hm4c")}, BODY, NOW) == "hmac"


@pytest.mark.parametrize("prefix, transform", [("sha256=", str), ("", str.upper), ("SHA256=", str.upper)])
def test_signature_accepts_prefix_and_either_case(prefix, transform):
    signature = prefix + transform(sign(BODY, "hm4c"))
    assert verify_request(CREDS, {"X-Vapi-Signature": signature}, BODY, NOW) == "hmac"


def test_signature_over_other_bytes_fails():
    with pytest.raises(VapiAuthError, match="does not match"):
        verify_request(CREDS, {"X-Vapi-Signature": sign(BODY + b" ", "hm4c")}, BODY, NOW)


def test_timestamp_inside_window_with_signed_timestamp():
    stamp = str(int(NOW - 60))
    headers = {"X-Vapi-Signature": sign(BODY, "hm4c", stamp), "X-Vapi-Timestamp": stamp}
    assert verify_request(CREDS, headers, BODY, NOW) == "hmac"


def test_timestamp_in_milliseconds_is_understood():
    stamp = str(int((NOW - 10) * 1000))
    headers = {"X-Vapi-Signature": sign(BODY, "hm4c", stamp), "X-Vapi-Timestamp": stamp}
    assert verify_request(CREDS, headers, BODY, NOW) == "hmac"


@pytest.mark.parametrize("offset", [-301, 301])
def test_timestamp_outside_five_minutes_is_a_replay(offset):
    stamp = str(int(NOW + offset))
    headers = {"X-Vapi-Signature": sign(BODY, "hm4c", stamp), "X-Vapi-Timestamp": stamp}
    with pytest.raises(VapiAuthError, match="window"):
        verify_request(CREDS, headers, BODY, NOW)


def test_malformed_timestamp_is_refused():
    headers = {"X-Vapi-Signature": sign(BODY, "hm4c"), "X-Vapi-Timestamp": "yesterday"}
    with pytest.raises(VapiAuthError, match="not a number"):
        verify_request(CREDS, headers, BODY, NOW)


@pytest.mark.parametrize(
    "headers, reason",
    [
        ({}, "no credential"),
        ({"X-Vapi-Secret": "wrong"}, "X-Vapi-Secret did not match"),
        ({"Authorization": "Bearer wrong"}, "Authorization did not match"),
        ({"Authorization": "Basic czNjcmV0"}, "no credential"),
    ],
)
def test_failures_say_what_was_wrong(headers, reason):
    with pytest.raises(VapiAuthError, match=reason):
        verify_request(CREDS, headers, BODY, NOW)


def test_unconfigured_modes_are_ignored():
    only_secret = VapiCredentials(secret="s3cret")
    with pytest.raises(VapiAuthError, match="no credential"):
        verify_request(only_secret, {"X-Vapi-Signature": sign(BODY, "")}, BODY, NOW)
    assert not VapiCredentials().configured
