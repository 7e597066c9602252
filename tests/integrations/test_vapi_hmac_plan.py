"""Every option of Vapi's HmacAuthenticationPlan, signed here independently of callsync's code.

The expected signatures are computed with `hmac` directly from the plan's documented meaning
(vapi_server_sdk 3.0.0, types/hmac_authentication_plan.py): if callsync's reading of an option
drifted, these would fail.
"""

import base64
import hashlib
import hmac

import pytest
from django.utils.datastructures import CaseInsensitiveMapping

from integrations.vapi.auth import HmacPlan, VapiAuthError, VapiCredentials, sign_with_plan, verify_request

BODY = b'{"message":{"type":"status-update","status":"in-progress","call":{"id":"c-1"}}}'
SECRET = "vapi-hmac-credential-secret"
NOW = 1_764_859_200.0  # 2025-12-04T14:40:00Z
STAMP_MS = str(int((NOW - 2) * 1000))


def headers(**values) -> CaseInsensitiveMapping:
    return CaseInsensitiveMapping({name.replace("_", "-"): value for name, value in values.items()})


def hex_hmac(message: bytes, key: bytes = SECRET.encode(), algorithm=hashlib.sha256) -> str:
    return hmac.new(key, message, algorithm).hexdigest()


def verify(plan: HmacPlan, given, **kwargs) -> str:
    return verify_request(VapiCredentials(hmac=plan), given, kwargs.pop("body", BODY), NOW, **kwargs)


DEFAULTS = HmacPlan(secret=SECRET)


def test_vapi_defaults_sign_timestamp_dot_body_in_hex_sha256():
    signature = hex_hmac(STAMP_MS.encode() + b"." + BODY)
    assert verify(DEFAULTS, headers(x_signature=signature, x_timestamp=STAMP_MS)) == "hmac"
    assert sign_with_plan(DEFAULTS, BODY, timestamp=STAMP_MS) == signature


def test_timestamp_in_seconds_and_iso_8601_are_read():
    for stamp in (str(int(NOW - 5)), "2025-12-04T14:39:58Z"):
        signature = hex_hmac(stamp.encode() + b"." + BODY)
        assert verify(DEFAULTS, headers(x_signature=signature, x_timestamp=stamp)) == "hmac"


@pytest.mark.parametrize("header_value", [
    lambda sig: sig.upper(),
    lambda sig: "sha256=" + sig,
    lambda sig: "0" * 64 + " " + sig,  # several signatures, one of them right
])
def test_signature_forms_that_are_accepted(header_value):
    signature = hex_hmac(STAMP_MS.encode() + b"." + BODY)
    assert verify(DEFAULTS, headers(x_signature=header_value(signature), x_timestamp=STAMP_MS)) == "hmac"


def test_a_changed_byte_is_refused():
    signature = hex_hmac(STAMP_MS.encode() + b"." + BODY)
    with pytest.raises(VapiAuthError, match="x-signature does not match"):
        verify(DEFAULTS, headers(x_signature=signature, x_timestamp=STAMP_MS), body=BODY.replace(b"c-1", b"c-2"))


def test_an_hour_old_timestamp_is_refused_even_when_signed():
    stamp = str(int((NOW - 3600) * 1000))
    signature = hex_hmac(stamp.encode() + b"." + BODY)
    with pytest.raises(VapiAuthError, match="window"):
        verify(DEFAULTS, headers(x_signature=signature, x_timestamp=stamp))


@pytest.mark.parametrize("stamp", ["nan", "NaN", "inf", "-inf", "1e400"])
def test_non_finite_timestamps_are_refused(stamp):
    signature = hex_hmac(stamp.encode() + b"." + BODY)
    with pytest.raises(VapiAuthError, match="finite"):
        verify(DEFAULTS, headers(x_signature=signature, x_timestamp=stamp))


def test_a_missing_timestamp_is_refused_when_the_plan_signs_one():
    with pytest.raises(VapiAuthError, match="x-timestamp is missing"):
        verify(DEFAULTS, headers(x_signature=hex_hmac(BODY)))


def test_a_body_only_signature_with_a_fresh_timestamp_beside_it_is_refused():
    """Replaying an old body-only signature with a new timestamp header must not pass."""
    with pytest.raises(VapiAuthError, match="does not match"):
        verify(DEFAULTS, headers(x_signature=hex_hmac(BODY), x_timestamp=STAMP_MS))


def test_include_timestamp_false_signs_the_body_alone():
    plan = HmacPlan(secret=SECRET, include_timestamp=False)
    assert verify(plan, headers(x_signature=hex_hmac(BODY))) == "hmac"


