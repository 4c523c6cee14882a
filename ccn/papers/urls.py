from django.urls import path

from . import views

app_name = "papers"

urlpatterns = [
    path("<slug:kind>/<str:key>/", views.prepare, name="prepare"),
    path("<slug:kind>/<str:key>/signed/", views.signed_scan, name="signed"),
]
