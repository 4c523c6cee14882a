"""Sign-in (rate-limited), sign-out, the language switch and the user's own page (language, API tokens)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from . import services
from .models import ApiToken


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        if not services.signin_attempt(username=username, address=_address(request)):
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, _("Too many failed sign-in attempts. Wait 15 minutes and try again."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        services.signin_failed(address=_address(self.request))
        return super().form_invalid(form)

    def form_valid(self, form):
        services.signin_succeeded(username=self.request.POST.get("username", ""), address=_address(self.request))
        return super().form_valid(form)


@login_required
def profile(request):
    new_key = request.session.pop("new_token_key", None)
    tokens = request.user.api_tokens.order_by("-created_at")
    context = {"tokens": tokens, "new_key": new_key, "languages": settings.LANGUAGES}
    return render(request, "accounts/profile.html", context)


@require_POST
def set_language(request):
    """The header's language switch: the choice is kept on every page (a cookie) and, for a signed-in user, in
    their profile, so it follows them to another computer and into their e-mails."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.user_set_language(actor=request.user, language=language)
    return response


@login_required
@require_POST
def language_save(request):
    """The language stored in the profile ("" lets the site choose); the pages switch to it at once."""
    language = request.POST.get("language", "")
    if language not in ("", *dict(settings.LANGUAGES)):
        messages.error(request, _("Choose Vietnamese or English."))
        return redirect("accounts:profile")
    services.user_set_language(actor=request.user, language=language)
    response = redirect("accounts:profile")
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax"
        )
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
    with translation.override(language or settings.LANGUAGE_CODE):  # said in the language just chosen
        messages.success(request, _("Language saved."))
    return response


@login_required
@require_POST
def token_create(request):
    _token, key = services.token_issue(actor=request.user, name=request.POST.get("name", "")[:100])
    request.session["new_token_key"] = key
    messages.success(request, _("Token created. Copy it now: it will not be shown again."))
    return redirect("accounts:profile")


@login_required
@require_POST
def token_revoke(request, pk):
    get_object_or_404(ApiToken, pk=pk, user=request.user).delete()
    messages.success(request, _("Token revoked."))
    return redirect("accounts:profile")
