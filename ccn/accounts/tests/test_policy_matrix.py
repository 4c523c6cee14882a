"""The role × action × own/other-scope matrix, generated from the policy declaration (every app's `policy.py`).

Two worlds are built: A (Khánh Hòa, the signed-in users' province, their commune, their investor's cluster, their
tenant's project) and B (Hà Nội: another commune, investor and tenant). Every record of world A is "own" for
every user; every record of world B is "other". For each declared model, role and action the expected answer is
read from the declaration (the role is granted the action, the row passes the role's narrowing, the ministry
reads nationwide, the public reads the public rows) and checked against `scope_q`, `can`, and the model's pages
and API endpoints.
"""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from ccn.accounts import policy
from ccn.accounts.choices import Role
from ccn.accounts.models import ApiToken, User
from ccn.accounts.tests.factories import make_user
from ccn.attachments.models import Attachment
from ccn.clusters.models import Cluster, ClusterEvent, ClusterFigure, LegalDocument, Organisation
from ccn.clusters.services import document_add
from ccn.clusters.tests.factories import make_cluster, make_org
from ccn.core.models import ChangeRecord, CspReport, TransitionRecord
from ccn.core.transitions import record_start
from ccn.exchange.models import (
    ExchangeConflict,
    ExchangedFile,
    ExchangedReport,
    ExchangeLink,
    IncomingBatch,
    OutgoingBatch,
)
from ccn.geo.models import Commune, Province
from ccn.infrastructure.models import InfrastructureComponent, WastewaterPlant, WastewaterResult
from ccn.jobs.models import Job
from ccn.obstacles import services as obstacle_services
from ccn.obstacles.choices import AgencyKind, Category
from ccn.obstacles.models import (
    Agency,
    AgencyMember,
    DialogueConference,
    Notification,
    Obstacle,
    ObstacleAction,
    ObstacleEvent,
    ObstacleNote,
    Recommendation,
    ReviewMeeting,
)
from ccn.papers.models import SignedPaper
from ccn.plans.models import Plan, PlanItem, PlanVersion, Target
from ccn.portal.models import ClusterOffer, Lead
from ccn.portal.workflow import LEAD_WORKFLOW
from ccn.procedures import services as procedure_services
from ccn.procedures.models import (
    Application,
    CalendarDay,
    Correction,
    CouncilMember,
    Dossier,
    DossierPause,
    DossierStep,
    Finding,
    Inspection,
    InspectionPlan,
    OccupancyScopeSetting,
    RelocationFacility,
    ScoreSheet,
    SelectionRound,
    TimeLimit,
)
from ccn.procedures.tests.factories import sheet, to_appraisal
from ccn.reports.choices import Form, ReportStatus
from ccn.reports.models import FormDeadline, Period, Report, Revision, ValidationRule
from ccn.reports.services import periods_create_year
from ccn.tenants.models import ImportRun, TenantProject

pytestmark = pytest.mark.django_db

ROLES = [None, *Role.values]  # None: an anonymous visitor


