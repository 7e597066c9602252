"""Which values in a Vapi body are credentials, and masking them.

Vapi echoes its configuration back in server messages: the assistant's and tools'
`server` (a `secret`, auth `headers`), the legacy `serverUrlSecret`, the assistant's
dynamic `credentials`, the phone number's `twilioAuthToken` / `twilioApiSecret`, a web
call transport's `callToken`, and the same again inside `squad` members and
`assistantOverrides`. None of it is needed to apply a message, and none of it may be
kept, shown or sent on.

Masking goes by key, at any depth and without regard to case, "-" or "_" (key names as
in `vapi_server_sdk`'s types): the value is replaced with MASK, whatever its type.
Everything else is left as it came, the conversation included: turns sit under `message`,
`transcript`, `content` and `result`, never under a credential's name.

Pure: no Django, so logs, the webhook path and migrations can all use it.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

MASK = "[secret]"

# Whole key names (normalised: lower case, no "-", "_" or spaces) that hold a credential.
SECRET_KEYS = frozenset({
    "secret", "password", "passwd", "token", "authorization", "proxyauthorization", "cookie", "setcookie",
    "gcpkey", "openaikey", "jwt", "credential",
})
# Key endings that hold one: serverUrlSecret, twilioApiSecret, hmacSecret, clientSecret, authToken,
# accessToken, refreshToken, callToken, twilioAuthToken, apiKey, x-api-key, privateKey, secretAccessKey,
# hmacAccessKey, ocpApimSubscriptionKey, authPassword, x-vapi-secret, x-signature. None of Vapi's other
# keys ends so: maxTokens, isServerUrlSecretSet, signatureHeader, publicKey, credentialId do not.
SECRET_ENDINGS = ("secret", "password", "token", "apikey", "privatekey", "secretkey", "accesskey",
                  "subscriptionkey", "signature", "authorization", "cookie")
# Where a credential's shape is the provider's (`credentials`: one object per provider, keys of its
# own choosing), every string is masked but these, which say what the credential is.
CREDENTIAL_LABELS = frozenset({
    "provider", "type", "name", "description", "id", "credentialid", "orgid", "createdat", "updatedat", "region",
    "service", "algorithm", "headername", "signatureheader", "timestampheader", "messageidheader", "signatureprefix",
    "signatureencoding", "payloadformat",
})
# Header names are free-form: one that mentions any of these is taken to carry a credential
# (X-Auth-Token, Api-Key, X-Session-Id), at the cost of masking the odd harmless one.
HEADER_HINTS = ("auth", "token", "secret", "key", "signature", "cookie", "password", "session", "credential")

# Text in which no key ends like a credential's name needs no parsing (most messages): the word,
# then the key's closing quote. Every name above ends with one of these words (a test keeps them in
# step). JSON may spell a key with \\u escapes, so an escape means "look".
HINT_WORDS = ("secret", "password", "passwd", "token", "key", "signature", "authorization", "cookie", "credential",
              "credentials", "headers", "jwt")
_KEY_ENDINGS = tuple(f'{word}"' for word in HINT_WORDS)


@lru_cache(maxsize=4096)
def normalise(key: str) -> str:
    return re.sub(r"[\s_\-]", "", key).lower()


def is_secret_key(key: Any) -> bool:
    """True for a key whose value is a credential, in a body or as a header name."""
    if not isinstance(key, str):
        return False
    name = normalise(key)
    return name in SECRET_KEYS or name.endswith(SECRET_ENDINGS)


def is_secret_header(name: Any) -> bool:
    if not isinstance(name, str):
        return False
    lowered = normalise(name)
    return is_secret_key(name) or any(hint in lowered for hint in HEADER_HINTS)


def _maskable(value: Any) -> bool:
    """An empty or boolean value hides nothing (and says "not set"): it is kept."""
    return value not in (None, "", [], {}) and not isinstance(value, bool)


def mask_secrets(value: Any) -> Any:
    """`value` (a parsed JSON payload) with every credential replaced by MASK; a new object, the
    input is left untouched. Parts with nothing to mask are returned as they are."""
    return _walk(value, _plain)


def _walk(value: Any, rule) -> Any:
    """`value` with `rule(key, item)` applied to each item of its objects; copied only where
    something changed, so a payload with nothing to mask costs no allocation."""
    if isinstance(value, dict):
        copy = None
        for key, item in value.items():
            new = rule(key, item)
            if new is not item:
                copy = copy if copy is not None else dict(value)
                copy[key] = new
        return value if copy is None else copy
    if isinstance(value, list):
        items = None
        for index, item in enumerate(value):
            new = _walk(item, rule)
            if new is not item:
                items = items if items is not None else list(value)
                items[index] = new
        return value if items is None else items
    return value


def _plain(key: Any, value: Any) -> Any:
    name = normalise(key) if isinstance(key, str) else ""
    if name.endswith("credentials"):
        return _walk(value, _credential)
    if name.endswith("headers"):
        return _walk(value, _header) if isinstance(value, dict) else _walk(value, _plain)
    if is_secret_key(key) and _maskable(value):
        return MASK
    return _walk(value, _plain)


def _credential(key: Any, value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return _walk(value, _credential)
    if isinstance(key, str) and normalise(key) in CREDENTIAL_LABELS:
        return value
    return MASK if isinstance(value, str) and value else value


def _header(name: Any, value: Any) -> Any:
    if is_secret_header(name) and _maskable(value):
        return MASK
    return _walk(value, _plain)


def _may_hold_secrets(text: str) -> bool:
    lowered = text.lower()
    return "\\u" in text or any(ending in lowered for ending in _KEY_ENDINGS)


def mask_json_text(text: str) -> str:
    """A JSON body with its credentials masked. Text that is not JSON, or holds nothing to mask, is
    returned unchanged (the very same string); masked text is JSON again, parsing to the same
    document but for the masked values."""
    if not text or not _may_hold_secrets(text):
        return text
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return text
    masked = mask_secrets(data)
    if masked is data:
        return text
    return json.dumps(masked, ensure_ascii=False)
