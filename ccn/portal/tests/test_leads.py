"""Handling inquiries: the workflow (table, transitions, history), and scope as a matrix of role × endpoint ×
own/other cluster, over the pages and the API."""

import re
from pathlib import Path

import pytest

from ccn.core.errors import ConflictError, PermissionDeniedError
from ccn.core.history import history_for
from ccn.portal.models import Lead
from ccn.portal.services import lead_transition
from ccn.portal.workflow import LEAD_WORKFLOW

from .factories import portal_cluster

pytestmark = pytest.mark.django_db
DOC = Path(__file__).resolve().parents[3] / "docs" / "portal.md"


def make_lead(cluster, **kw):
    return Lead.objects.create(
        reference=kw.pop("reference", f"YC-{cluster.code}"),
        cluster=cluster,
        investor=cluster.investor,
        province=cluster.province,
        company="Công ty Thử",
        contact_name="Người Thử",
        email="thu@example.vn",
        **kw,
    )


@pytest.fixture
def leads(users):
    own = portal_cluster(code="KHA-OWN", investor=users["investor"].organisation)
    other_kha = portal_cluster(code="KHA-OTHER", investor=users["other_investor"].organisation)
    hanoi = portal_cluster(code="HNI-X", province_code="01")
    return {"own": make_lead(own), "other_kha": make_lead(other_kha), "hanoi": make_lead(hanoi)}


VISIBLE = {
    "admin": {"own", "other_kha", "hanoi"},
    "editor": {"own", "other_kha"},
    "approver": {"own", "other_kha"},
    "other_editor": {"hanoi"},
    "investor": {"own"},
    "other_investor": {"other_kha"},
    "ministry": None,  # refused: inquiries hold personal data
    "commune": None,
    "tenant": None,
}


@pytest.mark.parametrize("role", list(VISIBLE))
def test_scope_matrix(client, users, leads, role):
    client.force_login(users[role])
    expected = VISIBLE[role]
    page = client.get("/portal/leads/")
    api = client.get("/api/v1/portal/leads")
    if expected is None:
        assert page.status_code == 403 and api.status_code == 403
    else:
        assert page.status_code == 200 and api.status_code == 200
        refs = {i["reference"] for i in api.json()["items"]}
        assert refs == {leads[k].reference for k in expected}
        html = page.content.decode()
        for key, lead in leads.items():
            assert (lead.reference in html) == (key in expected)
    for key, lead in leads.items():
        allowed = expected is not None and key in expected
        detail = client.get(f"/portal/leads/{lead.pk}/")
        api_detail = client.get(f"/api/v1/portal/leads/{lead.pk}")
        move = client.post(
            f"/api/v1/portal/leads/{lead.pk}/transitions",
            {"action": "contact", "version": lead.version},
            content_type="application/json",
        )
        page_move = client.post(f"/portal/leads/{lead.pk}/actions/lose/", {"note": "x"})
        if allowed:
            assert detail.status_code == 200 and api_detail.status_code == 200
            assert move.status_code == 200 and move.json()["status"] == "contacted"
            assert page_move.status_code == 302
            lead.refresh_from_db()
            assert lead.status == "lost"
        else:
            assert detail.status_code in (403, 404) and api_detail.status_code in (403, 404)
            assert move.status_code in (403, 404) and page_move.status_code in (403, 404)
            lead.refresh_from_db()
            assert lead.status == "new"


def test_anonymous_gets_nothing(client, leads):
    assert client.get("/portal/leads/").status_code == 302
    assert client.get("/api/v1/portal/leads").status_code == 401
    assert (
        client.post(
            f"/api/v1/portal/leads/{leads['own'].pk}/transitions",
            {"action": "contact"},
            content_type="application/json",
        ).status_code
        == 401
    )


def test_workflow_path_and_history(users, leads):
    lead = leads["own"]
    lead = lead_transition(actor=users["investor"], lead=lead, action="contact", note="Đã gọi điện")
    lead = lead_transition(actor=users["editor"], lead=lead, action="site_visit", note="Khảo sát 12/3")
    lead = lead_transition(actor=users["investor"], lead=lead, action="sign")
    assert lead.status == "signed" and lead.version == 4
    steps = list(lead.events.values_list("from_status", "to_status", "note"))
    assert steps == [
        ("new", "contacted", "Đã gọi điện"),
        ("contacted", "site_visit", "Khảo sát 12/3"),
        ("site_visit", "signed", ""),
    ]
    assert [r.after for r in history_for(lead)][:1] == [{"status": "signed"}]
    with pytest.raises(ConflictError):
        lead_transition(actor=users["investor"], lead=lead, action="lose")
    with pytest.raises(ConflictError):
        lead_transition(actor=users["investor"], lead=lead, action="fly")


def test_stale_version_is_refused(client, users, leads):
    lead = leads["own"]
    lead_transition(actor=users["editor"], lead=lead, action="contact")
    with pytest.raises(ConflictError):
        lead_transition(actor=users["investor"], lead=lead, action="sign", expected_version=1)
    client.force_login(users["investor"])
    r = client.post(
        f"/api/v1/portal/leads/{lead.pk}/transitions", {"action": "sign", "version": 1}, content_type="application/json"
    )
    assert r.status_code == 409


def test_other_investor_cannot_move_it_even_directly(users, leads):
    with pytest.raises(PermissionDeniedError):
        lead_transition(actor=users["other_investor"], lead=leads["own"], action="contact")


def test_docs_table_matches_the_workflow():
    text = DOC.read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+) \| `(\w+)` \|", text, flags=re.M)
    documented = {a: (tuple(sorted(re.findall(r"`(\w+)`", src))), target) for a, src, target in rows}
    actual = {t.action: (tuple(sorted(t.sources)), t.target) for t in LEAD_WORKFLOW.transitions.values()}
    assert documented == actual


def test_page_and_api_filter_inquiries_alike(client, users, leads):
    """ccn/portal/filters.py: status and cluster filter the page and the API alike."""
    Lead.objects.filter(pk=leads["other_kha"].pk).update(status="lost")
    client.force_login(users["editor"])
    api = client.get("/api/v1/portal/leads", {"status": "lost"}).json()
    assert [i["reference"] for i in api["items"]] == [leads["other_kha"].reference]
    page = client.get("/portal/leads/", {"status": "lost"}).content.decode()
    assert leads["other_kha"].reference in page and leads["own"].reference not in page
    by_cluster = client.get("/api/v1/portal/leads", {"cluster": "KHA-OWN"}).json()
    assert [i["reference"] for i in by_cluster["items"]] == [leads["own"].reference]
    assert leads["other_kha"].reference not in client.get("/portal/leads/", {"cluster": "KHA-OWN"}).content.decode()
