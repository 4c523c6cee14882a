"""The home page: for the public a landing with the land search, headline figures and the map; for a signed-in
user what needs their attention today."""

from django.db.models import Count, Sum
from django.shortcuts import render
from django.utils import timezone

from ccn.accounts.choices import Role
from ccn.accounts.scope import role_of
from ccn.plans import selectors as plans
from ccn.portal import selectors as portal
from ccn.portal.filters import PortalSearchFilterSet
from ccn.tenants.models import TenantProject

from .attention import sections_for


def home(request):
    if not request.user.is_authenticated:
        return public_home(request)
    role = role_of(request.user)
    context = {"sections": sections_for(request.user), "today": timezone.localdate(), "figures": None}
    if role in (Role.MINISTRY_VIEWER, Role.PROVINCE_APPROVER, Role.PROVINCE_EDITOR, Role.ADMIN):
        context["figures"] = _figures(request.user)
    if role == Role.TENANT:
        context["no_project"] = not TenantProject.objects.filter(enterprise_id=request.user.organisation_id).exists()
    return render(request, "home/home.html", context)


def _figures(user):
    """The figures of the user's province (or the nation) against targets, from the dashboard's indicators."""

    scope, province, _commune = plans.dashboard_scope(user=user)
    today = timezone.localdate()
    wanted = ("clusters_established", "clusters_operating", "industrial_land_ha", "leased_land_ha", "occupancy_pct")
    figures = [f for f in plans.key_figures(scope, today) if f["key"] in wanted]
    # The verdicts of one province's targets are quick; those of all 34 provinces' plans take seconds, so the
    # nation's home links to the dashboard, which loads them on their own.
    verdicts = []
    if province is not None:
        verdicts = plans.verdict_counts(plans.dashboard_targets(user=user, prov=province, com=None, as_of=today))
    return {"province": province, "items": figures, "verdicts": verdicts, "as_of": today}


def public_home(request):
    clusters = portal.public_clusters()
    with_figures = portal._with_public_figures(clusters)
    totals = clusters.aggregate(count=Count("pk"), provinces=Count("province", distinct=True))
    vacant = sum(v for v in with_figures.values_list("vacant_land_ha", flat=True) if v is not None)
    context = {
        "form": PortalSearchFilterSet().form,
        "totals": totals,
        "vacant": vacant,
        "points": portal.map_points(with_figures),
        "as_of": timezone.localdate(),
        "area": clusters.aggregate(area=Sum("area_established_ha"))["area"],
    }
    return render(request, "home/public.html", context)
