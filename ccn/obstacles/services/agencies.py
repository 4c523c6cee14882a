"""Writes of the agencies that remove obstacles and of their members."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.core.errors import ConflictError, PermissionDeniedError, field_error
from ccn.core.history import record_change, snapshot
from ccn.core.models import ChangeAction
from ccn.core.services import refuse_unknown

from .. import access
from ..choices import ActionStatus, AgencyKind
from ..models import Agency, AgencyMember, ObstacleAction
from .common import _full_clean


def _check_agency_commune(agency: Agency):
    if agency.commune_id and agency.commune.province_id != agency.province_id:
        raise field_error(
            "commune",
            _("The commune %(commune)s is not in %(province)s.")
            % {"commune": agency.commune.name, "province": agency.province.name},
        )


@transaction.atomic
def agency_create(*, actor, province, name: str, kind: str = AgencyKind.DEPARTMENT, **data) -> Agency:
    if not access.can_manage_province(actor, province.pk):
        raise PermissionDeniedError(policy.refusal(actor, policy.ADD, Agency))
    refuse_unknown(data, {"short_name", "commune", "email", "is_active"})
    agency = Agency(province=province, name=(name or "").strip(), kind=kind, **data)
    _check_agency_commune(agency)
    _full_clean(agency)
    agency.save()
    record_change(actor=actor, obj=agency, action=ChangeAction.CREATE, after=snapshot(agency))
    return agency


@transaction.atomic
def agency_update(*, actor, agency: Agency, data: dict) -> Agency:
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    if not access.can_manage_province(actor, agency.province_id):
        raise PermissionDeniedError(_("You may not edit this agency."))
    refuse_unknown(data, {"name", "short_name", "kind", "commune", "email", "is_active"})
    before = snapshot(agency)
    for key, value in data.items():
        setattr(agency, key, value)
    _check_agency_commune(agency)
    _full_clean(agency)
    agency.save()
    record_change(actor=actor, obj=agency, action=ChangeAction.UPDATE, before=before, after=snapshot(agency))
    return agency


@transaction.atomic
def agency_member_add(*, actor, agency: Agency, user) -> AgencyMember:
    if not access.can_manage_province(actor, agency.province_id):
        raise PermissionDeniedError(_("You may not change the members of this agency."))
    if not policy.can(user, policy.VIEW, agency):  # a member sees the agency's province (ccn/obstacles/policy.py)
        if user.organisation_id:
            raise field_error("user", _("An investor's or a tenant's account cannot act for a public agency."))
        raise field_error("user", _("%(user)s works in another province.") % {"user": user.username})
    member, created = AgencyMember.objects.get_or_create(agency=agency, user=user)
    if created:
        record_change(
            actor=actor,
            obj=agency,
            action=ChangeAction.UPDATE,
            message=_("Member added: %(user)s") % {"user": user.username},
        )
    return member


@transaction.atomic
def agency_member_remove(*, actor, agency: Agency, user) -> None:
    if not access.can_manage_province(actor, agency.province_id):
        raise PermissionDeniedError(_("You may not change the members of this agency."))
    if ObstacleAction.objects.filter(
        obstacle__agency=agency, owner=user, status__in=(ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
    ).exists():
        raise ConflictError(
            _("%(user)s still owns open actions of this agency; give them to another member first.")
            % {"user": user.username}
        )
    deleted, _n = AgencyMember.objects.filter(agency=agency, user=user).delete()
    if deleted:
        record_change(
            actor=actor,
            obj=agency,
            action=ChangeAction.UPDATE,
            message=_("Member removed: %(user)s") % {"user": user.username},
        )
