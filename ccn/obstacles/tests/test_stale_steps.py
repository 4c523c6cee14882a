"""Two people open one obstacle: the action's owner starts it, the province's editor then presses "Done" on the
page read before: the step is refused with who changed the action and when, in Vietnamese, and nothing changes.
The step buttons carry the version of the action the page showed."""

import datetime

import pytest
from django.test import Client

from ccn.core.models import ChangeRecord, TransitionRecord
from ccn.core.tests.page_forms import page_forms
from ccn.obstacles import services

pytestmark = pytest.mark.django_db


def _browser(user):
    browser = Client(HTTP_ACCEPT_LANGUAGE="vi")
    browser.force_login(user)
    return browser


def _step(html, action, step):
    url = f"/obstacles/actions/{action.pk}/{step}/"
    forms = [f for f in page_forms(html) if f["action"] == url]
    assert len(forms) == 1, f"no button {step} on the page"
    return url, forms[0]["fields"]


@pytest.fixture
def action(users, raise_obstacle, today):
    """An open action on an obstacle of the commune officer's cluster, owned by the commune officer."""
    return services.action_add(
        actor=users["editor"],
        obstacle=raise_obstacle(),
        description="Vận động 3 hộ",
        owner=users["commune"],
        due_on=today + datetime.timedelta(days=7),
    )


def test_a_step_on_a_stale_page_is_refused_and_changes_nothing(users, action):
    obstacle = action.obstacle
    page = f"/obstacles/{obstacle.pk}/"
    owner, editor = _browser(users["commune"]), _browser(users["editor"])
    start_url, start = _step(owner.get(page).content.decode(), action, "start")
    done_url, done = _step(editor.get(page).content.decode(), action, "complete")
    assert start["version"] == done["version"] == "1"
    assert owner.post(start_url, start).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.version) == ("in_progress", 2)
    records, steps = ChangeRecord.objects.count(), TransitionRecord.objects.count()
    refused = editor.post(done_url, done, follow=True)
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "đã thay đổi hồ sơ này lúc" in html and "bạn gửi phiên bản 1, hiện là phiên bản 2" in html
    action.refresh_from_db()
    assert (action.status, action.version, action.done_on) == ("in_progress", 2, None)
    assert (ChangeRecord.objects.count(), TransitionRecord.objects.count()) == (records, steps)
    # The page read again carries the new version, and the step goes through.
    done_url, done = _step(editor.get(page).content.decode(), action, "complete")
    assert done["version"] == "2"
    assert editor.post(done_url, done).status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.version == 3


def test_a_step_with_a_version_that_is_not_a_number_is_refused(users, action):
    owner = _browser(users["commune"])
    response = owner.post(f"/obstacles/actions/{action.pk}/start/", {"version": "x"}, follow=True)
    assert (
        response.status_code == 200 and "Nhập một số" in response.content.decode()
    )  # the field's own message, flashed
    action.refresh_from_db()
    assert (action.status, action.version) == ("open", 1)
