from django.apps import AppConfig


class LeadsConfig(AppConfig):
    name = "leads"

    def ready(self):
        # Registers this app's in-call tool handlers.
        from leads import tools  # noqa: F401
