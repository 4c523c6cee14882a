"""Reads of the reports that apply scope or aggregation: who sees which report, deadlines, the figures a form
starts from, the context its cross-report rules read, what is due, and completeness and timeliness."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.accounts.choices import PROVINCE_ROLES, Role
from ccn.accounts.scope import role_of
from ccn.clusters.choices import ESTABLISHED_STATES, IN_PLAN_STATES, OPERATING_STATES
from ccn.clusters.figures import figures_on, occupancy_pct, state_on_day
from ccn.clusters.models import Cluster
from ccn.clusters.selectors import leased_land_subquery
from ccn.core.errors import NotFoundError
from ccn.geo.models import Commune, Province
from ccn.infrastructure.selectors import meets_standard_on
from ccn.tenants.choices import ProjectStatus
from ccn.tenants.models import TenantProject

from .choices import CATALOGUE_KEY, Form, PeriodKind, ReportStatus, Timeliness
from .compile import compile_national_report
from .facts import lead_commune_subquery
from .filters import ReportFilterSet
from .models import INDICATOR_CODES, FormDeadline, Indicator, Period, Report, Revision, column_of
from .workflow import workflow_for


def report_scope_q(user) -> Q:
    """Which reports a user sees (ccn/reports/policy.py). Firm-level Form 01 stays with the tenant, its commune
    and its province; the Ministry sees Forms 02–04; an investor sees the Form 02 of its clusters."""
    return policy.scope_q(user, Report)


def report_get(*, user, pk: int) -> Report:
    report = (
        Report.objects.filter(report_scope_q(user))
        .select_related(
            "period",
            "project__enterprise",
            "project__sector",
            "project__sector_2025",
            "cluster__investor",
            "commune",
            "province",
        )
        .select_related("current")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise NotFoundError(_("No such report, or you may not see it."))
    return report


def report_list(*, user, period=None, filters=None):
    """Reports in scope (of one `period`), filtered by the list's FilterSet (`filters`: the query's data;
    ccn/reports/filters.py)."""
    qs = Report.objects.filter(report_scope_q(user)).select_related(
        "period", "project", "cluster", "commune", "province", "current"
    )
    if period is not None:
        qs = qs.filter(period=period)
    if filters:
        qs = ReportFilterSet(filters, queryset=qs, user=user).qs
    return qs.order_by("-period__ends_on", "form", "province__code", "id")


def revisions_of(report: Report):
    return report.revisions.select_related("created_by", "submitted_by", "accepted_by").order_by("-number")


def indicators_for(form: str):
    return list(Indicator.objects.filter(form_key=CATALOGUE_KEY[form]).order_by("position"))


def period_list():
    return Period.objects.order_by("-ends_on", "kind")


def period_get(pk) -> Period:
    period = Period.objects.filter(pk=pk).first()
    if period is None:
        raise NotFoundError(_("No such reporting period."))
    return period


def current_period(today: datetime.date | None = None) -> Period | None:
    """The period whose data are being reported now: the latest that has started."""
    today = today or timezone.localdate()
    return Period.objects.filter(starts_on__lte=today).order_by("-ends_on", "kind").first()


def deadline_rule(form: str, period: Period) -> FormDeadline | None:
    return (
        FormDeadline.objects.filter(form=form, period_kind=period.kind, effective_from__lte=period.ends_on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=period.ends_on))
        .order_by("-effective_from")
        .first()
    )


def deadline_for(form: str, period: Period) -> datetime.date | None:
    rule = deadline_rule(form, period)
    return rule.due_on(period) if rule else None


def deadline_end(day: datetime.date) -> datetime.datetime:
    """A report is on time up to the end of its deadline day, local time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def previous_period(period: Period) -> Period | None:
    return Period.objects.filter(kind=period.kind, year=period.year - 1).first()


def previous_values(report: Report) -> dict[str, Decimal | None]:
    """The final figures of the same form and unit for the previous period of the same kind."""
    prev = previous_period(report.period)
    if prev is None:
        return {}
    subject = {
        Form.F01: {"report__project_id": report.project_id},
        Form.F02: {"report__cluster_id": report.cluster_id},
        Form.F03: {"report__commune_id": report.commune_id},
        Form.F04: {"report__province_id": report.province_id},
    }[report.form]
    rev = Revision.objects.filter(form=report.form, period=prev, is_final=True, **subject).first()
    return rev.values() if rev else {}


