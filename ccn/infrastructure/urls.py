"""Pages of the infrastructure app."""

from django.urls import path

from . import views

app_name = "infrastructure"
urlpatterns = [
    path("alerts/", views.alert_list, name="alerts"),
    path("<str:code>/", views.cluster_infrastructure_edit, name="edit"),
]