class World:
    """One side of the matrix: a province, a commune, an investor, a tenant and one record of every model."""

    def __init__(self, province_code: str, tag: str, admin):
        self.tag = tag
        self.province = Province.objects.get(code=province_code)
        self.commune = Commune.objects.filter(province=self.province).order_by("code").first()
        self.investor = make_org(f"Hạ tầng {tag}")
        self.tenant = make_org(f"Sản xuất {tag}")
        self.entered = make_org(f"Chỉ được nhập {tag}")
        self.entered.created_in = self.province
        self.entered.save()
        self.cluster = make_cluster(
            province_code=province_code,
            code=f"PM-{tag}",
            name=f"Cụm {tag}",
            commune_codes=[self.commune.code],
            actor=admin,
            investor=self.investor,
        )
        self.unpublished = make_cluster(
            province_code=province_code,
            code=f"PM-{tag}-U",
            name=f"Cụm chưa công bố {tag}",
            commune_codes=[self.commune.code],
            actor=admin,
            investor=self.investor,
            is_published=False,
        )
        self.project = TenantProject.objects.create(
            cluster=self.cluster, enterprise=self.tenant, name=f"Xưởng {tag}", land_leased_ha=Decimal("1")
        )
        TenantProject.objects.create(
            cluster=self.unpublished, enterprise=self.tenant, name=f"Kho {tag}", land_leased_ha=Decimal("1")
        )
        self.document = document_add(
            actor=admin,
            cluster=self.cluster,
            kind="established",
            number=f"1/{tag}",
            issued_on=datetime.date(2024, 1, 2),
            issuer="UBND",
        )
        self.private_document = document_add(
            actor=admin,
            cluster=self.cluster,
            kind="other",
            number=f"2/{tag}",
            issued_on=datetime.date(2024, 1, 2),
            issuer="UBND",
            is_public=False,
        )
        self.figure = ClusterFigure.objects.create(
            cluster=self.cluster, field="area_planned", value=Decimal("50"), valid_from=datetime.date(2024, 1, 1)
        )
        self.users = {
            Role.ADMIN: make_user(f"pm-admin-{tag}", role=Role.ADMIN, superuser=True),
            Role.MINISTRY_VIEWER: make_user(f"pm-ministry-{tag}", role=Role.MINISTRY_VIEWER),
            Role.PROVINCE_EDITOR: make_user(f"pm-editor-{tag}", role=Role.PROVINCE_EDITOR, province=self.province),
            Role.PROVINCE_APPROVER: make_user(
                f"pm-approver-{tag}", role=Role.PROVINCE_APPROVER, province=self.province
            ),
            Role.DEPARTMENT_LEADER: make_user(f"pm-leader-{tag}", role=Role.DEPARTMENT_LEADER, province=self.province),
            Role.PEOPLE_COMMITTEE: make_user(f"pm-ubnd-{tag}", role=Role.PEOPLE_COMMITTEE, province=self.province),
            Role.STATISTICS_OFFICE: make_user(f"pm-stats-{tag}", role=Role.STATISTICS_OFFICE, province=self.province),
            Role.COMMUNE_OFFICER: make_user(
                f"pm-commune-{tag}", role=Role.COMMUNE_OFFICER, province=self.province, communes=[self.commune]
            ),
            Role.INVESTOR: make_user(f"pm-investor-{tag}", role=Role.INVESTOR, organisation=self.investor),
            Role.TENANT: make_user(f"pm-tenant-{tag}", role=Role.TENANT, organisation=self.tenant),
        }

        self._obstacles(admin)
        self._procedures(admin)
        self._reports()
        self._plans()
        self.component = InfrastructureComponent.objects.create(
            cluster=self.cluster, kind="water_supply", status="in_progress", percent_complete=50
        )
        self.plant = WastewaterPlant.objects.create(cluster=self.cluster)
        self.plant_result = WastewaterResult.objects.create(plant=self.plant, sampled_on=datetime.date(2025, 1, 1))
        self.offer = ClusterOffer.objects.create(cluster=self.cluster)
        self.lead = Lead.objects.create(
            reference=f"L-{self.tag}",
            cluster=self.cluster,
            investor=self.investor,
            province=self.province,
            company="Công ty Thuê Đất",
            contact_name="Chị Lan",
            email="lan@example.vn",
            land_needed_ha=Decimal("2"),
        )
        record_start(self.lead, LEAD_WORKFLOW, actor=None, action="receive")
        self._papers_and_exchange()

    def _papers_and_exchange(self):
        now = timezone.now()
        self.paper = SignedPaper.objects.create(
            kind="report-letter",
            key=self.tag,
            province=self.province,
            number="1",
            signed_on=now.date(),
            signer="Giám đốc",
        )
        self.paper.scan = Attachment.objects.create(
            record=self.paper, kind="signed_scan", file="a.pdf", name="a.pdf", size=1, media_type="application/pdf"
        )
        self.paper.save(update_fields=["scan"])
        self.outgoing = OutgoingBatch.objects.create(
            sequence=OutgoingBatch.objects.count() + 1,
            province=self.province,
            changes_until=now,
            payload="{}",
            checksum="x",
        )
        batch = IncomingBatch.objects.create(
            batch_id=uuid.uuid4(),
            source_instance=f"tw-{self.tag}",
            province=self.province,
            sequence=1,
            format_version=1,
            checksum="x",
            status="applied",
        )
        link = ExchangeLink.objects.create(
            kind="cluster",
            key=self.tag,
            source_instance=f"tw-{self.tag}",
            province=self.province,
            object_id=1,
            applied_hash="x",
            local_mark="x",
            source_changed_at=now,
        )
        self.exchanged = [
            batch,
            link,
            ExchangeConflict.objects.create(link=link, batch=batch, record={}),
            ExchangedFile.objects.create(
                sha256=self.tag * 64, province=self.province, content_type="application/pdf", size=1, file="x.pdf"
            ),
            ExchangedReport.objects.create(
                key=self.tag,
                province=self.province,
                form="04",
                period=self.reports[0].period,
                revision=1,
                values={},
                source_instance=f"tw-{self.tag}",
                batch=batch,
            ),
        ]

    def _plans(self):
        day = datetime.date(2024, 1, 1)
        self.plan = Plan.objects.create(
            province=self.province, kind="development", number=f"1/{self.tag}", title="Quy hoạch", issued_on=day
        )
        version = PlanVersion.objects.create(plan=self.plan, seq=1, number="1", issued_on=day, issuer="UBND")
        PlanItem.objects.create(plan=self.plan, cluster=self.cluster, name=self.cluster.name, added_in=version)
        Target.objects.create(
            plan=self.plan,
            title="Mục tiêu",
            indicator="clusters_established",
            value_min=1,
            value_max=2,
            deadline=datetime.date(2030, 12, 31),
        )

    def _reports(self):
        period = Period.objects.order_by("pk").first() or periods_create_year(actor=None, year=2025)[0]
        units = {
            Form.F01: {"project": self.project, "cluster": self.cluster},
            Form.F02: {"cluster": self.cluster},
            Form.F03: {"commune": self.commune},
            Form.F04: {},
        }
        self.reports = []
        for form, unit in units.items():
            # Form 02 is submitted (the statistics office reads submitted and accepted Forms 01/02 only).
            status = ReportStatus.SUBMITTED if form == Form.F02 else ReportStatus.DRAFT
            report = Report.objects.create(form=form, period=period, province=self.province, status=status, **unit)
            report.current = Revision.objects.create(
                report=report, number=1, form=form, period=period, province=self.province, cluster=unit.get("cluster")
            )
            report.save(update_fields=["current"])
            self.reports.append(report)

    def _obstacles(self, admin):
        day = timezone.localdate() + datetime.timedelta(days=30)
        self.agency = obstacle_services.agency_create(
            actor=admin,
            province=self.province,
            name=f"UBND xã {self.tag}",
            kind=AgencyKind.COMMUNE,
            commune=self.commune,
        )
        obstacle_services.agency_member_add(actor=admin, agency=self.agency, user=self.users[Role.COMMUNE_OFFICER])
        self.obstacle = obstacle_services.obstacle_create(
            actor=admin,
            cluster=self.cluster,
            category=Category.SITE_CLEARANCE,
            description="Vướng mặt bằng",
            agency=self.agency,
            deadline=day,
        )
        self.action = obstacle_services.action_add(
            actor=admin,
            obstacle=self.obstacle,
            description="Họp dân",
            owner=self.users[Role.COMMUNE_OFFICER],
            due_on=day,
        )
        self.note = obstacle_services.note_add(actor=admin, obstacle=self.obstacle, text="Đã họp")
        self.attachment = obstacle_services.attachment_add(
            actor=admin, obstacle=self.obstacle, file=ContentFile(b"%PDF-1.4\n", name=f"a-{self.tag}.pdf")
        )
        self.meeting = obstacle_services.meeting_create(actor=admin, province=self.province, held_on=day, title="Họp")
        self.conference = obstacle_services.conference_create(
            actor=admin, province=self.province, held_on=day, title="Đối thoại", participants="Doanh nghiệp"
        )
        self.recommendation = obstacle_services.recommendation_add(
            actor=admin, conference=self.conference, business_name="Công ty", content="Kiến nghị"
        )

    def _procedures(self, admin):
        officers = {
            "commune": self.users[Role.COMMUNE_OFFICER],
            "editor": self.users[Role.PROVINCE_EDITOR],
            "approver": self.users[Role.PROVINCE_APPROVER],
        }
        applicant = make_org(f"Ứng viên {self.tag}")
        self.dossier = to_appraisal(officers, self.unpublished, orgs=[applicant])
        DossierPause.objects.create(dossier=self.dossier, started_on=datetime.date(2026, 3, 21), reason="Bổ sung")
        selection = procedure_services.selection_open(actor=admin, dossier=self.dossier, council_ref="QĐ 1")
        chair = self.users[Role.PROVINCE_APPROVER]
        procedure_services.council_member_add(actor=admin, selection=selection, user=chair, role="chair")
        procedure_services.score_submit(
            actor=chair, selection=selection, application=self.dossier.applications.get(), scores=sheet(10, 10, 10, 10)
        )
        day = timezone.localdate()
        self.inspection_plan = procedure_services.inspection_plan_create(
            actor=admin, province=self.province, year=day.year, title="Kế hoạch"
        )
        self.inspection = procedure_services.inspection_create(
            actor=admin, cluster=self.cluster, planned_on=day, agency="Sở Công Thương", plan=self.inspection_plan
        )
        procedure_services.inspection_record(actor=admin, inspection=self.inspection, conducted_on=day)
        self.finding = procedure_services.finding_add(
            actor=admin, inspection=self.inspection, area="investment", description="Thiếu hồ sơ"
        )
        self.correction = procedure_services.correction_add(
            actor=admin, finding=self.finding, action="Bổ sung hồ sơ", deadline=day + datetime.timedelta(days=30)
        )
        self.facility = RelocationFacility.objects.create(
            province=self.province,
            commune=self.commune,
            name=f"Xưởng di dời {self.tag}",
            kind="production",
            current_location="Khu dân cư",
            pollution_concern="Khói bụi",
        )
        self.scope_setting = OccupancyScopeSetting.objects.create(
            province=self.province, scope="province", effective_from=datetime.date(2025, 7, 1)
        )

    def rows(self, model, role) -> list:
        """The records of `model` in this world that the matrix checks for `role` (an organisation user's own
        organisation is the one record of that model it reaches)."""
        if model is Organisation:
            if role == Role.INVESTOR:
                return [self.investor]
            if role == Role.TENANT:
                return [self.tenant]
            return [self.investor, self.tenant, self.entered]
        if model is ImportRun:
            return [ImportRun.objects.get_or_create(actor=self.users.get(role), kind="tenants", filename="t.xlsx")[0]]
        owner = self.users.get(role) or self.users[Role.TENANT]  # the public is shown a tenant's own rows
        if model is User:
            return [owner]
        if model is ApiToken:
            return [ApiToken.issue(user=owner, name="t")[0]]
        if model is Job:
            return [Job.objects.create(kind="import", label="Nhập", user=owner)]
        if model is Notification:
            return [
                Notification.objects.create(
                    obstacle=self.obstacle,
                    user=self.users.get(role),
                    kind="assigned",
                    target="obstacle:1",
                    ref_date=datetime.date(2026, 1, 5),
                    subject="Việc",
                    body="Việc",
                )
            ]
        return BUILT[model](self)


