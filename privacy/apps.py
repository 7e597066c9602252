from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """No models: privacy works on calls' and leads' rows and on the fields they declare with privacy.fields."""

    name = "privacy"
    verbose_name = "Privacy (redaction, retention, erasure, encryption keys)"
