"""Writes of plans and targets. Each service runs in one transaction, checks the actor's province, validates and
records the change history. Actual values are never written: they are computed (ccn/plans/indicators.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.clusters.models import Cluster
from ccn.core.errors import PermissionDeniedError, field_error, fields_error
from ccn.core.history import record_change, snapshot, versioned_update
from ccn.core.models import ChangeAction
from ccn.core.services import actor_or_none, refuse_unknown
from ccn.geo.models import Commune

from .choices import PlanKind, ScopeKind, Unit
from .forecast import fmt_day
from .indicators import Scope, get_indicator
from .models import PLAN_DATA_FIELDS, TARGET_DATA_FIELDS, Plan, PlanItem, PlanVersion, Target

PLAN_FIELDS = (*PLAN_DATA_FIELDS, "is_sample")
TARGET_FIELDS = (*TARGET_DATA_FIELDS, "is_sample")


_user = actor_or_none


def _check_can_manage(actor, province) -> None:
    if not policy.can(actor, policy.CHANGE, Plan(province=province)):
        raise PermissionDeniedError(policy.refusal(actor, policy.CHANGE, Plan))


def _raise(errors: dict[str, list[str]]):
    if errors:
        raise fields_error(errors)


def _full_clean(obj, exclude=()):
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        errors = {("__all__" if k == "__all__" else k): list(v) for k, v in exc.message_dict.items()}
        _raise(errors)


# ---------------------------------------------------------------- plans


@transaction.atomic
def plan_create(
    *,
    actor,
    province,
    data: dict,
    declared_clusters: int | None = None,
    declared_area_ha: Decimal | None = None,
    clusters=(),
) -> Plan:
    """Register a plan document. A development plan gets its first version (the plan as approved) with the totals
    it states and the registry clusters it lists."""
    _check_can_manage(actor, province)
    refuse_unknown(data, PLAN_FIELDS)
    plan = Plan(province=province, created_by=_user(actor), **data)
    _full_clean(plan)
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        msg = _("This province already has a plan with this number and date.")
        raise field_error("number", msg)
    if plan.kind == PlanKind.DEVELOPMENT:
        version = PlanVersion.objects.create(
            plan=plan,
            seq=1,
            number=plan.number,
            issued_on=plan.issued_on,
            issuer=plan.issuer,
            summary=_("Plan as approved"),
            declared_clusters=declared_clusters,
            declared_area_ha=declared_area_ha,
        )
        _add_items(plan, version, [{"cluster": c} for c in clusters])
    elif clusters or declared_clusters is not None or declared_area_ha is not None:
        msg = _("Only a cluster development plan lists planned clusters.")
        raise field_error("kind", msg)
    record_change(actor=actor, obj=plan, action=ChangeAction.CREATE, after=snapshot(plan))
    return plan


@transaction.atomic
def plan_update(*, actor, plan: Plan, data: dict, expected_version: int | None = None) -> Plan:
    def check(locked):
        _check_can_manage(actor, locked.province)
        refuse_unknown(data, PLAN_FIELDS)

    def apply(locked):
        if "kind" in data and data["kind"] != locked.kind:
            raise field_error("kind", _("Fixed."), detail=_("The kind of a plan cannot be changed."))
        for key, value in data.items():
            setattr(locked, key, value)
        _full_clean(locked)
        later = locked.versions.filter(seq__gt=1).order_by("issued_on").first()
        if later and locked.issued_on > later.issued_on:
            msg = _("The plan cannot be dated after its amendment of %(day)s.") % {"day": fmt_day(later.issued_on)}
            raise field_error("issued_on", msg)
        early = locked.targets.filter(deadline__lt=locked.issued_on).first()
        if early:
            msg = _("The target “%(target)s” has a deadline before this date.") % {"target": early.title}
            raise field_error("issued_on", msg)

    def after_save(locked):  # the first version of the plan is the plan's own decision
        first = locked.versions.order_by("seq").first()
        if first:
            PlanVersion.objects.filter(pk=first.pk).update(
                number=locked.number, issued_on=locked.issued_on, issuer=locked.issuer
            )

    return versioned_update(
        plan, actor=actor, expected_version=expected_version, check=check, apply=apply, after_save=after_save
    )


def _add_items(plan: Plan, version: PlanVersion, items: list[dict]) -> list[PlanItem]:
    created = []
    for raw in items:
        cluster = raw.get("cluster")
        if cluster is not None and not isinstance(cluster, Cluster):
            cluster = (
                Cluster.objects.filter(code=str(cluster)).first()
                or Cluster.objects.filter(pk=int(cluster) if str(cluster).isdigit() else 0).first()
            )
            if cluster is None:
                msg = _("Unknown cluster %(code)s.") % {"code": raw.get("cluster")}
                raise field_error("add", msg)
        commune = raw.get("commune")
        if commune is not None and not isinstance(commune, Commune):
            commune = Commune.objects.filter(code=str(commune)).first()
            if commune is None:
                msg = _("Unknown commune %(code)s.") % {"code": raw.get("commune")}
                raise field_error("add", msg)
        if cluster is not None and cluster.province_id != plan.province_id:
            msg = _("%(cluster)s is in another province than the plan.") % {"cluster": cluster.name}
            raise field_error("add", msg)
        if commune is not None and commune.province_id != plan.province_id:
            msg = _("The commune %(commune)s is in another province than the plan.") % {"commune": commune.name}
            raise field_error("add", msg)
        name = (raw.get("name") or (cluster.name if cluster else "")).strip()
        if not name:
            msg = _("Give the name of each planned cluster, or choose it from the registry.")
            raise field_error("add", msg)
        area = raw.get("area_ha")
        if area is None and cluster is not None:
            area = cluster.area_planned_ha
        if cluster is not None and not commune:
            commune = cluster.communes.order_by("code").first()
        if (
            cluster is not None
            and PlanItem.objects.filter(plan=plan, cluster=cluster, removed_in__isnull=True).exists()
        ):
            msg = _("%(cluster)s is already in the plan.") % {"cluster": cluster.name}
            raise field_error("add", msg)
        item = PlanItem(plan=plan, cluster=cluster, name=name, commune=commune, area_ha=area, added_in=version)
        _full_clean(item, exclude=("added_in", "removed_in"))
        item.save()
        created.append(item)
    return created


@transaction.atomic
def plan_amend(
    *,
    actor,
    plan: Plan,
    number: str,
    issued_on: datetime.date,
    issuer: str,
    summary: str = "",
    declared_clusters: int | None = None,
    declared_area_ha: Decimal | None = None,
    add: list[dict] = (),
    remove: list[int] = (),
) -> PlanVersion:
    """Record an amendment of the development plan (e.g. "add eight clusters to the plan"): a new version in force
    from `issued_on` that adds and removes planned clusters and may restate the plan's totals."""
    made: dict = {}  # what the amendment made: its version, and the change record's summary of it

    def check(locked):
        _check_can_manage(actor, locked.province)
        if locked.kind != PlanKind.DEVELOPMENT:
            msg = _("Only the cluster development plan has amendments.")
            raise field_error("__all__", msg)

    def apply(locked):
        errors: dict[str, list[str]] = {}
        if not (number or "").strip():
            errors["number"] = [_("Give the number of the amending document.")]
        if not (issuer or "").strip():
            errors["issuer"] = [_("Give the issuer of the amending document.")]
        last = locked.versions.order_by("-seq").first()
        if issued_on is None:
            errors["issued_on"] = [_("Give the date the amendment takes effect.")]
        elif last and issued_on < last.issued_on:
            errors["issued_on"] = [
                _("An amendment cannot take effect before the version it amends (%(day)s).")
                % {"day": fmt_day(last.issued_on)}
            ]
        if not add and not remove and declared_clusters is None and declared_area_ha is None:
            errors["__all__"] = [_("An amendment must add or remove clusters, or restate the plan's totals.")]
        _raise(errors)
        seq = (locked.versions.aggregate(m=Max("seq"))["m"] or 0) + 1
        version = PlanVersion(
            plan=locked,
            seq=seq,
            number=number.strip(),
            issued_on=issued_on,
            issuer=issuer.strip(),
            summary=summary,
            declared_clusters=declared_clusters,
            declared_area_ha=declared_area_ha,
        )
        _full_clean(version, exclude=("plan",))
        version.save()
        live = {i.pk: i for i in PlanItem.objects.filter(plan=locked, removed_in__isnull=True, pk__in=list(remove))}
        missing = [str(pk) for pk in remove if pk not in live]
        if missing:
            msg = _("These planned clusters are not in the plan: %(ids)s.") % {"ids": ", ".join(missing)}
            raise field_error("remove", msg)
        PlanItem.objects.filter(pk__in=list(live)).update(removed_in=version)
        _add_items(locked, version, list(add))
        made["version"] = version
        made["summary"] = {"amendment": snapshot(version), "added": len(add), "removed": len(live)}

    versioned_update(
        plan,
        actor=actor,
        check=check,
        apply=apply,
        state=lambda locked: made.get("summary"),  # the record keeps the amendment (nothing before it)
        update_fields=(),
        message=lambda locked: _("Amendment %(number)s") % {"number": made["version"].number},
    )
    return made["version"]


