"""Pages of the tenants app."""

from django.urls import path

from . import views

app_name = "tenants"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("export.<str:fmt>", views.project_export, name="export"),
    path("new/", views.project_create, name="create"),
    path("import/", views.import_page, name="import"),
    path("import/template-<str:kind>.<str:fmt>", views.import_template, name="import_template"),
    path("clusters-export.<str:fmt>", views.cluster_export, name="cluster_export"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/status/", views.project_transition, name="transition"),
]
