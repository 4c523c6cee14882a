"""The national instance of the two-instance test: the periods, a machine user of the province with its token, a
Ministry viewer with a token, and a national officer who edits the province's records here (the conflict case).
Prints the two tokens as JSON."""

from __future__ import annotations

import json

from ccn.accounts.choices import Role
from ccn.accounts.models import ApiToken, User
from ccn.geo.models import Province
from ccn.reports.services import periods_create_year

from .province_seed import PROVINCE, YEAR


def seed() -> None:
    province = Province.objects.get(code=PROVINCE)
    periods_create_year(actor=None, year=YEAR)
    machine = User.objects.create(username="exchange.kha", role=Role.PROVINCE_EDITOR, province=province)
    ministry = User.objects.create(username="bo.viewer", role=Role.MINISTRY_VIEWER)
    User.objects.create(username="national.kha", role=Role.PROVINCE_EDITOR, province=province)
    hanoi = Province.objects.get(code="01")
    other = User.objects.create(username="exchange.hni", role=Role.PROVINCE_EDITOR, province=hanoi)
    tokens = {
        "machine": ApiToken.issue(user=machine, name="exchange")[1],
        "ministry": ApiToken.issue(user=ministry, name="national table")[1],
        "other": ApiToken.issue(user=other, name="exchange")[1],
    }
    print(json.dumps(tokens))  # noqa: T201
