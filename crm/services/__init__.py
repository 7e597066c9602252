"""Business logic of the crm app: the call document, the mapping, the sync outbox and the push to Salesforce."""
