"""Writes of tenant projects. Each service runs in one transaction, keeps the land account consistent
(industrial land ≥ ready land ≥ leased land), validates, and records the change history."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.clusters.models import Cluster, Organisation, Sector, Sector2025
from ccn.clusters.selectors import leased_land_subquery
from ccn.clusters.services import organisation_create
from ccn.clusters.validators import validate_tax_code
from ccn.clusters.vsic import edition_on, find_sector
from ccn.core.errors import PermissionDeniedError, ValidationFailed, field_error, fields_error
from ccn.core.history import record_change, snapshot, versioned_update
from ccn.core.models import ChangeAction
from ccn.core.services import actor_or_none, refuse_unknown
from ccn.core.text import number
from ccn.core.transitions import run_transition, set_initial_status

from .choices import LEASING_STATUSES, Currency, ProjectStatus
from .models import PROJECT_DATA_FIELDS, TenantProject
from .selectors import can_edit_tenants
from .workflow import PROJECT_WORKFLOW

PROJECT_FIELDS = (*PROJECT_DATA_FIELDS, "is_sample")


def _fmt(value) -> str:
    """A number in a message, in the user's language (75,5 in Vietnamese)."""
    return number(value, 4)


def check_land(cluster: Cluster) -> None:
    """Refuse when the leases in force exceed the land ready to lease, or the industrial land when ready land is
    not known. Called after the write, inside the transaction, with the cluster row locked."""
    leased = Cluster.objects.filter(pk=cluster.pk).annotate(x=leased_land_subquery()).values_list("x", flat=True)[0]
    leased = Decimal(leased or 0)
    if cluster.ready_land_ha is not None:
        if leased > cluster.ready_land_ha:
            raise field_error(
                "land_leased_ha",
                _(
                    "Leases in force would total %(leased)s ha, more than the %(ready)s ha of land ready to lease in "
                    "%(cluster)s. Update the cluster's ready land first, or lease less."
                )
                % {"leased": _fmt(leased), "ready": _fmt(cluster.ready_land_ha), "cluster": cluster.name},
            )
    elif cluster.industrial_land_ha is not None and leased > cluster.industrial_land_ha:
        raise field_error(
            "land_leased_ha",
            _(
                "Leases in force would total %(leased)s ha, more than the %(industrial)s ha of industrial land of "
                "%(cluster)s."
            )
            % {"leased": _fmt(leased), "industrial": _fmt(cluster.industrial_land_ha), "cluster": cluster.name},
        )


def enterprise_for(*, actor, tax_code: str, name: str = "", country: str = "VN") -> Organisation:
    """The enterprise with this tax code, created when new. The tax code is checked (format and check digit)."""
    tax_code = (tax_code or "").strip()
    if not tax_code:
        raise field_error("tax_code", _("Give the enterprise's tax code."))
    try:
        validate_tax_code(tax_code)
    except ValidationError as exc:
        raise field_error("tax_code", exc.messages[0])
    org = Organisation.objects.filter(tax_code=tax_code).first()
    if org is not None:
        return org
    name = (name or "").strip()
    if not name:
        raise field_error(
            "enterprise_name", _("Give the name of the new enterprise with tax code %(code)s.") % {"code": tax_code}
        )
    country = (country or "VN").strip().upper()
    try:
        return organisation_create(actor=actor, data={"name": name, "tax_code": tax_code, "country": country})
    except ValidationFailed as exc:
        if "country" in exc.field_errors or "country" in exc.message.lower():
            raise field_error("country", _("The country must be a two-letter ISO code such as VN, JP or KR."))
        raise


def _set_sector(project: TenantProject, value) -> None:
    """The project's sector from a code of any level, read in the edition in force on the project's registration
    date (capital_date) when it is known, else in either (docs/decisions/0010-vsic-editions.md)."""
    if isinstance(value, Sector | Sector2025) and edition_on(project.capital_date) in (None, value.edition):
        sector = value  # read by the caller in the edition this rule chooses (an exchange batch reads its codes once)
    else:
        # a code the project already holds stays in its edition when no date decides (a form sends the code back)
        keep = project.sector_edition if str(value).strip() == (project.sector_code or "") else None
        sector = None if value in (None, "") else find_sector(value, on=project.capital_date, keep=keep)
    project.sector = sector if sector is not None and sector.edition == 2018 else None
    project.sector_2025 = sector if isinstance(sector, Sector2025) else None


def _apply(project: TenantProject, data: dict) -> None:
    refuse_unknown(data, PROJECT_FIELDS)
    for key, value in data.items():
        if key == "sector":
            continue
        elif key in ("plots", "name") and value is None:
            value = ""
        elif key == "land_leased_ha" and value is None:
            value = Decimal("0")
        elif key == "currency" and not value:
            value = Currency.VND
        setattr(project, key, value)
    project.name = (project.name or "").strip()
    if "sector" in data:
        _set_sector(project, data["sector"])
    elif "capital_date" in data and project.sector_code:
        _set_sector(project, project.sector_code)  # a new registration date may put the code in the other edition


