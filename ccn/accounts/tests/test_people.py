"""People of a province: invitations by e-mail (one or a list, all or none, every problem listed), the link that
sets the password, accounts disabled and never deleted, and the scope of a province approver."""

import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import escape
from openpyxl import Workbook

from ccn.accounts.choices import Role
from ccn.accounts.models import ApiToken, User
from ccn.accounts.tests.factories import PASSWORD, make_user
from ccn.core.models import ChangeRecord
from ccn.geo.models import Commune

pytestmark = pytest.mark.django_db


@pytest.fixture
def approver(kha):
    return make_user("so.kha.approver", role=Role.PROVINCE_APPROVER, province=kha)


def _client(user):
    client = Client()
    client.login(username=user.username, password=PASSWORD)
    return client


def test_an_invited_officer_sets_a_password_from_the_link_and_signs_in(
    approver, kha, django_capture_on_commit_callbacks
):
    client = _client(approver)
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail leaves once the account is written
        resp = client.post(
            "/accounts/people/",
            {"what": "invite", "name": "Nguyễn Thị Lan", "email": "Lan@soct.khanhhoa.gov.vn",
             "role": "province_editor", "scope": ""},
        )  # fmt: skip
    assert resp.status_code == 302
    lan = User.objects.get(email="lan@soct.khanhhoa.gov.vn")
    assert (lan.role, lan.province, lan.has_usable_password()) == ("province_editor", kha, False)
    (message,) = mail.outbox
    assert message.to == ["lan@soct.khanhhoa.gov.vn"] and "lan@soct.khanhhoa.gov.vn" in message.body
    link = re.search(r"http://testserver(/\S+)", message.body).group(1)
    newcomer = Client()
    form = newcomer.get(link, follow=True)
    set_url = form.redirect_chain[-1][0] if form.redirect_chain else link
    done = newcomer.post(set_url, {"new_password1": "Khanh-Hoa-2026!", "new_password2": "Khanh-Hoa-2026!"})
    assert done.status_code == 302, done.context["form"].errors if done.context else done
    assert Client().login(username="lan@soct.khanhhoa.gov.vn", password="Khanh-Hoa-2026!")
    assert ChangeRecord.objects.filter(object_repr__contains="lan@", message__isnull=False).exists()


def test_an_address_in_use_or_a_role_beyond_the_approver_is_refused(approver, kha):
    make_user("old", role=Role.PROVINCE_EDITOR, province=kha).__class__.objects.filter(username="old").update(
        email="old@soct.vn"
    )
    client = _client(approver)
    resp = client.post("/accounts/people/", {"what": "invite", "name": "Cũ", "email": "OLD@soct.vn",
                                             "role": "province_editor"})  # fmt: skip
    assert resp.status_code == 422 and "old@soct.vn" in resp.content.decode()
    resp = client.post("/accounts/people/", {"what": "invite", "name": "Bộ", "email": "bo@moit.gov.vn",
                                             "role": "ministry_viewer"})  # fmt: skip
    assert resp.status_code == 422 and not User.objects.filter(email="bo@moit.gov.vn").exists()
    assert not mail.outbox


def _sheet(rows) -> SimpleUploadedFile:
    wb = Workbook()
    wb.active.append(["Họ và tên", "Thư điện tử", "Vai trò", "Phạm vi"])
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("can-bo.xlsx", buf.getvalue())


