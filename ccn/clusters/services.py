"""Writes of the registry. Each service runs in one transaction, validates, and records the change history."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.accounts.scope import role_of
from ccn.attachments import services as attachments
from ccn.attachments.models import Kind as AttachmentKind
from ccn.core.errors import PermissionDeniedError, ValidationFailed, field_error, fields_error, validation_from_django
from ccn.core.history import record_change, snapshot, versioned_update
from ccn.core.models import ChangeAction
from ccn.core.services import actor_or_none, full_clean_or_fail, refuse_unknown
from ccn.core.text import fold, number
from ccn.core.transitions import record_start, run_transition, set_initial_status
from ccn.geo.models import Commune, Province

from . import figures, legacy
from .addresses import FORMER_ADDRESS_FIELDS
from .choices import ClusterKind, ClusterStatus, DocumentKind, FundingSource, OrganisationKind, RuleKey
from .leases import leased_land_subquery
from .legacy import DECISION_105_2009_FROM
from .models import CLUSTER_DATA_FIELDS, Cluster, ClusterEvent, LegalDocument, Organisation, Sector
from .policy import TRANSITION
from .rules import area_day
from .validators import clean_polygon, validate_point
from .workflow import CLUSTER_WORKFLOW

CLUSTER_FIELDS = (
    "code",
    *CLUSTER_DATA_FIELDS,
    "investor",
    "funding_source",
    "lat",
    "lon",
    "boundary",
    "coordinate_source",
    "is_published",
    "internal_notes",
    "is_sample",
    *FORMER_ADDRESS_FIELDS,
)
INITIAL_STATES = (ClusterStatus.PLANNED,)
AREA_FIELDS = ("area_planned_ha", "area_established_ha", "kind")


def _check_area_limits(cluster: Cluster, on: datetime.date) -> dict[str, list[str]]:
    """The areas against the limits in force on `on`: the date of the cluster's establishment decision when one is
    recorded (a cluster established before a limit took effect continues outside it, Decree 32/2024, Art. 35(1)),
    else the date the area takes effect."""

    errors: dict[str, list[str]] = {}
    if cluster.kind == ClusterKind.INDUSTRIAL_PARK:
        return errors
    rules = legacy.area_rules()
    mountainous = cluster.mountainous_area
    kind_label = str(cluster.get_kind_display())
    if mountainous:
        kind_label += " (%s)" % _("mountainous area")  # noqa: UP031 - the message is extracted for translation
    low, high = (
        legacy.rule_in_force(rules, key, kind=cluster.kind, mountainous=mountainous, day=on)
        for key in (RuleKey.AREA_MIN_HA, RuleKey.AREA_MAX_HA)
    )
    for field in ("area_planned_ha", "area_established_ha"):
        value = getattr(cluster, field)
        if value is None:
            continue
        if low is not None and value < low.value:
            broken = low
        elif high is not None and value > high.value:
            broken = high
        else:
            continue
        message = _(
            "%(type)s must be %(low)s–%(high)s ha under the rule in force on %(day)s (%(source)s); %(value)s ha is not."
        ) % {
            "type": kind_label,
            "low": _fmt(low.value if low else None),
            "high": _fmt(high.value if high else None),
            "day": on.strftime("%d/%m/%Y"),
            "source": broken.legal_source,
            "value": _fmt(value),
        }
        hint = legacy.mountainous_hint(rules, kind=cluster.kind, mountainous=mountainous, area=value, day=on)
        if hint:
            message += " " + hint
        found = legacy.breaches(rules, kind=cluster.kind, area=value, day=on, mountainous=mountainous)
        if found:
            message += " " + _(
                "A cluster established before the limit took effect (%(limits)s) continues (%(art)s): record "
                "its establishment decision dated before then."
            ) % {
                "limits": "; ".join(f"{b.source}, {b.since:%d/%m/%Y}" for b in found),
                "art": legacy.ART_35,
            }
        errors[field] = [message]
    if (
        cluster.industrial_land_ha is not None
        and cluster.area_ha is not None
        and (cluster.industrial_land_ha > cluster.area_ha)
    ):
        errors.setdefault("industrial_land_ha", []).append(_("Industrial land cannot exceed the cluster's area."))
    return errors


def _check_leased_within(cluster: Cluster) -> None:
    """Land leased (the sum of the tenants' leases) may not exceed land ready to lease or industrial land."""

    leased = Cluster.objects.filter(pk=cluster.pk).annotate(x=leased_land_subquery()).values_list("x", flat=True)[0]
    for field in ("ready_land_ha", "industrial_land_ha"):
        limit = getattr(cluster, field)
        if limit is not None and leased and limit < leased:
            msg = _(
                "%(field)s (%(limit)s ha) cannot be less than the land already leased to tenants (%(leased)s ha)."
            ) % {"field": Cluster._meta.get_field(field).verbose_name, "limit": _fmt(limit), "leased": _fmt(leased)}
            raise field_error(field, msg)


def _fmt(value) -> str:
    """A number in a message, in the user's language (75,5 in Vietnamese)."""
    return number(value, 4)


def _resolve_communes(province: Province, communes) -> list[Commune]:
    result = []
    for c in communes or []:
        commune = c if isinstance(c, Commune) else Commune.objects.filter(code=str(c)).first()
        if commune is None:
            raise field_error("communes", _("Unknown commune %(code)s.") % {"code": c})
        if commune.province_id != province.pk:
            msg = _("The commune %(commune)s is not in %(province)s.") % {
                "commune": commune.name,
                "province": province.name,
            }
            raise field_error("communes", msg)
        result.append(commune)
    if not result:
        msg = _("Choose at least one commune.")
        raise field_error("communes", msg)
    return result


def _resolve_sectors(sectors) -> list[Sector]:
    codes = [s.code if isinstance(s, Sector) else str(s).strip() for s in sectors or []]
    found = {s.code: s for s in Sector.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        msg = _("Unknown VSIC 2018 code(s): %(codes)s.") % {"codes": ", ".join(missing)}
        raise field_error("sectors", msg)
    return [found[c] for c in codes]


def _prepare(cluster: Cluster):
    errors = {}
    try:
        validate_point(cluster.lat, cluster.lon)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        cluster.boundary = clean_polygon(cluster.boundary)
    except ValidationError as exc:
        errors["boundary"] = exc.messages
    if errors:
        raise fields_error(errors)
    if cluster.boundary:
        from shapely.geometry import shape

        geom = shape(cluster.boundary)
        cluster.min_lon, cluster.min_lat, cluster.max_lon, cluster.max_lat = geom.bounds
        if cluster.lat is None:
            c = geom.representative_point()
            cluster.lon, cluster.lat = c.x, c.y
    elif cluster.lat is not None:
        cluster.min_lon = cluster.max_lon = cluster.lon
        cluster.min_lat = cluster.max_lat = cluster.lat
    else:
        cluster.min_lon = cluster.max_lon = cluster.min_lat = cluster.max_lat = None
    cluster.search_key = fold(f"{cluster.name} {cluster.name_en} {cluster.code}")


def _check_funding_against_investor(cluster: Cluster) -> dict[str, list[str]]:
    """A cluster built with the state budget is not enterprise-invested: its infrastructure investor may not be
    recorded as an enterprise (Circular 14/2024, Form 03/04, indicators 7–8 count the clusters "do doanh nghiệp làm
    chủ đầu tư"; Decree 32/2024, Art. 2(3)). Refused so that the figure is never silently wrong."""
    if cluster.funding_source != FundingSource.STATE_BUDGET or cluster.investor_id is None:
        return {}
    kind = Organisation.objects.filter(pk=cluster.investor_id).values_list("kind", flat=True).first()
    if kind != OrganisationKind.ENTERPRISE:
        return {}
    msg = _(
        "The funding source is the state budget but the infrastructure investor “%(name)s” is recorded as an "
        "enterprise: Form 04 would count the cluster as enterprise-invested (Circular 14/2024, Form 04, indicators "
        "7–8; Decree 32/2024, Art. 2(3)). Correct the funding source, or the investor's kind (public unit)."
    ) % {"name": Organisation.objects.filter(pk=cluster.investor_id).values_list("name", flat=True).first()}
    return {"funding_source": [msg]}


def _formed_before_105(status: str, since: datetime.date | None) -> datetime.date | None:
    """The formation date of a cluster registered as operating without establishment since before Decision 105/2009
    took effect: it continues, to be regularised (Decree 32/2024, Art. 35(1), (4)(b)), so its area is held to the
    limits of that date."""

    if status == ClusterStatus.OPERATING_UNESTABLISHED and since is not None and since < DECISION_105_2009_FROM:
        return since
    return None


def _area_day(cluster: Cluster, before: dict, valid_from: datetime.date) -> datetime.date:
    """The day whose area limits apply to an edit: the day a changed area takes effect; for an unchanged area the
    date of the establishment decision (today when none is recorded), or the formation date of a cluster formed
    before Decision 105/2009 and regularised since."""
    if any(before[f] != getattr(cluster, f) for f in AREA_FIELDS):
        return valid_from
    return area_day(cluster)[0]


def _validate(cluster: Cluster, on: datetime.date):
    errors = _check_area_limits(cluster, on)
    for key, messages in _check_funding_against_investor(cluster).items():
        errors.setdefault(key, []).extend(messages)
    try:
        cluster.full_clean(exclude=["communes", "sectors"])
    except ValidationError as exc:
        for k, v in exc.message_dict.items():
            errors.setdefault("__all__" if k == "__all__" else k, []).extend(v)
    if errors:
        raise fields_error(errors)


@transaction.atomic
def cluster_create(
    *,
    actor,
    province: Province,
    communes,
    sectors=(),
    data: dict,
    initial_status: str = ClusterStatus.PLANNED,
    status_since: datetime.date | None = None,
    document: dict | None = None,
    comment: str | None = None,
    message: str = "",
    establishment: dict | None = None,
) -> Cluster:
    """Register a cluster. `initial_status` other than planned records the state of an existing cluster being
    entered with its past (a page, the API, an import): its registration event is dated `status_since`, the day
    that state began, and carries `document` (the fields of `document_add`), the act behind it; the later acts
    follow through `cluster_transition`, each dated on or after the one before. `establishment` ({number,
    issued_on, issuer}) records its establishment decision: its area is then held to the limits in force on the
    decision's date (Decree 32/2024, Art. 35(1)), as it is when `document` is the establishment decision."""
    policy.require(actor, policy.ADD, Cluster(province=province))
    if initial_status not in ClusterStatus.values:
        raise ValidationFailed(_("Unknown state %(state)s.") % {"state": initial_status})
    refuse_unknown(data, CLUSTER_FIELDS)
    today = timezone.localdate()
    cluster = Cluster(province=province, created_by=_user(actor), updated_by=_user(actor), **data)
    set_initial_status(cluster, CLUSTER_WORKFLOW, initial_status)
    cluster.status_since = status_since or today
    if cluster.status_since > today:
        msg = _("The date the state began cannot be in the future.")
        raise field_error("status_since", msg)
    if document and document.get("issued_on") and document["issued_on"] > cluster.status_since:
        msg = _("The document is dated after the act.")
        raise field_error("document", msg)
    _prepare(cluster)
    established_on = (establishment or {}).get("issued_on")
    if not established_on and document and document.get("kind") == DocumentKind.ESTABLISHED:
        established_on = document.get("issued_on")
    _validate(cluster, established_on or _formed_before_105(initial_status, status_since) or today)
    commune_objs = _resolve_communes(province, communes)
    sector_objs = _resolve_sectors(sectors)
    try:
        with transaction.atomic():
            cluster.save()
    except IntegrityError:
        if Cluster.objects.filter(code=cluster.code).exists():
            msg = _("A cluster with this code already exists.")
            raise field_error("code", msg)
        raise
    cluster.communes.set(commune_objs)
    cluster.sectors.set(sector_objs)
    act_document = document_add(actor=actor, cluster=cluster, **document) if document else None
    ClusterEvent.objects.create(
        cluster=cluster,
        action="register",
        from_status="",
        to_status=initial_status,
        effective_on=cluster.status_since,
        document=act_document,
        actor=_user(actor),
        comment=message if comment is None else comment,
    )
    record_start(cluster, CLUSTER_WORKFLOW, actor=actor, action="register", effective_on=cluster.status_since)
    record_change(actor=actor, obj=cluster, action=ChangeAction.CREATE, after=snapshot(cluster), message=message)
    if establishment:
        document_add(
            actor=actor,
            cluster=cluster,
            kind=DocumentKind.ESTABLISHED,
            number=establishment.get("number") or "",
            issued_on=established_on,
            issuer=establishment.get("issuer") or "",
            title=establishment.get("title") or "",
            is_public=establishment.get("is_public", True),
        )
    return cluster


_user = actor_or_none


@transaction.atomic
def cluster_update(
    *,
    actor,
    cluster: Cluster,
    data: dict,
    communes=None,
    sectors=None,
    expected_version: int | None = None,
    message: str = "",
    figures_valid_from: datetime.date | None = None,
    figures_document: LegalDocument | None = None,
) -> Cluster:
    """Change a cluster's fields. `expected_version` (from the form) refuses a save over someone else's change.
    Changed areas, land, investor and funding source are recorded as dated values from `figures_valid_from`
    (default today), so reports of earlier periods keep the values in force then."""
    valid_from = figures_valid_from or timezone.localdate()
    before_figures: dict = {}

    def apply(locked):
        refuse_unknown(data, CLUSTER_FIELDS)
        if "province" in data or "status" in data:
            raise ValidationFailed(_("The province and the state cannot be changed here."))
        before_figures.update(figures.snapshot_figures(locked))
        before_area = {f: getattr(locked, f) for f in AREA_FIELDS}
        for key, value in data.items():
            setattr(locked, key, value)
        _prepare(locked)
        _validate(locked, _area_day(locked, before_area, valid_from))
        _check_leased_within(locked)

    def after_save(locked):
        if figures.record_changes(
            locked, before=before_figures, valid_from=valid_from, actor=actor, document=figures_document, note=message
        ):
            figures.check_consistent_on(locked, valid_from)
        if communes is not None:
            locked.communes.set(_resolve_communes(locked.province, communes))
        if sectors is not None:
            locked.sectors.set(_resolve_sectors(sectors))

    return versioned_update(
        cluster,
        actor=actor,
        expected_version=expected_version,
        check=lambda locked: policy.require(actor, policy.CHANGE, locked),
        apply=apply,
        after_save=after_save,
        message=message,
    )


@transaction.atomic
def document_add(
    *,
    actor,
    cluster: Cluster,
    kind: str,
    number: str,
    issued_on: datetime.date,
    issuer: str,
    title: str = "",
    file=None,
    is_public: bool = True,
) -> LegalDocument:
    policy.require(actor, policy.ADD, LegalDocument(cluster=cluster))
    doc = LegalDocument(
        cluster=cluster,
        kind=kind,
        number=(number or "").strip(),
        issued_on=issued_on,
        issuer=(issuer or "").strip(),
        title=title,
        is_public=is_public,
        created_by=_user(actor),
    )
    if issued_on and issued_on > timezone.localdate():
        raise field_error("issued_on", _("A document cannot be dated in the future."))
    try:
        doc.full_clean()
    except ValidationError as exc:
        raise validation_from_django(exc)
    doc.save()
    record_change(
        actor=actor,
        obj=doc,
        action=ChangeAction.CREATE,
        after=snapshot(doc),
        message=_("Document added to %(cluster)s") % {"cluster": cluster.name},
    )
    if file:
        # The signed paper in the one attachment store; a refused file undoes the whole addition (atomic).
        attachments.attach(actor=actor, record=doc, file=file, kind=AttachmentKind.SIGNED_SCAN, checked=True)
    return doc


@transaction.atomic
def cluster_transition(
    *,
    actor,
    cluster: Cluster,
    action: str,
    effective_on: datetime.date,
    document: LegalDocument | None = None,
    new_document: dict | None = None,
    comment: str = "",
    expected_version: int | None = None,
) -> Cluster:
    """Move a cluster through its lifecycle with the transition engine. The act is dated (`effective_on`) and,
    where the law asks, backed by a legal document; the dated act is kept as a ClusterEvent, which the "as of"
    reports read."""
    backing = document

    def validate(locked, transition):
        nonlocal backing
        today = timezone.localdate()
        if effective_on is None:
            raise field_error("effective_on", _("Required."), detail=_("Give the date of the act."))
        if effective_on > today:
            msg = _("The date of the act cannot be in the future.")
            raise field_error("effective_on", msg)
        if locked.status_since and effective_on < locked.status_since:
            msg = _("The date of the act cannot be before the current state began (%(day)s).") % {
                "day": locked.status_since.strftime("%d/%m/%Y")
            }
            raise field_error("effective_on", msg)
        if new_document:
            backing = document_add(actor=actor, cluster=locked, **new_document)
        if transition.needs_document:
            _check_backing(locked, transition, backing, effective_on)

    def apply(locked, transition):
        locked.status_since = effective_on
        locked.updated_by = _user(actor)

    def dated_act(locked, transition, old_status):
        ClusterEvent.objects.create(
            cluster=locked,
            action=action,
            from_status=old_status,
            to_status=transition.target,
            effective_on=effective_on,
            document=backing,
            actor=_user(actor),
            comment=comment,
        )

    return run_transition(
        cluster,
        CLUSTER_WORKFLOW,
        action,
        actor=actor,
        expected_version=expected_version,
        permission=TRANSITION,
        guard_context=effective_on,
        note=comment,
        effective_on=effective_on,
        validate=validate,
        apply=apply,
        after=dated_act,
        message=lambda locked, t: f"{t.label}: {backing.number if backing else ''} {comment}".strip(),
        update_fields=("status_since", "updated_by"),
    )


def _check_backing(cluster, transition, document, effective_on) -> None:
    """The document a transition needs: given, the cluster's own, of a kind the transition accepts, not dated
    after the act."""
    if document is None:
        msg = _("“%(action)s” needs a document: %(kinds)s.") % {
            "action": transition.label,
            "kinds": ", ".join(str(DocumentKind(k).label) for k in transition.document_kinds),
        }
        raise field_error("document", msg, code="document_required")
    if document.cluster_id != cluster.pk:
        raise ValidationFailed(_("The document belongs to another cluster."))
    if transition.document_kinds and document.kind not in transition.document_kinds:
        msg = _("A “%(kind)s” cannot back “%(action)s”; it needs: %(kinds)s.") % {
            "kind": document.get_kind_display(),
            "action": transition.label,
            "kinds": ", ".join(str(DocumentKind(k).label) for k in transition.document_kinds),
        }
        raise field_error("document", msg, code="document_kind")
    if document.issued_on > effective_on:
        msg = _("The document is dated after the act.")
        raise field_error("document", msg)


ORGANISATION_FIELDS = ("name", "kind", "tax_code", "country", "address", "contact_email", "contact_phone", "website")


@transaction.atomic
def organisation_create(*, actor, data: dict) -> Organisation:
    """A new organisation; it belongs to the province of the officer who enters it until it invests or operates
    somewhere (ccn/clusters/policy.py)."""
    if not policy.may(actor, policy.ADD, Organisation):
        raise PermissionDeniedError(policy.refusal(actor, policy.ADD, Organisation))
    org = Organisation(**data)
    org.created_in_id = actor.province_id if role_of(actor) in policy.OFFICERS else None
    org.search_key = fold(f"{org.name} {org.tax_code}")
    if org.country:
        org.country = org.country.upper()
    try:
        org.full_clean()
    except ValidationError as exc:
        raise validation_from_django(exc)
    org.save()
    record_change(actor=actor, obj=org, action=ChangeAction.CREATE, after=snapshot(org))
    return org


@transaction.atomic
def organisation_update(
    *, actor, organisation: Organisation, data: dict, expected_version: int | None = None
) -> Organisation:
    """Change the fields given in `data` (the others keep their values); only in the actor's scope, and only over
    the version the actor read (`expected_version`)."""

    def apply(locked):
        refuse_unknown(data, ORGANISATION_FIELDS)
        for k, v in data.items():
            setattr(locked, k, v)
        if locked.country:
            locked.country = locked.country.upper()
        locked.search_key = fold(f"{locked.name} {locked.tax_code}")
        full_clean_or_fail(locked)

    return versioned_update(
        organisation,
        actor=actor,
        expected_version=expected_version,
        check=lambda locked: policy.require(actor, policy.CHANGE, locked),
        apply=apply,
    )


__all__ = [
    "ClusterKind",
    "cluster_create",
    "cluster_update",
    "cluster_transition",
    "document_add",
    "organisation_create",
    "organisation_update",
]
