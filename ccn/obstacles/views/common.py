"""What the pages of the obstacles app share: who reads them, the province a page is about, links."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _

from ccn.geo.models import Province

from .. import access

PAGE_SIZE = 50


def _require_reader(request):
    if not access.can_see_obstacles(request.user):
        raise PermissionDenied(_("Your role does not follow obstacles."))


def _province_for(request) -> Province | None:
    """The province a page is about: the user's own, or the one chosen (?province=) by those who see all."""
    code = request.GET.get("province") or request.POST.get("province")
    if request.user.province_id and not request.user.sees_everything:
        return request.user.province
    if code:
        return Province.objects.filter(code=code).first()
    return request.user.province if request.user.province_id else None


def _detail_url(obstacle) -> str:
    return reverse("obstacles:detail", kwargs={"pk": obstacle.pk})