PER_ROLE = {Organisation, ImportRun, Notification, User, ApiToken, Job}
BUILT = {
    Cluster: lambda w: [w.cluster, w.unpublished],
    LegalDocument: lambda w: [w.document, w.private_document],
    ClusterEvent: lambda w: list(ClusterEvent.objects.filter(cluster=w.cluster)),
    ClusterFigure: lambda w: [w.figure],
    TenantProject: lambda w: [w.project],
    Agency: lambda w: [w.agency],
    AgencyMember: lambda w: list(AgencyMember.objects.filter(agency=w.agency)),
    Obstacle: lambda w: [w.obstacle],
    ObstacleAction: lambda w: [w.action],
    ObstacleNote: lambda w: [w.note],
    Attachment: lambda w: [w.attachment],
    ObstacleEvent: lambda w: list(ObstacleEvent.objects.filter(obstacle=w.obstacle)),
    ReviewMeeting: lambda w: [w.meeting],
    DialogueConference: lambda w: [w.conference],
    Recommendation: lambda w: [w.recommendation],
    Dossier: lambda w: [w.dossier],
    Application: lambda w: list(Application.objects.filter(dossier=w.dossier)),
    DossierStep: lambda w: list(DossierStep.objects.filter(dossier=w.dossier)),
    DossierPause: lambda w: list(DossierPause.objects.filter(dossier=w.dossier)),
    SelectionRound: lambda w: list(SelectionRound.objects.filter(dossier=w.dossier)),
    CouncilMember: lambda w: list(CouncilMember.objects.filter(selection__dossier=w.dossier)),
    ScoreSheet: lambda w: list(ScoreSheet.objects.filter(selection__dossier=w.dossier)),
    InspectionPlan: lambda w: [w.inspection_plan],
    Inspection: lambda w: [w.inspection],
    Finding: lambda w: [w.finding],
    Correction: lambda w: [w.correction],
    RelocationFacility: lambda w: [w.facility],
    OccupancyScopeSetting: lambda w: [w.scope_setting],
    InfrastructureComponent: lambda w: [w.component],
    WastewaterPlant: lambda w: [w.plant],
    WastewaterResult: lambda w: [w.plant_result],
    ClusterOffer: lambda w: [w.offer],
    Lead: lambda w: [w.lead],
    SignedPaper: lambda w: [w.paper],
    OutgoingBatch: lambda w: [w.outgoing],
    IncomingBatch: lambda w: [o for o in w.exchanged if isinstance(o, IncomingBatch)],
    ExchangeLink: lambda w: [o for o in w.exchanged if isinstance(o, ExchangeLink)],
    ExchangeConflict: lambda w: [o for o in w.exchanged if isinstance(o, ExchangeConflict)],
    ExchangedFile: lambda w: [o for o in w.exchanged if isinstance(o, ExchangedFile)],
    ExchangedReport: lambda w: [o for o in w.exchanged if isinstance(o, ExchangedReport)],
    ChangeRecord: lambda w: list(ChangeRecord.objects.filter(object_id=str(w.cluster.pk)).order_by("pk")[:1]),
    TransitionRecord: lambda w: list(TransitionRecord.objects.filter(object_id=str(w.lead.pk)).order_by("pk")[:1]),
    CspReport: lambda w: [
        CspReport.objects.get_or_create(
            document_uri=f"/clusters/{w.cluster.code}/", directive="script-src", blocked_uri="inline"
        )[0]
    ],
    Plan: lambda w: [w.plan],
    PlanVersion: lambda w: list(PlanVersion.objects.filter(plan=w.plan)),
    PlanItem: lambda w: list(PlanItem.objects.filter(plan=w.plan)),
    Target: lambda w: list(Target.objects.filter(plan=w.plan)),
    Report: lambda w: w.reports,
    Revision: lambda w: list(Revision.objects.filter(report__in=w.reports)),
    Period: lambda w: list(Period.objects.order_by("pk")[:1]),
    FormDeadline: lambda w: list(FormDeadline.objects.order_by("pk")[:1]),
    ValidationRule: lambda w: list(ValidationRule.objects.order_by("pk")[:1]),
    CalendarDay: lambda w: list(CalendarDay.objects.order_by("pk")[:1]),
    TimeLimit: lambda w: list(TimeLimit.objects.order_by("pk")[:1]),
}


