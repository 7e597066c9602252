from leads.admin import lead, mapping, qualification, sync  # noqa: F401  (registers the admin classes)
