"""Which keys of a Vapi body hold credentials (integrations/vapi/secrets.py): by name, at any depth,
whatever the case, and nothing else."""

from __future__ import annotations

import json

import pytest

from integrations.vapi.secrets import (
    HINT_WORDS,
    MASK,
    SECRET_ENDINGS,
    SECRET_KEYS,
    is_secret_header,
    is_secret_key,
    mask_json_text,
    mask_secrets,
)
from tests.support.signing import vapi_fixture


@pytest.mark.parametrize("key", [
    "secret", "serverUrlSecret", "SERVER_URL_SECRET", "apiKey", "x-api-key", "X-Vapi-Secret", "Authorization",
    "twilioAuthToken", "twilioApiSecret", "twilioApiKey", "callToken", "accessToken", "refreshToken", "clientSecret",
    "secretKey", "awsSecretAccessKey", "hmacAccessKey", "privateKey", "vonageApplicationPrivateKey", "gcpKey",
    "openAIKey", "ocpApimSubscriptionKey", "authPassword", "password", "token", "x-signature", "Cookie",
])
def test_credential_names_from_the_sdk_types_are_secret(key):
    assert is_secret_key(key)


@pytest.mark.parametrize("key", [
    "credentialId", "credentialIds", "isServerUrlSecretSet", "secretIsBase64", "maxTokens", "promptTokens",
    "signatureHeader", "timestampHeader", "publicKey", "key", "promptCacheKey", "url", "message", "transcript",
    "bearerPrefixEnabled", "tokenCount", "accountSid",
])
def test_other_names_are_not(key):
    assert not is_secret_key(key)


def test_masks_at_any_depth_in_lists_and_leaves_empty_or_boolean_values():
    payload = {"message": {"squad": {"members": [{"assistantOverrides": {"server": {"Secret": "s1", "url": "u"}}}]},
                           "assistant": {"serverUrlSecret": "", "hmac": {"secret": None}, "x": {"token": True}}}}
    masked = mask_secrets(payload)
    assert masked["message"]["squad"]["members"][0]["assistantOverrides"]["server"] == {"Secret": MASK, "url": "u"}
    assert masked["message"]["assistant"] == payload["message"]["assistant"]
    assert payload["message"]["squad"]["members"][0]["assistantOverrides"]["server"]["Secret"] == "s1"  # a copy


def test_a_secret_that_is_an_object_is_masked_whole():
    masked = mask_secrets({"serverUrlSecret": {"provider": "Bearer", "token": "t"}, "gcpKey": {"private_key": "k"}})
    assert masked == {"serverUrlSecret": MASK, "gcpKey": MASK}


def test_credentials_keep_only_what_says_what_they_are():
    credentials = [{"provider": "custom", "name": "CRM", "endpoint": "https://crm.example.com/?k=abc",
                    "authenticationPlan": {"type": "bearer", "headerName": "Authorization", "value": "v"}}]
    assert mask_secrets({"credentials": credentials}) == {"credentials": [
        {"provider": "custom", "name": "CRM", "endpoint": MASK,
         "authenticationPlan": {"type": "bearer", "headerName": "Authorization", "value": MASK}}]}


def test_header_values_are_masked_when_their_name_says_credential():
    headers = {"X-Auth-Token": "a", "X-Session": "b", "Api-Key": "c", "X-Tenant": "d", "Content-Type": "json"}
    assert mask_secrets({"server": {"headers": headers}})["server"]["headers"] == {
        "X-Auth-Token": MASK, "X-Session": MASK, "Api-Key": MASK, "X-Tenant": "d", "Content-Type": "json"}
    assert is_secret_header("X-Twilio-Signature") and not is_secret_header("X-Forwarded-For")


def test_the_conversation_is_never_touched_even_when_it_speaks_of_secrets():
    payload = {"message": {"transcript": "AI: what is your secret?", "artifact": {"messages": [
        {"role": "user", "message": "my password is not something I share", "secret": "x"}]}}}
    masked = mask_secrets(payload)
    assert masked["message"]["transcript"] == "AI: what is your secret?"
    assert masked["message"]["artifact"]["messages"][0]["message"] == "my password is not something I share"


def test_text_with_nothing_to_mask_is_returned_as_the_same_string():
    for name in ("end-of-call-report", "tool-calls", "status-update-ringing", "assistant-request"):
        text = json.dumps(vapi_fixture(name), indent=2)
        assert mask_json_text(text) is text
    for text in ("", "CallSid=CA1&CallToken=x", "{not json", '"just a string"'):
        assert mask_json_text(text) is text


def test_masked_text_is_json_of_the_masked_document():
    text = '{"message": {"type": "hang", "call": {"id": "c1"}, "assistant": {"server": {"secret": "s"}}}}'
    assert json.loads(mask_json_text(text)) == {"message": {"type": "hang", "call": {"id": "c1"},
                                                            "assistant": {"server": {"secret": MASK}}}}


def test_a_key_spelled_with_unicode_escapes_is_still_masked():
    assert json.loads(mask_json_text('{"\\u0073ecret": "s"}')) == {"secret": MASK}


def test_every_secret_name_ends_with_a_word_the_quick_check_looks_for():
    for name in (*SECRET_KEYS, *SECRET_ENDINGS, "credentials", "headers"):
        assert name.endswith(HINT_WORDS), name