def test_a_list_is_checked_whole_then_everyone_is_invited(approver, kha, hni, django_capture_on_commit_callbacks):
    commune = Commune.objects.filter(province=kha).order_by("code").first()
    other = Commune.objects.filter(province=hni).order_by("code").first()
    good = [["Trần Văn Minh", "minh@soct.vn", "Province editor", ""],
            ["Lê Thị Hoa", "hoa@xa.vn", "commune_officer", commune.code]]  # fmt: skip
    bad = good + [["", "not-an-address", "tenant", ""], ["Phạm An", "an@xa.vn", "commune_officer", other.code],
                  ["Trần Văn Minh", "minh@soct.vn", "province_editor", ""]]  # fmt: skip
    client = _client(approver)
    resp = client.post("/accounts/people/", {"what": "list", "file": _sheet(bad), "commit": "1"})
    assert resp.status_code == 422
    problems = {(p["row"], p["column"]) for p in resp.context["list_result"]["problems"]}
    # Every problem of every row at once: the name, the address, a role the approver may not give, another
    # province's commune, a repeated address.
    assert {(4, "Họ và tên"), (4, "Thư điện tử"), (4, "Vai trò"), (5, "Phạm vi"), (6, "Thư điện tử")} <= problems
    assert not User.objects.filter(email__in=["minh@soct.vn", "hoa@xa.vn"]).exists() and not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post("/accounts/people/", {"what": "list", "file": _sheet(good), "commit": "1"})
    assert resp.status_code == 200 and resp.context["list_result"]["committed"], resp.context["list_result"]
    assert User.objects.get(email="hoa@xa.vn").communes.get() == commune
    assert len(mail.outbox) == 2


def test_an_account_is_disabled_never_deleted_and_its_tokens_stop(approver, kha, hni):
    editor = make_user("so.kha.editor", role=Role.PROVINCE_EDITOR, province=kha)
    ApiToken.issue(user=editor, name="scripts")
    stranger = make_user("so.hni.editor", role=Role.PROVINCE_EDITOR, province=hni)
    client = _client(approver)
    page = client.get("/accounts/people/").content.decode()
    assert "so.kha.editor" in page and "so.hni.editor" not in page
    assert client.post(f"/accounts/people/{editor.pk}/active/", {"active": "0"}).status_code == 302
    editor.refresh_from_db()
    assert not editor.is_active and not ApiToken.objects.filter(user=editor).exists()
    assert not Client().login(username="so.kha.editor", password=PASSWORD)
    assert client.post(f"/accounts/people/{stranger.pk}/active/", {"active": "0"}).status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active
    client.post(f"/accounts/people/{editor.pk}/active/", {"active": "1"})
    editor.refresh_from_db()
    assert editor.is_active and User.objects.filter(pk=editor.pk).exists()


def test_only_people_managers_open_the_page(kha):
    editor = make_user("so.kha.editor", role=Role.PROVINCE_EDITOR, province=kha)
    assert _client(editor).get("/accounts/people/").status_code == 403


def test_the_role_is_never_chosen_for_the_inviter(approver):
    """The form opens on an empty role that must be picked: sending it untouched invites nobody."""
    client = _client(approver)
    page = client.get("/accounts/people/").content.decode()
    select = re.search(r'<select name="role"[^>]*>(.*?)</select>', page, re.S).group(1)
    first = re.search(r"<option([^>]*)>([^<]*)</option>", select)
    assert first.group(2) == "— Chọn vai trò —" and 'value=""' in first.group(1)
    assert "selected" not in select.replace(first.group(0), "")
    resp = client.post("/accounts/people/", {"what": "invite", "name": "Lan", "email": "lan@soct.vn", "role": ""})
    assert resp.status_code == 422 and "role" in resp.context["invite_form"].errors
    assert not User.objects.filter(email="lan@soct.vn").exists() and not mail.outbox


def test_a_list_row_without_a_role_is_refused_with_the_roles_to_write(approver):
    client = _client(approver)
    rows = [["Trần Văn Minh", "minh@soct.vn", "", ""], ["Lê Thị Hoa", "hoa@soct.vn", "province_editor", ""]]
    resp = client.post("/accounts/people/", {"what": "list", "file": _sheet(rows), "commit": "1"})
    assert resp.status_code == 422
    (problem,) = resp.context["list_result"]["problems"]
    assert (problem["row"], problem["column"]) == (2, "Vai trò")
    # The message names the roles this approver may give, in the words the list accepts.
    assert problem["message"].startswith("Hãy ghi vai trò") and str(Role.PROVINCE_EDITOR.label) in problem["message"]
    assert escape(problem["message"]) in resp.content.decode()
    assert not User.objects.filter(email__in=["minh@soct.vn", "hoa@soct.vn"]).exists() and not mail.outbox
