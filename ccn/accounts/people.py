"""People of a province (docs/roles.md, "People"): the administrator or a province approver invites users by
e-mail, one by one or from a spreadsheet list (name, e-mail, role, scope); each receives a link to choose their
password (Django's password-reset token, valid once, for `PASSWORD_RESET_TIMEOUT`); accounts are disabled, never
deleted, so the history keeps their names."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from ccn.core.errors import PermissionDeniedError, ValidationFailed, fields_error
from ccn.core.history import ChangeAction, record_change
from ccn.core.import_files import Column, parse_cell, read_sheets
from ccn.core.text import fold
from ccn.geo.models import Commune, Province

from . import policy
from .choices import ORGANISATION_ROLES, PROVINCE_SCOPED, Role
from .models import ApiToken, User

# The roles each manager may give: the administrator any; a province approver those of their own province.
GRANTS = {
    Role.ADMIN: tuple(Role.values),
    Role.PROVINCE_APPROVER: (
        Role.PROVINCE_EDITOR,
        Role.PROVINCE_APPROVER,
        Role.DEPARTMENT_LEADER,
        Role.PEOPLE_COMMITTEE,
        Role.STATISTICS_OFFICE,
        Role.COMMUNE_OFFICER,
    ),
}


def _role(actor) -> str:
    return Role.ADMIN if actor.is_superuser else actor.role


def may_manage_people(actor) -> bool:
    return actor.is_authenticated and _role(actor) in GRANTS


def people_q(actor):
    """The accounts the actor manages (the accounts.User rule: their province's for a province approver)."""
    return policy.scope_q(actor, User, policy.CHANGE)


@dataclass
class Invitation:
    name: str
    email: str
    role: str
    scope: str = ""  # province code, commune codes (;-separated), or an organisation's tax code


def _resolve(actor, inv: Invitation) -> tuple[User, list, dict[str, list[str]]]:
    """The unsaved user an invitation makes, their communes, and every problem with it by field."""

    Organisation = User._meta.get_field("organisation").related_model  # the registry's, above this app  # noqa: N806
    problems: dict[str, list[str]] = {}
    email = inv.email.strip().lower()
    try:
        validate_email(email)
    except Exception:
        problems.setdefault("email", []).append(_("“%(value)s” is not an e-mail address.") % {"value": inv.email})
    if email and (User.objects.filter(email__iexact=email).exists() or User.objects.filter(username=email).exists()):
        problems.setdefault("email", []).append(
            _("%(email)s already has an account: find it in the list.") % {"email": email}
        )
    if not inv.role.strip():
        roles = "; ".join(str(label) for value, label in Role.choices if value in GRANTS.get(_role(actor), ()))
        problems.setdefault("role", []).append(_("Give the person's role, one of: %(roles)s.") % {"roles": roles})
    elif inv.role not in GRANTS.get(_role(actor), ()):
        problems.setdefault("role", []).append(_("You may not give the role “%(role)s”.") % {"role": inv.role})
    if not inv.name.strip():
        problems.setdefault("name", []).append(_("Required."))
    user = User(username=email, email=email, first_name=inv.name.strip()[:150], role=inv.role)
    communes = []
    scope = inv.scope.strip()
    if inv.role in PROVINCE_SCOPED:
        user.province = Province.objects.filter(code=scope.zfill(2)).first() if scope else actor.province
        if user.province is None:
            problems.setdefault("scope", []).append(_("Give the province code."))
    elif inv.role == Role.COMMUNE_OFFICER:
        codes = [c.strip().zfill(5) for c in scope.replace(",", ";").split(";") if c.strip()]
        communes = list(Commune.objects.filter(code__in=codes).select_related("province"))
        provinces = {c.province_id for c in communes}
        if not codes or len(communes) != len(set(codes)) or len(provinces) != 1:
            problems.setdefault("scope", []).append(_("Give the codes of the officer's communes, in one province."))
        else:
            user.province = communes[0].province
    elif inv.role in ORGANISATION_ROLES:
        user.organisation = Organisation.objects.filter(tax_code=scope).first() if scope else None
        if user.organisation is None:
            problems.setdefault("scope", []).append(_("Give the tax code of the user's organisation."))
    if not problems and not policy.can(actor, policy.ADD, user):
        problems.setdefault("scope", []).append(_("This is outside the users you manage."))
    return user, communes, problems


def _send(user: User, base_url: str) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = base_url.rstrip("/") + reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    with translation.override(user.email_language):
        subject = _("Your CCN account")
        body = render_to_string("accounts/email/invitation.txt", {"user": user, "link": link})
    send_mail(subject, body, None, [user.email])


def _create(actor, user: User, communes, base_url: str) -> User:
    user.set_unusable_password()
    user.save()
    if communes:
        user.communes.set(communes)
    record_change(
        actor=actor,
        obj=user,
        action=ChangeAction.CREATE,
        after={"username": user.username, "role": user.role, "province": user.province_id},
        message=_("Invited"),
    )
    transaction.on_commit(lambda: _send(user, base_url))
    return user


@transaction.atomic
def user_invite(*, actor, invitation: Invitation, base_url: str) -> User:
    if not may_manage_people(actor):
        raise PermissionDeniedError(_("Only the administrator and a province approver invite users."))
    user, communes, problems = _resolve(actor, invitation)
    if problems:
        raise fields_error(problems)
    return _create(actor, user, communes, base_url)


LIST_COLUMNS = [
    Column("name", "Họ và tên", "Name", required=True),
    Column("email", "Thư điện tử", "E-mail", required=True),
    Column("role", "Vai trò", "Role", required=True),
    Column("scope", "Phạm vi", "Scope"),
]


def _role_from(word: str) -> str:
    folded = fold(word or "")
    for value, label in Role.choices:
        if folded in (fold(value), fold(str(label))):
            return value
    with translation.override("en"):
        for value, label in Role.choices:
            if folded == fold(str(label)):
                return value
    return word


def users_invite_list(*, actor, upload, base_url: str, commit: bool) -> tuple[int, list[dict]]:
    """Invitations from a spreadsheet (Name, E-mail, Role, Scope): every problem of every row in one list; all or
    none are invited. Returns (rows, problems)."""
    if not may_manage_people(actor):
        raise PermissionDeniedError(_("Only the administrator and a province approver invite users."))
    sheet = read_sheets(upload)[0]
    rows = [r for r in sheet.rows if any(v not in (None, "") for v in r)]
    if not rows:
        raise ValidationFailed(_("The file is empty."))
    heads = [fold(str(h or "")).rstrip("*").strip() for h in rows[0]]
    index = {c.key: next((i for i, h in enumerate(heads) if h in c.names()), None) for c in LIST_COLUMNS}
    missing = [c.header() for c in LIST_COLUMNS if c.required and index[c.key] is None]
    if missing:
        raise ValidationFailed(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    problems: list[dict] = []
    made = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        values = {}
        for column in LIST_COLUMNS:
            i = index[column.key]
            values[column.key] = (parse_cell(column, cells[i])[0] if i is not None and i < len(cells) else None) or ""
        inv = Invitation(values["name"], values["email"], _role_from(values["role"]), values["scope"])
        user, communes, found = _resolve(actor, inv)
        if user.email in seen:
            found.setdefault("email", []).append(_("This row repeats row %(row)s.") % {"row": seen[user.email]})
        seen.setdefault(user.email, number)
        for field, messages in found.items():
            header = next(c.header() for c in LIST_COLUMNS if c.key == field)
            problems += [{"row": number, "column": header, "message": m} for m in messages]
        made.append((user, communes))
    if commit and not problems:
        with transaction.atomic():
            for user, communes in made:
                _create(actor, user, communes, base_url)
    return len(made), problems


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool) -> User:
    """Disable an account (it signs in no more, its API tokens stop working) or enable it again; never deleted."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not may_manage_people(actor) or not policy.can(actor, policy.CHANGE, locked):
        raise PermissionDeniedError(_("This account is outside the users you manage."))
    if locked.pk == actor.pk and not active:
        raise ValidationFailed(_("You cannot disable your own account."))
    if locked.is_active != active:
        locked.is_active = active
        locked.save(update_fields=["is_active"])
        if not active:
            ApiToken.objects.filter(user=locked).delete()
        record_change(
            actor=actor,
            obj=locked,
            action=ChangeAction.UPDATE,
            before={"is_active": not active},
            after={"is_active": active},
            message=_("Account enabled") if active else _("Account disabled"),
        )
    return locked
