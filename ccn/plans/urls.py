"""Pages of plans, targets and the dashboard."""

from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/targets/", views.dashboard_targets, name="dashboard_targets"),
    path("dashboard/figures/<slug:key>/", views.figure_clusters, name="figure"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/amend/", views.plan_amend, name="amend"),
    path("<int:pk>/targets/new/", views.target_create, name="target_create"),
    path("targets/<int:pk>/", views.target_detail, name="target"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target_edit"),
    path("targets/<int:pk>/delete/", views.target_delete, name="target_delete"),
    path("targets/<int:pk>/clusters/", views.target_clusters, name="target_clusters"),
]
