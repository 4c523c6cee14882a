"""Pages of the obstacles app."""

from django.urls import path

from . import views

app_name = "obstacles"
urlpatterns = [
    path("", views.obstacle_list, name="list"),
    path("new/", views.obstacle_create, name="create"),
    path("overview/", views.overview, name="overview"),
    path("queue/", views.queue, name="queue"),
    path("agencies/", views.agency_list, name="agencies"),
    path("agencies/new/", views.agency_edit, name="agency_create"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("agencies/<int:pk>/edit/", views.agency_edit, name="agency_edit"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/pack.xlsx", views.meeting_xlsx, name="meeting_xlsx"),
    path("meetings/<int:pk>/pack.pdf", views.meeting_pdf, name="meeting_pdf"),
    path("conferences/", views.conference_list, name="conferences"),
    path("conferences/<int:pk>/", views.conference_detail, name="conference"),
    path("recommendations/<int:pk>/<str:step>/", views.recommendation_act, name="recommendation_act"),
    path("actions/<int:action_id>/<str:step>/", views.action_step, name="action_step"),
    path("<int:pk>/", views.obstacle_detail, name="detail"),
    path("<int:pk>/edit/", views.obstacle_edit, name="edit"),
    path("<int:pk>/state/<str:action>/", views.obstacle_transition, name="transition"),
    path("<int:pk>/actions/", views.action_add, name="action_add"),
    path("<int:pk>/notes/", views.note_add, name="note_add"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment_file, name="attachment_file"),
]
