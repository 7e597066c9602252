from crm.admin import mapping, sync  # noqa: F401  (registers the admin classes)
