"""Pages of the registry."""

from django.urls import path

from . import views

app_name = "clusters"
urlpatterns = [
    path("", views.cluster_list, name="list"),
    path("new/", views.cluster_create, name="create"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/new/", views.organisation_edit, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_edit, name="organisation_edit"),
    path("locations-to-confirm/", views.locations_to_confirm, name="locations_to_confirm"),
    path("<str:code>/confirm-location/", views.confirm_location, name="confirm_location"),
    path("<str:code>/", views.cluster_detail, name="detail"),
    path("<str:code>/edit/", views.cluster_edit, name="edit"),
    path("<str:code>/actions/<str:action>/", views.cluster_transition, name="transition"),
    path("<str:code>/documents/new/", views.document_add, name="document_add"),
    path("<str:code>/documents/<int:pk>/", views.document_file, name="document_file"),
    path("<str:code>/history.csv", views.cluster_history_export, name="history_export"),
]
