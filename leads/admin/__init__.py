from leads.admin import lead, mapping, sync  # noqa: F401  (registers the admin classes)
