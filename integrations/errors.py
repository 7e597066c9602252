class PayloadError(ValueError):
    """A body that is not what the provider's endpoint takes; the message says why."""
