"""Sign-in (rate-limited), sign-out, password change and reset (Django's own views, limited), the language switch
and the user's own page (language, API tokens), the tokens of the users they manage on the token list."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from ccn.core.errors import DomainError
from ccn.core.views_helpers import apply_error

from . import people, services
from .forms import InviteForm, InviteListForm
from .models import ApiToken, User


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


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset: the same answer whether or not the address belongs to a user (nothing is disclosed); the
    e-mail goes through Django's mail backend. Requests are limited per e-mail and per address (429)."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if not services.password_reset_attempt(email=email, address=_address(self.request)):
            form.add_error(None, _("Too many password reset requests. Wait an hour and try again."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
def profile(request):
    new_key = request.session.pop("new_token_key", None)
    tokens = request.user.api_tokens.order_by("-created_at")
    return render(
        request,
        "accounts/profile.html",
        {
            "tokens": tokens,
            "new_key": new_key,
            "lifetimes": services.TOKEN_LIFETIMES,
            "default_days": services.DEFAULT_TOKEN_DAYS,
            "manages_tokens": services.manages_tokens(request.user),
            "languages": settings.LANGUAGES,
        },
    )


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
    try:
        days = int(request.POST.get("days") or services.DEFAULT_TOKEN_DAYS)
    except ValueError:
        days = 0
    try:
        _token, key = services.token_issue(
            actor=request.user,
            name=request.POST.get("name", ""),
            days=days,
            read_only=request.POST.get("read_only") == "on",
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:profile")
    request.session["new_token_key"] = key
    messages.success(request, _("Token created. Copy it now: it will not be shown again."))
    return redirect("accounts:profile")


@login_required
@require_POST
def token_revoke(request, pk):
    try:
        services.token_revoke(actor=request.user, pk=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Token revoked."))
    back = request.POST.get("back")
    return redirect("accounts:token_list" if back == "list" else "accounts:profile")


@login_required
def token_list(request):
    """The tokens of the users the actor manages (all for an administrator, the province's for its approver)."""
    if not services.manages_tokens(request.user):
        raise PermissionDenied(_("Only an administrator or a province approver manages other users' tokens."))
    tokens = (
        ApiToken.objects.filter(services.managed_tokens_q(request.user))
        .select_related("user", "user__province")
        .order_by("user__username", "-created_at")
    )
    return render(request, "accounts/token_list.html", {"tokens": tokens})


# ------------------------------------------------------------------------------------------------------ people


def _people_manager(request):
    if not people.may_manage_people(request.user):
        raise PermissionDenied(_("Only the administrator and a province approver manage accounts."))


@login_required
def people_page(request):
    """The accounts the user manages, invitations one by one or from a list, and disabling."""
    _people_manager(request)
    what = request.POST.get("what") if request.method == "POST" else None
    invite_form = InviteForm(request.POST if what == "invite" else None, actor=request.user)
    list_form = InviteListForm(request.POST if what == "list" else None, request.FILES if what == "list" else None)
    context = {"invite_form": invite_form, "list_form": list_form}
    status = 200
    base_url = request.build_absolute_uri("/")
    if what == "invite" and invite_form.is_valid():
        try:
            invited = people.user_invite(
                actor=request.user, invitation=people.Invitation(**invite_form.cleaned_data), base_url=base_url
            )
        except DomainError as exc:
            apply_error(request, invite_form, exc)
            status = exc.http_status
        else:
            messages.success(request, _("%(email)s is invited.") % {"email": invited.email})
            return redirect("accounts:people")
    elif what == "list" and list_form.is_valid():
        commit = bool(request.POST.get("commit"))
        try:
            rows, problems = people.users_invite_list(
                actor=request.user, upload=list_form.cleaned_data["file"], base_url=base_url, commit=commit
            )
        except DomainError as exc:
            list_form.add_error("file", exc.message)
            status = exc.http_status
        else:
            context["list_result"] = {"rows": rows, "problems": problems, "committed": commit and not problems}
            status = 422 if problems else 200
    elif what:
        status = 422
    context["people"] = (
        User.objects.filter(people.people_q(request.user))
        .select_related("province", "organisation")
        .order_by("-is_active", "username")
    )
    return render(request, "accounts/people.html", context, status=status)


@require_POST
@login_required
def person_active(request, pk):
    _people_manager(request)
    target = User.objects.filter(people.people_q(request.user), pk=pk).first()
    if target is None:
        raise Http404(_("No such account among the users you manage."))
    try:
        people.user_set_active(actor=request.user, user=target, active=request.POST.get("active") == "1")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:people")
