"""Applying one record of a received batch (docs/exchange.md) through the registry's own services: created,
updated, unchanged (the same content was applied before), held (the local copy changed since the last exchange: an
`ExchangeConflict`), or refused with the reason. Each record runs in its own savepoint, so a refused record leaves
nothing behind. The batch as a whole (checks, order, result) is `ccn.exchange.services`."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ccn.clusters import figures as cluster_figures
from ccn.clusters.addresses import resolve_former_address
from ccn.clusters.choices import DocumentKind, FigureField
from ccn.clusters.models import Cluster, ClusterFigure, LegalDocument, Organisation
from ccn.clusters.services import (
    cluster_create,
    cluster_transition,
    cluster_update,
    document_add,
    organisation_create,
    organisation_update,
)
from ccn.core.errors import DomainError, ValidationFailed
from ccn.geo.models import Commune, Province
from ccn.geo.resolve import LocationError
from ccn.infrastructure.models import WastewaterPlant
from ccn.infrastructure.services import plant_set, result_add
from ccn.reports.models import Period
from ccn.tenants.models import TenantProject
from ccn.tenants.services import tenant_project_create, tenant_project_transition, tenant_project_update
from ccn.tenants.workflow import action_to

from . import bundle as fmt
from .models import (
    ExchangeConflict,
    ExchangedFile,
    ExchangedReport,
    ExchangeLink,
    IncomingBatch,
    RecordKind,
)
from .references import References

CREATED, UPDATED, UNCHANGED, HELD, REFUSED = "created", "updated", "unchanged", "held", "refused"
MODELS = {
    RecordKind.ORGANISATION: Organisation,
    RecordKind.CLUSTER: Cluster,
    RecordKind.TENANT_PROJECT: TenantProject,
    RecordKind.REPORT: ExchangedReport,
}


class Refused(Exception):
    """One record cannot be applied: its message goes into the batch's result, with the key of the record it
    refers to when that one was never received (`refers_to`)."""

    def __init__(self, message: str, *, refers_to: str = ""):
        super().__init__(message)
        self.refers_to = refers_to


def _day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _dec(value: str | None) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


def local_mark(obj) -> str:
    """What the local copy looks like now: changes made here since the last exchange change it."""
    version = getattr(obj, "version", "")
    updated = getattr(obj, "updated_at", None)
    extra = ""
    if isinstance(obj, Cluster):
        extra = f"{obj.events.count()}:{obj.figures.count()}:{obj.documents.count()}"
    raw = f"{version}|{updated.isoformat() if updated else ''}|{extra}"
    return hashlib.sha256(raw.encode()).hexdigest()


class Batch:
    """The state of one batch being applied: who sends it, its row, and each record's result."""

    def __init__(
        self, actor, row: IncomingBatch, province: Province, *, note: str | None = None, message: str | None = None
    ):
        self.actor = actor
        self.row = row
        self.province = province
        self.instance = row.source_instance
        self.message = message or _("Exchange from %(instance)s, batch %(sequence)s") % {
            "instance": row.source_instance,
            "sequence": row.sequence,
        }
        # What an act's comment or a figure's note says when the record gives none (a history import keeps them
        # as they were written).
        self.note = self.message if note is None else note
        self.results: list[dict] = []
        self.pending_acts: list[tuple[dict, Cluster]] = []
        self.refs = References(MODELS)

    def preload(self, records: list[dict]) -> None:
        """Read the links and linked rows the records need in a few queries (references.py)."""
        self.refs.load(records, self.province)

    def result(self, record: dict, outcome: str, message: str = "", refers_to: str = "") -> None:
        item = {"kind": record["kind"], "key": record["key"], "result": outcome, "message": message}
        if refers_to:
            item["refers_to"] = refers_to
        self.results.append(item)

    def link_of(self, record: dict) -> ExchangeLink | None:
        return self.refs.link(record["kind"], record["key"])

    def linked(self, kind: str, key: str | None):
        """The local record that `key` became."""
        if not key:
            return None
        link = self.refs.link(kind, key)
        if link is None:
            raise Refused(_("It refers to %(key)s, which was never received.") % {"key": key}, refers_to=key)
        return self.refs.row(kind, link.object_id)

    def remember(self, record: dict, obj) -> None:
        obj.refresh_from_db()
        values = {
            "source_instance": self.instance,
            "province": self.province,
            "object_id": obj.pk,
            "applied_hash": fmt.record_hash(record),
            "local_mark": local_mark(obj),
            "source_changed_at": parse_datetime(record["changed_at"]),
        }
        self.refs.save_link(record["kind"], record["key"], values, obj)


