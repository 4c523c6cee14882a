""" "Can my sector locate here?": VSIC codes matched by prefix against the cluster's permitted sectors, on the
profile page (with and without htmx) and the API."""

import pytest

from ccn.core.errors import ValidationFailed
from ccn.portal.selectors import parse_sector, sector_check

from .factories import portal_cluster

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("permitted", "code", "fits", "matched"),
    [
        (["10"], "1079", True, ["10"]),  # a 4-digit class fits its 2-digit division
        (["10"], "10790", True, ["10"]),  # a VSIC 2025 subclass
        (["C"], "1079", True, ["C"]),  # ... and the section of that division
        (["C"], "25", True, ["C"]),
        (["C", "10"], "10", True, ["10", "C"]),
        (["10"], "11", False, []),
        (["10"], "2599", False, []),
        (["A"], "1079", False, []),  # food manufacturing is in C, not A
        (["10", "11"], "C", False, []),  # only part of section C is permitted
        (["10"], "1", None, None),  # not a code
    ],
)
def test_sector_check(permitted, code, fits, matched):
    cluster = portal_cluster(code="KHA-S", sectors=permitted)
    if fits is None:
        with pytest.raises(ValidationFailed):
            sector_check(cluster=cluster, code=code)
        return
    answer = sector_check(cluster=cluster, code=code)
    assert answer.fits is fits
    assert answer.matched == matched
    assert code.upper() in answer.reason


def test_partial_answers_name_the_permitted_narrower_codes():
    cluster = portal_cluster(code="KHA-S", sectors=["10", "11"])
    answer = sector_check(cluster=cluster, code="C")
    assert answer.fits is False and "10" in answer.reason and "11" in answer.reason


def test_no_permitted_sectors_is_unknown():
    answer = sector_check(cluster=portal_cluster(code="KHA-S", sectors=[]), code="1079")
    assert answer.fits is None


@pytest.mark.parametrize("bad", ["", "1", "123456", "Z", "04", "1a", "<script>"])
def test_parse_refuses(bad):
    with pytest.raises(ValidationFailed):
        parse_sector(bad)


def test_profile_page_answers(client):
    portal_cluster(code="KHA-S", sectors=["10"])
    yes = client.get("/portal/clusters/KHA-S/", {"sector": "1079"}).content.decode()
    assert 'data-fits="yes"' in yes and "/portal/clusters/KHA-S/inquire/?sector=1079" in yes
    no = client.get("/portal/clusters/KHA-S/", {"sector": "2599"}).content.decode()
    assert 'data-fits="no"' in no
    bad = client.get("/portal/clusters/KHA-S/", {"sector": "<i>x"}).content.decode()
    assert "<i>x" not in bad and "&lt;i&gt;x" in bad
    fragment = client.get(
        "/portal/clusters/KHA-S/", {"sector": "1079"}, headers={"HX-Request": "true", "HX-Target": "sector-check"}
    )
    assert fragment.content.decode().startswith('<div id="sector-check">')


def test_api_answers(client):
    portal_cluster(code="KHA-S", sectors=["10"])
    body = client.get("/api/v1/portal/clusters/KHA-S/sector-check", {"sector": "1079"}).json()
    assert body["fits"] is True and body["matched"] == ["10"]
    assert client.get("/api/v1/portal/clusters/KHA-S/sector-check", {"sector": "xx"}).status_code == 422
    assert client.get("/api/v1/portal/clusters/NOPE/sector-check", {"sector": "10"}).status_code == 404