def test_custom_headers_and_prefix():
    plan = HmacPlan(secret=SECRET, signature_header="X-Hub-Signature-256", timestamp_header="X-Sent-At",
                    signature_prefix="v1=")
    signature = "v1=" + hex_hmac(STAMP_MS.encode() + b"." + BODY)
    assert verify(plan, headers(X_Hub_Signature_256=signature, X_Sent_At=STAMP_MS)) == "hmac"


@pytest.mark.parametrize("algorithm, function", [("sha1", hashlib.sha1), ("sha512", hashlib.sha512)])
def test_other_algorithms(algorithm, function):
    plan = HmacPlan(secret=SECRET, algorithm=algorithm)
    signature = hex_hmac(STAMP_MS.encode() + b"." + BODY, algorithm=function)
    assert verify(plan, headers(x_signature=signature, x_timestamp=STAMP_MS)) == "hmac"
    with pytest.raises(VapiAuthError):  # a sha256 signature is no sha1 or sha512 one
        verify(plan, headers(x_signature=hex_hmac(STAMP_MS.encode() + b"." + BODY), x_timestamp=STAMP_MS))


def test_base64_encoding_and_base64_secret_svix_style():
    """Svix-style: secret "whsec_<base64>", payload "{svix-id}.{timestamp}.{body}", "v1,<base64>"."""
    key = b"\x01\x02raw-key-bytes\xff"
    plan = HmacPlan(secret="whsec_" + base64.b64encode(key).decode(), secret_is_base64=True,
                    signature_header="svix-signature", timestamp_header="svix-timestamp",
                    message_id_header="svix-id", payload_format="{svix-id}.{timestamp}.{body}",
                    signature_encoding="base64", signature_prefix="v1,")
    stamp = str(int(NOW))
    digest = hmac.new(key, b"msg_2Kq." + stamp.encode() + b"." + BODY, hashlib.sha256).digest()
    given = headers(svix_signature="v1," + base64.b64encode(digest).decode(), svix_timestamp=stamp, svix_id="msg_2Kq")
    assert verify(plan, given) == "hmac"
    with pytest.raises(VapiAuthError):
        verify(plan, CaseInsensitiveMapping({**given, "svix-id": "msg_other"}))


def test_method_and_url_in_the_payload():
    plan = HmacPlan(secret=SECRET, payload_format="{method}\n{url}\n{timestamp}\n{body}")
    url = "https://callsync.example.com/webhooks/vapi/"
    signature = hex_hmac(b"POST\n" + url.encode() + b"\n" + STAMP_MS.encode() + b"\n" + BODY)
    assert verify(plan, headers(x_signature=signature, x_timestamp=STAMP_MS), url=url) == "hmac"
    with pytest.raises(VapiAuthError):
        verify(plan, headers(x_signature=signature, x_timestamp=STAMP_MS), url="https://elsewhere.example/")


def test_placeholders_inside_the_body_are_not_filled_in():
    body = b'{"message":{"type":"transcript","transcript":"say {timestamp} and {url}"}}'
    signature = hex_hmac(STAMP_MS.encode() + b"." + body)
    assert verify(DEFAULTS, headers(x_signature=signature, x_timestamp=STAMP_MS), body=body) == "hmac"


@pytest.mark.parametrize("options, reason", [
    ({"algorithm": "md5"}, "algorithm"),
    ({"signature_encoding": "base32"}, "encoding"),
    ({"payload_format": "{timestamp}"}, "must contain {body}"),
    ({"payload_format": "{svix-id}.{body}"}, "message-id header"),
    ({"secret": "not base64!", "secret_is_base64": True}, "not valid base64"),
])
def test_plans_that_cannot_work_are_refused(options, reason):
    with pytest.raises(ValueError, match=reason):
        HmacPlan(**{"secret": SECRET, **options})


def test_the_older_x_vapi_signature_over_the_body_keeps_working():
    assert verify(DEFAULTS, headers(X_Vapi_Signature=hex_hmac(BODY))) == "hmac"


def test_the_older_signature_must_cover_a_timestamp_sent_beside_it():
    stamp = str(int(NOW))
    signed = hex_hmac(stamp.encode() + b"." + BODY)
    assert verify(DEFAULTS, headers(X_Vapi_Signature=signed, X_Vapi_Timestamp=stamp)) == "hmac"
    with pytest.raises(VapiAuthError, match="does not match"):
        verify(DEFAULTS, headers(X_Vapi_Signature=hex_hmac(BODY), X_Vapi_Timestamp=stamp))
    with pytest.raises(VapiAuthError, match="finite"):
        verify(DEFAULTS, headers(X_Vapi_Signature=hex_hmac(b"nan." + BODY), X_Vapi_Timestamp="nan"))
