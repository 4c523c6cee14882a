"""Clusters in mountainous districts (Decree 32/2024/NĐ-CP, Art. 2(1); Decree 68/2017/NĐ-CP, Art. 2(1) from
15/7/2017): 5–75 ha instead of 10–75 ha. The floor is a dated rule found by the one lookup, checked on the date of
the establishment decision, named in the refusal with a hint, and shown as the legal basis on the cluster's page."""

import datetime
import json
from decimal import Decimal

import pytest
from django.test import Client

from ccn.accounts.choices import Role
from ccn.accounts.tests.factories import PASSWORD, make_user
from ccn.clusters import legacy
from ccn.clusters.models import Cluster, LegalDocument, LegalRule
from ccn.clusters.rules import area_limits, rule_for
from ccn.clusters.services import cluster_update
from ccn.clusters.workflow import guard_area_within_limits
from ccn.core.errors import ValidationFailed
from ccn.geo.models import Commune

from .factories import make_cluster

D = Decimal
day = datetime.date
DECREE_68 = "Nghị định 68/2017/NĐ-CP, Điều 2 khoản 1"
DECREE_32 = "Nghị định 32/2024/NĐ-CP, Điều 2 khoản 1"
DECISION_105 = "Quyết định 105/2009/QĐ-TTg, Quy chế Điều 2"


def mentions_mountains(text: str) -> bool:
    return "miền núi" in text or "mountainous" in text


def decided(on, number="12/QĐ-UBND"):
    return {"number": number, "issued_on": on, "issuer": "UBND tỉnh"}


@pytest.mark.django_db
def test_the_one_lookup_chooses_the_most_specific_rule_in_force():
    """The rows of migrations 0002, 0006 and 0008: general 10 ha, craft-village and mountainous 5 ha, each from
    15/7/2017 (Decree 68/2017) and again from 1/5/2024 (Decree 32/2024); nothing before 15/7/2017."""
    rules = legacy.area_rules()

    def floor(kind, mountainous, on):
        rule = legacy.rule_in_force(rules, "area_min_ha", kind=kind, mountainous=mountainous, day=on)
        return None if rule is None else (rule.value, rule.legal_source)

    assert floor("ordinary", True, day(2016, 12, 31)) is None
    assert floor("ordinary", False, day(2018, 3, 1)) == (D("10"), DECREE_68)
    assert floor("ordinary", True, day(2018, 3, 1)) == (D("5"), DECREE_68)
    assert floor("ordinary", True, day(2024, 4, 30)) == (D("5"), DECREE_68)
    assert floor("ordinary", True, day(2024, 5, 1)) == (D("5"), DECREE_32)
    assert floor("ordinary", False, day(2025, 1, 1)) == (D("10"), DECREE_32)
    assert floor("craft_village", False, day(2025, 1, 1))[0] == D("5")
    assert floor("craft_village", True, day(2025, 1, 1))[0] == D("5")
    # the selectors read the same lookup (no second copy of the rule logic)
    assert rule_for("area_min_ha", on=day(2018, 3, 1), mountainous=True).legal_source == DECREE_68
    assert area_limits(kind="ordinary", on=day(2025, 1, 1), mountainous=True) == (D("5"), D("75"))
    assert area_limits(kind="ordinary", on=day(2025, 1, 1)) == (D("10"), D("75"))
    # an administrator's later rule for mountainous areas alone beats the general one from its first day
    LegalRule.objects.create(
        key="area_min_ha", mountainous_only=True, value=D("3"), effective_from=day(2026, 1, 1),
        legal_source="Nghị định thử, Điều 1",
    )  # fmt: skip
    LegalRule.objects.filter(mountainous_only=True, effective_from=day(2024, 5, 1)).update(
        effective_to=day(2025, 12, 31)
    )
    assert rule_for("area_min_ha", on=day(2026, 2, 1), mountainous=True).value == D("3")
    assert rule_for("area_min_ha", on=day(2026, 2, 1)).value == D("10")