def _decide(batch: Batch, record: dict, link: ExchangeLink | None, *, force: bool = False):
    """(outcome, local object) before applying: unchanged, held, or go ahead (None)."""
    if link is None:
        return None, None
    obj = MODELS[record["kind"]].objects.filter(pk=link.object_id).first()
    if obj is None:
        return None, None
    if link.applied_hash == fmt.record_hash(record) and not force:
        return UNCHANGED, obj
    if link.local_mark != local_mark(obj) and not force:
        ExchangeConflict.objects.create(link=link, batch=batch.row, record=record)
        return HELD, obj
    return None, obj


def _apply_organisation(batch: Batch, record: dict, obj: Organisation | None):
    data = dict(record["data"])
    if obj is None and data.get("tax_code"):
        obj = Organisation.objects.filter(tax_code=data["tax_code"]).first()
    if obj is None:
        return CREATED, organisation_create(actor=batch.actor, data=data)
    changed = {k: v for k, v in data.items() if getattr(obj, k) != v}
    if changed:
        obj = organisation_update(actor=batch.actor, organisation=obj, data=changed)
    return (UPDATED if changed else UNCHANGED), obj


def _cluster_fields(batch: Batch, data: dict) -> dict:
    fields = {f: data.get(f) for f in fmt.CLUSTER_PLAIN}
    fields.update({f: _dec(data.get(f)) for f in fmt.CLUSTER_DECIMALS})
    fields["land_confirmed_on"] = _day(data.get("land_confirmed_on"))
    fields["investor"] = batch.linked(RecordKind.ORGANISATION, data.get("investor"))
    fields["is_published"] = bool(data.get("is_published"))
    fields["is_sample"] = bool(data.get("is_sample"))
    if "mountainous_area" in data:  # optional in the format: a bundle without it leaves the local value
        fields["mountainous_area"] = bool(data["mountainous_area"])
    former = data.get("former_address")
    if former:  # optional: the address as written before 1 July 2025, resolved here again, the flag as sent
        try:
            _codes, former_fields, _r = resolve_former_address(
                province=batch.province, former=former, communes=data.get("communes") or []
            )
        except LocationError as exc:
            raise Refused(exc.message)
        if "to_confirm" in former:
            former_fields["location_to_confirm"] = bool(former["to_confirm"])
        fields.update(former_fields)
    for key in ("name_en", "funding_source", "coordinate_source"):
        fields[key] = fields[key] or ""
    return fields


def _figure_value(batch: Batch, figure: dict):
    if figure["field"] == "investor":
        return batch.linked(RecordKind.ORGANISATION, figure.get("organisation"))
    if figure["field"] == "funding_source":
        return figure.get("text") or ""
    return _dec(figure.get("value"))


def _same_figure(row: ClusterFigure, value) -> bool:
    if isinstance(value, Organisation):
        return row.organisation_id == value.pk
    if isinstance(value, str):
        return row.text == value
    return row.value == value


def _replay_figures(batch: Batch, cluster: Cluster, figures: list[dict]) -> None:
    """Record each dated figure the local copy lacks, in date order (within one date, in the order that keeps land
    within area: the other order is tried when the first breaks that rule half-way)."""
    local = {(f.field, f.valid_from): f for f in ClusterFigure.objects.filter(cluster=cluster)}
    by_day: dict[datetime.date, list[dict]] = {}
    for figure in figures:
        by_day.setdefault(_day(figure["valid_from"]), []).append(figure)
    for day in sorted(by_day):
        todo = [
            (f, _figure_value(batch, f))
            for f in by_day[day]
            if not ((f["field"], day) in local and _same_figure(local[(f["field"], day)], _figure_value(batch, f)))
        ]
        for order in (todo, list(reversed(todo))):
            try:
                with transaction.atomic():
                    for figure, value in order:
                        cluster_figures.figure_record(
                            actor=batch.actor,
                            cluster=cluster,
                            field=figure["field"],
                            value=value,
                            valid_from=day,
                            note=figure.get("note") or batch.note,
                        )
                break
            except ValidationFailed:
                if order is not todo or len(todo) < 2:
                    raise


