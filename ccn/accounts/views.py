"""Sign-in (rate-limited), sign-out and the user's own page with API tokens."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

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
    return render(request, "accounts/profile.html", {"tokens": tokens, "new_key": new_key})


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