def registry_context(cluster: Cluster, day: datetime.date | None = None) -> dict[str, Decimal | None]:
    """Registry figures of a cluster as of `day` (the period's end; today by default) that Form 02 is checked
    against and prefilled from: the dated land figures, the leases in force and the projects existing then."""
    day = day or timezone.localdate()
    existing = TenantProject.objects.existing_on(day).filter(cluster=OuterRef("pk")).order_by().values("cluster")

    def count(extra=None):
        qs = existing.filter(extra) if extra is not None else existing
        return Coalesce(Subquery(qs.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), Value(0))

    row = (
        figures_on(Cluster.objects.filter(pk=cluster.pk), day)
        .annotate(
            tenant_leased=leased_land_subquery(day),
            n_projects=count(),
            n_foreign=count(~Q(enterprise__country="VN")),
            n_operating=count(Q(status=ProjectStatus.OPERATING)),
            ww_compliant=meets_standard_on(day),
        )
        .values(
            "tenant_leased",
            "n_projects",
            "n_foreign",
            "n_operating",
            "as_of_ready_land_ha",
            "as_of_industrial_land_ha",
            "infra_capital_approved_bn",
            "infra_capital_disbursed_bn",
            "wastewater_plant__status",
            "ww_compliant",
        )
        .first()
    )
    plant = row["wastewater_plant__status"]
    return {
        "tenant_leased": Decimal(row["tenant_leased"] or 0),
        "registry_projects": Decimal(row["n_projects"]),
        "registry_foreign": Decimal(row["n_foreign"]),
        "registry_operating": Decimal(row["n_operating"]),
        "registry_ready_land": row["as_of_ready_land_ha"],
        "registry_industrial_land": row["as_of_industrial_land_ha"],
        "registry_capital_approved": row["infra_capital_approved_bn"],
        "registry_capital_paid": row["infra_capital_disbursed_bn"],
        "registry_ww_built": None if plant is None else Decimal(int(plant in ("under_construction", "operating"))),
        "registry_ww_ok": None if plant is None else Decimal(int(row["ww_compliant"])),
    }


def communes_context(report: Report) -> dict[str, Decimal | None]:
    """The sums of the province's final Forms 03 of the period (`communes_i5` …); empty when none exists."""
    qs = Revision.objects.filter(form=Form.F03, period=report.period, province_id=report.province_id, is_final=True)

    sums = qs.aggregate(n=Count("pk"), **{column_of(c): Sum(column_of(c)) for c in INDICATOR_CODES})
    if not sums.pop("n"):
        return {}
    return {"communes_i" + k[1:]: v for k, v in sums.items()}


def rule_context(report: Report) -> dict[str, Decimal | None]:
    context = {"prev_i" + k.replace(".", "_"): v for k, v in previous_values(report).items()}
    if report.form == Form.F02:
        context.update(registry_context(report.cluster, report.period.ends_on))
    if report.form == Form.F04:
        context.update(communes_context(report))
    return context


def prefill(*, form: str, period: Period, project=None, cluster=None) -> tuple[dict, dict]:
    """The figures a new Form 01/02 starts from, and where each came from ("registry" or "previous")."""
    values: dict[str, Decimal | None] = {}
    sources: dict[str, str] = {}
    prev_period = Period.objects.filter(ends_on__lt=period.ends_on).order_by("-ends_on").first()
    prev = None
    if prev_period is not None:
        key = {"report__project": project} if form == Form.F01 else {"report__cluster": cluster}
        prev = (
            Revision.objects.filter(form=form, is_final=True, period__ends_on__lt=period.ends_on, **key)
            .order_by("-period__ends_on")
            .first()
        )
    if prev is not None:
        for code, value in prev.values().items():
            if value is not None:
                values[code], sources[code] = value, "previous"
    if form == Form.F01 and project is not None and project.workers is not None:
        values["3"], sources["3"] = Decimal(project.workers), "registry"
    if form == Form.F02 and cluster is not None:
        reg = registry_context(cluster, period.ends_on)
        for code, key in (
            ("1", "registry_capital_approved"),
            ("2", "registry_capital_paid"),
            ("3", "registry_ready_land"),
            ("4", "tenant_leased"),
            ("6", "registry_projects"),
            ("7", "registry_foreign"),
            ("8", "registry_operating"),
            ("13", "registry_ww_built"),
            ("14", "registry_ww_ok"),
        ):
            if reg[key] is not None:
                values[code], sources[code] = reg[key], "registry"
        occupancy = occupancy_pct(values.get("4"), reg["registry_industrial_land"])
        if values.get("4") is not None and occupancy is not None:
            values["5"], sources["5"] = occupancy, "registry"
    return values, sources