# ---------------------------------------------------------------- targets


def _resolve_clusters(plan: Plan, clusters) -> list[Cluster]:
    result = []
    for c in clusters or []:
        cluster = c if isinstance(c, Cluster) else Cluster.objects.filter(code=str(c)).first()
        if cluster is None:
            msg = _("Unknown cluster %(code)s.") % {"code": c}
            raise field_error("clusters", msg)
        result.append(cluster)
    return result


def _validate_target(target: Target, plan: Plan, clusters: list[Cluster]) -> list[Cluster]:
    errors: dict[str, list[str]] = {}
    indicator = get_indicator(target.indicator)
    if indicator is None:
        errors["indicator"] = [_("Unknown indicator “%(key)s”.") % {"key": target.indicator}]
    if target.deadline and target.deadline < plan.issued_on:
        errors["deadline"] = [
            _("The deadline (%(deadline)s) is before the plan's date (%(date)s).")
            % {"deadline": fmt_day(target.deadline), "date": fmt_day(plan.issued_on)}
        ]
    low, high = target.value_min, target.value_max
    if low is not None and high is not None and low > high:
        errors["value_max"] = [
            _("The range's minimum (%(min)s) is above its maximum (%(max)s).")
            % {"min": _plain(low), "max": _plain(high)}
        ]
    if indicator is not None and indicator.unit == Unit.PERCENT and max(low or 0, high or 0) > 100:
        errors["value_min"] = [_("A percentage cannot exceed 100.")]
    province = plan.province
    kind = target.scope_kind
    if kind == ScopeKind.PROVINCE:
        target.commune = None
        clusters = []
    elif kind == ScopeKind.COMMUNE:
        clusters = []
        if target.commune is None:
            errors["commune"] = [_("Choose the commune of the target.")]
        elif target.commune.province_id != province.pk:
            errors["commune"] = [
                _("The commune %(commune)s is not in %(province)s, the province of this plan.")
                % {"commune": target.commune.name, "province": province.name}
            ]
    else:
        target.commune = None
        if not clusters:
            errors["clusters"] = [_("Choose the clusters of the target.")]
        elif kind == ScopeKind.CLUSTER and len(clusters) != 1:
            errors["clusters"] = [_("A target on one cluster needs exactly one cluster.")]
        outside = [c.name for c in clusters if c.province_id != province.pk]
        if outside:
            errors["clusters"] = [
                _("These clusters are not in %(province)s, the province of this plan: %(names)s.")
                % {"province": province.name, "names": ", ".join(outside)}
            ]
    if indicator is not None:
        if kind not in indicator.scopes:
            errors["scope_kind"] = [_("This indicator cannot be set on this scope.")]
        if indicator.is_flow:
            if target.counts_from is None:
                target.counts_from = datetime.date(plan.year, 1, 1) if plan.year else plan.issued_on
        else:
            target.counts_from = None
        if not errors and indicator.fits is not None:
            scope = Scope(
                province_id=province.pk,
                commune_ids=(target.commune_id,) if target.commune_id else (),
                cluster_ids=tuple(c.pk for c in clusters),
                kind=kind,
            )
            problem = indicator.fits(scope)
            if problem:
                errors["indicator"] = [problem]
    if target.counts_from and target.deadline and target.counts_from > target.deadline:
        errors["counts_from"] = [_("The period cannot start after the deadline.")]
    _raise(errors)
    _full_clean(target, exclude=("plan", "clusters"))
    return clusters


