"""Pages of the infrastructure app."""

from django.urls import path  # noqa: F401

app_name = "infrastructure"
urlpatterns: list = []