def _document_for(batch: Batch, cluster: Cluster, doc: dict | None) -> LegalDocument | None:
    if not doc:
        return None
    issued_on = _day(doc["issued_on"])
    found = LegalDocument.objects.filter(
        cluster=cluster, kind=doc["kind"], number=doc["number"], issued_on=issued_on
    ).first()
    if found:
        return found
    return document_add(
        actor=batch.actor,
        cluster=cluster,
        kind=doc["kind"],
        number=doc["number"],
        issued_on=issued_on,
        issuer=doc.get("issuer") or "",
        title=doc.get("title") or "",
        is_public=doc.get("is_public", True),
    )


def _earliest_figures(figures: list[dict]) -> dict[str, dict]:
    first: dict[str, dict] = {}
    for figure in sorted(figures, key=lambda f: f["valid_from"]):
        first.setdefault(figure["field"], figure)
    return first


# A dated figure's field is the name of the cluster's field it dates.
FIGURE_COLUMNS = {field: field for field in FigureField.values}


def _apply_cluster(batch: Batch, record: dict, obj: Cluster | None):
    data = record["data"]
    if data["province"] != batch.province.code:
        raise Refused(_("The cluster belongs to another province than the batch."))
    fields = _cluster_fields(batch, data)
    communes = batch.refs.communes_of(data["communes"], batch.province)
    if len(communes) != len(set(data["communes"])):
        raise Refused(
            _("Some communes of the cluster are not communes of %(province)s.") % {"province": batch.province.name}
        )
    acts = data.get("acts") or []
    if obj is None:
        clash = Cluster.objects.filter(code=data["code"]).select_related("province").first()
        if clash is not None and clash.province_id != batch.province.pk:
            raise Refused(
                _("The cluster code %(code)s is already used nationally by %(province)s.")
                % {"code": data["code"], "province": clash.province.name}
            )
        if clash is not None:
            raise Refused(
                _("A cluster with code %(code)s was entered here by hand; a person must link it first.")
                % {"code": data["code"]}
            )
        # Created as it stood at its first act, with its earliest dated figures; the later figures and acts follow.
        for field, figure in _earliest_figures(data.get("figures") or []).items():
            fields[FIGURE_COLUMNS[field]] = _figure_value(batch, figure)
        first = acts[0] if acts else {"to": data["status"], "effective_on": data.get("status_since")}
        first_document = first.get("document")
        # its establishment decision, when the batch carries one: the area is held to the limits in force on the
        # decision's date (Decree 32/2024, Art. 35(1)); the same document is found again, not added twice, below
        carried = [*(data.get("documents") or []), *(a.get("document") for a in acts)]
        decisions = sorted(
            (d for d in carried if d and d.get("kind") == DocumentKind.ESTABLISHED), key=lambda d: d["issued_on"]
        )
        establishment = {**decisions[0], "issued_on": _day(decisions[0]["issued_on"])} if decisions else None
        if decisions and first_document == decisions[0]:
            establishment = None  # the first act's own document, added with the registration
        obj = cluster_create(
            actor=batch.actor,
            province=batch.province,
            communes=communes,
            sectors=data.get("sectors") or [],
            data={"code": data["code"], **fields},
            initial_status=first["to"],
            status_since=_day(first["effective_on"]),
            document={**first_document, "issued_on": _day(first_document["issued_on"])} if first_document else None,
            comment=first.get("comment") or batch.note,
            message=batch.message,
            establishment=establishment,
        )
        outcome = CREATED
    else:
        current = {k: getattr(obj, k) for k in fields if k not in FIGURE_COLUMNS.values()}
        changed = {k: fields[k] for k in current if current[k] != fields[k]}
        commune_codes = sorted(obj.communes.values_list("code", flat=True))
        sector_codes = sorted(obj.sectors.values_list("code", flat=True))
        if changed or commune_codes != data["communes"] or sector_codes != sorted(data.get("sectors") or []):
            obj = cluster_update(
                actor=batch.actor,
                cluster=obj,
                data=changed,
                communes=communes,
                sectors=data.get("sectors") or [],
                message=batch.message,
            )
        outcome = UPDATED
    for doc in data.get("documents") or []:
        _document_for(batch, obj, doc)
    _replay_figures(batch, obj, data.get("figures") or [])
    _apply_plant(batch, obj, data.get("plant"))
    batch.pending_acts.append((record, obj))
    return outcome, obj


