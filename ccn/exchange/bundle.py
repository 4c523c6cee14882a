"""The exchange format, version 1 (docs/exchange.md): a province's registry and approved reports as JSON records.

A bundle is one batch: `{"format": "ccn-exchange", "format_version": 1, "source": {...}, "batch": {...},
"records": [...]}`. Each record carries its kind, a key stable across instances, the time it last changed at the
source and its data. Decimals travel as strings (no binary rounding), dates as ISO dates, references to other
records as their keys. The checksum is the SHA-256 of the records in canonical JSON, so a truncated or altered
file is refused before anything is read from it."""

from __future__ import annotations

import datetime
import hashlib
import json
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, F, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce, Greatest
from django.http import HttpResponse

from ccn.clusters.models import Cluster, ClusterEvent, ClusterFigure, LegalDocument, Organisation
from ccn.core.models import ChangeAction, ChangeRecord
from ccn.geo.models import Province
from ccn.infrastructure.models import WastewaterPlant, WastewaterResult
from ccn.papers.models import SignedPaper
from ccn.reports.choices import Form
from ccn.reports.models import Revision
from ccn.tenants.models import TenantProject

from .keys import cluster_key, instance_name, organisation_key, project_key, report_key
from .models import RecordKind
from .workbook import write

FORMAT = "ccn-exchange"
FORMAT_VERSION = 1
ORG_FIELDS = ("name", "kind", "tax_code", "country", "address", "contact_email", "contact_phone", "website")
CLUSTER_DECIMALS = (
    "area_planned_ha",
    "area_established_ha",
    "industrial_land_ha",
    "ready_land_ha",
    "infra_capital_approved_bn",
    "infra_capital_disbursed_bn",
)
CLUSTER_PLAIN = ("name", "name_en", "kind", "funding_source", "lat", "lon", "boundary", "coordinate_source")
PLANT_PLAIN = ("status", "auto_monitoring", "environmental_permit")
PLANT_DATES = ("permit_issued_on",)
PROJECT_DECIMALS = ("capital", "exchange_rate", "land_leased_ha", "wastewater_m3_day")
PROJECT_PLAIN = ("name", "currency", "plots", "workers")
PROJECT_DATES = ("capital_date", "lease_start", "lease_end", "operation_started_on")
REPORTED_FORMS = (Form.F03, Form.F04)
REPORT_PAPER = "report-letter"  # the paper whose signed scan is a report's legal record


def _dec(value) -> str | None:
    return None if value is None else format(Decimal(value).normalize(), "f")


def _day(value) -> str | None:
    return value.isoformat() if value else None


