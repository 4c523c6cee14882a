"""Pages of the portal: public pages first (no sign-in), then the handlers' pages."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import views
from .sitemaps import SITEMAPS

app_name = "portal"
urlpatterns = [
    path("", views.search, name="search"),
    path("clusters.csv", views.search_csv, name="search_csv"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("clusters/<str:code>/", views.profile, name="profile"),
    path("clusters/<str:code>/inquire/", views.inquire, name="inquire"),
    path("clusters/<str:code>/inquire/sent/", views.inquiry_sent, name="inquiry_sent"),
    path("clusters/<str:code>/documents/<int:pk>/", views.document, name="document"),
    path("leads/", views.lead_list, name="leads"),
    path("leads/<int:pk>/", views.lead_detail, name="lead_detail"),
    path("leads/<int:pk>/actions/<str:action>/", views.lead_action, name="lead_action"),
    path("offers/<str:code>/", views.offer_edit, name="offer_edit"),
]
