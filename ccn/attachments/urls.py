from django.urls import path

from . import views

app_name = "attachments"

urlpatterns = [
    path("<int:pk>/", views.download, name="download"),
    path("<slug:app_label>/<slug:model_name>/<int:record_id>/", views.record_attachments, name="record"),
]
