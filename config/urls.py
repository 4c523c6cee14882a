"""URL configuration: pages per app, the API under /api/v1/, the OGC API under /ogc/."""

from django.contrib import admin
from django.urls import include, path
from health_check.views import HealthCheckView

from ccn.accounts import views as accounts_views
from ccn.core import csp
from ccn.core import views as core_views
from ccn.home import views as home_views

from .api import api

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),  # also kept in the user's profile
    # A load balancer's readiness probe: the database, the shared cache, the task queue and the file storage.
    path(
        "health/ready",
        HealthCheckView.as_view(
            checks=[
                "health_check.checks.Database",
                "health_check.checks.Cache",
                "ccn.jobs.health.TaskQueue",
                "health_check.checks.Storage",
            ]
        ),
        name="health-ready",
    ),
    # Liveness: the process answers (no dependency checked, so a database outage does not restart every process).
    path("health/live", core_views.live, name="health-live"),
    path("csp-report/", csp.csp_report, name="csp-report"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("ccn.accounts.urls")),
    path("clusters/", include("ccn.clusters.urls")),
    path("geo/", include("ccn.maps.urls")),
    path("ogc/", include("ccn.maps.ogc_urls")),
    path("tenants/", include("ccn.tenants.urls")),
    path("infrastructure/", include("ccn.infrastructure.urls")),
    path("reports/", include("ccn.reports.urls")),
    path("plans/", include("ccn.plans.urls")),
    path("obstacles/", include("ccn.obstacles.urls")),
    path("procedures/", include("ccn.procedures.urls")),
    path("portal/", include("ccn.portal.urls")),
    path("papers/", include("ccn.papers.urls")),
    path("attachments/", include("ccn.attachments.urls")),
    path("jobs/", include("ccn.jobs.urls")),
    path("exchange/", include("ccn.exchange.urls")),
]

handler404 = "ccn.core.views.page_not_found"
handler403 = "ccn.core.views.permission_denied"
handler500 = "ccn.core.views.server_error"
