"""The mapping engine: from a canonical call document to Salesforce field values.

Pure Python, no Django: the rules come in as `MappingRule` values (the admin's
FieldMapping rows), the document as a dict (`crm.services.call_document`), and
what Salesforce says about its fields (describe) as optional `FieldInfo` values.

One rule reads one value, by a dotted path into the document or as a `const:`
literal, transforms it, and fits it to the field:

- an empty value (None, blank text, empty list or object) is never sent; a required
  field falls back to its placeholder, on create only;
- text longer than the field's limit (the rule's truncate limit or describe's length,
  whichever is smaller) is cut and ends in `TRUNCATION_MARKER`; a URL is never cut:
  it loses its query string when that makes it fit, else it is left out;
- a value the transform cannot read is left out; a note says why, and so does `problems`;
- a rule's `privacy` decides whether its value leaves callsync as it is (`raw`), with personal
  data replaced by tokens such as [CARD] (`redacted`: the caller passes the redactor in, since
  redaction is not this module's business) or not at all (`never`).

Nothing here raises for bad data: a sync must not fail because a caller spelled
their email "dana at example dot com".

The package is the engine's public face; its parts are `rules` (the vocabulary and the rule and
field values), `transforms` (reading values and fitting text), `records` (mapping a document)
and `validation` (what is wrong with a rule or a set of rules).
"""

from integrations.salesforce.mapping.records import MappedRecords, MappedValue, lookup, map_document
from integrations.salesforce.mapping.rules import (
    BOOLEAN, CANONICAL_ROOTS, CONST_PREFIX, DOCUMENT_PATHS, EMAIL, FREE_TEXT_SOURCES, ISO_DATETIME, LEAD_REQUIRED,
    NEVER, NONE, NUMBER, OBJECTS, OBJECTS_WITHOUT_UPSERT_KEY, OPEN_PATHS, PHONE_E164, PICKLIST, PRIVACY_LEVELS, RAW,
    REDACTED, TRANSFORMS, TRUNCATE, TRUNCATION_MARKER, FieldInfo, FieldInfoMap, MappingRule, Redact, default_privacy,
)
from integrations.salesforce.mapping.transforms import (
    TransformError, apply_transform, as_text, fit_text, is_empty, looks_like_url, truncate_text, url_without_query,
)
from integrations.salesforce.mapping.validation import (
    api_name_error, options_errors, rule_errors, rule_set_problems, source_error, unfilled_required_message,
)

__all__ = [
    "BOOLEAN", "CANONICAL_ROOTS", "CONST_PREFIX", "DOCUMENT_PATHS", "EMAIL", "FREE_TEXT_SOURCES", "ISO_DATETIME", "LEAD_REQUIRED", "NEVER",
    "NONE", "NUMBER", "OBJECTS", "OBJECTS_WITHOUT_UPSERT_KEY", "OPEN_PATHS", "PHONE_E164", "PICKLIST", "PRIVACY_LEVELS", "RAW",
    "REDACTED", "TRANSFORMS", "TRUNCATE", "TRUNCATION_MARKER", "FieldInfo", "FieldInfoMap", "MappedRecords",
    "MappedValue", "MappingRule", "Redact", "TransformError", "api_name_error", "apply_transform", "as_text",
    "default_privacy", "fit_text", "is_empty", "lookup", "looks_like_url", "map_document", "options_errors",
    "rule_errors", "rule_set_problems", "source_error", "truncate_text", "unfilled_required_message",
    "url_without_query",
]
