"""Dated values of a cluster's figures: areas, industrial land, ready land, infrastructure investor and funding
source (ClusterFigure). A change records the date it takes effect; the cluster's own columns keep the value in
force today, and a report of a past period reads the values in force on the period's end with `figures_on`.

A cluster whose figures were never changed with a date has no rows: its columns are its values at every date.
The first dated change of a cluster first records every figure's earlier value from the start of the cluster's
record (its first lifecycle date), so the periods before the change keep compiling the same figures."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.core.errors import PermissionDeniedError, ValidationFailed, field_error
from ccn.core.history import record_change, snapshot
from ccn.core.models import ChangeAction
from ccn.core.services import actor_or_none
from ccn.core.text import number

from .choices import DECIMAL_FIGURES, DocumentKind, FigureField, FundingSource
from .models import Cluster, ClusterEvent, ClusterFigure, LegalDocument, Organisation
from .occupancy import OCCUPANCY_PLACES, occupancy_pct, occupancy_sql

__all__ = ["OCCUPANCY_PLACES", "occupancy_pct", "occupancy_sql", "figures_on", "figure_on", "values_on"]

# Field → the Cluster column that holds the value in force today.
COLUMNS = {
    FigureField.AREA_PLANNED: "area_planned_ha",
    FigureField.AREA_ESTABLISHED: "area_established_ha",
    FigureField.INDUSTRIAL_LAND: "industrial_land_ha",
    FigureField.READY_LAND: "ready_land_ha",
    FigureField.INVESTOR: "investor_id",
    FigureField.FUNDING_SOURCE: "funding_source",
}
EARLIEST = datetime.date(1900, 1, 1)


def _row_column(field: str) -> str:
    if field == FigureField.INVESTOR:
        return "organisation_id"
    if field == FigureField.FUNDING_SOURCE:
        return "text"
    return "value"


def _ref(path: str) -> str:
    return "pk" if not path else path.removesuffix("__") + "_id"


def has_history(path: str = ""):
    """True when the cluster (reached by `path` from the queryset's model, "" for clusters themselves) has dated
    figures: then they, not the columns, answer every date."""
    return Exists(ClusterFigure.objects.filter(cluster_id=OuterRef(_ref(path))))


def figure_on(field: str, day: datetime.date, path: str = ""):
    """The value of `field` in force at the end of `day` for the cluster reached by `path` ("" on a Cluster
    queryset, "cluster__" on a tenant project one): the latest dated value on or before the day; the cluster's
    column when it has no dated values; None before its first dated value."""
    column = COLUMNS[field]
    model_field = Cluster._meta.get_field("investor" if field == FigureField.INVESTOR else column)
    output = model_field.target_field if field == FigureField.INVESTOR else model_field
    dated = Subquery(
        ClusterFigure.objects.filter(cluster_id=OuterRef(_ref(path)), field=field, valid_from__lte=day)
        .order_by("-valid_from", "-id")
        .values(_row_column(field))[:1],
        output_field=output,
    )
    return Case(When(Q(has_history(path)), then=dated), default=F(path + column), output_field=output)


def figures_on(qs, day: datetime.date, prefix: str = "as_of_"):
    """Annotate a Cluster queryset with every dated figure as of `day`: `as_of_area_planned_ha`,
    `as_of_area_established_ha`, `as_of_industrial_land_ha`, `as_of_ready_land_ha`, `as_of_investor_id`,
    `as_of_funding_source`."""
    return qs.annotate(**{prefix + COLUMNS[f]: figure_on(f, day) for f in FigureField})


def investor_kind_on(day: datetime.date):
    """The kind (enterprise, cooperative, public unit) of the infrastructure investor in force on `day`; needs the
    `as_of_investor_id` annotation of `figures_on`."""
    return Subquery(Organisation.objects.filter(pk=OuterRef("as_of_investor_id")).values("kind")[:1])


# Lifecycle acts that establish a cluster (Decree 32/2024, Art. 10–11; "regularise" for a cluster that operated
# without establishment). A registration of an existing cluster ("register") is not one.
ESTABLISHING_ACTIONS = ("establish", "regularise")


def state_on_day(day: datetime.date, ref: str = "pk"):
    """The lifecycle state of the cluster `ref` at the end of `day`: the latest of its dated lifecycle events on or
    before the day (None before its first event). The one reading of "the state on a date" that Forms 03/04 and
    the dashboard's figures share; each reads it once per cluster (a column of their per-cluster rows)."""
    return Subquery(
        ClusterEvent.objects.filter(cluster_id=OuterRef(ref), effective_on__lte=day)
        .order_by("-effective_on", "-id")
        .values("to_status")[:1]
    )


def establishment_date(path: str = ""):
    """The date of the cluster's establishment decision: the earliest establishment decision among its legal
    documents, else the date of the establishing act in its lifecycle. None when neither is recorded (an existing
    cluster registered as established without its decision): then "established in the period" is unknown, not
    "no". The date a cluster was registered, imported or edited never counts (Circular 14/2024, Form 03/04,
    indicators 5–6)."""
    ref = OuterRef(_ref(path))
    decision = LegalDocument.objects.filter(cluster_id=ref, kind=DocumentKind.ESTABLISHED).order_by("issued_on")
    act = ClusterEvent.objects.filter(cluster_id=ref, action__in=ESTABLISHING_ACTIONS).order_by("effective_on", "id")
    return Coalesce(
        Subquery(decision.values("issued_on")[:1]),
        Subquery(act.values("effective_on")[:1]),
    )


def first_lifecycle_date(cluster_id: int) -> datetime.date | None:
    """The date of the cluster's first recorded lifecycle act (None: none recorded)."""
    return Cluster.objects.filter(pk=cluster_id).values_list(first_lifecycle_subquery(), flat=True).first()


def first_lifecycle_subquery(ref: str = "pk"):
    """A subquery: the date of the cluster `ref`'s first recorded lifecycle act (None: none recorded)."""
    return Subquery(
        ClusterEvent.objects.filter(cluster_id=OuterRef(ref)).order_by("effective_on", "id").values("effective_on")[:1]
    )


def values_on(cluster: Cluster, day: datetime.date) -> dict[str, object]:
    """The figures of one cluster in force at the end of `day` (column name → value)."""
    row = figures_on(Cluster.objects.filter(pk=cluster.pk), day, prefix="v_").values(
        *("v_" + c for c in COLUMNS.values())
    )
    found = row.first() or {}
    return {key.removeprefix("v_"): value for key, value in found.items()}


def figure_history(cluster: Cluster):
    return (
        ClusterFigure.objects.filter(cluster=cluster)
        .select_related("organisation", "document", "actor")
        .order_by("field", "-valid_from", "-id")
    )


def record_start(cluster: Cluster) -> datetime.date:
    """The first date the cluster's record covers: its first lifecycle act, or the day it was entered."""

    first = first_lifecycle_date(cluster.pk)
    entered = timezone.localdate(cluster.created_at) if cluster.created_at else timezone.localdate()
    candidates = [d for d in (first, cluster.status_since, entered) if d]
    return min(candidates)


def _current_of(cluster: Cluster, field: str):
    value = getattr(cluster, COLUMNS[field])
    return value


def _row_kwargs(field: str, value) -> dict:
    if field == FigureField.INVESTOR:
        return {"organisation_id": value.pk if isinstance(value, Organisation) else value}
    if field == FigureField.FUNDING_SOURCE:
        return {"text": value or ""}
    return {"value": None if value in (None, "") else Decimal(str(value))}


def _check_date(valid_from: datetime.date) -> None:
    if valid_from is None:
        msg = _("Give the date from which the new value applies.")
        raise field_error("valid_from", msg)
    if valid_from > timezone.localdate():
        msg = _("A figure cannot take effect in the future.")
        raise field_error("valid_from", msg)
    if valid_from < EARLIEST:
        msg = _("A figure cannot take effect before 1900.")
        raise field_error("valid_from", msg)


def _ensure_baseline(cluster: Cluster, before: dict, actor) -> None:
    """Before a cluster's first dated change, record its earlier values from the start of its record."""
    if ClusterFigure.objects.filter(cluster=cluster).exists():
        return
    start = record_start(cluster)
    ClusterFigure.objects.bulk_create(
        [
            ClusterFigure(
                cluster=cluster,
                field=field,
                valid_from=start,
                note=_("Value held when dated values began"),
                actor=actor_or_none(actor),
                **_row_kwargs(field, before[field]),
            )
            for field in FigureField
        ]
    )


def record_changes(
    cluster: Cluster,
    *,
    before: dict,
    valid_from: datetime.date,
    actor=None,
    document: LegalDocument | None = None,
    note: str = "",
) -> list[str]:
    """Record the figures of `cluster` (already saved with its new values) that differ from `before` (field →
    value) as dated values from `valid_from`, then put the value in force today back on the cluster's columns.
    Returns the fields recorded. Called by the registry's services inside their transaction."""
    changed = [f for f in FigureField if before.get(f) != _current_of(cluster, f)]
    if not changed:
        return []
    _check_date(valid_from)
    _ensure_baseline(cluster, before, actor)
    for field in changed:
        ClusterFigure.objects.update_or_create(
            cluster=cluster,
            field=field,
            valid_from=valid_from,
            defaults={
                **_row_kwargs(field, _current_of(cluster, field)),
                "document": document,
                "note": note[:300],
                "actor": actor_or_none(actor),
            },
        )
    _sync_columns(cluster)
    return changed


def snapshot_figures(cluster: Cluster) -> dict:
    return {f: _current_of(cluster, f) for f in FigureField}


def _sync_columns(cluster: Cluster) -> None:
    """Put the values in force today on the cluster's columns (a back-dated value may be followed by a later
    one that stays in force)."""
    today = values_on(cluster, timezone.localdate())
    updates = {}
    for column, value in today.items():
        if getattr(cluster, column) != value:
            setattr(cluster, column, value)
            updates[column] = value
    if updates:
        Cluster.objects.filter(pk=cluster.pk).update(**updates)


@transaction.atomic
def figure_record(
    *,
    actor,
    cluster: Cluster,
    field: str,
    value,
    valid_from: datetime.date,
    document: LegalDocument | None = None,
    note: str = "",
) -> ClusterFigure:
    """Record one dated value of a cluster figure (an import of "areas over time", a correction with its date).
    Checks the editor's province, the date, that land stays within the area and ready land within industrial
    land on that date; keeps the cluster's columns on today's value and records the change history."""

    if field not in FigureField.values:
        raise ValidationFailed(_("Unknown figure %(field)s.") % {"field": field})
    locked = Cluster.objects.select_for_update().get(pk=cluster.pk)
    if not policy.can(actor, policy.CHANGE, locked):
        raise PermissionDeniedError(policy.refusal(actor, policy.CHANGE, Cluster))
    _check_date(valid_from)
    if document is not None and document.cluster_id != locked.pk:
        raise ValidationFailed(_("The document belongs to another cluster."))
    if field in DECIMAL_FIGURES and value not in (None, "") and Decimal(str(value)) < 0:
        msg = _("An area cannot be negative.")
        raise field_error("value", msg)
    if field == FigureField.FUNDING_SOURCE and value:
        if value not in FundingSource.values:
            msg = _("Unknown funding source %(value)s.") % {"value": value}
            raise field_error("value", msg)
    before_cluster = snapshot(locked)
    _ensure_baseline(locked, snapshot_figures(locked), actor)
    row, _created = ClusterFigure.objects.update_or_create(
        cluster=locked,
        field=field,
        valid_from=valid_from,
        defaults={**_row_kwargs(field, value), "document": document, "note": note[:300], "actor": actor_or_none(actor)},
    )
    check_consistent_on(locked, valid_from)
    _sync_columns(locked)
    locked.refresh_from_db()
    after = snapshot(locked)
    if after != before_cluster:
        Cluster.objects.filter(pk=locked.pk).update(version=F("version") + 1)
    record_change(
        actor=actor,
        obj=locked,
        action=ChangeAction.UPDATE,
        before=before_cluster,
        after=after,
        message=_("%(figure)s = %(value)s from %(day)s")
        % {
            "figure": FigureField(field).label,
            "value": row.current if row.current not in (None, "") else "—",
            "day": valid_from.strftime("%d/%m/%Y"),
        },
    )
    return row


def check_consistent_on(cluster: Cluster, day: datetime.date) -> None:
    """Industrial land within the area, ready land within industrial land, on the date and on every later date
    a value changes."""
    days = sorted(
        {day}
        | set(ClusterFigure.objects.filter(cluster=cluster, valid_from__gt=day).values_list("valid_from", flat=True))
    )
    for d in days:
        v = values_on(cluster, d)
        area = v["area_established_ha"] if v["area_established_ha"] is not None else v["area_planned_ha"]
        land, ready = v["industrial_land_ha"], v["ready_land_ha"]
        if land is not None and area is not None and land > area:
            msg = _("On %(day)s industrial land (%(land)s ha) would exceed the cluster's area (%(area)s ha).") % {
                "day": d.strftime("%d/%m/%Y"),
                "land": number(land),
                "area": number(area),
            }
            raise field_error("value", msg)
        if ready is not None and land is not None and ready > land:
            msg = _("On %(day)s land ready to lease (%(ready)s ha) would exceed the industrial land (%(land)s ha).") % {
                "day": d.strftime("%d/%m/%Y"),
                "ready": number(ready),
                "land": number(land),
            }
            raise field_error("value", msg)
