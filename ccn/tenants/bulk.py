"""The tenant import's bulk path: the clusters, enterprises, sectors and projects a file names are read once up
front, every row is checked with the same rules and messages as the services (tax code, model validation, scope,
the land ready to lease counted row after row), and the valid rows are written with a few bulk statements and one
batch of change records. Rows that change the status of an existing project go through the status service, after
the bulk writes, so the workflow's rules stay in one place."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.clusters.models import Cluster, Organisation
from ccn.clusters.selectors import cluster_scope_q
from ccn.clusters.validators import validate_tax_code
from ccn.clusters.vsic import MODELS, clean_code, pick_edition
from ccn.core.bulk import Written, insert_objects
from ccn.core.errors import (
    ConflictError,
    DomainError,
    NotFoundError,
    PermissionDeniedError,
    field_error,
    validation_from_django,
)
from ccn.core.history import insert_change_records, snapshot
from ccn.core.importing import RowProblem
from ccn.core.models import ChangeAction
from ccn.core.services import actor_or_none
from ccn.core.text import fold
from ccn.core.transitions import set_initial_status

from . import services
from .choices import LEASING_STATUSES, ProjectStatus
from .models import TenantProject
from .selectors import editable_clusters
from .workflow import PROJECT_WORKFLOW, action_to

BATCH = 1000
SECTOR_KEYS = ("sector_id", "sector_2025_id")  # a row's sector, in the edition its date reads it in
# What the bulk path sets on every new project besides the file's columns (`_data`): checked with the model's rules.
NEW_ROW_FIELDS = frozenset({"name", "status", "status_since", "currency", "exchange_rate", "land_leased_ha"})
COUNTRY = re.compile(r"^[A-Z]{2}$")


def pad(code, width: int) -> str:
    """Spreadsheets turn codes into numbers and drop their leading zeros; put them back."""
    text = str(code or "").strip()
    return text.zfill(width) if text.isdigit() else text


class TenantBulk:
    """One run of the bulk path; `apply_all` is the importer's entry point and `after` its occupancy check."""

    def __init__(self, *, actor, message: str, data_keys: tuple[str, ...]):
        self.actor = actor
        self.message = message
        self.data_keys = data_keys
        self.touched: dict[int, Cluster] = {}
        self.leased: dict[int, Decimal] = {}
        self._fields_cache: dict[tuple, frozenset[str]] = {}

    # ---------------------------------------------------------------------------------------- read up front

    def _load(self, rows):
        codes = {(v.get("cluster_code") or "").strip().upper() for _, v in rows}
        self.clusters = {
            c.code: c
            for c in Cluster.objects.filter(cluster_scope_q(self.actor), code__in=codes).select_for_update().order_by()
        }
        mine = set(editable_clusters(self.actor).filter(code__in=codes).values_list("pk", flat=True))
        self.editable = {c.pk: c.pk in mine for c in self.clusters.values()}
        taxes = {pad(v.get("tax_code"), 10) for _, v in rows}
        self.orgs = {o.tax_code: o for o in Organisation.objects.filter(tax_code__in=taxes)}
        self.sectors = {e: set(model.objects.values_list("code", flat=True)) for e, model in MODELS.items()}
        self.projects = {
            (p.cluster_id, p.enterprise_id, p.name): p
            for p in TenantProject.objects.filter(
                cluster__in=list(self.clusters.values()), enterprise__in=list(self.orgs.values())
            )
        }
        self.leased = defaultdict(Decimal)
        totals = (
            TenantProject.objects.filter(cluster__in=list(self.clusters.values()), status__in=LEASING_STATUSES)
            .values("cluster")
            .annotate(total=Sum("land_leased_ha"))
            .order_by()
        )
        for item in totals:
            self.leased[item["cluster"]] = Decimal(item["total"] or 0)
        self.tax_checked: dict[str, str] = {}
        self.new_orgs: dict[str, Organisation] = {}
        self.may_add_orgs = policy.may(self.actor, policy.ADD, Organisation)

    # ----------------------------------------------------------------------------------------------- checks

    def _cluster(self, values) -> Cluster:
        code = (values.get("cluster_code") or "").strip().upper()
        cluster = self.clusters.get(code)
        if cluster is None:
            msg = _("No cluster with code %(code)s that you may see.") % {"code": code}
            raise field_error("cluster", msg, error=NotFoundError)
        if not self.editable[cluster.pk]:
            msg = _("You may not edit the tenants of %(cluster)s.") % {"cluster": cluster.name}
            raise field_error("cluster", msg, error=PermissionDeniedError)
        return cluster

    def _enterprise(self, values) -> Organisation:
        tax = pad(values.get("tax_code"), 10)
        if not tax:
            raise field_error("tax_code", _("Give the enterprise's tax code."))
        if tax not in self.tax_checked:
            try:
                validate_tax_code(tax)
                self.tax_checked[tax] = ""
            except ValidationError as exc:
                self.tax_checked[tax] = exc.messages[0]
        if self.tax_checked[tax]:
            raise field_error("tax_code", self.tax_checked[tax])
        org = self.orgs.get(tax) or self.new_orgs.get(tax)
        if org is not None:
            return org
        name = (values.get("enterprise_name") or "").strip()
        if not name:
            raise field_error(
                "enterprise_name", _("Give the name of the new enterprise with tax code %(code)s.") % {"code": tax}
            )
        if not self.may_add_orgs:
            raise PermissionDeniedError(_("You may not add organisations."))
        org = Organisation(name=name, tax_code=tax, country=(values.get("country") or "VN").strip().upper())
        org.search_key = fold(f"{org.name} {org.tax_code}")
        if not COUNTRY.match(org.country):  # the model's check constraint, without a query per row
            raise field_error("country", _("The country must be a two-letter ISO code such as VN, JP or KR."))
        try:  # the tax code was looked up above and is unique within the file: no query per row
            org.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            error = validation_from_django(exc)
            if "country" in error.field_errors:
                raise field_error("country", _("The country must be a two-letter ISO code such as VN, JP or KR."))
            raise error
        self.new_orgs[tax] = org
        return org

    def _data(self, values) -> dict:
        data = {k: values[k] for k in self.data_keys if values.get(k) is not None}
        if "sector" in data:
            code = clean_code(data.pop("sector"))
            code = pad(code, 2) if len(code) < 2 and code.isdigit() else code  # a spreadsheet drops the 0 of 01
            held = [e for e, codes in self.sectors.items() if code in codes]
            edition = pick_edition(code, held, on=values.get("capital_date"))
            data["sector_id"], data["sector_2025_id"] = (code, None) if edition == 2018 else (None, code)
        return data

    def _lease(self, cluster: Cluster, delta: Decimal) -> None:
        """Counts a lease against the cluster's land, refusing the row that would exceed it (as `check_land`)."""
        leased = self.leased[cluster.pk] + delta
        if cluster.ready_land_ha is not None and leased > cluster.ready_land_ha:
            raise field_error(
                "land_leased_ha",
                _(
                    "Leases in force would total %(leased)s ha, more than the %(ready)s ha of land ready to lease in "
                    "%(cluster)s. Update the cluster's ready land first, or lease less."
                )
                % {
                    "leased": services._fmt(leased),
                    "ready": services._fmt(cluster.ready_land_ha),
                    "cluster": cluster.name,
                },
            )
        industrial = cluster.industrial_land_ha
        if cluster.ready_land_ha is None and industrial is not None and leased > industrial:
            raise field_error(
                "land_leased_ha",
                _(
                    "Leases in force would total %(leased)s ha, more than the %(industrial)s ha of industrial land of "
                    "%(cluster)s."
                )
                % {
                    "leased": services._fmt(leased),
                    "industrial": services._fmt(cluster.industrial_land_ha),
                    "cluster": cluster.name,
                },
            )
        self.leased[cluster.pk] = leased

    def _set_fields(self, data: dict) -> frozenset[str]:
        """The fields a new row sets (the others keep the model's defaults): what its validation checks."""
        key = tuple(data)
        if key not in self._fields_cache:
            self._fields_cache[key] = NEW_ROW_FIELDS | frozenset(data)
        return self._fields_cache[key]

    # ------------------------------------------------------------------------------------------------- run

    def apply_all(self, rows, *, progress=None) -> dict:
        outcomes: dict[int, str | DomainError] = {}
        self._load(rows)
        user = actor_or_none(self.actor)
        today = timezone.localdate()
        creates: list[tuple[int, TenantProject]] = []
        updates: list[tuple[int, TenantProject, dict]] = []
        transitions: list[tuple[int, TenantProject, str]] = []
        for done, (number, values) in enumerate(rows, start=1):
            try:
                cluster = self._cluster(values)
                org = self._enterprise(values)
                data = self._data(values)
                name = (values.get("name") or "").strip()
                status = values.get("status")
                project = self.projects.get((cluster.pk, org.pk, name)) if org.pk else None
                if project is None:
                    project = TenantProject(cluster=cluster, enterprise=org, updated_by=user)
                    sector = {k: data.pop(k, None) for k in SECTOR_KEYS}
                    services._apply(project, {"name": name, **data})
                    project.sector_id, project.sector_2025_id = sector["sector_id"], sector["sector_2025_id"]
                    set_initial_status(project, PROJECT_WORKFLOW, status or ProjectStatus.REGISTERED)
                    project.status_since = today
                    services._validate(project, known_refs=True, fields=self._set_fields(data))
                    if project.status in LEASING_STATUSES:
                        self._lease(cluster, project.land_leased_ha)
                    creates.append((number, project))
                    outcomes[number] = "created"
                else:
                    before = snapshot(project)
                    old_leased = project.land_leased_ha if project.status in LEASING_STATUSES else Decimal(0)
                    changed = {k: v for k, v in data.items() if _differs(getattr(project, k), v)}
                    if changed:
                        sector = {k: changed.pop(k) for k in SECTOR_KEYS if k in changed}
                        services._apply(project, changed)
                        if sector:
                            project.sector_id, project.sector_2025_id = data["sector_id"], data["sector_2025_id"]
                        services._validate(project, known_refs=True)
                        if project.status in LEASING_STATUSES:
                            self._lease(cluster, project.land_leased_ha - old_leased)
                        project.version += 1
                        project.updated_by = user
                        project.updated_at = timezone.now()
                        updates.append((number, project, before))
                    outcomes[number] = "updated" if changed else "unchanged"
                    if status and status != project.status:
                        if action_to(project.status, status) is None:
                            msg = _("A project cannot go from “%(old)s” to “%(new)s”.") % {
                                "old": ProjectStatus(project.status).label,
                                "new": ProjectStatus(status).label,
                            }
                            raise field_error("status", msg, error=ConflictError)
                        transitions.append((number, project, status))
                self.touched[cluster.pk] = cluster
            except DomainError as exc:
                outcomes[number] = exc
            if progress is not None and done % 500 == 0:
                progress(done, len(rows))
        if progress is not None:
            progress(len(rows), len(rows))
        self._write(creates, updates, outcomes, progress)
        for number, project, status in transitions:
            if isinstance(outcomes.get(number), DomainError):
                continue
            try:
                with transaction.atomic():
                    project.refresh_from_db()
                    action = action_to(project.status, status)
                    services.tenant_project_transition(
                        actor=self.actor, project=project, action=action, comment=self.message
                    )
                outcomes[number] = "updated"
            except DomainError as exc:
                outcomes[number] = exc
        return outcomes

    def _write(self, creates, updates, outcomes, progress=None) -> None:
        """Writes only when every row is valid: a refused row means the whole import is rolled back anyway. New
        enterprises and projects go in multi-row INSERTs (`ccn.core.bulk`), updates with `bulk_update`, and the
        change records of all of them in one batch. A job's progress counts the records written (enterprises,
        projects, then their change records) in its "writing" step."""
        if any(isinstance(o, DomainError) for o in outcomes.values()):
            return
        written = Written(progress, 2 * (len(self.new_orgs) + len(creates)) + 2 * len(updates))
        entries: list[tuple] = []
        now = timezone.now()
        orgs = list(self.new_orgs.values())
        for org in orgs:
            org.created_at = org.updated_at = now
        insert_objects(orgs, progress=written)
        for org in orgs:
            entries.append((org, ChangeAction.CREATE, None, snapshot(org), ""))
        projects = [p for _, p in creates]
        for p in projects:
            p.enterprise = p.enterprise  # takes the new enterprise's id
            p.created_at = p.updated_at = now
        insert_objects(projects, progress=written)
        for p in projects:
            entries.append((p, ChangeAction.IMPORT, None, snapshot(p), self.message))
        if updates:
            fields = [f.name for f in TenantProject._meta.concrete_fields if not f.primary_key]
            TenantProject.objects.bulk_update([p for _, p, _ in updates], fields, batch_size=BATCH)
            written(len(updates))
            for _, p, before in updates:
                entries.append((p, ChangeAction.IMPORT, before, snapshot(p), self.message))
        insert_change_records(actor=self.actor, entries=entries, progress=written)

    def after(self) -> list[RowProblem]:
        """Plausibility once the rows are in: a cluster whose leases exceed its industrial land (occupancy over
        100 %) is named, with its figure."""
        warnings = []
        for cluster in self.touched.values():
            land = cluster.industrial_land_ha
            if land and self.leased[cluster.pk] > land:
                pct = self.leased[cluster.pk] * 100 / land
                warnings.append(
                    RowProblem(
                        0,
                        "",
                        _(
                            "Occupancy of %(cluster)s would be %(pct)s %% "
                            "(leases %(leased)s ha, industrial land %(land)s ha)."
                        )
                        % {
                            "cluster": cluster.name,
                            "pct": f"{pct:.1f}",
                            "leased": services._fmt(self.leased[cluster.pk]),
                            "land": services._fmt(land),
                        },
                    )
                )
        return warnings


def _differs(current, new) -> bool:
    if isinstance(current, Decimal) or isinstance(new, Decimal):
        if current is None or new is None:
            return current is not new
        return Decimal(str(current)) != Decimal(str(new))
    return current != new
