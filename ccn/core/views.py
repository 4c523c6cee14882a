"""Site-wide pages: health check and error pages (the home page is the home app's)."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def live(request):
    return JsonResponse({"status": "ok"})


def _wants_json(request) -> bool:
    return request.path.startswith(("/api/", "/ogc/"))


def page_not_found(request, exception=None):
    """404: JSON under the APIs (as documented there), a page elsewhere."""
    from django.utils.translation import gettext as _

    if _wants_json(request):
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    from django.utils.translation import gettext as _

    message = str(exception) if exception and str(exception) else _("You may not see this page.")
    if _wants_json(request):
        return JsonResponse({"detail": message, "code": "permission_denied"}, status=403)
    return render(request, "403.html", {"message": message}, status=403)


def server_error(request):
    return render(request, "500.html", status=500)