# --- what is due -------------------------------------------------------------------------------------------


def expected_projects(period: Period):
    """Form 01 reporters: tenant projects operating (their operation started by the period's end, if known)."""
    return TenantProject.objects.filter(status=ProjectStatus.OPERATING).filter(
        Q(operation_started_on__isnull=True) | Q(operation_started_on__lte=period.ends_on)
    )


def expected_clusters(period: Period):
    """Form 02 reporters: clusters established or operating on the period's end (from the dated events)."""
    return Cluster.objects.annotate(st=state_on_day(period.ends_on)).filter(
        st__in=tuple(ESTABLISHED_STATES) + tuple(OPERATING_STATES)
    )


def expected_communes(period: Period):
    """Form 03 reporters: communes that are the lead commune of a cluster in the plan on the period's end."""
    leads = (
        Cluster.objects.annotate(st=state_on_day(period.ends_on), lead=lead_commune_subquery())
        .filter(st__in=IN_PLAN_STATES)
        .values("lead")
    )
    return Commune.objects.filter(pk__in=leads)


def expected_provinces(period: Period):
    clusters = Cluster.objects.annotate(st=state_on_day(period.ends_on)).filter(st__in=IN_PLAN_STATES)
    return Province.objects.filter(pk__in=clusters.values("province_id"))


def due_for(*, user, period: Period) -> list[dict]:
    """What the user has to report for a period: each unit, its report (if started), state and deadline."""
    role = role_of(user)
    items: list[dict] = []
    today = timezone.localdate()

    def add(form, unit, label, key, province):
        deadline = deadline_for(form, period)
        report = Report.objects.filter(form=form, period=period, **key).first()
        items.append(
            {
                "form": form,
                "unit": unit,
                "label": label,
                "province": province,
                "deadline": deadline,
                "overdue": bool(
                    deadline and deadline < today and (report is None or report.first_submitted_at is None)
                ),
                "report": report,
                "start": {"form": form, "period": period.pk, **{k: getattr(v, "pk", v) for k, v in key.items()}},
            }
        )

    if role == Role.TENANT:
        for project in expected_projects(period).filter(enterprise_id=user.organisation_id).select_related("cluster"):
            add(Form.F01, project, f"{project.name} · {project.cluster.name}", {"project": project}, None)
    elif role == Role.INVESTOR:
        for cluster in expected_clusters(period).filter(investor_id=user.organisation_id):
            add(Form.F02, cluster, cluster.name, {"cluster": cluster}, None)
    elif role == Role.COMMUNE_OFFICER:
        for commune in expected_communes(period).filter(pk__in=user.communes.values("pk")):
            add(Form.F03, commune, commune.name, {"commune": commune}, None)
    elif role in PROVINCE_ROLES:
        add(Form.F04, user.province, user.province.name, {"province": user.province, "commune": None}, None)
        rule = deadline_rule(Form.F03, period)
        if rule and rule.compiler_role == Role.PROVINCE_EDITOR:
            for commune in expected_communes(period).filter(province_id=user.province_id):
                add(Form.F03, commune, commune.name, {"commune": commune}, None)
    return items


def to_review(*, user):
    """Submitted reports the user may decide on (accept, approve or return)."""

    role = role_of(user)
    forms = [
        f
        for f in Form.values
        if any(t.action in ("accept", "return") for t in workflow_for(f).allowed_actions(ReportStatus.SUBMITTED, role))
    ]
    return (
        report_list(user=user)
        .filter(status=ReportStatus.SUBMITTED, form__in=forms)
        .exclude(current__submitted_by=user)
        .select_related("current__submitted_by")
    )


# --- completeness and timeliness ---------------------------------------------------------------------------

GROUPS = ("province", "commune", "investor")