def matches(model, obj, q) -> bool:
    return model._default_manager.filter(q).filter(pk=obj.pk).exists()


def expected(rule, role, action, obj, own: bool) -> bool:
    """The answer the declaration gives, computed without `scope_q` or `can`."""
    model = rule.model
    if role is None:
        return action == policy.VIEW and rule.public is not None and matches(model, obj, rule.public)
    if role == Role.ADMIN:
        return True
    nationwide = action in rule.nationwide_actions and role in rule.nationwide
    if role not in rule.actions.get(action, ()) and not nationwide:
        return False
    narrowing = rule.only.get((role, action), rule.only.get(role))
    if narrowing is not None and not matches(model, obj, narrowing):
        return False
    if nationwide:
        return True
    vias = [via for anchor in rule.anchors(role) for via in rule.paths(anchor)]
    if not vias:
        return False
    # a path with a condition reaches only the rows matching it
    return own and any(via.when is None or matches(model, obj, via.when) for via in vias)


@pytest.fixture
def worlds(db):
    admin = make_user("pm-builder", role=Role.ADMIN, superuser=True)
    return World("56", "A", admin), World("01", "B", admin)


def test_every_model_is_declared_and_built():
    """Every model of the project has a rule (or is reference data), and the matrix builds rows of each rule."""
    declared = set(policy.rules()) | policy.reference_models()
    undeclared = [m._meta.label for m in apps.get_models() if m.__module__.startswith("ccn.") and m not in declared]
    assert not undeclared
    assert set(policy.rules()) <= set(BUILT) | PER_ROLE


