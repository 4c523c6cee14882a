"""A double-posted note is stored once (ccn/core/idempotency.py): by the API with an Idempotency-Key, by the page
with the form token every form carries."""

import re

import pytest
from django.test import Client

from ccn.obstacles.models import ObstacleNote

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_same_key_stores_one_note_and_replays_the_answer(users, raise_obstacle):
    obstacle = raise_obstacle()
    client = _client(users["editor"])
    url = f"/api/v1/obstacles/{obstacle.pk}/notes"
    key = {"Idempotency-Key": "note-7f3a"}
    first = client.post(url, {"text": "Đã làm việc với xã"}, content_type="application/json", headers=key)
    second = client.post(url, {"text": "Đã làm việc với xã"}, content_type="application/json", headers=key)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json() and second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert ObstacleNote.objects.filter(obstacle=obstacle).count() == 1
    reused = client.post(url, {"text": "Nội dung khác"}, content_type="application/json", headers=key)
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"
    # Without a key, or with a new one, each post is a new note; another user's same key is theirs alone.
    client.post(url, {"text": "Lần hai"}, content_type="application/json")
    client.post(url, {"text": "Lần ba"}, content_type="application/json", headers={"Idempotency-Key": "note-2"})
    other = _client(users["approver"]).post(
        url, {"text": "Đã làm việc với xã"}, content_type="application/json", headers=key
    )
    assert other.status_code == 201 and "Idempotent-Replayed" not in other
    assert ObstacleNote.objects.filter(obstacle=obstacle).count() == 4


def test_a_refused_post_is_not_kept_so_the_corrected_one_goes_through(users, raise_obstacle):
    obstacle = raise_obstacle()
    client = _client(users["editor"])
    url = f"/api/v1/obstacles/{obstacle.pk}/notes"
    key = {"Idempotency-Key": "retry-1"}
    assert client.post(url, {"text": ""}, content_type="application/json", headers=key).status_code == 422
    assert client.post(url, {"text": "Đúng rồi"}, content_type="application/json", headers=key).status_code == 201
    assert ObstacleNote.objects.filter(obstacle=obstacle).count() == 1


def test_double_submitted_note_form_is_stored_once(users, raise_obstacle):
    obstacle = raise_obstacle()
    client = _client(users["editor"])
    page = client.get(f"/obstacles/{obstacle.pk}/").content.decode()
    form = page[page.index(f'action="/obstacles/{obstacle.pk}/notes/"') :]
    token = re.search(r'name="form_token" value="([0-9a-f]{32})"', form).group(1)
    data = {"note-text": "Bấm hai lần", "form_token": token}
    first = client.post(f"/obstacles/{obstacle.pk}/notes/", data)
    second = client.post(f"/obstacles/{obstacle.pk}/notes/", data)
    assert first.status_code == second.status_code == 302 and second["Location"] == first["Location"]
    assert ObstacleNote.objects.filter(obstacle=obstacle, text="Bấm hai lần").count() == 1
    # The page renders a new token each time: a second note typed on purpose is a new note.
    again = client.get(f"/obstacles/{obstacle.pk}/").content.decode()
    assert token not in again


def test_a_form_left_on_the_page_sending_other_content_is_a_new_post(users, raise_obstacle):
    obstacle = raise_obstacle()
    client = _client(users["editor"])
    for text in ("Ghi chú một", "Ghi chú hai"):
        response = client.post(f"/obstacles/{obstacle.pk}/notes/", {"note-text": text, "form_token": "a" * 32})
        assert response.status_code == 302 and "Idempotent-Replayed" not in response
    assert ObstacleNote.objects.filter(obstacle=obstacle).count() == 2
