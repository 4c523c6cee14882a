"""Pages of the procedures app."""

from django.urls import path

from . import views

app_name = "procedures"
urlpatterns = [
    path("", views.dossier_list, name="dossiers"),
    path("dossiers.xlsx", views.dossier_export, name="dossier_export"),
    path("dossiers/new/", views.dossier_new, name="dossier_new"),
    path("overdue/", views.overdue, name="overdue"),
    path("dossiers/<str:code>/", views.dossier_detail, name="dossier"),
    path("dossiers/<str:code>/applications/new/", views.application_add, name="application_add"),
    path("dossiers/<str:code>/checks/", views.dossier_checks, name="dossier_checks"),
    path("dossiers/<str:code>/selection/", views.selection, name="selection"),
    path("dossiers/<str:code>/<str:action>/", views.dossier_action, name="dossier_action"),
    path("inspections/", views.inspection_list, name="inspections"),
    path("inspections.xlsx", views.inspection_export, name="inspection_export"),
    path("inspections/plans/new/", views.inspection_plan_new, name="inspection_plan_new"),
    path("inspections/new/", views.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/<str:step>/", views.inspection_step, name="inspection_step"),
    path("findings/<int:pk>/corrections/new/", views.correction_add, name="correction_add"),
    path("findings/<int:pk>/obstacle/", views.finding_obstacle, name="finding_obstacle"),
    path("corrections/<int:pk>/", views.correction_follow_up, name="correction_follow_up"),
    path("relocation/", views.relocation_list, name="relocations"),
    path("relocation/new/", views.relocation_edit, name="relocation_new"),
    path("relocation/<int:pk>/", views.relocation_edit, name="relocation_edit"),
    path("relocation/<int:pk>/<str:action>/", views.relocation_step, name="relocation_step"),
    path("calendar/", views.legal_calendar, name="calendar"),
]
