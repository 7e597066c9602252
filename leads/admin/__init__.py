from leads.admin import lead, qualification  # noqa: F401  (registers the admin classes)