def _apply_plant(batch: Batch, cluster: Cluster, plant: dict | None) -> None:
    """The central wastewater plant through the infrastructure service (its checks: the capacity of an operating
    plant), when it differs; then the dated results the local plant lacks, through the one service that records a
    result. A bundle of an earlier instance may carry only the plant's last result: it is added as a result too."""
    if not plant:
        return
    fields = {f: plant.get(f) for f in fmt.PLANT_PLAIN}
    fields["environmental_permit"] = fields["environmental_permit"] or ""
    fields["auto_monitoring"] = bool(fields["auto_monitoring"])
    fields["design_capacity_m3_day"] = _dec(plant.get("design_capacity_m3_day"))
    fields.update({f: _day(plant.get(f)) for f in fmt.PLANT_DATES})
    local = WastewaterPlant.objects.filter(cluster=cluster).first()
    if local is None or any(getattr(local, k) != v for k, v in fields.items()):
        local = plant_set(actor=batch.actor, cluster=cluster, data=fields)
    results = list(plant.get("results") or [])
    last_on = plant.get("last_result_on")
    if last_on and all(_day(r["sampled_on"]) != _day(last_on) for r in results):
        results.append(
            {
                "sampled_on": last_on,
                "compliant": plant.get("compliant"),
                "document": plant.get("last_result_document"),
                "standard": plant.get("standard"),
            }
        )
    known = set(local.results.values_list("sampled_on", flat=True))
    for result in sorted(results, key=lambda r: _day(r["sampled_on"])):
        sampled_on = _day(result["sampled_on"])
        if sampled_on in known:
            continue
        result_add(
            actor=batch.actor,
            cluster=cluster,
            sampled_on=sampled_on,
            compliant=result.get("compliant"),
            document=result.get("document") or "",
            standard=result.get("standard") or "",
            note=result.get("note") or "",
        )
        known.add(sampled_on)


def _apply_acts(batch: Batch, record: dict, cluster: Cluster) -> None:
    """The lifecycle acts the local copy lacks, in date order, each through the lifecycle service with its date and
    document (after the tenant projects, since an operating cluster needs one). An act is there already when an
    event reached the same state on the same date (the first act is the cluster's registration)."""
    done = set(cluster.events.values_list("to_status", "effective_on"))
    for act in record["data"].get("acts") or []:
        day = _day(act["effective_on"])
        if act["action"] == "register" or (act["to"], day) in done:
            continue
        cluster = Cluster.objects.get(pk=cluster.pk)
        cluster_transition(
            actor=batch.actor,
            cluster=cluster,
            action=act["action"],
            effective_on=day,
            document=_document_for(batch, cluster, act.get("document")),
            comment=act.get("comment") or batch.note,
        )


def _project_fields(batch: Batch, data: dict) -> dict:
    fields = {f: data.get(f) for f in fmt.PROJECT_PLAIN}
    fields.update({f: _dec(data.get(f)) for f in fmt.PROJECT_DECIMALS})
    fields.update({f: _day(data.get(f)) for f in fmt.PROJECT_DATES})
    fields["sector"] = batch.refs.sector(
        data.get("sector"), on=fields["capital_date"], edition=data.get("sector_edition")
    )
    fields["is_sample"] = bool(data.get("is_sample"))
    return fields


def _apply_project(batch: Batch, record: dict, obj: TenantProject | None):
    data = record["data"]
    cluster = batch.linked(RecordKind.CLUSTER, data["cluster"])
    enterprise = batch.linked(RecordKind.ORGANISATION, data["enterprise"])
    fields = _project_fields(batch, data)
    since = _day(data.get("status_since"))
    if obj is None:
        # Entered in the first status of its history, then moved through the later ones with their dates.
        steps = data.get("history") or [{"status": data["status"], "since": data.get("status_since")}]
        project = tenant_project_create(
            actor=batch.actor,
            cluster=cluster,
            enterprise=enterprise,
            data=fields,
            initial_status=steps[0]["status"],
            status_since=_day(steps[0]["since"]),
            message=batch.message,
        )
        for step in steps[1:]:
            project = _project_to(batch, project, step["status"], _day(step["since"]))
        return CREATED, project
    obj = tenant_project_update(
        actor=batch.actor, project=obj, data=fields, enterprise=enterprise, message=batch.message
    )
    if obj.status != data["status"]:
        obj = _project_to(batch, obj, data["status"], since)
    return UPDATED, obj