def _plain(value) -> str:
    value = Decimal(value).normalize()
    return format(value, "f")


@transaction.atomic
def target_create(*, actor, plan: Plan, data: dict, clusters=()) -> Target:
    _check_can_manage(actor, plan.province)
    refuse_unknown(data, TARGET_FIELDS)
    target = Target(plan=plan, created_by=_user(actor), **data)
    cluster_objs = _validate_target(target, plan, _resolve_clusters(plan, clusters))
    target.save()
    target.clusters.set(cluster_objs)
    record_change(actor=actor, obj=target, action=ChangeAction.CREATE, after=snapshot(target))
    return target


@transaction.atomic
def target_update(*, actor, target: Target, data: dict, clusters=None, expected_version: int | None = None) -> Target:
    chosen: list = []

    def check(locked):
        _check_can_manage(actor, locked.plan.province)
        refuse_unknown(data, TARGET_FIELDS)

    def apply(locked):
        for key, value in data.items():
            setattr(locked, key, value)
        objs = _resolve_clusters(locked.plan, clusters) if clusters is not None else list(locked.clusters.all())
        chosen.extend(_validate_target(locked, locked.plan, objs))

    return versioned_update(
        target,
        actor=actor,
        expected_version=expected_version,
        queryset=Target.objects.select_related("plan__province"),
        check=check,
        apply=apply,
        after_save=lambda locked: locked.clusters.set(chosen),
    )


@transaction.atomic
def target_delete(*, actor, target: Target) -> None:
    _check_can_manage(actor, target.plan.province)
    record_change(actor=actor, obj=target, action=ChangeAction.DELETE, before=snapshot(target))
    target.delete()