@pytest.mark.django_db
def test_a_7_ha_cluster_established_in_2018_is_refused_unless_mountainous(kha):
    with pytest.raises(ValidationFailed) as refused:
        make_cluster(code="M-7-2018", area_planned_ha=D("7"), establishment=decided(day(2018, 3, 1)))
    message = refused.value.field_errors["area_planned_ha"][0]
    # names the rule in force that day and hints at the 5 ha floor of mountainous and craft-village clusters
    assert DECREE_68 in message and "01/03/2018" in message
    assert f"5 ha ({DECREE_68})" in message and mentions_mountains(message)
    assert not Cluster.objects.filter(code="M-7-2018").exists() and not LegalDocument.objects.exists()

    mountain = make_cluster(
        code="M-7-2018-MN", area_planned_ha=D("7"), mountainous_area=True, establishment=decided(day(2018, 3, 1))
    )
    assert mountain.mountainous_area is True
    # unmarking it is refused: its area is held to the general floor in force on its decision's date
    editor = make_user(role=Role.ADMIN, superuser=True)
    with pytest.raises(ValidationFailed) as unmarked:
        cluster_update(actor=editor, cluster=mountain, data={"mountainous_area": False})
    assert DECREE_68 in unmarked.value.message
    assert Cluster.objects.get(pk=mountain.pk).mountainous_area is True
    # 4 ha is under the mountainous floor too: refused without the hint
    with pytest.raises(ValidationFailed) as small:
        make_cluster(code="M-4", area_planned_ha=D("4"), mountainous_area=True, establishment=decided(day(2025, 1, 2)))
    assert DECREE_32 in small.value.message and f"5 ha ({DECREE_32})" not in small.value.message


@pytest.mark.django_db
def test_a_7_ha_cluster_established_in_2016_predates_every_floor(kha):
    """Before Decree 68/2017 only the 75 ha ceiling of Decision 105/2009 was in force: a 7 ha cluster decided in
    2016 is accepted whether mountainous or not. Today the ordinary one continues on the Art. 35(1) basis; the
    mountainous one meets today's 5 ha floor and needs no transition."""
    plain = make_cluster(code="M-7-2016", area_planned_ha=D("7"), establishment=decided(day(2016, 3, 1)))
    mountain = make_cluster(
        code="M-7-2016-MN", area_planned_ha=D("7"), mountainous_area=True, establishment=decided(day(2016, 3, 1))
    )
    rules = legacy.area_rules()
    today = day(2026, 11, 1)
    assert legacy.breaches(rules, kind="ordinary", area=D("7"), day=today, mountainous=True) == []
    assert legacy.legal_basis(rules, kind="ordinary", area=D("7"), established_on=day(2016, 3, 1), today=today)
    text, lawful = legacy.area_basis(
        rules, kind=plain.kind, kind_label="", mountainous=False, area=D("7"), day=day(2016, 3, 1), today=today
    )
    assert lawful and "Điều 35" in text and DECREE_68 in text and "01/03/2016" in text
    text, lawful = legacy.area_basis(
        rules, kind=mountain.kind, kind_label="", mountainous=True, area=D("7"), day=day(2016, 3, 1), today=today
    )
    assert lawful and "Điều 35" not in text and DECISION_105 in text and "75" in text
    # the lifecycle guard holds an act of 2025 to the floor of that day, with the hint for the unmarked one
    assert guard_area_within_limits(mountain, day(2025, 1, 2)) is None
    refusal = guard_area_within_limits(plain, day(2025, 1, 2))
    assert DECREE_32 in refusal and f"5 ha ({DECREE_32})" in refusal and mentions_mountains(refusal)


