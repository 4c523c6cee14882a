"""The province's roles outside the Department's desk (docs/roles.md): the Department leader, the provincial People's
Committee member and the statistics office: what each reads and decides, their invitation by a province approver.
The role × action matrix (test_policy_matrix.py) covers every rule; these tests name the cases the roles exist for."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from ccn.accounts import people, policy
from ccn.accounts.choices import PROVINCE_LEADERS, Role
from ccn.accounts.models import User
from ccn.accounts.tests.factories import make_user
from ccn.clusters.models import Cluster, LegalDocument, Organisation
from ccn.clusters.services import cluster_transition
from ccn.clusters.tests.factories import make_cluster, make_org
from ccn.clusters.workflow import CLUSTER_WORKFLOW
from ccn.core.errors import PermissionDeniedError
from ccn.obstacles.models import Obstacle
from ccn.procedures.models import Dossier
from ccn.procedures.policy import DECIDE as DOSSIER_DECIDE
from ccn.procedures.policy import SIT
from ccn.procedures.views.selection import _council_candidates
from ccn.reports.choices import Form, ReportStatus
from ccn.reports.models import Report
from ccn.reports.policy import DECIDE, REPORT
from ccn.reports.services import periods_create_year
from ccn.reports.workflow import workflow_for
from ccn.tenants.models import TenantProject

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(kha, hni):
    admin = make_user("pr-admin", role=Role.ADMIN, superuser=True)
    period = periods_create_year(actor=None, year=2025)[0]
    out = {}
    for province, tag in ((kha, "KHA"), (hni, "HNI")):
        cluster = make_cluster(province_code=province.code, code=f"PR-{tag}", name=f"Cụm {tag}", actor=admin)
        project = TenantProject.objects.create(
            cluster=cluster, enterprise=make_org(f"Xưởng {tag}"), name=f"Dự án {tag}", land_leased_ha=Decimal("1")
        )
        reports = {
            (Form.F01, ReportStatus.SUBMITTED): {"project": project, "cluster": cluster},
            (Form.F02, ReportStatus.ACCEPTED): {"cluster": cluster},
            (Form.F04, ReportStatus.SUBMITTED): {},
        }
        made = {}
        for (form, status), unit in reports.items():
            made[form] = Report.objects.create(form=form, period=period, province=province, status=status, **unit)
        out[tag] = {"cluster": cluster, "project": project, "reports": made}
    return out


def test_the_statistics_office_reads_the_submitted_forms_01_02_of_its_province_and_nothing_else(world, kha):
    stats = make_user("thongke.kha", role=Role.STATISTICS_OFFICE, province=kha)
    own, other = world["KHA"]["reports"], world["HNI"]["reports"]
    seen = set(policy.visible(stats, Report).values_list("pk", flat=True))
    assert seen == {own[Form.F01].pk, own[Form.F02].pk}
    # A draft or returned Form 01 is not yet sent to it.
    for status in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        Report.objects.filter(pk=own[Form.F01].pk).update(status=status)
        assert not policy.can(stats, policy.VIEW, Report.objects.get(pk=own[Form.F01].pk))
    assert not policy.can(stats, policy.VIEW, other[Form.F02])
    assert not policy.can(stats, policy.VIEW, own[Form.F04])
    # Nothing confidential beyond the forms: no registry record, tenant project, organisation or obstacle.
    for model in (Cluster, TenantProject, Organisation, Obstacle):
        assert not policy.visible(stats, model).exists(), model
    for action in (REPORT, DECIDE):
        assert not policy.can(stats, action, own[Form.F02])
    # Its own account stays its own.
    assert list(policy.visible(stats, User)) == [stats]


def test_a_department_leader_reads_the_department_and_approves_form_04_only(world, kha):
    leader = make_user("giamdoc.kha", role=Role.DEPARTMENT_LEADER, province=kha)
    own = world["KHA"]
    assert policy.can(leader, policy.VIEW, own["cluster"]) and policy.can(leader, policy.VIEW, own["project"])
    assert not policy.can(leader, policy.VIEW, world["HNI"]["cluster"])
    assert not policy.can(leader, policy.CHANGE, own["cluster"])  # reads; the Department's officers write
    assert policy.can(leader, DECIDE, own["reports"][Form.F04])
    assert not policy.can(leader, DECIDE, own["reports"][Form.F01])
    assert not policy.can(leader, DECIDE, world["HNI"]["reports"][Form.F04])
    assert not policy.can(leader, REPORT, own["reports"][Form.F04])  # compiling stays with the officers
    approve = workflow_for(Form.F04).transitions["accept"]
    assert Role.DEPARTMENT_LEADER in approve.roles
    assert Role.DEPARTMENT_LEADER not in workflow_for(Form.F01).transitions["accept"].roles


def test_a_peoples_committee_member_reads_the_province_and_chairs_the_selection_council(world, kha, hni):
    member = make_user("ubnd.kha", role=Role.PEOPLE_COMMITTEE, province=kha)
    assert policy.can(member, policy.VIEW, world["KHA"]["cluster"])
    assert not policy.can(member, policy.CHANGE, world["KHA"]["cluster"])
    assert not policy.can(member, DECIDE, world["KHA"]["reports"][Form.F04])
    assert policy.can(member, SIT, Dossier(province=kha))
    assert not policy.can(member, SIT, Dossier(province=hni))
    stats = make_user("thongke.kha2", role=Role.STATISTICS_OFFICE, province=kha)
    assert not policy.can(stats, SIT, Dossier(province=kha))
    assert not policy.can(stats, DOSSIER_DECIDE, Dossier(province=kha))
    candidates = set(_council_candidates(Dossier(province=kha)))
    assert member in candidates and stats not in candidates


def test_a_peoples_committee_member_records_no_establishment_decision(world, kha):
    """The Committee decides the establishment (Decree 32/2024, Art. 10(4)) on the Department's appraisal
    (Art. 10(3)); the signed decision is entered by the Department's officers, who keep the province's data
    (docs/roles.md). The member's attempt is refused with the reason, and nothing is written."""
    member = make_user("ubnd.kha.qd", role=Role.PEOPLE_COMMITTEE, province=kha)
    cluster = world["KHA"]["cluster"]
    decision = {"kind": "established", "number": "45/QĐ-UBND", "issued_on": datetime.date(2025, 3, 3),
                "issuer": "UBND tỉnh Khánh Hòa"}  # fmt: skip
    with pytest.raises(PermissionDeniedError) as refused:
        cluster_transition(actor=member, cluster=cluster, action="establish", effective_on=datetime.date(2025, 3, 3),
                           new_document=decision)  # fmt: skip
    assert refused.value.message == "Vai trò của bạn không được thực hiện việc này."
    cluster.refresh_from_db()
    assert cluster.status == "planned" and not cluster.events.filter(action="establish").exists()
    assert not LegalDocument.objects.filter(number="45/QĐ-UBND").exists()
    assert not any(t.action == "establish" for t in CLUSTER_WORKFLOW.allowed_actions("planned", Role.PEOPLE_COMMITTEE))