def _validate(project: TenantProject, *, known_refs: bool = False, fields: frozenset[str] | None = None) -> None:
    """`known_refs`: the sector and the user were resolved from data read up front (bulk import), so the model's
    validation does not look them up again row by row. `fields`: a new project whose other fields still hold the
    model's defaults (the bulk import's new rows): only these are checked, with the model's own rules and
    messages, since a default is valid by construction."""
    errors: dict[str, list[str]] = {}
    if project.currency == Currency.VND:
        project.exchange_rate = Decimal("1")
    elif project.exchange_rate in (None, Decimal("1")) and project.capital is not None:
        errors["exchange_rate"] = [_("Give the exchange rate (VND per USD) of the date the capital was registered.")]
    if project.exchange_rate is None:
        project.exchange_rate = Decimal("1")
    if project.lease_start and project.lease_end and project.lease_end < project.lease_start:
        errors["lease_end"] = [_("A lease cannot end before it starts.")]
    today = timezone.localdate()
    if project.operation_started_on and project.operation_started_on > today:
        errors.setdefault("operation_started_on", []).append(_("The operation start date cannot be in the future."))
    try:
        exclude = ["cluster", "enterprise"] + (["sector", "sector_2025", "updated_by"] if known_refs else [])
        if fields is not None:
            exclude = [f.name for f in TenantProject._meta.fields if f.name not in fields or f.name in exclude]
            # a new row: no primary key nor unique field to look up (the unique constraint is checked by the caller)
            project.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        else:
            project.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(m for m in messages if m not in errors.get(key, []))
    if errors:
        raise fields_error(errors)


def _lock_cluster(cluster: Cluster) -> Cluster:
    return Cluster.objects.select_for_update().get(pk=cluster.pk)


def _save(project: TenantProject) -> None:
    try:
        with transaction.atomic():
            project.save()
    except IntegrityError:
        clash = (
            TenantProject.objects.filter(cluster=project.cluster, enterprise=project.enterprise, name=project.name)
            .exclude(pk=project.pk)
            .exists()
        )
        if clash:
            raise field_error("name", _("This enterprise already has a project of this name in this cluster."))
        raise


@transaction.atomic
def tenant_project_create(
    *,
    actor,
    cluster: Cluster,
    enterprise: Organisation,
    data: dict,
    initial_status: str = ProjectStatus.REGISTERED,
    status_since: datetime.date | None = None,
    history_action: str = ChangeAction.CREATE,
    message: str = "",
) -> TenantProject:
    """Register a tenant project in a cluster. `initial_status` other than registered enters an existing project
    (from another register or an import) in the status it already has."""
    locked = _lock_cluster(cluster)
    if not can_edit_tenants(actor, locked):
        raise PermissionDeniedError(policy.refusal(actor, policy.ADD, TenantProject))
    if initial_status not in ProjectStatus.values:
        raise field_error("status", _("Unknown status %(status)s.") % {"status": initial_status})
    project = TenantProject(cluster=locked, enterprise=enterprise, updated_by=_user(actor))
    _apply(project, data)
    set_initial_status(project, PROJECT_WORKFLOW, initial_status)
    project.status_since = status_since or timezone.localdate()
    if project.status_since > timezone.localdate():
        raise field_error("status_since", _("The date the status began cannot be in the future."))
    if initial_status == ProjectStatus.OPERATING and project.operation_started_on is None and status_since:
        project.operation_started_on = status_since
    _validate(project)
    _save(project)
    check_land(locked)
    record_change(actor=actor, obj=project, action=history_action, after=snapshot(project), message=message)
    return project


@transaction.atomic
def tenant_project_update(
    *,
    actor,
    project: TenantProject,
    data: dict,
    enterprise: Organisation | None = None,
    expected_version: int | None = None,
    history_action: str = ChangeAction.UPDATE,
    message: str = "",
) -> TenantProject:
    """Change a project's fields (not its status: see `tenant_project_transition`)."""
    locked_cluster = _lock_cluster(project.cluster)

    def check(locked):
        if not can_edit_tenants(actor, locked_cluster):
            raise PermissionDeniedError(_("You may not edit this tenant project."))

    def apply(locked):
        if "status" in data:
            raise field_error("status", _("The status changes only through the status actions."))
        _apply(locked, data)
        if enterprise is not None:
            locked.enterprise = enterprise
        _validate(locked)

    return versioned_update(
        project,
        actor=actor,
        expected_version=expected_version,
        check=check,
        apply=apply,
        skip_unchanged=True,
        save=_save,
        after_save=lambda locked: check_land(locked_cluster),
        action=history_action,
        message=message,
    )


@transaction.atomic
def tenant_project_transition(
    *,
    actor,
    project: TenantProject,
    action: str,
    effective_on: datetime.date | None = None,
    comment: str = "",
    history_action: str = ChangeAction.TRANSITION,
    expected_version: int | None = None,
) -> TenantProject:
    """Change a project's status: the only code that writes `status`. Starting operation dates the operation
    start; stopping hands the land back; registering again takes it back (and must fit the ready land)."""
    locked_cluster = _lock_cluster(project.cluster)
    today = timezone.localdate()
    effective_on = effective_on or today

    def authorize(locked):
        if not can_edit_tenants(actor, locked_cluster):
            raise PermissionDeniedError(_("You may not change the status of this tenant project."))

    def validate(locked, transition):
        if effective_on > today:
            raise field_error("effective_on", _("The date cannot be in the future."))

    def apply(locked, transition):
        locked.status_since = effective_on
        if transition.target == ProjectStatus.OPERATING and locked.operation_started_on is None:
            locked.operation_started_on = effective_on
        locked.updated_by = _user(actor)

    def land(locked, transition, old):
        if transition.target in LEASING_STATUSES:
            check_land(locked_cluster)

    return run_transition(
        project,
        PROJECT_WORKFLOW,
        action,
        actor=actor,
        expected_version=expected_version,
        authorize=authorize,
        note=comment,
        effective_on=effective_on,
        validate=validate,
        apply=apply,
        after=land,
        message=lambda locked, t: f"{t.label} ({effective_on:%d/%m/%Y}) {comment}".strip(),
        history_action=history_action,
        update_fields=("status_since", "operation_started_on", "updated_by"),
    )


_user = actor_or_none
