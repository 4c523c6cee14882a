from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("", views.index, name="index"),
    path("batches/<uuid:batch_id>/", views.batch_detail, name="batch"),
    path("conflicts/<int:pk>/", views.conflict_detail, name="conflict"),
    path("national/", views.national, name="national"),
    path("import/", views.import_file, name="import"),
    path("export/", views.export_file, name="export"),
    path("history/", views.history_page, name="history"),
    path("history/template.xlsx", views.history_template, name="history_template"),
    path("push/", views.push_now, name="push"),
    path("schema/1.json", views.schema, name="schema"),
    path("files/<str:sha256>/", views.file_download, name="file"),
]
