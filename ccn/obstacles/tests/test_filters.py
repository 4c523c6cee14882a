"""The obstacle list's one filter declaration (ccn/obstacles/filters.py): the page lists the unresolved unless a
state is chosen, the API lists all unless asked; both read the same filters."""

import pytest
from django.test import Client

from ccn.accounts.tests.factories import PASSWORD
from ccn.obstacles.models import Obstacle

pytestmark = pytest.mark.django_db


def _editor():
    client = Client()
    client.login(username="editor", password=PASSWORD)
    return client


def test_page_and_api_read_one_declaration(users, world, raise_obstacle):
    open_one = raise_obstacle(description="Vướng mặt bằng lô A")
    done = raise_obstacle(description="Đã xong lô B")
    Obstacle.objects.filter(pk=done.pk).update(status="resolved")
    editor = _editor()
    page = editor.get("/obstacles/").text
    assert "Vướng mặt bằng lô A" in page and "Đã xong lô B" not in page  # unresolved by default
    every = editor.get("/obstacles/", {"status": "all"}).text
    assert "Vướng mặt bằng lô A" in every and "Đã xong lô B" in every
    # The state chosen survives the form: no hidden "unresolved" sticks to it.
    resolved = editor.get("/obstacles/", {"status": "resolved", "active": "true"}).text
    assert "Đã xong lô B" in resolved and "Vướng mặt bằng lô A" not in resolved
    api = editor.get("/api/v1/obstacles").json()
    assert {o["id"] for o in api["items"]} == {open_one.pk, done.pk}
    active = editor.get("/api/v1/obstacles", {"active": "true"}).json()
    assert [o["id"] for o in active["items"]] == [open_one.pk]
    # overdue=false is "no filter", not "overdue only" (a checkbox reads any text as yes).
    assert editor.get("/api/v1/obstacles", {"overdue": "false"}).json()["count"] == 2
    assert editor.get("/api/v1/obstacles", {"overdue": "true"}).json()["count"] == 0
    assert editor.get("/api/v1/obstacles", {"q": "lô b"}).json()["count"] == 1


def test_agency_select_offers_the_users_agencies_but_the_api_takes_any(users, world, raise_obstacle):
    raise_obstacle()
    editor = _editor()
    page = editor.get("/obstacles/").text
    assert "UBND xã Một" in page and "Sở Công Thương Hà Nội" not in page
    hanoi = world["hanoi_agency"].pk
    assert editor.get("/api/v1/obstacles", {"agency": hanoi}).json()["count"] == 0
