from leads.admin import lead  # noqa: F401  (registers the admin classes)
