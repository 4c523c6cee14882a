"""Test factories and fixtures of the registry: organisations, clusters made through the real services, the
two provinces most tests use and one user of every role."""

import datetime
import uuid
from decimal import Decimal

import pytest

from ccn.accounts.choices import Role
from ccn.accounts.tests.factories import make_user
from ccn.clusters.models import Organisation
from ccn.clusters.services import cluster_create
from ccn.core.text import fold
from ccn.geo.models import Commune, Province


def make_org(name="Công ty TNHH Mẫu", *, country="VN", tax_code="", kind="enterprise"):
    return Organisation.objects.create(name=name, country=country, tax_code=tax_code, kind=kind, search_key=fold(name))


def make_cluster(
    *,
    province_code="56",
    code=None,
    name="Cụm công nghiệp Thử",
    commune_codes=None,
    actor=None,
    status="planned",
    status_since=None,
    establishment=None,
    **data,
):
    """A cluster created through the real service (validation, history and all)."""
    province = Province.objects.get(code=province_code)
    if commune_codes is None:
        commune_codes = [Commune.objects.filter(province=province).order_by("code").values_list("code", flat=True)[0]]
    if actor is None:
        actor = make_user(role=Role.ADMIN, superuser=True)
    data.setdefault("area_planned_ha", Decimal("50"))
    return cluster_create(
        actor=actor,
        province=province,
        communes=commune_codes,
        data={"code": code or f"T-{uuid.uuid4().hex[:8].upper()}", "name": name, **data},
        initial_status=status,
        status_since=status_since or datetime.date(2024, 1, 1),
        establishment=establishment,
    )


@pytest.fixture
def kha(db):
    return Province.objects.get(code="56")


@pytest.fixture
def hni(db):
    return Province.objects.get(code="01")


@pytest.fixture
def users(db, kha, hni):
    """One user of every role: Khánh Hòa for province and commune roles, an investor and a tenant org."""
    investor_org = make_org("Công ty Hạ tầng A")
    other_investor = make_org("Công ty Hạ tầng B")
    tenant_org = make_org("Công ty Sản xuất C")
    commune = Commune.objects.filter(province=kha).order_by("code").first()
    return {
        "admin": make_user("admin", role=Role.ADMIN, superuser=True),
        "ministry": make_user("ministry", role=Role.MINISTRY_VIEWER),
        "editor": make_user("editor", role=Role.PROVINCE_EDITOR, province=kha),
        "approver": make_user("approver", role=Role.PROVINCE_APPROVER, province=kha),
        "other_editor": make_user("other_editor", role=Role.PROVINCE_EDITOR, province=hni),
        "commune": make_user("commune", role=Role.COMMUNE_OFFICER, province=kha, communes=[commune]),
        "investor": make_user("investor", role=Role.INVESTOR, organisation=investor_org),
        "other_investor": make_user("other_investor", role=Role.INVESTOR, organisation=other_investor),
        "tenant": make_user("tenant", role=Role.TENANT, organisation=tenant_org),
    }