@pytest.mark.django_db
def test_the_cluster_page_shows_the_legal_basis_of_its_area(users, kha):
    mountain = make_cluster(
        code="M-8", area_planned_ha=D("8"), mountainous_area=True, establishment=decided(day(2025, 1, 2))
    )
    old = make_cluster(code="M-6-2016", area_planned_ha=D("6"), establishment=decided(day(2016, 3, 1)))
    craft = make_cluster(
        code="M-6-CRAFT", kind="craft_village", area_planned_ha=D("6"), establishment=decided(day(2018, 3, 1))
    )
    client = Client()
    client.login(username="editor", password=PASSWORD)
    page = client.get(f"/clusters/{mountain.code}/").content.decode()
    assert "Địa bàn miền núi" in page
    assert (
        f"Quy mô 8 ha: hợp lệ theo {DECREE_32} (địa bàn miền núi, tối thiểu 5 ha, tối đa 75 ha), có hiệu lực vào "
        "ngày 02/01/2025" in page
    )
    page = client.get(f"/clusters/{old.code}/").content.decode()
    assert "Quy mô 6 ha: Nghị định 32/2024/NĐ-CP, Điều 35 khoản 1: hình thành ngày 01/03/2016" in page
    page = client.get(f"/clusters/{craft.code}/").content.decode()
    assert f"{DECREE_68} (cụm công nghiệp làng nghề, tối thiểu 5 ha)" in page and DECISION_105 in page
    # the public page shows it too (the flag and the area are public fields)
    assert "Quy mô 8 ha: hợp lệ theo" in Client().get(f"/clusters/{mountain.code}/").content.decode()


@pytest.mark.django_db
def test_the_form_and_the_api_carry_the_flag(users, kha):
    client = Client()
    client.login(username="editor", password=PASSWORD)
    commune = Commune.objects.filter(province=kha).order_by("code").first()
    form = client.get("/clusters/new/").content.decode()
    assert 'name="mountainous_area"' in form
    resp = client.post(
        "/clusters/new/",
        {"code": "M-FORM", "name": "Cụm công nghiệp Khánh Sơn", "kind": "ordinary", "province": kha.pk,
         "communes": [commune.pk], "mountainous_area": "on", "area_planned_ha": "7", "area_established_ha": "7",
         "initial_status": "established", "status_since": "2019-06-20", "state_doc_kind": "established",
         "state_doc_number": "19/QĐ-UBND", "state_doc_issuer": "UBND tỉnh Khánh Hòa"},
    )  # fmt: skip
    assert resp.status_code == 302, resp.context["form"].errors if resp.context else resp
    assert Cluster.objects.get(code="M-FORM").mountainous_area is True

    payload = {
        "code": "M-API", "name": "Cụm công nghiệp Khánh Vĩnh", "province": "56", "communes": [commune.code],
        "area_planned_ha": "7", "status": "established", "status_since": "2019-06-20",
        "document": {"kind": "established", "number": "20/QĐ-UBND", "issued_on": "2019-06-20", "issuer": "UBND"},
    }  # fmt: skip
    refused = client.post("/api/v1/clusters", json.dumps(payload), content_type="application/json")
    assert refused.status_code == 422 and DECREE_68 in refused.json()["errors"]["area_planned_ha"][0]
    created = client.post(
        "/api/v1/clusters", json.dumps({**payload, "mountainous_area": True}), content_type="application/json"
    )
    assert created.status_code == 201, created.json()
    assert created.json()["mountainous_area"] is True
    got = client.get("/api/v1/clusters/M-API").json()
    assert got["mountainous_area"] is True
    assert Client().get("/api/v1/clusters/M-API").json()["mountainous_area"] is True  # a public field
    patch = client.patch(
        "/api/v1/clusters/M-API",
        json.dumps({"mountainous_area": False, "version": got["confidential"]["version"]}),
        content_type="application/json",
    )
    assert patch.status_code == 422 and DECREE_68 in patch.json()["errors"]["area_planned_ha"][0]
    patch = client.patch(
        "/api/v1/clusters/M-API",
        json.dumps({"mountainous_area": None, "name": "Cụm Khánh Vĩnh 2", "version": got["confidential"]["version"]}),
        content_type="application/json",
    )
    assert patch.status_code == 200 and patch.json()["mountainous_area"] is True
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert schemas["ClusterIn"]["properties"]["mountainous_area"]["type"] == "boolean"
    assert "mountainous_area" in schemas["ClusterPatch"]["properties"]
    assert "mountainous_area" in schemas["ClusterOut"]["required"]