def test_scope_q_and_can_follow_the_declaration(worlds):
    own, other = worlds
    seen = {True: 0, False: 0}
    for model, rule in policy.rules().items():
        for role in ROLES:
            user = own.users[role] if role else None
            for action in (policy.VIEW, *rule.actions):
                q = policy.scope_q(user, model, action)
                for world, is_own in ((own, True), (other, False)):
                    for obj in world.rows(model, role):
                        want = expected(rule, role, action, obj, is_own)
                        seen[want] += 1
                        where = f"{model._meta.label} {role} {action} {'own' if is_own else 'other'} {obj.pk}"
                        assert matches(model, obj, q) is want, where
                        assert policy.can(user, action, obj) is want, where
    assert seen[True] and seen[False]


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# The pages and API endpoints that show one record, and those that change it (method, url, body).
VIEW_SURFACES = {
    Cluster: lambda o: [f"/clusters/{o.code}/", f"/api/v1/clusters/{o.code}"],
    Organisation: lambda o: [f"/api/v1/organisations/{o.pk}"],  # its page is the edit page, below
    TenantProject: lambda o: [f"/tenants/{o.pk}/", f"/api/v1/tenants/projects/{o.pk}"],
    Obstacle: lambda o: [f"/obstacles/{o.pk}/", f"/api/v1/obstacles/{o.pk}"],
    ReviewMeeting: lambda o: [f"/obstacles/meetings/{o.pk}/"],
    Agency: lambda o: [f"/obstacles/agencies/{o.pk}/"],
    Dossier: lambda o: [f"/procedures/dossiers/{o.code}/", f"/api/v1/procedures/dossiers/{o.code}"],
    Inspection: lambda o: [f"/procedures/inspections/{o.pk}/"],
    Report: lambda o: [f"/reports/{o.pk}/", f"/api/v1/reports/reports/{o.pk}"],
    Lead: lambda o: [f"/portal/leads/{o.pk}/", f"/api/v1/portal/leads/{o.pk}"],
}
# The API lists that show rows of a model (the row is found by its id, or its code).
LIST_SURFACES = {
    Cluster: "/api/v1/clusters?limit=500",
    TenantProject: "/api/v1/tenants/projects?limit=500",
    Obstacle: "/api/v1/obstacles?limit=500",
    Dossier: "/api/v1/procedures/dossiers?limit=500",
    Inspection: "/api/v1/procedures/inspections",
    RelocationFacility: "/api/v1/procedures/relocations",
    Organisation: "/api/v1/organisations?limit=500",
    Report: "/api/v1/reports/reports?limit=500",
}
CHANGE_SURFACES = {
    Cluster: lambda o: [("get", f"/clusters/{o.code}/edit/"), ("patch", f"/api/v1/clusters/{o.code}")],
    Organisation: lambda o: [
        ("get", f"/clusters/organisations/{o.pk}/"),
        ("post", f"/clusters/organisations/{o.pk}/"),
        ("patch", f"/api/v1/organisations/{o.pk}"),
    ],
    TenantProject: lambda o: [("get", f"/tenants/{o.pk}/edit/"), ("patch", f"/api/v1/tenants/projects/{o.pk}")],
    RelocationFacility: lambda o: [("get", f"/procedures/relocation/{o.pk}/")],
}


