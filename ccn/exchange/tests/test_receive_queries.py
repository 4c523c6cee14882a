"""What receiving a batch costs in queries: the records' links, the rows they refer to, the clusters' communes and
the projects' sectors are read once for the whole batch (ccn/exchange/references.py), so a batch three times as
large reads them in as many queries, and each further record costs only the writes and guards of its service."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ccn.accounts.choices import Role
from ccn.accounts.tests.factories import make_user
from ccn.exchange.services import receive_batch
from ccn.exchange.tests.test_history import _wipe
from ccn.exchange.tests.test_receive import _bundle, _cluster, _org
from ccn.tenants.models import TenantProject

pytestmark = pytest.mark.django_db

TAX_CODES = ("4201234502", "4201234527", "4201234534")
# Rows the receiver reads to resolve a reference (the services lock and check the cluster themselves, and their
# model validation checks that the sector and the actor exist: `SELECT 1 AS "a"`, not counted here).
LOOKUPS = re.compile(r'^SELECT "(exchange_exchangelink|clusters_organisation|clusters_sector\w*|geo_commune)"\."')
PER_PROJECT = 18  # a new project's own writes and guards (lock, scope, land, history, its link): about 15; 25 when
# the receiver looked up each reference for each record


def _project(n: int, *, enterprise: str, sector: str, capital_date: str | None) -> dict:
    return {
        "kind": "tenant_project",
        "key": f"khanh-hoa:tenant_project:{n}",
        "changed_at": "2026-01-05T08:00:00+07:00",
        "data": {"cluster": "56/KHA-X1", "enterprise": enterprise, "sector": sector, "name": f"Nhà máy số {n}",
                 "currency": "VND", "plots": "", "workers": 20, "land_leased_ha": "0.2",
                 "capital_date": capital_date, "status": "registered", "status_since": "2025-12-01",
                 "is_sample": False},
    }  # fmt: skip


def _receive(actor, projects: int) -> tuple[int, int]:
    """(all queries, look-up queries) of receiving 3 organisations, a cluster and `projects` tenant projects."""
    orgs = [_org(key=f"tax:{tax}", name=f"Công ty TNHH Số {i}", tax=tax) for i, tax in enumerate(TAX_CODES)]
    records = [*orgs, _cluster(investor=orgs[0]["key"])]
    for n in range(projects):
        enterprise = orgs[n % 3]["key"]
        sector, day = [("10", None), ("C", "2024-05-01"), ("1079", "2025-11-20")][n % 3]
        records.append(_project(n, enterprise=enterprise, sector=sector, capital_date=day))
    with CaptureQueriesContext(connection) as queries:
        row, _replayed = receive_batch(actor=actor, bundle=_bundle(records))
    assert row.counts["created"] == len(records), row.results
    lookups = [q["sql"] for q in queries.captured_queries if LOOKUPS.match(q["sql"])]
    return len(queries.captured_queries), len(lookups)


def test_references_are_read_once_per_batch_not_once_per_record(kha):
    actor = make_user("exchange.kha", role=Role.PROVINCE_EDITOR, province=kha)
    few, few_lookups = _receive(actor, 6)
    editions = sorted({(p.sector_code, p.sector_edition) for p in TenantProject.objects.all()})
    assert editions == [("10", 2018), ("1079", 2025), ("C", 2018)]  # each code in the edition its date reads it in
    _wipe()
    many, many_lookups = _receive(actor, 18)
    assert TenantProject.objects.count() == 18
    assert many_lookups == few_lookups, "a reference is looked up again for each record"
    assert (many - few) / 12 <= PER_PROJECT, f"{(many - few) / 12:.1f} queries per further project"
