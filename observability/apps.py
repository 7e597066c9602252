from django.apps import AppConfig


class ObservabilityConfig(AppConfig):
    name = "observability"

    def ready(self):
        # The Salesforce client (protocol layer) imports no app; the metrics subscribe to its requests instead.
        from integrations.salesforce import client
        from observability.metrics import salesforce_request_sent

        if salesforce_request_sent not in client.request_observers:
            client.request_observers.append(salesforce_request_sent)
