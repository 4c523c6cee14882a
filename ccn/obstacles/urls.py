"""Pages of the obstacles app."""

from django.urls import path  # noqa: F401

app_name = "obstacles"
urlpatterns: list = []
