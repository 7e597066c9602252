from django.contrib import admin
from django.urls import include, path

from calls import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("webhooks/", include("calls.webhooks.urls")),
    path("api/", include("leads.urls")),
    path("admin/", admin.site.urls),
]
