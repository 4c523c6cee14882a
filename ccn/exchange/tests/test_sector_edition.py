"""A tenant project's sector keeps its VSIC edition through the exchange (docs/decisions/0010-vsic-editions.md):
a code such as "10" names a division in both editions, so the bundle carries the edition beside the code, and a
bundle without it is read by the usual rule."""

from __future__ import annotations

import datetime
import io
import uuid

import pytest
from django.utils import timezone

from ccn.accounts.models import User
from ccn.clusters.models import Sector2025
from ccn.exchange import bundle as fmt
from ccn.exchange.services import receive_batch
from ccn.exchange.tests import province_seed
from ccn.exchange.tests.test_history import _wipe
from ccn.tenants.models import TenantProject

pytestmark = pytest.mark.django_db

NAME = "Seiko Khánh Hòa"


def _records(province) -> list[dict]:
    """The province's registry as its bundle carries it (the reports, which need their signed scans sent first,
    left out)."""
    until = timezone.now() + datetime.timedelta(seconds=1)
    return [r for r in fmt.changed_records(province, since=None, until=until) if r["kind"] != "report"]


def _receive(actor, province, records) -> None:
    bundle = fmt.build_bundle(
        province=province, batch_id=str(uuid.uuid4()), sequence=1, records=records, created_at=timezone.now()
    )
    row, _replayed = receive_batch(actor=actor, bundle=bundle)
    assert row.counts["refused"] == 0 and row.counts["held"] == 0, [r for r in row.results if r["message"]]


def test_a_vsic_2025_code_without_a_registration_date_comes_back_in_vsic_2025(kha):
    province_seed.seed()
    editor = User.objects.get(username="so.kha.editor")
    # Stored in VSIC 2025 with no registration date (so the date cannot say which edition "10" is).
    TenantProject.objects.filter(name=NAME).update(
        capital_date=None, sector=None, sector_2025=Sector2025.objects.get(code="10")
    )
    records = _records(kha)
    (sent,) = [r for r in records if r["kind"] == "tenant_project" and r["data"]["name"] == NAME]
    assert (sent["data"]["sector"], sent["data"]["sector_edition"]) == ("10", "2025")

    _wipe()
    _receive(editor, kha, records)
    project = TenantProject.objects.get(name=NAME)
    assert (project.capital_date, project.sector_code, project.sector_edition) == (None, "10", 2025)
    assert project.sector_id is None

    # A bundle of an instance that does not send the edition: the code is read as before, VSIC 2018 first.
    _wipe()
    for record in records:
        record["data"].pop("sector_edition", None)
    _receive(editor, kha, records)
    assert TenantProject.objects.get(name=NAME).sector_edition == 2018


def test_a_code_missing_from_the_edition_the_record_names_is_refused(kha):
    province_seed.seed()
    editor = User.objects.get(username="so.kha.editor")
    records = _records(kha)
    (sent,) = [r for r in records if r["kind"] == "tenant_project" and r["data"]["name"] == NAME]
    sent["data"].update({"sector": "45", "sector_edition": "2025", "capital_date": None})  # the car trade: 2018 only
    _wipe()
    bundle = fmt.build_bundle(
        province=kha, batch_id=str(uuid.uuid4()), sequence=1, records=records, created_at=timezone.now()
    )
    row, _replayed = receive_batch(actor=editor, bundle=bundle)
    (result,) = [r for r in row.results if r["key"] == sent["key"]]
    assert result["result"] == "refused"
    assert "45" in result["message"] and "VSIC 2025" in result["message"], result["message"]
    assert not TenantProject.objects.filter(name=NAME).exists()


def test_the_history_workbook_carries_the_edition_too(kha):
    """The workbook's tenant projects sheet has a "Phiên bản VSIC" column beside the code, so the same project
    comes back in VSIC 2025 from a workbook, and a workbook whose column is empty reads the code as before."""
    from openpyxl import load_workbook

    from ccn.exchange import workbook
    from ccn.exchange.history import history_import
    from ccn.exchange.sheets import COLUMNS, PROJECTS, sheet_title
    from ccn.exchange.tests.test_history import _upload

    province_seed.seed()
    editor = User.objects.get(username="so.kha.editor")
    TenantProject.objects.filter(name=NAME).update(
        capital_date=None, sector=None, sector_2025=Sector2025.objects.get(code="10")
    )
    content = workbook.write(fmt.changed_records(kha, since=None, until=timezone.now()))
    sheet = load_workbook(io.BytesIO(content))[sheet_title(PROJECTS)]
    headers = [c.value for c in sheet[1]]
    assert headers[[c.key for c in COLUMNS[PROJECTS]].index("sector_edition")] == "Phiên bản VSIC"
    _wipe()
    done = history_import(actor=editor, province=kha, upload=_upload(content), commit=True)
    assert done.ok and done.committed, done.problems
    assert TenantProject.objects.get(name=NAME).sector_edition == 2025
