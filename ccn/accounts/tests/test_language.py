"""The language the user picked, and only that, switches the pages: an English browser never flips a signed-in
officer's pages (the portal included); the header's switch is kept on every page and stored in the profile, so a
new computer opens in it; the profile stores it on its own; a value other than vi/en is refused and changes
nothing."""

import re

import pytest
from django.test import Client

from ccn.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PAGES = ["/", "/clusters/", "/portal/", "/geo/map/", "/accounts/me/"]


def lang(response) -> str:
    return re.search(r'<html lang="(\w+)"', response.content.decode()).group(1)


def signed_in(user, **headers) -> Client:
    client = Client(**headers)
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_an_english_browser_does_not_flip_a_signed_in_officer(users):
    client = signed_in(users["editor"], HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert lang(response) == "vi", path


def test_the_public_portal_still_follows_a_visitors_browser():
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert lang(client.get("/portal/")) == "en"
    assert lang(client.get("/clusters/")) == "vi"  # the registry's pages are Vietnamese first


def test_the_switch_is_kept_and_stored_in_the_profile(users):
    editor = users["editor"]
    client = signed_in(editor)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/clusters/"})
    assert response.status_code == 302
    for path in PAGES:
        assert lang(client.get(path)) == "en", path
    editor.refresh_from_db()
    assert editor.language == "en"
    # Another computer (no cookie) opens in the stored language once signed in, whatever its browser says.
    elsewhere = signed_in(editor, HTTP_ACCEPT_LANGUAGE="vi")
    assert lang(elsewhere.get("/clusters/")) == "en"
    assert lang(Client().get("/clusters/")) == "vi"  # an anonymous visitor is not affected


def test_the_profile_stores_the_language_and_refuses_others(users):
    approver = users["approver"]
    client = signed_in(approver)
    response = client.post("/accounts/me/language/", {"language": "en"}, follow=True)
    assert lang(response) == "en" and "Language saved." in response.content.decode()
    approver.refresh_from_db()
    assert approver.language == "en"
    response = client.post("/accounts/me/language/", {"language": "fr"}, follow=True)
    assert "Choose Vietnamese or English." in response.content.decode()
    approver.refresh_from_db()
    assert approver.language == "en"  # unchanged
    client.post("/accounts/me/language/", {"language": ""})
    approver.refresh_from_db()
    assert approver.language == ""
    assert lang(client.get("/clusters/")) == "vi"
