"""The bulk path's writes and checks: rows written by multi-row INSERTs read back as the file gave them, the one
history batch holds exactly the records `change_record` would make, a new row is checked with the model's own rules
and messages, and the statements do not grow with the rows."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ccn.clusters.models import Organisation
from ccn.core.history import snapshot
from ccn.core.models import ChangeAction, ChangeRecord
from ccn.tenants.models import TenantProject

from .helpers import tax_code, xlsx_bytes
from .test_import import EN, row, run

pytestmark = pytest.mark.django_db(transaction=False)


def test_written_rows_and_their_history(users, cluster):
    data = xlsx_bytes(
        [
            EN,
            row(
                tax=tax_code(7),
                name="Nhà máy A",
                ha=Decimal("1.2345"),
                capital=Decimal("2500000000.5"),
                lease_start=datetime.date(2024, 3, 1),
                lease_end=datetime.date(2074, 3, 1),
                workers=120,
                sector="13",
                country="JP",
                enterprise_name="Công ty Nhật",
            ),
            row(tax=tax_code(7), name="Nhà máy B", ha=Decimal("0.5"), status="Registered"),
        ]
    )
    result = run(users["admin"], data, commit=True)
    assert result.ok and result.created == 2, result.problems
    org = Organisation.objects.get(tax_code=tax_code(7))
    assert (org.name, org.country, org.created_at is not None) == ("Công ty Nhật", "JP", True)
    a = TenantProject.objects.get(name="Nhà máy A")
    assert (a.cluster_id, a.enterprise_id, a.sector_id, a.status) == (cluster.pk, org.pk, "13", "operating")
    assert (a.land_leased_ha, a.capital, a.exchange_rate) == (Decimal("1.2345"), Decimal("2500000000.50"), 1)
    assert (a.lease_start, a.lease_end, a.workers, a.version) == (
        datetime.date(2024, 3, 1),
        datetime.date(2074, 3, 1),
        120,
        1,
    )
    assert a.created_at is not None and a.updated_by_id == users["admin"].pk
    b = TenantProject.objects.get(name="Nhà máy B")
    assert (b.status, b.land_leased_ha, b.currency, b.plots) == ("registered", Decimal("0.5000"), "VND", "")

    records = {(r.content_type_id, r.object_id): r for r in ChangeRecord.objects.filter(request_id=result.request_id)}
    project_ct = ContentType.objects.get_for_model(TenantProject).pk
    org_ct = ContentType.objects.get_for_model(Organisation).pk
    for project in (a, b):
        record = records[(project_ct, str(project.pk))]
        assert (record.action, record.actor_id, record.object_repr) == (
            ChangeAction.IMPORT,
            users["admin"].pk,
            project.name,
        )
        assert record.message == "Imported from tenants.xlsx" and record.before is None
        assert _same(record.after, snapshot(project))  # the saved row, as the row-by-row services record it
        assert record.at is not None
    created = records[(org_ct, str(org.pk))]
    assert created.action == ChangeAction.CREATE and created.after == snapshot(org)


def _same(recorded: dict, saved: dict) -> bool:
    """Equal snapshots; a decimal recorded from the file's value (2500000000.5) equals the column's (…0.50)."""

    def number(v):
        try:
            return Decimal(v) if isinstance(v, str) else v
        except ArithmeticError:
            return v

    return recorded.keys() == saved.keys() and all(number(recorded[k]) == number(saved[k]) for k in saved)


def test_new_rows_checked_with_the_models_rules(users, cluster):
    data = xlsx_bytes(
        [
            EN,
            row(tax=tax_code(8), name="Nhà máy xả thải", ha=1, wastewater_m3_day=Decimal("-3")),
            row(tax=tax_code(9), name="Nhà máy vốn lớn", ha=1, capital=Decimal("12345678901234567.5")),
            row(
                tax=tax_code(10),
                name="Nhà máy tỷ giá",
                ha=1,
                currency="USD",
                capital=Decimal("100000"),
                exchange_rate=Decimal("0"),
            ),
        ]
    )
    result = run(users["admin"], data, commit=True)
    messages = {p.row: p.message for p in result.problems}
    assert messages[2] == "Ensure this value is greater than or equal to 0."
    assert messages[3] == "Ensure that there are no more than 16 digits before the decimal point."
    assert "greater than or equal to 0.01" in messages[4]
    assert (
        not result.committed
        and not TenantProject.objects.exists()
        and not Organisation.objects.filter(tax_code__in=[tax_code(8), tax_code(9), tax_code(10)]).exists()
    )


def _statements(users, rows: int, start: int) -> int:
    lines = [EN] + [row(tax=tax_code(start + i), name=f"Dự án {start + i}", ha=Decimal("0.01")) for i in range(rows)]
    with CaptureQueriesContext(connection) as ctx:
        result = run(users["admin"], xlsx_bytes(lines), commit=True)
    assert result.ok and result.created == rows, result.problems[:3]
    return len(ctx.captured_queries)


def test_statements_do_not_grow_with_the_rows(users, cluster):
    _statements(users, 1, 300)  # the first import of a process also reads the content types once
    assert _statements(users, 30, 100) == _statements(users, 10, 200)
