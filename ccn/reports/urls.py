"""Pages of the reports app."""

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("start/", views.start, name="start"),
    path("completeness/", views.completeness_view, name="completeness"),
    path("national/", views.national_view, name="national"),
    path("periods/", views.periods_view, name="periods"),
    path("quality/", views.quality_view, name="quality"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/save/", views.save, name="save"),
    path("<int:pk>/print/", views.print_view, name="print"),
    path("<int:pk>/pdf/", views.pdf_view, name="pdf"),
    path("<int:pk>/xlsx/", views.xlsx_view, name="xlsx"),
    path("<int:pk>/trace/<str:code>/", views.trace_view, name="trace"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
]