def completeness(*, user, period: Period, form: str, group: str = "province", province_code: str | None = None):
    """Expected reports (from the registry), on time, late and missing, per group. Only expected units count in
    the numerator, so the rate never exceeds 100 %; reports of units not expected are listed apart.
    Returns (rows, totals, unexpected reports)."""
    deadline = deadline_for(form, period)
    cutoff = deadline_end(deadline) if deadline else None
    reports = Report.objects.filter(form=form, period=period)
    if form == Form.F01:
        units = expected_projects(period)
        key, unit_field = "project_id", "pk"
        group_fields = {"province": "cluster__province__name", "commune": "lead", "investor": "cluster__investor__name"}
        units = units.annotate(
            lead=Subquery(
                Cluster.communes.through.objects.filter(cluster_id=OuterRef("cluster_id"))
                .order_by("commune__code")
                .values("commune__name")[:1]
            )
        )
        scope = _unit_scope_q(user, "cluster__")
    elif form == Form.F02:
        units = expected_clusters(period).annotate(
            lead=Subquery(
                Cluster.communes.through.objects.filter(cluster_id=OuterRef("pk"))
                .order_by("commune__code")
                .values("commune__name")[:1]
            )
        )
        key, unit_field = "cluster_id", "pk"
        group_fields = {"province": "province__name", "commune": "lead", "investor": "investor__name"}
        scope = _unit_scope_q(user, "")
    elif form == Form.F03:
        units = expected_communes(period)
        key, unit_field = "commune_id", "pk"
        group_fields = {"province": "province__name", "commune": "name", "investor": "province__name"}
        scope = _commune_scope_q(user)
    else:
        units = expected_provinces(period)
        key, unit_field = "province_id", "pk"
        group_fields = {"province": "name", "commune": "name", "investor": "name"}
        scope = _province_scope_q(user)
    units = units.filter(scope)
    if province_code:
        field = {Form.F01: "cluster__province__code", Form.F02: "province__code", Form.F03: "province__code"}.get(
            form, "code"
        )
        units = units.filter(**{field: province_code})
    submitted = reports.filter(**{key: OuterRef(unit_field)}, first_submitted_at__isnull=False)
    if form == Form.F04:
        submitted = submitted.filter(commune__isnull=True)
    on_time = submitted.filter(first_submitted_at__lte=cutoff) if cutoff else submitted
    units = units.annotate(reported=Exists(submitted), on_time=Exists(on_time))
    group_field = group_fields.get(group, group_fields["province"])
    rows = list(
        units.order_by()
        .values(group_field)
        .annotate(
            expected=Count("pk", distinct=True),
            reported=Count("pk", filter=Q(reported=True), distinct=True),
            on_time=Count("pk", filter=Q(on_time=True), distinct=True),
        )
        .order_by(group_field)
    )
    out = []
    for r in rows:
        r["group"] = r.pop(group_field) or "—"
        r["late"] = r["reported"] - r["on_time"]
        r["missing"] = r["expected"] - r["reported"]
        r["rate"] = _pct(r["reported"], r["expected"])
        r["on_time_rate"] = _pct(r["on_time"], r["expected"])
        out.append(r)
    totals = {k: sum(r[k] for r in out) for k in ("expected", "reported", "on_time", "late", "missing")}
    totals["rate"] = _pct(totals["reported"], totals["expected"])
    totals["on_time_rate"] = _pct(totals["on_time"], totals["expected"])
    expected_ids = units.values(unit_field)
    unexpected = (
        reports.filter(first_submitted_at__isnull=False)
        .filter(report_scope_q(user))
        .exclude(**{f"{key}__in": expected_ids})
        # the page names each one (subject_name): without these, one query per report
        .select_related("project", "cluster", "commune", "province")
    )
    return out, totals, unexpected