def test_a_province_approver_invites_the_three_roles_from_a_list(kha, hni):
    approver = make_user("so.kha.duyet", role=Role.PROVINCE_APPROVER, province=kha)
    book = Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Thư điện tử", "Vai trò", "Phạm vi"])
    sheet.append(["Trần Văn Giám", "giamdoc@soct.kh.gov.vn", "Department leader", ""])
    sheet.append(["Lê Thị Ủy", "uyvien@khanhhoa.gov.vn", "people_committee", "56"])
    sheet.append(["Phạm Thống", "thongke@khanhhoa.gov.vn", "statistics_office", "01"])  # another province
    buf = io.BytesIO()
    book.save(buf)

    def upload():
        return SimpleUploadedFile("nguoi.xlsx", buf.getvalue())

    rows, problems = people.users_invite_list(actor=approver, upload=upload(), base_url="http://x", commit=True)
    assert rows == 3
    assert [(p["row"], p["column"]) for p in problems] == [(4, "Phạm vi")], problems
    assert not User.objects.filter(email__endswith="khanhhoa.gov.vn").exists()  # all or none
    sheet.delete_rows(4)
    sheet.append(["Phạm Thống", "thongke@khanhhoa.gov.vn", "Cơ quan thống kê (nhận Biểu 01, 02)", "56"])
    buf = io.BytesIO()
    book.save(buf)
    rows, problems = people.users_invite_list(actor=approver, upload=upload(), base_url="http://x", commit=True)
    assert (rows, problems) == (3, [])
    made = {
        u.email: (u.role, u.province_id)
        for u in User.objects.filter(role__in=PROVINCE_LEADERS + (Role.STATISTICS_OFFICE,))
    }
    assert made == {
        "giamdoc@soct.kh.gov.vn": (Role.DEPARTMENT_LEADER, kha.pk),
        "uyvien@khanhhoa.gov.vn": (Role.PEOPLE_COMMITTEE, kha.pk),
        "thongke@khanhhoa.gov.vn": (Role.STATISTICS_OFFICE, kha.pk),
    }


def test_a_province_bound_role_without_a_province_is_refused_by_the_database():
    from django.db import IntegrityError, transaction

    for role in (Role.DEPARTMENT_LEADER, Role.PEOPLE_COMMITTEE, Role.STATISTICS_OFFICE):
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.create_user(username=f"no-province-{role}", password="x", role=role)
