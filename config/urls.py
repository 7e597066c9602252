from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from calls import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", include("observability.urls")),  # Prometheus; see observability/views.py for who may read it
    path("webhooks/", include("calls.webhooks.urls")),
    path("api/", include("leads.urls")),
    # The schema and its docs are public: they describe endpoints, never data; the docs page
    # tries requests with the browser's session (log in through the admin first).
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    # The mapping and the sync jobs were the leads app's until they moved to crm/: old bookmarks and the
    # links in earlier dead-letter alerts still reach them.
    re_path(r"^admin/leads/(?P<model>fieldmapping|syncjob|syncattempt)/(?P<rest>.*)$",
            RedirectView.as_view(url="/admin/crm/%(model)s/%(rest)s", permanent=True, query_string=True)),
    path("admin/", admin.site.urls),
    path("", include("calls.urls")),  # the manager pages: /calls/, /dashboard/
]
