"""Business logic of the leads app: services (writes) and the documents they read."""