def canonical(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def checksum(records: list) -> str:
    return "sha256:" + hashlib.sha256(canonical(records)).hexdigest()


def record_hash(record: dict) -> str:
    return hashlib.sha256(canonical({"kind": record["kind"], "data": record["data"]})).hexdigest()


def _org_record(org: Organisation) -> dict:
    return {
        "kind": RecordKind.ORGANISATION,
        "key": organisation_key(org),
        "changed_at": org.updated_at.isoformat(),
        "data": {f: getattr(org, f) or "" for f in ORG_FIELDS},
    }


def _document(doc: LegalDocument | None) -> dict | None:
    if doc is None:
        return None
    return {
        "kind": doc.kind,
        "number": doc.number,
        "issued_on": doc.issued_on.isoformat(),
        "issuer": doc.issuer,
        "title": doc.title,
        "is_public": doc.is_public,
    }


def _plant(cluster: Cluster) -> dict | None:
    """The cluster's central wastewater plant and its dated compliance results (ccn/infrastructure), if recorded.
    Its last result (the latest of them) travels too, for instances that read only that."""
    plant = getattr(cluster, "wastewater_plant", None)
    if plant is None:
        return None
    results = plant.results_oldest_first()
    last = results[-1] if results else None
    return {
        **{f: getattr(plant, f) for f in PLANT_PLAIN},
        "design_capacity_m3_day": _dec(plant.design_capacity_m3_day),
        **{f: _day(getattr(plant, f)) for f in PLANT_DATES},
        "compliant": last.compliant if last else None,
        "last_result_on": _day(last.sampled_on) if last else None,
        "last_result_document": last.document if last else "",
        "standard": last.standard if last else "",
        # every dated result, oldest first (optional: absent from bundles of earlier instances)
        "results": [
            {
                "sampled_on": r.sampled_on.isoformat(),
                "compliant": r.compliant,
                "standard": r.standard,
                "document": r.document,
                "note": r.note,
            }
            for r in results
        ],
    }


def _former_address(cluster: Cluster) -> dict | None:
    """The cluster's address as written before 1 July 2025 (ccn/clusters/addresses.py) and whether the commune it
    was resolved to is still to confirm, if it has one."""
    written = (cluster.former_province_name, cluster.former_district_name, cluster.former_commune_name)
    if not any(written):
        return None
    return {
        **dict(zip(("province", "district", "commune"), written, strict=True)),
        "to_confirm": cluster.location_to_confirm,
    }


def _cluster_record(cluster: Cluster, org_keys: dict[int, str]) -> dict:
    events = sorted(cluster.events.all(), key=lambda e: (e.effective_on, e.created_at, e.pk))
    figures = sorted(cluster.figures.all(), key=lambda f: (f.valid_from, f.field, f.pk))
    data = {
        "code": cluster.code,
        "province": cluster.province.code,
        **{f: getattr(cluster, f) for f in CLUSTER_PLAIN},
        **{f: _dec(getattr(cluster, f)) for f in CLUSTER_DECIMALS},
        "land_confirmed_on": _day(cluster.land_confirmed_on),
        "investor": org_keys.get(cluster.investor_id) if cluster.investor_id else None,
        "communes": sorted(c.code for c in cluster.communes.all()),
        "sectors": sorted(s.code for s in cluster.sectors.all()),
        "mountainous_area": cluster.mountainous_area,
        "is_published": cluster.is_published,
        "is_sample": cluster.is_sample,
        "status": cluster.status,
        "status_since": _day(cluster.status_since),
        "documents": [_document(d) for d in sorted(cluster.documents.all(), key=lambda d: (d.issued_on, d.pk))],
        "acts": [
            {
                "action": e.action,
                "from": e.from_status,
                "to": e.to_status,
                "effective_on": e.effective_on.isoformat(),
                "document": _document(e.document),
                "comment": e.comment,
            }
            for e in events
        ],
        "figures": [
            {
                "field": f.field,
                "valid_from": f.valid_from.isoformat(),
                "value": _dec(f.value),
                "text": f.text,
                "organisation": org_keys.get(f.organisation_id) if f.organisation_id else None,
                "note": f.note,
            }
            for f in figures
        ],
    }
    former = _former_address(cluster)
    if former is not None:
        data["former_address"] = former
    plant = _plant(cluster)
    if plant is not None:
        data["plant"] = plant
    return {
        "kind": RecordKind.CLUSTER,
        "key": cluster_key(cluster.province.code, cluster.code),
        "changed_at": cluster.changed_at.isoformat(),
        "data": data,
    }


def project_histories(project_ids) -> dict[int, list[dict]]:
    """Each project's statuses with the day each began, from its change records (one query), for the projects
    whose status changed at least once: the status history a receiver replays."""
    rows = (
        ChangeRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(TenantProject),
            object_id__in=[str(pk) for pk in project_ids],
            action__in=[ChangeAction.CREATE, ChangeAction.IMPORT, ChangeAction.TRANSITION],
        )
        .order_by("at", "id")
        .values_list("object_id", "after")
    )
    steps: dict[int, list[dict]] = {}
    for object_id, after in rows.iterator():
        if not after or not after.get("status") or not after.get("status_since"):
            continue
        history = steps.setdefault(int(object_id), [])
        if not history or history[-1]["status"] != after["status"]:
            history.append({"status": after["status"], "since": after["status_since"]})
    return {pk: history for pk, history in steps.items() if len(history) > 1}


def _project_record(project: TenantProject, org_keys: dict[int, str], history: list[dict] | None = None) -> dict:
    data = {
        "cluster": cluster_key(project.cluster.province.code, project.cluster.code),
        "enterprise": org_keys[project.enterprise_id],
        "sector": project.sector_code,
        **{f: getattr(project, f) for f in PROJECT_PLAIN},
        **{f: _dec(getattr(project, f)) for f in PROJECT_DECIMALS},
        **{f: _day(getattr(project, f)) for f in PROJECT_DATES},
        "status": project.status,
        "status_since": _day(project.status_since),
        "is_sample": project.is_sample,
    }
    if project.sector_code:  # the edition too: a code such as "10" names a sector in both (optional in the format)
        data["sector_edition"] = str(project.sector_edition)
    if history and history[-1] == {"status": project.status, "since": _day(project.status_since)}:
        data["history"] = history
    return {
        "kind": RecordKind.TENANT_PROJECT,
        "key": project_key(project),
        "changed_at": project.updated_at.isoformat(),
        "data": data,
    }


def _report_record(revision: Revision, province_code: str) -> dict:
    period = revision.period
    approver = revision.accepted_by
    commune = revision.report.commune.code if revision.form == Form.F03 and revision.report.commune_id else ""
    return {
        "kind": RecordKind.REPORT,
        "key": report_key(province_code, revision.form, period.kind, period.year, commune),
        "changed_at": (revision.accepted_at or revision.submitted_at or revision.created_at).isoformat(),
        "data": {
            "form": revision.form,
            "commune": commune,
            "period": {"kind": period.kind, "year": period.year},
            "revision": revision.number,
            "values": {code: _dec(value) for code, value in revision.values().items()},
            "approved_at": revision.accepted_at.isoformat() if revision.accepted_at else None,
            "approved_by": (approver.get_full_name() or approver.username) if approver else "",
            "signed": _signed(revision.report_id),
        },
    }


def _signed(report_id: int) -> dict | None:
    """The signed scan of the report's cover letter, which travels as a file named by its SHA-256."""
    paper = SignedPaper.objects.filter(kind=REPORT_PAPER, key=str(report_id)).select_related("scan").first()
    if paper is None:
        return None
    return {
        "number": paper.number,
        "signed_on": paper.signed_on.isoformat(),
        "signer": paper.signer,
        "sha256": paper.sha256,
        "content_type": paper.content_type,
    }