def _pct(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _expected_units(*, user, period: Period, form: str, province_code: str | None = None):
    """The expected reporters of `form` in the user's scope, in the detailed list's order, with how to name each
    and which report field points at it: (queryset, label function, report key)."""
    if form == Form.F01:
        units = (
            expected_projects(period).filter(_unit_scope_q(user, "cluster__")).select_related("cluster", "enterprise")
        )
        if province_code:
            units = units.filter(cluster__province__code=province_code)
        return units.order_by("cluster__code", "name", "pk"), lambda u: f"{u.name} · {u.cluster.name}", "project_id"
    if form == Form.F02:
        units = expected_clusters(period).filter(_unit_scope_q(user, "")).select_related("investor")
        if province_code:
            units = units.filter(province__code=province_code)
        return units.order_by("code", "pk"), lambda u: u.name, "cluster_id"
    if form == Form.F03:
        units = expected_communes(period).filter(_commune_scope_q(user))
        if province_code:
            units = units.filter(province__code=province_code)
        return units.order_by("code", "pk"), lambda u: u.name, "commune_id"
    units = expected_provinces(period).filter(_province_scope_q(user))
    return units.order_by("code", "pk"), lambda u: u.name, "province_id"


def _with_timeliness(units, label, key: str, *, form: str, period: Period, cutoff) -> list[dict]:
    """Each unit of `units` (a list: one page) with its report and timeliness, in one query for the reports."""
    reports = Report.objects.filter(form=form, period=period, **{f"{key}__in": [u.pk for u in units]})
    if form == Form.F04:
        reports = reports.filter(commune__isnull=True)
    by_unit = {getattr(r, key): r for r in reports}
    out = []
    for unit in units:
        report = by_unit.get(unit.pk)
        if report is None or report.first_submitted_at is None:
            timeliness = Timeliness.MISSING
        elif cutoff is None or report.first_submitted_at <= cutoff:
            timeliness = Timeliness.ON_TIME
        else:
            timeliness = Timeliness.LATE
        out.append({"unit": unit, "label": label(unit), "report": report, "timeliness": timeliness})
    return out


def completeness_units(*, user, period: Period, form: str, province_code: str | None = None):
    """Each expected unit with its timeliness: on time, late or missing (for the detailed list)."""
    deadline = deadline_for(form, period)
    cutoff = deadline_end(deadline) if deadline else None
    units, label, key = _expected_units(user=user, period=period, form=form, province_code=province_code)
    return _with_timeliness(list(units), label, key, form=form, period=period, cutoff=cutoff), deadline


UNITS_PER_PAGE = 100


def completeness_units_page(
    *, user, period: Period, form: str, province_code: str | None = None, page=None, per_page: int = UNITS_PER_PAGE
):
    """One page of `completeness_units`: the nation's Form 01 lists about 40,000 reporters, so the page reads only
    its own units and their reports (a count, the page's units, their reports). Returns (page, deadline); the
    page's `object_list` holds the same dicts as `completeness_units`."""
    deadline = deadline_for(form, period)
    cutoff = deadline_end(deadline) if deadline else None
    units, label, key = _expected_units(user=user, period=period, form=form, province_code=province_code)
    shown = Paginator(units, per_page).get_page(page)
    shown.object_list = _with_timeliness(list(shown.object_list), label, key, form=form, period=period, cutoff=cutoff)
    return shown, deadline


def _unit_scope_q(user, prefix: str) -> Q:
    """Scope of expected Form 01 units (prefix "cluster__", tenant projects) or Form 02 units (clusters): the
    policy's rules of tenant projects and clusters, for signed-in users only."""
    if not getattr(user, "is_authenticated", False):
        return policy.NOTHING
    return policy.scope_q(user, TenantProject if prefix else Cluster)


def _commune_scope_q(user) -> Q:
    return policy.places_q(user, province="province_id", commune="pk")


def _province_scope_q(user) -> Q:
    return policy.places_q(user, province="pk")


def national_rows(*, period: Period, live: bool = False):
    """One row per province (all 34): its Form 04 state and figures, approved ones by default, or compiled live
    from the registry and accepted reports. Returns (rows, indicator codes)."""

    provinces = list(Province.objects.order_by("code"))
    reports = {r.province_id: r for r in Report.objects.filter(form=Form.F04, period=period).select_related("current")}
    final = {
        rev.province_id: (rev.values(), rev.compilation or {})
        for rev in Revision.objects.filter(form=Form.F04, period=period, is_final=True)
    }
    live_compiled = compile_national_report(period) if live else {}
    rows = []
    for p in provinces:
        report = reports.get(p.pk)
        if live:
            compiled = live_compiled.get(p.pk)
            figures, meta = (compiled.values, compiled.meta()) if compiled else ({}, {})
        else:
            figures, meta = final.get(p.pk, ({}, {}))
        rows.append({"province": p, "report": report, "figures": figures, "meta": meta})
    return rows


def period_kind_label(kind: str) -> str:
    return str(PeriodKind(kind).label)