def _project_to(batch: Batch, project: TenantProject, status: str, since: datetime.date | None) -> TenantProject:
    if project.status == status:
        return project
    action = action_to(project.status, status)
    if action is None:
        raise Refused(_("No status action leads from %(old)s to %(new)s.") % {"old": project.status, "new": status})
    return tenant_project_transition(
        actor=batch.actor, project=project, action=action, effective_on=since, comment=batch.message
    )


def _apply_report(batch: Batch, record: dict, obj: ExchangedReport | None):
    data = record["data"]
    period = Period.objects.filter(kind=data["period"]["kind"], year=data["period"]["year"]).first()
    if period is None:
        raise Refused(
            _("The period %(kind)s %(year)s is not set up on this instance.")
            % {"kind": data["period"]["kind"], "year": data["period"]["year"]}
        )
    commune = None
    if data.get("commune"):
        commune = Commune.objects.filter(code=data["commune"], province=batch.province).first()
        if commune is None:
            raise Refused(_("Unknown commune %(code)s in this province.") % {"code": data["commune"]})
    signed = data.get("signed") or {}
    scan = None
    if signed:
        scan = ExchangedFile.objects.filter(sha256=signed["sha256"]).first()
        if scan is None:
            raise Refused(
                _("The signed scan of the report was not received (SHA-256 %(sha)s): the file goes before the batch.")
                % {"sha": signed["sha256"][:12]}
            )
    report, created = ExchangedReport.objects.update_or_create(
        key=record["key"],
        revision=data["revision"],
        defaults={
            "province": batch.province,
            "commune": commune,
            "form": data["form"],
            "period": period,
            "values": data["values"],
            "approved_at": parse_datetime(data["approved_at"]) if data.get("approved_at") else None,
            "approved_by": data.get("approved_by") or "",
            "source_instance": batch.instance,
            "batch": batch.row,
            "signed_number": signed.get("number", ""),
            "signed_on": _day(signed.get("signed_on")),
            "signer": signed.get("signer", ""),
            "signed_scan": scan,
        },
    )
    return (CREATED if created else UPDATED), report


APPLY = {
    RecordKind.ORGANISATION: _apply_organisation,
    RecordKind.CLUSTER: _apply_cluster,
    RecordKind.TENANT_PROJECT: _apply_project,
    RecordKind.REPORT: _apply_report,
}
ORDER = [RecordKind.ORGANISATION, RecordKind.CLUSTER, RecordKind.TENANT_PROJECT, RecordKind.REPORT]


def apply_one(batch: Batch, record: dict, *, force: bool = False) -> None:
    link = batch.link_of(record)
    try:
        with transaction.atomic():
            outcome, obj = _decide(batch, record, link, force=force)
            if outcome is None:
                outcome, obj = APPLY[record["kind"]](batch, record, obj)
                batch.remember(record, obj)
    except (DomainError, Refused, IntegrityError) as exc:
        batch.refs.discard()
        message = exc.message if isinstance(exc, DomainError) else str(exc)
        batch.result(record, REFUSED, message, getattr(exc, "refers_to", ""))
        return
    batch.refs.commit()
    batch.result(record, outcome)


def finish_acts(batch: Batch) -> None:
    for record, cluster in batch.pending_acts:
        try:
            with transaction.atomic():
                _apply_acts(batch, record, cluster)
                batch.remember(record, cluster)
            batch.refs.commit()
        except DomainError as exc:
            batch.refs.discard()
            # The next exchange of this cluster applies it again rather than finding it unchanged.
            batch.refs.unapplied(record["kind"], record["key"])
            for item in batch.results:
                if item["key"] == record["key"] and item["kind"] == record["kind"]:
                    item["result"], item["message"] = (
                        REFUSED,
                        _("Lifecycle act refused: %(reason)s") % {"reason": exc.message},
                    )


def tally(results: list[dict]) -> dict[str, int]:
    counts = {k: 0 for k in (CREATED, UPDATED, UNCHANGED, HELD, REFUSED)}
    for item in results:
        counts[item["result"]] += 1
    return counts