def signed_scans(records: list[dict]) -> dict[str, SignedPaper]:
    """The signed scans the records refer to, by SHA-256 (sent before the batch)."""
    wanted = {
        r["data"]["signed"]["sha256"] for r in records if r["kind"] == RecordKind.REPORT and r["data"].get("signed")
    }
    return {p.sha256: p for p in SignedPaper.objects.filter(scan__sha256__in=wanted).select_related("scan")}


# When a cluster's record last changed: its own row, or the latest row of each relation it carries (acts, figures,
# documents, the plant and the plant's results), each read by its own subquery on the relation's index. One MAX over
# all of them joined at once would read figures × documents × results rows per cluster.
CHANGED_PARTS = (
    (ClusterEvent, "cluster", "created_at"),
    (ClusterFigure, "cluster", "created_at"),
    (LegalDocument, "cluster", "updated_at"),
    (WastewaterPlant, "cluster", "updated_at"),
    (WastewaterResult, "plant__cluster", "updated_at"),
)


def _changed_parts() -> list:
    """The latest time of each relation of a cluster; GREATEST is NULL on SQLite when any argument is, so a cluster
    without rows of a relation falls back to its own time."""
    return [
        Coalesce(
            Subquery(model.objects.filter(**{path: OuterRef("pk")}).order_by(f"-{field}").values(field)[:1]),
            "updated_at",
        )
        for model, path, field in CHANGED_PARTS
    ]


def changed_records(province: Province, *, since: datetime.datetime | None, until: datetime.datetime) -> list[dict]:
    """Every record of `province` that changed after `since` (all of them when None) and up to `until`, in the
    order a receiver applies them: organisations, clusters, tenant projects, reports."""
    window = Q(changed_at__lte=until) & (Q(changed_at__gt=since) if since else Q())
    clusters = (
        Cluster.objects.filter(province=province)
        .annotate(changed_at=Greatest("updated_at", *_changed_parts()))
        .filter(window)
        .select_related("province", "wastewater_plant")
        .prefetch_related(
            "communes", "sectors", "documents", "figures", "events__document", "wastewater_plant__results"
        )
        .order_by("code")
    )
    cluster_ids = Cluster.objects.filter(province=province).values("pk")
    projects = (
        TenantProject.objects.filter(cluster__in=cluster_ids)
        .annotate(changed_at=F("updated_at"))
        .filter(window)
        .select_related("cluster__province")
        .order_by("pk")
    )
    org_ids = set(Cluster.objects.filter(province=province, investor__isnull=False).values_list("investor", flat=True))
    org_ids |= set(TenantProject.objects.filter(cluster__in=cluster_ids).values_list("enterprise", flat=True))
    org_ids |= set(
        ClusterFigure.objects.filter(cluster__in=cluster_ids, organisation__isnull=False).values_list(
            "organisation", flat=True
        )
    )
    all_orgs = Organisation.objects.filter(pk__in=org_ids)
    org_keys = {o.pk: organisation_key(o) for o in all_orgs}
    orgs = all_orgs.annotate(changed_at=F("updated_at")).filter(window).order_by("pk")
    revisions = (
        Revision.objects.filter(province=province, form__in=REPORTED_FORMS, is_final=True)
        .filter(Q(form=Form.F03) | Q(accepted_at__isnull=False))
        .annotate(
            scan_at=Subquery(
                SignedPaper.objects.filter(kind=REPORT_PAPER, key=Cast(OuterRef("report_id"), CharField())).values(
                    "attached_at"
                )[:1]
            ),
            changed_at=Greatest(
                Coalesce("accepted_at", "submitted_at", "created_at"),
                Coalesce("scan_at", "accepted_at", "submitted_at", "created_at"),
            ),
        )
        .filter(window)
        .select_related("period", "accepted_by", "report__commune")
        .order_by("period__starts_on", "form", "pk")
    )
    records = [_org_record(o) for o in orgs]
    records += [_cluster_record(c, org_keys) for c in clusters]
    projects = list(projects)
    histories = project_histories([p.pk for p in projects])
    records += [_project_record(p, org_keys, histories.get(p.pk)) for p in projects]
    records += [_report_record(r, province.code) for r in revisions]
    return records


def build_bundle(*, province: Province, batch_id: str, sequence: int, records: list[dict], created_at) -> dict:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "source": {"instance": instance_name(), "province": province.code},
        "batch": {
            "id": batch_id,
            "sequence": sequence,
            "created_at": created_at.isoformat(),
            "record_count": len(records),
            "checksum": checksum(records),
        },
        "records": records,
    }


def workbook(province: Province, records: list[dict]) -> bytes:
    """The same content as the JSON records for people to read, one sheet per entity: the history workbook
    (workbook.py), which a province's history import reads back."""
    return write(records)


def xlsx_response(province: Province, records: list[dict]) -> HttpResponse:
    response = HttpResponse(
        workbook(province, records), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="ccn-exchange-{province.code}.xlsx"'
    return response
