from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    # An app only so that its management commands are found; it has no models.
    name = "devtools"
    verbose_name = "Development tools"
