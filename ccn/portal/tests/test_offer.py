"""Offers: who may keep them, validation, the yearly VND price the search compares, history, page and API."""

from decimal import Decimal

import pytest

from ccn.core.errors import ConflictError, PermissionDeniedError, ValidationFailed
from ccn.core.history import history_for
from ccn.portal.models import ClusterOffer
from ccn.portal.services import offer_save

from .factories import portal_cluster

pytestmark = pytest.mark.django_db


@pytest.fixture
def cluster(users):
    return portal_cluster(code="KHA-O", investor=users["investor"].organisation)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", True),
        ("editor", True),
        ("approver", True),
        ("investor", True),
        ("other_editor", False),
        ("other_investor", False),
        ("ministry", False),
        ("commune", False),
        ("tenant", False),
    ],
)
def test_who_may_keep_the_offer(client, users, cluster, role, allowed):
    client.force_login(users[role])
    page = client.get("/portal/offers/KHA-O/")
    api = client.put(
        "/api/v1/portal/offers/KHA-O", {"price_min": "100000", "is_published": True}, content_type="application/json"
    )
    if allowed:
        assert page.status_code == 200 and api.status_code == 200
        assert ClusterOffer.objects.get(cluster=cluster).price_min == Decimal("100000")
    else:
        assert page.status_code in (403, 404) and api.status_code in (403, 404)
        assert not ClusterOffer.objects.exists()
        with pytest.raises(PermissionDeniedError):
            offer_save(actor=users[role], cluster=cluster, data={"price_min": Decimal("1")})


def test_validation(users, cluster):
    investor = users["investor"]
    with pytest.raises(ValidationFailed) as exc:
        offer_save(actor=investor, cluster=cluster, data={"price_min": Decimal("10"), "price_max": Decimal("5")})
    assert "__all__" in exc.value.field_errors
    with pytest.raises(ValidationFailed) as exc:
        offer_save(actor=investor, cluster=cluster, data={"price_min": Decimal("40"), "currency": "USD"})
    assert "exchange_rate" in exc.value.field_errors
    with pytest.raises(ValidationFailed) as exc:
        offer_save(actor=investor, cluster=cluster, data={"price_min": Decimal("4"), "price_unit": "m2_term"})
    assert "term_years" in exc.value.field_errors
    with pytest.raises(ValidationFailed) as exc:
        offer_save(actor=investor, cluster=cluster, data={"contact_email": "nope", "utilities": "x" * 3001})
    assert {"contact_email", "utilities"} <= set(exc.value.field_errors)
    assert not ClusterOffer.objects.exists()


def test_normalised_price_history_and_versions(users, cluster):
    offer = offer_save(
        actor=users["investor"],
        cluster=cluster,
        data={
            "price_max": Decimal("60"),
            "currency": "USD",
            "exchange_rate": Decimal("25500"),
            "price_unit": "m2_term",
            "term_years": 30,
        },
    )
    # only a highest price: the range is that one price; 60 USD × 25,500 ÷ 30 years = 51,000 VND/m²/year
    assert offer.price_min_vnd_m2_year == offer.price_max_vnd_m2_year == Decimal("51000.00")
    offer = offer_save(actor=users["editor"], cluster=cluster, data={"price_min": Decimal("30")}, expected_version=1)
    assert offer.price_min_vnd_m2_year == Decimal("25500.00") and offer.version == 2
    assert [r.action for r in history_for(offer)] == ["update", "create"]
    with pytest.raises(ConflictError):
        offer_save(actor=users["editor"], cluster=cluster, data={"price_min": Decimal("31")}, expected_version=1)


def test_offer_page_saves_and_cluster_page_links_it(client, users, cluster):
    client.force_login(users["investor"])
    detail = client.get("/clusters/KHA-O/").content.decode()
    assert "/portal/offers/KHA-O/" in detail and "/portal/clusters/KHA-O/" in detail
    r = client.post(
        "/portal/offers/KHA-O/",
        {
            "price_min": "1000000",
            "price_max": "1300000",
            "currency": "VND",
            "price_unit": "m2_year",
            "is_published": "on",
        },
    )
    assert r.status_code == 302
    profile = client.get("/portal/clusters/KHA-O/").content.decode()
    assert "1.000.000" in profile or "1,000,000" in profile
    bad = client.post(
        "/portal/offers/KHA-O/",
        {"price_min": "10", "price_max": "5", "currency": "VND", "price_unit": "m2_year", "version": "2"},
    )
    assert bad.status_code == 200 and ClusterOffer.objects.get().price_min == Decimal("1000000")


def test_sample_offers_command_is_idempotent(cluster, users):
    from django.core.management import call_command

    cluster.__class__.objects.filter(pk=cluster.pk).update(is_sample=True)
    portal_cluster(code="KHA-REAL")  # not sample: left alone
    call_command("load_sample_portal", verbosity=0)
    call_command("load_sample_portal", verbosity=0)
    offer = ClusterOffer.objects.get()
    assert offer.cluster == cluster and offer.is_sample and offer.is_published
    assert offer.price_min is None and offer.price_max is None and offer.management_fee is None