CHANGED_FIELD = {Cluster: "name", Organisation: "address", TenantProject: "name", RelocationFacility: "name"}


def _change_request(client, method, url, obj, role):
    field = CHANGED_FIELD[type(obj)]
    if method == "get":
        return client.get(url)
    if method == "patch":
        obj.refresh_from_db()  # every API write names the version it is based on
        return client.patch(url, {field: f"Đổi bởi {role}", "version": obj.version}, content_type="application/json")
    data = {"name": obj.name, "kind": obj.kind, "country": obj.country, field: f"Đổi bởi {role}"}
    return client.post(url, data)


def test_pages_and_api_agree_with_the_declaration(worlds):
    """Reading: 200 where the declaration allows, otherwise 404 (pages of signed-in users only send the
    anonymous to sign in, the API answers 401), on the page and the API alike."""
    own, other = worlds
    for model, surfaces in VIEW_SURFACES.items():
        rule = policy.rule_for(model)
        for role in ROLES:
            user = own.users[role] if role else None
            client = _client(user)
            for world, is_own in ((own, True), (other, False)):
                for obj in world.rows(model, role):
                    want = expected(rule, role, policy.VIEW, obj, is_own)
                    for url in surfaces(obj):
                        status = client.get(url).status_code
                        refused = {403, 404} if user else {302, 401, 404}
                        assert (status == 200) if want else (status in refused), (url, role, status)


