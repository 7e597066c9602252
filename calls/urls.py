from django.urls import path
from django.views.generic import RedirectView

from calls.views.dashboard import dashboard
from calls.views.detail import call_detail
from calls.views.export import export_calls
from calls.views.list import call_list

app_name = "calls"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="calls:dashboard"), name="home"),
    path("calls/", call_list, name="list"),
    path("calls/export.csv", export_calls, name="export"),
    path("calls/<int:pk>/", call_detail, name="detail"),
    path("dashboard/", dashboard, name="dashboard"),
]
