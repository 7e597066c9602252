from django.urls import path

from leads.api import QualifyLeadView

app_name = "leads"

urlpatterns = [
    path("leads/<str:reference>/qualify/", QualifyLeadView.as_view(), name="qualify"),
]