def test_changes_by_page_and_api_agree_with_the_declaration(worlds):
    own, other = worlds
    for model, surfaces in CHANGE_SURFACES.items():
        rule = policy.rule_for(model)
        for role in ROLES:
            user = own.users[role] if role else None
            client = _client(user)
            for world, is_own in ((own, True), (other, False)):
                for obj in world.rows(model, role):
                    want = expected(rule, role, policy.CHANGE, obj, is_own)
                    for method, url in surfaces(obj):
                        resp = _change_request(client, method, url, obj, role)
                        where = (method, url, role, resp.status_code)
                        if want:
                            assert resp.status_code in (200, 302), where
                            assert "/accounts/login" not in resp.get("Location", ""), where
                            if method != "get":
                                obj.refresh_from_db()
                                assert getattr(obj, CHANGED_FIELD[model]) == f"Đổi bởi {role}", where
                        else:
                            assert resp.status_code in ({302, 401} if user is None else {403, 404}), where
                            obj.refresh_from_db()
                            assert getattr(obj, CHANGED_FIELD[model]) != f"Đổi bởi {role}", where


def _listed(data) -> set:
    items = data["items"] if isinstance(data, dict) else data
    return {str(i.get("code") or i.get("id")) for i in items} | {str(i.get("id")) for i in items}


def test_api_lists_agree_with_the_declaration(worlds):
    """Each row appears in the API list exactly when the declaration lets the caller see it."""
    own, other = worlds
    for model, url in LIST_SURFACES.items():
        rule = policy.rule_for(model)
        for role in ROLES:
            user = own.users[role] if role else None
            resp = _client(user).get(url)
            if resp.status_code != 200:  # a role that may read none of these rows is refused outright
                assert resp.status_code in (401, 403), (url, role, resp.status_code)
                assert not policy.may(user, policy.VIEW, model) or role is None, (url, role)
                continue
            listed = _listed(resp.json())
            for world, is_own in ((own, True), (other, False)):
                for obj in world.rows(model, role):
                    key = str(getattr(obj, "code", None) or obj.pk)
                    want = expected(rule, role, policy.VIEW, obj, is_own)
                    assert (key in listed) is want, (url, role, key, is_own)
