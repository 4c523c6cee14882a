"""Relocation of production facilities into clusters."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.clusters.choices import OPERATING_STATES
from ccn.clusters.models import Cluster
from ccn.clusters.selectors import with_land_figures
from ccn.core.errors import (
    PermissionDeniedError,
    field_error,
)
from ccn.core.history import record_change, snapshot, versioned_update
from ccn.core.models import ChangeAction
from ccn.core.services import refuse_unknown
from ccn.core.text import number
from ccn.core.transitions import run_transition

from ..choices import (
    RelocationStatus,
)
from ..models import (
    RelocationFacility,
)
from ..workflow import RELOCATION_WORKFLOW
from .common import _clean, _d, _not_future, _user

FACILITY_FIELDS = (
    "commune",
    "name",
    "kind",
    "current_location",
    "sector",
    "pollution_concern",
    "land_needed_ha",
    "target_cluster",
    "deadline",
    "notes",
    "is_sample",
)


def _may_write_facility(user, province_id, commune_id) -> bool:
    """The Department of the province or the officer of the facility's commune (ccn/procedures/policy.py)."""
    return policy.can(user, policy.CHANGE, RelocationFacility(province_id=province_id, commune_id=commune_id))


def check_target_cluster(cluster: Cluster, *, province_id: int, land_needed=None) -> None:
    """A facility can only be sent to an operating cluster of its province that has vacant land (enough of it when
    the land needed is known)."""

    if cluster.province_id != province_id:
        raise field_error("target_cluster", _("The target cluster must be in the facility's province."))
    if cluster.status not in OPERATING_STATES:
        raise field_error(
            "target_cluster",
            _("%(cluster)s is not operating (“%(state)s”): a facility can only move into an operating cluster.")
            % {"cluster": cluster.name, "state": cluster.get_status_display()},
            code="cluster_not_operating",
        )
    vacant = with_land_figures(Cluster.objects.filter(pk=cluster.pk)).values_list("vacant_land_ha", flat=True)[0]
    if vacant is None or vacant <= 0:
        raise field_error(
            "target_cluster",
            _("%(cluster)s has no vacant industrial land recorded (land ready to lease minus land leased).")
            % {"cluster": cluster.name},
            code="no_vacant_land",
        )
    if land_needed and vacant < land_needed:
        raise field_error(
            "target_cluster",
            _("%(cluster)s has %(vacant)s ha vacant; the facility needs %(needed)s ha.")
            % {"cluster": cluster.name, "vacant": number(vacant), "needed": number(land_needed)},
            code="not_enough_land",
        )


@transaction.atomic
def relocation_create(*, actor, province, data: dict) -> RelocationFacility:
    refuse_unknown(data, FACILITY_FIELDS)
    commune = data.get("commune")
    if commune is None or commune.province_id != province.pk:
        raise field_error("commune", _("Choose a commune of the province."))
    if not _may_write_facility(actor, province.pk, commune.pk):
        raise PermissionDeniedError(_("You may not record facilities in this commune."))
    facility = RelocationFacility(province=province, created_by=_user(actor), status_since=timezone.localdate(), **data)
    _clean(facility)
    if facility.target_cluster is not None:
        check_target_cluster(facility.target_cluster, province_id=province.pk, land_needed=facility.land_needed_ha)
    facility.save()
    record_change(actor=actor, obj=facility, action=ChangeAction.CREATE, after=snapshot(facility))
    return facility


@transaction.atomic
def relocation_update(
    *, actor, facility: RelocationFacility, data: dict, expected_version: int | None = None
) -> RelocationFacility:

    def check(locked):
        if not _may_write_facility(actor, locked.province_id, locked.commune_id):
            raise PermissionDeniedError(_("You may not edit this facility."))

    def apply(locked):
        refuse_unknown(data, FACILITY_FIELDS)
        target_before = locked.target_cluster_id
        for key, value in data.items():
            setattr(locked, key, value)
        if locked.commune.province_id != locked.province_id:
            raise field_error("commune", _("Choose a commune of the province."))
        _clean(locked)
        if locked.target_cluster is not None and locked.target_cluster_id != target_before:
            check_target_cluster(
                locked.target_cluster, province_id=locked.province_id, land_needed=locked.land_needed_ha
            )
        allocated = locked.status in (RelocationStatus.LAND_ALLOCATED, RelocationStatus.MOVED)
        if locked.target_cluster is None and allocated:
            raise field_error("target_cluster", _("Land has been allocated: the target cluster cannot be removed."))

    return versioned_update(facility, actor=actor, expected_version=expected_version, check=check, apply=apply)


@transaction.atomic
def relocation_transition(
    *,
    actor,
    facility: RelocationFacility,
    action: str,
    on: datetime.date,
    target_cluster: Cluster | None = None,
    expected_version: int | None = None,
) -> RelocationFacility:
    """identified → agreed → land allocated → moved; land can only be allocated in an operating cluster with
    vacant land."""

    def authorize(locked):
        if not _may_write_facility(actor, locked.province_id, locked.commune_id):
            raise PermissionDeniedError(_("You may not change this facility."))

    def validate(locked, transition):
        _not_future("on", on, _("The date"))
        if locked.status_since and on < locked.status_since:
            raise field_error(
                "on",
                _("The date cannot be before the current state began (%(day)s).") % {"day": _d(locked.status_since)},
            )

    def apply(locked, transition):
        if target_cluster is not None and target_cluster.pk != locked.target_cluster_id:
            check_target_cluster(target_cluster, province_id=locked.province_id, land_needed=locked.land_needed_ha)
            locked.target_cluster = target_cluster
        if action == "allocate_land":
            if locked.target_cluster is None:
                raise field_error("target_cluster", _("Choose the cluster where the land is allocated."))
            if target_cluster is None:
                check_target_cluster(
                    locked.target_cluster, province_id=locked.province_id, land_needed=locked.land_needed_ha
                )
        locked.status_since = on

    return run_transition(
        facility,
        RELOCATION_WORKFLOW,
        action,
        actor=actor,
        expected_version=expected_version,
        authorize=authorize,
        effective_on=on,
        validate=validate,
        apply=apply,
    )
